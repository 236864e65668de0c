"""The main job on built-in data: `python -m metalfaiss.demo`.

Makes 10,000 embeddings of dimension 768 (ClassKit's size) with a fixed seed,
builds an exact index and searches it (again on the GPU when there is a
hardware one), then clusters the embeddings the way ClassKit does
(AnyClustering, 50 clusters, 20 iterations), printing what it did and how
fast; when faiss is installed it runs the same jobs with faiss and compares.
"""

from __future__ import annotations

import time
import warnings

import numpy as np

import metalfaiss
from ._typing import Any, ArrayLike


def embeddings(n: int, d: int, seed: int) -> Any:
    """Demo data (metalfaiss only: the make demo script).

    Unit-norm clustered vectors, like image embeddings.

    Parameters
    ----------
    n : int
        Vectors.
    d : int
        Dimension.
    seed : int
        Seed.

    Returns
    -------
    (n, d) float32 ndarray
        Unit-norm clustered vectors, like image embeddings.
    """
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((50, d)).astype(np.float32)
    x = centers[rng.integers(0, 50, n)] + 0.5 * rng.standard_normal((n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def timed(fn: Any) -> Any:
    """A timer of the demo (metalfaiss only: the make demo script).

    (fn(), seconds it took).

    Parameters
    ----------
    fn : callable
        What to time.

    Returns
    -------
    result, seconds
        fn() and the seconds it took.
    """
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def run(lib: Any, xb: ArrayLike, xq: ArrayLike, k: int) -> Any:
    """One library's part of the demo (metalfaiss only: the make demo script).

    Flat search with lib (metalfaiss or faiss): D, I and the add, batch and one-query times.

    Parameters
    ----------
    lib : module
        metalfaiss or faiss.
    xb : (n, d) float32 array
        Database.
    xq : (nq, d) float32 array
        Queries.
    k : int
        Results per query.

    Returns
    -------
    tuple
        D, I and the add, batch and one-query times.
    """
    index = lib.IndexFlatL2(xb.shape[1])
    _, t_add = timed(lambda: index.add(xb))
    (D, I), t_search = timed(lambda: index.search(xq, k))
    (_, I1), t_one = timed(lambda: index.search(xq[:1], k))
    return D, I, t_add, t_search, t_one


def main(n: int = 10000, d: int = 768, nq: int = 1000, k: int = 10, seed: int = 1234) -> None:
    """The demo, run by make demo (metalfaiss only).

    The demo: flat search against faiss, the GPU where there is one, k-means.

    Parameters
    ----------
    n : int
        Database vectors (10,000).
    d : int
        Dimension (768).
    nq : int
        Queries (1,000).
    k : int
        Results per query (10).
    seed : int
        Seed of the data (1234).
    """
    xb = embeddings(n, d, seed)
    xq = embeddings(nq, d, seed + 1)
    print(f"metalfaiss {metalfaiss.__version__}: exact L2 search, {n} vectors of d={d}, {nq} queries, k={k}")
    D, I, t_add, t_search, t_one = run(metalfaiss, xb, xq, k)
    print(f"  metalfaiss  add {t_add * 1e3:8.1f} ms   search {t_search * 1e3:8.1f} ms ({nq / t_search:9.0f} QPS)"
          f"   one query {t_one * 1e3:6.2f} ms")
    print(f"  first query: ids {I[0, :5].tolist()}  distances {[f'{v:.4f}' for v in D[0, :5]]}")
    try:
        import faiss
    except ImportError:
        print("  (faiss is not installed: pip install faiss-cpu to compare)")
        return
    Df, If, f_add, f_search, f_one = run(faiss, xb, xq, k)
    print(f"  faiss-cpu   add {f_add * 1e3:8.1f} ms   search {f_search * 1e3:8.1f} ms ({nq / f_search:9.0f} QPS)"
          f"   one query {f_one * 1e3:6.2f} ms")
    same = (I == If).mean()
    print(f"  same ids as faiss: {same:.2%}   largest distance difference: {np.abs(D - Df).max():.2e}")
    print(f"  batched search speed vs faiss: {f_search / t_search:.2f}x")
    on_gpu(xb, xq, k, I)
    cluster(xb)


def on_gpu(xb: ArrayLike, xq: ArrayLike, k: int, I_cpu: Any) -> None:
    """The demo's GPU part (metalfaiss only: the make demo script).

    The same search on the GPU, when there is a hardware one.

    Parameters
    ----------
    xb : (n, d) float32 array
        Database.
    xq : (nq, d) float32 array
        Queries.
    k : int
        Results per query.
    I_cpu : (nq, k) int64 array
        The CPU results, compared with the GPU's.
    """
    info = metalfaiss.gpu_info()
    if info["driver"] is None:
        print(f"GPU: none ({info['reason']})")
        return
    if info["kind"] == "cpu":
        print(f"GPU: {info['name']} via {info['driver']} is a software driver; skipping the GPU run")
        return
    print(f"GPU: {info['name']} via {info['driver']}")
    index = metalfaiss.GpuIndexFlatL2(metalfaiss.StandardGpuResources(), xb.shape[1])
    _, t_add = timed(lambda: index.add(xb))
    index.search(xq[:1], k)  # uploads the vectors, builds the kernels
    (_, I), t = timed(lambda: index.search(xq, k))
    print(f"  GPU search {t * 1e3:8.1f} ms ({len(xq) / t:9.0f} QPS)   same ids as the CPU: {(I == I_cpu).mean():.2%}")


def cluster(x: ArrayLike, k: int = 50, niter: int = 20) -> None:
    """The demo's k-means part (metalfaiss only: the make demo script).

    k-means with the ClassKit names, timed against faiss.

    Parameters
    ----------
    x : (n, d) float32 array
        The vectors.
    k : int
        Centroids (50).
    niter : int
        Iterations (20).
    """
    from metalfaiss.clustering import AnyClustering, ClusteringParameters

    print(f"k-means as ClassKit runs it: {x.shape[0]} embeddings into k={k} clusters, {niter} iterations")
    km = AnyClustering.new(d=x.shape[1], k=k, parameters=ClusteringParameters(max_iterations=niter))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fewer than 39 points per centroid is fine for a demo
        _, t = timed(lambda: km.train(x))
    c = km.centroids(as_numpy=True)
    print(f"  metalfaiss  {t * 1e3:8.1f} ms   {len(km.obj)} iterations   objective {km.obj[-1]:.6g}")
    try:
        import faiss
    except ImportError:
        return
    kf = faiss.Kmeans(x.shape[1], k, niter=niter)
    _, tf = timed(lambda: kf.train(x))
    print(f"  faiss-cpu   {tf * 1e3:8.1f} ms   {len(kf.obj)} iterations   objective {kf.obj[-1]:.6g}")
    print(f"  largest centroid difference from faiss: {np.abs(c - kf.centroids).max():.2e}")


if __name__ == "__main__":
    main()
