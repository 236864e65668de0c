"""Clustering variants on top of metalfaiss (faiss.contrib.clustering's
names and signatures): two-level k-means and IVF training with it,
balanced assignment with penalties, and a k-means written in Python over a
``DatasetAssign``, an object that only needs to count, subset and assign
the training vectors (dense arrays here; scipy sparse matrices when scipy
is installed)."""

from __future__ import annotations

from typing import TYPE_CHECKING
import time

import numpy as np

from metalfaiss import distances
from metalfaiss.errors import InvalidArgumentError
from metalfaiss.index_ivf import IndexIVF
from metalfaiss.index_pretransform import IndexPreTransform
from metalfaiss.kmeans import Kmeans
from metalfaiss.metric import METRIC_L2
from .._typing import Any, ArrayLike, Float32Array, Optional

if TYPE_CHECKING:
    from ..index import Index


def print_nop(*args: Any, **kwargs: Any) -> None:
    """A print that prints nothing, the quiet logger (faiss: ``contrib.clustering.print_nop``).

    Parameters
    ----------
    *args
        Ignored.
    **kwargs
        Ignored.
    """


def _logger(verbose):
    return print if verbose else print_nop


def two_level_clustering(xt: ArrayLike, nc1: Any, nc2: Any, rebalance: Any = True, clustering_niter: Any = 25,
                         **args: Any) -> Any:
    """Two-level k-means: nc1 clusters, then nc2 (faiss: ``contrib.clustering.two_level_clustering``).

    With rebalance, a coarse cluster gets sub-clusters in proportion to its
    size; otherwise they are shared out evenly. Faster than one k-means of
    nc2 when nc2 is large, at a small cost in quality.

    Parameters
    ----------
    xt : (n, d) float32-convertible
        Training vectors.
    nc1 : int
        Coarse clusters.
    nc2 : int
        Clusters in all (at least nc1).
    rebalance : bool
        Share sub-clusters by size (default True).
    clustering_niter : int
        Iterations of the coarse k-means (25).
    **args
        Given to each Kmeans (verbose, seed, ...).

    Returns
    -------
    centroids : (nc2, d) float32 ndarray
    stats : list
        The iteration statistics of every k-means run.

    Raises
    ------
    InvalidArgumentError
        nc1 not in 1..nc2.
    """
    xt = np.ascontiguousarray(xt, dtype=np.float32)
    d = xt.shape[1]
    if not 0 < nc1 <= nc2:
        raise InvalidArgumentError(f"two_level_clustering: need 0 < nc1 <= nc2, got nc1={nc1}, nc2={nc2}")
    log = _logger(args.get("verbose", False))
    log(f"2-level clustering of {xt.shape}: {nc1} coarse clusters, {nc2} in all")
    coarse = Kmeans(d, nc1, niter=clustering_niter, max_points_per_centroid=2000, **args)
    coarse.train(xt)
    stats = [coarse.iteration_stats]
    _, owner = coarse.assign(xt)
    sizes = np.bincount(owner, minlength=nc1)
    if rebalance:
        bounds = np.cumsum(sizes) * nc2 // sizes.sum()
    else:
        bounds = np.arange(1, nc1 + 1) * nc2 // nc1
    shares = np.diff(np.concatenate([[0], bounds]))
    log(f"sub-clusters per coarse cluster: {shares.min()}-{shares.max()}")
    order = np.argsort(owner, kind="stable")
    starts = np.concatenate([[0], np.cumsum(sizes)])
    parts = []
    t0 = time.time()
    for c in range(nc1):
        members = xt[order[starts[c]:starts[c + 1]]]
        share = int(shares[c])
        if share == 0:
            continue
        log(f"[{time.time() - t0:.2f} s] sub-clustering {c}/{nc1} into {share}", end="\r", flush=True)
        fine = Kmeans(d, share, **args)
        fine.train(members)
        stats.append(fine.iteration_stats)
        parts.append(fine.centroids)
    log(f"done in {time.time() - t0:.2f} s")
    return np.vstack(parts), stats


