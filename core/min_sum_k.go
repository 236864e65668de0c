package core

import (
	"math"
	"slices"
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
	// packed (when the terms' ids fit 32 bits): the heap holds a sum's
	// order key above its id, one integer comparison a step. Entries that
	// compare equal are the same (sum, id), so any heap pops faiss's
	// sequence (but for a sum of -0 against one of +0, which faiss orders
	// by id).
	packed []uint64
	pack   bool
	terms  []int64
}

// sortedRow is one table row in increasing order: a lazily sorted
// permutation (faiss's SemiSortedArray: 3 values first, then (k+1)*4-1)
// or a row already sorted (presorted, faiss's PreSortedArray). The
// permutation holds keys, a value's order-preserving bits above its
// position, so that sorting compares integers without reading the row.
type sortedRow struct {
	x         []float32
	keys      []uint64
	sorted    int
	presorted bool
	// limit bounds the lazy growth: the k smallest sums use positions
	// below k of each row, and the search reads one past them.
	limit int
}

func newMinSumK(k, m, nbits, n int) *minSumK {
	s := &minSumK{k: k, m: m, nbits: nbits, n: n, rows: make([]sortedRow, m)}
	s.pack = m*nbits <= 32
	if s.pack {
		s.packed = make([]uint64, 0, k*m)
	} else {
		s.heapVal, s.heapID = make([]float32, 0, k*m), make([]int64, 0, k*m)
	}
	s.terms = make([]int64, k)
	for i := range s.rows {
		s.rows[i].keys = make([]uint64, n)
		s.rows[i].limit = k + 1
	}
	return s
}

// orderKey is v's bits turned so that unsigned order is float order, above
// position i (equal values: the first position first).
func orderKey(v float32, i int) uint64 {
	b := math.Float32bits(v)
	if b&0x80000000 != 0 {
		b = ^b
	} else {
		b |= 0x80000000
	}
	return uint64(b)<<32 | uint64(uint32(i))
}

func (r *sortedRow) init(x []float32, presorted bool) {
	r.x, r.presorted, r.sorted = x, presorted, 0
	if presorted {
		return
	}
	for i, v := range x {
		r.keys[i] = orderKey(v, i)
	}
	r.grow(min(3, r.limit))
}

// grow sorts the next keys, up to next: as faiss's partial_sort, a
// max-heap of the wanted size passes over the rest once (most keys fail
// one comparison with its top), then is sorted.
func (r *sortedRow) grow(next int) {
	rest := r.keys[r.sorted:]
	want := min(next, len(r.keys)) - r.sorted
	if want >= len(rest) {
		slices.Sort(rest)
		r.sorted += len(rest)
		return
	}
	h := rest[:want]
	for i := want/2 - 1; i >= 0; i-- {
		siftDownMax(h, i)
	}
	top := h[0]
	for i := want; i < len(rest); i++ {
		if v := rest[i]; v < top {
			h[0], rest[i] = v, top
			siftDownMax(h, 0)
			top = h[0]
		}
	}
	slices.Sort(h)
	r.sorted += want
}

// siftDownMax restores the max-heap h below position i.
func siftDownMax(h []uint64, i int) {
	n := len(h)
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if c+1 < n && h[c+1] > h[c] {
			c++
		}
		if h[c] <= h[i] {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}

func (r *sortedRow) at(i int) float32 {
	if r.presorted {
		return r.x[i]
	}
	if i >= r.sorted {
		r.grow(max(min((r.sorted+1)*4-1, r.limit), i+1))
	}
	return r.x[uint32(r.keys[i])]
}

func (r *sortedRow) diff(i int) float32 { return r.at(i) - r.at(i-1) }

func (r *sortedRow) ord(i int) int64 {
	if r.presorted {
		return int64(i)
	}
	return int64(uint32(r.keys[i]))
}

// run writes the k smallest sums of the m rows of x (row stride ld) into
// sums and their terms (term of row m in bits nbits*m) into terms.
func (s *minSumK) run(x []float32, ld int, presorted bool, sums []float32, terms []int64) {
	for m := range s.rows {
		s.rows[m].init(x[m*ld:m*ld+s.n], presorted)
	}
	s.heapVal, s.heapID, s.packed = s.heapVal[:0], s.heapID[:0], s.packed[:0]
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
		if s.empty() { // fewer than k sums exist: padding
			sums[k], s.terms[k] = math.MaxFloat32, -1
			continue
		}
		sum, ti := s.top()
		sums[k], s.terms[k] = sum, ti
		for {
			s.pop()
			if s.empty() {
				break
			}
			if _, id := s.top(); id != ti {
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
	if s.pack {
		s.pushPacked(orderKey(v, int(id)))
		return
	}
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
	if s.pack {
		s.popPacked()
		return
	}
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

func (s *minSumK) empty() bool { return len(s.heapVal) == 0 && len(s.packed) == 0 }

// top is the smallest (sum, id).
func (s *minSumK) top() (float32, int64) {
	if s.pack {
		return fromOrderKey(s.packed[0]), int64(uint32(s.packed[0]))
	}
	return s.heapVal[0], s.heapID[0]
}

func (s *minSumK) pushPacked(key uint64) {
	h := append(s.packed, key)
	i := len(h) - 1
	for i > 0 {
		f := (i - 1) >> 1
		if h[f] <= key {
			break
		}
		h[i] = h[f]
		i = f
	}
	h[i] = key
	s.packed = h
}

func (s *minSumK) popPacked() {
	h := s.packed
	n := len(h) - 1
	last := h[n]
	h = h[:n]
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && h[c+1] < h[c] {
			c++
		}
		if last <= h[c] {
			break
		}
		h[i] = h[c]
		i = c
	}
	if n > 0 {
		h[i] = last
	}
	s.packed = h
}

// fromOrderKey inverts orderKey's value bits.
func fromOrderKey(key uint64) float32 {
	b := uint32(key >> 32)
	if b&0x80000000 != 0 {
		b &^= 0x80000000
	} else {
		b = ^b
	}
	return math.Float32frombits(b)
}
