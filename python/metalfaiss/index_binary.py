"""Binary indexes: uint8 codes of d bits compared by Hamming distance."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_assignments, as_codes, as_count, as_ids, as_int
from ._handle import GoHandle, part
from ._results import knn_results, range_results
from .errors import DimensionMismatchError, InputTypeError, InvalidArgumentError
from .clustering_parameters import ClusteringParameters
from .index_hnsw import HNSW
from .invlists import InvertedLists
from .vectors import field_vector
from .pointer_methods import BinaryPointerMethods
from .search_params import SearchParameters, SearchParametersHNSW, SearchParametersIVF
from .selectors import IDSelector, selector_args, selector_program
from .index import Index
from ._typing import Any, ArrayLike, Int32Array, Int64Array, Optional, RangeSearchResult, UInt8Array


def _binary_params(params, op, index=None):
    """(nprobe, selector program or None) of a SearchParameters or None."""
    if params is None:
        return 0, None
    return (as_int(getattr(params, "nprobe", 0) or 0, op, "params.nprobe"),
            selector_program(getattr(params, "sel", None), op, index))


class IndexBinary(GoHandle, BinaryPointerMethods):
    """A binary index (faiss: ``IndexBinary``).

    A binary index in the Go core: codes of ``d`` bits (``d/8`` uint8
    each); distances are int32 Hamming distances, as in faiss.
    """

    def _bind(self, handle):
        self._handle = handle
        self.verbose = False
        self._d = int(self._info()[0])

    def _adopt(self, handle):
        self._bind(handle)

    def _op(self, name):
        return f"{type(self).__name__}.{name}"

    def _info(self):
        out = np.zeros(3, dtype=np.int64)
        _bridge.call("BinaryInfo", self._h("info"), addr(out))
        return out

    @property
    def d(self) -> int:
        """Bits per code."""
        return self._d

    @property
    def code_size(self) -> int:
        """Bytes per code (d / 8)."""
        return self._d // 8

    @property
    def ntotal(self) -> int:
        """Number of codes in the index."""
        return int(self._info()[1])

    @property
    def is_trained(self) -> bool:
        """Whether add and search may be called."""
        return bool(self._info()[2])

    @is_trained.setter
    def is_trained(self, value: bool) -> None:
        """faiss scripts fill an IVF quantizer by hand, then set is_trained
        = True: here the state follows the index's contents, so the
        assignment is accepted when it states what holds."""
        if bool(value) != self.is_trained:
            raise InvalidArgumentError(
                f"{type(self).__name__}.is_trained: cannot set it to {bool(value)}: it follows the index "
                "(an IVF index is trained once its quantizer holds nlist centroids)")

    @property
    def metric_type(self) -> int:
        """faiss's metric number (METRIC_L2 for Hamming, as in faiss)."""
        from .metric import METRIC_L2

        return METRIC_L2  # faiss's binary indexes report L2; distances are Hamming

    def __len__(self) -> int:
        return self.ntotal

    def train(self, x: ArrayLike) -> None:
        """Train on codes x (n, d / 8) uint8 (IVF and hash indexes; others only check x)."""
        x = as_codes(x, self._op("train"), self.code_size)
        _bridge.call_long("BinaryTrain", self._h("train"), x.shape[0], addr(x))

    def add(self, x: ArrayLike) -> None:
        """Add codes x (n, d / 8) uint8; they get ids ntotal .. ntotal + n - 1."""
        x = as_codes(x, self._op("add"), self.code_size)
        _bridge.call_long("BinaryAdd", self._h("add"), x.shape[0], addr(x))

    def add_with_ids(self, x: ArrayLike, ids: ArrayLike) -> None:
        """Add codes x (n, d / 8) uint8 under the given int64 ids (IVF and IDMap indexes)."""
        op = self._op("add_with_ids")
        x = as_codes(x, op, self.code_size)
        ids = as_ids(ids, op)
        if ids.shape[0] != x.shape[0]:
            raise DimensionMismatchError(f"{op}: {ids.shape[0]} ids for {x.shape[0]} codes")
        _bridge.call_long("BinaryAddWithIDs", self._h("add_with_ids"), x.shape[0], addr(x), addr(ids))

    def remove_ids(self, ids: ArrayLike | IDSelector) -> int:
        """Remove the codes of the given ids (an int64 array) and return how
        many went: a flat index numbers the rest on, an id map keeps ids."""
        op = self._op("remove_ids")
        ids = as_ids(ids, op)
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("BinaryRemoveIDs", self._h("remove_ids"), ids.shape[0], addr(ids), addr(out))
        return int(out[0])

    def search(self, x: ArrayLike, k: int, *, params: Optional[SearchParameters] = None,
               D: Optional[Int32Array] = None, I: Optional[Int64Array] = None) -> tuple[Int32Array, Int64Array]:
        """(D, I): the k nearest codes of each row of x, Hamming distance
        (int32) then id; missing results are (INT32_MAX, -1)."""
        op = self._op("search")
        x = as_codes(x, op, self.code_size)
        k = as_count(k, op)
        nprobe, prog = _binary_params(params, op, self)
        sel = selector_args(prog)
        h = self._h("search")

        def run(lo, hi, D_at, I_at):
            args = (h, hi - lo, addr(x[lo:]), k, D_at, I_at)
            if isinstance(params, SearchParametersHNSW):
                _bridge.call("BinarySearchHNSW", *args, params.efSearch, params.check_relative_distance,
                             params.bounded_queue, *sel)
            elif isinstance(params, SearchParametersIVF) and params._bounded():
                _bridge.call("BinarySearchIVF", *args, *sel, addr(params._ivf_block()))
            else:
                _bridge.call("BinarySearch", *args, nprobe, *sel)

        return knn_results(op, x.shape[0], k, D, I, run, self._pace(), np.int32)

    def range_search(self, x: ArrayLike, radius: int, *,
                     params: Optional[SearchParameters] = None) -> RangeSearchResult:
        """(lims, D, I): the codes within Hamming distance < radius of each
        query (flat: in id order; IVF: in the order the lists are scanned);
        ``params.sel`` limits the candidates."""
        op = self._op("range_search")
        x = as_codes(x, op, self.code_size)
        radius = as_int(radius, op, "radius")
        nprobe, prog = _binary_params(params, op, self)
        sel = selector_args(prog)
        h = self._h("range_search")

        lims, D, I = range_results(x.shape[0], lambda lo, hi, out: _bridge.call(
            "BinaryRangeSearch", h, hi - lo, addr(x[lo:]), radius, nprobe, *sel, out), self._pace(), "BinaryRangeFetch",
            np.int32)
        return lims, D.astype(np.float32), I  # faiss's range results hold float distances

    def reconstruct(self, key: int) -> UInt8Array:
        """The stored code of id key, (d / 8,) uint8."""
        out = np.empty(self.code_size, dtype=np.uint8)
        _bridge.call("BinaryReconstruct", self._h("reconstruct"), as_int(key, self._op("reconstruct"), "key"),
                     addr(out))
        return out

    def reconstruct_n(self, i0: int = 0, ni: int = -1) -> UInt8Array:
        """Codes i0 .. i0+ni-1 as (ni, code_size); ni=-1: up to ntotal."""
        op = self._op("reconstruct_n")
        i0, ni = as_int(i0, op, "i0"), as_int(ni, op, "ni")
        if ni == -1:
            ni = self.ntotal - i0
        if ni < 0 or i0 < 0 or i0 + ni > self.ntotal:
            raise InvalidArgumentError(f"{op}: codes {i0}..{i0 + ni - 1} are outside 0..{self.ntotal - 1}")
        out = np.empty((ni, self.code_size), dtype=np.uint8)
        for j in range(ni):
            out[j] = self.reconstruct(i0 + j)
        return out

    def assign(self, x: ArrayLike, k: int = 1, labels: Optional[Int64Array] = None) -> Int64Array:
        """The (n, k) ids of the k nearest codes of each row of x."""
        return self.search(x, k, I=labels)[1]

    def reset(self) -> None:
        """Remove every code."""
        _bridge.call("BinaryReset", self._h("reset"))

    def _sub(self):
        return part(self, "BinarySub", self._op("sub"))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(d={self.d}, ntotal={self.ntotal})"


