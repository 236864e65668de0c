"""The one k-means driver behind ``Kmeans``, ``Clustering`` and ``AnyClustering``.

It runs the Go ``Clustering`` one iteration per call, so that between
iterations Python can print verbose lines (visible in notebooks, unlike C
output), raise warnings, call a progress callback and react to Ctrl-C.
"""

import warnings

import numpy as np

from . import _bridge
from ._arrays import addr, as_count, as_matrix
from .errors import DimensionMismatchError, InputTypeError, MetalFaissWarning
from .index import Index

STAT_FIELDS = ("obj", "time", "time_search", "imbalance_factor", "nsplit")


class KMeansResult:
    """What a training produced: centroids (k, d) float32 and per-iteration stats."""

    def __init__(self, centroids, stats):
        self.centroids = centroids
        self.iteration_stats = stats

    @property
    def obj(self):
        """The objective of every iteration (faiss's ``Kmeans.obj``)."""
        return np.array([st["obj"] for st in self.iteration_stats], dtype=np.float64)


def train_kmeans(op, d, k, params, x, index, weights=None, init_centroids=None, progress=None):
    """Cluster x (n, d) into k centroids with ``params``; return a KMeansResult.

    ``index`` does the assignment and ends up holding the centroids, as in
    faiss. Nothing is changed on the caller's objects if it raises.
    """
    x = as_matrix(x, op, d)
    if x.shape[0] == 0:
        raise DimensionMismatchError(f"{op}: x has no rows; k-means needs at least k={k} points")
    w = _as_weights(weights, x.shape[0], op)
    init = None if init_centroids is None else as_matrix(init_centroids, op, d, name="init_centroids")
    if not isinstance(index, Index):
        raise InputTypeError(f"{op}: index must be a metalfaiss index, got {type(index).__name__}")
    ih = index._h("train")
    out = np.zeros(4, dtype=np.int64)
    _bridge.call("ClusteringNew", d, k, addr(out))
    h = int(out[0])
    try:
        for name, value in params.as_dict().items():
            _bridge.call("ClusteringSet", h, name, float(value))
        if init is not None:
            _bridge.call("ClusteringSetCentroids", h, init.shape[0], addr(init))
        # x and w stay referenced here until the run ends: Go reads them in place.
        _bridge.call("ClusteringStart", h, ih, x.shape[0], addr(x), 0 if w is None else addr(w), addr(out))
        _relay_messages(h, params.verbose)
        if not out[1]:  # out[1]: done already (as many points as clusters)
            _iterate(h, params, progress)
        return _fetch_result(h, d)
    finally:
        _bridge.call("Free", h)


def _iterate(h, params, progress):
    stat = np.zeros(8, dtype=np.float64)
    total, done_iters = params.niter * params.nredo, 0
    try:
        while True:
            _bridge.call_long("ClusteringStep", h, addr(stat))
            _relay_messages(h, params.verbose)
            if stat[5]:
                done_iters += 1
                if progress is not None:
                    progress(done_iters, total, float(stat[0]))
            if stat[6]:
                return
    except BaseException:
        _bridge.call("ClusteringAbort", h)
        raise


def _fetch_result(h, d):
    info = np.zeros(4, dtype=np.int64)
    _bridge.call("ClusteringInfo", h, addr(info))
    nc, ns = int(info[2]), int(info[3])
    centroids = np.empty((nc, d), dtype=np.float32)
    _bridge.call("ClusteringCentroids", h, nc, addr(centroids))
    raw = np.empty((ns, 5), dtype=np.float64)
    _bridge.call("ClusteringStats", h, ns, addr(raw))
    stats = [
        {"obj": float(np.float32(r[0])), "time": float(r[1]), "time_search": float(r[2]),
         "imbalance_factor": float(r[3]), "nsplit": int(r[4])}
        for r in raw
    ]
    return KMeansResult(centroids, stats)


def _relay_messages(h, verbose):
    text = _bridge.call("ClusteringMessages", h)
    for line in filter(None, text.split("\n")):
        kind, _, msg = line.partition("|")
        if kind == "W":
            warnings.warn(msg, MetalFaissWarning, stacklevel=4)
        elif verbose:
            print(msg, flush=True)


def _as_weights(weights, n, op):
    if weights is None:
        return None
    w = weights if isinstance(weights, np.ndarray) else np.asarray(weights)
    if w.dtype.kind not in "fiu":
        raise InputTypeError(f"{op}: weights must be numeric, got dtype {w.dtype}")
    if w.shape != (n,):
        raise DimensionMismatchError(f"{op}: weights must have shape ({n},), one per point, got {w.shape}")
    return np.ascontiguousarray(w, dtype=np.float32)


def check_dk(op, d, k):
    """d and k as positive ints (numpy integers accepted)."""
    return as_count(d, op, "d"), as_count(k, op, "k")
