"""Pre-transformed indexes, metalfaiss vs faiss-cpu, same data, same run.

500k x 256 points of a Gaussian mixture living near a 64-dimensional
subspace, indexed by "PCA64,IVF1024,Flat" and "OPQ16_64,IVF1024,PQ16" from
the same factory string in both libraries: train time (the transform, then
the coarse quantizer and codec), add time, and per nprobe the QPS and
recall@10 against exact search on the original vectors. Ratios are
metalfaiss / faiss for QPS and faiss / metalfaiss for times (> 1:
metalfaiss faster). Searches are timed in alternating blocks per library
(see timing.py) and the median is kept.

    .venv/bin/python benchmarks/bench_transforms.py [--n 500000] [--nq 1000] [--rounds 3] [--only PCA] [--plots DIR]

The recall/QPS chart of both indexes and libraries goes to transforms.png in
the --plots folder.
"""

import argparse
import os
import platform

import numpy as np

import faiss
import metalfaiss
from plots import recall_qps
from timing import median_times, recall, timed

INDEXES = [("PCA64,IVF1024,Flat", (1, 8, 32)), ("OPQ16_64,IVF1024,PQ16", (8, 32))]


def data(n, d, seed, basis, centres):
    rng = np.random.default_rng(seed)
    z = centres[rng.integers(0, len(centres), n)] + rng.standard_normal((n, basis.shape[0]), dtype=np.float32)
    return (z @ basis + 0.3 * rng.standard_normal((n, basis.shape[1]), dtype=np.float32)).astype(np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=500_000)
    ap.add_argument("--nq", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3, help="alternating blocks of 3 timed calls per library")
    ap.add_argument("--only", help="run the factory strings containing this text")
    ap.add_argument("--plots", default="docs/plots", help="folder for the recall/QPS chart (transforms.png); empty: none")
    a = ap.parse_args()
    d = 256
    rng = np.random.default_rng(0)
    basis = rng.standard_normal((64, d)).astype(np.float32) / 8
    centres = rng.standard_normal((2000, 64)).astype(np.float32) * 3
    xb, xq = data(a.n, d, 1, basis, centres), data(a.nq, d, 2, basis, centres)
    print(f"metalfaiss {metalfaiss.__version__} ({metalfaiss.kernel_set()}) vs faiss {faiss.__version__}, "
          f"{platform.machine()} x {os.cpu_count()} cores; nb={a.n:,} d={d} nq={a.nq} k=10")
    flat = metalfaiss.IndexFlatL2(d)
    flat.add(xb)
    _, Iexact = flat.search(xq, 10)
    flat.close()
    curves = {}  # (index, library) -> [(recall, QPS)]
    for desc, nprobes in INDEXES:
        if a.only and a.only not in desc:
            continue
        ours, theirs = metalfaiss.index_factory(d, desc), faiss.index_factory(d, desc)
        _, tm_train = timed(lambda: ours.train(xb))
        _, tf_train = timed(lambda: theirs.train(xb))
        _, tm_add = timed(lambda: ours.add(xb))
        _, tf_add = timed(lambda: theirs.add(xb))
        print(f"\n{desc}: train metalfaiss {tm_train:.1f} s, faiss {tf_train:.1f} s, ratio {tf_train / tm_train:.2f}; "
              f"add metalfaiss {tm_add:.1f} s, faiss {tf_add:.1f} s, ratio {tf_add / tm_add:.2f}")
        print("\n| index | nprobe | metalfaiss QPS | faiss QPS | ratio | recall metalfaiss | recall faiss |")
        print("|---|---|---|---|---|---|---|")
        ivf_m, ivf_f = metalfaiss.extract_index_ivf(ours), faiss.extract_index_ivf(theirs)
        for nprobe in nprobes:
            ivf_m.nprobe = ivf_f.nprobe = nprobe
            _, Im = ours.search(xq, 10)
            _, If = theirs.search(xq, 10)
            tm, tf = median_times([lambda: ours.search(xq, 10), lambda: theirs.search(xq, 10)], a.rounds)
            qm, qf = a.nq / tm, a.nq / tf
            print(f"| {desc} | {nprobe} | {qm:,.0f} | {qf:,.0f} | {qm / qf:.2f} | {recall(Im, Iexact):.3f} | "
                  f"{recall(If, Iexact):.3f} |", flush=True)
            curves.setdefault((desc, "metalfaiss"), []).append((recall(Im, Iexact), qm))
            curves.setdefault((desc, "faiss-cpu"), []).append((recall(If, Iexact), qf))
        ours.close()
        theirs = None  # frees faiss's index before the next one
    if a.plots and curves:
        recall_qps(os.path.join(a.plots, "transforms.png"),
                   f"pre-transformed IVF, {a.n:,} x {d} points near a 64-d subspace, k=10", curves)


if __name__ == "__main__":
    main()
