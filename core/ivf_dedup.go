package core

import (
	"math"
	"slices"
)

// IndexIVFFlatDedup is an IVFFlat index that stores a vector once (faiss's
// IndexIVFFlatDedup): a vector identical, bit for bit, to one already in
// its list is not stored; its id becomes an instance of the stored one,
// and searches return the instances right after it, at its distance.
// Training skips repeated vectors too. faiss has no range search, direct
// map, update or merge for this index, and neither has metalfaiss.

// ivfDedup holds the instances: for each stored id, the ids of the
// identical vectors added after it, in the order added.
type ivfDedup struct {
	instances map[int64][]int64
}

// NewIndexIVFFlatDedup makes an empty IndexIVFFlatDedup.
func NewIndexIVFFlatDedup(quantizer Index, d, nlist int, metric Metric) (*IndexIVF, error) {
	ix, err := newIndexIVF("IndexIVFFlatDedup", quantizer, d, nlist, metric, nil)
	if err == nil {
		ix.dedup = &ivfDedup{instances: map[int64][]int64{}}
	}
	return ix, err
}

// IsDedup reports whether the index is an IndexIVFFlatDedup.
func (ix *IndexIVF) IsDedup() bool { return ix.dedup != nil }

// refuseDedup is the error of the operations IndexIVFFlatDedup lacks.
func (ix *IndexIVF) refuseDedup(op string) error {
	if ix.dedup == nil {
		return nil
	}
	return Errorf(KindUnsupported, op, "not implemented for IndexIVFFlatDedup (nor in faiss)")
}

// Instances returns the (stored id, duplicate id) pairs, by stored id.
func (ix *IndexIVF) Instances() [][2]int64 {
	if ix.dedup == nil {
		return nil
	}
	keys := make([]int64, 0, len(ix.dedup.instances))
	for k := range ix.dedup.instances {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out [][2]int64
	for _, k := range keys {
		for _, v := range ix.dedup.instances[k] {
			out = append(out, [2]int64{k, v})
		}
	}
	return out
}

// RestoreInstances sets the instances of a dedup index from pairs, and
// ntotal (stored vectors and instances, as faiss counts them).
func (ix *IndexIVF) RestoreInstances(pairs [][2]int64, ntotal int64) error {
	if ix.dedup == nil {
		return Errorf(KindInvalidArgument, ix.name, "only an IndexIVFFlatDedup has instances")
	}
	if stored := ix.lists.total(); ntotal < stored {
		return Errorf(KindInvalidArgument, ix.name, "ntotal=%d is below the %d vectors stored", ntotal, stored)
	}
	ix.dedup.instances = map[int64][]int64{}
	for _, p := range pairs {
		ix.dedup.instances[p[0]] = append(ix.dedup.instances[p[0]], p[1])
	}
	ix.ntotal = ntotal
	return nil
}

// sameBits reports whether a and b hold the same float bits.
func sameBits(a, b []float32) bool {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}

// dedupTraining returns the rows of x that repeat no earlier row, in order.
func dedupTraining(x []float32, d int) []float32 {
	seen := map[uint64][]int{} // hash of the bits -> rows kept with it
	var out []float32
	for i := 0; i < len(x)/d; i++ {
		row := x[i*d : (i+1)*d]
		h := uint64(14695981039346656037)
		for _, v := range row {
			h = (h ^ uint64(math.Float32bits(v))) * 1099511628211
		}
		dup := false
		for _, k := range seen[h] {
			if sameBits(out[k*d:(k+1)*d], row) {
				dup = true
				break
			}
		}
		if !dup {
			seen[h] = append(seen[h], len(out)/d)
			out = append(out, row...)
		}
	}
	return out
}

// storedTwin returns the id of the vector of list identical to v, if any.
func (ix *IndexIVF) storedTwin(list int, v []float32) (int64, bool) {
	l := &ix.lists.lists[list]
	for j, id := range l.ids {
		if sameBits(l.vecs[j*ix.d:(j+1)*ix.d], v) {
			return id, true
		}
	}
	return 0, false
}

// expandDuplicates rewrites each result row as faiss does: from the first
// result with instances on, every result is followed by its instances at
// its distance, until the row is full.
func (ix *IndexIVF) expandDuplicates(nq, k int, dist []float32, labels []int64) {
	if ix.dedup == nil || len(ix.dedup.instances) == 0 {
		return
	}
	l2, d2 := make([]int64, k), make([]float32, k)
	for q := 0; q < nq; q++ {
		ls, ds := labels[q*k:(q+1)*k], dist[q*k:(q+1)*k]
		j0 := slices.IndexFunc(ls, func(id int64) bool { return len(ix.dedup.instances[id]) > 0 })
		if j0 < 0 {
			continue
		}
		j := j0
		for rp := j0; j < k; rp++ {
			l2[j], d2[j] = ls[rp], ds[rp]
			j++
			for _, dup := range ix.dedup.instances[ls[rp]] {
				if j == k {
					break
				}
				l2[j], d2[j] = dup, ds[rp]
				j++
			}
		}
		copy(ls[j0:], l2[j0:])
		copy(ds[j0:], d2[j0:])
	}
}

// removeDedup removes the selected ids: a removed stored vector whose
// instances survive stays under the first survivor, which takes the others
// as instances. ntotal drops by the stored vectors removed only, as in
// faiss.
func (ix *IndexIVF) removeDedup(sel IDSelector) int64 {
	replace := map[int64]int64{}
	kept := map[int64][]int64{}
	for stored, dups := range ix.dedup.instances {
		var survivors []int64
		for _, d := range dups {
			if !sel.IsMember(d) {
				survivors = append(survivors, d)
			}
		}
		switch {
		case !sel.IsMember(stored):
			if len(survivors) > 0 {
				kept[stored] = survivors
			}
		case len(survivors) > 0:
			replace[stored] = survivors[0]
			if len(survivors) > 1 {
				kept[survivors[0]] = survivors[1:]
			}
		}
	}
	ix.dedup.instances = kept
	for li := range ix.lists.lists {
		ids := ix.lists.lists[li].ids
		for j, id := range ids {
			if r, ok := replace[id]; ok {
				ids[j] = r
			}
		}
	}
	n := ix.lists.removeIf(sel, ix.CodeSize())
	ix.listsChanged()
	ix.ntotal -= n
	return n
}
