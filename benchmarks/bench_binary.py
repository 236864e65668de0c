"""Binary indexes, metalfaiss vs faiss-cpu, same codes, same run.

1M codes of 256 bits (32 bytes) drawn near 1000 random centres (each bit
flipped with probability 0.25, so that neighbours are near but distances
tie as binary codes do), 1000 queries from the same centres. IndexBinaryFlat
search for k = 1 and k = 10; then IndexBinaryIVF (BIVF1024) train, add and
search at nprobe 8 and 32. Ratios are metalfaiss / faiss for QPS and
faiss / metalfaiss for times (> 1: metalfaiss faster). Searches are timed
in alternating blocks per library (see timing.py) and the median is kept.

    .venv/bin/python benchmarks/bench_binary.py [--n 1000000] [--nq 1000] [--rounds 3] [--no-ivf] [--no-flat]
        [--plots DIR]

Results are exact (both libraries return the same codes), so the chart
(binary.png in --plots) gives the time per query of each setting rather
than recall against QPS.
"""

import argparse
import os
import platform

import numpy as np

import faiss
import metalfaiss
from plots import time_size
from timing import median_times, timed


def codes(n, d, centres, seed, flip=0.25):
    rng = np.random.default_rng(seed)
    out = np.empty((n, d // 8), dtype=np.uint8)
    for lo in range(0, n, 100_000):  # in blocks: the bit arrays are 8x the codes
        hi = min(n, lo + 100_000)
        bits = np.unpackbits(centres[rng.integers(0, len(centres), hi - lo)], axis=1, bitorder="little")
        bits ^= (rng.random(bits.shape) < flip).astype(np.uint8)
        out[lo:hi] = np.packbits(bits, axis=1, bitorder="little")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--nq", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3, help="alternating blocks of 3 timed calls per library")
    ap.add_argument("--no-ivf", action="store_true")
    ap.add_argument("--no-flat", action="store_true")
    ap.add_argument("--plots", default="docs/plots", help="folder for the time chart (binary.png); empty: none")
    a = ap.parse_args()
    d = 256
    centres = np.random.default_rng(0).integers(0, 256, (1000, d // 8), dtype=np.uint8)
    xb, xq = codes(a.n, d, centres, 1), codes(a.nq, d, centres, 2)
    print(f"metalfaiss {metalfaiss.__version__} ({metalfaiss.kernel_set()}) vs faiss {faiss.__version__}, "
          f"{platform.machine()} x {os.cpu_count()} cores; nb={a.n:,} d={d} bits nq={a.nq}")

    rows = []  # (setting, metalfaiss QPS, faiss QPS)
    if not a.no_flat:
        rows += search_flat(a, d, xb, xq)
    if not a.no_ivf:
        rows += search_ivf(a, d, xb, xq)
    if a.plots and rows:
        series = {"metalfaiss": [1e6 / qm for _, qm, _ in rows], "faiss-cpu": [1e6 / qf for _, _, qf in rows]}
        time_size(os.path.join(a.plots, "binary.png"), f"binary indexes, {a.n:,} codes of {d} bits, {a.nq} queries",
                  [setting for setting, _, _ in rows], series, ylabel="microseconds per query",
                  xlabel="index and setting")


def search_flat(a, d, xb, xq):
    ours, theirs = metalfaiss.IndexBinaryFlat(d), faiss.IndexBinaryFlat(d)
    ours.add(xb)
    theirs.add(xb)
    print("\n| index | k | metalfaiss QPS | faiss QPS | ratio | same results |")
    print("|---|---|---|---|---|---|")
    rows = []
    for k in (1, 10):
        Dm, Im = ours.search(xq, k)
        Df, If = theirs.search(xq, k)
        tm, tf = median_times([lambda: ours.search(xq, k), lambda: theirs.search(xq, k)], a.rounds)
        qm, qf = a.nq / tm, a.nq / tf
        same = np.array_equal(Dm, Df) and np.array_equal(Im, If)
        print(f"| BFlat | {k} | {qm:,.0f} | {qf:,.0f} | {qm / qf:.2f} | {same} |", flush=True)
        rows.append((f"BFlat k={k}", qm, qf))
    ours.close()
    return rows


def search_ivf(a, d, xb, xq):
    ours, theirs = metalfaiss.index_binary_factory(d, "BIVF1024"), faiss.index_binary_factory(d, "BIVF1024")
    _, tm = timed(lambda: ours.train(xb))
    _, tf = timed(lambda: theirs.train(xb))
    print(f"\nBIVF1024 train: metalfaiss {tm:.2f} s, faiss {tf:.2f} s, ratio {tf / tm:.2f}")
    _, tm = timed(lambda: ours.add(xb))
    _, tf = timed(lambda: theirs.add(xb))
    print(f"BIVF1024 add: metalfaiss {tm:.2f} s, faiss {tf:.2f} s, ratio {tf / tm:.2f}")
    print("\n| index | nprobe | metalfaiss QPS | faiss QPS | ratio | same results |")
    print("|---|---|---|---|---|---|")
    rows = []
    for nprobe in (8, 32):
        ours.nprobe = theirs.nprobe = nprobe
        Dm, Im = ours.search(xq, 10)
        Df, If = theirs.search(xq, 10)
        tm, tf = median_times([lambda: ours.search(xq, 10), lambda: theirs.search(xq, 10)], a.rounds)
        qm, qf = a.nq / tm, a.nq / tf
        same = np.array_equal(Dm, Df) and np.array_equal(Im, If)
        print(f"| BIVF1024 | {nprobe} | {qm:,.0f} | {qf:,.0f} | {qm / qf:.2f} | {same} |", flush=True)
        rows.append((f"BIVF1024 nprobe {nprobe}", qm, qf))
    return rows


if __name__ == "__main__":
    main()
