"""Inverted-file indexes: IndexIVFFlat."""

from __future__ import annotations

import os

import numpy as np

from . import _bridge
from ._arrays import addr, as_assignments, as_count, as_float, as_ids, as_int, as_matrix
from ._handle import part
from ._results import knn_results, range_results
from .clustering_parameters import ClusteringParameters
from .errors import DimensionMismatchError, InputTypeError, InvalidArgumentError, UnsupportedOperationError
from .index import Index
from .polysemous import PolysemousMixin
from .index.base_index import _params
from .invlists import ArrayInvertedLists, InvertedLists, _ListView, entry_arrays
from .metric import METRIC_INNER_PRODUCT, METRIC_L2, MetricType
from .quantizers import PQIndexMixin, ScalarQuantizer
from .selectors import selector_args
from .search_params import SearchParameters
from ._typing import (
    Any, ArrayLike, Float32Array, Int64Array, MetricLike, Optional, RangeSearchResult, SearchResult, UInt8Array,
)


class DirectMap:
    """Direct-map kinds, for set_direct_map_type (faiss: ``DirectMap``).

    faiss's DirectMap types, for ``set_direct_map_type``.
    """

    NoMap = 0
    Array = 1
    Hashtable = 2


def _permutation(perm, n, op):
    """perm (an array or a swig_ptr to n int64) as a C-contiguous int64 array."""
    from .swig_pointers import SwigPtr, region

    if isinstance(perm, SwigPtr):
        perm = region(perm, np.int64, n, op, "perm")
    return as_ids(perm, op)


class IndexInvertedLists(ArrayInvertedLists):
    """An IVF index's own lists (faiss: ``InvertedLists``, ``index.invlists``).

    An IVF index's own lists (``index.invlists``): reads copy out of the
    index; add_entries / update_entries / resize change the index itself
    (its ntotal follows).

    Parameters
    ----------
    index : IndexIVF
        The index whose lists these are.
    """

    def __init__(self, index: IndexIVF) -> None:
        self._index = index

    @property
    def nlist(self) -> int:
        return self._index.nlist

    def list_size(self, list_no: int) -> int:
        """Entries in list list_no."""
        return self._index.get_list_size(list_no)

    def imbalance_factor(self) -> Any:
        """nlist * sum(size^2) / ntotal^2: 1 when the lists are equally full."""
        return self._index.imbalance_factor()

    @property
    def code_size(self) -> int:
        """Bytes per entry: the codec's code size, 4*d for flat lists."""
        return int(self._index._param("code_size"))

    def _list(self, list_no):
        n = self.list_size(list_no)
        ids = np.empty(n, dtype=np.int64)
        codes = np.empty(n * self.code_size, dtype=np.uint8)
        _bridge.call("IndexIVFListCopy", self._index._h("invlists"), list_no, n, addr(ids), addr(codes))
        return ids, codes

    def add_entries(self, list_no: int, n_entry: int, ids: Any, code: Any) -> int:
        """Append n_entry entries (ids: int64, code: n_entry * code_size
        bytes; swig_ptr pointers or arrays) to a list; returns the first's
        offset."""
        op = "InvertedLists.add_entries"
        ids, codes = entry_arrays(op, n_entry, ids, code, self.code_size)
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IVFAddEntries", self._index._h("invlists"), as_int(list_no, op, "list_no"), ids.shape[0],
                     addr(ids), addr(codes), addr(out))
        return int(out[0])

    def update_entries(self, list_no: int, offset: int, n_entry: int, ids: Any, code: Any) -> None:
        """Overwrite n_entry entries of a list from offset on."""
        op = "InvertedLists.update_entries"
        ids, codes = entry_arrays(op, n_entry, ids, code, self.code_size)
        _bridge.call("IVFUpdateEntries", self._index._h("invlists"), as_int(list_no, op, "list_no"),
                     as_int(offset, op, "offset"), ids.shape[0], addr(ids), addr(codes))

    def resize(self, list_no: int, new_size: int) -> None:
        """Truncate a list, or pad it with entries of id -1 and zero codes."""
        op = "InvertedLists.resize"
        _bridge.call("IVFResizeList", self._index._h("invlists"), as_int(list_no, op, "list_no"),
                     as_int(new_size, op, "new_size"))

    def permute_invlists(self, perm: ArrayLike) -> None:
        """Reorder the lists: the new list i is the old perm[i] (an array,
        or a swig_ptr to nlist int64). Permute the quantizer's centroids
        alike (``quantizer.permute_entries(perm)``), as contrib.ivf_tools's
        permute_invlists does."""
        op = "InvertedLists.permute_invlists"
        perm = _permutation(perm, self.nlist, op)
        _bridge.call("IVFPermuteLists", self._index._h("permute_invlists"), addr(perm), perm.shape[0])

    def set_range(self, i0: int, src: ArrayLike) -> None:
        """Replace lists i0..i0+src.nlist-1 with copies of src's lists."""
        op = "set_invlist_range"
        if src.code_size != self.code_size:
            raise DimensionMismatchError(f"{op}: the lists have code_size={src.code_size}, the index {self.code_size}")
        sizes = np.array([src.list_size(l) for l in range(src.nlist)], dtype=np.int64)
        parts = [src._list(l) for l in range(src.nlist)]
        ids = np.ascontiguousarray(np.concatenate([np.asarray(p[0], dtype=np.int64) for p in parts] or
                                                  [np.zeros(0, np.int64)]))
        codes = np.ascontiguousarray(np.concatenate([np.asarray(p[1], dtype=np.uint8) for p in parts] or
                                                    [np.zeros(0, np.uint8)]))
        _bridge.call("IVFSetListRange", self._index._h(op), as_int(i0, op, "i0"), sizes.shape[0], addr(sizes),
                     ids.shape[0], addr(ids), addr(codes))


