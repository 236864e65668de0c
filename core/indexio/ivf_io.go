package indexio

import (
	"math"
	"slices"

	"github.com/metalfaiss/metalfaiss/core"
)

// IVF indexes: faiss's write_ivf_header (the index header, nlist, nprobe,
// the quantizer, the direct map), the codec's fields, then the inverted
// lists as one "ilar" block: sizes (all of them, or (list, size) pairs when
// at most half the lists hold anything), then each list's codes and ids.

const (
	codeIVFFlat    = "IwFl"
	codeIVFDedup   = "IwFd"
	codeIVFPQ      = "IwPQ"
	codeIVFPQR     = "IwQR" // IwPQ, then the refine quantizer, its codes and k_factor
	codeIVFSH      = "IwSh" // the transform, nbit, period, threshold type, thresholds
	codeIVFSQ      = "IwSq"
	codeArrayLists = "ilar"
	codeIVFPQFS    = "IwPf"
	codeBlockLists = "ilbl"
)

// maxNlist bounds the lists a file may claim.
const maxNlist = 1 << 28

func writeIVF(w *writer, ix *core.IndexIVF) error {
	pq, sq := ix.PQ(), ix.SQ()
	switch {
	case ix.RBQ() != nil && ix.FastScan() != nil:
		w.fourcc(codeIVFRaBitQFS)
	case ix.FastScan() != nil && ix.AQ() != nil:
		w.fourcc(ivfAQFastScanCodes[core.AdditiveKind(ix.AQ())])
	case ix.FastScan() != nil:
		w.fourcc(codeIVFPQFS)
	case ix.RBQ() != nil:
		w.fourcc(rbqCode(ix.RBQ(), codeIVFRaBitQ, codeIVFRaBitQMulti))
	case ix.PQR() != nil:
		w.fourcc(codeIVFPQR)
	case ix.SpectralHash() != nil:
		w.fourcc(codeIVFSH)
	case pq != nil:
		w.fourcc(codeIVFPQ)
	case sq != nil:
		w.fourcc(codeIVFSQ)
	case ix.AQ() != nil:
		_, code, ok := aqKindOf(ix.Name())
		if !ok {
			return core.Errorf(core.KindUnsupported, "write_index", "%s cannot be written yet", ix.Name())
		}
		w.fourcc(code)
	case ix.IsDedup():
		w.fourcc(codeIVFDedup)
	case isPanorama(ix):
		w.fourcc(codeIVFPanorama)
	default:
		w.fourcc(codeIVFFlat)
	}
	writeHeader(w, ix)
	w.u64(uint64(ix.Nlist()))
	w.u64(uint64(ix.Nprobe))
	if err := write(w, ix.Quantizer()); err != nil {
		return err
	}
	writeDirectMap(w, ix, func(l int) []int64 { ids, _, _ := ix.IVFList(l); return ids })
	if ix.IsDedup() { // the (stored id, duplicate id) pairs, flattened
		pairs := ix.Instances()
		w.u64(uint64(2 * len(pairs)))
		for _, p := range pairs {
			w.u64(uint64(p[0]))
			w.u64(uint64(p[1]))
		}
	}
	if isPanorama(ix) {
		writeIVFPanorama(w, ix)
		return nil
	}
	byResidual := uint8(0)
	if ix.ByResidual {
		byResidual = 1
	}
	switch {
	case ix.RBQ() != nil && ix.FastScan() != nil:
		writeIVFRaBitQFastScanFields(w, ix)
		fs, q := ix.FastScan(), ix.RBQ()
		writeBlockLists(w, ix, fs.Bbs*fs.M2()/2+fs.Bbs*(q.CodeSize-(q.D+7)/8))
		return nil
	case ix.FastScan() != nil && ix.AQ() != nil:
		return writeIVFAQFastScanFields(w, ix, byResidual)
	case ix.FastScan() != nil:
		writeIVFFastScanFields(w, ix, byResidual)
		writeBlockLists(w, ix, ix.FastScan().Bbs*ix.FastScan().M2()/2)
		return nil
	case ix.SpectralHash() != nil:
		sh := ix.SpectralHash()
		if err := writeTransform(w, sh.VT); err != nil {
			return err
		}
		w.i32(int32(sh.Nbit))
		w.f32(sh.Period)
		w.i32(int32(sh.ThresholdType))
		w.floatVec(sh.Trained)
	case ix.RBQ() != nil:
		writeRaBitQFields(w, ix.RBQ(), ix.RBQ().NbBits > 1)
		w.u64(uint64(ix.RBQ().CodeSize))
		w.u8(byResidual)
		w.u8(uint8(ix.RaBitQ().Qb))
	case pq != nil:
		w.u8(byResidual)
		w.u64(uint64(pq.CodeSize))
		writePQFields(w, pq)
	case sq != nil:
		writeSQFields(w, sq)
		w.u64(uint64(sq.CodeSize()))
		w.u8(byResidual)
	case ix.AQ() != nil:
		if err := writeIVFAQFields(w, ix, byResidual); err != nil {
			return err
		}
	}
	od, dirty, unlock := ix.OnDisk()
	defer unlock()
	if od == nil {
		writeLists(w, ix)
		writePQRTail(w, ix)
		return nil
	}
	if dirty { // the lists changed since their file was written: rewrite it
		var err error
		if od, err = rewriteOnDisk(ix, od.Filename); err != nil {
			return err
		}
		ix.OnDiskWritten(od)
	}
	writeOnDisk(w, od, listCodeSize(ix))
	writePQRTail(w, ix)
	return nil
}

