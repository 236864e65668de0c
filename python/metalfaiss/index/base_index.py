"""The Index base class: faiss's Index methods over a Go index handle."""

from __future__ import annotations

import numpy as np

from .. import _bridge
from .._handle import GoHandle, wrap
from .._interrupt import in_blocks
from .._progress import Watch
from .._results import knn_results, range_results
from .._serial import deserialize, serialize
from .._arrays import addr, as_codes, as_count, as_float, as_ids, as_int, as_matrix, check_result_size, out_array
from ..errors import DimensionMismatchError, InputTypeError, InvalidArgumentError
from ..search_params import (
    IndexRefineSearchParameters, RaBitQSearchParameters, SearchParameters, SearchParametersHNSW, SearchParametersIVF,
    SearchParametersPQ, SearchParametersResidualCoarseQuantizer, _query_bits,
)
from ..pointer_methods import IndexPointerMethods
from ..vectors import field_vector
from ..selectors import IDSelector, IDSelectorRange, selector_args, selector_program
from .._typing import (
    Any, ArrayLike, Float32Array, IndexProgressCallback, Int64Array, Optional, RangeSearchResult, SearchResult,
    UInt8Array,
)


class SwigOwnership:
    """SWIG's ownership flag, index.this (faiss: ``index.this``).

    What faiss scripts reach through ``index.this``, SWIG's ownership
    flag: ``this.own()``, ``this.disown()`` (before handing an index to
    another that frees it), ``this.acquire()``. Here a Go object lives as
    long as any Python object or index refers to it, so the flag is kept
    and reported but frees nothing early or late.
    """

    __slots__ = ("_own",)

    def __init__(self) -> None:
        self._own = True

    def own(self, value: Optional[bool] = None) -> bool:
        """The flag; with a value, set it and return the old one."""
        old = self._own
        if value is not None:
            self._own = bool(value)
        return old

    def disown(self) -> None:
        """Clear the flag (faiss scripts call it before handing the index to another)."""
        self._own = False

    def acquire(self) -> None:
        """Set the flag."""
        self._own = True


