"""Free functions: knn, pairwise_distances, normalize_L2."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_count, as_matrix, check_result_size
from ._interrupt import in_blocks
from .errors import DimensionMismatchError, InputTypeError
from .metric import METRIC_L2, MetricType
from ._typing import ArrayLike, Float32Array, MetricLike, SearchResult


def _pair(xq, xb, op):
    xq = as_matrix(xq, op, name="xq")
    xb = as_matrix(xb, op, name="xb")
    if xq.shape[1] != xb.shape[1]:
        raise DimensionMismatchError(f"{op}: xq has {xq.shape[1]} columns, xb has {xb.shape[1]}")
    return xq, xb


def knn(xq: ArrayLike, xb: ArrayLike, k: int, metric: MetricLike = METRIC_L2, metric_arg: float = 0.0) -> SearchResult:
    """The k nearest rows of xb for every row of xq, by brute force (faiss: ``knn``).

    Parameters
    ----------
    xq : (nq, d) float32-convertible
        The queries.
    xb : (nb, d) float32-convertible
        The database.
    k : int
        Results per query, at least 1.
    metric : int or str
        ``METRIC_L2`` (default), ``METRIC_INNER_PRODUCT``, ``METRIC_L1``, ...
    metric_arg : float
        p of ``METRIC_Lp``.

    Returns
    -------
    D : (nq, k) float32
        Distances, best first.
    I : (nq, k) int64
        Row numbers in xb; -1 where nb < k.

    Raises
    ------
    DimensionMismatchError
        xq and xb differ in d.
    InvalidArgumentError
        k < 1.
    """
    xq, xb = _pair(xq, xb, "knn")
    k = as_count(k, "knn")
    metric = MetricType.parse(metric)
    nq = xq.shape[0]
    check_result_size("knn", nq, k)
    D = np.empty((nq, k), dtype=np.float32)
    I = np.empty((nq, k), dtype=np.int64)
    in_blocks(nq, lambda lo, hi: _bridge.call("KNN", hi - lo, addr(xq[lo:]), xb.shape[0], addr(xb), xq.shape[1],
                                              int(metric), float(metric_arg), k, addr(D[lo:]), addr(I[lo:])))
    return D, I


def pairwise_distances(xq: ArrayLike, xb: ArrayLike, metric: MetricLike = METRIC_L2,
                       metric_arg: float = 0.0) -> Float32Array:
    """Every distance between the rows of xq and those of xb (faiss: ``pairwise_distances``).

    Parameters
    ----------
    xq : (nq, d) float32-convertible
    xb : (nb, d) float32-convertible
    metric : int or str
        As for ``knn``.
    metric_arg : float
        p of ``METRIC_Lp``.

    Returns
    -------
    (nq, nb) float32

    Raises
    ------
    DimensionMismatchError
        xq and xb differ in d.
    ResultTooLargeError
        nq * nb values do not fit in memory.
    """
    xq, xb = _pair(xq, xb, "pairwise_distances")
    metric = MetricType.parse(metric)
    check_result_size("pairwise_distances", xq.shape[0], xb.shape[0], 4)
    out = np.empty((xq.shape[0], xb.shape[0]), dtype=np.float32)
    in_blocks(xq.shape[0], lambda lo, hi: _bridge.call(
        "PairwiseDistances", hi - lo, addr(xq[lo:]), xb.shape[0], addr(xb), xq.shape[1], int(metric),
        float(metric_arg), addr(out[lo:])))
    return out


def normalize_L2(x: Float32Array) -> None:
    """Scale each row of x to unit L2 norm, in place (faiss: ``normalize_L2``).

    Rows of norm 0 are left as they are, as in faiss.

    Parameters
    ----------
    x : (n, d) float32 ndarray, C-contiguous
        Changed in place, since the change has to happen in the caller's
        own memory.

    Raises
    ------
    InputTypeError
        x is not a C-contiguous float32 numpy array (a copy would be
        normalised instead of x).
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float32 or not x.flags.c_contiguous or not x.flags.writeable:
        raise InputTypeError("normalize_L2: x must be a writeable C-contiguous float32 numpy array (it is changed in place)")
    if x.ndim != 2:
        raise DimensionMismatchError(f"normalize_L2: x must be 2-D, got shape {x.shape}")
    _bridge.call("NormalizeL2", x.shape[0], x.shape[1], addr(x))
