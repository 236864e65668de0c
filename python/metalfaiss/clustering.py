"""k-means for ClassKit and MetalFaiss / SwiftFaiss code.

::

    from metalfaiss.clustering import AnyClustering, ClusteringParameters
    params = ClusteringParameters(max_iterations=20)
    kmeans = AnyClustering.new(d=768, k=500, parameters=params)
    kmeans.train(embeddings.tolist())      # list of lists, numpy or mlx array
    centroids = kmeans.centroids()         # (k, d) float32

``centroids()`` returns an ``mlx.core.array`` when mlx can be imported and
a numpy array otherwise. To always get numpy, pass ``as_numpy=True``, call
``set_return_numpy(True)`` or set the environment variable
``METALFAISS_RETURN_NUMPY=1`` before import.

The algorithm is faiss's k-means, run by the same engine as
``metalfaiss.Kmeans``; with the same parameters it gives the same centroids.
"""

from __future__ import annotations

import os

from ._arrays import as_matrix
from ._kmeans import check_dk, train_kmeans
from .clustering_parameters import ClusteringParameters
from .errors import InputTypeError, NotTrainedError
from . import _backend
from .index import Index
from .faiss_clustering import Clustering, ClusteringIterationStats
from .kmeans import Kmeans, _flat_index
from ._typing import Any, ArrayLike, Float64Array, Int64Array, Optional

_return_numpy = os.environ.get("METALFAISS_RETURN_NUMPY", "") not in ("", "0")


def set_return_numpy(flag: bool = True) -> None:
    """Make ``centroids()`` return numpy arrays (metalfaiss only: the ClassKit / SwiftFaiss face).

    By default they are mlx arrays where mlx is installed.

    Parameters
    ----------
    flag : bool
        True (default): numpy arrays; False: mlx arrays where mlx is installed.
    """
    global _return_numpy
    _return_numpy = bool(flag)


def _to_output(arr, as_numpy):
    if as_numpy or _return_numpy:
        return arr
    try:
        import mlx.core as mx
    except ImportError:
        return arr
    return mx.array(arr)


