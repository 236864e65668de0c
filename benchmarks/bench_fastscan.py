"""Fast-scan indexes, metalfaiss vs faiss-cpu, same data, same run.

1M x 128 points of a Gaussian mixture and 1,000 queries; each index built
from the same factory string by both libraries: PQ32x4fs, IVF1024,PQ32x4fs
at nprobe 1/8/32/128, the same with ,RFlat (k_factor 4), and the RaBitQ
IVF indexes (rows say when a library lacks one). For each: train and add
time, then per nprobe the QPS of the batch and recall@10 against exact
search. QPS ratio is metalfaiss / faiss (> 1: metalfaiss faster); time
ratios are faiss / metalfaiss. Each library's searches run in their own
block of calls, blocks alternating (timing.py says why).

    .venv/bin/python benchmarks/bench_fastscan.py [--quick] [--nq 1000] [--only "IVF1024,PQ32x4fs"]
"""

import blas_env

blas_env.restart()  # before numpy or faiss load OpenBLAS

import os

import faiss
import metalfaiss
from bench_ivf import setup  # the IVF benchmark's data, arguments and header
from plots import recall_qps
from timing import median_times, recall, timed

INDEXES = [
    ("PQ32x4fs", (None,)),
    ("IVF1024,PQ32x4fs", (1, 8, 32, 128)),
    ("IVF1024,PQ32x4fs,RFlat", (1, 8, 32, 128)),
    ("IVF1024,RaBitQ", (1, 8, 32, 128)),
    ("IVF1024,RaBitQfs", (1, 8, 32, 128)),
]


def build(lib, d, desc):
    try:
        ix = lib.index_factory(d, desc)
    except Exception as e:  # a library without this index type
        return None, f"{type(e).__name__}: {str(e)[:60]}"
    if desc.endswith(",RFlat"):
        ix.k_factor = 4
    return ix, None


def main():
    a, d, xb, xq, Iexact = setup()
    builds = []
    curves = {}  # (index, library) -> [(recall, QPS)]: the chart
    for desc, nprobes in INDEXES:
        if a.only and desc not in a.only.split(";"):
            continue
        ours, why_o = build(metalfaiss, d, desc)
        theirs, why_t = build(faiss, d, desc)
        times = {}
        for name, ix in (("o", ours), ("t", theirs)):
            if ix is not None:
                _, times["train" + name] = timed(lambda: ix.train(xb))
                _, times["add" + name] = timed(lambda: ix.add(xb))
        builds.append((desc, times, why_o, why_t))
        for nprobe in nprobes:
            res = {}
            for name, ix in (("o", ours), ("t", theirs)):
                if ix is None:
                    continue
                if nprobe is not None:
                    (metalfaiss if name == "o" else faiss).extract_index_ivf(ix).nprobe = nprobe
                res[name] = ix.search(xq, 10)[1]
            fns = [lambda ix=ix: ix.search(xq, 10) for ix in (ours, theirs) if ix is not None]
            ts = median_times(fns, rounds=a.repeats)
            qps = {}
            for name, t in zip([nm for nm, ix in (("o", ours), ("t", theirs)) if ix is not None], ts):
                qps[name] = a.nq / t
            qo, qt = qps.get("o"), qps.get("t")
            for name, library in (("o", "metalfaiss"), ("t", "faiss-cpu")):
                if name in qps:
                    curves.setdefault((desc, library), []).append((recall(res[name], Iexact), qps[name]))
            cells = [f"{qo:,.0f}" if qo else "n/a", f"{qt:,.0f}" if qt else "n/a",
                     f"{qo / qt:.2f}" if qo and qt else "n/a",
                     f"{recall(res['o'], Iexact):.3f}" if "o" in res else "n/a",
                     f"{recall(res['t'], Iexact):.3f}" if "t" in res else "n/a"]
            print(f"| {desc} | {nprobe or '-'} | " + " | ".join(cells) + " |", flush=True)
        if ours is not None:
            ours.close()
        theirs = None  # frees faiss's index before the next one
    if a.plots and curves:
        recall_qps(os.path.join(a.plots, "fastscan.png"),
                   f"fast-scan and RaBitQ, {len(xb):,} x {d} Gaussian mixture, nprobe sweep, k=10", curves)
    print("\n| index | train s metalfaiss | faiss | ratio | add s metalfaiss | faiss | ratio |")
    print("|---|---|---|---|---|---|---|")
    for desc, t, why_o, why_t in builds:
        def cell(k):
            return f"{t[k]:.2f}" if k in t else "n/a"

        def ratio(a_, b_):
            return f"{t[b_] / t[a_]:.2f}" if a_ in t and b_ in t else "n/a"
        print(f"| {desc} | {cell('traino')} | {cell('traint')} | {ratio('traino', 'traint')} | "
              f"{cell('addo')} | {cell('addt')} | {ratio('addo', 'addt')} |")
        for lib, why in (("metalfaiss", why_o), ("faiss", why_t)):
            if why:
                print(f"|   {lib} lacks it: {why} |||||||")


if __name__ == "__main__":
    main()