class IndexIVF(Index):
    """What the IVF indexes share (faiss: ``IndexIVF``).

    Not built directly: IndexIVFFlat, IndexIVFPQ, IndexIVFScalarQuantizer and
    the others (or ``index_factory("IVF...")``) make one. A coarse
    ``quantizer`` (any index, a flat one normally) holds ``nlist`` centroids
    that split the vectors into inverted lists (``invlists``); a search
    visits the ``nprobe`` lists nearest each query. ``cp`` is the
    ClusteringParameters that ``train`` uses (faiss's defaults for IVF: 10
    iterations, spherical for inner product). ``make_direct_map()`` enables
    ``reconstruct`` and ``update_vectors``; ``by_residual`` codes x -
    centroid. Memory per vector: the codec's code and an 8-byte id.

    Attributes
    ----------
    nlist : int
        Number of lists.
    nprobe : int
        Lists visited per query (default 1).
    quantizer : Index
        The coarse quantizer.
    invlists : InvertedLists
        The lists.
    cp : ClusteringParameters
        The settings of the coarse k-means.

    Parameters
    ----------
    handle : int
        Internal: the Go index's handle, which the subclasses' constructors
        make.
    """

    def _adopt(self, handle):
        self._handle = handle
        quantizer = part(self, "IndexIVFQuantizer", "IndexIVF.quantizer")
        self._init_ivf(handle, quantizer, quantizer.metric_type)

    def _init_ivf(self, handle, quantizer, metric):
        super().__init__(handle)
        self._quantizer = quantizer  # kept alive with the index, as faiss's own_fields=False
        self.cp = ClusteringParameters(niter=10, spherical=int(metric) == METRIC_INNER_PRODUCT)
        self.invlists = IndexInvertedLists(self)

    @property
    def quantizer(self) -> Index:
        """The coarse quantizer. Assigning another (of the same d) changes
        what add and search assign to; the lists stay as they are."""
        return self._quantizer

    @quantizer.setter
    def quantizer(self, quantizer: Index) -> None:
        op = self._op("quantizer")
        if not isinstance(quantizer, Index):
            raise InputTypeError(f"{op}: expected a metalfaiss index, got {type(quantizer).__name__}")
        if quantizer.d != self.d:
            raise DimensionMismatchError(f"{op}: the quantizer has d={quantizer.d}, the index d={self.d}")
        _bridge.call("IVFSetQuantizer", self._h("quantizer"), quantizer._h("quantizer"))
        self._quantizer = quantizer

    @property
    def quantizer_trains_alone(self) -> int:
        """How train places the lists (faiss's field): 0 k-means with the
        quantizer as the assignment index, 1 the quantizer trains itself
        (the default for residual and local-search coarse quantizers), 2
        k-means on a flat index whose centroids are added to the
        quantizer."""
        return int(self._param("quantizer_trains_alone"))

    @quantizer_trains_alone.setter
    def quantizer_trains_alone(self, value: int) -> None:
        op = self._op("quantizer_trains_alone")
        _bridge.call("IndexSetParam", self._h("quantizer_trains_alone"), "quantizer_trains_alone",
                     float(as_int(int(value) if isinstance(value, bool) else value, op, "quantizer_trains_alone")))

    def _param(self, name):
        out = np.zeros(1, dtype=np.float64)
        _bridge.call("IndexGetParam", self._h(name), name, addr(out))
        return out[0]

    @property
    def nprobe(self) -> int:
        """Lists visited per query (faiss's default 1; clamped to nlist).
        0 may be set, as in faiss, and a search then raises."""
        return int(self._param("nprobe"))

    @nprobe.setter
    def nprobe(self, value: int) -> None:
        value = as_int(value, self._op("nprobe"), "nprobe")
        if value < 0:
            raise InvalidArgumentError(f"{self._op('nprobe')}: nprobe must be >= 0, got {value}")
        _bridge.call("IndexSetParam", self._h("nprobe"), "nprobe", float(value))

    @property
    def nlist(self) -> int:
        """Number of inverted lists."""
        return int(self._param("nlist"))

    @property
    def metric_type(self) -> int:  # type: ignore[override]
        return super().metric_type

    @metric_type.setter
    def metric_type(self, value: MetricLike) -> None:
        """The metric may change while the index is empty, as faiss allows
        (the quantizer keeps its own)."""
        _bridge.call("IndexSetParam", self._h("metric_type"), "metric_type", float(int(MetricType.parse(value))))

    @property
    def code_size(self) -> int:
        """Bytes stored per vector."""
        return int(self._param("code_size"))

    @property
    def by_residual(self) -> bool:
        """Whether codes stand for x - centroid (IVFPQ and IVFSQ default)."""
        return bool(self._param("by_residual"))

    @by_residual.setter
    def by_residual(self, value: bool) -> None:
        _bridge.call("IndexSetParam", self._h("by_residual"), "by_residual", float(bool(value)))

    def train(self, x: ArrayLike) -> None:
        """Place the nlist centroids with k-means on x (n, d), unless the
        quantizer already holds them, then train the codes (PQ, SQ) on the
        residuals."""
        h = self._h("train")
        for name, value in self.cp.as_dict().items():
            if name == "verbose":  # as faiss, a verbose index trains a verbose clustering
                value = bool(value) or bool(self.verbose)
            _bridge.call("IndexSetParam", h, "cp." + name, float(value))
        if getattr(self, "_pq", None) is not None:
            self._pq._send_cp()
        super().train(x)

    def check_compatible_for_merge(self, other: Index) -> None:
        """Raise unless other's entries can join this index's lists
        (the same kind, d, metric, nlist, code size; no direct maps)."""
        if not isinstance(other, IndexIVF):
            raise InputTypeError(f"{self._op('check_compatible_for_merge')}: expected an IVF index, "
                                 f"got {type(other).__name__}")
        _bridge.call("IVFCheckCompatibleForMerge", self._h("check_compatible_for_merge"),
                     other._h("check_compatible_for_merge"))

    def merge_from(self, other: Index, add_id: int = 0) -> None:
        """Move every entry of other (an IVF index trained alike) into this
        index's lists, ids increased by add_id; other is left empty."""
        op = self._op("merge_from")
        if not isinstance(other, IndexIVF):
            raise InputTypeError(f"{op}: expected an IVF index, got {type(other).__name__}")
        _bridge.call("IVFMergeFrom", self._h("merge_from"), other._h("merge_from"), as_int(add_id, op, "add_id"))

    def copy_subset_to(self, other: IndexIVF, subset_type: int, a1: int, a2: int) -> None:
        """Append to other the entries of this index that a subset picks (faiss: ``IndexIVF.copy_subset_to``).

        This index is unchanged.

        Parameters
        ----------
        other : IndexIVF
            An IVF index trained alike.
        subset_type : int
            0: ids in [a1, a2); 1: ids with id % a1 == a2; 2: the entries
            a1 .. a2 - 1 of all (each list giving its share); 3: part a2 of a1
            equal parts of every list; 4: lists in [a1, a2) (faiss's
            ``InvertedLists.SUBSET_TYPE_*``).
        a1, a2 : int
            The subset's bounds, as subset_type reads them.

        Raises
        ------
        InputTypeError
            other is not an IVF index.
        """
        op = self._op("copy_subset_to")
        if not isinstance(other, IndexIVF):
            raise InputTypeError(f"{op}: expected an IVF index, got {type(other).__name__}")
        _bridge.call("IVFCopySubsetTo", self._h("copy_subset_to"), other._h("copy_subset_to"),
                     as_int(subset_type, op, "subset_type"), as_int(a1, op, "a1"), as_int(a2, op, "a2"))

    @property
    def own_invlists(self) -> bool:
        """faiss's memory flag (whether the index frees its lists): kept for
        faiss scripts, it changes nothing here (Python owns the objects)."""
        return getattr(self, "_own_invlists", True)

    @own_invlists.setter
    def own_invlists(self, value: bool) -> None:
        self._own_invlists = bool(value)

    def replace_invlists(self, invlists: InvertedLists, own: bool = False) -> None:
        """Give the index other lists. OnDiskInvertedLists (filled by
        merge_from_multiple) are mapped from their file, and write_index
        refers to that file; StopWordsInvertedLists and CappedInvertedLists
        of the index's own lists limit what searches see (adds still reach
        the lists, files hold them whole); any other inverted lists
        (ArrayInvertedLists, slices and stacks of lists) are copied in.
        ``own`` is faiss's memory flag and changes nothing here."""
        from .ondisk_invlists import OnDiskInvertedLists

        op = self._op("replace_invlists")
        if not isinstance(invlists, InvertedLists):
            raise InputTypeError(f"{op}: expected inverted lists, got {type(invlists).__name__}")
        if invlists.nlist != self.nlist or invlists.code_size != self.code_size:
            raise DimensionMismatchError(f"{op}: the lists have nlist={invlists.nlist}, "
                                         f"code_size={invlists.code_size}; the index nlist={self.nlist}, "
                                         f"code_size={self.code_size}")
        view = (0, 0)
        if isinstance(invlists, _ListView):
            # searches see the index's lists through the view; lists of
            # another index are copied in first
            view, invlists = (invlists._kind, invlists.limit), invlists.il
        _bridge.call("IVFSetListView", self._h("replace_invlists"), *view)
        if invlists is self.invlists:
            return
        if not isinstance(invlists, OnDiskInvertedLists):
            self.invlists.set_range(0, invlists)
            _bridge.call("IVFDetachOnDisk", self._h("replace_invlists"))
            return
        lists = np.ascontiguousarray(invlists.lists, dtype=np.int64)
        slots = np.ascontiguousarray(invlists.slots, dtype=np.int64)
        _bridge.call("IVFReplaceOnDisk", self._h("replace_invlists"), os.path.abspath(invlists.filename),
                     addr(lists), lists.shape[0], addr(slots), slots.shape[0], int(invlists.totsize))

    @property
    def ondisk_filename(self) -> Optional[str]:
        """The file the index's lists are mapped from (None: in memory)."""
        return _bridge.call("IVFOnDiskFile", self._h("ondisk_filename")) or None

    def get_list_size(self, list_no: int) -> int:
        """Entries in list list_no."""
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexListSize", self._h("get_list_size"), as_int(list_no, self._op("get_list_size"), "list_no"), addr(out))
        return int(out[0])

    def imbalance_factor(self) -> float:
        """nlist * sum(size^2) / ntotal^2: 1 when the lists are equally full."""
        return float(self._param("imbalance_factor"))

    def add_preassigned(self, x: ArrayLike, a: ArrayLike, ids: Optional[ArrayLike] = None) -> None:
        """Add vectors to the lists given instead of the quantizer's nearest (faiss: ``IndexIVF.add_preassigned``).

        Parameters
        ----------
        x : (n, d) float32-convertible
            The vectors.
        a : (n,) int64-convertible
            The list of each vector; -1: counted in ntotal but not stored.
        ids : (n,) int64-convertible, optional
            Their ids (None: numbered on from ntotal).

        Raises
        ------
        DimensionMismatchError
            a or ids do not hold one entry per vector.
        InvalidArgumentError
            A list number outside [-1, nlist).
        """
        op = self._op("add_preassigned")
        h = self._h("add_preassigned")
        x = as_matrix(x, op, self.d)
        a = as_assignments(a, x.shape[0], op, "a")
        if a.shape[1] != 1:
            raise DimensionMismatchError(f"{op}: a must hold one list number per vector, got shape {a.shape}")
        id_arr = None if ids is None else as_ids(ids, op)
        if id_arr is not None and id_arr.shape[0] != x.shape[0]:
            raise DimensionMismatchError(f"{op}: {id_arr.shape[0]} ids for {x.shape[0]} vectors")
        _bridge.call_long("IndexIVFAddPreassigned", h, x.shape[0], addr(x), 0 if id_arr is None else addr(id_arr),
                          addr(a))

    def _preassigned(self, op, x, Iq, Dq, params):
        """The checked queries, lists, coarse distances and selector
        program (held by the caller for the call) of a preassigned search."""
        _, sel = _params(params, op, self)
        x = as_matrix(x, op, self.d)
        Iq = as_assignments(Iq, x.shape[0], op, "Iq")
        Dq = np.zeros(Iq.shape, np.float32) if Dq is None else np.ascontiguousarray(Dq, dtype=np.float32)
        if Dq.shape != Iq.shape:
            raise DimensionMismatchError(f"{op}: Dq has shape {Dq.shape}, Iq {Iq.shape}")
        return x, Iq, Dq, sel

    def search_preassigned(self, x: ArrayLike, k: int, Iq: ArrayLike, Dq: Optional[ArrayLike] = None, *,
                           params: Optional[SearchParameters] = None, D: Optional[Float32Array] = None,
                           I: Optional[Int64Array] = None) -> SearchResult:
        """Search the given lists of each query, not the quantizer's nearest (faiss: ``IndexIVF.search_preassigned``).

        Parameters
        ----------
        x : (n, d) float32-convertible
            The queries.
        k : int
            Results per query.
        Iq : (n, nprobe) int64-convertible
            The lists to scan for each query (-1 skipped).
        Dq : (n, nprobe) float32-convertible, optional
            Their coarse distances, which residual tables use (zeros when None).
        params : SearchParameters, optional
            May set an id selector.
        D, I : ndarray, optional
            (n, k) float32 and int64 arrays to write the results into.

        Returns
        -------
        D : (n, k) float32
        I : (n, k) int64
            As ``search`` returns them.
        """
        op = self._op("search_preassigned")
        h = self._h("search_preassigned")
        if self.parallel_mode & self.PARALLEL_MODE_NO_HEAP_INIT and D is not None and I is not None:
            return self._search_into(x, k, Iq, Dq, params, D, I)
        x, Iq, Dq, sel = self._preassigned(op, x, Iq, Dq, params)
        k = as_count(k, op)
        return knn_results(op, x.shape[0], k, D, I, lambda lo, hi, D_at, I_at: _bridge.call(
            "IndexIVFSearchPreassigned", h, hi - lo, addr(x[lo:]), k, addr(Iq[lo:]), addr(Dq[lo:]), Iq.shape[1],
            D_at, I_at, *selector_args(sel)), self._pace())

    def _search_into(self, x, k, Iq, Dq, params, D, I):
        """search_preassigned under PARALLEL_MODE_NO_HEAP_INIT: D and I
        already hold results (sorted best first, as ResultHeap keeps them),
        which the new ones are merged into; faiss's scripts search a few
        lists at a time this way."""
        from .metric import METRIC_INNER_PRODUCT
        from .result_heap import _keep_best

        op = self._op("search_preassigned")
        Dn, In = self.search_preassigned(x, k, Iq, Dq, params=params)
        if not (isinstance(D, np.ndarray) and isinstance(I, np.ndarray)) or D.shape != Dn.shape or I.shape != In.shape:
            raise DimensionMismatchError(f"{op}: D and I must be arrays of shape {Dn.shape}")
        best_D, best_I = _keep_best(np.hstack([D, Dn]), np.hstack([I, In]), Dn.shape[1],
                                    self.metric_type == METRIC_INNER_PRODUCT)
        D[...], I[...] = best_D, best_I
        return D, I

    def range_search_preassigned(self, x: ArrayLike, thresh: float, Iq: ArrayLike, Dq: Optional[ArrayLike] = None, *,
                                 params: Optional[SearchParameters] = None) -> RangeSearchResult:
        """faiss's range_search_preassigned: range_search in the lists of
        each query's row of Iq; returns (lims, D, I) as range_search does."""
        op = self._op("range_search_preassigned")
        h = self._h("range_search_preassigned")
        x, Iq, Dq, sel = self._preassigned(op, x, Iq, Dq, params)
        thresh = as_float(thresh, op, "thresh")

        return range_results(x.shape[0], lambda lo, hi, out: _bridge.call(
            "IndexIVFRangeSearchPreassigned", h, hi - lo, addr(x[lo:]), thresh, addr(Iq[lo:]), addr(Dq[lo:]),
            Iq.shape[1], *selector_args(sel), out), self._pace())

    def range_search(self, x: ArrayLike, thresh: float, *,
                     params: Optional[SearchParameters] = None) -> RangeSearchResult:
        from .search_params import SearchParametersIVF

        if isinstance(params, SearchParametersIVF) and params.max_empty_result_buckets and \
                self.parallel_mode & ~self.PARALLEL_MODE_NO_HEAP_INIT:
            # faiss's early stop walks the lists in order, which only its parallel_mode 0 does
            raise UnsupportedOperationError(f"{self._op('range_search')}: max_empty_result_buckets needs "
                                            f"parallel_mode 0, not {self.parallel_mode}")
        return super().range_search(x, thresh, params=params)

    def coarse_code_size(self) -> int:
        """Bytes of a list number in standalone codes (faiss's)."""
        n, left = 0, self.nlist - 1
        while left > 0:
            n, left = n + 1, left >> 8
        return n

    def search_and_return_codes(self, x: ArrayLike, k: int, *, include_listnos: bool = False,
                                params: Optional[SearchParameters] = None
                                ) -> tuple[Float32Array, Int64Array, UInt8Array]:
        """``search``, and the stored code of each result (faiss: ``IndexIVF.search_and_return_codes``).

        Parameters
        ----------
        x : (n, d) float32-convertible
        k : int
        include_listnos : bool
            Lead each code by its list number (coarse_code_size bytes), so that
            ``sa_decode`` reads it.
        params : SearchParameters, optional

        Returns
        -------
        D : (n, k) float32
        I : (n, k) int64
        codes : (n, k, code_size [+ coarse_code_size]) uint8
            Bytes 0xff for missing results (id -1); with ids stored twice, the
            code of the id's first entry.
        """
        D, I = self.search(x, k, params=params)
        size = self.code_size + (self.coarse_code_size() if include_listnos else 0)
        codes = np.empty((*I.shape, size), dtype=np.uint8)
        ids = np.ascontiguousarray(I.reshape(-1))
        _bridge.call("IVFCodesOfIDs", self._h("search_and_return_codes"), ids.shape[0], addr(ids),
                     bool(include_listnos), size, addr(codes))
        return D, I, codes

    def check_ids_sorted(self) -> bool:
        """Whether every list holds its ids in increasing order."""
        return bool(self._param("ids_sorted"))

    # faiss's parallel_mode values: how its OpenMP loops split a search.
    # metalfaiss splits searches its own way, so the modes change no result;
    # PARALLEL_MODE_NO_HEAP_INIT, which search_preassigned honours, is the
    # exception (see there).
    PARALLEL_MODE_NO_HEAP_INIT = 1024

    @property
    def parallel_mode(self) -> int:
        """faiss's parallel_mode (0-3, plus PARALLEL_MODE_NO_HEAP_INIT): results do not depend on it here."""
        return getattr(self, "_parallel_mode", 0)

    @parallel_mode.setter
    def parallel_mode(self, value: int) -> None:
        mode = as_int(value, self._op("parallel_mode"), "parallel_mode")
        if mode & ~self.PARALLEL_MODE_NO_HEAP_INIT not in (0, 1, 2, 3):
            raise InvalidArgumentError(f"{self._op('parallel_mode')}: unknown mode {mode} (0-3, plus 1024)")
        self._parallel_mode = mode

    def update_vectors(self, keys: ArrayLike, x: ArrayLike) -> None:
        """Replace the vectors stored under the given ids (faiss: ``IndexIVF.update_vectors``).

        Each moves to the list its new vector falls in. Needs a direct map
        (``make_direct_map()`` or a hashtable).

        Parameters
        ----------
        keys : (n,) int64-convertible
            The ids; every one must be in the index.
        x : (n, d) float32-convertible
            The new vectors.

        Raises
        ------
        DimensionMismatchError
            keys and x differ in length.
        InvalidArgumentError
            No direct map, or an id not in the index.
        """
        op = self._op("update_vectors")
        x = as_matrix(x, op, self.d)
        keys = as_ids(keys, op)
        if keys.shape[0] != x.shape[0]:
            raise DimensionMismatchError(f"{op}: {keys.shape[0]} ids for {x.shape[0]} vectors")
        _bridge.call("IVFUpdateVectors", self._h("update_vectors"), keys.shape[0], addr(keys), addr(x))

    def reconstruct_batch(self, key: ArrayLike, x: Optional[Float32Array] = None) -> Float32Array:
        """The stored vectors of the ids in key (a direct map is needed, as
        for reconstruct and as in faiss)."""
        op = self._op("reconstruct_batch")
        if self.direct_map_type == DirectMap.NoMap:
            raise InvalidArgumentError(f"{op}: direct map not initialized: call make_direct_map() first")
        return self._reconstruct_ids(op, key, x)

    def make_direct_map(self, new_maintain: bool = True) -> None:
        """Keep an id -> vector map (an array: ids must be 0..ntotal-1), which
        ``reconstruct`` needs; ``make_direct_map(False)`` drops it."""
        self.set_direct_map_type(DirectMap.Array if new_maintain else DirectMap.NoMap)

    def set_direct_map_type(self, type: int) -> None:
        """DirectMap.NoMap, .Array (sequential ids) or .Hashtable (any ids,
        and remove_ids stays possible)."""
        t = as_int(type, self._op("set_direct_map_type"), "type")
        _bridge.call("IndexSetParam", self._h("set_direct_map_type"), "direct_map_type", float(t))

    @property
    def direct_map_type(self) -> int:
        """DirectMap.NoMap, .Array or .Hashtable (see set_direct_map_type)."""
        return int(self._param("direct_map_type"))


