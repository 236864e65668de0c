"""Graph indexes built from a k-nearest-neighbour graph: NSG (over flat
vectors, PQ or scalar-quantizer codes) and NN-descent."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int, as_matrix
from ._handle import part
from .errors import InputTypeError, InvalidArgumentError
from .index import Index
from .index_pq import IndexPQ
from .metric import METRIC_L2, MetricType
from ._typing import Any, ArrayLike, Int32Array, MetricLike, Optional


class VisitedTable:
    """A mark per node, cleared in O(1) (faiss: ``VisitedTable``, also ``VisitedTableVector``).

    ``set(i)``, ``get(i)``, ``advance()`` (clears every mark); ``NSG.dfs``
    marks the nodes it reaches in it.

    Parameters
    ----------
    size : int
        Number of nodes.
    use_hashset : bool
        faiss's option (accepted; the table is an array).

    Raises
    ------
    InvalidArgumentError
        size below 0.
    """

    def __init__(self, size: int, use_hashset: bool = False) -> None:
        size = as_int(size, "VisitedTable", "size")
        if size < 0:
            raise InvalidArgumentError(f"VisitedTable: size must be >= 0, got {size}")
        self.visited = np.zeros(size, dtype=np.uint8)
        self.visno = 1

    def set(self, no: int) -> None:
        """Mark node no as visited."""
        self.visited[as_int(no, "VisitedTable.set", "no")] = self.visno

    def get(self, no: int) -> bool:
        """Whether node no is marked as visited."""
        return bool(self.visited[as_int(no, "VisitedTable.get", "no")] == self.visno)

    def advance(self) -> None:
        """Start a new visit: every mark is cleared."""
        self.visno += 1
        if self.visno == 250:  # as faiss: the marks are cleared before they wrap
            self.visited[:] = 0
            self.visno = 1


VisitedTableVector = VisitedTable
VisitedTableSet = VisitedTable


class _Fields:
    """Integer fields read from and written to a Go object by name."""

    _get_fn = _set_fn = _what = None

    def __init__(self, index: Index) -> None:
        self._index = index

    def _get(self, name):
        out = np.zeros(1, dtype=np.int64)
        _bridge.call(self._get_fn, self._index._h(name), name, addr(out))
        return int(out[0])

    def _set(self, name, value):
        op = f"{self._what}.{name}"
        _bridge.call(self._set_fn, self._index._h(op), name, as_int(value, op, name))


def _int_field(name, doc, settable=True):
    def get(self):
        return self._get(name)

    def set_(self, value):
        self._set(name, value)

    return property(get, set_ if settable else None, doc=doc)


class NSG(_Fields):
    """The graph of an NSG index (faiss: ``NSG``, ``index.nsg``).

    ``R`` links per node at most, the build's pool ``L`` and candidates
    ``C``, the search pool ``search_L``, the navigating node ``enterpoint``,
    and ``final_graph`` (an (ntotal, R) int32 copy, -1 after a row's links).
    """

    _get_fn, _set_fn, _what = "NSGGet", "NSGSet", "NSG"

    R = _int_field("R", "Links per node at most.", settable=False)
    L = _int_field("L", "The build's search pool (R + 32).")
    C = _int_field("C", "Candidates a node's pruning reads (R + 100).")
    search_L = _int_field("search_L", "The search pool (16; raised to k).")
    ntotal = _int_field("ntotal", "Nodes of the built graph.", settable=False)
    enterpoint = _int_field("enterpoint", "The node every search starts from.", settable=False)

    @property
    def is_built(self) -> bool:
        """Whether the graph is built (by the first add, or build)."""
        return bool(self._get("is_built"))

    @property
    def final_graph(self) -> Any:
        """The graph, ntotal * R int32 neighbour ids, -1 padded (faiss's final_graph)."""
        n, r = self.ntotal if self.is_built else 0, self.R
        out = np.empty(n * r, dtype=np.int32)
        _bridge.call("NSGGraph", self._index._h("final_graph"), n * r, addr(out))
        return out.reshape(n, r)

    def dfs(self, vt: VisitedTable, root: int, cnt: int) -> int:
        """Mark in ``vt`` (a VisitedTable of ntotal entries) the nodes a
        depth-first search from ``root`` reaches through unmarked nodes;
        return ``cnt`` plus how many it marked."""
        op = "NSG.dfs"
        if not isinstance(vt, VisitedTable):
            raise InputTypeError(f"{op}: vt must be a VisitedTable, got {type(vt).__name__}")
        marks = (vt.visited == vt.visno).astype(np.uint8)
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("NSGDFS", self._index._h(op), as_int(root, op, "root"), as_int(cnt, op, "cnt"),
                     marks.size, addr(marks), addr(out))
        vt.visited[marks == 1] = vt.visno
        return int(out[0])


class IndexNSG(Index):
    """An NSG graph over a storage index (faiss: ``IndexNSG``).

    IndexNSGFlat, IndexNSGPQ and IndexNSGSQ make one. The graph is built by
    the first ``add`` (from a kNN graph of ``GK`` neighbours: NN-descent with
    ``build_type`` 1, the default, brute force with 0) or by ``build(x,
    knn_graph)``; later adds raise, as in faiss. Search parameters are not
    taken (nor are they by faiss).
    """

    def _adopt(self, handle):
        super()._adopt(handle)
        self.nsg = NSG(self)
        self.own_fields = True
        self._storage = None

    @property
    def storage(self) -> Index:
        """The index holding the vectors or codes."""
        if self._storage is None:
            self._storage = part(self, "IndexGraphStorage", "IndexNSG.storage")
        return self._storage

    # IndexNSG's own fields, read and written through its graph's calls
    _get = property(lambda self: self.nsg._get)
    _set = property(lambda self: self.nsg._set)
    GK = _int_field("GK", "Neighbours of the kNN graph an add builds (64).")
    build_type = _int_field("build_type", "0: the kNN graph by brute force; 1: by NN-descent (the default).")
    nndescent_S = _int_field("nndescent_S", "NN-descent's samples per node (10).")
    nndescent_R = _int_field("nndescent_R", "NN-descent's reverse links per node (100).")
    nndescent_L = _int_field("nndescent_L", "NN-descent's pool per node (GK + 50).")
    nndescent_iter = _int_field("nndescent_iter", "NN-descent's iterations (10).")

    @property
    def is_built(self) -> bool:
        """Whether the graph is built (by the first add, or build)."""
        return self.nsg.is_built

    def train(self, x: ArrayLike) -> None:
        if isinstance(self.storage, IndexPQ):
            self.storage.pq._send_cp()
            self.storage._send_polysemous()
        super().train(x)

    def build(self, x: ArrayLike, knn_graph: ArrayLike, GK: Optional[int] = None) -> None:
        """Store ``x`` and build the graph from ``knn_graph`` (n rows of GK
        neighbour ids; ids out of range are ignored, fewer than n/10 of
        them allowed)."""
        op = self._op("build")
        x = as_matrix(x, op, self.d)
        knn = np.ascontiguousarray(knn_graph)
        if knn.ndim != 2 or knn.shape[0] != x.shape[0] or not np.issubdtype(knn.dtype, np.integer):
            raise InvalidArgumentError(
                f"{op}: knn_graph must be an integer array of {x.shape[0]} rows, got {knn.dtype} {knn.shape}")
        gk = knn.shape[1] if GK is None else as_int(GK, op, "GK")
        if gk != knn.shape[1]:
            raise InvalidArgumentError(f"{op}: GK={gk} but knn_graph has {knn.shape[1]} columns")
        knn = knn.astype(np.int64, copy=False)
        _bridge.call("IndexNSGBuild", self._h(op), x.shape[0], addr(x), addr(knn), gk)

    def check_knn_graph(self, knn_graph: ArrayLike, n: int, K: int) -> None:
        """Raise as faiss does when n/10 or more entries of the (n, K) graph
        are missing, out of range or the node itself."""
        knn = np.asarray(knn_graph, dtype=np.int64).reshape(int(n), int(K))
        bad = (knn < 0) | (knn >= n) | (knn == np.arange(n)[:, None])
        if bad.sum() >= n // 10 and bad.any():
            raise InvalidArgumentError(
                "IndexNSG.check_knn_graph: There are too much invalid entries in the knn graph. "
                "It may be an invalid knn graph.")


def _new(cls, kind, d, a, r, b, metric):
    out = np.zeros(1, dtype=np.int64)
    op = cls.__name__
    _bridge.call("IndexNSGNew", kind, as_int(d, op, "d"), a, as_int(r, op, "R"), b, int(MetricType.parse(metric)),
                 addr(out))
    return int(out[0])


class IndexNSGFlat(IndexNSG):
    """NSG graph over full vectors (faiss: ``IndexNSGFlat``).

    The graph is built once, from a k-NN graph (NN-descent by default,
    ``build_type``), when vectors are first added: add them all in one call.
    ``nsg.search_L`` sets the search effort. Memory: 4 * d bytes and R * 4
    bytes of links a vector.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    R : int
        Links per node (default 32).
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT``.
    """

    _go_type = "IndexNSGFlat"

    def __init__(self, d: int, R: int = 32, metric: MetricLike = METRIC_L2) -> None:
        self._adopt(_new(type(self), "Flat", d, 0, R, 0, metric))


class IndexNSGPQ(IndexNSG):
    """NSG graph over product-quantizer codes (faiss: ``IndexNSGPQ``).

    Train first (k-means per sub-space); L2 only. ``build_type``, ``GK``
    and ``nsg.search_L`` as for IndexNSGFlat. Memory per vector: pq_m *
    pq_nbits / 8 bytes and M * 4 bytes of links.

    Parameters
    ----------
    d : int
        Dimension of the vectors (a multiple of pq_m).
    pq_m : int
        Sub-quantizers of the product quantizer.
    M : int
        Links per node (faiss's R).
    pq_nbits : int
        Bits per sub-quantizer code (default 8).

    Raises
    ------
    InputTypeError
        A parameter is not an integer.
    InvalidArgumentError
        pq_m does not divide d, pq_nbits out of range, or M below 1.
    """

    _go_type = "IndexNSGPQ"

    def __init__(self, d: int, pq_m: int, M: int, pq_nbits: int = 8) -> None:
        op = "IndexNSGPQ"
        self._adopt(_new(type(self), "PQ", d, as_int(pq_m, op, "pq_m"), M, as_int(pq_nbits, op, "pq_nbits"),
                                  METRIC_L2))


class IndexNSGSQ(IndexNSG):
    """NSG graph over scalar-quantizer codes (faiss: ``IndexNSGSQ``).

    Train first (each dimension's range). Memory per vector: the code (d
    bytes for QT_8bit) and M * 4 bytes of links.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    qtype : int
        ``ScalarQuantizer.QT_8bit``, ``QT_4bit``, ``QT_fp16``, ...
    M : int
        Links per node (faiss's R).
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).

    Raises
    ------
    InputTypeError
        A parameter is not an integer.
    InvalidArgumentError
        Unknown qtype, d below 1, or M below 1.
    """

    _go_type = "IndexNSGSQ"

    def __init__(self, d: int, qtype: int, M: int, metric: MetricLike = METRIC_L2) -> None:
        self._adopt(_new(type(self), "SQ", d, as_int(qtype, "IndexNSGSQ", "qtype"), M, 0, metric))


class NNDescent(_Fields):
    """The graph of an NN-descent index (faiss: ``NNDescent``, ``index.nndescent``).

    ``K`` neighbours per node, the build's samples ``S``, reverse links
    ``R``, pool ``L`` and iterations ``iter``, the search pool ``search_L``
    (0: k) and ``random_seed``; ``final_graph`` is an int32 copy of the
    ntotal * K neighbour ids.
    """

    _get_fn, _set_fn, _what = "NNDescentGet", "NNDescentSet", "NNDescent"

    K = _int_field("K", "Neighbours per node.", settable=False)
    d = _int_field("d", "The dimension.", settable=False)
    ntotal = _int_field("ntotal", "Nodes of the built graph.", settable=False)
    S = _int_field("S", "New candidates sampled per node and iteration (10).")
    R = _int_field("R", "Reverse links sampled per node (100).")
    L = _int_field("L", "Candidates kept per node during the build (K + 50).")
    iter = _int_field("iter", "Iterations (10).")
    search_L = _int_field("search_L", "The search pool (0: k).")
    random_seed = _int_field("random_seed", "Seed of the build's and the searches' draws (2021).")

    @property
    def has_built(self) -> bool:
        """Whether the k-NN graph is built."""
        return bool(self._get("has_built"))

    @property
    def final_graph(self) -> Int32Array:
        """The k-NN graph, ntotal * K int32 neighbour ids (faiss's final_graph)."""
        n = self._get("final_graph")
        out = np.empty(n, dtype=np.int32)
        _bridge.call("NNDescentGraph", self._index._h("final_graph"), n, addr(out))
        return out


class IndexNNDescent(Index):
    """An NN-descent kNN graph over a storage index (faiss: ``IndexNNDescent``).

    IndexNNDescentFlat makes one. Each add rebuilds the graph over every
    stored vector (at least 101 of them), as faiss's does.
    """

    def _adopt(self, handle):
        super()._adopt(handle)
        self.nndescent = NNDescent(self)
        self.own_fields = True
        self._storage = None

    @property
    def storage(self) -> Index:
        """The index holding the vectors."""
        if self._storage is None:
            self._storage = part(self, "IndexGraphStorage", "IndexNNDescent.storage")
        return self._storage


class IndexNNDescentFlat(IndexNNDescent):
    """A kNN graph built by NN-descent over full vectors (faiss: ``IndexNNDescentFlat``).

    ``nndescent.S``, ``R``, ``L`` and ``iter`` set the build (faiss's
    defaults) and ``nndescent.search_L`` the search; searches start from
    random nodes, so recall depends on how well the kNN graph links the
    data's clusters. Memory per vector: 4 * d bytes and K * 4 bytes of
    links.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    K : int
        Neighbours per node of the graph.
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).

    Raises
    ------
    InputTypeError
        d or K is not an integer.
    InvalidArgumentError
        d or K below 1.
    """

    _go_type = "IndexNNDescentFlat"

    def __init__(self, d: int, K: int, metric: MetricLike = METRIC_L2) -> None:
        op = "IndexNNDescentFlat"
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexNNDescentFlatNew", as_int(d, op, "d"), as_int(K, op, "K"), int(MetricType.parse(metric)),
                     addr(out))
        self._adopt(int(out[0]))
