package kernels

import "math"

// DotsTransposed writes the inner products of x (length d) with the n
// columns of yt, a d x n matrix stored dimension-major with row stride ldy
// (column c is yt[c], yt[ldy+c], ...): the layout that suits short vectors,
// where a row-major tile spends more on its per-row reductions than on
// arithmetic. Each product is summed over k in order:
//
//	for c := range out[:n] { s := 0; for k := range x { s += x[k] * yt[k*ldy+c] }; out[c] = s }
func DotsTransposed(x, yt []float32, n, ldy int, out []float32) {
	transposed(x, yt, n, ldy, out, dotsTransposedSIMD, func(v, y float32) float32 { return v * y })
}

// transposed runs a transposed kernel: simd (if any) over whole groups of
// columns, then term summed over k for the columns left.
func transposed(x, yt []float32, n, ldy int, out []float32,
	simd func(x, yt []float32, n, ldy int, out []float32) int, term func(v, y float32) float32) {
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
	if simd != nil {
		c = simd(x, yt, n, ldy, out)
	}
	for ; c < n; c++ {
		var s float32
		for k, v := range x {
			s += term(v, yt[k*ldy+c])
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
	transposed(x, yt, n, ldy, out, l2TransposedSIMD, func(v, y float32) float32 { t := v - y; return t * t })
}

var l2TransposedSIMD func(x, yt []float32, n, ldy int, out []float32) int

// L2ArgMinTransposed is L2ArgMin over the dimension-major yt: the value
// and first column c of the smallest max(0, (qn + norms[c]) - 2 x.y_c),
// with the dot products as DotsTransposed sums them; (+Inf, -1) when no
// value is below +Inf. It keeps no row of dots in memory.
func L2ArgMinTransposed(x, yt []float32, n, ldy int, norms []float32, qn float32) (float32, int) {
	best, at := float32(math.Inf(1)), -1
	if n <= 0 || len(x) == 0 {
		return L2ArgMin(make([]float32, max(n, 0)), qn, norms[:max(n, 0)])
	}
	_, _ = yt[(len(x)-1)*ldy+n-1], norms[n-1]
	c := 0
	if n32 := n / 32; n32 > 0 && l2ArgMinTransposedSIMD != nil {
		best, at = l2ArgMinTransposedSIMD(x, yt, n32, ldy, norms, qn)
		if at < 0 {
			best = float32(math.Inf(1))
		}
		c = 32 * n32
	}
	for ; c < n; c++ {
		var s float32
		for k, v := range x {
			s += v * yt[k*ldy+c]
		}
		v := (qn + norms[c]) - 2*s
		if v < 0 {
			v = 0
		}
		if v < best {
			best, at = v, c
		}
	}
	return best, at
}

// l2ArgMinTransposedSIMD returns the minimum and its first column over
// whole groups of 32 columns, column -1 when none is below +Inf (nil
// without SIMD).
var l2ArgMinTransposedSIMD func(x, yt []float32, n32, ldy int, norms []float32, qn float32) (float32, int)