// readIVFSpectralHash reads an IwSh index's fields after the IVF header.
func readIVFSpectralHash(r *reader, h header, quantizer core.Index, nlist, depth int) *core.IndexIVF {
	vt := readTransform(r, depth+1)
	nbit := int(r.i32("nbit"))
	period := r.f32("period")
	tt := int(r.i32("threshold_type"))
	trained := r.floats(r.count(4, "the thresholds"), "the thresholds")
	if r.err != nil {
		return nil
	}
	ix, err := core.NewIndexIVFSpectralHash(quantizer, h.d, nlist, nbit, period)
	if err == nil {
		err = ix.SpectralHash().Restore(vt, period, tt, trained, h.trained)
	}
	if err != nil {
		r.fail("%v", err)
		return nil
	}
	return ix
}

// writePQRTail ends an IndexIVFPQR: the refine quantizer, its codes, k_factor.
func writePQRTail(w *writer, ix *core.IndexIVF) {
	if r := ix.PQR(); r != nil {
		writePQFields(w, r.Refine)
		w.bytes(r.RefineCodes())
		w.f32(r.KFactor)
	}
}

// readPQRTail reads what writePQRTail writes into ix.
func readPQRTail(r *reader, ix *core.IndexIVF, ntotal int64, trained bool) bool {
	f := readPQFields(r)
	codes := r.bytes(r.count(1, "the refine codes"), "the refine codes")
	kf := r.f32("k_factor")
	if r.err != nil {
		return false
	}
	if f.d != ix.D() {
		r.fail("the refine quantizer has d=%d, the index d=%d", f.d, ix.D())
		return false
	}
	refine := f.quantizer(r, trained)
	if refine == nil {
		return false
	}
	refine.CP.MaxPointsPerCentroid = 1000
	q := ix.PQR()
	q.Refine, q.KFactor = refine, kf
	if err := q.RestoreRefineCodes(codes, ntotal); err != nil {
		r.fail("%v", err)
		return false
	}
	return true
}

// directMapped is an IVF index, float or binary, with a direct map.
type directMapped interface {
	DirectMapType() int
	DirectMapEntry(id int64) (list, offset int, ok bool)
	Ntotal() int64
	Nlist() int
}

