package core

import "fmt"

// IndexMerger is an index that can take over the entries of another of its
// kind, leaving that one empty (faiss's Index::merge_from).
type IndexMerger interface {
	MergeIndex(other Index, addID int64) error
}

var (
	_ IndexMerger = (*IndexFlat)(nil)
	_ IndexMerger = (*IndexPQ)(nil)
	_ IndexMerger = (*IndexScalarQuantizer)(nil)
	_ IndexMerger = (*IndexLSH)(nil)
	_ IndexMerger = (*IndexPreTransform)(nil)
	_ IndexMerger = (*IndexIDMap)(nil)
	_ IndexMerger = (*IndexIVF)(nil)
)

func mergeOp(ix Index) string { return fmt.Sprintf("%s.merge_from", typeName(ix)) }

// typeName is the faiss class name of an index, for messages.
func typeName(ix Index) string {
	if n, ok := ix.(interface{ Name() string }); ok {
		return n.Name()
	}
	return fmt.Sprintf("%T", ix)
}

// checkMergeable is what every merge asks: another index of the same d and
// metric, and (for indexes numbering their entries 0..ntotal-1) no id shift.
func checkMergeable(ix, other Index, addID int64, sequential bool) error {
	op := mergeOp(ix)
	switch {
	case other == ix:
		return Errorf(KindInvalidArgument, op, "cannot merge an index into itself")
	case other.D() != ix.D() || other.Metric() != ix.Metric():
		return Errorf(KindInvalidArgument, op, "d and metric differ: (%d, %s) and (%d, %s)",
			ix.D(), ix.Metric(), other.D(), other.Metric())
	case sequential && addID != 0:
		return Errorf(KindInvalidArgument, op, "cannot shift ids (add_id=%d): the entries are numbered in order", addID)
	}
	return nil
}

// MergeIndex appends the vectors of other (a flat index) and empties it.
func (ix *IndexFlat) MergeIndex(other Index, addID int64) error {
	if err := checkMergeable(ix, other, addID, true); err != nil {
		return err
	}
	o, ok := other.(vectorHolder)
	if !ok {
		return Errorf(KindInvalidArgument, mergeOp(ix), "cannot merge a %s into an IndexFlat", typeName(other))
	}
	if err := ix.Add(o.Vectors()); err != nil {
		return err
	}
	other.Reset()
	return nil
}

// flatCodesHolder gives the shared part of the code-storing indexes.
type flatCodesHolder interface{ flatCodes() *indexFlatCodes }

func (ix *indexFlatCodes) flatCodes() *indexFlatCodes { return ix }

func (ix *indexFlatCodes) mergeCodes(self, other Index, addID int64) error {
	if err := checkMergeable(self, other, addID, true); err != nil {
		return err
	}
	o, ok := other.(flatCodesHolder)
	if !ok || fmt.Sprintf("%T", o.flatCodes().codec) != fmt.Sprintf("%T", ix.codec) || o.flatCodes().CodeSize() != ix.CodeSize() {
		return Errorf(KindInvalidArgument, mergeOp(self), "cannot merge a %s into a %s (the codecs differ)", typeName(other), typeName(self))
	}
	ix.codes = append(ix.codes, o.flatCodes().codes...)
	ix.gen++
	other.Reset()
	return nil
}

// MergeIndex appends other's codes (a PQ index trained alike) and empties it.
func (ix *IndexPQ) MergeIndex(other Index, addID int64) error { return ix.mergeCodes(ix, other, addID) }

// MergeIndex appends other's codes (an SQ index trained alike) and empties it.
func (ix *IndexScalarQuantizer) MergeIndex(other Index, addID int64) error {
	return ix.mergeCodes(ix, other, addID)
}

