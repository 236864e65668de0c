package indexio

import "github.com/metalfaiss/metalfaiss/core"

// codeMultiIndex is faiss's MultiIndexQuantizer: the header, then the
// product quantizer (a MultiIndexQuantizer2 is written as one too, without
// its sub-space indexes, as faiss writes it).
const codeMultiIndex = "Imiq"

func writeMultiIndex(w *writer, q *core.MultiIndexQuantizer) {
	w.fourcc(codeMultiIndex)
	writeHeader(w, q)
	writePQFields(w, q.PQ)
}

func readMultiIndex(r *reader) core.Index {
	h := readHeader(r)
	f := readPQFields(r)
	if r.err != nil {
		return nil
	}
	if f.d != h.d {
		r.fail("the quantizer's d=%d differs from the index's %d", f.d, h.d)
		return nil
	}
	pq := f.quantizer(r, h.trained)
	if pq == nil {
		return nil
	}
	q, err := core.RestoreMultiIndexQuantizer(pq)
	if err == nil && h.ntotal != q.Ntotal() {
		r.fail("ntotal=%d, the multi-index of M=%d, nbits=%d (trained: %v) holds %d", h.ntotal, f.m, f.nbits, h.trained, q.Ntotal())
		return nil
	}
	return restored(r, q, err)
}