class Index(GoHandle, IndexPointerMethods):
    """An index living in the Go core, with faiss's Python methods (faiss: ``Index``).

    Subclasses create the Go object and pass its handle to ``__init__``.
    Every method validates its arguments before touching the index, so a
    failed call leaves the index as it was. ``close()`` frees the Go memory
    at once (also done when the object is garbage-collected); the index is
    unusable afterwards. It is also a context manager that closes on exit.
    Indexes pickle as their faiss index file.

    Attributes
    ----------
    d : int
        Dimension of the vectors.
    ntotal : int
        Number of vectors stored.
    is_trained : bool
        Whether ``add`` and ``search`` may be called.
    metric_type : int
        faiss's metric number (``METRIC_L2``, ``METRIC_INNER_PRODUCT``, ...).
    verbose : bool
        As in faiss: ``train`` and ``add`` print faiss's progress lines
        (IVF: the coarse k-means and the codec's training; HNSW: the levels
        being linked).
    progress : callable, optional
        Called as ``progress(stage, done, total)`` while ``train`` and
        ``add`` run: IVF indexes report "train quantizer" (k-means
        iterations), "train codec" and "add" (vectors), HNSW "add", others
        the call itself from 0 to n. It runs in a helper thread; an
        exception it raises is raised again when the call ends (whose work
        is then done).

    Parameters
    ----------
    handle : int
        Internal: the Go index's handle, which the subclasses' constructors
        make.
    """

    def __init__(self, handle: int) -> None:
        self._handle = handle
        self._d = int(self._info("d")[0])  # fixed for the index's life
        # faiss's verbose flag: train and add print faiss's progress lines
        # (IVF, HNSW); progress, if set, is called as progress(stage, done,
        # total) while they run (see _progress).
        self.verbose = False
        self.progress: Optional[IndexProgressCallback] = None

    def _adopt(self, handle):
        Index.__init__(self, handle)

    def __reduce__(self):
        # Pickles as the index file (faiss's format): works with
        # multiprocessing and joblib.
        return _unpickle, (serialize(self._h("pickle"), "IndexSerialize", 0),)

    def _op(self, name):
        return f"{type(self).__name__}.{name}"

    # -- attributes ---------------------------------------------------------

    def _info(self, attr):
        out = np.zeros(4, dtype=np.int64)
        _bridge.call("IndexInfo", self._h(attr), addr(out))
        return out

    @property
    def d(self) -> int:
        """Dimension of the vectors."""
        self._h("d")
        return self._d

    @property
    def ntotal(self) -> int:
        """Number of vectors in the index."""
        return int(self._info("ntotal")[1])

    @ntotal.setter
    def ntotal(self, value: int) -> None:
        # faiss scripts set ntotal after filling an index's lists by hand
        # (merge_ondisk does); here it follows the lists, so only the value
        # they give is accepted.
        if as_int(value, self._op("ntotal"), "ntotal") != self.ntotal:
            raise InvalidArgumentError(f"{self._op('ntotal')}: cannot set it to {value}: the index holds "
                                       f"{self.ntotal} vectors")

    @property
    def is_trained(self) -> bool:
        """Whether add and search may be called (train first where needed)."""
        return bool(self._info("is_trained")[3])

    @is_trained.setter
    def is_trained(self, value: bool) -> None:
        # faiss scripts set the flag after training an index's parts by hand
        # (contrib.clustering does); here it follows those parts, so setting
        # the value they give is accepted and any other is an error.
        if bool(value) != self.is_trained:
            raise InvalidArgumentError(
                f"{self._op('is_trained')}: cannot set it to {bool(value)}: the index and its parts report "
                f"{self.is_trained}; train them instead")

    @property
    def this(self) -> SwigOwnership:
        """SWIG's ownership flag (see SwigOwnership): faiss scripts call
        ``index.this.disown()`` or ``.own()``; nothing changes here."""
        if getattr(self, "_this", None) is None:
            self._this = SwigOwnership()
        return self._this

    @property
    def metric_type(self) -> int:
        """The faiss metric number (compare with METRIC_L2, ...)."""
        return int(self._info("metric_type")[2])

    @property
    def metric_arg(self) -> float:
        """Argument of the metric (p of METRIC_Lp); 0 by default, as faiss."""
        out = np.zeros(1, dtype=np.float32)
        _bridge.call("IndexMetricArg", self._h("metric_arg"), addr(out))
        return float(out[0])

    @metric_arg.setter
    def metric_arg(self, value: float) -> None:
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise InvalidArgumentError(f"{self._op('metric_arg')}: expected a number, got {value!r}") from None
        _bridge.call("IndexSetMetricArg", self._h("metric_arg"), value)

    def __len__(self) -> int:
        return self.ntotal

    def __repr__(self) -> str:
        if self._handle is None:
            return f"<{type(self).__name__} (closed)>"
        return f"<{type(self).__name__} d={self.d} ntotal={self.ntotal} metric={self.metric_type}>"

    # -- methods ------------------------------------------------------------

    def train(self, x: ArrayLike) -> None:
        """Train the index on representative vectors (faiss: ``Index.train``).

        Flat indexes need no training (x is still checked); IVF indexes run
        k-means for their lists, then train their codec; PQ, SQ and additive
        indexes learn their codebooks. With ``verbose`` or ``progress`` set,
        progress is reported while it runs (see ``Index``).

        Parameters
        ----------
        x : (n, d) float32-convertible
            Training vectors.

        Raises
        ------
        DimensionMismatchError
            x is not (n, d) for this index's d.
        InputTypeError
            x is not numeric.
        InvalidArgumentError
            Too few vectors (e.g. fewer than nlist for an IVF index).
        OperationInterruptedError
            Ctrl-C stopped it; the index is as it was.
        """
        h = self._h("train")
        x = as_matrix(x, self._op("train"), self.d)
        with Watch(self, "train", x.shape[0]):
            _bridge.call_long("IndexTrain", h, x.shape[0], addr(x))

    def add(self, x: ArrayLike) -> None:
        """Add vectors; they get ids ``ntotal .. ntotal + n - 1`` (faiss: ``Index.add``).

        NaN values are stored, as in faiss; a NaN distance never ranks among
        the results.

        Parameters
        ----------
        x : (n, d) float32-convertible
            The vectors.

        Raises
        ------
        DimensionMismatchError
            x is not (n, d) for this index's d.
        InputTypeError
            x is not numeric.
        NotTrainedError
            The index needs training first.
        OperationInterruptedError
            Ctrl-C stopped it; the index is as it was.
        """
        h = self._h("add")
        x = as_matrix(x, self._op("add"), self.d)
        with Watch(self, "add", x.shape[0]):
            _bridge.call_long("IndexAdd", h, x.shape[0], addr(x))

    def add_with_ids(self, x: ArrayLike, ids: ArrayLike) -> None:
        """Add vectors under the given ids (faiss: ``Index.add_with_ids``).

        IVF indexes and ``IndexIDMap`` store the ids; flat indexes number
        their vectors themselves and refuse, as in faiss.

        Parameters
        ----------
        x : (n, d) float32-convertible
            The vectors.
        ids : (n,) int64-convertible
            One id per vector.

        Raises
        ------
        DimensionMismatchError
            x is not (n, d) for this index's d.
        InputTypeError
            x is not numeric.
        DimensionMismatchError
            ids does not hold one id per vector.
        UnsupportedOperationError
            The index does not store ids.
        """
        op = self._op("add_with_ids")
        h = self._h("add_with_ids")
        x = as_matrix(x, op, self.d)
        ids = as_ids(ids, op)
        if ids.shape[0] != x.shape[0]:
            raise DimensionMismatchError(f"{op}: {ids.shape[0]} ids for {x.shape[0]} vectors")
        with Watch(self, "add", x.shape[0]):
            _bridge.call_long("IndexAddWithIDs", h, x.shape[0], addr(x), addr(ids))

    def search(self, x: ArrayLike, k: int, *, params: Optional[SearchParameters] = None,
               D: Optional[Float32Array] = None, I: Optional[Int64Array] = None) -> SearchResult:
        """The k nearest stored vectors of each query (faiss: ``Index.search``).

        Parameters
        ----------
        x : (n, d) float32-convertible
            The queries.
        k : int
            Results per query, at least 1.
        params : SearchParameters, optional
            Settings for this call only: ``SearchParametersIVF(nprobe=...)``,
            ``SearchParametersHNSW(efSearch=...)``, an id selector (``sel``), ...
        D, I : ndarray, optional
            (n, k) float32 and int64 C-contiguous arrays to write the results
            into (returned).

        Returns
        -------
        D : (n, k) float32
            Distances, best first (smallest for L2, largest for inner
            product); FLT_MAX (-FLT_MAX for inner product) where fewer than k
            vectors qualify.
        I : (n, k) int64
            Their ids; -1 where fewer than k vectors qualify.

        Raises
        ------
        DimensionMismatchError
            x is not (n, d) for this index's d.
        InputTypeError
            x is not numeric.
        InvalidArgumentError
            k < 1, or params of a kind this index does not take.
        NotTrainedError
            The index needs training first.
        ResultTooLargeError
            n * k results do not fit in memory.
        """
        op = self._op("search")
        h = self._h("search")
        nprobe, sel = _params(params, op, self)
        ivf_block = _ivf_block(params)
        x = as_matrix(x, op, self.d)
        k = as_count(k, op)
        sel_args = selector_args(sel)

        def run(lo, hi, D_at, I_at):  # queries lo..hi-1 (blocks: Ctrl-C is honoured between them)
            args = (h, hi - lo, addr(x[lo:]), k, D_at, I_at)
            if params is None:
                _bridge.call("IndexSearch", *args)
            elif isinstance(params, IndexRefineSearchParameters):
                _bridge.call("IndexSearchRefine", *args, nprobe, params.k_factor, *sel_args)
            elif isinstance(params, SearchParametersHNSW):
                _bridge.call("IndexSearchHNSW", *args, params.efSearch, params.check_relative_distance,
                             params.bounded_queue, *sel_args)
            elif ivf_block is not None:
                _bridge.call("IndexSearchIVF", *args, *sel_args, addr(ivf_block))
            elif isinstance(params, SearchParametersPQ):
                _bridge.call("IndexSearchPQ", *args, params.search_type, params.polysemous_ht, *sel_args)
            elif isinstance(params, RaBitQSearchParameters):
                _bridge.call("IndexSearchRaBitQ", *args, *_query_bits(params, op), *sel_args)
            elif isinstance(params, SearchParametersResidualCoarseQuantizer):
                _bridge.call("IndexSearchRCQ", *args, params.beam_factor, *sel_args)
            else:
                _bridge.call("IndexSearchWith", *args, nprobe, *sel_args)

        return knn_results(op, x.shape[0], k, D, I, run, self._pace())

    def get_distance_computer(self) -> Any:
        """A DistanceComputer: one query against the stored vectors by id
        (flat, PQ, SQ or additive storage, behind an HNSW graph or transforms)."""
        from ..distance_computer import DistanceComputer

        return DistanceComputer(self)

    def assign(self, x: ArrayLike, k: int = 1, labels: Optional[Int64Array] = None) -> Int64Array:
        """The ids of the k nearest stored vectors of each row of x (faiss: ``Index.assign``).

        Parameters
        ----------
        x : (n, d) float32-convertible
            The queries.
        k : int
            Ids per query (default 1).
        labels : (n, k) int64 ndarray, optional
            Where to write them (returned).

        Returns
        -------
        (n, k) int64
            Ids, nearest first; -1 where fewer than k vectors exist.

        Raises
        ------
        DimensionMismatchError
            x is not (n, d) for this index's d.
        InputTypeError
            x is not numeric.
        """
        op = self._op("assign")
        h = self._h("assign")
        x = as_matrix(x, op, self.d)
        k = as_count(k, op)
        check_result_size(op, x.shape[0], k, 8)
        labels = out_array(labels, (x.shape[0], k), np.int64, op, "labels")
        in_blocks(x.shape[0], lambda lo, hi: _bridge.call("IndexAssign", h, hi - lo, addr(x[lo:]), k, addr(labels[lo:])),
                  self._pace())
        return labels

    def range_search(self, x: ArrayLike, thresh: float, *,
                     params: Optional[SearchParameters] = None) -> RangeSearchResult:
        """Every stored vector within ``thresh`` of each query (faiss: ``Index.range_search``).

        A match has distance < thresh (inner product: similarity > thresh).

        Parameters
        ----------
        x : (n, d) float32-convertible
            The queries.
        thresh : float
            The radius.
        params : SearchParameters, optional
            As for ``search``.

        Returns
        -------
        lims : (n + 1,) int64
            The matches of query i are ``D[lims[i]:lims[i + 1]]`` and
            ``I[lims[i]:lims[i + 1]]``.
        D : (lims[n],) float32
            Their distances.
        I : (lims[n],) int64
            Their ids.

        Raises
        ------
        DimensionMismatchError
            x is not (n, d) for this index's d.
        InputTypeError
            x is not numeric.
        UnsupportedOperationError
            The index has no range search (PQ fast-scan, some graph indexes).
        """
        op = self._op("range_search")
        h = self._h("range_search")
        nprobe, sel = _params(params, op, self)
        x = as_matrix(x, op, self.d)
        thresh = as_float(thresh, op, "thresh")

        ivf_block = _ivf_block(params)

        def run(lo, hi, out):
            if params is None:
                _bridge.call("IndexRangeSearch", h, hi - lo, addr(x[lo:]), thresh, out)
            elif ivf_block is not None:
                _bridge.call("IndexRangeSearchIVF", h, hi - lo, addr(x[lo:]), thresh, *selector_args(sel),
                             addr(ivf_block), out)
            elif isinstance(params, RaBitQSearchParameters):
                _bridge.call("IndexRangeSearchRaBitQ", h, hi - lo, addr(x[lo:]), thresh, _query_bits(params, op)[0],
                             *selector_args(sel), out)
            else:
                _bridge.call("IndexRangeSearchWith", h, hi - lo, addr(x[lo:]), thresh, nprobe, *selector_args(sel),
                             out)

        return range_results(x.shape[0], run, self._pace())

    def reconstruct(self, key: int, x: Optional[Float32Array] = None) -> Float32Array:
        """The stored (or decoded) vector of id ``key`` (faiss: ``Index.reconstruct``).

        Parameters
        ----------
        key : int
            The id.
        x : (d,) float32 ndarray, optional
            Where to write it (returned).

        Returns
        -------
        (d,) float32

        Raises
        ------
        InvalidArgumentError
            No vector has that id (IVF indexes need ``make_direct_map()``).
        """
        op = self._op("reconstruct")
        h = self._h("reconstruct")
        key = as_int(key, op, "key")
        x = out_array(x, (self.d,), np.float32, op, "x")
        _bridge.call("IndexReconstruct", h, key, addr(x))
        return x

    def reconstruct_n(self, n0: int = 0, ni: int = -1, x: Optional[Float32Array] = None) -> Float32Array:
        """Vectors ``n0 .. n0 + ni - 1`` in storage order (faiss: ``Index.reconstruct_n``).

        Parameters
        ----------
        n0 : int
            The first.
        ni : int
            How many; -1 (the default) means up to ntotal.
        x : (ni, d) float32 ndarray, optional
            Where to write them (returned).

        Returns
        -------
        (ni, d) float32
        """
        op = self._op("reconstruct_n")
        h = self._h("reconstruct_n")
        n0, ni = as_int(n0, op, "n0"), as_int(ni, op, "ni")
        if ni == -1:
            ni = self.ntotal - n0
        if ni < 0:
            raise InvalidArgumentError(f"{op}: ni must be >= 0 or -1, got {ni}")
        x = out_array(x, (ni, self.d), np.float32, op, "x")
        _bridge.call("IndexReconstructN", h, n0, ni, addr(x))
        return x

    def reconstruct_batch(self, key: ArrayLike, x: Optional[Float32Array] = None) -> Float32Array:
        """The stored vectors of the given ids (faiss: ``Index.reconstruct_batch``).

        Parameters
        ----------
        key : (n,) int64-convertible
            The ids; -1 gives a row of NaNs.
        x : (n, d) float32 ndarray, optional
            Where to write them (returned).

        Returns
        -------
        (n, d) float32

        Raises
        ------
        InvalidArgumentError
            An IVF index without a direct map (``make_direct_map()``), as in faiss.
        """
        return self._reconstruct_ids(self._op("reconstruct_batch"), key, x)

    def _reconstruct_ids(self, op, key, x=None):
        """reconstruct_batch without the direct-map rule: the lists are read
        once for all the ids (search_and_reconstruct, as faiss's, needs no
        map)."""
        key = as_ids(key, op)
        x = out_array(x, (key.shape[0], self.d), np.float32, op, "x")
        _bridge.call("IndexReconstructIDs", self._h(op.rsplit(".", 1)[-1]), key.shape[0], addr(key), addr(x))
        return x

    def search_and_reconstruct(self, x: ArrayLike, k: int, *, params: Optional[SearchParameters] = None,
                               D: Optional[Float32Array] = None, I: Optional[Int64Array] = None,
                               R: Optional[Float32Array] = None) -> tuple[Float32Array, Int64Array, Float32Array]:
        """``search``, and the stored vector of each result (faiss: ``Index.search_and_reconstruct``).

        Parameters
        ----------
        x, k, params, D, I
            As for ``search``.
        R : (n, k, d) float32 ndarray, optional
            Where to write the vectors (returned).

        Returns
        -------
        D : (n, k) float32
        I : (n, k) int64
        R : (n, k, d) float32
            The vector of each result; NaNs where the id is -1.
        """
        op = self._op("search_and_reconstruct")
        D, I = self.search(x, k, params=params, D=D, I=I)
        R = out_array(R, (*I.shape, self.d), np.float32, op, "R")
        self._reconstruct_ids(op, I.reshape(-1), R.reshape(-1, self.d))
        return D, I, R

    def remove_ids(self, x: ArrayLike | IDSelector) -> int:
        """Remove vectors by id; return how many were removed (faiss: ``Index.remove_ids``).

        Ids not in the index are skipped, as in faiss. A flat index shifts the
        ids of later vectors down to stay contiguous; IVF indexes and
        ``IndexIDMap`` keep ids.

        Parameters
        ----------
        x : (n,) int64-convertible or IDSelector
            The ids, or a selector of them (``IDSelectorRange``, ...).

        Returns
        -------
        int

        Raises
        ------
        UnsupportedOperationError
            The index cannot remove (graph indexes, as in faiss).
        """
        op = self._op("remove_ids")
        h = self._h("remove_ids")
        out = np.zeros(1, dtype=np.int64)
        if isinstance(x, IDSelectorRange):
            _bridge.call("IndexRemoveRange", h, x.imin, x.imax, addr(out))
        elif isinstance(x, IDSelector):
            prog = selector_program(x, op, self)
            _bridge.call("IndexRemoveSelected", h, addr(prog), prog.shape[0], addr(out))
        else:
            ids = as_ids(x, op)
            _bridge.call("IndexRemoveIDs", h, ids.shape[0], addr(ids), addr(out))
        return int(out[0])

    def reset(self) -> None:
        """Remove every vector."""
        _bridge.call("IndexReset", self._h("reset"))

    def merge_from(self, other: Index, add_id: int = 0) -> None:
        """Move every entry of ``other`` into this index; ``other`` is left empty (faiss: ``Index.merge_from``).

        Parameters
        ----------
        other : Index
            An index of the same kind, d and training.
        add_id : int
            Added to other's ids where the index stores ids (IndexIDMap,
            IVF); indexes numbering entries in order take 0 only.

        Raises
        ------
        InputTypeError
            other is not a metalfaiss index.
        InvalidArgumentError
            The two indexes are not compatible.
        """
        op = self._op("merge_from")
        if not isinstance(other, Index):
            raise InputTypeError(f"{op}: expected a metalfaiss index, got {type(other).__name__}")
        _bridge.call("IndexMergeFrom", self._h("merge_from"), other._h("merge_from"), as_int(add_id, op, "add_id"))

    @property
    def codes(self) -> Any:
        """The stored codes, ntotal * code_size bytes (flat, PQ, SQ and LSH
        indexes; a flat index's are its vectors' bytes), as faiss's
        IndexFlatCodes.codes. copy_array_to_vector(codes, index.codes)
        replaces the index's entries with those codes."""
        op = self._op("codes")
        n = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexCodes", self._h("codes"), -1, addr(n))
        out = np.empty(int(n[0]), dtype=np.uint8)
        _bridge.call("IndexCodes", self._h("codes"), out.shape[0], addr(out))

        def store(new):
            code_size = self.sa_code_size()
            new = as_codes(new.reshape(-1, code_size) if new.size % code_size == 0 else new, op, code_size, "codes")
            self.reset()
            self.add_sa_codes(new)

        return field_vector(out, store)

    def sa_code_size(self) -> int:
        """Bytes per vector of the standalone codes (faiss's layout)."""
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexSaCodeSize", self._h("sa_code_size"), addr(out))
        return int(out[0])

    def sa_encode(self, x: ArrayLike, codes: Optional[UInt8Array] = None) -> UInt8Array:
        """Standalone codes of the rows of x, faiss's bytes for this index type (faiss: ``Index.sa_encode``).

        The index is unchanged.

        Parameters
        ----------
        x : (n, d) float32-convertible
        codes : (n, sa_code_size()) uint8 ndarray, optional
            Where to write them (returned).

        Returns
        -------
        (n, sa_code_size()) uint8

        Raises
        ------
        DimensionMismatchError
            x is not (n, d) for this index's d.
        InputTypeError
            x is not numeric.
        NotTrainedError
            The codec needs training first.
        """
        op = self._op("sa_encode")
        x = as_matrix(x, op, self.d)
        codes = out_array(codes, (x.shape[0], self.sa_code_size()), np.uint8, op, "codes")
        _bridge.call("IndexSaEncode", self._h("sa_encode"), x.shape[0], addr(x), addr(codes))
        return codes

    def sa_decode(self, codes: ArrayLike, x: Optional[Float32Array] = None) -> Float32Array:
        """The vectors that standalone codes stand for (faiss: ``Index.sa_decode``).

        Parameters
        ----------
        codes : (n, sa_code_size()) uint8-convertible
        x : (n, d) float32 ndarray, optional
            Where to write them (returned).

        Returns
        -------
        (n, d) float32
        """
        op = self._op("sa_decode")
        codes = as_codes(codes, op, self.sa_code_size(), "codes")
        x = out_array(x, (codes.shape[0], self.d), np.float32, op, "x")
        _bridge.call("IndexSaDecode", self._h("sa_decode"), codes.shape[0], addr(codes), addr(x))
        return x

    def add_sa_codes(self, codes: ArrayLike, ids: Optional[ArrayLike] = None) -> None:
        """Add entries given as standalone codes (faiss: ``Index.add_sa_codes``).

        Parameters
        ----------
        codes : (n, sa_code_size()) uint8-convertible
            As ``sa_encode`` makes them.
        ids : (n,) int64-convertible, optional
            Ids, where the index stores ids (IVF); else entries are numbered on.
        """
        op = self._op("add_sa_codes")
        codes = as_codes(codes, op, self.sa_code_size(), "codes")
        ids_arg = 0
        if ids is not None:
            ids = as_ids(ids, op)
            if ids.shape[0] != codes.shape[0]:
                raise DimensionMismatchError(f"{op}: {ids.shape[0]} ids for {codes.shape[0]} codes")
            ids_arg = addr(ids)
        _bridge.call("IndexAddSaCodes", self._h("add_sa_codes"), codes.shape[0], addr(codes), ids_arg)



def _params(params, op, index=None):
    """(nprobe, selector program) of faiss's SearchParameters (or None) for
    a search of index."""
    if params is None:
        return 0, None
    if not isinstance(params, SearchParameters):
        raise InputTypeError(f"{op}: params must be a SearchParameters, got {type(params).__name__}")
    sel = params._selector() if isinstance(params, IndexRefineSearchParameters) else params.sel
    return params._nprobe(), selector_program(sel, op, index)


def _ivf_block(params):
    """The full SearchParametersIVF block when the call needs more than
    nprobe and a selector (early-stop bounds, quantizer parameters)."""
    if isinstance(params, SearchParametersIVF) and params._bounded():
        return params._ivf_block()
    return None


def _unpickle(data):
    return wrap(deserialize(data, "IndexDeserialize", "pickle"), Index, "pickle")