class IndexBinaryFlat(IndexBinary):
    """Binary codes searched exhaustively by Hamming distance (faiss: ``IndexBinaryFlat``).

    Vectors are (n, d / 8) uint8 rows; distances are int32. Memory: d / 8
    bytes a vector.

    Parameters
    ----------
    d : int
        Bits per code, a multiple of 8.
    """

    _go_type = "IndexBinaryFlat"

    def __init__(self, d: int) -> None:
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexBinaryFlatNew", as_int(d, "IndexBinaryFlat", "d"), addr(out))
        self._bind(int(out[0]))

    @property
    def xb(self) -> Any:
        """The codes back to back (uint8, a copy); copy_array_to_vector(a,
        index.xb) replaces them with a's."""
        n = self.ntotal
        out = np.empty(n * self.code_size, dtype=np.uint8)
        _bridge.call("BinaryFlatCodes", self._h("xb"), n, addr(out))
        return field_vector(out, self._set_codes)

    def _set_codes(self, codes):
        codes = np.ascontiguousarray(codes, dtype=np.uint8).reshape(-1, self.code_size)
        self.reset()
        self.add(codes)


class BinaryIVFInvertedLists(InvertedLists):
    """A binary IVF index's lists (faiss: ``InvertedLists`` of an ``IndexBinaryIVF``).

    A binary IVF index's lists (``index.invlists``), read-only: ids and
    codes of ``d/8`` bytes, copied out of the index.

    Parameters
    ----------
    index : IndexBinaryIVF
        The index whose lists these are.
    """

    def __init__(self, index: IndexBinaryIVF) -> None:
        self._index = index

    @property
    def nlist(self) -> int:
        return self._index.nlist

    @property
    def code_size(self) -> int:
        return self._index.code_size

    def list_size(self, list_no: int) -> int:
        """Entries in list list_no."""
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("BinaryIVFListSize", self._index._h("invlists"), self._check(list_no, "list_size"), addr(out))
        return int(out[0])

    def _list(self, l):
        n = self.list_size(l)
        ids = np.empty(n, dtype=np.int64)
        codes = np.empty(n * self.code_size, dtype=np.uint8)
        _bridge.call("BinaryIVFListCopy", self._index._h("invlists"), l, n, addr(ids), addr(codes))
        return ids, codes


