package indexio

import (
	"fmt"
	"math"

	"github.com/metalfaiss/metalfaiss/core"
)

// The type codes faiss writes first.
const (
	codeFlatL2    = "IxF2"
	codeFlatIP    = "IxFI"
	codeFlatOther = "IxFl" // any other metric, with its argument
	codeIDMap     = "IxMp"
	codeIDMap2    = "IxM2"
	codeRefine    = "IxRF"
	codeRefinePan = "IxRP" // the same fields, over an IndexFlatPanorama
	codeMinMax    = "IRMf"
	codeMinMax16  = "IRMh"
)

// maxD bounds the dimension a file may claim (faiss has no bound; a
// lying header must not make later size products overflow).
const maxD = 1 << 24

// hoster is a GPU flat index: its host copy is what gets written.
type hoster interface{ Host() *core.IndexFlat }

// FlagSkipStorage is faiss's IO_FLAG_SKIP_STORAGE: graph indexes are
// written without their storage (faiss's "null" index in its place).
const FlagSkipStorage = 1

// Write returns ix in faiss's format.
func Write(ix core.Index) ([]byte, error) { return WriteFlags(ix, 0) }

// WriteFlags is Write with faiss's io_flags (FlagSkipStorage; the others
// concern reading and change nothing here).
func WriteFlags(ix core.Index, flags int) ([]byte, error) {
	w := &writer{flags: flags}
	if err := write(w, ix); err != nil {
		return nil, err
	}
	return w.b, nil
}

func write(w *writer, ix core.Index) error {
	if h, ok := ix.(hoster); ok {
		ix = h.Host()
	}
	switch x := ix.(type) {
	case *core.IndexFlat:
		switch x.Metric() {
		case core.MetricL2:
			w.fourcc(codeFlatL2)
		case core.MetricInnerProduct:
			w.fourcc(codeFlatIP)
		default:
			w.fourcc(codeFlatOther)
		}
		writeHeader(w, x)
		v := x.Vectors()
		w.u64(uint64(len(v))) // faiss counts the code bytes in floats
		w.floats(v)
	case *core.IndexIDMap:
		if x.IsIDMap2() {
			w.fourcc(codeIDMap2)
		} else {
			w.fourcc(codeIDMap)
		}
		writeHeader(w, x)
		if err := write(w, x.Sub()); err != nil {
			return err
		}
		w.u64(uint64(len(x.IDMap)))
		w.int64s(x.IDMap)
	case *core.IndexPQ:
		writePQ(w, x)
	case *core.IndexPQFastScan:
		writePQFastScan(w, x)
	case *core.IndexAQFastScan:
		return writeAQFastScan(w, x)
	case *core.IndexIVFIndependentQuantizer:
		return writeIVFIndependent(w, x)
	case *core.IndexScalarQuantizer:
		writeSQ(w, x)
	case *core.IndexAdditiveQuantizer:
		return writeIndexAQ(w, x)
	case *core.ResidualCoarseQuantizer:
		writeRCQ(w, x)
	case *core.IndexRaBitQ:
		writeRaBitQ(w, x)
	case *core.IndexRaBitQFastScan:
		writeRaBitQFastScan(w, x)
	case *core.IndexHNSW:
		return writeHNSW(w, x)
	case *core.IndexFlatPanorama:
		writeFlatPanorama(w, x)
	case *core.IndexNSG:
		return writeNSG(w, x)
	case *core.IndexNNDescent:
		return writeNNDescent(w, x)
	case *core.IndexIVF:
		return writeIVF(w, x)
	case *core.IndexPreTransform:
		return writePreTransform(w, x)
	case *core.IndexLSH:
		return writeLSH(w, x)
	case *core.IndexRefine:
		if x.Name() == "IndexRefinePanorama" {
			w.fourcc(codeRefinePan)
		} else {
			w.fourcc(codeRefine)
		}
		writeHeader(w, x)
		if err := write(w, x.Base()); err != nil {
			return err
		}
		if err := write(w, x.Refine()); err != nil {
			return err
		}
		w.f32(x.KFactor)
	case *core.MultiIndexQuantizer:
		writeMultiIndex(w, x)
	case *core.Index2Layer:
		return writeTwoLayer(w, x)
	case *core.IndexRowwiseMinMax:
		w.fourcc(map[bool]string{false: codeMinMax, true: codeMinMax16}[x.Half()])
		writeHeader(w, x)
		return write(w, x.Sub())
	default:
		return core.Errorf(core.KindUnsupported, "write_index", "%T cannot be written yet", ix)
	}
	return nil
}

