"""Exact search: IndexFlat, IndexFlatL2, IndexFlatIP."""

from __future__ import annotations

import numpy as np

from . import _backend, _bridge
from ._arrays import addr, as_int
from .distance_computer import IndexFlatCodes
from .index import Index
from .metric import METRIC_INNER_PRODUCT, METRIC_L2, MetricType
from .swig_pointers import SwigPtr
from ._typing import ArrayLike, MetricLike


class IndexFlat(IndexFlatCodes, Index):
    """Stores vectors as they are and compares every query with all of them (faiss: ``IndexFlat``).

    Exact results, no training. With METALFAISS_BACKEND=gpu, L2 and
    inner-product indexes search on the GPU. Memory per vector: 4 * d bytes.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    metric : int or str
        A faiss metric number, a MetricType or a name ("L2", "IP", "L1",
        "Linf", "Lp", ...). For METRIC_Lp set ``metric_arg`` (p) after
        construction, as in faiss.

    Raises
    ------
    InvalidArgumentError
        d < 1 or an unknown metric.
    """

    _go_type = "IndexFlat"

    def __init__(self, d: int, metric: MetricLike = METRIC_L2) -> None:
        metric = MetricType.parse(metric)
        d = as_int(d, type(self).__name__, "d")
        out = np.zeros(1, dtype=np.int64)
        on_gpu = metric in (METRIC_L2, METRIC_INNER_PRODUCT) and _backend.default_gpu()
        if on_gpu:
            _backend.resolve(True, type(self).__name__)
        if on_gpu:
            _bridge.call("GpuIndexFlatNew", d, int(metric), False, addr(out))
        else:
            _bridge.call("IndexFlatNew", d, int(metric), addr(out))
        super().__init__(int(out[0]))

    def permute_entries(self, perm: ArrayLike | SwigPtr) -> None:
        """Reorder the stored vectors: the new vector i is the old perm[i]
        (a permutation of 0..ntotal-1, an array or a swig_ptr)."""
        from .index_ivf import _permutation

        perm = _permutation(perm, self.ntotal, self._op("permute_entries"))
        _bridge.call("IndexPermuteEntries", self._h("permute_entries"), addr(perm), perm.shape[0])

    def get_xb(self) -> SwigPtr:
        """A pointer (``rev_swig_ptr`` reads it) to the ntotal * d stored
        values. The vectors live in the Go core, so this is a copy taken
        now: writing through it does not change the index."""
        return SwigPtr(self.reconstruct_n(0, self.ntotal).reshape(-1))

    @classmethod
    def _from_handle(cls, handle):
        # faiss's read_index gives IndexFlatL2 / IndexFlatIP by metric.
        obj = super()._from_handle(handle)
        obj.__class__ = _BY_METRIC.get(obj.metric_type, obj.__class__)
        return obj

    def sync_l2norms(self) -> None:
        """faiss caches the vectors' squared norms on request; metalfaiss
        keeps them with the vectors always, so there is nothing to do."""

    def clear_l2norms(self) -> None:
        """The norms stay (see sync_l2norms); searches are unchanged."""


class IndexFlatL2(IndexFlat):
    """IndexFlat with squared Euclidean distance (faiss: ``IndexFlatL2``).

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    """

    def __init__(self, d: int) -> None:
        super().__init__(d, METRIC_L2)



class IndexFlatIP(IndexFlat):
    """IndexFlat with inner-product similarity, larger first (faiss: ``IndexFlatIP``).

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    """

    def __init__(self, d: int) -> None:
        super().__init__(d, METRIC_INNER_PRODUCT)


_BY_METRIC = {METRIC_L2: IndexFlatL2, METRIC_INNER_PRODUCT: IndexFlatIP}
