"""faiss's ResultHeap and merge_knn_results: the k best of search results
that arrive in pieces (blocks of a database, shards), kept in numpy; and
eval_intersection, which compares two result tables."""

from __future__ import annotations

import numpy as np

from ._arrays import as_count, as_int
from .errors import DimensionMismatchError, InputTypeError, InvalidArgumentError
from .metric import MetricType
from ._typing import Any, ArrayLike, MetricLike, SearchResult

# faiss's "no result" distance: what unfilled places hold (id -1).
_EMPTY = float(np.finfo(np.float32).max)


def is_similarity_metric(metric: MetricLike) -> bool:
    """Whether larger values are better for a metric (faiss: ``is_similarity_metric``).

    Parameters
    ----------
    metric : int or str
        A metric.

    Returns
    -------
    bool
        True for inner product and Jaccard.
    """
    return MetricType.parse(metric) in (MetricType.INNER_PRODUCT, MetricType.JACCARD)


def _results(D, I, op, rows=None):
    """D as float32 and I as int64, both (rows, n)."""
    D, I = np.asarray(D), np.asarray(I)
    if D.ndim != 2 or D.shape != I.shape:
        raise DimensionMismatchError(f"{op}: D {D.shape} and I {I.shape} must be matrices of one shape")
    if rows is not None and D.shape[0] != rows:
        raise DimensionMismatchError(f"{op}: expected {rows} rows of results, got {D.shape[0]}")
    if not (np.issubdtype(D.dtype, np.number) and np.issubdtype(I.dtype, np.integer)):
        raise InputTypeError(f"{op}: D must be numbers and I integers, got {D.dtype} and {I.dtype}")
    return D.astype(np.float32, copy=False), I.astype(np.int64, copy=False)


