"""faiss's ClusteringInitialization: k-means' first centroids drawn from
the points uniformly (ClusteringInitMethod_RANDOM), by k-means++ or by
AFK-MC2, in the Go core."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from .errors import InvalidArgumentError
from .swig_pointers import region
from ._typing import Any, ArrayLike

ClusteringInitMethod_RANDOM = 0
ClusteringInitMethod_KMEANS_PLUS_PLUS = 1
ClusteringInitMethod_AFK_MC2 = 2


class ClusteringInitialization:
    """Initial centroids for k-means: random points, k-means++ or AFK-MC2 (faiss: ``ClusteringInitialization``).

    Set ``method``, ``seed`` (1234) and ``afkmc2_chain_length`` (50), then
    ``init_centroids(n, x, centroids[, n_existing, existing])`` with
    swig_ptr pointers, as faiss.

    Parameters
    ----------
    d : int
        Dimension.
    k : int
        Number of centroids.

    Raises
    ------
    InvalidArgumentError
        d or k below 1.
    """

    def __init__(self, d: int, k: int) -> None:
        self.d = as_int(d, "ClusteringInitialization", "d")
        self.k = as_int(k, "ClusteringInitialization", "k")
        if self.d <= 0 or self.k <= 0:
            raise InvalidArgumentError(f"ClusteringInitialization: d and k must be positive, got {self.d}, {self.k}")
        self.method = ClusteringInitMethod_RANDOM
        self.seed = 1234
        self.afkmc2_chain_length = 50

    def init_centroids(self, n: int, x: ArrayLike, centroids: ArrayLike, n_existing: Any = 0,
                       existing_centroids: Any = None) -> None:
        """Write k initial centroids for the n points at x into centroids (after n_existing given ones)."""
        op = "ClusteringInitialization.init_centroids"
        n, m = as_int(n, op, "n"), as_int(n_existing, op, "n_existing")
        xs = region(x, np.float32, n * self.d, op, "x")
        out = region(centroids, np.float32, self.k * self.d, op, "centroids", True)
        ex = region(existing_centroids, np.float32, m * self.d, op, "existing_centroids") if m else None
        _bridge.call("ClusteringInitCentroids", as_int(self.method, op, "method"), self.d, self.k, n, addr(xs), m,
                     addr(ex) if ex is not None else 0, as_int(self.seed, op, "seed"),
                     as_int(self.afkmc2_chain_length, op, "afkmc2_chain_length"), addr(out))
