package core

// ListStamp identifies the state of one inverted list: any change to the
// list (entries added, removed, replaced, the list restored or read from
// a file) gives it another stamp. Device copies of the lists compare
// stamps to know what to send again.
type ListStamp struct {
	gen   uint64
	n     int
	ids   *int64
	vecs  *float32
	codes *byte
}

// ListStamp returns list l's stamp.
func (ix *IndexIVF) ListStamp(l int) ListStamp {
	lst := &ix.lists.lists[l]
	return ListStamp{gen: lst.gen, n: len(lst.ids), ids: firstOf(lst.ids), vecs: firstOf(lst.vecs), codes: firstOf(lst.codes)}
}
