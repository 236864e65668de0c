"""faiss's Clustering object (k-means with its parameters as attributes,
centroids as a faiss vector) and its iteration records."""

from __future__ import annotations

from typing import TYPE_CHECKING
import numpy as np

from ._kmeans import STAT_FIELDS, check_dk, train_kmeans
from .clustering_parameters import ClusteringParameters
from .vectors import field_vector
from ._typing import Any, ArrayLike, Optional

if TYPE_CHECKING:
    from .index import Index


class ClusteringIterationStats:
    """One k-means iteration's record (faiss: ``ClusteringIterationStats``).

    One iteration's record: obj, time, time_search, imbalance_factor, nsplit.

    Parameters
    ----------
    **fields
        obj, time, time_search, imbalance_factor and nsplit, all given.
    """

    __slots__ = STAT_FIELDS

    def __init__(self, **fields: Any) -> None:
        for name in STAT_FIELDS:
            setattr(self, name, fields[name])

    def __repr__(self) -> str:
        return "ClusteringIterationStats(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in STAT_FIELDS) + ")"


class _StatsVector(list):
    """A list with the ``size()`` / ``at(i)`` of faiss's SWIG vectors."""

    def size(self) -> int:
        return len(self)

    def at(self, i: int) -> Any:
        return self[i]


class Clustering(ClusteringParameters):
    """k-means with faiss's parameters and results (faiss: ``Clustering``).

    ``Clustering(d, k)`` or ``Clustering(d, k, cp)``. The parameters are
    attributes (``clus.niter = 10``). ``centroids`` is a flat float32 array
    of k*d values like faiss's vector (set it before ``train`` to give
    initial centroids; ``vector_to_array`` accepts it), and
    ``iteration_stats`` a list of ``ClusteringIterationStats`` with
    ``size()`` and ``at(i)``. ``train(x, index, weights=None)`` assigns
    through ``index``, which holds the centroids afterwards.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    k : int
        Number of centroids.
    cp : ClusteringParameters, optional
        Initial settings (faiss's defaults otherwise: 25 iterations, seed
        1234, at most 256 points per centroid).

    Raises
    ------
    CountError
        k below 1.
    InputTypeError
        d or k is not an integer.
    """

    __slots__ = ("d", "k", "centroids", "iteration_stats")

    def __init__(self, d: int, k: int, cp: Any = None) -> None:
        super().__init__(**(cp.as_dict() if cp is not None else {}))
        d, k = check_dk("Clustering", d, k)
        object.__setattr__(self, "d", d)
        object.__setattr__(self, "k", k)
        self.centroids = np.zeros(0, dtype=np.float32)
        object.__setattr__(self, "iteration_stats", _StatsVector())

    def __setattr__(self, name, value):
        if name == "centroids":
            # a field: copy_array_to_vector(c, clus.centroids) replaces it, as in faiss
            value = field_vector(np.ascontiguousarray(value, dtype=np.float32).ravel(),
                                 lambda a: setattr(self, "centroids", a))
            object.__setattr__(self, name, value)
        elif name in ("d", "k", "iteration_stats"):
            raise AttributeError(f"Clustering.{name} is read-only")
        else:
            super().__setattr__(name, value)

    def train(self, x: ArrayLike, index: Index, weights: Optional[ArrayLike] = None) -> None:
        """Cluster x (n, d), assigning through ``index``."""
        cp = ClusteringParameters(**self.as_dict())
        init = None
        if self.centroids.size:
            if self.centroids.size % self.d:
                raise ValueError(f"Clustering.train: {self.centroids.size} initial centroid values, not a multiple of d={self.d}")
            init = self.centroids.reshape(-1, self.d)
        result = train_kmeans("Clustering.train", self.d, self.k, cp, x, index, weights, init)
        self.centroids = result.centroids
        stats = _StatsVector(ClusteringIterationStats(**st) for st in result.iteration_stats)
        object.__setattr__(self, "iteration_stats", stats)

    def train_encoded(self, codes: ArrayLike, codec: Any, index: Index, weights: Optional[ArrayLike] = None) -> None:
        """Cluster vectors given as codes of ``codec`` (an index with
        sa_decode, or a quantizer with decode): the same centroids as
        ``train`` on the decoded vectors, as in faiss."""
        decode = getattr(codec, "sa_decode", None) or getattr(codec, "decode", None)
        if decode is None:
            raise TypeError(f"Clustering.train_encoded: {type(codec).__name__} cannot decode codes")
        self.train(decode(codes), index, weights)

    def __repr__(self) -> str:
        params = super().__repr__()[len("ClusteringParameters("):-1]
        return f"Clustering(d={self.d}, k={self.k}{', ' + params if params else ''})"

    def post_process_centroids(self) -> None:
        """Apply ``spherical`` and ``int_centroids`` to ``centroids`` in place."""
        c = self.centroids.reshape(-1, self.d)
        if self.spherical:
            norms = np.sqrt((c * c).sum(axis=1, keepdims=True))
            np.divide(c, norms, out=c, where=norms > 0)
        if self.int_centroids:
            np.copyto(c, np.where(c >= 0, np.floor(c + 0.5), np.ceil(c - 0.5)))


