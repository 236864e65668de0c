//go:build amd64 && !noasm

package kernels

import "golang.org/x/sys/cpu"

var (
	hasAVX2   = cpu.X86.HasAVX2 && cpu.X86.HasFMA
	hasAVX512 = hasAVX2 && cpu.X86.HasAVX512F
)

// init picks the kernels from the CPU's features and KernelsEnv.
func init() { selectKernels(requestedKernels()) }

// availableLevels are the kernel sets this CPU runs, best last.
func availableLevels() []string {
	levels := []string{"go"}
	if hasAVX2 {
		levels = append(levels, "avx2")
	}
	if hasAVX512 {
		levels = append(levels, "avx512")
	}
	return levels
}

// selectKernels installs the best kernels the CPU has, capped by want
// ("go", "avx2"; anything else: no cap), over the pure-Go ones.
func selectKernels(want string) {
	selectHamming(want)
	if want == "go" || !hasAVX2 {
		return
	}
	useAVX2()
	if want != "avx2" && hasAVX512 {
		// Measured on Zen 4, which issues 512-bit FMAs as two halves: the
		// tile alone runs 10-30% faster than AVX2 (fewer instructions),
		// one-thread batched L2 search 80-85 vs 61-78 GFLOP/s.
		dotTile = dotTileAVX512
		gemmBlock, hasGemm = gemmBlockAVX512, true
		if cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL {
			pq4ScanSIMD, pq4Scan4SIMD = pq4ScanAVX512, pq4Scan4AVX512
		}
		if cpu.X86.HasAVX512VPOPCNTDQ && cpu.X86.HasAVX512DQ && cpu.X86.HasAVX512VL {
			rbqFilterSIMD, rbqFSFilterSIMD = rbqFilterAVX512, rbqFSFilterAVX512
		}
		kernelSet, level = "avx512+avx2", "avx512"
	}
}

func useAVX2() {
	dotTile = dotTileAVX2
	gemmBlock, hasGemm = gemmBlockAVX2, true // measured on Zen 5: equal to DotTile end to end; fewer loads per FMA elsewhere
	inner = func(x, y []float32) float32 { return dot1AVX2(&x[0], &y[0], len(x)) }
	panoramaRowSIMD = panoramaRowAVX2
	l2Sqr = func(x, y []float32) float32 { return l2OneAVX2(&x[0], &y[0], len(x)) }
	l2GatherSIMD = l2GatherAVX2
	countBelowSIMD, minValidSIMD, lastEqualValidSIMD = countBelowAVX2, minValidAVX2, lastEqualValidAVX2
	countAtMost16SIMD, maskAtMost16SIMD = countAtMost16AVX2, maskAtMost16AVX2
	nearest16SIMD = nearest16AVX2
	l2SqrRows = l2SqrRowsAVX2
	l2FromDotSIMD = l2FromDotAVX2Chunks
	l2ArgMinSIMD = l2ArgMinAVX2Lanes
	scanAtMost, scanAtLeast = scanAtMostAVX2, scanAtLeastAVX2
	minOfSIMD, maxOfSIMD = minOfAVX2, maxOfAVX2
	nonFiniteSIMD = nonFiniteAVX2
	addToSIMD, axpyToSIMD = addToAVX2Chunks, axpyToAVX2Chunks
	dotsTransposedSIMD, l2TransposedSIMD = dotsTransposedAVX2Chunks, l2TransposedAVX2Chunks
	l2ArgMinTransposedSIMD = l2ArgMinTransposedAVX2Groups
	sq8L2SIMD, sq8EncodeSIMD, sq8DecodeSIMD = sq8L2AVX2, sq8EncodeAVX2, sq8DecodeAVX2
	l1SIMD, linfSIMD = l1AVX2, linfAVX2
	pq4ScanSIMD = pq4ScanAVX2
	kernelSet, level = "avx2+fma", "avx2"
}
