//go:build arm64 && !noasm

package kernels

//go:noescape
func nextAtMostNEON(r *float32, n8 int, t float32) int

//go:noescape
func nextAtLeastNEON(r *float32, n8 int, t float32) int

//go:noescape
func minOfNEON(r *float32, n8 int) float32

//go:noescape
func maxOfNEON(r *float32, n8 int) float32

//go:noescape
func l2FromDotNEON(row, norms *float32, n8 int, qn float32)

//go:noescape
func addToNEON(dst, x *float32, n8 int)

//go:noescape
func axpyToNEON(dst, x *float32, n8 int, a float32)

//go:noescape
func l2ArgMinNEON(row, norms *float32, n8 int, qn float32, lanes *float32, idx *int32)

//go:noescape
func l1NEON(x, y *float32, n8 int) float32

//go:noescape
func linfNEON(x, y *float32, n8 int) float32

func useNEONVectorKernels() {
	l1SIMD, linfSIMD = l1NEON, linfNEON
	l2ArgMinSIMD = l2ArgMinNEONLanes
	scanAtMost = func(r []float32, t float32) int {
		if n8 := len(r) / 8; n8 > 0 {
			return nextAtMostNEON(&r[0], n8, t)
		}
		return 0
	}
	scanAtLeast = func(r []float32, t float32) int {
		if n8 := len(r) / 8; n8 > 0 {
			return nextAtLeastNEON(&r[0], n8, t)
		}
		return 0
	}
	minOfSIMD, maxOfSIMD = minOfNEON, maxOfNEON
	l2FromDotSIMD = func(row []float32, qn float32, norms []float32) int {
		n8 := len(row) / 8
		if n8 > 0 {
			l2FromDotNEON(&row[0], &norms[0], n8, qn)
		}
		return 8 * n8
	}
	addToSIMD = func(dst, x []float32) int {
		n8 := len(x) / 8
		if n8 > 0 {
			addToNEON(&dst[0], &x[0], n8)
		}
		return 8 * n8
	}
	axpyToSIMD = func(dst []float32, a float32, x []float32) int {
		n8 := len(x) / 8
		if n8 > 0 {
			axpyToNEON(&dst[0], &x[0], n8, a)
		}
		return 8 * n8
	}
}

// l2ArgMinNEONLanes calls the kernel directly, so its lanes stay on the
// stack (see l2ArgMinSIMD).
func l2ArgMinNEONLanes(row, norms *float32, n8 int, qn float32) (lanes [8]float32, idx [8]int32) {
	l2ArgMinNEON(row, norms, n8, qn, &lanes[0], &idx[0])
	return
}
