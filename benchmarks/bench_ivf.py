"""IVF indexes, metalfaiss vs faiss-cpu, same data, same run.

1M x 128 points of a Gaussian mixture (so that recall means something),
indexes built from the same factory string by both libraries:
IVF1024,Flat (nprobe 1/8/32/128), IVF1024,PQ16 and IVF1024,SQ8. For each:
train and add time, then per nprobe the QPS of a batch of queries and the
recall@10 against exact search. Ratios are metalfaiss / faiss for QPS (> 1:
metalfaiss faster) and faiss / metalfaiss for times (> 1: metalfaiss faster).
Searches are interleaved between the libraries and the median of the
repeats is kept (the machines here are shared and noisy).

    .venv/bin/python benchmarks/bench_ivf.py [--quick] [--nq 1000] [--repeats 3]
"""

import argparse
import os
import platform

import numpy as np

import faiss
import metalfaiss
from plots import recall_qps
from timing import cpu_line, kernel_line, median_times, recall, sgemm_gflops, timed

INDEXES = [("IVF1024,Flat", (1, 8, 32, 128)), ("IVF1024,PQ16", (1, 8, 32)), ("IVF1024,PQ16np", (8,)),
           ("IVF1024,SQ8", (1, 8, 32))]


def mixture(n, d, components, seed):
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((components, d)).astype(np.float32) * 2
    return centres[rng.integers(0, components, n)] + rng.standard_normal((n, d), dtype=np.float32)


def mixture_with_truth(n, nq, d):
    """The benchmark data (n mixture points, nq queries from the same
    mixture) and their exact top 10, after the header every table of these
    benchmarks carries (libraries, machine, CPU, kernels)."""
    xb, xq = mixture(n, d, 2000, 1), mixture(nq, d, 2000, 2)
    print(f"metalfaiss {metalfaiss.__version__} ({metalfaiss.kernel_set()}) vs faiss {faiss.__version__}, "
          f"{platform.machine()} x {os.cpu_count()} cores; nb={n:,} d={d} nq={nq} k=10")
    print(cpu_line())
    print(kernel_line(sgemm_gflops()))
    flat = metalfaiss.IndexFlatL2(d)
    flat.add(xb)
    _, Iexact = flat.search(xq, 10)
    flat.close()
    return xb, xq, Iexact


def setup():
    """The arguments, the data (mixture points, queries), the exact top 10
    and the header both IVF-family benchmarks print: (args, d, xb, xq,
    Iexact)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="100k points instead of 1M")
    ap.add_argument("--nq", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", help="factory strings to run, separated by ;")
    ap.add_argument("--plots", default="docs/plots", help="folder for the recall/QPS chart (ivf.png, fastscan.png); empty: none")
    a = ap.parse_args()
    d = 128
    xb, xq, Iexact = mixture_with_truth(100_000 if a.quick else 1_000_000, a.nq, d)
    print("| index | nprobe | metalfaiss QPS | faiss QPS | QPS ratio | recall@10 metalfaiss | faiss |")
    print("|---|---|---|---|---|---|---|")
    return a, d, xb, xq, Iexact


def main():
    a, d, xb, xq, Iexact = setup()
    builds, curves = [], {}
    for desc, nprobes in INDEXES:
        if a.only and desc not in a.only.split(";"):
            continue
        # the same string for both: "PQ16" trains the polysemous renumbering
        # in both libraries (faiss's default), "PQ16np" in neither
        ours, theirs = metalfaiss.index_factory(d, desc), faiss.index_factory(d, desc)
        _, t_train_o = timed(lambda: ours.train(xb))
        _, t_train_t = timed(lambda: theirs.train(xb))
        _, t_add_o = timed(lambda: ours.add(xb))
        _, t_add_t = timed(lambda: theirs.add(xb))
        builds.append((desc, t_train_o, t_train_t, t_add_o, t_add_t))
        for nprobe in nprobes:
            ours.nprobe = theirs.nprobe = nprobe
            _, Io = ours.search(xq, 10)
            _, It = theirs.search(xq, 10)
            # each library in its own block of calls (timing.py says why)
            to, tt = median_times([lambda: ours.search(xq, 10), lambda: theirs.search(xq, 10)], rounds=a.repeats)
            qo, qt = a.nq / to, a.nq / tt
            print(f"| {desc} | {nprobe} | {qo:,.0f} | {qt:,.0f} | {qo / qt:.2f} | "
                  f"{recall(Io, Iexact):.3f} | {recall(It, Iexact):.3f} |", flush=True)
            curves.setdefault((desc, "metalfaiss"), []).append((recall(Io, Iexact), qo))
            curves.setdefault((desc, "faiss-cpu"), []).append((recall(It, Iexact), qt))
        ours.close()
        theirs = None  # frees faiss's index before the next one
    print("\n| index | train s metalfaiss | faiss | ratio | add s metalfaiss | faiss | ratio |")
    print("|---|---|---|---|---|---|---|")
    for desc, to, tt, ao, at in builds:
        print(f"| {desc} | {to:.2f} | {tt:.2f} | {tt / to:.2f} | {ao:.2f} | {at:.2f} | {at / ao:.2f} |")
    if a.plots and curves:
        recall_qps(os.path.join(a.plots, "ivf.png"), f"IVF, {len(xb):,} x {d} Gaussian mixture, nprobe sweep, k=10",
                   curves)


if __name__ == "__main__":
    main()
