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
func l2ArgMinTransposedAVX2(x *float32, d int, yt *float32, ldy int, n32 int, norms *float32, qn float32) (best float32, at int)

func l2ArgMinTransposedAVX2Groups(x, yt []float32, n32, ldy int, norms []float32, qn float32) (float32, int) {
	return l2ArgMinTransposedAVX2(&x[0], len(x), &yt[0], ldy, n32, &norms[0], qn)
}
