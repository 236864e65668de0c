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
)

func rbqCode(q *core.RaBitQuantizer, one, multi string) string {
	if q.NbBits == 1 {
		return one
	}
	return multi
}

func writeRaBitQFields(w *writer, q *core.RaBitQuantizer) {
	w.u64(uint64(q.D))
	w.u64(uint64(q.CodeSize))
	w.i32(int32(q.Metric))
	if q.NbBits > 1 {
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
		nb = r.size("nb_bits", 2, 9)
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
	writeRaBitQFields(w, ix.RBQ)
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
