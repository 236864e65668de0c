"""Timing two libraries fairly on a small shared machine.

faiss's OpenMP threads spin for a while after each call (libgomp's
spin-wait), taking the cores from whatever runs next: timing the two
libraries call by call, alternating, slows the one that runs right after
faiss (measured on BIVF1024 nprobe 8: metalfaiss 50.7k QPS right after a
faiss call, 69.6k after a 0.3 s pause). So each library runs a block of
calls in a row and only the calls after its first 0.3 s count (one call
at least: a few-millisecond call would otherwise be timed while faiss's
threads still spin: IVF1024,PQ32x4fs nprobe 1 read 165k-230k QPS from
run to run); blocks alternate so that drift in the machine's load reaches
both.
"""

import statistics
import time

import numpy as np


SETTLE_S = 0.3
BLOCK_S = 0.3


def median_times(fns, rounds=3, block=3):
    """Median seconds per call of each function in fns: rounds of blocks
    of `block` timed calls (more, up to BLOCK_S, when calls are quick: a
    few milliseconds' call meets the odd slow one), after untimed calls
    filling SETTLE_S."""
    times = [[] for _ in fns]
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()  # after the other library: its threads may still spin
            while time.perf_counter() - start < SETTLE_S:
                fn()
            start, calls = time.perf_counter(), 0
            while calls < block or time.perf_counter() - start < BLOCK_S:
                t = time.perf_counter()
                fn()
                times[i].append(time.perf_counter() - t)
                calls += 1
    return [statistics.median(t) for t in times]


def timed(fn):
    """fn's result and the seconds one call took."""
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def recall(I, Iexact, k=10):
    """Mean share of the exact k nearest found among the first k results."""
    return float(np.mean([len(set(a[:k]) & set(b[:k])) / k for a, b in zip(I, Iexact)]))


def cpu_line():
    """The CPU model and the SIMD flags that decide the kernels, for the
    header of every table: a ratio measured on one CPU is not a claim
    about another."""
    import platform

    model, family, flags = platform.processor() or platform.machine(), "", set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                key, value = key.strip(), value.strip()
                if key == "model name" and model in ("", platform.machine(), platform.processor()):
                    model = value
                elif key in ("cpu family", "model") and family.count("/") < 1:
                    family += ("/" if family else "") + value
                elif key in ("flags", "Features") and not flags:
                    flags = set(value.split())
    except OSError:
        pass
    simd = sorted(f for f in flags if f.startswith(("avx512f", "avx512_bf16", "avx2", "fma", "asimd", "sve")))
    fam = f" (family/model {family})" if family else ""
    return f"cpu: {model}{fam}, {len(simd) and ' '.join(simd) or 'no SIMD flags read'}"


def kernel_line(sgemm):
    """The packed micro-kernel's rate beside the machine's sgemm (numpy's
    BLAS), measured in the same run."""
    import metalfaiss
    from metalfaiss.system import gemm_gflops

    try:
        g = gemm_gflops()
    except Exception as e:  # a kernel set without the packed kernel
        return f"kernels: {metalfaiss.kernel_set()}; micro-kernel: {e}"
    return (f"kernels: {metalfaiss.kernel_set()}; micro-kernel {g:.0f} GFLOP/s = {100 * g / sgemm:.0f}% "
            f"of sgemm {sgemm:.0f} GFLOP/s (numpy's BLAS), both on all cores")


def sgemm_gflops():
    """The machine's float32 matrix-multiply speed, through numpy's BLAS
    (median of five 2048^3 products)."""
    rng = np.random.default_rng(0)
    a = rng.random((2048, 2048), dtype=np.float32)
    b = rng.random((2048, 2048), dtype=np.float32)
    a @ b
    return 2 * 2048**3 / statistics.median(timed(lambda: a @ b)[1] for _ in range(5)) / 1e9
