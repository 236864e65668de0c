package gpu

import (
	"runtime"
	"sync"

	"github.com/metalfaiss/metalfaiss/core"
)

// Float16 storage (faiss's useFloat16): database rows on the device as
// IEEE halves, rows padded to an even count (shaders/src/rows.glsl), read
// by the kernels' _f16 variants, which compute in float32. The host copy
// holds the same values (RoundToHalf), so reconstruct, the CPU fallbacks
// and index_gpu_to_cpu see what the device searches.

// RoundToHalf returns x with every value rounded to the nearest binary16.
func RoundToHalf(x []float32) []float32 {
	out := make([]float32, len(x))
	inParallel(len(x), 1<<16, func(lo, hi int) {
		for i, v := range x[lo:hi] {
			out[lo+i] = core.HalfToFloat32(core.Float32ToHalf(v))
		}
	})
	return out
}

// inParallel runs f over [0, n) cut into one piece a core, each of at
// least grain items (the roundings of a 10M x 128 add took 25 s on one).
func inParallel(n, grain int, f func(lo, hi int)) {
	parts := min(runtime.GOMAXPROCS(0), max(1, n/max(1, grain)))
	var wg sync.WaitGroup
	for p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(n*p/parts, n*(p+1)/parts)
		}()
	}
	wg.Wait()
}

// halfStride is the halves a row of d takes on the device.
func halfStride(d int) int { return (d + 1) &^ 1 }

// packHalves turns n rows of d floats into the device layout: rows of
// halfStride(d) halves, two a little-endian word.
func packHalves(x []float32, d int) []uint16 {
	n := len(x) / d
	ld := halfStride(d)
	out := make([]uint16, n*ld)
	inParallel(n, max(1, (1<<16)/d), func(lo, hi int) {
		for r := lo; r < hi; r++ {
			for c, v := range x[r*d : (r+1)*d] {
				out[r*ld+c] = core.Float32ToHalf(v)
			}
		}
	})
	return out
}

// kernelFor names the variant of kernel for the storage.
func kernelFor(kernel string, half bool) string {
	if half {
		return kernel + "_f16"
	}
	return kernel
}
