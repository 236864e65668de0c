"""HNSW, metalfaiss vs faiss-cpu vs hnswlib vs usearch, same data, same run.

Points of a Gaussian mixture (1M x 128 by default; --n to change), M=32,
efConstruction 40 (faiss's default) and 200; usearch in f32 with
connectivity M and expansion_add/expansion_search the same values. For each
library: build time, memory (resident-set growth over the build, in all and
per vector), then for efSearch from 16 to
512 the QPS (median of blocks of calls taken in rotation, timing.py) and recall@10 of a batch
of queries; per target recall (0.9,
0.95, 0.99) the QPS interpolated at it. Ratios: build time faiss / ours (> 1:
metalfaiss faster), QPS ours / best of faiss, hnswlib and usearch.

    .venv/bin/python benchmarks/bench_hnsw.py [--n 1000000] [--nq 1000]
"""

import argparse
import importlib.metadata
import os
import platform
import time

import numpy as np

import faiss
import metalfaiss

try:
    import hnswlib
except ImportError:  # the Makefile's bench target installs it
    hnswlib = None
try:
    import usearch.index
except ImportError:  # the Makefile's bench target installs it
    usearch = None

from bench_ivf import mixture, recall
from plots import recall_qps
from timing import cpu_line, median_times

EF_SEARCH = (16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048)
TARGETS = (0.9, 0.95, 0.99)


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class Lib:
    def __init__(self, name, build, search, set_ef):
        self.name, self.build, self.search, self.set_ef = name, build, search, set_ef


def libraries(d, M, efc, hnswlib_selection):
    def faiss_like(mod, selection=False):
        box = {}

        def build(x):
            box["i"] = mod.IndexHNSWFlat(d, M)
            box["i"].hnsw.efConstruction = efc
            if selection:
                box["i"].hnsw.hnswlib_selection = True
            box["i"].add(x)

        def set_ef(ef):
            box["i"].hnsw.efSearch = ef

        return build, lambda q: box["i"].search(q, 10)[1], set_ef

    libs = [Lib("metalfaiss", *faiss_like(metalfaiss))]
    if hnswlib_selection:
        libs.append(Lib("metalfaiss-hs", *faiss_like(metalfaiss, True)))
    libs.append(Lib("faiss", *faiss_like(faiss)))
    if hnswlib is not None:
        box = {}

        def build(x):
            box["i"] = hnswlib.Index(space="l2", dim=d)
            box["i"].init_index(max_elements=x.shape[0], M=M, ef_construction=efc, random_seed=100)
            box["i"].add_items(x, num_threads=os.cpu_count())

        def set_ef(ef):
            box["i"].set_ef(max(ef, 10))

        libs.append(Lib("hnswlib", build, lambda q: box["i"].knn_query(q, k=10, num_threads=os.cpu_count())[0],
                        set_ef))
    if usearch is not None:
        ubox = {}

        def ubuild(x):
            ubox["i"] = usearch.index.Index(ndim=d, metric="l2sq", dtype="f32", connectivity=M,
                                            expansion_add=efc, expansion_search=16)
            ubox["i"].add(np.arange(x.shape[0], dtype=np.uint64), x, threads=os.cpu_count())

        def uset_ef(ef):
            ubox["i"].expansion_search = ef

        def usearch_q(q):
            return ubox["i"].search(q, 10, threads=os.cpu_count()).keys

        libs.append(Lib("usearch", ubuild, usearch_q, uset_ef))
    return libs


