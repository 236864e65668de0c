package core

// invertedList is one list of an IVF index: ids and their vectors, in the
// order they were added (faiss's ArrayInvertedLists for flat codes).
type invertedList struct {
	ids  []int64
	vecs []float32
}

// invertedLists are the nlist lists of an IVF index.
type invertedLists struct {
	d     int
	lists []invertedList
}

func newInvertedLists(nlist, d int) invertedLists {
	return invertedLists{d: d, lists: make([]invertedList, nlist)}
}

func (il *invertedLists) add(list int, id int64, v []float32) (offset int) {
	l := &il.lists[list]
	l.ids = append(l.ids, id)
	l.vecs = append(l.vecs, v...)
	return len(l.ids) - 1
}

func (il *invertedLists) size(list int) int { return len(il.lists[list].ids) }

func (il *invertedLists) total() int64 {
	var n int64
	for i := range il.lists {
		n += int64(len(il.lists[i].ids))
	}
	return n
}

func (il *invertedLists) reset() {
	for i := range il.lists {
		il.lists[i].ids, il.lists[i].vecs = il.lists[i].ids[:0], il.lists[i].vecs[:0]
	}
}

// removeIf deletes the entries whose id sel picks, keeping the others in
// order, and returns how many went.
func (il *invertedLists) removeIf(sel IDSelector) int64 {
	d := il.d
	var removed int64
	for li := range il.lists {
		l := &il.lists[li]
		kept := 0
		for i, id := range l.ids {
			if sel.IsMember(id) {
				continue
			}
			if kept != i {
				l.ids[kept] = id
				copy(l.vecs[kept*d:(kept+1)*d], l.vecs[i*d:(i+1)*d])
			}
			kept++
		}
		removed += int64(len(l.ids) - kept)
		l.ids, l.vecs = l.ids[:kept], l.vecs[:kept*d]
	}
	return removed
}

// imbalanceFactor is faiss's InvertedLists::imbalance_factor: nlist *
// sum(size^2) / ntotal^2; 1 when every list holds the same number.
func (il *invertedLists) imbalanceFactor() float64 {
	var tot, sq float64
	for i := range il.lists {
		n := float64(len(il.lists[i].ids))
		tot += n
		sq += n * n
	}
	if tot == 0 {
		return 0
	}
	return sq * float64(len(il.lists)) / (tot * tot)
}
