"""k-means, metalfaiss vs faiss-cpu vs scikit-learn, same data, same run.

For each case: wall time (median of interleaved repeats), final objective (inertia:
sum of squared distances of all points to their nearest centroid, computed
the same way for every library) and metalfaiss's speed-up over each
library (its time / metalfaiss's time: > 1 means metalfaiss is faster).
Usage:

    .venv/bin/python benchmarks/bench_kmeans.py [--quick] [--cases 10kx128,10kx768,100kx128]

scikit-learn is optional (``make bench`` installs it): KMeans with
n_init=1 and MiniBatchKMeans, both with 20 iterations and random init.
"""

import argparse
import os
import platform
import statistics
import time
import warnings

import numpy as np

import faiss
import metalfaiss
from plots import time_size

CASES = {
    # name: (n, d, k)
    "10kx128": (10_000, 128, 500),  # the case ClassKit quotes
    "10kx768": (10_000, 768, 500),
    "100kx128": (100_000, 128, 1024),
}
NITER = 20


def clustered(n, d, k, seed=42):
    """Embedding-like data: points around 2k random centres, unit noise."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((2 * k, d)).astype(np.float32) * 3
    return centres[rng.integers(0, 2 * k, n)] + rng.standard_normal((n, d), dtype=np.float32)


def inertia(x, centroids):
    index = faiss.IndexFlatL2(x.shape[1])
    index.add(np.ascontiguousarray(centroids, dtype=np.float32))
    D, _ = index.search(x, 1)
    return float(D.astype(np.float64).sum())


def run_metalfaiss(x, k):
    km = metalfaiss.Kmeans(x.shape[1], k, niter=NITER, seed=1234)
    km.train(x)
    return km.centroids


def run_faiss(x, k):
    km = faiss.Kmeans(x.shape[1], k, niter=NITER, seed=1234)
    km.train(x)
    return km.centroids


def sklearn_runners():
    try:
        from sklearn.cluster import KMeans, MiniBatchKMeans
    except ImportError:
        return {}

    def km(x, k):
        return KMeans(k, n_init=1, max_iter=NITER, init="random", random_state=0).fit(x).cluster_centers_

    def mbk(x, k):
        return MiniBatchKMeans(k, n_init=1, max_iter=NITER, init="random", random_state=0).fit(x).cluster_centers_

    return {"sklearn KMeans": km, "sklearn MiniBatch": mbk}


def measure_all(runners, x, k, repeats):
    """Median time and final inertia per library. Repeats are interleaved
    (a, b, c, a, b, c, ...) so that a change in the shared machine's load
    hits every library alike."""
    times = {lib: [] for lib in runners}
    result = {}
    for _ in range(repeats):
        for lib, fn in runners.items():
            t0 = time.perf_counter()
            result[lib] = fn(x, k)
            times[lib].append(time.perf_counter() - t0)
    return {lib: (statistics.median(times[lib]), inertia(x, result[lib])) for lib in runners}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1 repeat, sklearn skipped on the largest case")
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--plots", default="docs/plots", help="folder for the time chart (kmeans.png); empty: none")
    args = ap.parse_args()
    repeats = 1 if args.quick else 5
    warnings.simplefilter("ignore")  # "please provide at least ... points" on the 10k cases
    runners = {"metalfaiss": run_metalfaiss, "faiss-cpu": run_faiss, **sklearn_runners()}

    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"faiss {faiss.__version__}, metalfaiss {metalfaiss.__version__}, {NITER} iterations, "
          f"median of {repeats}")
    print(f"{'case':>10} {'library':>18} {'time s':>9} {'inertia':>14} {'mf speed-up':>12}")
    cases, times = args.cases.split(","), {}
    for name in cases:
        n, d, k = CASES[name]
        x = clustered(n, d, k)
        chosen = {lib: fn for lib, fn in runners.items()
                  if not (args.quick and lib.startswith("sklearn") and n >= 100_000)}
        results = measure_all(chosen, x, k, repeats)
        base = results["metalfaiss"][0]
        for lib, (t, obj) in results.items():
            print(f"{name:>10} {lib:>18} {t:9.2f} {obj:14.6g} {t / base:12.2f}", flush=True)
            times.setdefault(lib, {})[name] = t
    if args.plots:
        labels = [f"{CASES[c][0] // 1000}k x {CASES[c][1]}, k={CASES[c][2]}" for c in cases]
        time_size(os.path.join(args.plots, "kmeans.png"), f"k-means, {NITER} iterations", labels,
                  {lib: [by_case.get(c) for c in cases] for lib, by_case in times.items()})


if __name__ == "__main__":
    main()
