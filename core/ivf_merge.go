package core

import "fmt"

// CheckCompatibleForMerge says whether other's entries can join ix's
// lists as they are: the same kind of IVF index, dimension, metric, nlist,
// code size and residual coding, and no direct maps (faiss's
// check_compatible_for_merge). The quantizers and codecs are taken to be
// the same (trained alike), as faiss takes them.
func (ix *IndexIVF) CheckCompatibleForMerge(other *IndexIVF) error {
	op := ix.name + ".merge_from"
	switch {
	case other == ix:
		return Errorf(KindInvalidArgument, op, "cannot merge an index into itself")
	case other.name != ix.name || fmt.Sprintf("%T", other.codec) != fmt.Sprintf("%T", ix.codec):
		return Errorf(KindInvalidArgument, op, "cannot merge a %s into a %s", other.name, ix.name)
	case other.d != ix.d || other.nlist != ix.nlist || other.metric != ix.metric:
		return Errorf(KindInvalidArgument, op, "d, nlist and metric differ: (%d, %d, %d) and (%d, %d, %d)",
			ix.d, ix.nlist, ix.metric, other.d, other.nlist, other.metric)
	case ix.pano != nil && other.pano != nil && ix.pano.p != other.pano.p:
		return Errorf(KindInvalidArgument, op, "Panorama layouts differ: %d levels in batches of %d and %d in batches of %d",
			ix.pano.p.nLevels, ix.pano.p.batch, other.pano.p.nLevels, other.pano.p.batch)
	case other.CodeSize() != ix.CodeSize() || other.ByResidual != ix.ByResidual:
		return Errorf(KindInvalidArgument, op, "code sizes (%d, %d) or residual coding differ",
			ix.CodeSize(), other.CodeSize())
	case ix.directMap.kind != directMapNone || other.directMap.kind != directMapNone:
		return Errorf(KindUnsupported, op, "indexes with a direct map cannot be merged (as in faiss): drop it first")
	}
	return nil
}

// MergeFrom moves every entry of other into ix, list by list (appended to
// ix's), its id increased by addID; other is left empty (faiss's
// IndexIVF::merge_from).
func (ix *IndexIVF) MergeFrom(other *IndexIVF, addID int64) error {
	if err := ix.CheckCompatibleForMerge(other); err != nil {
		return err
	}
	if err := ix.refuseDedup(ix.name + ".merge_from"); err != nil {
		return err
	}
	if (ix.pqr == nil) != (other.pqr == nil) || (ix.pqr != nil && addID != ix.ntotal) {
		return Errorf(KindInvalidArgument, ix.name+".merge_from",
			"an IndexIVFPQR merges only another IndexIVFPQR, with add_id = ntotal (%d): its refine codes are found by id", ix.ntotal)
	}
	if ix.pqr != nil {
		ix.pqr.merge(other.pqr)
	}
	ix.listsChanged()
	for l := range ix.lists.lists {
		src := &other.lists.lists[l]
		dst := &ix.lists.lists[l]
		dst.gen++
		for _, id := range src.ids {
			dst.ids = append(dst.ids, id+addID)
		}
		dst.vecs = append(dst.vecs, src.vecs...)
		dst.norms = append(dst.norms, src.norms...)
		dst.codes = append(dst.codes, src.codes...)
	}
	ix.ntotal += other.ntotal
	other.Reset()
	return nil
}

// The subsets CopySubsetTo copies (faiss's InvertedLists::subset_type_t).
const (
	SubsetIDRange      = 0 // a1 <= id < a2
	SubsetIDMod        = 1 // id % a1 == a2
	SubsetElementRange = 2 // entries a1..a2-1 of all, each list giving its share
	SubsetListFraction = 3 // part a2 of a1 equal parts of every list
	SubsetListRange    = 4 // a1 <= list < a2
)

// CopySubsetTo appends to other's lists the entries of ix's that the
// subset picks (ix is unchanged), as faiss's IndexIVF::copy_subset_to.
func (ix *IndexIVF) CopySubsetTo(other *IndexIVF, subset int, a1, a2 int64) error {
	op := ix.name + ".copy_subset_to"
	if err := other.CheckCompatibleForMerge(ix); err != nil {
		return err
	}
	if err := ix.refuseDedup(op); err != nil {
		return err
	}
	if (subset == SubsetIDMod || subset == SubsetListFraction) && a1 <= 0 {
		return Errorf(KindInvalidArgument, op, "a1 (a modulus or a number of parts) must be positive, got %d", a1)
	}
	if subset < SubsetIDRange || subset > SubsetListRange {
		return Errorf(KindInvalidArgument, op, "unknown subset type %d (0..4)", subset)
	}
	other.listsChanged()
	ntotal := ix.lists.total()
	var accuN, accuA1, accuA2 int64
	for l := range ix.lists.lists {
		src, dst := &ix.lists.lists[l], &other.lists.lists[l]
		n := int64(len(src.ids))
		keep := func(i int64) bool { return false }
		switch subset {
		case SubsetIDRange:
			keep = func(i int64) bool { return src.ids[i] >= a1 && src.ids[i] < a2 }
		case SubsetIDMod:
			keep = func(i int64) bool { return src.ids[i]%a1 == a2 }
		case SubsetElementRange:
			next := accuN + n
			nextA1, nextA2 := next*a1/max(ntotal, 1), next*a2/max(ntotal, 1)
			i1, i2 := nextA1-accuA1, nextA2-accuA2
			keep = func(i int64) bool { return i >= i1 && i < i2 }
			accuA1, accuA2 = nextA1, nextA2
		case SubsetListFraction:
			i1, i2 := n*a2/a1, n*(a2+1)/a1
			keep = func(i int64) bool { return i >= i1 && i < i2 }
		case SubsetListRange:
			in := int64(l) >= a1 && int64(l) < a2
			keep = func(int64) bool { return in }
		}
		accuN += n
		dst.gen++
		for i := int64(0); i < n; i++ {
			if !keep(i) {
				continue
			}
			dst.ids = append(dst.ids, src.ids[i])
			if ix.codec == nil {
				dst.vecs = append(dst.vecs, src.vecs[i*int64(ix.d):(i+1)*int64(ix.d)]...)
				if len(src.norms) == len(src.ids) {
					dst.norms = append(dst.norms, src.norms[i])
				}
			} else {
				cs := int64(ix.codec.codeSize())
				dst.codes = append(dst.codes, src.codes[i*cs:(i+1)*cs]...)
			}
			other.ntotal++
		}
	}
	return nil
}
