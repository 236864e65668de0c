"""Additive quantizers, metalfaiss vs faiss-cpu, same data, same run.

Points of a Gaussian mixture (d=128), indexes built from the same factory
string by both libraries: RQ8x8 and LSQ8x8 (flat, decoded at search as
faiss's default ST_decompress does), the same with quantized norms
(_Nqint8: look-up-table search), IVF1024,RQ8x8_Nqint8 and
IVF65536(RCQ2x8),PQ16 (a residual coarse quantizer of 2^16 lists). For
each: train time (on --nt points), encode time (add of --n points), then
per nprobe the QPS of a batch of queries and recall@10 against exact
search. Ratios are faiss / metalfaiss for times and metalfaiss / faiss for
QPS (> 1: metalfaiss faster).

    .venv/bin/python benchmarks/bench_additive.py [--n 500000] [--nt 100000] [--only 'RQ8x8;...']
"""

import argparse
import os
import platform

import faiss
import metalfaiss
from bench_ivf import mixture
from timing import cpu_line, kernel_line, median_times, recall, sgemm_gflops, timed

# (factory string, nprobes (None: flat), queries)
INDEXES = [
    ("RQ8x8", None, 20),
    ("RQ8x8_Nqint8", None, 200),
    ("LSQ8x8", None, 20),
    ("LSQ8x8_Nqint8", None, 200),
    ("IVF1024,RQ8x8_Nqint8", (1, 8, 32), 1000),
    ("IVF65536(RCQ2x8),PQ16", (8, 32), 1000),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=500_000, help="points added")
    ap.add_argument("--nt", type=int, default=100_000, help="training points")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", help="factory strings to run, separated by ;")
    a = ap.parse_args()
    d = 128
    xb = mixture(a.n, d, 2000, 1)
    xt = mixture(a.nt, d, 2000, 3)
    xq_all = mixture(max(nq for *_, nq in INDEXES), d, 2000, 2)
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
        ours.close()


if __name__ == "__main__":
    main()
