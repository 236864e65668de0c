package kernels

import (
	"fmt"
	"slices"
)

// save returns a function that puts *p back to the value it holds now.
func save[T any](p *T) func() {
	v := *p
	return func() { *p = v }
}

// goKernels put back the pure-Go kernels. Package variables are set before
// any init function installs SIMD ones, so these saved values are the Go
// defaults (every variable a selectKernels may change is listed).
var goKernels = []func(){
	save(&dotTile), save(&gemmBlock), save(&hasGemm), save(&inner), save(&l2Sqr), save(&l2SqrRows), save(&l2GatherSIMD),
	save(&countBelowSIMD), save(&countAtMost16SIMD), save(&maskAtMost16SIMD), save(&nearest16SIMD), save(&minValidSIMD), save(&lastEqualValidSIMD), save(&l2FromDotSIMD),
	save(&l2ArgMinSIMD), save(&scanAtMost), save(&scanAtLeast), save(&minOfSIMD), save(&maxOfSIMD),
	save(&nonFiniteSIMD), save(&addToSIMD), save(&axpyToSIMD), save(&dotsTransposedSIMD),
	save(&l2TransposedSIMD), save(&l2ArgMinTransposedSIMD), save(&sq8L2SIMD), save(&sq8EncodeSIMD),
	save(&sq8DecodeSIMD), save(&l1SIMD), save(&linfSIMD), save(&hammingRowsWords), save(&hammingRows32Min), save(&panoramaRowSIMD),
	save(&kernelSet), save(&level),
}

// Levels returns the kernel sets this machine can run, pure Go first and
// the best last: "go", and "avx2", "avx512" (amd64) or "neon" (arm64).
func Levels() []string { return availableLevels() }

// Level names the kernel set in use (one of Levels()).
func Level() string { return level }

// SetLevel installs the kernel set level (one of Levels()), as faiss's
// SIMDConfig.set_level does. Like faiss's, it is not for use while any
// search or build runs: the kernels change under them.
func SetLevel(level string) error {
	if !slices.Contains(Levels(), level) {
		return fmt.Errorf("kernel set %q is not available here (available: %v)", level, Levels())
	}
	for _, restore := range goKernels {
		restore()
	}
	selectKernels(level)
	return nil
}
