package indexio

import "github.com/metalfaiss/metalfaiss/core"

// The RaBitQ indexes. One-bit indexes keep faiss's first codes (Ixrq,
// Iwrq), whose quantizer fields lack nb_bits; multi-bit ones use Ixrr and
// Iwrr. After the quantizer: IndexRaBitQ's codes, center and qb; the IVF
// index's code_size, by_residual, qb and its lists.

const (
	codeRaBitQ         = "Ixrq"
	codeRaBitQMulti    = "Ixrr"
	codeIVFRaBitQ      = "Iwrq"
	codeIVFRaBitQMulti = "Iwrr"
	codeRaBitQFS       = "Irfn" // the fast-scan ones: nb_bits always written
	codeIVFRaBitQFS    = "Iwrn"
)

func rbqCode(q *core.RaBitQuantizer, one, multi string) string {
	if q.NbBits == 1 {
		return one
	}
	return multi
}

func writeRaBitQFields(w *writer, q *core.RaBitQuantizer, withNbBits bool) {
	w.u64(uint64(q.D))
	w.u64(uint64(q.CodeSize))
	w.i32(int32(q.Metric))
	if withNbBits {
		w.u64(uint64(q.NbBits))
	}
}

// readRaBitQFields reads the quantizer's fields and checks them against
// the index's header; it returns nb_bits.
func readRaBitQFields(r *reader, multi bool, h header) int {
	d := r.size("the quantizer's d", 1, maxD)
	cs := r.size("the quantizer's code_size", 1, 1<<30)
	metric := core.Metric(r.i32("the quantizer's metric"))
	nb := 1
	if multi {
		nb = r.size("nb_bits", 1, 9)
	}
	if r.err != nil {
		return 0
	}
	switch {
	case d != h.d:
		r.fail("the quantizer's d=%d differs from the index's %d", d, h.d)
	case metric != h.metric:
		r.fail("the quantizer's metric %d differs from the index's %d", metric, h.metric)
	case cs != core.RaBitQCodeSize(d, nb):
		r.fail("code_size %d does not match d=%d with %d bits (%d)", cs, d, nb, core.RaBitQCodeSize(d, nb))
	}
	return nb
}

func writeRaBitQ(w *writer, ix *core.IndexRaBitQ) {
	w.fourcc(rbqCode(ix.RBQ, codeRaBitQ, codeRaBitQMulti))
	writeHeader(w, ix)
	writeRaBitQFields(w, ix.RBQ, ix.RBQ.NbBits > 1)
	codes := ix.Codes()
	w.u64(uint64(len(codes)))
	w.b = append(w.b, codes...)
	c := ix.Center()
	w.u64(uint64(len(c)))
	w.floats(c)
	w.u8(uint8(ix.Qb))
}

func readRaBitQ(r *reader, code string) core.Index {
	h := readHeader(r)
	nb := readRaBitQFields(r, code == codeRaBitQMulti, h)
	codes := r.bytes(r.count(1, "the codes"), "the codes")
	center := r.floats(r.count(4, "the center"), "the center")
	qb := r.u8("qb")
	if r.err != nil {
		return nil
	}
	if qb > 8 {
		r.fail("qb must be 0..8, the file says %d", qb)
		return nil
	}
	ix, err := core.NewIndexRaBitQ(h.d, h.metric, nb)
	if err == nil {
		ix.Qb = int(qb)
		err = ix.Restore(h.trained, center, codes)
	}
	return restoredCodes(r, ix, err, h.ntotal)
}

// readIVFRaBitQFields reads what follows an IndexIVFRaBitQ's direct map up
// to its lists and makes the index; it returns qb too.
func readIVFRaBitQFields(r *reader, code string, h header, quantizer core.Index, nlist int) (*core.IndexIVF, int) {
	nb := readRaBitQFields(r, code == codeIVFRaBitQMulti, h)
	r.size("code_size", uint64(core.RaBitQCodeSize(h.d, max(nb, 1))), uint64(core.RaBitQCodeSize(h.d, max(nb, 1))))
	r.u8("by_residual") // RaBitQ codes are relative to their centroid either way
	qb := r.u8("qb")
	if r.err != nil {
		return nil, 0
	}
	if qb > 8 {
		r.fail("qb must be 0..8, the file says %d", qb)
		return nil, 0
	}
	ix, err := core.NewIndexIVFRaBitQ(quantizer, h.d, nlist, h.metric, nb)
	if err != nil {
		r.fail("%v", err)
		return nil, 0
	}
	return ix, int(qb)
}

