package indexio

import (
	"math"

	"github.com/metalfaiss/metalfaiss/core"
)

// Binary indexes in faiss's format (write_index_binary): a type code, the
// binary header (d, code_size, ntotal, is_trained, metric), then the
// type's fields.

const (
	codeBinaryFlat   = "IBxF"
	codeBinaryIVF    = "IBwF"
	codeBinaryHNSW   = "IBHf"
	codeBinaryIDMap  = "IBMp"
	codeBinaryIDMap2 = "IBM2"
	codeBinaryFloat  = "IBFf"
)

// WriteBinary returns ix in faiss's format.
func WriteBinary(ix core.BinaryIndex) ([]byte, error) {
	w := &writer{}
	if err := writeBinary(w, ix); err != nil {
		return nil, err
	}
	return w.b, nil
}

// ReadBinary returns the binary index that b holds, which must be all of
// it.
func ReadBinary(b []byte) (core.BinaryIndex, error) {
	r := &reader{b: b}
	ix := readBinary(r, 0)
	if r.err == nil && r.off != len(r.b) {
		r.fail("the index ends here but the file has %d more bytes", len(r.b)-r.off)
	}
	if r.err != nil {
		return nil, r.err
	}
	return ix, nil
}

func writeBinaryHeader(w *writer, ix core.BinaryIndex) {
	w.i32(int32(ix.D()))
	w.i32(int32(ix.CodeSize()))
	w.u64(uint64(ix.Ntotal()))
	writeBool(w, ix.IsTrained())
	w.i32(int32(core.MetricL2))
}

func writeBinary(w *writer, ix core.BinaryIndex) error {
	switch x := ix.(type) {
	case *core.IndexBinaryFlat:
		w.fourcc(codeBinaryFlat)
		writeBinaryHeader(w, x)
		w.bytes(x.Codes())
	case *core.IndexBinaryIVF:
		w.fourcc(codeBinaryIVF)
		writeBinaryHeader(w, x)
		w.u64(uint64(x.Nlist()))
		w.u64(uint64(x.Nprobe))
		if err := writeBinary(w, x.Quantizer()); err != nil {
			return err
		}
		writeDirectMap(w, x, func(l int) []int64 { _, ids := x.List(l); return ids })
		writeArrayLists(w, x.Nlist(), x.CodeSize(), func(l int) int {
			_, ids := x.List(l)
			return len(ids)
		}, func(l int) {
			codes, ids := x.List(l)
			w.b = append(w.b, codes...)
			w.int64s(ids)
		})
	case *core.IndexBinaryIDMap:
		if x.IsIDMap2() {
			w.fourcc(codeBinaryIDMap2)
		} else {
			w.fourcc(codeBinaryIDMap)
		}
		writeBinaryHeader(w, x)
		if err := writeBinary(w, x.Sub()); err != nil {
			return err
		}
		w.int64Vec(x.IDMap)
	case *core.IndexBinaryFromFloat:
		w.fourcc(codeBinaryFloat)
		writeBinaryHeader(w, x)
		return write(w, x.Index())
	case *core.IndexBinaryHash:
		writeBinaryHash(w, x)
	case *core.IndexBinaryMultiHash:
		return writeBinaryMultiHash(w, x)
	case *core.IndexBinaryHNSW:
		w.fourcc(codeBinaryHNSW)
		writeBinaryHeader(w, x)
		writeGraph(w, x.HNSW.Graph())
		return writeBinary(w, x.Storage())
	default:
		return core.Errorf(core.KindUnsupported, "write_index_binary", "%T cannot be written", ix)
	}
	return nil
}

// binaryHeader is what writeBinaryHeader writes.
type binaryHeader struct {
	d       int
	ntotal  int64
	trained bool
}

func readBinaryHeader(r *reader) binaryHeader {
	var h binaryHeader
	at := r.off
	d := r.i32("the dimension")
	if r.err == nil && (d <= 0 || d > maxD || d%8 != 0) {
		r.off = at
		r.fail("the dimension must be a multiple of 8 in 8..%d, the file says %d", maxD, d)
	}
	at = r.off
	cs := r.i32("the code size")
	if r.err == nil && int(cs) != int(d)/8 {
		r.off = at
		r.fail("the code size must be d/8 = %d, the file says %d", d/8, cs)
	}
	at = r.off
	n := r.u64("ntotal")
	if r.err == nil && n > math.MaxInt64 {
		r.off = at
		r.fail("ntotal %d does not fit an int64", n)
	}
	h.d, h.ntotal = int(d), int64(n)
	h.trained = r.u8("is_trained") != 0
	r.i32("the metric")
	return h
}

