"""The rest of faiss's catalogue (issue 25), metalfaiss vs faiss-cpu, same
data, same run: build time, then QPS and recall@10 at each operating point.

- IMI2x10,PQ16: the inverted multi-index (MultiIndexQuantizer, 2^20
  lists), nprobe 16 / 64 / 256 / 1024.
- HNSWCagra (M 32): the graph built by each library, then searched from
  its base level only (random entry points), efSearch 32 / 64 / 128 / 256.

- NSG32: faiss's default build (GK 64 neighbours found by NN-descent),
  search_L 16 / 32 / 64 / 128.
- NNDescent (K 32): search_L 128 / 512 / 2048 (random start nodes: on a
  mixture of many clusters its kNN graph barely links them, and recall
  stays low in both libraries).

The data are 500k x 128 points of a Gaussian mixture (2,000 centres) by
default, 1,000 queries; each library is timed in its own block of calls
(timing.py). QPS ratio: metalfaiss / faiss; build ratio: faiss time /
metalfaiss time (> 1: metalfaiss faster in both).

    .venv/bin/python benchmarks/bench_graphs.py [--n 500000] [--nq 1000] [--only IMI|Cagra|NSG|NNDescent]
        [--plots docs/plots]

The recall/QPS chart of every index and library goes to graphs.png in the
--plots folder.
"""

import argparse
import os

import blas_env
import faiss
import metalfaiss
from bench_ivf import mixture_with_truth
from plots import recall_qps
from timing import median_times, recall, timed


def build(name, make_ours, make_theirs, xb, train):
    """Both indexes built on xb (trained first when train), with times."""
    ours, theirs = make_ours(), make_theirs()
    t_o = t_t = 0.0
    if train:
        _, t_o = timed(lambda: ours.train(xb))
        _, t_t = timed(lambda: theirs.train(xb))
    _, a_o = timed(lambda: ours.add(xb))
    _, a_t = timed(lambda: theirs.add(xb))
    print(f"| {name} | {t_o + a_o:.2f} | {t_t + a_t:.2f} | {(t_t + a_t) / (t_o + a_o):.2f} |", flush=True)
    return ours, theirs


def sweep(name, ours, theirs, knob, values, set_knob, xq, Iexact, nq, repeats, curves):
    """Search both at each setting; prints a row and adds the points to
    curves[(name, library)]."""
    for v in values:
        set_knob(ours, v)
        set_knob(theirs, v)
        _, Io = ours.search(xq, 10)
        _, It = theirs.search(xq, 10)
        to, tt = median_times([lambda: ours.search(xq, 10), lambda: theirs.search(xq, 10)], rounds=repeats)
        print(f"| {name} | {knob} {v} | {nq / to:,.0f} | {nq / tt:,.0f} | {tt / to:.2f} | "
              f"{recall(Io, Iexact):.3f} | {recall(It, Iexact):.3f} |", flush=True)
        curves.setdefault((name, "metalfaiss"), []).append((recall(Io, Iexact), nq / to))
        curves.setdefault((name, "faiss-cpu"), []).append((recall(It, Iexact), nq / tt))


def main():
    blas_env.restart()
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=500_000)
    ap.add_argument("--nq", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", choices=["IMI", "Cagra", "NSG", "NNDescent"])
    ap.add_argument("--plots", default="docs/plots", help="folder for the recall/QPS chart (graphs.png); empty: none")
    a = ap.parse_args()
    d = 128
    xb, xq, Iexact = mixture_with_truth(a.n, a.nq, d)
    runs = []
    print("| index | build s metalfaiss | faiss | ratio |")
    print("|---|---|---|---|")
    if a.only in (None, "IMI"):
        o, t = build("IMI2x10,PQ16", lambda: metalfaiss.index_factory(d, "IMI2x10,PQ16"),
                     lambda: faiss.index_factory(d, "IMI2x10,PQ16"), xb, True)
        runs.append(("IMI2x10,PQ16", o, t, "nprobe", (16, 64, 256, 1024), lambda ix, v: setattr(ix, "nprobe", v)))
    if a.only in (None, "Cagra"):
        o, t = build("HNSWCagra32", lambda: metalfaiss.IndexHNSWCagra(d, 32), lambda: faiss.IndexHNSWCagra(d, 32), xb, False)
        o.base_level_only = t.base_level_only = True
        runs.append(("HNSWCagra32 base level", o, t, "efSearch", (32, 64, 128, 256),
                     lambda ix, v: setattr(ix.hnsw, "efSearch", v)))
    if a.only in (None, "NSG"):
        o, t = build("NSG32", lambda: metalfaiss.index_factory(d, "NSG32"), lambda: faiss.index_factory(d, "NSG32"), xb, False)
        runs.append(("NSG32", o, t, "search_L", (16, 32, 64, 128), lambda ix, v: setattr(ix.nsg, "search_L", v)))
    if a.only in (None, "NNDescent"):
        o, t = build("NNDescent32", lambda: metalfaiss.IndexNNDescentFlat(d, 32), lambda: faiss.IndexNNDescentFlat(d, 32),
                     xb, False)
        runs.append(("NNDescent32", o, t, "search_L", (128, 512, 2048),
                     lambda ix, v: setattr(ix.nndescent, "search_L", v)))
    print("\n| index | setting | metalfaiss QPS | faiss QPS | QPS ratio | recall@10 metalfaiss | faiss |")
    print("|---|---|---|---|---|---|---|")
    curves = {}
    for name, o, t, knob, values, set_knob in runs:
        sweep(name, o, t, knob, values, set_knob, xq, Iexact, a.nq, a.repeats, curves)
    if a.plots and curves:
        recall_qps(os.path.join(a.plots, "graphs.png"), f"graph and multi-index indexes, {a.n:,} x {d} Gaussian mixture, k=10",
                   curves)


if __name__ == "__main__":
    main()