// writeDirectMap writes the map's type, the array (id -> list << 32 |
// offset, for ids 0..ntotal-1) and, for a hashtable, its pairs in id order.
func writeDirectMap(w *writer, ix directMapped, listIDs func(l int) []int64) {
	kind := ix.DirectMapType()
	w.u8(uint8(kind))
	if kind != 1 {
		w.u64(0)
	} else {
		w.u64(uint64(ix.Ntotal()))
		for id := int64(0); id < ix.Ntotal(); id++ {
			l, off, _ := ix.DirectMapEntry(id)
			w.u64(uint64(l)<<32 | uint64(off))
		}
	}
	if kind == 2 {
		var pairs [][2]int64
		for l := 0; l < ix.Nlist(); l++ {
			for off, id := range listIDs(l) {
				pairs = append(pairs, [2]int64{id, int64(l)<<32 | int64(off)})
			}
		}
		slices.SortFunc(pairs, func(a, b [2]int64) int { return int(min(max(a[0]-b[0], -1), 1)) })
		w.u64(uint64(len(pairs)))
		for _, p := range pairs {
			w.u64(uint64(p[0]))
			w.u64(uint64(p[1]))
		}
	}
}

func listCodeSize(ix *core.IndexIVF) int { return ix.CodeSize() }

func writeLists(w *writer, ix *core.IndexIVF) {
	writeArrayLists(w, ix.Nlist(), listCodeSize(ix), func(l int) int {
		ids, _, _ := ix.IVFList(l)
		return len(ids)
	}, func(l int) {
		ids, vecs, codes := ix.IVFList(l)
		if codes != nil {
			w.b = append(w.b, codes...)
		} else {
			w.floats(vecs)
		}
		w.int64s(ids)
	})
}

// writeArrayLists writes faiss's "ilar" block of nlist lists of codes of
// cs bytes: size(l) is the length of list l and body(l) writes its codes
// then its ids.
func writeArrayLists(w *writer, nlist, cs int, size func(l int) int, body func(l int)) {
	w.fourcc(codeArrayLists)
	w.u64(uint64(nlist))
	w.u64(uint64(cs))
	writeListSizes(w, nlist, size)
	for l := 0; l < nlist; l++ {
		if size(l) > 0 {
			body(l)
		}
	}
}

// writeListSizes writes faiss's list sizes: all of them ("full") or, when
// at most half the lists hold anything, (list, size) pairs ("sprs").
func writeListSizes(w *writer, nlist int, size func(l int) int) {
	nonEmpty := 0
	for l := 0; l < nlist; l++ {
		if size(l) > 0 {
			nonEmpty++
		}
	}
	if nonEmpty > nlist/2 {
		w.fourcc("full")
		w.u64(uint64(nlist))
		for l := 0; l < nlist; l++ {
			w.u64(uint64(size(l)))
		}
	} else {
		w.fourcc("sprs")
		w.u64(uint64(2 * nonEmpty))
		for l := 0; l < nlist; l++ {
			if n := size(l); n > 0 {
				w.u64(uint64(l))
				w.u64(uint64(n))
			}
		}
	}
}

