package core

import (
	"slices"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// invertedList is one list of an IVF index: ids and their vectors (flat
// lists) or codes, in the order they were added (faiss's
// ArrayInvertedLists).
type invertedList struct {
	ids   []int64
	vecs  []float32
	codes []byte
	// norms holds the squared norm of each flat vector, kept with the
	// vectors so that batched L2 scans do not recompute them per search.
	norms []float32
	// gen counts the changes to the list (what a packed copy checks).
	gen uint64
}

// invertedLists are the nlist lists of an IVF index.
type invertedLists struct {
	d     int
	lists []invertedList
}

func newInvertedLists(nlist, d int) invertedLists {
	return invertedLists{d: d, lists: make([]invertedList, nlist)}
}

// reserve grows each list once for the entries a batch brings to it
// (assign holds the batch's lists, -1 for none), instead of by doubling
// as the entries arrive; codeSize is 0 for flat lists.
func (il *invertedLists) reserve(assign []int64, codeSize int) {
	counts := make([]int, len(il.lists))
	for _, l := range assign {
		if l >= 0 {
			counts[l]++
		}
	}
	for i, n := range counts {
		if n == 0 {
			continue
		}
		l := &il.lists[i]
		l.ids = slices.Grow(l.ids, n)
		if codeSize == 0 {
			l.vecs = slices.Grow(l.vecs, n*il.d)
			l.norms = slices.Grow(l.norms, n)
		} else {
			l.codes = slices.Grow(l.codes, n*codeSize)
		}
	}
}

func (il *invertedLists) add(list int, id int64, v []float32) (offset int) {
	l := &il.lists[list]
	l.gen++
	l.ids = append(l.ids, id)
	l.vecs = append(l.vecs, v...)
	var norm [1]float32
	kernels.Norms(v, il.d, norm[:])
	l.norms = append(l.norms, norm[0])
	return len(l.ids) - 1
}

func (il *invertedLists) addCode(list int, id int64, code []byte) (offset int) {
	l := &il.lists[list]
	l.gen++
	l.ids = append(l.ids, id)
	l.codes = append(l.codes, code...)
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
		l := &il.lists[i]
		l.gen++
		l.ids, l.vecs, l.codes, l.norms = l.ids[:0], l.vecs[:0], l.codes[:0], l.norms[:0]
	}
}

// removeIf deletes the entries whose id sel picks, keeping the others in
// order, and returns how many went. cs is the code size (coded lists).
func (il *invertedLists) removeIf(sel IDSelector, cs int) int64 {
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
				if len(l.codes) > 0 {
					copy(l.codes[kept*cs:(kept+1)*cs], l.codes[i*cs:(i+1)*cs])
				} else {
					copy(l.vecs[kept*d:(kept+1)*d], l.vecs[i*d:(i+1)*d])
					l.norms[kept] = l.norms[i]
				}
			}
			kept++
		}
		removed += int64(len(l.ids) - kept)
		l.gen++
		l.ids = l.ids[:kept]
		if len(l.codes) > 0 {
			l.codes = l.codes[:kept*cs]
		} else {
			l.vecs, l.norms = l.vecs[:kept*d], l.norms[:kept]
		}
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

// setFlat installs the vectors of a flat list (read from a file) with
// their norms.
func (il *invertedLists) setFlat(list int, ids []int64, vecs []float32) {
	l := &il.lists[list]
	l.gen++
	l.ids, l.vecs = ids, vecs
	l.norms = make([]float32, len(ids))
	kernels.Norms(vecs, il.d, l.norms)
}

// IDsSorted reports whether every list holds its ids in increasing order
// (faiss's check_ids_sorted), as adding ids in increasing order gives.
func (ix *IndexIVF) IDsSorted() bool {
	for i := range ix.lists.lists {
		if !slices.IsSorted(ix.lists.lists[i].ids) {
			return false
		}
	}
	return true
}
