"""faiss's ProgressiveDimClustering: k-means run in growing dimensions.

The points are first rotated onto their principal axes (``apply_pca``);
then ``progressive_dim_steps`` k-means runs cluster the first d_i
coordinates, d_i = int(d ** ((i + 1) / steps)), each starting from the
previous run's centroids padded with zeros. The last run is in all d
dimensions, and its centroids are rotated back. Starting from coarse,
well-separated structure this way often ends at a better objective than
one run in d dimensions."""

from __future__ import annotations

import numpy as np

from ._arrays import as_int, as_matrix
from .clustering_parameters import ClusteringParameters
from .errors import InputTypeError, InvalidArgumentError
from .index_flat import IndexFlatL2
from .faiss_clustering import Clustering, _StatsVector
from .swig_pointers import SwigPtr, region
from .transforms import PCAMatrix
from ._typing import Any


class ProgressiveDimClusteringParameters(ClusteringParameters):
    """k-means settings for ProgressiveDimClustering (faiss: ``ProgressiveDimClusteringParameters``).

    ClusteringParameters with ``progressive_dim_steps`` (10) and
    ``apply_pca`` (True); ``niter`` defaults to 10 per step, as in faiss.

    Parameters
    ----------
    **kwargs
        Any ClusteringParameters field, ``progressive_dim_steps`` and
        ``apply_pca``.
    """

    __slots__ = ("progressive_dim_steps", "apply_pca")

    def __init__(self, **kwargs: Any) -> None:
        object.__setattr__(self, "progressive_dim_steps", 10)
        object.__setattr__(self, "apply_pca", True)
        own = {k: kwargs.pop(k) for k in ("progressive_dim_steps", "apply_pca") if k in kwargs}
        kwargs.setdefault("niter", 10)
        super().__init__(**kwargs)
        for k, v in own.items():
            setattr(self, k, v)

    def __setattr__(self, name, value):
        if name == "progressive_dim_steps":
            steps = as_int(value, "ProgressiveDimClusteringParameters.progressive_dim_steps", "value")
            if steps < 1:
                raise InvalidArgumentError(f"ProgressiveDimClusteringParameters.progressive_dim_steps: must be >= 1, "
                                           f"got {steps}")
            object.__setattr__(self, name, steps)
        elif name == "apply_pca":
            object.__setattr__(self, name, bool(value))
        else:
            super().__setattr__(name, value)

    def copy(self) -> Any:
        """A copy of the parameters."""
        out = ProgressiveDimClusteringParameters(**self.as_dict())
        out.progressive_dim_steps, out.apply_pca = self.progressive_dim_steps, self.apply_pca
        return out


class ProgressiveDimIndexFactory:
    """Makes the assignment index of each progressive-dimension step (faiss: ``ProgressiveDimIndexFactory``).

    ``factory(dim)`` is an IndexFlatL2(dim); a subclass may return another
    index of that dim.
    """

    def __call__(self, dim: int) -> Any:
        return IndexFlatL2(dim)


class GpuProgressiveDimIndexFactory(ProgressiveDimIndexFactory):
    """The steps' assignment indexes on the GPU (faiss: ``GpuProgressiveDimIndexFactory``).

    Parameters
    ----------
    ngpu : int
        faiss's GPU count (at least 1; metalfaiss drives one device).

    Raises
    ------
    InvalidArgumentError
        ngpu below 1.
    """

    def __init__(self, ngpu: int = 1) -> None:
        if as_int(ngpu, "GpuProgressiveDimIndexFactory", "ngpu") < 1:
            raise InvalidArgumentError(f"GpuProgressiveDimIndexFactory: ngpu must be >= 1, got {ngpu}")

    def __call__(self, dim: int) -> Any:
        from .gpu import GpuIndexFlatL2

        return GpuIndexFlatL2(None, dim)


