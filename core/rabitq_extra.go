package core

import (
	"container/heap"
	"math"
)

// The magnitude bits of multi-bit RaBitQ: |r| / |r| is scaled by the factor
// t that best aligns the rounded-down grid point with it, each dimension
// gets floor(t |r_j| / |r|) (complemented where r_j < 0, so that with the
// sign bit on top the code counts up from the most negative value), and
// two factors turn <q, code - (2^b - 1/2)> back into a distance.

// rbqTightStart is where faiss starts the search for t, by extra bits.
var rbqTightStart = [9]float32{0, 0.15, 0.20, 0.52, 0.59, 0.71, 0.75, 0.77, 0.81}

const rbqEps = 1e-5 // a float64 nudge before truncation, as faiss's kEps

// rbqQuantizeExtra writes the exBits magnitude codes of residual r into ex
// and returns the additive and rescaling factors. c (nil: origin) is the
// centroid, which inner-product factors need.
func rbqQuantizeExtra(r []float32, exBits int, ex []byte, metric Metric, c []float32) (add, rescale float32) {
	clear(ex)
	var normSqr float32
	for _, v := range r {
		normSqr += float32(v * v)
	}
	norm := sqrt32(normSqr)
	if norm < 1e-10 { // the vector is its centroid: nothing to scale
		return 0, 0
	}
	d := len(r)
	oAbs := make([]float32, d)
	for j, v := range r {
		oAbs[j] = abs32(v / norm)
	}
	t := rbqScalingFactor(oAbs, exBits)
	maxCode := 1<<exBits - 1
	var ipnorm float64
	bit := 0
	for j, o := range oAbs {
		code := min(int(float64(t*o)+rbqEps), maxCode)
		ipnorm += (float64(code) + 0.5) * float64(o)
		if r[j] < 0 {
			code = ^code & maxCode
		}
		for b := 0; b < exBits; b++ {
			if code>>b&1 != 0 {
				ex[bit>>3] |= 1 << (bit & 7)
			}
			bit++
		}
	}
	inv := float32(1 / ipnorm)
	if inv == 0 || math.IsInf(float64(inv), 0) || math.IsNaN(float64(inv)) || abs32(inv) < 1.1754944e-38 {
		inv = 1
	}
	if metric == MetricL2 {
		return norm * norm, float32(inv*-2) * norm
	}
	if c != nil {
		add = dotSeq(r, c)
	}
	return add, inv * norm
}

// dotSeq is the float32 dot product summed in order.
func dotSeq(a, b []float32) float32 {
	var s float32
	for i, v := range a {
		s += float32(v * b[i])
	}
	return s
}

// rbqNext is a candidate step of the scaling search: dimension j reaches
// its next level at t.
type rbqNext struct {
	t float32
	j int
}

type rbqNextHeap []rbqNext

func (h rbqNextHeap) Len() int { return len(h) }
func (h rbqNextHeap) Less(a, b int) bool {
	return h[a].t < h[b].t || (h[a].t == h[b].t && h[a].j < h[b].j)
}
func (h rbqNextHeap) Swap(a, b int) { h[a], h[b] = h[b], h[a] }
func (h *rbqNextHeap) Push(x any)   { *h = append(*h, x.(rbqNext)) }
func (h *rbqNextHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// rbqScalingFactor finds faiss's t: it walks the values of t at which some
// dimension's level goes up, in increasing order (ties by dimension), and
// keeps the one whose grid point has the largest normalised inner product
// with oAbs.
func rbqScalingFactor(oAbs []float32, exBits int) float32 {
	const nEnum = 10
	d := len(oAbs)
	maxCode := 1<<exBits - 1
	maxO := oAbs[0]
	for _, v := range oAbs[1:] {
		maxO = max(maxO, v)
	}
	tEnd := float32(maxCode+nEnum) / maxO
	tStart := tEnd * rbqTightStart[exBits]
	inv := make([]float32, d)
	cur := make([]int, d)
	sqrDen := float32(d) * 0.25
	var num float32
	for j, o := range oAbs {
		inv[j] = 1 / o
		c := int(float64(tStart*o) + rbqEps)
		cur[j] = c
		sqrDen += float32(c*c + c)
		num += float32((float32(c) + 0.5) * o)
	}
	invSqrtDen := 1 / sqrt32(sqrDen)
	h := make(rbqNextHeap, 0, d)
	for j := range oAbs {
		if tn := float32(cur[j]+1) * inv[j]; tn < tEnd {
			h = append(h, rbqNext{tn, j})
		}
	}
	heap.Init(&h)
	var maxIP, t float32
	for h.Len() > 0 {
		top := heap.Pop(&h).(rbqNext)
		j := top.j
		cur[j]++
		delta := float32(2 * cur[j])
		sqrDen += delta
		num += oAbs[j]
		old := sqrDen - delta
		invSqrtDen *= 1 - float32(0.5*delta)/(old+float32(delta*0.5))
		if ip := num * invSqrtDen; ip > maxIP {
			maxIP, t = ip, top.t
		}
		if cur[j] < maxCode {
			if tn := float32(cur[j]+1) * inv[j]; tn < tEnd {
				heap.Push(&h, rbqNext{tn, j})
			}
		}
	}
	return t
}