// writeHeader is faiss's write_index_header: d, ntotal, two unused
// fields, is_trained, the metric and (past inner product and L2) its
// argument.
func writeHeader(w *writer, ix core.Index) {
	w.i32(int32(ix.D()))
	w.u64(uint64(ix.Ntotal()))
	w.u64(1 << 20)
	w.u64(1 << 20)
	if ix.IsTrained() {
		w.u8(1)
	} else {
		w.u8(0)
	}
	w.i32(int32(ix.Metric()))
	if ix.Metric() > core.MetricL2 {
		w.f32(ix.MetricArg())
	}
}

// header is what writeHeader writes.
type header struct {
	d         int
	ntotal    int64
	trained   bool
	metric    core.Metric
	metricArg float32
}

func readHeader(r *reader) header {
	var h header
	at := r.off
	d := r.i32("the dimension")
	if r.err == nil && (d <= 0 || d > maxD) {
		r.off = at
		r.fail("the dimension must be 1..%d, the file says %d", maxD, d)
	}
	h.d = int(d)
	at = r.off
	n := r.u64("ntotal")
	if r.err == nil && n > math.MaxInt64 {
		r.off = at
		r.fail("ntotal %d does not fit an int64", n)
	}
	h.ntotal = int64(n)
	r.u64("an unused field")
	r.u64("an unused field")
	h.trained = r.u8("is_trained") != 0
	h.metric = core.Metric(r.i32("the metric"))
	if h.metric > core.MetricL2 {
		h.metricArg = r.f32("the metric argument")
	}
	return h
}

// Read returns the index that b holds, which must be all of it.
func Read(b []byte) (core.Index, error) {
	r := &reader{b: b}
	return finish(r, read(r, 0))
}

// ReadPrefix reads the index at the start of b, which may go on after it
// (a stream holding several objects): n is the bytes it took. short says
// that b ended before the index did, so that a caller still receiving the
// stream can try again with more.
func ReadPrefix(b []byte) (ix core.Index, n int, short bool, err error) {
	r := &reader{b: b}
	ix = read(r, 0)
	if r.err != nil {
		return nil, 0, r.short, r.err
	}
	return ix, r.off, false, nil
}

// finish checks that the index read took all of the file.
func finish(r *reader, ix core.Index) (core.Index, error) {
	if r.err == nil && r.off != len(r.b) {
		r.fail("the index ends here but the file has %d more bytes", len(r.b)-r.off)
	}
	if r.err != nil {
		return nil, r.err
	}
	return ix, nil
}

// maxNesting bounds indexes inside indexes, against files that nest
// wrappers until the stack runs out.
const maxNesting = 16

