"""Exact search, metalfaiss vs faiss-cpu, same data, same run.

Prints QPS of both and the ratio (metalfaiss / faiss; > 1 means faster),
median of repeats, for the cases of issue #2. Usage:

    .venv/bin/python benchmarks/bench_flat.py [--quick] [--cases 100k,1M,32k]
"""

import argparse
import os
import platform
import statistics
import time

import numpy as np

import faiss
import metalfaiss

CASES = {
    # name: (nb, d, k)
    "100k": (100_000, 128, 10),
    "1M": (1_000_000, 128, 10),
    "32k": (32_768, 64, 10),  # the case the original MetalFaiss quoted
}


def median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def single_query_loop(index, xq, k):
    for i in range(xq.shape[0]):
        index.search(xq[i:i + 1], k)


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
            t_ours = median_time(lambda: fn(ours), repeats)
            t_theirs = median_time(lambda: fn(theirs), repeats)
            rows.append((name, label, nb, d, k, mode, nq / t_ours, nq / t_theirs, t_theirs / t_ours))
            print_row(rows[-1])
        ours.close()
    return rows


HEADER = f"| case | metric | nb | d | k | queries | metalfaiss QPS | faiss-cpu QPS | ratio |\n|---|---|---|---|---|---|---|---|---|"


def print_row(r):
    print(f"| {r[0]} | {r[1]} | {r[2]:,} | {r[3]} | {r[4]} | {r[5]} | {r[6]:,.0f} | {r[7]:,.0f} | {r[8]:.2f} |", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default="100k,1M,32k")
    ap.add_argument("--quick", action="store_true", help="fewer queries and repeats")
    args = ap.parse_args()
    nq_batch, nq_single, repeats = (1_000, 50, 1) if args.quick else (10_000, 200, 3)
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}; "
          f"faiss-cpu {faiss.__version__}, metalfaiss {metalfaiss.__version__}, faiss threads {faiss.omp_get_max_threads()}")
    print(HEADER)
    for name in args.cases.split(","):
        nb, d, k = CASES[name]
        bench_case(name, nb, d, k, nq_batch, nq_single, repeats)


if __name__ == "__main__":
    main()
