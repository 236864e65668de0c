package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// IndexPermuteEntries reorders the n vectors of index h: the new i-th is
// the old perm[i] (int64[n]).
func IndexPermuteEntries(h int64, perm uintptr, n int64) string {
	const op = "Index.permute_entries"
	return withIndex(op, h, true, func(ix core.Index) error {
		p, err := int64s(perm, n)
		if err != nil {
			return err
		}
		flat, ok := ix.(interface{ PermuteEntries([]int64) error }) // CPU and GPU flat indexes
		if !ok {
			return core.Errorf(core.KindUnsupported, op, "not supported by %T (IndexFlat is)", ix)
		}
		return flat.PermuteEntries(p)
	})
}

// IVFPermuteLists reorders the nlist lists of the IVF index h: the new
// list i is the old perm[i] (int64[n]).
func IVFPermuteLists(h int64, perm uintptr, n int64) string {
	const op = "InvertedLists.permute_invlists"
	return withIVF(op, h, true, func(ix *core.IndexIVF) error {
		p, err := int64s(perm, n)
		if err != nil {
			return err
		}
		return ix.PermuteLists(p)
	})
}