func read(r *reader, depth int) core.Index {
	at := r.off
	code := r.fourcc()
	if r.err != nil {
		return nil
	}
	if depth > maxNesting {
		r.off = at
		r.fail("indexes nested deeper than %d", maxNesting)
		return nil
	}
	switch code {
	case codeFlatL2, codeFlatIP, codeFlatOther:
		return readFlat(r, code)
	case codePQ:
		return readPQ(r)
	case codePQFastScan:
		return readPQFastScan(r)
	case codeRQFastScan, codeLSQFastScan, codePRQFastScan, codePLSQFastScan:
		return readAQFastScan(r, code)
	case codeIVFIndependent:
		return readIVFIndependent(r, depth)
	case codeSQ:
		return readSQ(r)
	case codeRQ, codePRQ, codeLSQ, codePLSQ:
		return readIndexAQ(r, code)
	case codeRCQ:
		return readRCQ(r)
	case codeRaBitQ, codeRaBitQMulti:
		return readRaBitQ(r, code)
	case codeRaBitQFS:
		return readRaBitQFastScan(r)
	case codeHNSWFlat, codeHNSWSQ, codeHNSWPQ, codeHNSWCagra, codeHNSW2, codeHNSWPano:
		return readHNSW(r, code, depth)
	case codeFlatL2Panorama, codeFlatIPPanorama:
		return readFlatPanorama(r, code)
	case codeNSGFlat, codeNSGPQ, codeNSGSQ:
		return readNSG(r, code, depth)
	case codeNNDescentFlat:
		return readNNDescent(r, depth)
	case codeIVFFlat, codeIVFPQ, codeIVFPQR, codeIVFSH, codeIVFSQ, codeIVFDedup, codeIVFPanorama, codeIVFPanoramaV1, codeIVFPQFS, codeIVFRaBitQ, codeIVFRaBitQMulti, codeIVFRaBitQFS, codeIVFRQ, codeIVFPRQ, codeIVFLSQ, codeIVFPLQ,
		codeIVFRQFastScan, codeIVFLSQFastScan, codeIVFPRQFastScan, codeIVFPLSQFastScan:
		return readIVF(r, code, depth)
	case codePreTransform:
		return readPreTransform(r, depth)
	case codeLSH:
		return readLSH(r)
	case codeRefine, codeRefinePan:
		h := readHeader(r)
		base := read(r, depth+1)
		refine := read(r, depth+1)
		k := r.f32("k_factor")
		if r.err != nil {
			return nil
		}
		if base.D() != h.d {
			r.fail("the base index has d=%d, the header d=%d", base.D(), h.d)
			return nil
		}
		ix, err := core.RestoreIndexRefine(base, refine, k)
		return restored(r, ix, err)
	case codeMultiIndex:
		return readMultiIndex(r)
	case codeTwoLayer:
		return readTwoLayer(r, depth)
	case codeMinMax, codeMinMax16:
		h := readHeader(r)
		sub := read(r, depth+1)
		if r.err != nil {
			return nil
		}
		if sub.D() != h.d {
			r.fail("the sub-index has d=%d, the header d=%d", sub.D(), h.d)
			return nil
		}
		ix, err := core.RestoreIndexRowwiseMinMax(sub, code == codeMinMax16, h.ntotal, h.trained)
		return restored(r, ix, err)
	case codeIDMap, codeIDMap2:
		h := readHeader(r)
		sub := read(r, depth+1)
		n := r.count(8, "the id map")
		ids := r.int64s(n, "the id map")
		if r.err != nil {
			return nil
		}
		if sub.D() != h.d || int64(n) != h.ntotal {
			r.fail("the id map's header (d=%d, ntotal=%d) does not match its sub-index (d=%d) and %d ids", h.d, h.ntotal, sub.D(), n)
			return nil
		}
		m, err := core.RestoreIndexIDMap(sub, ids, code == codeIDMap2)
		if err != nil {
			r.fail("%v", err)
			return nil
		}
		return m
	}
	r.off = at
	r.fail("unknown or unsupported index type code %q", printable(code))
	return nil
}

func readFlat(r *reader, code string) core.Index {
	h := readHeader(r)
	n := r.count(4, "the vectors")
	if r.err != nil {
		return nil
	}
	want := map[string]bool{codeFlatL2: h.metric == core.MetricL2, codeFlatIP: h.metric == core.MetricInnerProduct,
		codeFlatOther: h.metric > core.MetricL2}[code]
	if !want {
		r.fail("type code %q does not go with metric %d", code, h.metric)
		return nil
	}
	if h.ntotal > int64(n) || uint64(h.ntotal)*uint64(h.d) != n {
		r.fail("%d floats do not make %d vectors of dimension %d", n, h.ntotal, h.d)
		return nil
	}
	x := r.floats(n, "the vectors")
	if r.err != nil {
		return nil
	}
	ix, err := core.RestoreIndexFlat(h.d, h.metric, h.metricArg, x, r.keep)
	return restored(r, ix, err)
}

// printable shows a type code, escaping bytes that are not letters.
func printable(code string) string {
	for _, c := range []byte(code) {
		if c < 0x20 || c > 0x7e {
			return fmt.Sprintf("%x", code)
		}
	}
	return code
}

func typeName(ix core.Index) string { return fmt.Sprintf("%T", ix) }
