package kernels

import "math"

// L2ArgMin is L2FromDot followed by the position of the smallest result,
// in one pass and without writing the row: the k = 1 search (k-means
// assignment). It returns the smallest squared distance and its first
// index, or (+Inf, -1) when no value is below +Inf. Values are computed
// with L2FromDot's operations, so they have the same bits.
//
//	for c, ip := range row { v := max(0, (qn+norms[c]) - 2*ip); if v < best { best, at = v, c } }
func L2ArgMin(row []float32, qn float32, norms []float32) (float32, int) {
	norms = norms[:len(row)]
	best, at := float32(math.Inf(1)), -1
	i := 0
	if n8 := len(row) / 8; n8 > 0 && l2ArgMinSIMD != nil {
		lanes, idx := l2ArgMinSIMD(&row[0], &norms[0], n8, qn)
		for l := range lanes {
			if lanes[l] < best || (lanes[l] == best && at >= 0 && int(idx[l]) < at) {
				best, at = lanes[l], int(idx[l])
			}
		}
		i = 8 * n8
	}
	for ; i < len(row); i++ {
		v := (qn + norms[i]) - 2*row[i]
		if v < 0 {
			v = 0
		}
		if v < best {
			best, at = v, i
		}
	}
	return best, at
}

// l2ArgMinSIMD returns, for each of the 8 lanes, the smallest value seen
// and its first index (nil without SIMD). The lanes come back by value:
// pointers to local arrays passed through a function variable would make
// Go allocate them on the heap, twice a call (measured: a fifth of the
// time of k-means on short vectors).
var l2ArgMinSIMD func(row, norms *float32, n8 int, qn float32) (lanes [8]float32, idx [8]int32)