def qps_at(curve, target):
    """QPS at recall target, interpolated (log QPS, linear in recall)
    between the two efSearch values around it, so that the comparison does
    not depend on where the efSearch grid falls; (0, None) if the curve
    never reaches it. The efSearch returned is the first that reaches it."""
    for i, (ef, r, q) in enumerate(curve):
        if r >= target:
            if i == 0 or r == curve[i - 1][1]:
                return q, ef
            _, r0, q0 = curve[i - 1]
            t = (target - r0) / (r - r0)
            return float(np.exp(np.log(q0) + t * (np.log(q) - np.log(q0)))), ef
    return 0.0, None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--nq", type=int, default=1000)
    ap.add_argument("--efc", default="40,200", help="efConstruction values, separated by commas")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--curves", action="store_true", help="also print recall/QPS at every efSearch")
    ap.add_argument("--plots", default="docs/plots",
                    help="folder for the recall/QPS charts (hnsw_efc{efC}.png); empty: none")
    ap.add_argument("--hnswlib-selection", action="store_true",
                    help="also build metalfaiss with hnsw.hnswlib_selection (row metalfaiss-hs)")
    a = ap.parse_args()
    d, M = 128, 32
    xb = mixture(a.n, d, 2000, 1)
    xq = mixture(a.nq, d, 2000, 2)
    versions = {m: importlib.metadata.version(m) if mod else "absent"
                for m, mod in (("hnswlib", hnswlib), ("usearch", usearch))}
    print(f"metalfaiss {metalfaiss.__version__} vs faiss {faiss.__version__} vs hnswlib "
          f"{versions['hnswlib']} vs usearch {versions['usearch']}, {platform.machine()} x {os.cpu_count()} cores; "
          f"nb={a.n:,} d={d} nq={a.nq} M={M} k=10")
    print(cpu_line())
    exact = faiss.IndexFlatL2(d)
    exact.add(xb)
    gt = exact.search(xq, 10)[1]
    del exact
    for efc in (int(v) for v in a.efc.split(",")):
        builds, curves = {}, {}
        libs = libraries(d, M, efc, a.hnswlib_selection)
        for lib in libs:
            before = rss()
            t = time.perf_counter()
            lib.build(xb)
            builds[lib.name] = (time.perf_counter() - t, (rss() - before) / 2**20)
            curves[lib.name] = []
        for ef in EF_SEARCH:
            # Each library in its own block of calls, blocks in rotation
            # (timing.py says why); the median time is kept.
            found = {}
            for lib in libs:
                lib.set_ef(ef)
                found[lib.name] = lib.search(xq)  # also the warm-up

            def timed_search(lib, ef=ef):
                lib.set_ef(ef)
                lib.search(xq)

            times = median_times([lambda lib=lib: timed_search(lib) for lib in libs], rounds=a.repeats, block=2)
            for lib, t in zip(libs, times):
                curves[lib.name].append((ef, recall(np.asarray(found[lib.name], dtype=np.int64), gt), a.nq / t))
        del libs  # free the indexes before the next efConstruction
        print(f"\nefConstruction={efc}")
        fastest = min(s for n, (s, _) in builds.items() if not n.startswith("metalfaiss"))
        print("| library | build s | build ratio (faiss/x) | fastest other / x | memory MiB | bytes per vector |")
        print("|---|---|---|---|---|---|")
        for name, (secs, mib) in builds.items():
            print(f"| {name} | {secs:.1f} | {builds['faiss'][0] / secs:.2f} | {fastest / secs:.2f} | {mib:.0f} "
                  f"| {mib * 2**20 / a.n:.0f} |")
        ours = [n for n in curves if n.startswith("metalfaiss")]
        print("| target recall@10 | " + " | ".join(f"{n} QPS (ef)" for n in curves) + " | "
              + " | ".join(f"{n} / best other" for n in ours) + " |")
        print("|---|" + "---|" * (len(curves) + len(ours)))
        for target in TARGETS:
            at = {name: qps_at(curve, target) for name, curve in curves.items()}
            others = max((q for n, (q, _) in at.items() if n not in ours and q), default=0.0)
            ratios = " | ".join(f"{at[n][0] / others:.2f}" if others and at[n][0] else "nan" for n in ours)
            cells = " | ".join(f"{q:,.0f} ({ef})" if q else "not reached" for q, ef in at.values())
            print(f"| {target} | {cells} | {ratios} |")
        if a.curves:
            for name, curve in curves.items():
                print(name, " ".join(f"ef{ef}:{r:.3f}/{q:,.0f}" for ef, r, q in curve))
        if a.plots:
            recall_qps(os.path.join(a.plots, f"hnsw_efc{efc}.png"),
                       f"HNSW32, {a.n:,} x {d} Gaussian mixture, efConstruction {efc}, k=10",
                       {name: [(r, q) for _, r, q in curve] for name, curve in curves.items()})


if __name__ == "__main__":
    main()
