//go:build arm64 && !noasm

package kernels

// init picks the NEON kernels (every arm64 CPU has them) unless KernelsEnv
// asks for pure Go.
func init() {
	if requestedKernels() == "go" {
		return
	}
	dotTile = dotTileNEON
	inner = func(x, y []float32) float32 {
		if len(x)%8 != 0 {
			return innerGo(x, y)
		}
		return dot1NEON(&x[0], &y[0], len(x))
	}
	l2Sqr = func(x, y []float32) float32 {
		if len(x)%8 != 0 {
			return l2SqrGo(x, y)
		}
		return l2OneNEON(&x[0], &y[0], len(x))
	}
	l2SqrRows = l2SqrRowsNEON
	useNEONVectorKernels()
	kernelSet = "neon"
}
