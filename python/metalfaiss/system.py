"""What the running library uses."""

from __future__ import annotations

from . import _bridge


def kernel_set() -> str:
    """The CPU kernels this process runs (metalfaiss only; faiss's nearest is ``get_compile_options``).

    Returns
    -------
    str
        "avx512+avx2", "avx2+fma" (amd64), "neon" (arm64) or "go" (no SIMD,
        or METALFAISS_KERNELS=go).
    """
    return _bridge.call("KernelSet")


def omp_set_num_threads(n: int) -> None:
    """Run at most n threads of Go code at once (faiss: ``omp_set_num_threads``).

    One thread makes HNSW builds deterministic. The setting is the
    process's, as faiss's OpenMP setting is.

    Parameters
    ----------
    n : int
        Threads; below 1: one per CPU.

    Raises
    ------
    InputTypeError
        n is not an integer.
    """
    from ._arrays import as_int

    _bridge.call("SetNumThreads", as_int(n, "omp_set_num_threads", "n"))


def omp_get_max_threads() -> int:
    """The parallelism searches and builds use (faiss: ``omp_get_max_threads``).

    Returns
    -------
    int
        Threads of Go code that run at once (omp_set_num_threads's setting,
        or one per CPU).
    """
    return int(_bridge.call("NumThreads"))


def check_openmp() -> bool:
    """Whether the workers a search splits into run together (faiss: ``check_openmp``).

    faiss checks its OpenMP threads so; metalfaiss's workers are Go
    goroutines.

    Returns
    -------
    bool
        True when they do.
    """
    return _bridge.call("CheckParallel") == "1"


def get_mem_usage_kb() -> int:
    """This process's resident memory in kB (faiss: ``get_mem_usage_kb``).

    Read from /proc where there is one, else the peak from getrusage.

    Returns
    -------
    int
        Kilobytes.
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # macOS reports bytes


def build_info() -> dict[str, str]:
    """How the Go extension was built (metalfaiss only).

    Returns
    -------
    dict of str
        go, goos, goarch, kernels, module, tags, CGO_ENABLED, GOAMD64 /
        GOARM64 (where set).
    """
    return dict(line.split("=", 1) for line in _bridge.call("BuildInfo").splitlines() if "=" in line)


def get_compile_options() -> str:
    """The optimisations this build runs with (faiss: ``get_compile_options``).

    Returns
    -------
    str
        Space-separated words: the SIMD kernel sets in use, GPU where the
        build has a GPU driver (Metal on macOS, Vulkan on Linux; whether a
        device is there is get_num_gpus()), the Go version and the platform.
    """
    info = build_info()
    simd = [k.upper().replace("+FMA", "") for k in info["kernels"].split("+")]
    gpu = ["GPU"] if info["goos"] in ("linux", "darwin") else []
    return " ".join(["OPTIMIZE", *simd, *gpu, info["go"].upper(), f"{info['goos']}/{info['goarch']}"])


def gemm_gflops(nx: int = 280, ny: int = 1024, d: int = 128, seconds: float = 0.5) -> float:
    """The packed micro-kernel's speed on this machine, all threads at once (metalfaiss only).

    A diagnostic for benchmarks (compare numpy's sgemm).

    Parameters
    ----------
    nx : int
        Rows of one operand per call (280).
    ny : int
        Rows of the other (1024).
    d : int
        Dimension of the inner products (128).
    seconds : float
        How long to measure, about (0.5).

    Returns
    -------
    float
        GFLOP/s.

    Raises
    ------
    UnsupportedOperationError
        The kernel set has no packed micro-kernel.
    """
    import numpy as np

    from ._arrays import addr, as_float, as_int

    op = "gemm_gflops"
    out = np.zeros(1, dtype=np.float64)
    _bridge.call("GemmSpeed", as_int(nx, op, "nx"), as_int(ny, op, "ny"), as_int(d, op, "d"),
                 as_float(seconds, op, "seconds"), addr(out))
    return float(out[0])