def train_ivf_index_with_2level(index: Index, xt: ArrayLike, **args: Any) -> None:
    """Train an IVF quantizer by two-level k-means (faiss: ``contrib.clustering.train_ivf_index_with_2level``).

    sqrt(nlist) coarse clusters, nlist in all; pre-transforms are trained
    first and applied; the codec is then trained as usual.

    Parameters
    ----------
    index : Index
        An IVF index, or pre-transforms around one.
    xt : (n, d) float32-convertible
        Training vectors.
    **args
        Given to two_level_clustering.

    Raises
    ------
    InvalidArgumentError
        No IVF index inside, or one of another metric than L2.
    """
    if isinstance(index, IndexPreTransform):
        for i in range(index.chain.size()):
            vt = index.chain.at(i)
            vt.train(xt)
            xt = vt.apply(xt)
        train_ivf_index_with_2level(index.index, xt, **args)
        index.is_trained = True
        return
    if not isinstance(index, IndexIVF):
        raise InvalidArgumentError(f"train_ivf_index_with_2level: needs an IVF index, got {type(index).__name__}")
    if index.metric_type != METRIC_L2:
        raise InvalidArgumentError("train_ivf_index_with_2level: the IVF must use METRIC_L2")
    centroids, _ = two_level_clustering(xt, int(np.sqrt(index.nlist)), index.nlist, **args)
    index.quantizer.train(centroids)
    index.quantizer.add(centroids)
    index.train(xt)  # the quantizer is full: this trains the codes only


def imbalance_factor(k: int, assign: ArrayLike) -> float:
    """Imbalance of an assignment, k * sum(size^2) / n^2 (faiss: ``contrib.clustering.imbalance_factor``).

    Parameters
    ----------
    k : int
        Number of clusters.
    assign : (n,) int64-convertible
        The cluster of each point (-1: none, left out).

    Returns
    -------
    float
        1 when every cluster has the same size; 0 for no points.
    """
    assign = np.ascontiguousarray(assign, dtype=np.int64)
    sizes = np.bincount(assign[assign >= 0], minlength=k).astype(np.float64)
    n = sizes.sum()
    return float(k * (sizes ** 2).sum() / (n * n)) if n else 0.0


def balanced_assignment_with_penalties(x: ArrayLike, centroids: ArrayLike, alpha: float = 0.03, num_iter: Any = 20,
                                       maxk: Any = 100) -> Any:
    """Assignment that penalises crowded clusters (faiss: ``contrib.clustering.balanced_assignment_with_penalties``).

    Each round the penalty p_c of a cluster of size s_c is multiplied by
    (s_c / (n / nc)) ** alpha, and a vector goes to the one of its maxk
    nearest centroids with the least d^2 + p_c^2 (Tavenard et al., CBMI
    2011).

    Parameters
    ----------
    x : (n, d) float32-convertible
        The vectors.
    centroids : (nc, d) float32-convertible
        The centroids.
    alpha : float
        Strength of the penalty (0.03).
    num_iter : int
        Rounds (20).
    maxk : int
        Centroids considered per vector (100).

    Returns
    -------
    assign : (n,) int64 ndarray
    stats : dict
        alpha, imf (imbalance factor), mse, binsize_min / max, penalty_min /
        max.

    Raises
    ------
    InvalidArgumentError
        num_iter below 1.
    """
    x = np.ascontiguousarray(x, dtype=np.float32)
    centroids = np.ascontiguousarray(centroids, dtype=np.float32)
    nc, n = centroids.shape[0], x.shape[0]
    if num_iter < 1:
        raise InvalidArgumentError(f"balanced_assignment_with_penalties: num_iter must be >= 1, got {num_iter}")
    near_d, near_c = distances.knn(x, centroids, min(maxk, nc))
    penalty = np.ones(nc, dtype=np.float32)
    target = n / nc
    for _ in range(num_iter):
        pick = np.argmin(near_d + penalty[near_c] ** 2, axis=1)
        assign = near_c[np.arange(n), pick]
        sizes = np.bincount(assign, minlength=nc)
        penalty *= (sizes / target) ** alpha
    residual = x - centroids[assign]
    stats = {
        "alpha": alpha,
        "imf": imbalance_factor(nc, assign),
        "mse": float(np.einsum("ij,ij->i", residual, residual).mean()),
        "binsize_min": int(sizes.min()),
        "binsize_max": int(sizes.max()),
        "penalty_min": float(penalty.min()),
        "penalty_max": float(penalty.max()),
    }
    return assign, stats