func writeRaBitQFastScan(w *writer, ix *core.IndexRaBitQFastScan) {
	w.fourcc(codeRaBitQFS)
	writeHeader(w, ix)
	writeRaBitQFields(w, ix.RBQ, true)
	c := ix.Center()
	if c == nil {
		c = make([]float32, ix.D()) // faiss's untrained center: zeros
	}
	w.u64(uint64(len(c)))
	w.floats(c)
	w.u8(uint8(ix.Qb))
	w.i32(int32(ix.Bbs))
	n := int(ix.Ntotal())
	w.u64(uint64((n + ix.Bbs - 1) / ix.Bbs * ix.Bbs)) // ntotal2
	w.u64(uint64(ix.M2()))
	w.u64(uint64(ix.RBQ.CodeSize))
	blocks := ix.FaissBlocks()
	w.u64(uint64(len(blocks)))
	w.b = append(w.b, blocks...)
}

func readRaBitQFastScan(r *reader) core.Index {
	h := readHeader(r)
	nb := readRaBitQFields(r, true, h)
	center := r.floats(r.count(4, "the center"), "the center")
	qb := r.u8("qb")
	bbs := r.i32("bbs")
	r.u64("ntotal2")
	m2 := r.size("M2", 2, maxD+1)
	r.size("code_size", 1, 1<<30)
	blocks := r.bytes(r.count(1, "the codes"), "the codes")
	if r.err != nil {
		return nil
	}
	if qb < 1 || qb > 8 {
		r.fail("qb must be 1..8, the file says %d", qb)
		return nil
	}
	ix, err := core.NewIndexRaBitQFastScan(h.d, h.metric, int(bbs), nb)
	if err == nil && m2 != ix.M2() {
		err = core.Errorf(core.KindInvalidArgument, "IndexRaBitQFastScan", "M2=%d, expected %d for d=%d", m2, ix.M2(), h.d)
	}
	var codes []byte
	if err == nil {
		codes, err = core.RaBitQCodesFromBlocks(blocks, int(h.ntotal), h.d, nb, int(bbs))
	}
	if err == nil {
		ix.Qb = int(qb)
		err = ix.Restore(h.trained, center, codes)
	}
	return restoredCodes(r, ix, err, h.ntotal)
}

// writeIVFRaBitQFastScanFields writes what follows an
// IndexIVFRaBitQFastScan's direct map up to its lists.
func writeIVFRaBitQFastScanFields(w *writer, ix *core.IndexIVF) {
	q, fs := ix.RBQ(), ix.FastScan()
	writeRaBitQFields(w, q, true)
	w.u8(1) // by_residual
	w.u64(uint64(q.CodeSize))
	w.i32(int32(fs.Bbs))
	w.u64(uint64(fs.Qbs2))
	w.u64(uint64(fs.M2()))
	w.i32(int32(fs.Implem))
	w.u8(uint8(ix.RaBitQ().Qb))
	if ix.RaBitQ().Centered {
		w.u8(1)
	} else {
		w.u8(0)
	}
}

func readIVFRaBitQFastScan(r *reader, h header, quantizer core.Index, nlist, nprobe, dmType int) core.Index {
	nb := readRaBitQFields(r, true, h)
	r.u8("by_residual")
	r.size("code_size", 1, 1<<30)
	bbs := r.i32("bbs")
	qbs2 := r.size("qbs2", 0, 1<<30)
	m2 := r.size("M2", 2, maxD+1)
	implem := r.i32("implem")
	qb := r.u8("qb")
	centered := r.u8("centered") != 0
	if r.err != nil {
		return nil
	}
	if qb < 1 || qb > 8 {
		r.fail("qb must be 1..8, the file says %d", qb)
		return nil
	}
	ix, err := core.NewIndexIVFRaBitQFastScan(quantizer, h.d, nlist, h.metric, int(bbs), nb)
	if err == nil && m2 != ix.FastScan().M2() {
		err = core.Errorf(core.KindInvalidArgument, "IndexIVFRaBitQFastScan", "M2=%d, expected %d for d=%d", m2, ix.FastScan().M2(), h.d)
	}
	if err != nil {
		r.fail("%v", err)
		return nil
	}
	fs := ix.FastScan()
	fs.Implem, fs.Qbs2 = int(implem), qbs2
	ix.RaBitQ().Qb, ix.RaBitQ().Centered = int(qb), centered
	cs, sb := ix.RBQ().CodeSize, (h.d+7)/8
	ids, codes := readBlockLists(r, nlist, int(bbs), int(bbs)*m2/2+int(bbs)*(cs-sb), func(blocks []byte, n int) ([]byte, error) {
		return core.RaBitQCodesFromBlocks(blocks, n, h.d, nb, int(bbs))
	})
	if r.err != nil || !listsHold(r, ids, h.ntotal) {
		return nil
	}
	if err := ix.RestoreIVF(nprobe, true, ids, nil, codes, dmType); err != nil {
		r.fail("%v", err)
		return nil
	}
	return ix
}
