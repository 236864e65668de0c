package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// IndexReconstructIDs writes the vectors of the n ids at ids (int64; -1
// gives NaNs) into out (float32[n*d]).
func IndexReconstructIDs(h, n int64, ids, out uintptr) string {
	const op = "Index.reconstruct_batch"
	return withIndex(op, h, false, func(ix core.Index) error {
		is, err := int64s(ids, n)
		if err != nil {
			return err
		}
		o, err := floats(out, n*int64(ix.D()))
		if err != nil {
			return err
		}
		return core.ReconstructIDs(ix, is, o)
	})
}