class IndexIVFFlat(IndexIVF):
    """Vectors kept as they are in nlist inverted lists (faiss: ``IndexIVFFlat``).

    A search visits the ``nprobe`` lists nearest to the query. Memory per
    vector: 4 * d bytes and an 8-byte id.

    Parameters
    ----------
    quantizer : Index
        The coarse quantizer (usually ``IndexFlatL2(d)``), of dimension d;
        ``train`` trains it unless it already holds nlist vectors.
    d : int
        Dimension of the vectors.
    nlist : int
        Number of lists (about 4 to 16 * sqrt(n)).
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name); the
        quantizer must use the same.

    Raises
    ------
    DimensionMismatchError
        The quantizer's d differs.
    InvalidArgumentError
        d or nlist < 1, or the quantizer's metric differs.
    """

    _go_type = "IndexIVFFlat"
    _dedup = False

    def __init__(self, quantizer: Index, d: int, nlist: Optional[int] = None, metric: MetricLike = METRIC_L2) -> None:
        op = type(self).__name__
        if not isinstance(quantizer, Index):
            raise InputTypeError(f"{op}: quantizer must be a metalfaiss index, got {type(quantizer).__name__}")
        d = as_int(d, op, "d")
        if nlist is None:
            raise TypeError(f"{op}: nlist is required")
        nlist = as_int(nlist, op, "nlist")
        metric = MetricType.parse(metric)
        _check_quantizer(op, quantizer, metric)
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexIVFFlatNew", quantizer._h(op), d, nlist, int(metric), self._dedup, addr(out))
        self._init_ivf(int(out[0]), quantizer, metric)


