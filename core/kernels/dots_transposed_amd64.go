//go:build amd64 && !noasm

package kernels

//go:noescape
func dotsTransposedAVX2(x *float32, d int, yt *float32, ldy int, n32 int, out *float32)

func dotsTransposedAVX2Chunks(x, yt []float32, n, ldy int, out []float32) int {
	n32 := n / 32
	if n32 > 0 {
		dotsTransposedAVX2(&x[0], len(x), &yt[0], ldy, n32, &out[0])
	}
	return 32 * n32
}

//go:noescape
func l2TransposedAVX2(x *float32, d int, yt *float32, ldy int, n32 int, out *float32)

func l2TransposedAVX2Chunks(x, yt []float32, n, ldy int, out []float32) int {
	n32 := n / 32
	if n32 > 0 {
		l2TransposedAVX2(&x[0], len(x), &yt[0], ldy, n32, &out[0])
	}
	return 32 * n32
}

//go:noescape
func l2ArgMinTransposedAVX2(x *float32, d int, yt *float32, ldy int, n32 int, norms *float32, qn float32, lanes *float32, idx *int32)

// l2ArgMinTransposedAVX2Lanes runs the kernel over whole groups of 32
// columns (a direct call: the lanes stay on the stack).
func l2ArgMinTransposedAVX2Lanes(x, yt []float32, n32, ldy int, norms []float32, qn float32) (lanes [8]float32, idx [8]int32) {
	l2ArgMinTransposedAVX2(&x[0], len(x), &yt[0], ldy, n32, &norms[0], qn, &lanes[0], &idx[0])
	return
}
