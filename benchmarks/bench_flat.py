"""Exact search, metalfaiss vs faiss-cpu, same data, same run.

Prints QPS of both and the ratio (metalfaiss / faiss; > 1 means faster),
median of repeats, and how close each gets to the machine's ceilings
measured in the same run: sgemm GFLOP/s (numpy's BLAS) for batched rows,
memory read bandwidth (numpy's multi-threaded sgemv over a 512 MiB matrix)
for single-query rows. Also the Python call time of a one-vector search on
a tiny index. Usage:

    .venv/bin/python benchmarks/bench_flat.py [--quick] [--cases 100k,1M,32k] [--plots DIR]

The time-per-query chart of each case, library and mode goes to flat.png in
the --plots folder.
"""

import argparse
import os
import platform
import statistics
import time

import numpy as np

import faiss
import metalfaiss
from plots import time_size
from timing import cpu_line, kernel_line, median_times, sgemm_gflops, timed

CASES = {
    # name: (nb, d, k)
    "100k": (100_000, 128, 10),
    "1M": (1_000_000, 128, 10),
    "32k": (32_768, 64, 10),  # the case the original MetalFaiss quoted
}


def single_query_loop(index, xq, k):
    for i in range(xq.shape[0]):
        index.search(xq[i:i + 1], k)


def read_bandwidth_gbs():
    """Memory read bandwidth: a multi-threaded sgemv streams 512 MiB once."""
    m = np.ones((1 << 20, 128), dtype=np.float32)
    v = np.ones(128, dtype=np.float32)
    m @ v
    return m.nbytes / statistics.median(timed(lambda: m @ v)[1] for _ in range(5)) / 1e9


def call_overhead_us():
    """Microseconds per search call: one query, 10 vectors of d=8."""
    x = np.random.default_rng(1).random((10, 8), dtype=np.float32)
    out = []
    for lib in (metalfaiss, faiss):
        ix = lib.IndexFlatL2(8)
        ix.add(x)
        q = x[:1].copy()
        for _ in range(1000):
            ix.search(q, 1)
        n = 20000
        t0 = time.perf_counter()
        for _ in range(n):
            ix.search(q, 1)
        out.append((time.perf_counter() - t0) / n * 1e6)
    return out


def bench_case(name, nb, d, k, nq_batch, nq_single, repeats):
    rng = np.random.default_rng(42)
    xb = rng.random((nb, d), dtype=np.float32)
    xq = rng.random((nq_batch, d), dtype=np.float32)
    rows = []
    for metric, label in ((metalfaiss.METRIC_L2, "L2"), (metalfaiss.METRIC_INNER_PRODUCT, "IP")):
        ours, theirs = metalfaiss.IndexFlat(d, metric), faiss.IndexFlat(d, metric)
        ours.add(xb)
        theirs.add(xb)
        ours.search(xq[:100], k), theirs.search(xq[:100], k)  # warm up
        for mode, nq, fn in (
            ("nq=1 loop", nq_single, lambda ix: single_query_loop(ix, xq[:nq_single], k)),
            (f"nq={nq_batch} batch", nq_batch, lambda ix: ix.search(xq, k)),
        ):
            t_ours, t_theirs = median_times([lambda: fn(ours), lambda: fn(theirs)], rounds=repeats, block=2)
            if nq == 1 or mode.startswith("nq=1 "):
                work, unit = nb * d * 4 / 1e9, "GB/s"  # bytes of the database read per query
            else:
                work, unit = 2 * nb * d / 1e9, "GFLOP/s"  # per query
            rows.append((name, label, nb, d, k, mode, nq / t_ours, nq / t_theirs, t_theirs / t_ours,
                         work * nq / t_ours, work * nq / t_theirs, unit))
            print_row(rows[-1])
        ours.close()
    return rows


HEADER = ("| case | metric | nb | d | k | queries | metalfaiss QPS | faiss-cpu QPS | ratio | metalfaiss rate (% of ceiling) | faiss rate (% of ceiling) |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|")
CEILING = {}


def print_row(r):
    ceil = CEILING[r[11]]
    print(f"| {r[0]} | {r[1]} | {r[2]:,} | {r[3]} | {r[4]} | {r[5]} | {r[6]:,.0f} | {r[7]:,.0f} | {r[8]:.2f} "
          f"| {r[9]:.1f} {r[11]} ({100 * r[9] / ceil:.0f}%) | {r[10]:.1f} {r[11]} ({100 * r[10] / ceil:.0f}%) |", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default="100k,1M,32k")
    ap.add_argument("--quick", action="store_true", help="fewer queries and repeats")
    ap.add_argument("--plots", default="docs/plots", help="folder for the time chart (flat.png); empty: none")
    args = ap.parse_args()
    nq_batch, nq_single, repeats = (1_000, 50, 1) if args.quick else (10_000, 200, 3)
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}; "
          f"faiss-cpu {faiss.__version__}, metalfaiss {metalfaiss.__version__}, faiss threads {faiss.omp_get_max_threads()}")
    CEILING["GFLOP/s"], CEILING["GB/s"] = sgemm_gflops(), read_bandwidth_gbs()
    ours_us, faiss_us = call_overhead_us()
    print(cpu_line())
    print(f"ceilings: sgemm {CEILING['GFLOP/s']:.0f} GFLOP/s (numpy BLAS), memory read {CEILING['GB/s']:.1f} GB/s")
    print(kernel_line(CEILING["GFLOP/s"]))
    print(f"one-vector search on a tiny index: metalfaiss {ours_us:.1f} us/call, faiss-cpu {faiss_us:.1f} us/call")
    print(HEADER)
    rows = []
    for name in args.cases.split(","):
        nb, d, k = CASES[name]
        rows += bench_case(name, nb, d, k, nq_batch, nq_single, repeats)
    if args.plots and rows:
        plot_times(os.path.join(args.plots, "flat.png"), rows)


def plot_times(path, rows):
    """Microseconds per query against the database size: one curve per
    library, metric and query mode."""
    sizes = [f"{nb:,} x {d}" for nb, d in sorted({(r[2], r[3]) for r in rows}, key=lambda s: s[0] * s[1])]
    series = {}
    for r in rows:
        for library, qps in (("metalfaiss", r[6]), ("faiss-cpu", r[7])):
            values = series.setdefault((f"{r[1]}, {r[5]}", library), [None] * len(sizes))
            values[sizes.index(f"{r[2]:,} x {r[3]}")] = 1e6 / qps
    time_size(path, f"exact search (IndexFlat), k={rows[0][4]}", sizes, series, ylabel="microseconds per query")


if __name__ == "__main__":
    main()