def _check_quantizer(op, quantizer, metric):
    # the quantizer's metric may differ from the index's (an L2 quantizer
    # over an L1 index, say), as in faiss: it only assigns the lists
    if not isinstance(quantizer, Index):
        raise InputTypeError(f"{op}: quantizer must be a metalfaiss index, got {type(quantizer).__name__}")


class IndexIVFFlatDedup(IndexIVFFlat):
    """An IVF-Flat index that stores each distinct vector once (faiss: ``IndexIVFFlatDedup``).

    An exact duplicate (same float bits, same list) of a stored vector is
    kept as an instance of it, and a search returns the instances right
    after the stored vector, at its distance. ``train`` skips repeated
    training vectors. As in faiss, it has no range search, direct map,
    update_vectors or merge. Memory per distinct vector: 4 * d bytes and an
    8-byte id; 16 bytes per duplicate.

    Parameters
    ----------
    quantizer : Index
        The coarse quantizer, of dimension d.
    d : int
        Dimension of the vectors.
    nlist : int, optional
        Number of lists (faiss's default constructor leaves it out).
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).

    Raises
    ------
    InputTypeError
        A parameter is not an integer, or quantizer is not an Index.
    InvalidArgumentError
        nlist below 1.
    DimensionMismatchError
        The quantizer's dimension is not d.
    """

    _go_type = "IndexIVFFlatDedup"
    _dedup = True