func readBinary(r *reader, depth int) core.BinaryIndex {
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
	case codeBinaryFlat:
		h := readBinaryHeader(r)
		codes := r.bytes(r.count(1, "the codes"), "the codes")
		if r.err != nil {
			return nil
		}
		if uint64(len(codes)) != uint64(h.ntotal)*uint64(h.d/8) {
			r.fail("%d code bytes for ntotal=%d codes of %d bytes", len(codes), h.ntotal, h.d/8)
			return nil
		}
		ix, err := core.RestoreIndexBinaryFlat(h.d, codes)
		return restoredBinary(r, ix, err)
	case codeBinaryIVF:
		return readBinaryIVF(r, depth)
	case codeBinaryFloat:
		h := readBinaryHeader(r)
		inner := read(r, depth+1)
		if r.err != nil {
			return nil
		}
		if inner.D() != h.d || inner.Ntotal() != h.ntotal {
			r.fail("the binary wrapper's header (d=%d, ntotal=%d) does not match its float index (d=%d, ntotal=%d)",
				h.d, h.ntotal, inner.D(), inner.Ntotal())
			return nil
		}
		ix, err := core.NewIndexBinaryFromFloat(inner)
		return restoredBinary(r, ix, err)
	case codeBinaryHash:
		return readBinaryHash(r)
	case codeBinaryMultiHash:
		return readBinaryMultiHash(r, depth)
	case codeBinaryIDMap, codeBinaryIDMap2:
		h := readBinaryHeader(r)
		sub := readBinary(r, depth+1)
		ids := r.int64s(r.count(8, "the id map"), "the id map")
		if r.err != nil {
			return nil
		}
		if sub.D() != h.d || sub.Ntotal() != h.ntotal {
			r.fail("the id map's header (d=%d, ntotal=%d) does not match its sub-index (d=%d, ntotal=%d)",
				h.d, h.ntotal, sub.D(), sub.Ntotal())
			return nil
		}
		ix, err := core.RestoreIndexBinaryIDMap(sub, ids, code == codeBinaryIDMap2)
		return restoredBinary(r, ix, err)
	case codeBinaryHNSW:
		h := readBinaryHeader(r)
		g := readGraph(r)
		storage, _ := readBinary(r, depth+1).(*core.IndexBinaryFlat)
		if r.err != nil {
			return nil
		}
		if storage == nil || storage.D() != h.d || storage.Ntotal() != h.ntotal {
			r.fail("the binary HNSW header (d=%d, ntotal=%d) needs a flat binary storage of the same size", h.d, h.ntotal)
			return nil
		}
		ix, err := core.RestoreIndexBinaryHNSW(storage, g)
		return restoredBinary(r, ix, err)
	}
	r.off = at
	r.fail("unknown or unsupported binary index type code %q", printable(code))
	return nil
}

func readBinaryIVF(r *reader, depth int) core.BinaryIndex {
	h := readBinaryHeader(r)
	nlist := r.size("nlist", 1, uint64(min(maxNlist, max(1<<20, len(r.b)))))
	nprobe := r.size("nprobe", 1, math.MaxInt32)
	quantizer := readBinary(r, depth+1)
	dmType := int(r.u8("the direct map type"))
	r.int64s(r.count(8, "the direct map"), "the direct map")
	if r.err == nil && dmType == 2 {
		r.int64s(r.count(16, "the direct map's pairs")*2, "the direct map's pairs")
	}
	if r.err != nil {
		return nil
	}
	ix, err := core.NewIndexBinaryIVF(quantizer, h.d, nlist)
	if err != nil {
		r.fail("%v", err)
		return nil
	}
	ids, _, codes := readLists(r, nlist, ix.CodeSize(), false)
	if !listsHold(r, ids, h.ntotal) {
		return nil
	}
	return restoredBinary(r, ix, ix.RestoreBinaryIVF(nprobe, h.trained, ids, codes, dmType))
}

func restoredBinary[T core.BinaryIndex](r *reader, ix T, err error) core.BinaryIndex {
	if err != nil {
		r.fail("%v", err)
		return nil
	}
	return ix
}
