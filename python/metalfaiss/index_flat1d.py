"""faiss's IndexFlat1D: exact search of scalars through their sorted
order, in O(log n + k) per query instead of a scan."""

from __future__ import annotations

import numpy as np

from ._arrays import as_count, as_matrix
from .errors import InvalidArgumentError
from .index_flat import IndexFlatL2
from .vectors import Int64Vector
from .search_params import SearchParameters
from ._typing import Any, ArrayLike, Float32Array, Int64Array, Optional, SearchResult


class IndexFlat1D(IndexFlatL2):
    """Exact search over scalars by binary search of their sorted order (faiss: ``IndexFlat1D``).

    An IndexFlatL2 of d=1 whose searches use ``perm``, the stored values'
    order. With continuous_update the order follows every add; otherwise
    call update_permutation() before searching. As faiss's, search returns
    |x - y| (not squared) and the k nearest by that distance. Memory per
    value: 4 bytes and an 8-byte position in perm.

    Parameters
    ----------
    continuous_update : bool
        Re-sort after every add (default True).
    """

    def __init__(self, continuous_update: Any = True) -> None:
        super().__init__(1)
        self.continuous_update = bool(continuous_update)
        self.perm = Int64Vector()

    def update_permutation(self) -> None:
        """Sort the stored values (stable: equal values keep id order)."""
        values = self.reconstruct_n(0, self.ntotal).ravel() if self.ntotal else np.zeros(0, np.float32)
        self.perm._assign(np.argsort(values, kind="stable"))

    def add(self, x: ArrayLike) -> None:
        super().add(x)
        if self.continuous_update:
            self.update_permutation()

    def reset(self) -> None:
        super().reset()
        self.perm.clear()

    def search(self, x: ArrayLike, k: int, *, params: Optional[SearchParameters] = None,
               D: Optional[Float32Array] = None, I: Optional[Int64Array] = None) -> SearchResult:
        op = "IndexFlat1D.search"
        if params is not None:
            raise InvalidArgumentError(f"{op}: IndexFlat1D takes no search parameters")
        x = as_matrix(x, op, 1).ravel()
        k = as_count(k, op)
        n = self.ntotal
        if self.perm.size() != n:
            raise InvalidArgumentError(f"{op}: call update_permutation() before searching "
                                       f"(the order covers {self.perm.size()} of {n} values)")
        order = self.perm._a
        values = self.reconstruct_n(0, n).ravel()[order] if n else np.zeros(0, np.float32)
        # The k nearest of q lie among the k sorted values on either side
        # of its insertion point.
        at = np.searchsorted(values, x)
        window = np.clip(at[:, None] + np.arange(-k, k)[None, :], -1, n)
        inside = (window >= 0) & (window < n)
        safe = np.clip(window, 0, max(n - 1, 0))
        dist = np.where(inside, np.abs(values[safe] - x[:, None]) if n else np.inf, np.inf).astype(np.float32)
        ids = np.where(inside, order[safe] if n else -1, -1)
        best = np.lexsort((ids, dist), axis=1)[:, :k] if dist.size else np.zeros((x.shape[0], 0), np.int64)
        out_d = np.full((x.shape[0], k), np.finfo(np.float32).max, dtype=np.float32)
        out_i = np.full((x.shape[0], k), -1, dtype=np.int64)
        m = min(k, best.shape[1])
        picked_d = np.take_along_axis(dist, best[:, :m], 1)
        picked_i = np.take_along_axis(ids, best[:, :m], 1)
        found = np.isfinite(picked_d)
        out_d[:, :m] = np.where(found, picked_d, out_d[:, :m])
        out_i[:, :m] = np.where(found, picked_i, -1)
        if D is not None:
            D[...] = out_d
            out_d = D
        if I is not None:
            I[...] = out_i
            out_i = I
        return out_d, out_i
