package kernels

import "math"

// L2Sqr returns the squared Euclidean distance.
//
//	for i := range x { s += (x[i]-y[i])*(x[i]-y[i]) }
func L2Sqr(x, y []float32) float32 {
	if len(x) == 0 {
		return 0
	}
	_ = y[len(x)-1]
	return l2Sqr(x, y)
}

// L2SqrRows writes the squared distances of x to the len(out) consecutive
// rows of y (dimension d = len(x)): the one-query scan of exact L2 search.
//
//	for j := range out { out[j] = L2Sqr(x, y[j*d:(j+1)*d]) }
func L2SqrRows(x, y []float32, out []float32) {
	d := len(x)
	if len(out) == 0 || d == 0 {
		clear(out)
		return
	}
	_ = y[len(out)*d-1]
	l2SqrRows(x, y, d, out)
}

// The implementations behind L2Sqr, L2SqrRows and Inner: pure Go unless a
// SIMD version replaced them at start-up. The SIMD row kernels sum each
// value in the same order as the single-pair ones.
var (
	l2Sqr     = l2SqrGo
	inner     = innerGo
	l2SqrRows = l2SqrRowsGo
)

func l2SqrRowsGo(x, y []float32, d int, out []float32) {
	for j := range out {
		out[j] = l2Sqr(x, y[j*d:(j+1)*d])
	}
}

func l2SqrGo(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		d0, d1, d2, d3 := x[i]-y[i], x[i+1]-y[i+1], x[i+2]-y[i+2], x[i+3]-y[i+3]
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	for ; i < len(x); i++ {
		d := x[i] - y[i]
		s0 += d * d
	}
	return (s0 + s1) + (s2 + s3)
}

// Inner returns the inner product.
//
//	for i := range x { s += x[i]*y[i] }
func Inner(x, y []float32) float32 {
	if len(x) == 0 {
		return 0
	}
	_ = y[len(x)-1]
	return inner(x, y)
}

func innerGo(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// Norms writes the squared L2 norm of each of the n = len(out) rows of x.
//
//	for r := range out { out[r] = Inner(x[r*d:(r+1)*d], x[r*d:(r+1)*d]) }
func Norms(x []float32, d int, out []float32) {
	for r := range out {
		row := x[r*d : (r+1)*d]
		out[r] = Inner(row, row)
	}
}

// L1 returns the sum of absolute differences.
//
//	for i := range x { s += |x[i]-y[i]| }
func L1(x, y []float32) float32 {
	y = y[:len(x)]
	var s float32
	i := 0
	if n8 := len(x) / 8; n8 > 0 && l1SIMD != nil {
		s, i = l1SIMD(&x[0], &y[0], n8), 8*n8
	}
	for ; i < len(x); i++ {
		s += abs32(x[i] - y[i])
	}
	return s
}

// Linf returns the largest absolute difference.
//
//	for i := range x { s = max(s, |x[i]-y[i]|) }
func Linf(x, y []float32) float32 {
	y = y[:len(x)]
	var s float32
	i := 0
	if n8 := len(x) / 8; n8 > 0 && linfSIMD != nil {
		s, i = linfSIMD(&x[0], &y[0], n8), 8*n8
	}
	for ; i < len(x); i++ {
		if d := abs32(x[i] - y[i]); d > s {
			s = d
		}
	}
	return s
}

// l1SIMD and linfSIMD handle n8 whole chunks of 8 (nil without SIMD).
var l1SIMD, linfSIMD func(x, y *float32, n8 int) float32

// Lp returns sum |x[i]-y[i]|^p, without the final root (as faiss).
func Lp(x, y []float32, p float32) float32 {
	y = y[:len(x)]
	var s float32
	pp := float64(p)
	for i := range x {
		s += float32(math.Pow(float64(abs32(x[i]-y[i])), pp))
	}
	return s
}

// Canberra returns sum |x[i]-y[i]| / (|x[i]|+|y[i]|).
func Canberra(x, y []float32) float32 {
	y = y[:len(x)]
	var s float32
	for i := range x {
		s += abs32(x[i]-y[i]) / (abs32(x[i]) + abs32(y[i]))
	}
	return s
}

// BrayCurtis returns sum |x[i]-y[i]| / sum |x[i]+y[i]|.
func BrayCurtis(x, y []float32) float32 {
	y = y[:len(x)]
	var num, den float32
	for i := range x {
		num += abs32(x[i] - y[i])
		den += abs32(x[i] + y[i])
	}
	return num / den
}

// JensenShannon returns the Jensen-Shannon divergence of two distributions:
//
//	m = (x[i]+y[i])/2; s += -x[i]*log(m/x[i]) - y[i]*log(m/y[i]); return s/2
func JensenShannon(x, y []float32) float32 {
	y = y[:len(x)]
	var s float32
	for i := range x {
		xi, yi := x[i], y[i]
		m := 0.5 * (xi + yi)
		kl1 := -xi * float32(math.Log(float64(m/xi)))
		kl2 := -yi * float32(math.Log(float64(m/yi)))
		s += kl1 + kl2
	}
	return 0.5 * s
}

func abs32(v float32) float32 { return math.Float32frombits(math.Float32bits(v) &^ (1 << 31)) }