class IndexBinaryIVF(IndexBinary):
    """Binary codes in nlist lists by their nearest centroid (faiss: ``IndexBinaryIVF``).

    Searches scan the ``nprobe`` nearest lists. Training runs k-means on the
    codes as -1/+1 vectors, with faiss's k-means defaults. Memory: d / 8
    bytes and an 8-byte id a vector.

    Parameters
    ----------
    quantizer : IndexBinary
        The coarse quantizer (usually ``IndexBinaryFlat(d)``).
    d : int
        Bits per code, a multiple of 8.
    nlist : int
        Number of lists.
    """

    _go_type = "IndexBinaryIVF"

    def __init__(self, quantizer: IndexBinary, d: int, nlist: int) -> None:
        op = "IndexBinaryIVF"
        if not isinstance(quantizer, IndexBinary):
            raise InputTypeError(f"{op}: quantizer must be a binary index, got {type(quantizer).__name__}")
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexBinaryIVFNew", quantizer._h(op), as_int(d, op, "d"), as_int(nlist, op, "nlist"), addr(out))
        self._bind(int(out[0]))
        self._quantizer = quantizer

    def add_preassigned(self, x: ArrayLike, a: ArrayLike, ids: Optional[ArrayLike] = None) -> None:
        """Add the codes of x to the lists a gives (one per row; -1: counted
        but not stored) instead of the quantizer's nearest; ids as in
        add_with_ids (None: numbered on from ntotal)."""
        op = self._op("add_preassigned")
        x = as_codes(x, op, self.code_size)
        a = as_assignments(a, x.shape[0], op, "a")
        if a.shape[1] != 1:
            raise DimensionMismatchError(f"{op}: a must hold one list number per code, got shape {a.shape}")
        id_arr = None if ids is None else as_ids(ids, op)
        if id_arr is not None and id_arr.shape[0] != x.shape[0]:
            raise DimensionMismatchError(f"{op}: {id_arr.shape[0]} ids for {x.shape[0]} codes")
        _bridge.call_long("BinaryIVFAddPreassigned", self._h("add_preassigned"), x.shape[0], addr(x),
                          0 if id_arr is None else addr(id_arr), addr(a))

    def search_preassigned(self, x: ArrayLike, k: int, Iq: ArrayLike, Dq: Optional[ArrayLike] = None, *,
                           params: Optional[SearchParameters] = None, D: Optional[Int32Array] = None,
                           I: Optional[Int64Array] = None) -> tuple[Int32Array, Int64Array]:
        """faiss's search_preassigned: search each query in the lists of its
        row of Iq (n, nprobe; -1 skipped). Dq is accepted for faiss's
        signature (Hamming distances do not use it)."""
        op = self._op("search_preassigned")
        x = as_codes(x, op, self.code_size)
        k = as_count(k, op)
        Iq = as_assignments(Iq, x.shape[0], op, "Iq")
        _, prog = _binary_params(params, op, self)
        sel = selector_args(prog)
        h = self._h("search_preassigned")
        return knn_results(op, x.shape[0], k, D, I, lambda lo, hi, D_at, I_at: _bridge.call(
            "BinaryIVFSearchPreassigned", h, hi - lo, addr(x[lo:]), k, addr(Iq[lo:]), Iq.shape[1], D_at, I_at,
            *sel), self._pace(), np.int32)

    def range_search_preassigned(self, x: ArrayLike, radius: int, Iq: ArrayLike, Dq: Optional[ArrayLike] = None, *,
                                 params: Optional[SearchParameters] = None) -> RangeSearchResult:
        """(lims, D, I): range_search in the lists of each query's row of
        Iq."""
        op = self._op("range_search_preassigned")
        x = as_codes(x, op, self.code_size)
        radius = as_int(radius, op, "radius")
        Iq = as_assignments(Iq, x.shape[0], op, "Iq")
        _, prog = _binary_params(params, op, self)
        sel = selector_args(prog)
        h = self._h("range_search_preassigned")
        lims, D, I = range_results(x.shape[0], lambda lo, hi, out: _bridge.call(
            "BinaryIVFRangeSearchPreassigned", h, hi - lo, addr(x[lo:]), radius, addr(Iq[lo:]), Iq.shape[1], *sel,
            out), self._pace(), "BinaryRangeFetch", np.int32)
        return lims, D.astype(np.float32), I

    @property
    def quantizer(self) -> IndexBinary:
        """The coarse quantizer; assigning another binary index of the same
        d changes what add and search assign to (the lists stay)."""
        return self._quantizer

    @quantizer.setter
    def quantizer(self, quantizer: IndexBinary) -> None:
        op = self._op("quantizer")
        if not isinstance(quantizer, IndexBinary):
            raise InputTypeError(f"{op}: expected a binary index, got {type(quantizer).__name__}")
        _bridge.call("BinaryIVFSetQuantizer", self._h("quantizer"), quantizer._h("quantizer"))
        self._quantizer = quantizer

    def get_list_size(self, list_no: int) -> int:
        """Entries in list list_no."""
        return self.invlists.list_size(list_no)

    def _direct_map(self, kind=-1):
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("BinaryIVFDirectMap", self._h("set_direct_map_type"), kind, addr(out))
        return int(out[0])

    def make_direct_map(self, new_maintain: bool = True) -> None:
        """Keep an id -> code map (an array: ids must be 0..ntotal-1), which
        ``reconstruct`` needs; ``make_direct_map(False)`` drops it."""
        self._direct_map(1 if new_maintain else 0)

    def set_direct_map_type(self, type: int) -> None:
        """DirectMap.NoMap, .Array (sequential ids) or .Hashtable (any
        ids)."""
        t = as_int(type, self._op("set_direct_map_type"), "type")
        if t < 0:
            raise InvalidArgumentError(f"{self._op('set_direct_map_type')}: unknown direct map type {t}")
        self._direct_map(t)

    @property
    def direct_map_type(self) -> int:
        """DirectMap.NoMap, .Array or .Hashtable (see set_direct_map_type)."""
        return self._direct_map()

    @property
    def clustering_index(self) -> Optional[Index]:
        """The float index that assigns points in the training k-means
        (None: a flat L2 index, faiss's default)."""
        return getattr(self, "_clustering_index", None)

    @clustering_index.setter
    def clustering_index(self, index: Optional[Index]) -> None:
        from .index import Index

        op = self._op("clustering_index")
        if index is not None and not isinstance(index, Index):
            raise InputTypeError(f"{op}: expected a float index or None, got {type(index).__name__}")
        _bridge.call("BinaryIVFSetClusteringIndex", self._h("clustering_index"), 0 if index is None else index._h(op))
        self._clustering_index = index

    def _bind(self, handle):
        super()._bind(handle)
        self.invlists = BinaryIVFInvertedLists(self)
        # faiss's binary IVF k-means: 10 iterations; changes apply at train
        self.cp = ClusteringParameters(niter=10)

    def _adopt(self, handle):
        super()._adopt(handle)
        self._quantizer = self._sub()

    def train(self, x: ArrayLike) -> None:
        """Train the quantizer by binary k-means on codes x (n, d / 8)."""
        h = self._h("train")
        for name, value in self.cp.as_dict().items():
            _bridge.call("BinaryIVFSetCP", h, name, float(value))
        super().train(x)

    def _ivf(self, nprobe=-1):
        out = np.zeros(2, dtype=np.int64)
        _bridge.call("BinaryIVFParam", self._h("nprobe"), nprobe, addr(out))
        return out

    @property
    def nprobe(self) -> int:
        """Lists visited per query (faiss's default 1)."""
        return int(self._ivf()[0])

    @nprobe.setter
    def nprobe(self, value: int) -> None:
        value = as_int(value, "IndexBinaryIVF.nprobe", "nprobe")
        if value <= 0:
            raise InvalidArgumentError(f"IndexBinaryIVF.nprobe: nprobe must be positive, got {value}")
        self._ivf(value)

    @property
    def nlist(self) -> int:
        """Number of lists."""
        return int(self._ivf()[1])


