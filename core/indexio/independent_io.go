package indexio

import "github.com/metalfaiss/metalfaiss/core"

// IndexIVFIndependentQuantizer in faiss's format ("IwIQ"): header, the
// quantizer, a flag and the transform when there is one, the IVF index,
// then IVFPQ's use_precomputed_table.

const codeIVFIndependent = "IwIQ"

func writeIVFIndependent(w *writer, ix *core.IndexIVFIndependentQuantizer) error {
	w.fourcc(codeIVFIndependent)
	writeHeader(w, ix)
	if err := write(w, ix.Quantizer()); err != nil {
		return err
	}
	writeBool(w, ix.Transform() != nil)
	if t := ix.Transform(); t != nil {
		if err := writeTransform(w, t); err != nil {
			return err
		}
	}
	if err := write(w, ix.IVF()); err != nil {
		return err
	}
	if ix.IVF().PQ() != nil {
		w.i32(int32(ix.IVF().UsePrecomputedTable))
	}
	return nil
}

func readIVFIndependent(r *reader, depth int) core.Index {
	h := readHeader(r)
	quantizer := read(r, depth+1)
	var vt core.VectorTransform
	if r.u8("the transform flag") != 0 {
		vt = readTransform(r, 0)
	}
	sub := read(r, depth+1)
	if r.err != nil {
		return nil
	}
	ivf, ok := sub.(*core.IndexIVF)
	if !ok {
		r.fail("IndexIVFIndependentQuantizer holds a %s where an IVF index is needed", typeName(sub))
		return nil
	}
	upt := int32(-1)
	if ivf.PQ() != nil {
		upt = r.i32("use_precomputed_table")
	}
	if r.err != nil {
		return nil
	}
	if quantizer.D() != h.d {
		r.fail("the quantizer has d=%d, the header %d", quantizer.D(), h.d)
		return nil
	}
	ix, err := core.NewIndexIVFIndependentQuantizer(quantizer, ivf, vt)
	if err == nil {
		ivf.UsePrecomputedTable = int(upt)
		err = ivf.RefreshTables()
	}
	return restored(r, ix, err)
}