class ProgressiveDimClustering(ProgressiveDimClusteringParameters):
    """k-means that adds dimensions step by step, after a PCA (faiss: ``ProgressiveDimClustering``).

    ``train(x, factory)`` or faiss's ``train(n, swig_ptr(x), factory)``: each
    step clusters the first dimensions of the PCA-rotated data, starting
    from the previous step's centroids. After training: ``centroids`` (k*d
    float32) and ``iteration_stats`` (every step's).

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    k : int
        Number of centroids.
    cp : ProgressiveDimClusteringParameters or ClusteringParameters, optional
        Settings (faiss's defaults otherwise).

    Raises
    ------
    InvalidArgumentError
        d or k below 1.
    """

    __slots__ = ("d", "k", "centroids", "iteration_stats")

    def __init__(self, d: int, k: int, cp: Any = None) -> None:
        op = "ProgressiveDimClustering"
        super().__init__(**(cp.as_dict() if cp is not None else {}))
        if cp is not None and isinstance(cp, ProgressiveDimClusteringParameters):
            self.progressive_dim_steps, self.apply_pca = cp.progressive_dim_steps, cp.apply_pca
        d, k = as_int(d, op, "d"), as_int(k, op, "k")
        if d < 1 or k < 1:
            raise InvalidArgumentError(f"{op}: d and k must be positive, got d={d}, k={k}")
        object.__setattr__(self, "d", d)
        object.__setattr__(self, "k", k)
        object.__setattr__(self, "centroids", np.zeros(0, dtype=np.float32))
        object.__setattr__(self, "iteration_stats", _StatsVector())

    def __setattr__(self, name, value):
        if name in ("d", "k", "centroids", "iteration_stats"):
            raise AttributeError(f"ProgressiveDimClustering.{name} is read-only")
        super().__setattr__(name, value)

    def train(self, *args: Any) -> None:
        """Cluster x (n, d), adding dimensions step by step (faiss: ProgressiveDimClustering.train)."""
        op = "ProgressiveDimClustering.train"
        if len(args) == 3:  # faiss's (n, x pointer, factory)
            n, x, factory = args
            if isinstance(x, SwigPtr):
                x = region(x, np.float32, as_int(n, op, "n") * self.d, op, "x").reshape(-1, self.d)
            x = as_matrix(x, op, self.d)
            if x.shape[0] != as_int(n, op, "n"):
                raise InvalidArgumentError(f"{op}: n={n} but x holds {x.shape[0]} rows")  # an array, not a pointer
        elif len(args) == 2:
            x, factory = as_matrix(args[0], op, self.d), args[1]
        else:
            raise TypeError(f"{op}: takes (x, factory) or (n, x, factory)")
        if not callable(factory):
            raise InputTypeError(f"{op}: factory must be a ProgressiveDimIndexFactory, got {type(factory).__name__}")
        pca = None
        if self.apply_pca:
            pca = PCAMatrix(self.d, self.d)
            pca.train(x)
            x = pca.apply(x)
        params = ClusteringParameters(**self.as_dict())
        stats, prev, d_prev = [], None, 0
        for step in range(self.progressive_dim_steps):
            di = int(self.d ** ((1.0 + step) / self.progressive_dim_steps))
            if self.verbose:
                print(f"Progressive dim step {step}: cluster in dimension {di}")
            clus = Clustering(di, self.k, params)
            if prev is not None:  # warm start: the previous centroids, padded with zeros
                start = np.zeros((self.k, di), dtype=np.float32)
                start[:, :min(d_prev, di)] = prev[:, :min(d_prev, di)]
                clus.centroids = start
            clus.train(np.ascontiguousarray(x[:, :di]), factory(di))
            prev, d_prev = clus.centroids.reshape(self.k, di), di
            stats.extend(clus.iteration_stats)
        centroids = prev
        if pca is not None:
            centroids = pca.reverse_transform(np.ascontiguousarray(centroids))
        object.__setattr__(self, "centroids", np.ascontiguousarray(centroids, dtype=np.float32).ravel())
        object.__setattr__(self, "iteration_stats", _StatsVector(stats))
