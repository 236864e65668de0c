//go:build amd64 && !noasm

package kernels

//go:noescape
func addToAVX2(dst, x *float32, n8 int)

//go:noescape
func axpyToAVX2(dst, x *float32, n8 int, a float32)

func addToAVX2Chunks(dst, x []float32) int {
	n8 := len(x) / 8
	if n8 > 0 {
		addToAVX2(&dst[0], &x[0], n8)
	}
	return 8 * n8
}

func axpyToAVX2Chunks(dst []float32, a float32, x []float32) int {
	n8 := len(x) / 8
	if n8 > 0 {
		axpyToAVX2(&dst[0], &x[0], n8, a)
	}
	return 8 * n8
}
