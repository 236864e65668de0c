"""faiss's Clustering1D (k-means of scalars, exact with train_exact) and
smawk, the row-minima search it is built on."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from .errors import InvalidArgumentError
from .faiss_clustering import Clustering
from ._typing import Any, ArrayLike


class Clustering1D(Clustering):
    """k-means of scalars, with an exact optimum (faiss: ``Clustering1D``).

    A Clustering of d=1: ``train`` runs k-means as for any d;
    ``train_exact(x)`` finds the optimal centroids (sorted, each the mean of a
    run of the sorted values) by dynamic programming, in O(k n).

    Parameters
    ----------
    k : int
        Number of centroids.
    cp : ClusteringParameters, optional
        The k-means settings for ``train``.

    Raises
    ------
    CountError
        k below 1.
    """

    __slots__ = ()

    def __init__(self, k: int, cp: Any = None) -> None:
        super().__init__(1, k, cp)

    def train_exact(self, x: ArrayLike) -> float:
        """Optimal k centroids of 1-D points x by dynamic programming; return the objective."""
        op = "Clustering1D.train_exact"
        x = np.ascontiguousarray(x, dtype=np.float32)
        if x.ndim == 2 and x.shape[1] != 1 or x.ndim > 2:
            raise InvalidArgumentError(f"{op}: expected n values (n, 1), got shape {x.shape}")
        x = x.reshape(-1)
        out, obj = np.zeros(self.k, dtype=np.float32), np.zeros(1, dtype=np.float64)
        _bridge.call_long("KMeans1D", x.shape[0], addr(x), self.k, addr(out), addr(obj))
        self.centroids = out
        return float(obj[0])


def smawk(nrows: Any, ncols: Any, x: ArrayLike, argmins: Any) -> None:
    """The leftmost minimum of each row of a totally monotone matrix (faiss: ``smawk``).

    Totally monotone: the minima's columns never decrease down the rows.

    Parameters
    ----------
    nrows : int
        Rows.
    ncols : int
        Columns.
    x : swig_ptr (float32)
        The nrows x ncols matrix.
    argmins : swig_ptr (int64)
        Receives each row's column.
    """
    from .swig_pointers import region

    op = "smawk"
    nrows, ncols = as_int(nrows, op, "nrows"), as_int(ncols, op, "ncols")
    if nrows < 0 or ncols < 0:
        raise InvalidArgumentError(f"{op}: nrows and ncols must be >= 0, got {nrows} x {ncols}")
    m = region(x, np.float32, nrows * ncols, op, "x")
    out = region(argmins, np.int64, nrows, op, "argmins", writable=True)
    _bridge.call("Smawk", nrows, ncols, addr(m), addr(out))
