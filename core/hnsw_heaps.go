package core

import "github.com/metalfaiss/metalfaiss/core/kernels"

// The heaps of faiss's HNSW, reproduced operation for operation: which of
// two equal distances comes out first decides graph edges and results, so
// "a heap" is not enough to build and search the same graph as faiss.

// nodeDist is a graph node and its distance to the current query.
type nodeDist struct {
	d  float32
	id int32
}

// stdHeap is a std::priority_queue over nodeDist ordered by distance only,
// with libstdc++'s push_heap and pop_heap (the hole sinks to a leaf along
// the larger children, then the last element rises from there). farthest
// puts the largest distance on top (faiss's NodeDistCloser), otherwise the
// smallest (NodeDistFarther). The heap keeps keys oriented so that one
// comparison serves both: the distance, or its negation (exact) when the
// smallest is on top.
type stdHeap struct {
	a    []nodeDist
	sign float32 // 1: the largest distance on top; -1: the smallest
	pair bool    // compare (distance, id) as std::pair, not distance only
}

// less is the queue's comparison on oriented keys: a ranks below b.
func (h *stdHeap) less(a, b nodeDist) bool {
	return a.d < b.d || (h.pair && a.d == b.d && (a.id < b.id) == (h.sign > 0) && a.id != b.id)
}

// orient maps a distance to its key and back (a sign flip is exact).
func (h *stdHeap) orient(v nodeDist) nodeDist { v.d *= h.sign; return v }

func (h *stdHeap) len() int        { return len(h.a) }
func (h *stdHeap) top() nodeDist   { return h.orient(h.a[0]) }
func (h *stdHeap) push(v nodeDist) { v = h.orient(v); h.a = append(h.a, v); h.up(len(h.a)-1, 0, v) }

// newStdHeap returns an empty queue with the largest (farthest) or the
// smallest distance on top.
func newStdHeap(farthest, pair bool) *stdHeap {
	h := &stdHeap{}
	h.reset(farthest, pair)
	return h
}

// reset empties h and sets which end it keeps on top.
func (h *stdHeap) reset(farthest, pair bool) {
	h.a, h.sign, h.pair = h.a[:0], -1, pair
	if farthest {
		h.sign = 1
	}
}

// up moves v from hole up to at most top (libstdc++'s __push_heap).
func (h *stdHeap) up(hole, top int, v nodeDist) {
	parent := (hole - 1) / 2
	for hole > top && h.less(h.a[parent], v) {
		h.a[hole] = h.a[parent]
		hole = parent
		parent = (hole - 1) / 2
	}
	h.a[hole] = v
}

// pop removes the top (libstdc++'s __pop_heap and __adjust_heap).
func (h *stdHeap) pop() nodeDist {
	a := h.a
	n := len(a) - 1
	out, v := a[0], a[n]
	h.a = a[:n]
	if n == 0 {
		return h.orient(out)
	}
	hole, child := 0, 0
	for child < (n-1)/2 {
		child = 2 * (child + 1)
		if h.less(a[child], a[child-1]) {
			child--
		}
		a[hole] = a[child]
		hole = child
	}
	if n&1 == 0 && child == (n-2)/2 {
		child = 2 * (child + 1)
		a[hole] = a[child-1]
		hole = child - 1
	}
	h.up(hole, 0, v)
	return h.orient(out)
}

// minimaxHeap is faiss's HNSW::MinimaxHeap: a max-heap of at most n
// candidates ordered by (distance, id), from which pop_min takes the
// nearest still-valid one by a scan (marking it with id -1 in place).
type minimaxHeap struct {
	n, k, nvalid int
	ids          []int32
	dis          []float32
}

// reset empties the heap and sets its capacity to n, reusing storage.
func (h *minimaxHeap) reset(n int) {
	if cap(h.ids) < n {
		h.ids, h.dis = make([]int32, n), make([]float32, n)
	}
	h.n, h.k, h.nvalid = n, 0, 0
	h.ids, h.dis = h.ids[:n], h.dis[:n]
}

// above is faiss's CMax::cmp2: (a, ia) ranks above (b, ib).
func above(a float32, ia int32, b float32, ib int32) bool {
	return a > b || (a == b && ia > ib)
}

func (h *minimaxHeap) push(id int32, v float32) {
	if h.k == h.n {
		if v >= h.dis[0] {
			return
		}
		if h.ids[0] != -1 {
			h.nvalid--
		}
		h.popMax()
	}
	// faiss's heap_push over 1-based positions 1..k.
	h.k++
	i := h.k
	for i > 1 {
		f := i >> 1
		if !above(v, id, h.dis[f-1], h.ids[f-1]) {
			break
		}
		h.dis[i-1], h.ids[i-1] = h.dis[f-1], h.ids[f-1]
		i = f
	}
	h.dis[i-1], h.ids[i-1] = v, id
	h.nvalid++
}

// popMax is faiss's heap_pop: the last entry sifts down from the root.
func (h *minimaxHeap) popMax() {
	k := h.k
	v, id := h.dis[k-1], h.ids[k-1]
	i := 1
	for {
		i1 := i << 1
		i2 := i1 + 1
		if i1 > k {
			break
		}
		c := i2
		if i2 == k+1 || above(h.dis[i1-1], h.ids[i1-1], h.dis[i2-1], h.ids[i2-1]) {
			c = i1
		}
		if above(v, id, h.dis[c-1], h.ids[c-1]) {
			break
		}
		h.dis[i-1], h.ids[i-1] = h.dis[c-1], h.ids[c-1]
		i = c
	}
	h.dis[i-1], h.ids[i-1] = h.dis[k-1], h.ids[k-1]
	h.k--
}

// popMin takes the valid entry of least distance (the last one scanned
// from the end among equals), or -1 when none is left.
func (h *minimaxHeap) popMin() (int32, float32) {
	i := kernels.ArgMinValidLast(h.dis[:h.k], h.ids[:h.k])
	if i < 0 {
		return -1, 0
	}
	id := h.ids[i]
	h.ids[i] = -1
	h.nvalid--
	return id, h.dis[i]
}

// countBelow counts the entries (popped ones too) closer than t.
func (h *minimaxHeap) countBelow(t float32) int { return kernels.CountBelow(h.dis[:h.k], t) }