func readIVF(r *reader, code string, depth int) core.Index {
	h := readHeader(r)
	// Lists cost memory before any is read: more than a million of them
	// only from a file large enough to hold their centroids.
	nlist := r.size("nlist", 1, uint64(min(maxNlist, max(1<<20, len(r.b)))))
	nprobe := r.size("nprobe", 1, math.MaxInt32)
	quantizer := read(r, depth+1)
	dmType := int(r.u8("the direct map type"))
	r.int64s(r.count(8, "the direct map"), "the direct map") // rebuilt from the lists
	if dmType == 2 {
		r.int64s(r.count(16, "the direct map's pairs")*2, "the direct map's pairs")
	}
	var instances []int64
	if code == codeIVFDedup {
		instances = r.int64s(r.count(8, "the instances"), "the instances")
		if r.err == nil && len(instances)%2 != 0 {
			r.fail("the instances hold %d ids, not pairs", len(instances))
		}
	}
	if r.err != nil {
		return nil
	}
	if quantizer.D() != h.d {
		r.fail("the quantizer has d=%d, the index d=%d", quantizer.D(), h.d)
		return nil
	}
	var ix *core.IndexIVF
	var err error
	var byResidual bool
	switch code {
	case codeIVFPQFS:
		return readIVFFastScan(r, h, quantizer, nlist, nprobe, dmType)
	case codeIVFRaBitQFS:
		return readIVFRaBitQFastScan(r, h, quantizer, nlist, nprobe, dmType)
	case codeIVFRQFastScan, codeIVFLSQFastScan, codeIVFPRQFastScan, codeIVFPLSQFastScan:
		return readIVFAQFastScan(r, code, h, quantizer, nlist, nprobe, dmType)
	case codeIVFPQ, codeIVFPQR:
		byResidual = r.u8("by_residual") != 0
		r.size("code_size", 1, maxD)
		f := readPQFields(r)
		if r.err != nil {
			return nil
		}
		if code == codeIVFPQR { // the refine quantizer follows the lists
			ix, err = core.NewIndexIVFPQR(quantizer, h.d, nlist, f.m, f.nbits, 1, 8)
		} else {
			ix, err = core.NewIndexIVFPQ(quantizer, h.d, nlist, f.m, f.nbits, h.metric)
		}
		if err == nil && h.trained {
			err = ix.PQ().RestorePQ(f.centroids)
		}
	case codeIVFSQ:
		f := readSQFields(r)
		r.size("code_size", 0, 2*maxD)
		byResidual = r.u8("by_residual") != 0
		if r.err != nil {
			return nil
		}
		if ix, err = core.NewIndexIVFScalarQuantizer(quantizer, h.d, nlist, f.qtype, h.metric, byResidual); err == nil {
			err = ix.SQ().RestoreSQ(h.trained, f.trained)
		}
	case codeIVFRaBitQ, codeIVFRaBitQMulti:
		var qb int
		ix, qb = readIVFRaBitQFields(r, code, h, quantizer, nlist)
		if r.err != nil {
			return nil
		}
		byResidual = true
		ix.RaBitQ().Qb = qb
	case codeIVFRQ, codeIVFPRQ, codeIVFLSQ, codeIVFPLQ:
		if ix, byResidual = readIVFAQFields(r, code, h, quantizer, nlist); ix == nil {
			return nil
		}
	case codeIVFSH:
		if ix = readIVFSpectralHash(r, h, quantizer, nlist, depth); ix == nil {
			return nil
		}
	case codeIVFDedup:
		ix, err = core.NewIndexIVFFlatDedup(quantizer, h.d, nlist, h.metric)
	case codeIVFPanorama, codeIVFPanoramaV1:
		return readIVFPanorama(r, code, h, quantizer, nlist, nprobe, dmType)
	default:
		ix, err = core.NewIndexIVFFlat(quantizer, h.d, nlist, h.metric)
	}
	if err != nil {
		r.fail("%v", err)
		return nil
	}
	cs, flat := listCodeSize(ix), !ix.Coded()
	if at := r.off; r.fourcc() == codeOnDiskLists {
		return readOnDiskIVF(r, ix, h.ntotal, nlist, cs, flat, nprobe, byResidual, dmType)
	} else {
		r.off = at
	}
	ids, vecs, codes := readLists(r, nlist, cs, flat)
	if code == codeIVFDedup { // ntotal counts the instances too
		if r.err != nil {
			return nil
		}
		pairs := make([][2]int64, len(instances)/2)
		for i := range pairs {
			pairs[i] = [2]int64{instances[2*i], instances[2*i+1]}
		}
		err := ix.RestoreIVF(nprobe, byResidual, ids, vecs, codes, dmType)
		if err == nil {
			err = ix.RestoreInstances(pairs, h.ntotal)
		}
		return restored(r, ix, err)
	}
	if !listsHold(r, ids, h.ntotal) {
		return nil
	}
	if err := ix.RestoreIVF(nprobe, byResidual, ids, vecs, codes, dmType); err != nil {
		r.fail("%v", err)
		return nil
	}
	if code == codeIVFPQR && !readPQRTail(r, ix, h.ntotal, h.trained) {
		return nil
	}
	ix.KeepAlive(r.keep)
	return ix
}