class IndexIVFFlatPanorama(IndexIVFFlat):
    """IVF-Flat whose scan stops measuring a vector once it cannot enter the results (faiss: ``IndexIVFFlatPanorama``).

    The scan measures each vector level by level (the d dimensions cut into
    ``n_levels`` levels) and drops it once the Cauchy-Schwarz bound on the
    levels left shows it cannot enter the results, as faiss's Panorama
    (Ghosh et al. 2025): the results of IndexIVFFlat, with fewer dimensions
    read when the leading ones carry most of the energy (after a PCA, say;
    ``cvar.indexPanorama_stats`` counts them). L2 or inner product.
    metalfaiss keeps the lists as IndexIVFFlat rows plus each vector's
    suffix norms; files hold faiss's level layout in batches of
    ``batch_size``, byte for byte. Memory per vector: 4 * d bytes, 4 *
    n_levels bytes of norms and an 8-byte id.

    Parameters
    ----------
    quantizer : Index
        The coarse quantizer, of dimension d.
    d : int
        Dimension of the vectors.
    nlist : int
        Number of lists.
    n_levels : int
        Number of levels (1 to d).
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).
    own_invlists : bool
        Accepted for faiss's signature (the lists always belong to the index
        here).
    batch_size : int
        Vectors per batch in files (default 1024).

    Raises
    ------
    InputTypeError
        A parameter is not an integer, or quantizer is not an Index.
    InvalidArgumentError
        nlist below 1, or n_levels out of 1..d.
    DimensionMismatchError
        The quantizer's dimension is not d.
    """

    _go_type = "IndexIVFFlatPanorama"

    def __init__(self, quantizer: Index, d: int, nlist: int, n_levels: int, metric: MetricLike = METRIC_L2,
                 own_invlists: bool = True, batch_size: int = 1024) -> None:
        op = "IndexIVFFlatPanorama"
        if not isinstance(quantizer, Index):
            raise InputTypeError(f"{op}: quantizer must be a metalfaiss index, got {type(quantizer).__name__}")
        metric = MetricType.parse(metric)
        _check_quantizer(op, quantizer, metric)
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexIVFFlatPanoramaNew", quantizer._h(op), as_int(d, op, "d"), as_int(nlist, op, "nlist"),
                     as_int(n_levels, op, "n_levels"), int(metric), as_int(batch_size, op, "batch_size"), addr(out))
        self._init_ivf(int(out[0]), quantizer, metric)

    @property
    def n_levels(self) -> int:
        """The number of levels (fixed at construction)."""
        return int(self._param("n_levels"))

    @property
    def batch_size(self) -> int:
        """faiss's batch of vectors stored level by level (its files' layout)."""
        return int(self._param("batch_size"))


