"""faiss's Python k-means wrapper, ``Kmeans``."""

from __future__ import annotations

import numpy as np

from . import _backend
from ._arrays import as_matrix
from ._kmeans import STAT_FIELDS, check_dk, train_kmeans
from .clustering_parameters import ClusteringParameters, canonical_name, known_names
from .errors import NotTrainedError
from .index import Index
from .index_flat import IndexFlatIP, IndexFlatL2
from ._typing import Any, ArrayLike, Float32Array, Float64Array, Int64Array, Optional, ProgressCallback


def _flat_index(d, spherical, gpu=False):
    """The assignment index faiss's Kmeans uses: IP for spherical k-means,
    on the GPU when asked (there the points stay on the device for the run
    and the centroid sums are computed there too)."""
    if gpu:
        from .gpu import GpuIndexFlatIP, GpuIndexFlatL2

        return GpuIndexFlatIP(None, d) if spherical else GpuIndexFlatL2(None, d)
    return IndexFlatIP(d) if spherical else IndexFlatL2(d)


class Kmeans:
    """k-means with faiss's ``Kmeans`` interface (faiss: ``Kmeans``).

    ``Kmeans(d, k, niter=25, nredo=1, verbose=False, spherical=False,
    int_centroids=False, update_index=False, min_points_per_centroid=39,
    max_points_per_centroid=256, seed=1234, gpu=False,
    decode_block_size=32768, frozen_centroids=False, progress=None)``.

    Parameters
    ----------
    d : int
        Dimension of the points.
    k : int
        Number of centroids.
    **kwargs
        Any ``ClusteringParameters`` name (faiss's, e.g. ``niter``,
        ``seed``, ``spherical``, ``early_stop_threshold``), and:
    gpu : bool or int
        Run the assignment and the centroid sums on the GPU (a number of
        GPUs is accepted, as in faiss); with METALFAISS_BACKEND=gpu the GPU
        is the default.
    progress : callable, optional
        Called after every iteration as ``progress(iteration, niter,
        objective)``, iteration counting from 1 over all ``nredo`` runs
        and niter the planned total, so it can drive a progress bar.

    Attributes
    ----------
    centroids : (k, d) float32 or None
        The result of ``train`` (None before).
    obj : (iterations,) float64 or None
        The objective after each iteration.
    iteration_stats : list of dict
        obj, time, time_search, imbalance_factor, nsplit per iteration.
    index : Index
        A flat index over the centroids (``index.search(x, 1)`` assigns).

    Raises
    ------
    InvalidArgumentError
        d or k < 1; TypeError for an unknown parameter name.
    GpuUnavailableError
        ``gpu=True`` without a usable GPU.
    """

    d: int
    k: int
    gpu: Any
    progress: Optional[ProgressCallback]
    cp: ClusteringParameters
    index: Index
    centroids: Optional[Float32Array]
    obj: Optional[Float64Array]
    iteration_stats: Optional[list[dict[str, Any]]]

    def __init__(self, d: int, k: int, **kwargs: Any) -> None:
        self.d, k = check_dk("Kmeans", d, k)
        self.reset(k)
        self.gpu = False
        self.progress = None
        self.cp = ClusteringParameters()
        if "progressive_dim_steps" in kwargs or "apply_pca" in kwargs:
            from .progressive_dim import ProgressiveDimClusteringParameters

            self.cp = ProgressiveDimClusteringParameters()  # faiss's switch to ProgressiveDimClustering
        for key, value in kwargs.items():
            if key == "gpu":
                self.gpu = value
            elif key == "progress":
                self.progress = value
            elif canonical_name(key) is None and key not in ("progressive_dim_steps", "apply_pca"):
                raise TypeError(f"Kmeans: unknown parameter {key!r}; known: gpu, progress, {', '.join(known_names())}")
            else:
                setattr(self.cp, key, value)
        self.set_index()

    def set_index(self) -> None:
        """Make the assignment index (flat, on the GPU when gpu is set) for the current settings."""
        gpu = _backend.resolve(True if self.gpu else None if _backend.default_gpu() else False, "Kmeans")
        self.index = _flat_index(self.d, self.cp.spherical, gpu)

    def reset(self, k: Optional[int] = None) -> None:
        """Forget the result, possibly to cluster into another number of centroids."""
        if k is not None:
            _, self.k = check_dk("Kmeans.reset", self.d, k)
        self.centroids = None
        self.obj = None
        self.iteration_stats = None

    def train(self, x: ArrayLike, weights: Optional[ArrayLike] = None,
              init_centroids: Optional[ArrayLike] = None) -> float:
        """Cluster x; return the final objective (faiss: ``Kmeans.train``).

        Parameters
        ----------
        x : (n, d) float32-convertible
            The points (n >= k).
        weights : (n,) float32-convertible, optional
            A weight per point.
        init_centroids : (m, d) float32-convertible, optional
            The first m <= k starting centroids (the rest are drawn from x).

        Returns
        -------
        float
            The objective (sum of squared distances, or of similarities
            when spherical) after the last iteration.

        Raises
        ------
        DimensionMismatchError
            x, weights or init_centroids of the wrong shape.
        InvalidArgumentError
            Fewer points than centroids.
        OperationInterruptedError
            Ctrl-C stopped it; the result is as before.
        """
        if hasattr(self.cp, "progressive_dim_steps"):
            return self._train_progressive(x, weights, init_centroids)
        result = train_kmeans("Kmeans.train", self.d, self.k, self.cp, x, self.index, weights, init_centroids, self.progress)
        self.centroids = result.centroids
        self.obj = result.obj
        self.iteration_stats = result.iteration_stats
        return float(self.obj[-1]) if self.obj.size else 0.0

    def _train_progressive(self, x, weights, init_centroids):
        from .progressive_dim import GpuProgressiveDimIndexFactory, ProgressiveDimClustering, ProgressiveDimIndexFactory

        if weights is not None or init_centroids is not None:
            raise ValueError("Kmeans.train: progressive-dimension k-means takes no weights or initial centroids")
        clus = ProgressiveDimClustering(self.d, self.k, self.cp)
        gpu = type(self.index).__name__.startswith("Gpu")
        clus.train(as_matrix(x, "Kmeans.train", self.d), GpuProgressiveDimIndexFactory() if gpu else
                   ProgressiveDimIndexFactory())
        self.centroids = clus.centroids.reshape(self.k, self.d)
        self.iteration_stats = [{n: getattr(st, n) for n in STAT_FIELDS} for st in clus.iteration_stats]
        self.obj = np.array([st["obj"] for st in self.iteration_stats], dtype=np.float64)
        self.index.reset()
        self.index.add(self.centroids)
        return float(self.obj[-1]) if self.obj.size else 0.0

    def assign(self, x: ArrayLike) -> tuple[Float32Array, Int64Array]:
        """(D, I): the distance to and index of the nearest centroid of each row."""
        if self.centroids is None:
            raise NotTrainedError("Kmeans.assign: train before assigning")
        x = as_matrix(x, "Kmeans.assign", self.d)
        self.index.reset()
        self.index.add(self.centroids)
        D, I = self.index.search(x, 1)
        return D.ravel(), I.ravel()