class IndexBinaryHNSW(IndexBinary):
    """HNSW graph over binary codes (faiss: ``IndexBinaryHNSW``).

    The codes are kept in ``storage`` (an IndexBinaryFlat); ``hnsw`` holds
    the graph's settings (efSearch, efConstruction) and arrays. Distances are
    Hamming distances (int32). range_search is exact over the storage
    (faiss's binary HNSW has none). Memory per vector: d / 8 bytes and about
    2 * M * 4 bytes of links.

    Parameters
    ----------
    d : int
        Bits per code (a multiple of 8).
    M : int
        Links per node (level 0 keeps 2 * M), default 32.

    Raises
    ------
    InputTypeError
        d or M is not an integer.
    InvalidArgumentError
        d is not a positive multiple of 8, or M below 2.
    """

    _go_type = "IndexBinaryHNSW"

    def __init__(self, d: int, M: int = 32) -> None:
        op = "IndexBinaryHNSW"
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexBinaryHNSWNew", as_int(d, op, "d"), as_int(M, op, "M"), addr(out))
        self._adopt(int(out[0]))

    def _adopt(self, handle):
        super()._adopt(handle)
        self.storage = self._sub()
        self.hnsw = HNSW(self)


class IndexBinaryFromFloat(IndexBinary):
    """Binary codes served by a float index (faiss: ``IndexBinaryFromFloat``).

    Each code is seen as a vector of -1/+1 (bit j of byte j/8, low bit
    first) in the float index of the same d; distances are the float ones
    divided by 4 and rounded (Hamming distances for an L2 index), so an
    IndexHNSWFlat gives an approximate Hamming search.

    Parameters
    ----------
    index : Index
        A float index of dimension d (bits per code, a multiple of 8).

    Raises
    ------
    InputTypeError
        index is not a metalfaiss index.
    InvalidArgumentError
        Its d is not a positive multiple of 8.
    """

    _go_type = "IndexBinaryFromFloat"

    def __init__(self, index: Index) -> None:
        from .index import Index

        op = "IndexBinaryFromFloat"
        if not isinstance(index, Index):
            raise InputTypeError(f"{op}: expected a float index, got {type(index).__name__}")
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexBinaryFromFloatNew", index._h(op), addr(out))
        self._bind(int(out[0]))
        self.index = index  # the float index lives as long as the wrapper

    def _adopt(self, handle):
        super()._adopt(handle)
        self.index = self._sub()