class IndexIVFPQ(PQIndexMixin, PolysemousMixin, IndexIVF):
    """Product-quantizer codes of the residuals x - centroid in nlist lists (faiss: ``IndexIVFPQ``).

    ``pq`` is the product quantizer; ``polysemous_ht`` > 0 skips the codes
    at that Hamming distance from the query residual's code or more (set
    ``do_polysemous_training`` before ``train`` for it to pay). Memory per
    vector: M * nbits / 8 bytes and an 8-byte id.

    Parameters
    ----------
    quantizer : Index
        The coarse quantizer, of dimension d.
    d : int
        Dimension of the vectors (a multiple of M).
    nlist : int
        Number of lists.
    M : int
        Sub-quantizers: bytes per code at 8 bits.
    nbits : int
        Bits per sub-quantizer code (default 8).
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name); the
        quantizer must use the same.

    Raises
    ------
    InvalidArgumentError
        M does not divide d, nbits out of 1..16, or the quantizer does
        not fit.
    """

    _go_type = "IndexIVFPQ"
    _default_training = False  # faiss's polysemous_training starts as None: the defaults are used
    @property
    def use_precomputed_table(self) -> int:
        """faiss's switch: -1 turns the L2 residual tables precomputed per
        list off (they add the coarse quantizer's distances); 0, 1 and 2
        leave them on (metalfaiss builds them when they fit in 256 MiB).
        Takes effect at precompute_table() or the next train."""
        return int(self._param("use_precomputed_table"))

    @use_precomputed_table.setter
    def use_precomputed_table(self, value: int) -> None:
        op = self._op("use_precomputed_table")
        _bridge.call("IndexSetParam", self._h("use_precomputed_table"), "use_precomputed_table",
                     float(as_int(value, op, "use_precomputed_table")))

    def precompute_table(self) -> None:
        """Rebuild (or drop, with use_precomputed_table = -1) the
        precomputed tables."""
        _bridge.call("IndexSetParam", self._h("precompute_table"), "precompute_table", 0.0)

    def __init__(self, quantizer: Index, d: int, nlist: int, M: int, nbits: int = 8,
                 metric: MetricLike = METRIC_L2) -> None:
        op = "IndexIVFPQ"
        metric = MetricType.parse(metric)
        _check_quantizer(op, quantizer, metric)
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexIVFPQNew", quantizer._h(op), as_int(d, op, "d"), as_int(nlist, op, "nlist"),
                     as_int(M, op, "M"), as_int(nbits, op, "nbits"), int(metric), addr(out))
        self._init_ivf(int(out[0]), quantizer, metric)


    def train(self, x: ArrayLike) -> None:
        self._send_polysemous()
        super().train(x)


