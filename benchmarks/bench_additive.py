"""Additive quantizers, metalfaiss vs faiss-cpu, same data, same run.

Clustered points (d=128): 2000 cluster centres, each cluster spread over
its own 16-dimensional subspace plus faint noise, so that 8-byte codes can
tell neighbours apart (in a mixture of full-rank Gaussians recall@10 of
such codes is near 0 for every library). Indexes built from the same
factory string by both libraries: RQ8x8 (flat, decoded at search as
faiss's default ST_decompress does), RQ8x8_Nqint8 and LSQ8x8_Nqint8
(quantized norms: look-up-table search), IVF1024,RQ8x8_Nqint8 and
IVF65536(RCQ2x8),PQ16 (a residual coarse quantizer of 2^16 lists), and
the fast-scan forms RQ16x4fs_Nrq2x4 and IVF1024,RQ16x4fsr_Nrq2x4 (16
4-bit codebooks and a 2x4-bit norm: 9-byte codes). For
each: train time (on --nt points), encode time (add of --n points), then
per nprobe the QPS of a batch of queries and recall@10 against exact
search. Ratios are faiss / metalfaiss for times and metalfaiss / faiss for
QPS (> 1: metalfaiss faster).

    .venv/bin/python benchmarks/bench_additive.py [--n 500000] [--nt 100000] [--only 'RQ8x8;...'] [--plots DIR]

The recall/QPS chart of every index and library goes to additive.png in the
--plots folder.
"""

import argparse
import os
import platform

import numpy as np

import faiss
import metalfaiss
from plots import recall_qps
from timing import cpu_line, kernel_line, median_times, recall, sgemm_gflops, timed

# (factory string, nprobes (None: flat), queries)
INDEXES = [
    ("RQ8x8", None, 20),
    ("RQ8x8_Nqint8", None, 1000),
    ("LSQ8x8_Nqint8", None, 1000),
    ("IVF1024,RQ8x8_Nqint8", (1, 8, 32), 1000),
    ("IVF65536(RCQ2x8),PQ16", (8, 32), 1000),
    ("RQ16x4fs_Nrq2x4", None, 1000),
    ("IVF1024,RQ16x4fsr_Nrq2x4", (1, 8, 32), 1000),
]


def clustered(n, d, seed, clusters=2000, sub=16):
    """Points around clusters centres, each cluster in its own sub-dim
    subspace (fixed by seed 0 for every set), with noise 0.05."""
    rng0 = np.random.default_rng(0)
    centres = rng0.standard_normal((clusters, d)).astype(np.float32) * 2
    bases = rng0.standard_normal((clusters, sub, d)).astype(np.float32) / np.sqrt(sub)
    rng = np.random.default_rng(seed)
    c = rng.integers(0, clusters, n)
    x = centres[c] + np.einsum("ns,nsd->nd", rng.standard_normal((n, sub)).astype(np.float32), bases[c])
    return (x + 0.05 * rng.standard_normal((n, d), dtype=np.float32)).astype(np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=500_000, help="points added")
    ap.add_argument("--nt", type=int, default=100_000, help="training points")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", help="factory strings to run, separated by ;")
    ap.add_argument("--plots", default="docs/plots", help="folder for the recall/QPS chart (additive.png); empty: none")
    a = ap.parse_args()
    d = 128
    xb = clustered(a.n, d, 1)
    xt = clustered(a.nt, d, 3)
    xq_all = clustered(max(nq for *_, nq in INDEXES), d, 2)
    print(f"metalfaiss {metalfaiss.__version__} ({metalfaiss.kernel_set()}) vs faiss {faiss.__version__}, "
          f"{platform.machine()} x {os.cpu_count()} cores; nb={a.n:,} nt={a.nt:,} d={d} k=10")
    print(cpu_line())
    print(kernel_line(sgemm_gflops()))
    flat = metalfaiss.IndexFlatL2(d)
    flat.add(xb)
    _, Iexact_all = flat.search(xq_all, 10)
    flat.close()
    print("| index | stage | metalfaiss | faiss | ratio | recall@10 metalfaiss | faiss |")
    print("|---|---|---|---|---|---|---|")
    curves = {}  # (index, library) -> [(recall, QPS)]
    for desc, nprobes, nq in INDEXES:
        if a.only and desc not in a.only.split(";"):
            continue
        xq, Iexact = xq_all[:nq], Iexact_all[:nq]
        ours, theirs = metalfaiss.index_factory(d, desc), faiss.index_factory(d, desc)
        _, t_train_o = timed(lambda: ours.train(xt))
        _, t_train_t = timed(lambda: theirs.train(xt))
        print(f"| {desc} | train | {t_train_o:.1f} s | {t_train_t:.1f} s | {t_train_t / t_train_o:.2f} | | |",
              flush=True)
        _, t_add_o = timed(lambda: ours.add(xb))
        _, t_add_t = timed(lambda: theirs.add(xb))
        print(f"| {desc} | encode | {t_add_o:.1f} s | {t_add_t:.1f} s | {t_add_t / t_add_o:.2f} | | |", flush=True)
        for nprobe in nprobes or (None,):
            if nprobe is not None:
                ours.nprobe = theirs.nprobe = nprobe
            _, Io = ours.search(xq, 10)
            _, It = theirs.search(xq, 10)
            to, tt = median_times([lambda: ours.search(xq, 10), lambda: theirs.search(xq, 10)], rounds=a.repeats,
                                  block=1)
            stage = "search" if nprobe is None else f"search nprobe {nprobe}"
            print(f"| {desc} | {stage} (QPS) | {nq / to:,.0f} | {nq / tt:,.0f} | {tt / to:.2f} | "
                  f"{recall(Io, Iexact):.3f} | {recall(It, Iexact):.3f} |", flush=True)
            curves.setdefault((desc, "metalfaiss"), []).append((recall(Io, Iexact), nq / to))
            curves.setdefault((desc, "faiss-cpu"), []).append((recall(It, Iexact), nq / tt))
        ours.close()
    if a.plots and curves:
        recall_qps(os.path.join(a.plots, "additive.png"),
                   f"additive quantizers, {a.n:,} x {d} clustered points, k=10", curves)


if __name__ == "__main__":
    main()
