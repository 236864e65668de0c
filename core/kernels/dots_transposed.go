package kernels

// DotsTransposed writes the inner products of x (length d) with the n
// columns of yt, a d x n matrix stored dimension-major with row stride ldy
// (column c is yt[c], yt[ldy+c], ...): the layout that suits short vectors,
// where a row-major tile spends more on its per-row reductions than on
// arithmetic. Each product is summed over k in order:
//
//	for c := range out[:n] { s := 0; for k := range x { s += x[k] * yt[k*ldy+c] }; out[c] = s }
func DotsTransposed(x, yt []float32, n, ldy int, out []float32) {
	d := len(x)
	if n <= 0 {
		return
	}
	if d == 0 {
		clear(out[:n])
		return
	}
	_, _ = yt[(d-1)*ldy+n-1], out[n-1]
	c := 0
	if dotsTransposedSIMD != nil {
		c = dotsTransposedSIMD(x, yt, n, ldy, out)
	}
	for ; c < n; c++ {
		var s float32
		for k, v := range x {
			s += v * yt[k*ldy+c]
		}
		out[c] = s
	}
}

// dotsTransposedSIMD handles whole groups of columns and returns where it
// stopped (nil: no SIMD version).
var dotsTransposedSIMD func(x, yt []float32, n, ldy int, out []float32) int

// TransposedIsFast reports whether the transposed kernels have a SIMD
// version here (AVX2 so far); without one, callers keep the row kernels.
func TransposedIsFast() bool { return dotsTransposedSIMD != nil && l2TransposedSIMD != nil }

// L2Transposed writes the squared L2 distances of x to the n columns of
// yt (dimension-major, row stride ldy, as in DotsTransposed), summed over
// k in order:
//
//	for c := range out[:n] { s := 0; for k := range x { t := x[k] - yt[k*ldy+c]; s += t * t }; out[c] = s }
func L2Transposed(x, yt []float32, n, ldy int, out []float32) {
	d := len(x)
	if n <= 0 {
		return
	}
	if d == 0 {
		clear(out[:n])
		return
	}
	_, _ = yt[(d-1)*ldy+n-1], out[n-1]
	c := 0
	if l2TransposedSIMD != nil {
		c = l2TransposedSIMD(x, yt, n, ldy, out)
	}
	for ; c < n; c++ {
		var s float32
		for k, v := range x {
			t := v - yt[k*ldy+c]
			s += t * t
		}
		out[c] = s
	}
}

var l2TransposedSIMD func(x, yt []float32, n, ldy int, out []float32) int