class DatasetAssign:
    """Dense training vectors for contrib's kmeans (faiss: ``contrib.clustering.DatasetAssign``).

    ``count()``, ``dim()``, ``get_subset(indices)``, ``perform_search(centroids)``
    (distances and nearest centroid of each vector) and ``assign_to(centroids,
    weights=None)`` (also the per-centroid sums that the next centroids come
    from).

    Parameters
    ----------
    x : (n, d) float32-convertible
        The vectors.
    """

    def __init__(self, x: ArrayLike) -> None:
        self.x = np.ascontiguousarray(x, dtype=np.float32)

    def count(self) -> Any:
        """Number of points."""
        return self.x.shape[0]

    def dim(self) -> Any:
        """Dimension of the points."""
        return self.x.shape[1]

    def get_subset(self, indices: Any) -> Any:
        """The points at the given indices, as a dense float32 array."""
        return self.x[indices]

    def perform_search(self, centroids: ArrayLike) -> Any:
        """(D, I): the nearest centroid of every point and its distance."""
        return distances.knn(self.x, centroids, 1)

    def assign_to(self, centroids: ArrayLike, weights: Optional[ArrayLike] = None) -> Any:
        """(assignment, squared distances, per-centroid sums of the vectors,
        weighted when weights are given)."""
        D, I = self.perform_search(centroids)
        I, D = I.ravel(), D.ravel()
        sums = np.zeros(centroids.shape, dtype=np.float32)
        np.add.at(sums, I, self.x if weights is None else weights[:, None] * self.x)
        return I, D, sums


class DatasetAssignGPU(DatasetAssign):
    """DatasetAssign whose searches run on the GPU (faiss: ``contrib.clustering.DatasetAssignGPU``).

    Parameters
    ----------
    x : (n, d) float32-convertible
        The vectors.
    gpu_id : int
        The GPU (below 0: all GPUs, which is the one there is).
    verbose : bool
        Accepted for faiss's signature.

    Raises
    ------
    GpuUnavailableError
        No usable GPU.
    """

    def __init__(self, x: ArrayLike, gpu_id: Any, verbose: bool = False) -> None:
        super().__init__(x)
        from metalfaiss.gpu import StandardGpuResources, index_cpu_to_all_gpus, index_cpu_to_gpu
        from metalfaiss.index_flat import IndexFlatL2

        cpu = IndexFlatL2(self.x.shape[1])
        self.index = index_cpu_to_gpu(StandardGpuResources(), gpu_id, cpu) if gpu_id >= 0 \
            else index_cpu_to_all_gpus(cpu)

    def perform_search(self, centroids: ArrayLike) -> Any:
        """(D, I): the nearest centroid of every point, searched on the GPU."""
        self.index.reset()
        self.index.add(centroids)
        return self.index.search(self.x, 1)


def sparse_assign_to_dense(xq: ArrayLike, xb: ArrayLike, xq_norms: Any = None, xb_norms: Any = None) -> Any:
    """Nearest dense row of each sparse row, by L2 (faiss: ``contrib.clustering.sparse_assign_to_dense``).

    Parameters
    ----------
    xq : scipy.sparse matrix (nq, d)
        The queries.
    xb : (nb, d) float32 ndarray
        The dense rows (centroids).
    xq_norms : (nq,) ndarray, optional
        Squared norms of xq (computed when None).
    xb_norms : (nb,) ndarray, optional
        Squared norms of xb (computed when None).

    Returns
    -------
    D : (nq,) ndarray
        Squared distances.
    I : (nq,) int64 ndarray
        Nearest rows.
    """
    if xb_norms is None:
        xb_norms = (xb ** 2).sum(1)
    if xq_norms is None:
        xq_norms = np.asarray(xq.multiply(xq).sum(1)).ravel()
    scores = xb_norms[None, :] - 2 * np.asarray(xq @ xb.T)
    best = scores.argmin(axis=1)
    return xq_norms + scores[np.arange(xq.shape[0]), best], best


