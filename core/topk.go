package core

import "math"

// maxFloat pads results when fewer than k vectors exist: faiss fills with
// FLT_MAX (not +inf) and label -1, and so do we.
const maxFloat = math.MaxFloat32

// topK keeps the k best (distance, id) pairs of one query as a binary heap
// whose root is the worst kept pair. Distances are keys where smaller is
// better; similarity metrics negate before pushing (see sign in knnSink).
//
// The heap starts full of (maxFloat, -1) sentinels and a pair enters only if
// it beats the root strictly in (distance, id) order, exactly as faiss's
// heaps do: NaN and +inf never enter, and among equal distances the lower id
// wins, whatever order the candidates arrive in.
type topK struct {
	dist []float32
	ids  []int64
}

func newTopK(k int) topK {
	h := topK{dist: make([]float32, k), ids: make([]int64, k)}
	h.reset()
	return h
}

func (h *topK) reset() {
	for i := range h.dist {
		h.dist[i], h.ids[i] = maxFloat, -1
	}
}

// worse reports whether pair a ranks after pair b.
func worse(da float32, ia int64, db float32, ib int64) bool {
	return da > db || (da == db && ia > ib)
}

// push offers one candidate.
func (h *topK) push(d float32, id int64) {
	if d < h.dist[0] || (d == h.dist[0] && id < h.ids[0]) {
		h.replaceRoot(d, id)
	}
}

func (h *topK) replaceRoot(d float32, id int64) {
	dist, ids := h.dist, h.ids
	n := len(dist)
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && worse(dist[c+1], ids[c+1], dist[c], ids[c]) {
			c++
		}
		if !worse(dist[c], ids[c], d, id) {
			break
		}
		dist[i], ids[i] = dist[c], ids[c]
		i = c
	}
	dist[i], ids[i] = d, id
}

// merge offers every pair kept by other.
func (h *topK) merge(other *topK) {
	for i, d := range other.dist {
		h.push(d, other.ids[i])
	}
}

// emit writes the kept pairs best first into dist/ids (length k), applying
// sign to the distances, and leaves the heap empty of meaning.
func (h *topK) emit(sign float32, dist []float32, ids []int64) {
	for n := len(h.dist); n > 0; n-- {
		d, id := h.dist[0], h.ids[0]
		dist[n-1], ids[n-1] = sign*d, id
		// Move the last leaf to the root and sift it down over n-1 items.
		last := n - 1
		sub := topK{dist: h.dist[:last], ids: h.ids[:last]}
		if last > 0 {
			sub.replaceRoot(h.dist[last], h.ids[last])
		}
	}
}
