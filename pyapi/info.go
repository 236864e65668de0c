package pyapi

import (
	"runtime"
	"strconv"

	"github.com/metalfaiss/metalfaiss/core"
	"github.com/metalfaiss/metalfaiss/core/kernels"
)

// KernelSet names the CPU kernels this process runs ("avx2+fma", "neon",
// "go").
func KernelSet() string {
	return text("kernel_set", func() (string, error) { return kernels.KernelSet(), nil })
}

// SetNumThreads sets how many goroutines run Go code at once (faiss's
// omp_set_num_threads); n < 1 means one per CPU.
func SetNumThreads(n int64) string {
	return guard("omp_set_num_threads", func() error {
		if n < 1 {
			n = int64(runtime.NumCPU())
		}
		runtime.GOMAXPROCS(int(n))
		return nil
	})
}

// NumThreads is the current parallelism (faiss's omp_get_max_threads).
func NumThreads() string {
	return text("omp_get_max_threads", func() (string, error) { return strconv.Itoa(runtime.GOMAXPROCS(0)), nil })
}

// Interrupt asks the long adds and trainings in progress to stop (the
// Python layer calls it from its Ctrl-C watcher thread).
func Interrupt() string {
	return guard("interrupt", func() error { core.RequestInterrupt(); return nil })
}

// ClearInterrupt forgets a stop request.
func ClearInterrupt() string {
	return guard("interrupt", func() error { core.ClearInterrupt(); return nil })
}
