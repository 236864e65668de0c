package pyapi

import (
	"runtime"

	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// KernelSet names the CPU kernels this process runs ("avx2+fma", "neon",
// "go").
func KernelSet() string { return kernels.KernelSet() }

// SetNumThreads sets how many goroutines run Go code at once (faiss's
// omp_set_num_threads); n < 1 means one per CPU.
func SetNumThreads(n int64) {
	if n < 1 {
		n = int64(runtime.NumCPU())
	}
	runtime.GOMAXPROCS(int(n))
}

// NumThreads is the current parallelism (faiss's omp_get_max_threads).
func NumThreads() int64 { return int64(runtime.GOMAXPROCS(0)) }
