package pyapi

import "github.com/metalfaiss/metalfaiss/core"

// ivfPair runs fn on the IVF indexes behind h and other, both locked.
func ivfPair(op string, h, other int64, fn func(ix, ot *core.IndexIVF) error) string {
	return joinFamily(op, h, other, func(a, b any) error {
		ix, ok := asIVF(a)
		ot, ok2 := asIVF(b)
		if !ok || !ok2 {
			return core.Errorf(core.KindInvalidArgument, op, "both indexes must be IVF indexes, got %T and %T", a, b)
		}
		return fn(ix, ot)
	})
}

// IVFMergeFrom moves the entries of IVF index other into h, ids increased
// by addID; other is left empty.
func IVFMergeFrom(h, other, addID int64) string {
	return ivfPair("IndexIVF.merge_from", h, other, func(ix, ot *core.IndexIVF) error { return ix.MergeFrom(ot, addID) })
}

// IVFCheckCompatibleForMerge fails unless other's entries can join h's.
func IVFCheckCompatibleForMerge(h, other int64) string {
	return ivfPair("IndexIVF.check_compatible_for_merge", h, other, func(ix, ot *core.IndexIVF) error {
		return ix.CheckCompatibleForMerge(ot)
	})
}

// IVFCopySubsetTo appends the entries of h that the subset (type, a1, a2)
// picks to the IVF index other.
func IVFCopySubsetTo(h, other, subset, a1, a2 int64) string {
	return ivfPair("IndexIVF.copy_subset_to", h, other, func(ix, ot *core.IndexIVF) error {
		return ix.CopySubsetTo(ot, int(subset), a1, a2)
	})
}

// IndexMergeFrom moves the entries of the index behind other into the one
// behind h (any kind that merges: flat, PQ, SQ, LSH, pre-transformed, id
// maps, IVF), ids increased by addID where the index keeps ids.
func IndexMergeFrom(h, other, addID int64) string {
	const op = "Index.merge_from"
	return joinFamily(op, h, other, func(a, b any) error {
		ix, ok := a.(core.Index)
		ot, ok2 := b.(core.Index)
		if !ok || !ok2 {
			return core.Errorf(core.KindInvalidArgument, op, "both handles must be indexes, got %T and %T", a, b)
		}
		return core.MergeIndexes(ix, ot, addID)
	})
}
