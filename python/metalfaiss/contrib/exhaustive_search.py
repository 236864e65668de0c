"""Exact search over databases given block by block (iterators), and range
search that adapts its radius to bound the number of results: faiss's
contrib.exhaustive_search."""

from __future__ import annotations

from typing import TYPE_CHECKING
import logging
import time

import numpy as np

from metalfaiss import (
    METRIC_L2, GpuMultipleClonerOptions, IndexBinary, IndexFlat, ResultHeap, get_num_gpus, index_cpu_to_all_gpus,
    is_similarity_metric, knn,
)
from .._typing import Any, ArrayLike, Iterator

if TYPE_CHECKING:
    from ..index import Index

LOG = logging.getLogger(__name__)

__all__ = ["knn", "knn_ground_truth", "range_ground_truth", "range_search_gpu", "range_search_max_results",
           "threshold_radius", "threshold_radius_nres", "apply_maxres", "exponential_query_iterator"]


def _on_gpus(index, shard, ngpu):
    """index moved to the GPUs when ngpu asks for them (-1: all there are)."""
    ngpu = get_num_gpus() if ngpu == -1 else ngpu
    if not ngpu:
        return None
    LOG.info("running on %d GPUs", ngpu)
    options = GpuMultipleClonerOptions()
    options.shard = shard
    return index_cpu_to_all_gpus(index, co=options, ngpu=ngpu)


def knn_ground_truth(xq: ArrayLike, db_iterator: Any, k: int, metric_type: Any = METRIC_L2, shard: bool = False,
                     ngpu: int = -1) -> Any:
    """Exact k-NN over a database read in blocks (faiss: ``contrib.exhaustive_search.knn_ground_truth``).

    Ids count rows across the blocks. Each block is searched by a flat index
    (on the GPUs when ngpu asks for them) and the results merged.

    Parameters
    ----------
    xq : (nq, d) float32-convertible
        The queries.
    db_iterator : iterable of (n_i, d) float32 arrays
        The database, block after block.
    k : int
        Results per query.
    metric_type : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT``.
    shard : bool
        With several GPUs, shard each block (else replicate it).
    ngpu : int
        GPUs to use (-1, default: all there are; 0: the CPU).

    Returns
    -------
    D : (nq, k) float32 ndarray
    I : (nq, k) int64 ndarray
    """
    t0 = time.time()
    nq, d = xq.shape
    heap = ResultHeap(nq, k, keep_max=is_similarity_metric(metric_type))
    index = IndexFlat(d, metric_type)
    index = _on_gpus(index, shard, ngpu) or index
    seen = 0
    for block in db_iterator:
        index.add(block)
        D, I = index.search(xq, k)
        heap.add_result(D, np.where(I >= 0, I + seen, -1))
        index.reset()
        seen += block.shape[0]
        LOG.info("%d database vectors, %.3f s", seen, time.time() - t0)
    heap.finalize()
    return heap.D, heap.I


def range_search_gpu(xq: ArrayLike, r2: Any, index_gpu: Any, index_cpu: Any, gpu_k: Any = 1024) -> Any:
    """Range search with a GPU index that only does k-NN (faiss: ``contrib.exhaustive_search.range_search_gpu``).

    Its gpu_k nearest are filtered by the radius, and the queries whose
    gpu_k-th result is still inside are searched again on index_cpu.

    Parameters
    ----------
    xq : (nq, d) float32-convertible
        The queries.
    r2 : float
        The radius (a squared distance for L2).
    index_gpu : Index
        The GPU index.
    index_cpu : Index or (n, d) float32 array
        An index of the same vectors, or the database matrix.
    gpu_k : int
        Results asked of the GPU index per query (default 1024).

    Returns
    -------
    lims : (nq + 1,) int64 ndarray
    D : float32 ndarray
    I : int64 ndarray
    """
    nq = xq.shape[0]
    keep_max = is_similarity_metric(index_gpu.metric_type)
    k = min(index_gpu.ntotal, gpu_k)
    if k == 0:
        return np.zeros(nq + 1, dtype="int64"), np.zeros(0, dtype="float32"), np.zeros(0, dtype="int64")
    D, I = index_gpu.search(xq, k)
    inside = (D > r2) if keep_max else (D < r2)
    overflow = np.flatnonzero(inside[:, -1]) if k == gpu_k else np.zeros(0, dtype=int)
    if overflow.size:
        if not hasattr(index_cpu, "range_search"):  # the database itself
            flat = IndexFlat(index_gpu.d, index_gpu.metric_type)
            flat.add(index_cpu)
            index_cpu = flat
        lims2, D2, I2 = index_cpu.range_search(xq[overflow], r2)
    counts = inside.sum(1)
    pieces_D, pieces_I = [], []
    redo = {int(q): j for j, q in enumerate(overflow)}
    for q in range(nq):
        if q in redo:
            j = redo[q]
            counts[q] = lims2[j + 1] - lims2[j]
            pieces_D.append(D2[lims2[j]:lims2[j + 1]])
            pieces_I.append(I2[lims2[j]:lims2[j + 1]])
        else:
            pieces_D.append(D[q, inside[q]])
            pieces_I.append(I[q, inside[q]])
    lims = np.zeros(nq + 1, dtype="int64")
    lims[1:] = np.cumsum(counts)
    return lims, np.hstack(pieces_D).astype("float32"), np.hstack(pieces_I).astype("int64")


