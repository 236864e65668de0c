"""Graph indexes: IndexHNSW over flat vectors, scalar-quantizer or PQ codes."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from ._handle import part
from .errors import InputTypeError, InvalidArgumentError
from .index import Index
from .index_flat import IndexFlat
from .index_pq import IndexPQ, IndexScalarQuantizer
from .metric import METRIC_INNER_PRODUCT, METRIC_L2, MetricType
from ._typing import Any, ArrayLike, MetricLike


class HNSW:
    """The graph of an HNSW index (faiss: ``HNSW``, ``index.hnsw``).

    The graph of an HNSW index (faiss's ``index.hnsw``): its settings,
    and its arrays ``levels`` (int32, levels per node), ``offsets`` (int64,
    where each node's lists start in ``neighbors``) and ``neighbors``
    (int32, -1 padded), as numpy copies.

    Parameters
    ----------
    index : IndexHNSW
        The index whose graph this is.
    """

    def __init__(self, index: IndexHNSW) -> None:
        self._index = index

    def _get(self, name):
        out = np.zeros(1, dtype=np.float64)
        _bridge.call("HNSWGet", self._index._h(name), name, addr(out))
        return out[0]

    def _set(self, name, value):
        _bridge.call("HNSWSet", self._index._h(name), name, float(value))

    def _positive(self, name, value):
        value = as_int(value, f"HNSW.{name}", name)
        if value <= 0:
            raise InvalidArgumentError(f"HNSW.{name}: {name} must be positive, got {value}")
        self._set(name, value)

    @property
    def is_similarity(self) -> bool:
        """Whether larger values are closer (an inner-product index), as
        faiss's HNSW records it from the metric."""
        return self._index.metric_type == METRIC_INNER_PRODUCT

    @property
    def efConstruction(self) -> int:
        """Candidates kept while linking a new node (default 40)."""
        return int(self._get("efConstruction"))

    @efConstruction.setter
    def efConstruction(self, value: int) -> None:
        self._positive("efConstruction", value)

    @property
    def efSearch(self) -> int:
        """Candidates kept while searching (default 16; raised to k)."""
        return int(self._get("efSearch"))

    @efSearch.setter
    def efSearch(self, value: int) -> None:
        self._positive("efSearch", value)

    @property
    def search_bounded_queue(self) -> bool:
        """faiss's bounded candidate queue in searches (default True)."""
        return bool(self._get("search_bounded_queue"))

    @search_bounded_queue.setter
    def search_bounded_queue(self, value: bool) -> None:
        self._set("search_bounded_queue", bool(value))

    @property
    def check_relative_distance(self) -> bool:
        """faiss's early stop of the level-0 search when candidates are all farther than the results."""
        return bool(self._get("check_relative_distance"))

    @check_relative_distance.setter
    def check_relative_distance(self, value: bool) -> None:
        self._set("check_relative_distance", bool(value))

    @property
    def hnswlib_selection(self) -> bool:
        """metalfaiss's build option (default False, faiss's graph): link
        new nodes as hnswlib does, at most M neighbours on level 0 instead
        of 2*M, full lists re-selected to their full size, each level's
        insertion starting from the nearest node linked on the level above.
        On clustered data at efConstruction 40 this graph reaches a given
        recall with fewer distance computations (docs/BENCHMARKS.md); the
        graph is then not faiss's, though files and searches are."""
        return bool(self._get("hnswlib_selection"))

    @hnswlib_selection.setter
    def hnswlib_selection(self, value: bool) -> None:
        self._set("hnswlib_selection", bool(value))

    @property
    def max_level(self) -> int:
        """The top level (-1 while empty)."""
        return int(self._get("max_level"))

    @property
    def entry_point(self) -> int:
        """The node searches start from (-1 while empty)."""
        return int(self._get("entry_point"))

    @property
    def M(self) -> int:
        """Links per node above level 0 (level 0 keeps 2 * M)."""
        return int(self._get("M"))

    def nb_neighbors(self, level: int) -> int:
        """Neighbours a node holds on ``level``: 2*M on level 0, M above."""
        level = as_int(level, "HNSW.nb_neighbors", "level")
        if level < 0:
            raise InvalidArgumentError(f"HNSW.nb_neighbors: level must be >= 0, got {level}")
        return 2 * self.M if level == 0 else self.M

    def _array(self, name, dtype):
        n = int(self._get(name))
        out = np.empty(n, dtype=dtype)
        _bridge.call("HNSWGraph", self._index._h(name), name, n, addr(out))
        return out

    @property
    def levels(self) -> Any:
        """Each node's level count (level + 1), faiss's levels vector."""
        return self._array("levels", np.int32)

    @property
    def offsets(self) -> Any:
        """Where each node's links start in neighbors (faiss's offsets vector)."""
        return self._array("offsets", np.int64).view(np.uint64)  # faiss: size_t

    @property
    def neighbors(self) -> Any:
        """Every node's links, -1 padded (faiss's neighbors vector)."""
        return self._array("neighbors", np.int32)


class IndexHNSW(Index):
    """HNSW graph over the vectors of a storage index (faiss: ``IndexHNSW``).

    The subclasses (IndexHNSWFlat, IndexHNSWSQ, IndexHNSWPQ, ...) make the
    storage themselves. Over a storage that holds vectors already the index
    counts none (``ntotal`` 0, as in faiss) until its first ``add``, which
    links them into the graph with the new ones (faiss's graph would cover
    only the new ones). Vectors cannot be removed (nor can they in faiss):
    wrap the index in IndexIDMap2 and rebuild it without them. Memory per
    vector: the storage's code and about 2 * M * 4 bytes of links.

    Parameters
    ----------
    storage : IndexFlat, IndexScalarQuantizer, IndexPQ or Index2Layer
        Where the vectors (or their codes) live; normally empty.
    M : int
        Links per node (level 0 keeps 2 * M); 16 to 64, default 32.

    Raises
    ------
    InputTypeError
        storage is not one of the kinds above, or M is not an integer.
    InvalidArgumentError
        M is below 2.
    """

    def __init__(self, storage: Index, M: int = 32) -> None:
        from .index_2layer import Index2Layer

        op = type(self).__name__
        if not isinstance(storage, (IndexFlat, IndexScalarQuantizer, IndexPQ, Index2Layer)):
            raise InputTypeError(f"{op}: storage must be an IndexFlat, IndexScalarQuantizer, IndexPQ or Index2Layer, "
                                 f"got {type(storage).__name__}")
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexHNSWNew", storage._h(op), as_int(M, op, "M"), addr(out))
        super().__init__(int(out[0]))
        self._storage = storage  # kept alive with the index
        self.hnsw = HNSW(self)
        self.own_fields = False

    def _adopt(self, handle):
        super()._adopt(handle)
        self._storage = part(self, "IndexHNSWStorage", "IndexHNSW.storage")
        self.hnsw = HNSW(self)
        self.own_fields = True

    @property
    def storage(self) -> Index:
        """The index holding the vectors; None for an index written with
        IO_FLAG_SKIP_STORAGE and read back, until one is assigned (the same
        d, metric and kind, holding the graph's ntotal vectors in order)."""
        return self._storage

    @storage.setter
    def storage(self, storage: Index) -> None:
        op = self._op("storage")
        if not isinstance(storage, Index):
            raise InputTypeError(f"{op}: expected a metalfaiss index, got {type(storage).__name__}")
        _bridge.call("IndexHNSWSetStorage", self._h("storage"), storage._h("storage"))
        self._storage = storage

    def permute_entries(self, perm: ArrayLike) -> None:
        """Renumber the vectors: the new vector i is the old perm[i], in the
        storage and the graph alike (searches then give the same neighbours
        under their new numbers). Flat storage only."""
        from .index_flat import IndexFlat

        IndexFlat.permute_entries(self, perm)

    @property
    def keep_max_size_level0(self) -> bool:
        """Top level-0 lists up to 2 * M with nodes the pruning heuristic rejected."""
        return bool(self.hnsw._get("keep_max_size_level0"))

    @keep_max_size_level0.setter
    def keep_max_size_level0(self, value: bool) -> None:
        self.hnsw._set("keep_max_size_level0", bool(value))

    def train(self, x: ArrayLike) -> None:
        if isinstance(self.storage, IndexPQ):
            self.storage.pq._send_cp()
            self.storage._send_polysemous()
        super().train(x)


class IndexHNSWFlat(IndexHNSW):
    """HNSW graph over full vectors (faiss: ``IndexHNSWFlat``).

    Needs no training; ``hnsw.efConstruction`` (before ``add``) and
    ``hnsw.efSearch`` set the build and search effort. Memory per vector:
    4 * d bytes and about 2 * M * 4 bytes of links.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    M : int
        Links per node (level 0 keeps 2 * M); 16 to 64, default 32.
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT``.
    """

    _go_type = "IndexHNSWFlat"

    def __init__(self, d: int, M: int = 32, metric: MetricLike = METRIC_L2) -> None:
        super().__init__(IndexFlat(d, MetricType.parse(metric)), M)


class IndexHNSWSQ(IndexHNSW):
    """HNSW graph over scalar-quantizer codes (faiss: ``IndexHNSWSQ``).

    Train first (the quantizer learns each dimension's range). Memory per
    vector: the code (d bytes for QT_8bit, d / 2 for QT_4bit, 2 * d for
    QT_fp16) and about 2 * M * 4 bytes of links.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    qtype : int
        ``ScalarQuantizer.QT_8bit``, ``QT_4bit``, ``QT_fp16``, ... (faiss's
        quantizer types).
    M : int
        Links per node (level 0 keeps 2 * M), default 32.
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).

    Raises
    ------
    InvalidArgumentError
        Unknown qtype, d below 1, or M below 2.
    """

    _go_type = "IndexHNSWSQ"

    def __init__(self, d: int, qtype: int, M: int = 32, metric: MetricLike = METRIC_L2) -> None:
        super().__init__(IndexScalarQuantizer(d, qtype, MetricType.parse(metric)), M)


class IndexHNSWPQ(IndexHNSW):
    """HNSW graph over product-quantizer codes (faiss: ``IndexHNSWPQ``).

    Train first (k-means per sub-space). The graph is built and searched with
    distances from the query to the codes (asymmetric); memory per vector:
    pq_m * pq_nbits / 8 bytes and about 2 * M * 4 bytes of links.

    Parameters
    ----------
    d : int
        Dimension of the vectors (a multiple of pq_m).
    pq_m : int
        Sub-quantizers of the product quantizer.
    M : int
        Links per node (level 0 keeps 2 * M), default 32.
    pq_nbits : int
        Bits per sub-quantizer code (default 8).
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).

    Raises
    ------
    InvalidArgumentError
        pq_m does not divide d, pq_nbits out of range, or M below 2.
    """

    _go_type = "IndexHNSWPQ"

    def __init__(self, d: int, pq_m: int, M: int = 32, pq_nbits: int = 8, metric: MetricLike = METRIC_L2) -> None:
        super().__init__(IndexPQ(d, pq_m, pq_nbits, MetricType.parse(metric)), M)


class IndexHNSW2Level(IndexHNSW):
    """HNSW over an Index2Layer (faiss: ``IndexHNSW2Level``).

    The storage keeps each vector's coarse list and an 8-bit PQ code of its
    residual (train first). ``flip_to_ivf()`` turns the storage into an
    IndexIVFPQ over the same quantizer holding the same codes, with a
    direct map; it may also be replaced, while empty, by such an index
    (``make_direct_map()``): searches are then faiss's "mixed" ones, the
    IVF-PQ search of ``nprobe`` lists followed by a level-0 graph walk from
    its best result through nodes outside those lists.

    Parameters
    ----------
    quantizer : Index
        The coarse quantizer, of dimension d.
    nlist : int
        Number of coarse lists.
    m_pq : int
        Sub-quantizers of the residual's product quantizer (8 bits each).
    M : int
        Links per node of the graph.

    Raises
    ------
    InvalidArgumentError
        m_pq does not divide d, nlist below 1, or M below 2.
    """

    _go_type = "IndexHNSW2Level"

    def __init__(self, quantizer: Index, nlist: int, m_pq: int, M: int) -> None:
        from .index_2layer import Index2Layer

        super().__init__(Index2Layer(quantizer, nlist, m_pq), M)

    def flip_to_ivf(self) -> None:
        """Replace the Index2Layer storage by an IndexIVFPQ over the same
        quantizer and product quantizer holding the same codes (ids 0 ..
        ntotal-1) with a direct map: searches become the mixed ones."""
        _bridge.call("IndexHNSW2LevelFlipToIVF", self._h("flip_to_ivf"))
        self._storage = part(self, "IndexHNSWStorage", "IndexHNSW.storage")


class IndexHNSWFlatPanorama(IndexHNSWFlat):
    """HNSW over flat L2 vectors with Panorama's early stop (faiss: ``IndexHNSWFlatPanorama``).

    The index keeps, per vector, the norms of its suffixes from each of the
    Panorama levels on (``cum_sums``). Level 0 of a search measures a new
    neighbour level by level and stops once the Cauchy-Schwarz bound shows
    that neither the results nor the candidate queue would take it: the walk
    IndexHNSWFlat makes, reading fewer dimensions. Memory per vector: 4 * d
    bytes, 4 * num_panorama_levels bytes of norms and the links.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    M : int
        Links per node (level 0 keeps 2 * M).
    num_panorama_levels : int
        Number of slices of the dimensions (1 to d) the distance is
        measured in.

    Raises
    ------
    InvalidArgumentError
        d or num_panorama_levels out of range, or M below 2.
    """

    _go_type = "IndexHNSWFlatPanorama"

    def __init__(self, d: int, M: int, num_panorama_levels: int) -> None:
        op = "IndexHNSWFlatPanorama"
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexHNSWFlatPanoramaNew", as_int(d, op, "d"), as_int(M, op, "M"),
                     as_int(num_panorama_levels, op, "num_panorama_levels"), addr(out))
        Index.__init__(self, int(out[0]))
        self._storage = part(self, "IndexHNSWStorage", "IndexHNSW.storage")
        self.hnsw = HNSW(self)
        self.own_fields = True

    def _cums(self, want):
        info = np.zeros(2, dtype=np.int64)
        out = np.empty(max(want, 1), dtype=np.float32)  # want -1: the counts only
        _bridge.call("HNSWPanoramaCums", self._h("cum_sums"), addr(info), want, addr(out))
        return info, out

    @property
    def num_panorama_levels(self) -> int:
        """Panorama levels the dimensions are split into."""
        return int(self._cums(-1)[0][0])

    @property
    def cum_sums(self) -> Any:
        """The suffix norms, num_panorama_levels + 1 per vector (a copy)."""
        from .vectors import Float32Vector

        n = int(self._cums(-1)[0][1])
        v = Float32Vector()
        v._assign(self._cums(n)[1][:n])
        return v


class NumericType:
    """Storage types of IndexHNSWCagra (faiss: ``NumericType``).

    faiss's NumericType for IndexHNSWCagra's storage.
    """

    Float32, Float16 = 0, 1


class IndexHNSWCagra(IndexHNSW):
    """The CPU form of a CAGRA graph (faiss: ``IndexHNSWCagra``).

    HNSW over flat vectors (float16 codes with ``NumericType.Float16``) whose
    level-0 lists are kept full (``keep_max_size_level0``). With
    ``base_level_only`` (a graph imported from CAGRA has no upper levels)
    adds raise and searches start on level 0 from the nearest of
    ``num_base_level_search_entrypoints`` (256) random nodes; those are drawn
    from a generator seeded by the query's number, so a search repeats (faiss
    draws them from random_device). Memory per vector: 4 * d bytes (2 * d in
    float16) and 2 * M * 4 bytes of links.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    M : int
        Links per node (level 0 keeps 2 * M), default 32.
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).
    numeric_type : int
        ``NumericType.Float32`` (default) or ``NumericType.Float16``.

    Raises
    ------
    InvalidArgumentError
        Another numeric type, d below 1, or M below 2.
    """

    _go_type = "IndexHNSWCagra"

    def __init__(self, d: int, M: int = 32, metric: MetricLike = METRIC_L2,
                 numeric_type: int = NumericType.Float32) -> None:
        op = "IndexHNSWCagra"
        if numeric_type not in (NumericType.Float32, NumericType.Float16):
            raise InvalidArgumentError(f"{op}: only Float32 and Float16 numeric types are supported, got {numeric_type!r}")
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexHNSWCagraNew", as_int(d, op, "d"), as_int(M, op, "M"), int(MetricType.parse(metric)),
                     numeric_type == NumericType.Float16, addr(out))
        Index.__init__(self, int(out[0]))
        self._storage = part(self, "IndexHNSWStorage", "IndexHNSW.storage")
        self.hnsw = HNSW(self)
        self.own_fields = True

    def _cagra(self):
        out = np.zeros(3, dtype=np.int64)
        _bridge.call("HNSWCagraInfo", self._h("info"), addr(out))
        return out

    @property
    def base_level_only(self) -> bool:
        """Search level 0 only, from random entry points (set when filled from a CAGRA graph)."""
        return bool(self._cagra()[0])

    @base_level_only.setter
    def base_level_only(self, value: bool) -> None:
        _bridge.call("HNSWCagraSet", self._h("base_level_only"), "base_level_only", int(bool(value)))

    @property
    def num_base_level_search_entrypoints(self) -> int:
        """Random entry points tried by a base-level-only search."""
        return int(self._cagra()[1])

    @num_base_level_search_entrypoints.setter
    def num_base_level_search_entrypoints(self, value: int) -> None:
        op = self._op("num_base_level_search_entrypoints")
        _bridge.call("HNSWCagraSet", self._h(op), "num_base_level_search_entrypoints", as_int(value, op, "value"))

    @property
    def numeric_type_(self) -> int:
        """The storage's numeric type (NumericType.Float32 or .Float16)."""
        return int(self._cagra()[2])

    def get_numeric_type(self) -> int:
        """The storage's numeric type (NumericType.Float32 or .Float16)."""
        return self.numeric_type_
