package core

import (
	"math/rand"
	"sync"
	"time"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// GemmSpeed measures the packed micro-kernel path (kernels.GemmPacked on
// a packed ny x d panel set, nx rows per call) on every worker at once for
// about the given time, and returns its rate in GFLOP/s (2*nx*ny*d per
// call) and the kernel set it ran: what benchmarks compare with the
// machine's sgemm.
func GemmSpeed(nx, ny, d int, seconds float64) (float64, string, error) {
	if nx <= 0 || ny <= 0 || d <= 0 || seconds <= 0 {
		return 0, "", Errorf(KindInvalidArgument, "gemm_speed", "nx=%d, ny=%d, d=%d and seconds=%g must be positive", nx, ny, d, seconds)
	}
	if !kernels.HasGemm() {
		return 0, kernels.KernelSet(), Errorf(KindUnsupported, "gemm_speed", "the kernel set %s has no packed micro-kernel", kernels.KernelSet())
	}
	w := workers()
	calls := make([]int, w)
	deadline := time.Now().Add(time.Duration(seconds * float64(time.Second)))
	start := time.Now()
	var wg sync.WaitGroup
	for c := 0; c < w; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(c)))
			x, y := make([]float32, nx*d), make([]float32, ny*d)
			for i := range x {
				x[i] = rng.Float32()
			}
			for i := range y {
				y[i] = rng.Float32()
			}
			yp, out := make([]float32, kernels.PackedSize(ny, d)), make([]float32, nx*ny)
			kernels.PackPanels(y, ny, d, yp)
			s := &kernels.GemmScratch{}
			for time.Now().Before(deadline) {
				kernels.GemmPacked(x, nx, yp, ny, d, out, ny, s)
				calls[c]++
			}
		}(c)
	}
	wg.Wait()
	total := 0
	for _, n := range calls {
		total += n
	}
	return 2 * float64(nx) * float64(ny) * float64(d) * float64(total) / time.Since(start).Seconds() / 1e9, kernels.KernelSet(), nil
}