def range_ground_truth(xq: ArrayLike, db_iterator: Any, threshold: float, metric_type: Any = METRIC_L2,
                       shard: bool = False, ngpu: int = -1) -> Any:
    """Exact range search over a database read in blocks (faiss: ``contrib.exhaustive_search.range_ground_truth``).

    Parameters
    ----------
    xq : (nq, d) float32-convertible
        The queries.
    db_iterator : iterable of (n_i, d) float32 arrays
        The database, block after block.
    threshold : float
        The radius.
    metric_type : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT``.
    shard : bool
        With several GPUs, shard each block.
    ngpu : int
        GPUs to use (-1, default: all there are; 0: the CPU).

    Returns
    -------
    lims : (nq + 1,) int64 ndarray
    D : float32 ndarray
    I : int64 ndarray
    """
    nq, d = xq.shape
    xq = np.ascontiguousarray(xq, dtype="float32")
    index = IndexFlat(d, metric_type)
    index_gpu = _on_gpus(index, shard, ngpu)
    per_query_D = [[] for _ in range(nq)]
    per_query_I = [[] for _ in range(nq)]
    seen = 0
    for block in db_iterator:
        if index_gpu is not None:
            index_gpu.add(block)
            lims, D, I = range_search_gpu(xq, threshold, index_gpu, block)
            index_gpu.reset()
        else:
            index.add(block)
            lims, D, I = index.range_search(xq, threshold)
            index.reset()
        for q in range(nq):
            if lims[q + 1] > lims[q]:
                per_query_D[q].append(D[lims[q]:lims[q + 1]])
                per_query_I[q].append(I[lims[q]:lims[q + 1]] + seen)
        seen += block.shape[0]
    sizes = [sum(len(p) for p in parts) for parts in per_query_I]
    lims = np.zeros(nq + 1, dtype="uint64")
    lims[1:] = np.cumsum(sizes)
    D = np.hstack([np.zeros(0, "float32")] + [p for parts in per_query_D for p in parts])
    I = np.hstack([np.zeros(0, "int64")] + [p for parts in per_query_I for p in parts])
    return lims, D.astype("float32"), I.astype("int64")


def _inside(dis, thresh, keep_max):
    return dis > thresh if keep_max else dis < thresh


def threshold_radius_nres(nres: Any, dis: ArrayLike, ids: ArrayLike, thresh: float, keep_max: bool = False) -> Any:
    """Per-query-count results within a tighter radius (faiss: ``contrib.exhaustive_search.threshold_radius_nres``).

    Parameters
    ----------
    nres : (nq,) int64 ndarray
        Results per query.
    dis : float32 ndarray
        Distances.
    ids : int64 ndarray
        Ids.
    thresh : float
        The new radius.
    keep_max : bool
        True for similarities (keep those above thresh).

    Returns
    -------
    nres, dis, ids
        The kept results, in the same layout.
    """
    mask = _inside(dis, thresh, keep_max)
    ends = np.cumsum(np.asarray(nres, dtype="int64"))
    kept = np.concatenate([[0], np.cumsum(mask)])
    new_nres = np.zeros_like(nres)
    new_nres[:] = kept[ends] - kept[ends - np.asarray(nres, dtype="int64")]
    return new_nres, dis[mask], ids[mask]


def threshold_radius(lims: ArrayLike, dis: ArrayLike, ids: ArrayLike, thresh: float, keep_max: bool = False) -> Any:
    """Range-search results restricted to a tighter radius (faiss: ``contrib.exhaustive_search.threshold_radius``).

    Parameters
    ----------
    lims : (nq + 1,) int64 ndarray
        The limits.
    dis : float32 ndarray
        Distances.
    ids : int64 ndarray
        Ids.
    thresh : float
        The new radius.
    keep_max : bool
        True for similarities (keep those above thresh).

    Returns
    -------
    lims, dis, ids
        The kept results, in the same layout.
    """
    mask = _inside(dis, thresh, keep_max)
    kept = np.concatenate([[0], np.cumsum(mask)])
    new_lims = np.zeros_like(lims)
    new_lims[:] = kept[np.asarray(lims, dtype="int64")]
    return new_lims, dis[mask], ids[mask]


