//go:build arm64 && !noasm

package kernels

// init picks the NEON kernels (every arm64 CPU has them) unless KernelsEnv
// asks for pure Go.
func init() { selectKernels(requestedKernels()) }

// availableLevels are the kernel sets this CPU runs, best last.
func availableLevels() []string { return []string{"go", "neon"} }

// selectKernels installs the NEON kernels over the pure-Go ones unless
// want is "go".
func selectKernels(want string) {
	if want == "go" {
		return
	}
	dotTile = dotTileNEON
	gemmBlock, hasGemm = gemmBlockNEON, true
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
	kernelSet, level = "neon", "neon"
}