def sparse_assign_to_dense_blocks(xq: ArrayLike, xb: ArrayLike, xq_norms: Any = None, xb_norms: Any = None,
                                  qbs: Any = 16384, bbs: Any = 16384, nt: Optional[int] = None) -> Any:
    """sparse_assign_to_dense in blocks of rows (faiss: ``contrib.clustering.sparse_assign_to_dense_blocks``).

    The best of each block is kept.

    Parameters
    ----------
    xq : scipy.sparse matrix (nq, d)
        The queries.
    xb : (nb, d) float32 ndarray
        The dense rows.
    xq_norms : (nq,) ndarray, optional
        Squared norms of xq.
    xb_norms : (nb,) ndarray, optional
        Squared norms of xb.
    qbs : int
        Queries per block (16384).
    bbs : int
        Dense rows per block (16384).
    nt : int, optional
        faiss's thread count (accepted; blocks run in turn).

    Returns
    -------
    D : (nq,) ndarray
    I : (nq,) int64 ndarray
    """
    nq = xq.shape[0]
    if xb_norms is None:
        xb_norms = (xb ** 2).sum(1)
    if xq_norms is None:
        xq_norms = np.asarray(xq.multiply(xq).sum(1)).ravel()
    best_d = np.full(nq, np.inf, dtype=np.float64)
    best_i = np.full(nq, -1, dtype=np.int64)
    for q0 in range(0, nq, qbs):
        q1 = min(nq, q0 + qbs)
        for b0 in range(0, xb.shape[0], bbs):
            b1 = min(xb.shape[0], b0 + bbs)
            d, i = sparse_assign_to_dense(xq[q0:q1], xb[b0:b1], xq_norms[q0:q1], xb_norms[b0:b1])
            better = d < best_d[q0:q1]
            best_d[q0:q1][better] = d[better]
            best_i[q0:q1][better] = i[better] + b0
    return best_d, best_i


class DatasetAssignSparse(DatasetAssign):
    """DatasetAssign over a sparse CSR matrix (faiss: ``contrib.clustering.DatasetAssignSparse``).

    Centroids are dense.

    Parameters
    ----------
    x : scipy.sparse.csr_matrix (n, d)
        The vectors.

    Raises
    ------
    InvalidArgumentError
        No vectors.
    """

    def __init__(self, x: ArrayLike) -> None:
        if x.shape[0] == 0:
            raise InvalidArgumentError("DatasetAssignSparse: no vectors")
        self.x = x
        self.squared_norms = np.asarray(x.multiply(x).sum(1)).ravel()

    def get_subset(self, indices: Any) -> Float32Array:
        """The points at the given indices, as a dense float32 array."""
        return np.asarray(self.x[indices].todense(), dtype=np.float32)

    def perform_search(self, centroids: ArrayLike) -> Any:
        """(D, I): the nearest centroid of every sparse point."""
        return sparse_assign_to_dense_blocks(self.x, centroids, xq_norms=self.squared_norms)

    def assign_to(self, centroids: ArrayLike, weights: Optional[ArrayLike] = None) -> Any:
        D, I = self.perform_search(centroids)
        rows = self.x if weights is None else self.x.multiply(weights[:, None]).tocsr()
        sums = np.zeros(centroids.shape, dtype=np.float32)
        for c in np.unique(I):
            sums[c] = np.asarray(rows[I == c].sum(0)).ravel()
        return I, D, sums


def check_if_torch(x: ArrayLike) -> bool:
    """Whether an array is a torch tensor (faiss: ``contrib.clustering.check_if_torch``).

    Parameters
    ----------
    x : array or torch.Tensor
        The array.

    Returns
    -------
    bool
        False for numpy arrays.
    """
    if isinstance(x, np.ndarray):
        return False
    import torch

    if isinstance(x, torch.Tensor):
        return True
    raise InvalidArgumentError(f"unknown array type {type(x).__name__}")