def _keep_best(D, I, k, keep_max):
    """The k best columns of each row, best first; equal distances keep
    their column order (earlier results stay ahead, as in faiss's heaps)."""
    key = -D if keep_max else D
    order = _best_columns(key, k) if key.shape[1] > 2 * k and key.shape[0] else None
    if order is None:
        order = np.argsort(key, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(D, order, 1), np.take_along_axis(I, order, 1)


def _best_columns(key, k):
    """Partial selection, O(columns): the columns no worse than each row's
    k-th best, in their own order, then a stable sort of those few. None
    where a row's k-th best is NaN (the full sort orders those)."""
    kth = np.partition(key, k - 1, axis=1)[:, k - 1:k]
    if np.isnan(kth).any():
        return None
    inside = key <= kth
    counts = inside.sum(axis=1)
    width = int(counts.max())
    if (counts == width).all():  # the same count in every row: one pass
        first = np.nonzero(inside)[1].reshape(key.shape[0], width)
    else:
        first = np.argsort(~inside, axis=1, kind="stable")[:, :width]
    best = np.argsort(np.take_along_axis(key, first, 1), axis=1, kind="stable")[:, :k]
    return np.take_along_axis(first, best, 1)


class ResultHeap:
    """The k best (distance, id) pairs per query over several result batches (faiss: ``ResultHeap``).

    ``add_result(D, I)`` merges an (nq, k') batch, ``add_result_subset(subset,
    D, I)`` one for some queries; ``D`` and ``I`` are kept sorted best first
    (``finalize()`` is there for faiss's callers); places not filled hold
    faiss's neutral distance and id -1.

    Parameters
    ----------
    nq : int
        Number of queries.
    k : int
        Results kept per query.
    keep_max : bool
        Keep the largest distances (similarities) instead of the smallest.

    Raises
    ------
    InvalidArgumentError
        nq below 0.
    CountError
        k below 1.
    """

    def __init__(self, nq: int, k: int, keep_max: bool = False) -> None:
        self.nq, self.k = as_int(nq, "ResultHeap", "nq"), as_count(k, "ResultHeap", "k")
        if self.nq < 0:
            raise InvalidArgumentError(f"ResultHeap: nq must be >= 0, got {self.nq}")
        self.keep_max = bool(keep_max)
        self.D = np.full((self.nq, self.k), -_EMPTY if self.keep_max else _EMPTY, dtype=np.float32)
        self.I = np.full((self.nq, self.k), -1, dtype=np.int64)

    def add_result(self, D: ArrayLike, I: ArrayLike) -> None:
        """Merge (nq, n) results into the heaps."""
        D, I = _results(D, I, "ResultHeap.add_result", self.nq)
        self.D, self.I = _keep_best(np.hstack([self.D, D]), np.hstack([self.I, I]), self.k, self.keep_max)

    def add_result_subset(self, subset: Any, D: ArrayLike, I: ArrayLike) -> None:
        """Merge results for the queries numbered in subset (one row each)."""
        subset = np.asarray(subset, dtype=np.int64).ravel()
        D, I = _results(D, I, "ResultHeap.add_result_subset", len(subset))
        if subset.size and (subset.min() < 0 or subset.max() >= self.nq):
            raise DimensionMismatchError(f"ResultHeap.add_result_subset: query numbers must be in [0, {self.nq})")
        best = _keep_best(np.hstack([self.D[subset], D]), np.hstack([self.I[subset], I]), self.k, self.keep_max)
        self.D[subset], self.I[subset] = best

    def finalize(self) -> None:
        """faiss sorts its heaps here; these are always sorted."""


def merge_knn_results(Dall: ArrayLike, Iall: ArrayLike, keep_max: bool = False) -> SearchResult:
    """Merge the k-NN results of shards into the k best overall (faiss: ``merge_knn_results``).

    On equal distances the lower shard comes first; ids of -1 (no result)
    sort after every real result.

    Parameters
    ----------
    Dall : (nshard, nq, k) float32-convertible
        Each shard's distances, sorted best first.
    Iall : (nshard, nq, k) int64-convertible
        Each shard's ids.
    keep_max : bool
        True for similarities (inner product): keep the largest.

    Returns
    -------
    D : (nq, k) float32 ndarray
        The merged distances.
    I : (nq, k) int64 ndarray
        The merged ids.

    Raises
    ------
    DimensionMismatchError
        Dall and Iall are not 3-d arrays of one shape.
    """
    Dall, Iall = np.asarray(Dall), np.asarray(Iall)
    if Dall.ndim != 3 or Dall.shape != Iall.shape:
        raise DimensionMismatchError(f"merge_knn_results: Dall {Dall.shape} and Iall {Iall.shape} must be "
                                     "(nshard, nq, k) arrays of one shape")
    nshard, nq, k = Dall.shape
    D, I = _results(Dall.transpose(1, 0, 2).reshape(nq, nshard * k),
                    Iall.transpose(1, 0, 2).reshape(nq, nshard * k), "merge_knn_results")
    missing = I < 0  # faiss skips them: they sort after every real result
    D = np.where(missing, -_EMPTY if keep_max else _EMPTY, D)
    return _keep_best(D, I, k, keep_max)


def eval_intersection(I1: ArrayLike, I2: ArrayLike) -> int:
    """The number of result ids two searches share, summed over queries (faiss: ``eval_intersection``).

    Ids of -1 (no result) are left out and each row's ids count once.

    Parameters
    ----------
    I1 : (nq, k1) int64-convertible
        Ids of one search.
    I2 : (nq, k2) int64-convertible
        Ids of the other.

    Returns
    -------
    int
        Summed over rows, the number of distinct ids row i of I1 and row i
        of I2 share.

    Raises
    ------
    DimensionMismatchError
        Not matrices with the same number of rows.
    """
    I1 = np.ascontiguousarray(I1, dtype=np.int64)
    I2 = np.ascontiguousarray(I2, dtype=np.int64)
    if I1.ndim != 2 or I2.ndim != 2 or I1.shape[0] != I2.shape[0]:
        raise DimensionMismatchError(f"eval_intersection: I1 {I1.shape} and I2 {I2.shape} must be matrices "
                                     "with one row per query")
    return int(sum(np.intersect1d(a[a >= 0], b[b >= 0]).size for a, b in zip(I1, I2)))