// MergeIndex appends other's bit codes (an LSH index trained alike) and
// empties it.
func (ix *IndexLSH) MergeIndex(other Index, addID int64) error {
	if err := checkMergeable(ix, other, addID, true); err != nil {
		return err
	}
	o, ok := other.(*IndexLSH)
	if !ok || o.nbits != ix.nbits || o.RotateData != ix.RotateData {
		return Errorf(KindInvalidArgument, mergeOp(ix), "cannot merge a %s into an IndexLSH with nbits=%d", typeName(other), ix.nbits)
	}
	if err := ix.codes.Add(o.codes.Codes()); err != nil {
		return err
	}
	other.Reset()
	return nil
}

// MergeIndex merges the sub-index of other, whose transforms must be of
// the same kinds and sizes (trained alike), into this one's.
func (ix *IndexPreTransform) MergeIndex(other Index, addID int64) error {
	op := mergeOp(ix)
	if err := checkMergeable(ix, other, addID, false); err != nil {
		return err
	}
	o, ok := other.(*IndexPreTransform)
	if !ok || len(o.chain) != len(ix.chain) {
		return Errorf(KindInvalidArgument, op, "cannot merge a %s into an IndexPreTransform of %d transforms", typeName(other), len(ix.chain))
	}
	for i, t := range ix.chain {
		u := o.chain[i]
		if fmt.Sprintf("%T", t) != fmt.Sprintf("%T", u) || t.DIn() != u.DIn() || t.DOut() != u.DOut() {
			return Errorf(KindInvalidArgument, op, "transform %d differs: %T %d->%d and %T %d->%d", i, t, t.DIn(), t.DOut(), u, u.DIn(), u.DOut())
		}
	}
	return mergeInto(op, ix.sub, o.sub, addID)
}

// MergeIndex merges other's sub-index into this one's and appends its ids
// (increased by addID).
func (m *IndexIDMap) MergeIndex(other Index, addID int64) error {
	op := m.op("merge_from")
	if err := checkMergeable(m, other, addID, false); err != nil {
		return err
	}
	o, ok := other.(*IndexIDMap)
	if !ok {
		return Errorf(KindInvalidArgument, op, "cannot merge a %s into an %s", typeName(other), idMapName(m.two))
	}
	if err := m.checkInStep("merge_from"); err != nil {
		return err
	}
	start := m.sub.Ntotal()
	ids := make([]int64, len(o.IDMap))
	for i, id := range o.IDMap {
		ids[i] = id + addID
	}
	if err := mergeInto(op, m.sub, o.sub, 0); err != nil {
		return err
	}
	m.appendIDs(ids, start)
	o.clearIDs()
	return nil
}

// MergeIndex is MergeFrom for another IVF index.
func (ix *IndexIVF) MergeIndex(other Index, addID int64) error {
	o, ok := other.(*IndexIVF)
	if !ok {
		return Errorf(KindInvalidArgument, mergeOp(ix), "cannot merge a %s into a %s", typeName(other), ix.name)
	}
	return ix.MergeFrom(o, addID)
}

// mergeInto merges other into ix when ix can merge.
func mergeInto(op string, ix, other Index, addID int64) error {
	m, ok := ix.(IndexMerger)
	if !ok {
		return Errorf(KindUnsupported, op, "merge_from is not supported by %s", typeName(ix))
	}
	return m.MergeIndex(other, addID)
}

// MergeIndexes merges other into ix (faiss's merge_from on any index).
func MergeIndexes(ix, other Index, addID int64) error {
	if sameIndex(ix, other) {
		return Errorf(KindInvalidArgument, mergeOp(ix), "cannot merge an index into itself")
	}
	return mergeInto(mergeOp(ix), ix, other, addID)
}

// sameIndex reports whether a and b are one index, seeing through a GPU
// flat index to its host copy (whose methods a merge runs on).
func sameIndex(a, b Index) bool {
	host := func(x Index) Index {
		if h, ok := x.(interface{ Host() *IndexFlat }); ok {
			return h.Host()
		}
		return x
	}
	return a == b || host(a) == host(b)
}
