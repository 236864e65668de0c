package kernels

// AddTo adds x to dst element by element:
//
//	for i := range x { dst[i] += x[i] }
func AddTo(dst, x []float32) {
	dst = dst[:len(x)]
	i := addToSIMD(dst, x)
	for ; i < len(x); i++ {
		dst[i] += x[i]
	}
}

// AxpyTo adds a*x to dst, with the product rounded before the sum (no
// fused multiply-add, so every version gives the same bits):
//
//	for i := range x { dst[i] += x[i] * a }
func AxpyTo(dst []float32, a float32, x []float32) {
	dst = dst[:len(x)]
	i := axpyToSIMD(dst, a, x)
	for ; i < len(x); i++ {
		dst[i] += float32(x[i] * a)
	}
}

// The SIMD parts process whole chunks and return where they stopped.
var (
	addToSIMD  = func(dst, x []float32) int { return 0 }
	axpyToSIMD = func(dst []float32, a float32, x []float32) int { return 0 }
)
