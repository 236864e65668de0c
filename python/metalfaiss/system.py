"""What the running library uses."""

from . import _bridge


def kernel_set():
    """The CPU kernels in use: "avx2+fma", "neon" or "go" (no SIMD)."""
    return _bridge.call("KernelSet")


def omp_set_num_threads(n):
    """Run at most ``n`` threads of Go code at once (faiss's name; n < 1:
    one per CPU). One thread makes HNSW builds deterministic."""
    from ._arrays import as_int

    _bridge.call("SetNumThreads", as_int(n, "omp_set_num_threads", "n"))


def omp_get_max_threads():
    """The parallelism searches and builds use."""
    return int(_bridge.call("NumThreads"))


def get_mem_usage_kb():
    """This process's resident memory in kB (faiss's get_mem_usage_kb): read
    from /proc where there is one, else the peak from getrusage."""
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