// readOnDiskIVF finishes an IVF index whose lists are in their own file.
func readOnDiskIVF(r *reader, ix *core.IndexIVF, ntotal int64, nlist, cs int, flat bool, nprobe int, byResidual bool,
	dmType int) core.Index {
	od := readOnDisk(r, nlist, cs)
	if r.err != nil {
		return nil
	}
	ids, vecs, codes, keep, err := LoadOnDisk(od, cs, flat, r.listsDir)
	if err != nil {
		r.fail("%v", err)
		return nil
	}
	if !listsHold(r, ids, ntotal) {
		return nil
	}
	if err := ix.RestoreIVF(nprobe, byResidual, ids, vecs, codes, dmType); err != nil {
		r.fail("%v", err)
		return nil
	}
	ix.KeepAlive(r.keep)
	ix.AttachOnDisk(od, keep)
	return ix
}

// readLists reads an "ilar" block of nlist lists of codes of cs bytes
// (flat: float vectors).
func readLists(r *reader, nlist, cs int, flat bool) ([][]int64, [][]float32, [][]byte) {
	at := r.off
	if c := r.fourcc(); r.err == nil && c != codeArrayLists {
		r.off = at
		r.fail("inverted lists of type %q are not supported (only %q)", printable(c), codeArrayLists)
		return nil, nil, nil
	}
	if n := r.size("the lists' nlist", uint64(nlist), uint64(nlist)); r.err == nil && n != nlist {
		return nil, nil, nil
	}
	r.size("the lists' code size", uint64(cs), uint64(cs))
	sizes := readListSizes(r, nlist)
	ids := make([][]int64, nlist)
	vecs := make([][]float32, nlist)
	codes := make([][]byte, nlist)
	for l := 0; l < nlist && r.err == nil; l++ {
		n := sizes[l]
		if n == 0 {
			continue
		}
		if n > uint64(len(r.b)-r.off)/(uint64(cs)+8) {
			r.fail("list %d claims %d entries of %d bytes, the file has %d bytes left", l, n, cs+8, len(r.b)-r.off)
			r.short = true
			break
		}
		if flat {
			vecs[l] = r.floats(n*uint64(cs)/4, "a list's vectors")
		} else {
			codes[l] = r.bytes(n*uint64(cs), "a list's codes")
		}
		ids[l] = r.int64s(n, "a list's ids")
	}
	return ids, vecs, codes
}

// readListSizes reads what writeListSizes writes.
func readListSizes(r *reader, nlist int) []uint64 {
	kind := r.fourcc()
	sizes := make([]uint64, nlist)
	switch {
	case r.err != nil:
		return sizes
	case kind == "full":
		vals := r.int64s(r.count(8, "the list sizes"), "the list sizes")
		if r.err == nil && len(vals) != nlist {
			r.fail("%d list sizes for nlist=%d", len(vals), nlist)
		}
		for i, v := range vals {
			sizes[min(i, nlist-1)] = uint64(v)
		}
	case kind == "sprs":
		vals := r.int64s(r.count(8, "the list sizes"), "the list sizes")
		if r.err == nil && len(vals)%2 != 0 {
			r.fail("an odd number (%d) of (list, size) values", len(vals))
		}
		for i := 0; r.err == nil && i+1 < len(vals); i += 2 {
			if vals[i] < 0 || vals[i] >= int64(nlist) {
				r.fail("list %d of %d", vals[i], nlist)
				break
			}
			sizes[vals[i]] = uint64(vals[i+1])
		}
	default:
		r.fail("list layout %q is neither %q nor %q", printable(kind), "full", "sprs")
	}
	return sizes
}

// listsHold checks that the lists read hold the header's ntotal entries.
func listsHold(r *reader, ids [][]int64, ntotal int64) bool {
	if r.err != nil {
		return false
	}
	var total int64
	for _, l := range ids {
		total += int64(len(l))
	}
	if total != ntotal {
		r.fail("the lists hold %d entries, the header says %d", total, ntotal)
		return false
	}
	return true
}