class AnyClustering:
    """k-means of d-dimensional vectors into k centroids (faiss: ``Clustering``; ClassKit: ``AnyClustering``).

    ``AnyClustering(d, k, parameters=None, use_gpu=None)`` or
    ``AnyClustering.new(d=, k=, parameters=)``. Parameters are read from
    ``parameters`` when ``train`` runs. A ``progress`` attribute (callable
    ``(iteration, niter, objective)``) is called after each iteration, for
    progress bars.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    k : int
        Number of centroids.
    parameters : ClusteringParameters, optional
        faiss's, SwiftFaiss's or ClassKit's names (``max_iterations``,
        ``tolerance``, ...); faiss's defaults when omitted.
    use_gpu : bool, optional
        None (default) runs on a hardware GPU when there is one (Metal on
        Apple Silicon, Vulkan elsewhere) and on the CPU otherwise; False
        forces the CPU; True requires the GPU. METALFAISS_BACKEND=cpu|gpu
        overrides the default.

    Raises
    ------
    InvalidArgumentError
        d or k < 1.
    InputTypeError
        parameters is not a ClusteringParameters.
    """

    def __init__(self, d: int, k: int, parameters: Optional[ClusteringParameters] = None,
                 use_gpu: Optional[bool] = None) -> None:
        self._d, self._k = check_dk("AnyClustering", d, k)
        if parameters is None:
            parameters = ClusteringParameters()
        if not isinstance(parameters, ClusteringParameters):
            raise InputTypeError(f"AnyClustering: parameters must be a ClusteringParameters, got {type(parameters).__name__}")
        self.parameters = parameters
        self.progress = None
        self._result = None
        self._index = None
        if use_gpu not in (None, True, False):
            raise InputTypeError(f"AnyClustering: use_gpu must be None, True or False, got {use_gpu!r}")
        self.use_gpu = use_gpu

    @classmethod
    def new(cls, d: int, k: int, parameters: Optional[ClusteringParameters] = None,
            use_gpu: Optional[bool] = None) -> AnyClustering:
        """Make a clustering (ClassKit's constructor name; the same as AnyClustering(d, k, ...))."""
        return cls(d, k, parameters, use_gpu)

    @property
    def uses_gpu(self) -> bool:
        """Whether train runs on the GPU (see ``use_gpu``)."""
        return _backend.resolve(self.use_gpu, "AnyClustering")

    # -- what it is ---------------------------------------------------------

    d = property(lambda self: self._d, doc="Dimension of the vectors.")
    k = property(lambda self: self._k, doc="Number of clusters.")
    niter = property(lambda self: self.parameters.niter, doc="Iterations per run (ClassKit: max_iterations).")
    max_iterations = niter
    nredo = property(lambda self: self.parameters.nredo, doc="Runs from different seeds; the best objective is kept.")
    seed = property(lambda self: self.parameters.seed, doc="Seed of the initial centroids and the subsampling.")
    tolerance = property(lambda self: self.parameters.early_stop_threshold,
                         doc="Relative objective change that ends a run (faiss: early_stop_threshold).")
    spherical = property(lambda self: self.parameters.spherical,
                         doc="Whether centroids are normalised (inner-product clustering).")
    is_spherical = spherical
    is_verbose = property(lambda self: self.parameters.verbose, doc="Whether training prints faiss's progress lines.")
    should_round_centroids_to_int = property(lambda self: self.parameters.int_centroids,
                                             doc="Whether centroids are rounded to integers (faiss: int_centroids).")
    should_update_index = property(lambda self: self.parameters.update_index,
                                    doc="Whether the assignment index is retrained each iteration (update_index).")
    should_froze_centroids = property(lambda self: self.parameters.frozen_centroids,
                                      doc="Whether given initial centroids stay fixed (faiss: frozen_centroids).")
    min_points_per_centroid = property(lambda self: self.parameters.min_points_per_centroid,
                                       doc="Below this many points per centroid, training warns.")
    max_points_per_centroid = property(lambda self: self.parameters.max_points_per_centroid,
                                       doc="Above this many points per centroid, training subsamples.")
    decode_block_size = property(lambda self: self.parameters.decode_block_size,
                                 doc="faiss's decode_block_size (codes decoded per block; kept for compatibility).")

    @property
    def is_trained(self) -> bool:
        """Whether train has run."""
        return self._result is not None

    @property
    def iteration_stats(self) -> list[dict[str, Any]]:
        """Per-iteration dicts: obj, time, time_search, imbalance_factor, nsplit."""
        return list(self._trained("iteration_stats").iteration_stats)

    @property
    def obj(self) -> Float64Array:
        """The objective of every iteration, as a numpy array."""
        return self._trained("obj").obj

    # -- what it does -------------------------------------------------------

    def train(self, xs: ArrayLike, index: Optional[Index] = None, weights: Optional[ArrayLike] = None) -> None:
        """Cluster the points (faiss: ``Clustering.train``; ClassKit: ``train``).

        A failed call leaves the object as it was.

        Parameters
        ----------
        xs : (n, d) float32-convertible
            The points: a list of lists, a numpy or an mlx array (n >= k).
        index : Index, optional
            The metalfaiss index that assigns points to centroids (a flat
            L2 index, or inner product when spherical, by default).
        weights : (n,) float32-convertible, optional
            A weight per point.

        Raises
        ------
        DimensionMismatchError
            xs is not (n, d), or weights not (n,).
        InvalidArgumentError
            Fewer points than centroids.
        GpuUnavailableError
            use_gpu=True without a usable GPU.
        """
        op = "AnyClustering.train"
        if index is not None and not isinstance(index, Index):
            raise InputTypeError(f"{op}: index must be a metalfaiss index, got {type(index).__name__}")
        x = as_matrix(xs, op, self._d)
        if index is None:
            assign_index = _flat_index(self._d, self.parameters.spherical, self.uses_gpu)
        else:
            assign_index = index
        self._result = train_kmeans(op, self._d, self._k, self.parameters, x, assign_index, weights,
                                    progress=self.progress)
        self._index = assign_index

    def centroids(self, as_numpy: bool = False) -> Any:
        """The centroids (faiss: ``Clustering.centroids``; ClassKit: ``centroids()``).

        Parameters
        ----------
        as_numpy : bool
            Return a numpy array even when mlx is importable.

        Returns
        -------
        (k, d) float32
            An mlx array when mlx is importable (unless as_numpy or
            ``set_return_numpy()``), else numpy.

        Raises
        ------
        NotTrainedError
            train has not run.
        """
        return _to_output(self._trained("centroids").centroids.copy(), as_numpy)

    def assign(self, xs: ArrayLike) -> Int64Array:
        """The nearest centroid of each point (faiss: ``Index.assign`` on the centroids; ClassKit: ``assign``).

        Parameters
        ----------
        xs : (n, d) float32-convertible

        Returns
        -------
        (n,) int64

        Raises
        ------
        NotTrainedError
            train has not run.
        """
        c = self._trained("assign").centroids
        x = as_matrix(xs, "AnyClustering.assign", self._d)
        with _flat_index(self._d, self.parameters.spherical) as index:
            index.add(c)
            _, labels = index.search(x, 1)
        return labels.ravel()

    def _trained(self, what):
        if self._result is None:
            raise NotTrainedError(f"AnyClustering.{what}: train the clustering first")
        return self._result

    def __repr__(self) -> str:
        state = "trained" if self.is_trained else "untrained"
        return f"<AnyClustering d={self._d} k={self._k} {state}>"


def kmeans_clustering(xs: ArrayLike, d: int, k: int, params: Optional[ClusteringParameters] = None) -> Any:
    """Cluster vectors into k centroids, ClassKit's one-call form (metalfaiss only: the ClassKit / SwiftFaiss face).

    The result follows ``centroids()``: mlx when available (and not
    ``set_return_numpy(True)``), else numpy.

    Parameters
    ----------
    xs : (n, d) float32-convertible or list of lists
        The vectors.
    d : int
        Dimension.
    k : int
        Number of centroids.
    params : ClusteringParameters, optional
        The k-means settings.

    Returns
    -------
    (k, d) array
        The centroids.
    """
    clustering = AnyClustering(d, k, params)
    clustering.train(xs)
    return clustering.centroids()


__all__ = [
    "AnyClustering", "Clustering", "ClusteringIterationStats", "ClusteringParameters", "Kmeans",
    "kmeans_clustering", "set_return_numpy",
]
