package core

// ListView limits what searches see of an IVF index's lists without
// changing them (faiss's StopWordsInvertedLists and CappedInvertedLists,
// which wrap the lists an index holds): adds, removals and files go to
// the full lists.
type ListView struct {
	Kind  ListViewKind
	Limit int
}

// ListViewKind picks the view.
type ListViewKind int

const (
	// ViewAll shows every list whole.
	ViewAll ListViewKind = iota
	// ViewStopWords hides the lists holding Limit entries or more (faiss:
	// a list is seen when its size is below maxsize).
	ViewStopWords
	// ViewCapped shows the first Limit entries of each list.
	ViewCapped
)

// SetListView installs a view (ViewAll removes it).
func (ix *IndexIVF) SetListView(v ListView) error {
	const op = "IndexIVF.replace_invlists"
	switch {
	case v.Kind < ViewAll || v.Kind > ViewCapped:
		return Errorf(KindInvalidArgument, op, "unknown list view %d", v.Kind)
	case v.Kind != ViewAll && v.Limit < 0:
		return Errorf(KindInvalidArgument, op, "the view's limit must be >= 0, got %d", v.Limit)
	}
	ix.view = v
	return nil
}

// ListView returns the view searches see the lists through.
func (ix *IndexIVF) ListView() ListView { return ix.view }

// viewSize is the number of entries of list l searches see.
func (ix *IndexIVF) viewSize(l int) int {
	n := ix.lists.size(l)
	switch ix.view.Kind {
	case ViewStopWords:
		if n >= ix.view.Limit {
			return 0
		}
	case ViewCapped:
		return min(n, ix.view.Limit)
	}
	return n
}

// viewList is list l as searches see it: the list itself, or its first
// viewSize entries.
func (ix *IndexIVF) viewList(l int) *invertedList {
	full := &ix.lists.lists[l]
	n := ix.viewSize(l)
	if n == len(full.ids) {
		return full
	}
	v := &invertedList{ids: full.ids[:n]}
	if full.vecs != nil {
		v.vecs, v.norms = full.vecs[:n*ix.d], full.norms[:n]
	}
	if full.codes != nil {
		cs := len(full.codes) / max(1, len(full.ids))
		v.codes = full.codes[:n*cs]
	}
	return v
}
