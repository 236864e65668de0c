package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// IndexIVFPQRNew makes an IndexIVFPQR over the quantizer behind q and
// writes its handle to out (int64[1]).
func IndexIVFPQRNew(q, d, nlist, m, nbits, mRefine, nbitsRefine int64, out uintptr) string {
	const op = "IndexIVFPQR"
	return newIndexOver(op, out, []int64{q}, func() (core.Index, error) {
		quantizer, err := indexOf(op, q)
		if err != nil {
			return nil, err
		}
		return core.NewIndexIVFPQR(quantizer, int(d), int(nlist), int(m), int(nbits), int(mRefine), int(nbitsRefine))
	})
}

// IVFPQRRefinePQ writes a new handle to the refine quantizer of the
// IndexIVFPQR behind h to out (int64[1]).
func IVFPQRRefinePQ(h int64, out uintptr) string {
	return withPart("IndexIVFPQR.refine_pq", h, out, func(v any) (any, bool) {
		ivf, ok := asIVF(v)
		if !ok || ivf.PQR() == nil {
			return nil, false
		}
		return ivf.PQR().Refine, true
	})
}

// IVFPQRRefineCodes copies the refine codes (uint8[n], n = ntotal *
// refine code size) to out.
func IVFPQRRefineCodes(h, n int64, out uintptr) string {
	const op = "IndexIVFPQR.refine_codes"
	return withIndex(op, h, false, func(v core.Index) error {
		ivf, ok := asIVF(v)
		if !ok || ivf.PQR() == nil {
			return unsupported(op, v)
		}
		dst, err := bytesAt(out, n)
		if err != nil {
			return err
		}
		if int64(len(ivf.PQR().RefineCodes())) != n {
			return core.Errorf(core.KindDimensionMismatch, op, "the index holds %d bytes of refine codes, not %d", len(ivf.PQR().RefineCodes()), n)
		}
		copy(dst, ivf.PQR().RefineCodes())
		return nil
	})
}
