package pyapi

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

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

// BuildInfo returns "=" and "key=value" lines on how the extension was
// built: the Go version, GOOS/GOARCH, the Go module's version, the build
// settings (tags, cgo, GOAMD64/GOARM64) and the CPU kernels chosen.
func BuildInfo() string {
	return text("build_info", func() (string, error) {
		var b strings.Builder
		fmt.Fprintf(&b, "go=%s\ngoos=%s\ngoarch=%s\nkernels=%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, kernels.KernelSet())
		if info, ok := debug.ReadBuildInfo(); ok {
			fmt.Fprintf(&b, "module=%s %s\n", info.Main.Path, info.Main.Version)
			for _, s := range info.Settings {
				switch s.Key {
				case "-tags", "CGO_ENABLED", "GOAMD64", "GOARM64", "vcs.revision", "vcs.modified":
					fmt.Fprintf(&b, "%s=%s\n", strings.TrimPrefix(s.Key, "-"), s.Value)
				}
			}
		}
		return b.String(), nil
	})
}

// KernelLevels lists the kernel sets this machine runs, best last, comma
// separated ("go,avx2,avx512").
func KernelLevels() string {
	return text("SIMDConfig", func() (string, error) { return strings.Join(kernels.Levels(), ","), nil })
}

// KernelLevel names the kernel set in use.
func KernelLevel() string {
	return text("SIMDConfig.get_level", func() (string, error) { return kernels.Level(), nil })
}

// SetKernelLevel installs the kernel set level (one of KernelLevels).
func SetKernelLevel(level string) string {
	const op = "SIMDConfig.set_level"
	return guard(op, func() error {
		if err := kernels.SetLevel(level); err != nil {
			return core.Errorf(core.KindInvalidArgument, op, "%v", err)
		}
		return nil
	})
}

// CheckParallel reports whether the worker goroutines run together
// (faiss's check_openmp): "1" or "0".
func CheckParallel() string {
	return text("check_openmp", func() (string, error) { return strconv.Itoa(int(b2i(core.CheckParallel()))), nil })
}

// GemmSpeed writes the packed micro-kernel's GFLOP/s on every worker
// (core.GemmSpeed) to out (float64[1]).
func GemmSpeed(nx, ny, d int64, seconds float64, out uintptr) string {
	return guard("gemm_speed", func() error {
		dst, err := float64s(out, 1)
		if err != nil {
			return err
		}
		g, _, err := core.GemmSpeed(int(nx), int(ny), int(d), seconds)
		dst[0] = g
		return err
	})
}