class IndexBinaryIDMap(IndexBinary):
    """A binary index under ids of the caller's choosing (faiss: ``IndexBinaryIDMap``).

    The codes of the wrapped index (empty when wrapped) are added with
    ``add_with_ids``; plain ``add`` raises, as in faiss. ``id_map`` holds
    the ids in storage order; ``index`` is the wrapped index. Memory per
    vector: the wrapped index's and an 8-byte id.

    Parameters
    ----------
    index : IndexBinary
        The binary index that stores the codes.

    Raises
    ------
    InputTypeError
        index is not a metalfaiss binary index.
    """

    _two = False
    _go_type = "IndexBinaryIDMap"

    def __init__(self, index: IndexBinary) -> None:
        op = type(self).__name__
        if not isinstance(index, IndexBinary):
            raise InputTypeError(f"{op}: expected a binary index, got {type(index).__name__}")
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexBinaryIDMapNew", index._h(op), self._two, addr(out))
        self._adopt(int(out[0]))
        self.index = index  # the sub-index lives as long as the map

    def _adopt(self, handle):
        super()._adopt(handle)
        self.index = self._sub()

    @property
    def id_map(self) -> Int64Array:
        """The ids, in storage order."""
        n = self.ntotal
        out = np.empty(n, dtype=np.int64)
        _bridge.call("IDMapIDs", self._h("id_map"), n, addr(out))
        return out


class IndexBinaryIDMap2(IndexBinaryIDMap):
    """IndexBinaryIDMap that also maps ids back (faiss: ``IndexBinaryIDMap2``).

    ``reconstruct(id)`` takes the caller's ids. Memory per vector: the
    wrapped index's and 16 bytes of ids.

    Parameters
    ----------
    index : IndexBinary
        The binary index that stores the codes.

    Raises
    ------
    InputTypeError
        index is not a metalfaiss binary index.
    """

    _two = True
    _go_type = "IndexBinaryIDMap2"