def reassign_centroids(hassign: Any, centroids: ArrayLike, rs: Any = None) -> Any:
    """Give each empty cluster half of a populated one (faiss: ``contrib.clustering.reassign_centroids``).

    A cluster drawn with probability proportional to (size - 1) is split into
    two centroids nudged apart by 1/1024 in alternate coordinates.

    Parameters
    ----------
    hassign : (k,) int64 ndarray
        Cluster sizes, updated in place.
    centroids : (k, d) float32 ndarray
        The centroids, updated in place.
    rs : numpy RandomState, optional
        The draws (numpy's global one when None).

    Returns
    -------
    int
        The number of clusters split.
    """
    rs = np.random if rs is None else rs
    k = centroids.shape[0]
    empty = np.flatnonzero(hassign == 0)
    if empty.size == 0:
        return 0
    if check_if_torch(centroids):
        import torch

        nudge = torch.ones_like(centroids[0])
    else:
        nudge = np.ones_like(centroids[0])
    nudge[::2] += 1 / 1024.0
    nudge[1::2] -= 1 / 1024.0
    splits = 0
    while empty.size:
        weight = np.maximum(hassign.astype(np.float64) - 1, 0)
        if weight.sum() == 0:
            break  # no cluster holds two points: nothing left to split
        weight /= weight.sum()
        count = min(int((weight > 0).sum()), empty.size)
        donors = rs.choice(k, size=count, p=weight)
        for target, donor in zip(empty[:count], donors):
            c = centroids[donor]
            centroids[target] = c * nudge
            centroids[donor] = c / nudge
            hassign[target] = hassign[donor] // 2
            hassign[donor] -= hassign[target]
            splits += 1
        empty = empty[count:]
    return splits


def kmeans(k: int, data: DatasetAssign, niter: int = 25, seed: int = 1234, checkpoint: Any = None, verbose: bool = True,
           return_stats: bool = False) -> Any:
    """k-means in Python over a DatasetAssign (faiss: ``contrib.clustering.kmeans``).

    Random initial centroids (seeded), niter rounds of assignment and
    averaging, empty clusters split from populated ones; for data the Go
    k-means cannot take (sparse, on another device).

    Parameters
    ----------
    k : int
        Number of centroids.
    data : DatasetAssign
        The vectors.
    niter : int
        Rounds (25).
    seed : int
        Seed of the initial centroids (1234).
    checkpoint : str, optional
        A file the centroids are saved to after each round (np.save; torch.save
        for torch centroids).
    verbose : bool
        Print each round (default True, as faiss's).
    return_stats : bool
        Also return the per-round statistics.

    Returns
    -------
    centroids : (k, d) float32 ndarray
    stats : list of dict
        With return_stats only, per round: obj, time, time_search,
        imbalance_factor, nsplit.

    Raises
    ------
    InvalidArgumentError
        k not in 1..n.
    """
    n, d = data.count(), data.dim()
    if not 0 < k <= n:
        raise InvalidArgumentError(f"kmeans: need 0 < k <= n, got k={k}, n={n}")
    log = _logger(verbose)
    log(f"Clustering {n} points in {d}D to {k} clusters, {niter} iterations seed {seed}")
    rs = np.random.RandomState(seed)
    t0 = time.time()
    centroids = data.get_subset(rs.choice(n, size=k, replace=False))
    torch_centroids = check_if_torch(centroids)
    stats, search_time = [], 0.0
    for it in range(niter):
        ts = time.time()
        assign, D, sums = data.assign_to(centroids)
        search_time += time.time() - ts
        err = D.sum().item() if torch_centroids else float(D.sum())
        sizes = np.bincount(assign, minlength=k)
        divisor = np.maximum(sizes, 1).reshape(-1, 1).astype(np.float32)
        if torch_centroids:
            import torch

            divisor = torch.from_numpy(divisor).to(sums.device)
        centroids = sums / divisor
        nsplit = reassign_centroids(sizes, centroids, rs)
        s = {"obj": err, "time": time.time() - t0, "time_search": search_time,
             "imbalance_factor": imbalance_factor(k, assign), "nsplit": nsplit}
        log(f"  Iteration {it} ({s['time']:.2f} s, search {search_time:.2f} s): objective={err:g} "
            f"imbalance={s['imbalance_factor']:.3f} nsplit={nsplit}")
        stats.append(s)
        if checkpoint is not None:
            if torch_centroids:
                import torch

                torch.save(centroids, checkpoint)
            else:
                np.save(checkpoint, centroids)
    return (centroids, stats) if return_stats else centroids
