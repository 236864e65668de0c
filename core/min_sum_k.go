package core

import (
	"math"
	"slices"
	"sort"
)

// minSumK finds the k smallest sums of M terms, term m taken from row m of
// a table (faiss's MinSumK, the multi-sequence algorithm of the inverted
// multi-index): each row is sorted (lazily), the smallest sum is the sum of
// the row minima, and a heap of candidate sums grows by the followers of
// each sum popped (one term moved to its next larger value). Sums are
// accumulated as faiss accumulates them (a popped sum plus the next
// difference), so that distances and their order are faiss's.
type minSumK struct {
	k, m, nbits, n int
	rows           []sortedRow
	heapVal        []float32
	heapID         []int64
	terms          []int64
}

// sortedRow is one table row in increasing order: a lazily sorted
// permutation (faiss's SemiSortedArray: 3 values first, then (k+1)*4-1)
// or a row already sorted (presorted, faiss's PreSortedArray).
type sortedRow struct {
	x         []float32
	perm      []int32
	sorted    int
	presorted bool
}

func newMinSumK(k, m, nbits, n int) *minSumK {
	s := &minSumK{k: k, m: m, nbits: nbits, n: n, rows: make([]sortedRow, m)}
	s.heapVal, s.heapID = make([]float32, 0, k*m), make([]int64, 0, k*m)
	s.terms = make([]int64, k)
	for i := range s.rows {
		s.rows[i].perm = make([]int32, n)
	}
	return s
}

func (r *sortedRow) init(x []float32, presorted bool) {
	r.x, r.presorted, r.sorted = x, presorted, 0
	if presorted {
		return
	}
	for i := range r.perm {
		r.perm[i] = int32(i)
	}
	r.grow(3)
}

// grow sorts the next values of the permutation, up to next: as faiss's
// partial_sort, a max-heap of the wanted size passes over the rest once
// (most values fail one comparison with its top), then sorts itself.
func (r *sortedRow) grow(next int) {
	rest := r.perm[r.sorted:]
	want := min(next, len(r.perm)) - r.sorted
	if want >= len(rest) {
		sort.Slice(rest, func(a, b int) bool { return r.x[rest[a]] < r.x[rest[b]] })
		r.sorted += len(rest)
		return
	}
	h, x := rest[:want], r.x
	for i := want/2 - 1; i >= 0; i-- {
		siftDownMax(h, x, i, want)
	}
	for i := want; i < len(rest); i++ {
		if x[rest[i]] < x[h[0]] {
			h[0], rest[i] = rest[i], h[0]
			siftDownMax(h, x, 0, want)
		}
	}
	for end := want - 1; end > 0; end-- { // heap sort: largest to the end
		h[0], h[end] = h[end], h[0]
		siftDownMax(h, x, 0, end)
	}
	r.sorted += want
}

// siftDownMax restores the max-heap (by x) of idx[:n] below position i.
func siftDownMax(idx []int32, x []float32, i, n int) {
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if c+1 < n && x[idx[c+1]] > x[idx[c]] {
			c++
		}
		if x[idx[c]] <= x[idx[i]] {
			return
		}
		idx[i], idx[c] = idx[c], idx[i]
		i = c
	}
}

func (r *sortedRow) at(i int) float32 {
	if r.presorted {
		return r.x[i]
	}
	if i >= r.sorted {
		r.grow((r.sorted+1)*4 - 1)
	}
	return r.x[r.perm[i]]
}

func (r *sortedRow) diff(i int) float32 { return r.at(i) - r.at(i-1) }

func (r *sortedRow) ord(i int) int64 {
	if r.presorted {
		return int64(i)
	}
	return int64(r.perm[i])
}

// run writes the k smallest sums of the m rows of x (row stride ld) into
// sums and their terms (term of row m in bits nbits*m) into terms.
func (s *minSumK) run(x []float32, ld int, presorted bool, sums []float32, terms []int64) {
	for m := range s.rows {
		s.rows[m].init(x[m*ld:m*ld+s.n], presorted)
	}
	s.heapVal, s.heapID = s.heapVal[:0], s.heapID[:0]
	var sum float32
	for m := range s.rows {
		sum += s.rows[m].at(0)
	}
	sums[0], s.terms[0] = sum, 0
	for m := range s.rows {
		if s.n > 1 {
			s.push(sum+s.rows[m].diff(1), s.weight(m))
		}
	}
	mask := int64(1)<<s.nbits - 1
	for k := 1; k < s.k; k++ {
		if len(s.heapVal) == 0 { // fewer than k sums exist: padding
			sums[k], s.terms[k] = math.MaxFloat32, -1
			continue
		}
		sum, ti := s.heapVal[0], s.heapID[0]
		sums[k], s.terms[k] = sum, ti
		for {
			s.pop()
			if len(s.heapVal) == 0 || s.heapID[0] != ti {
				break
			}
		}
		ii := ti
		for m := range s.rows {
			n := int(ii & mask)
			ii >>= s.nbits
			if n+1 < s.n {
				s.push(sum+s.rows[m].diff(n+1), ti+s.weight(m))
			}
		}
	}
	for k := range s.k {
		ii := s.terms[k]
		if ii < 0 {
			terms[k] = -1
			continue
		}
		var t int64
		for m := range s.rows {
			t += s.rows[m].ord(int(ii&mask)) << (s.nbits * m)
			ii >>= s.nbits
		}
		terms[k] = t
	}
}

func (s *minSumK) weight(m int) int64 { return int64(1) << (m * s.nbits) }

// before is faiss's CMin::cmp2: smaller value first, then smaller id.
func before(va float32, ia int64, vb float32, ib int64) bool {
	return va < vb || (va == vb && ia < ib)
}

// push and pop are faiss's heap_push / heap_pop (1-based binary heap), so
// that equal sums leave the heap in faiss's order.
func (s *minSumK) push(v float32, id int64) {
	s.heapVal, s.heapID = append(s.heapVal, 0), append(s.heapID, 0)
	i := len(s.heapVal)
	for i > 1 {
		f := i >> 1
		if !before(v, id, s.heapVal[f-1], s.heapID[f-1]) {
			break
		}
		s.heapVal[i-1], s.heapID[i-1] = s.heapVal[f-1], s.heapID[f-1]
		i = f
	}
	s.heapVal[i-1], s.heapID[i-1] = v, id
}

func (s *minSumK) pop() {
	k := len(s.heapVal)
	val, id := s.heapVal[k-1], s.heapID[k-1]
	i := 1
	for {
		i1 := i << 1
		i2 := i1 + 1
		if i1 > k {
			break
		}
		c := i1
		if i2 != k+1 && !before(s.heapVal[i1-1], s.heapID[i1-1], s.heapVal[i2-1], s.heapID[i2-1]) {
			c = i2
		}
		if before(val, id, s.heapVal[c-1], s.heapID[c-1]) {
			break
		}
		s.heapVal[i-1], s.heapID[i-1] = s.heapVal[c-1], s.heapID[c-1]
		i = c
	}
	s.heapVal[i-1], s.heapID[i-1] = s.heapVal[k-1], s.heapID[k-1]
	s.heapVal, s.heapID = slices.Delete(s.heapVal, k-1, k), slices.Delete(s.heapID, k-1, k)
}
