package kernels

// L2FromDot turns a row of inner products with database vectors into squared
// L2 distances, given the query's squared norm qn and the database norms:
//
//	for c, ip := range row { row[c] = max(0, (qn + norms[c]) - 2*ip) }
//
// Rounding can make the expansion slightly negative; it is clamped to 0 as
// faiss does. NaN stays NaN.
func L2FromDot(row []float32, qn float32, norms []float32) {
	norms = norms[:len(row)]
	c := l2FromDotSIMD(row, qn, norms)
	for ; c < len(row); c++ {
		v := (qn + norms[c]) - 2*row[c]
		if v < 0 {
			v = 0
		}
		row[c] = v
	}
}

// l2FromDotSIMD converts the whole SIMD-width chunks and returns where they
// end (0 without SIMD).
var l2FromDotSIMD = func(row []float32, qn float32, norms []float32) int { return 0 }
