package indexio

import "github.com/metalfaiss/metalfaiss/core"

// codeTwoLayer is faiss's Index2Layer: the header, the coarse quantizer (an
// index), nlist, quantizer_trains_alone, the product quantizer, the three
// code sizes and the codes.
const codeTwoLayer = "Ix2L"

func writeTwoLayer(w *writer, ix *core.Index2Layer) error {
	w.fourcc(codeTwoLayer)
	writeHeader(w, ix)
	l := ix.Layers()
	if err := write(w, l.Quantizer); err != nil {
		return err
	}
	w.u64(uint64(l.Nlist))
	w.u8(uint8(l.QuantizerTrainsAlone))
	writePQFields(w, l.PQ)
	cs1, cs2 := ix.CodeSizes()
	w.u64(uint64(cs1))
	w.u64(uint64(cs2))
	w.u64(uint64(cs1 + cs2))
	w.bytes(ix.Codes())
	return nil
}

func readTwoLayer(r *reader, depth int) core.Index {
	h := readHeader(r)
	q := read(r, depth+1)
	nlist := r.size("nlist", 1, 1<<48)
	alone := int(r.u8("quantizer_trains_alone"))
	f := readPQFields(r)
	cs1 := r.size("code_size_1", 0, 8)
	cs2 := r.size("code_size_2", 0, 1<<20)
	cs := r.size("code_size", 0, 1<<21)
	codes := r.bytes(r.count(1, "the codes"), "the codes")
	if r.err != nil {
		return nil
	}
	if q.D() != h.d || f.d != h.d {
		r.fail("the quantizer (d=%d) and product quantizer (d=%d) must have the index's d=%d", q.D(), f.d, h.d)
		return nil
	}
	pq := f.quantizer(r, h.trained)
	if pq == nil {
		return nil
	}
	ix, err := core.RestoreIndex2Layer(q, nlist, alone, pq, h.metric, h.trained, codes)
	if err == nil {
		if a, b := ix.CodeSizes(); a != cs1 || b != cs2 || a+b != cs {
			r.fail("code sizes %d + %d = %d, nlist=%d and the quantizer give %d + %d", cs1, cs2, cs, nlist, a, b)
			return nil
		}
	}
	return restoredCodes(r, ix, err, h.ntotal)
}