class IndexIVFScalarQuantizer(IndexIVF):
    """Scalar-quantizer codes (of the residuals by default) in nlist lists (faiss: ``IndexIVFScalarQuantizer``).

    ``sq`` is the quantizer.

    Parameters
    ----------
    quantizer : Index
        The coarse quantizer, of dimension d.
    d : int
        Dimension of the vectors.
    nlist : int
        Number of lists.
    qtype : int
        ``ScalarQuantizer.QT_8bit`` (default; d bytes a vector),
        ``QT_4bit``, ``QT_6bit``, ``QT_fp16``, ``QT_bf16``, ...
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name); the
        quantizer must use the same.
    encode_residual : bool
        Code x - centroid (default) rather than x.
    """

    _go_type = "IndexIVFScalarQuantizer"

    def __init__(self, quantizer: Index, d: int, nlist: int, qtype: int = ScalarQuantizer.QT_8bit,
                 metric: MetricLike = METRIC_L2, encode_residual: bool = True) -> None:
        op = "IndexIVFScalarQuantizer"
        metric = MetricType.parse(metric)
        _check_quantizer(op, quantizer, metric)
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexIVFScalarQuantizerNew", quantizer._h(op), as_int(d, op, "d"), as_int(nlist, op, "nlist"),
                     as_int(qtype, op, "qtype"), int(metric), bool(encode_residual), addr(out))
        self._init_ivf(int(out[0]), quantizer, metric)

    @property
    def sq(self) -> ScalarQuantizer:
        """The index's ScalarQuantizer."""
        return ScalarQuantizer._of(self._h("sq"), self)


def extract_index_ivf(index: Index) -> IndexIVF:
    """The IVF index inside an index (faiss: ``extract_index_ivf``).

    Parameters
    ----------
    index : Index
        An IVF index, or an index that wraps one (IndexIDMap,
        IndexRefineFlat, IndexPreTransform, IndexIVFIndependentQuantizer,
        ...), at any depth.

    Returns
    -------
    IndexIVF
        The IVF index itself (not a copy): settings such as ``nprobe`` made
        on it apply to the wrapper's searches.

    Raises
    ------
    InvalidArgumentError
        index holds no IVF index.
    """
    seen = index
    while not isinstance(seen, IndexIVF):
        # Not `a or b`: an empty index is falsy (len() is ntotal).
        inner = getattr(seen, "index", None)
        if inner is None:
            inner = getattr(seen, "base_index", None)
        if inner is None:
            inner = getattr(seen, "index_ivf", None)
        if inner is None or inner is seen:
            raise InvalidArgumentError(f"extract_index_ivf: {type(index).__name__} holds no IVF index")
        seen = inner
    return seen