def apply_maxres(res_batches: Any, target_nres: Any, keep_max: bool = False) -> Any:
    """Shrink the radius to keep about target_nres results (faiss: ``contrib.exhaustive_search.apply_maxres``).

    Parameters
    ----------
    res_batches : list of (nres, dis, ids)
        Results of query batches, updated in place.
    target_nres : int
        The results to keep, about.
    keep_max : bool
        True for similarities.

    Returns
    -------
    radius : float
        The new radius.
    total : int
        The results left.

    Raises
    ------
    ValueError
        There are not more results than the target.
    """
    alldis = np.hstack([dis for _, dis, _ in res_batches])
    if len(alldis) <= target_nres:
        raise ValueError(f"apply_maxres: {len(alldis)} results, not more than the target {target_nres}")
    if keep_max:
        radius = np.partition(alldis, len(alldis) - target_nres - 1)[len(alldis) - target_nres - 1]
    else:
        radius = np.partition(alldis, target_nres)[target_nres]
    radius = float(radius) if alldis.dtype == np.float32 else int(radius)
    total = 0
    for i, (nres, dis, ids) in enumerate(res_batches):
        res_batches[i] = threshold_radius_nres(nres, dis, ids, radius, keep_max=keep_max)
        total += len(res_batches[i][1])
    LOG.debug("radius now %s, %d results", radius, total)
    return radius, total


def range_search_max_results(index: Index, query_iterator: Any, radius: float, max_results: Any = None,
                             min_results: Any = None, shard: bool = False, ngpu: int = 0, clip_to_min: Any = False
                            ) -> Any:
    """Range search that lowers its radius (faiss: ``contrib.exhaustive_search.range_search_max_results``).

    Whenever the results pass max_results, the radius shrinks until
    min_results remain.

    Parameters
    ----------
    index : Index or IndexBinary
        The index searched.
    query_iterator : iterable of (n_i, d) arrays
        The queries, batch after batch (see exponential_query_iterator).
    radius : float
        The starting radius.
    max_results : int, optional
        Results that trigger a shrink (default min_results * 1.5).
    min_results : int, optional
        Results kept after one (default max_results * 0.8); give one of the
        two.
    shard : bool
        With several GPUs, shard the index.
    ngpu : int
        GPUs to use (0, default: the CPU).
    clip_to_min : bool
        Clip the final results to min_results.

    Returns
    -------
    radius : float
        The final radius.
    lims : int64 ndarray
    D : ndarray
    I : int64 ndarray

    Raises
    ------
    ValueError
        Neither max_results nor min_results is given.
    """
    binary = isinstance(index, IndexBinary)
    if min_results is None:
        if max_results is None:
            raise ValueError("range_search_max_results: give max_results or min_results")
        min_results = int(0.8 * max_results)
    if max_results is None:
        max_results = int(min_results * 1.5)
    index_gpu = _on_gpus(index, shard, ngpu)
    keep_max = is_similarity_metric(getattr(index, "metric_type", METRIC_L2))
    batches, total = [], 0
    for xqi in query_iterator:
        if index_gpu is not None:
            lims, D, I = range_search_gpu(xqi, radius, index_gpu, index)
        else:
            lims, D, I = index.range_search(xqi, radius)
        if binary:
            D = D.astype("int16")  # Hamming distances, as faiss gives them here
        batches.append((lims[1:] - lims[:-1], D, I))
        total += len(D)
        if total > max_results:
            LOG.info("%d results > %d: lowering the radius", total, max_results)
            radius, total = apply_maxres(batches, min_results, keep_max=keep_max)
    if clip_to_min and total > min_results:
        radius, total = apply_maxres(batches, min_results, keep_max=keep_max)
    nres = np.hstack([b[0] for b in batches]) if batches else np.zeros(0, "int64")
    lims = np.zeros(len(nres) + 1, dtype="uint64")
    lims[1:] = np.cumsum(nres)
    D = np.hstack([b[1] for b in batches]) if batches else np.zeros(0, "float32")
    I = np.hstack([b[2] for b in batches]) if batches else np.zeros(0, "int64")
    return radius, lims, D, I


def exponential_query_iterator(xq: ArrayLike, start_bs: Any = 32, max_bs: Any = 20000) -> Iterator[Any]:
    """Queries in batches that double in size (faiss: ``contrib.exhaustive_search.exponential_query_iterator``).

    Small first batches let range_search_max_results adapt its radius
    before many results pile up.

    Parameters
    ----------
    xq : (nq, d) array
        The queries.
    start_bs : int
        The first batch's size (32).
    max_bs : int
        The largest batch (20,000).

    Yields
    ------
    (n_i, d) array
        The next batch.
    """
    i, bs = 0, start_bs
    while i < len(xq):
        batch = xq[i:i + bs]
        yield batch
        i += len(batch)
        if bs < max_bs:
            bs *= 2
