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
    """Return (D, I), the k nearest rows of xb for every row of xq."""
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
    """Return the (nq, nb) float32 matrix of metric values."""
    xq, xb = _pair(xq, xb, "pairwise_distances")
    metric = MetricType.parse(metric)
    check_result_size("pairwise_distances", xq.shape[0], xb.shape[0], 4)
    out = np.empty((xq.shape[0], xb.shape[0]), dtype=np.float32)
    in_blocks(xq.shape[0], lambda lo, hi: _bridge.call(
        "PairwiseDistances", hi - lo, addr(xq[lo:]), xb.shape[0], addr(xb), xq.shape[1], int(metric),
        float(metric_arg), addr(out[lo:])))
    return out


def normalize_L2(x: Float32Array) -> None:
    """Scale each row of x to unit L2 norm, in place, like faiss.

    x must be a C-contiguous float32 (n, d) numpy array, since the change
    has to happen in the caller's own memory.
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float32 or not x.flags.c_contiguous or not x.flags.writeable:
        raise InputTypeError("normalize_L2: x must be a writeable C-contiguous float32 numpy array (it is changed in place)")
    if x.ndim != 2:
        raise DimensionMismatchError(f"normalize_L2: x must be 2-D, got shape {x.shape}")
    _bridge.call("NormalizeL2", x.shape[0], x.shape[1], addr(x))
