package kernels

import "math"

// The scans of a bounded candidate heap (faiss's HNSW MinimaxHeap): the
// entries are distances with an id each, -1 marking an entry taken out.

// CountBelow returns how many values of x are below t (NaN never is).
//
//	for _, v := range x { if v < t { n++ } }
func CountBelow(x []float32, t float32) int {
	n, i := 0, 0
	if n8 := len(x) / 8; n8 > 0 && countBelowSIMD != nil {
		n, i = countBelowSIMD(&x[0], n8, t), 8*n8
	}
	for _, v := range x[i:] {
		if v < t {
			n++
		}
	}
	return n
}

// ArgMinValidLast returns the index of the smallest dis[i] whose ids[i] is
// not -1, the last such index among equal values, and -1 if every id is
// -1 (len(ids) = len(dis)). It is faiss's MinimaxHeap::pop_min scan, which
// walks from the end keeping strictly smaller values:
//
//	best := -1
//	for i := len(dis) - 1; i >= 0; i-- {
//		if ids[i] != -1 && (best < 0 || dis[i] < dis[best]) { best = i }
//	}
//
// NaN distances are not expected (a NaN found first from the end would
// stay the answer in that loop); the SIMD path hands them to the loop.
func ArgMinValidLast(dis []float32, ids []int32) int {
	n := len(dis)
	ids = ids[:n]
	n8 := n / 8
	if n8 == 0 || minValidSIMD == nil {
		return argMinValidLastGo(dis, ids)
	}
	m := minValidSIMD(&dis[0], &ids[0], n8)
	for i := 8 * n8; i < n; i++ {
		if ids[i] != -1 && dis[i] < m {
			m = dis[i]
		}
	}
	if !(m < inf32) { // none valid below +Inf, or NaN: the loop decides
		return argMinValidLastGo(dis, ids)
	}
	for i := n - 1; i >= 8*n8; i-- {
		if ids[i] != -1 && dis[i] == m {
			return i
		}
	}
	return lastEqualValidSIMD(&dis[0], &ids[0], n8, m)
}

func argMinValidLastGo(dis []float32, ids []int32) int {
	best := -1
	for i := len(dis) - 1; i >= 0; i-- {
		if ids[i] != -1 && (best < 0 || dis[i] < dis[best]) {
			best = i
		}
	}
	return best
}

var inf32 = float32(math.Inf(1))

var (
	countBelowSIMD func(x *float32, n8 int, t float32) int
	// minValidSIMD is the least dis[i] with ids[i] != -1 over 8*n8 entries
	// (+Inf if none).
	minValidSIMD func(dis *float32, ids *int32, n8 int) float32
	// lastEqualValidSIMD is the last i < 8*n8 with dis[i] == v and
	// ids[i] != -1 (the caller knows there is one).
	lastEqualValidSIMD func(dis *float32, ids *int32, n8 int, v float32) int
)
