"""Indexes of additive-quantizer codes: flat (IndexResidualQuantizer), in
inverted lists (IndexIVFResidualQuantizer), and the residual quantizer as
an IVF coarse quantizer of 2^tot_bits centroids (ResidualCoarseQuantizer)."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from .additive_quantizers import (
    AdditiveQuantizer, LocalSearchQuantizer, ProductLocalSearchQuantizer, ProductResidualQuantizer, ResidualQuantizer,
    nbits_list,
)
from .distance_computer import IndexFlatCodes
from .errors import UnsupportedOperationError
from .index import Index
from .index_ivf import IndexIVF, _check_quantizer
from .metric import METRIC_L2, MetricType
from ._typing import Any, ArrayLike, MetricLike


def _metric_and_type(op, rest):
    metric = MetricType.parse(rest[0]) if rest else MetricType.parse(METRIC_L2)
    st = as_int(rest[1], op, "search_type") if len(rest) > 1 else AdditiveQuantizer.ST_decompress
    return metric, st


class _RQHolder:
    """``rq`` (also ``aq``): the index's residual quantizer; its ``cp`` and
    fields apply at train."""

    @property
    def rq(self) -> Any:
        if getattr(self, "_rq", None) is None:
            self._rq = ResidualQuantizer._of(self._h("rq"), self)
        return self._rq

    aq = rq

    def train(self, x: ArrayLike) -> None:
        self.rq._send_cp()
        super().train(x)


class IndexAdditiveQuantizer(IndexFlatCodes, Index):
    """Additive codes searched exhaustively (faiss: ``IndexAdditiveQuantizer``).

    faiss's IndexAdditiveQuantizer: additive codes searched
    exhaustively, by look-up tables (or by decoding, ST_decompress).
    """

    @property
    def code_size(self) -> int:
        """Bytes per code."""
        return self.aq.code_size

    def sa_code_size(self) -> int:
        return self.code_size


class IndexResidualQuantizer(_RQHolder, IndexAdditiveQuantizer):
    """Residual-quantizer codes searched exhaustively (faiss: ``IndexResidualQuantizer``).

    ``IndexResidualQuantizer(d, M, nbits, metric=METRIC_L2,
    search_type=ST_decompress)`` or ``(d, nbits_list, metric, search_type)``.
    Each codebook codes what the ones before it left (beam search of
    ``rq.max_beam_size`` candidates at train and encode). Memory per vector:
    sum(nbits) / 8 bytes and the norm the search type stores.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    *args
        ``M, nbits`` (M codebooks of 2^nbits entries each) or ``nbits_list``
        (one entry per codebook), then ``metric`` and ``search_type``:
        metric : int or str
            ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).
        search_type : int
            How codes are compared with the query: ``AdditiveQuantizer.ST_decompress``
            (default: decode, then compare), ``ST_LUT_nonorm`` (look-up tables, no
            norm; inner product), or a stored norm for L2 look-up tables:
            ``ST_norm_float`` (4 bytes), ``ST_norm_qint8`` / ``ST_norm_cqint8`` (1),
            ``ST_norm_qint4`` / ``ST_norm_cqint4`` (half a byte), ``ST_norm_rq2x4``
            / ``ST_norm_lsq2x4`` (1).

    Raises
    ------
    InputTypeError
        A parameter is not an integer, or quantizer is not an Index.
    InvalidArgumentError
        d below 1, nbits out of 1..16, an unknown search type or metric.
    """

    _go_type = "IndexResidualQuantizer"

    def __init__(self, d: int, *args: Any) -> None:
        op = "IndexResidualQuantizer"
        nbits, rest = nbits_list(op, args)
        metric, st = _metric_and_type(op, rest)
        nb = np.asarray(nbits, dtype=np.int64)
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexResidualQuantizerNew", as_int(d, op, "d"), addr(nb), len(nbits), int(metric), st, addr(out))
        super().__init__(int(out[0]))


def _holder(name, cls, doc):
    """A mixin giving an index's quantizer as ``name`` and ``aq``."""

    def get(self):
        q = self.__dict__.get("_" + name)
        if q is None:
            q = self.__dict__["_" + name] = cls._of(self._h(name), self)
            if cls is not ResidualQuantizer:
                q.cp = None
        return q

    prop = property(get, doc=doc)
    return type("_" + name.upper() + "Holder", (), {name: prop, "aq": prop})


_PRQHolder = _holder("prq", ProductResidualQuantizer, "the index's product residual quantizer")
_LSQHolder = _holder("lsq", LocalSearchQuantizer, "the index's local search quantizer")
_PLSQHolder = _holder("plsq", ProductLocalSearchQuantizer, "the index's product local search quantizer")


class IndexProductResidualQuantizer(_PRQHolder, IndexAdditiveQuantizer):
    """Product of RQ quantizers searched exhaustively (faiss: ``IndexProductResidualQuantizer``).

    The d dimensions are split into nsplits equal slices, each coded by its
    own RQ quantizer of Msub codebooks. Memory per vector: nsplits * Msub *
    nbits / 8 bytes and the norm the search type stores.

    Parameters
    ----------
    d : int
        Dimension of the vectors (a multiple of nsplits).
    nsplits : int
        Number of slices.
    Msub : int
        Codebooks per slice.
    nbits : int
        Bits per codebook entry index.
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).
    search_type : int
        How codes are compared with the query: ``AdditiveQuantizer.ST_decompress``
        (default: decode, then compare), ``ST_LUT_nonorm`` (look-up tables, no
        norm; inner product), or a stored norm for L2 look-up tables:
        ``ST_norm_float`` (4 bytes), ``ST_norm_qint8`` / ``ST_norm_cqint8`` (1),
        ``ST_norm_qint4`` / ``ST_norm_cqint4`` (half a byte), ``ST_norm_rq2x4``
        / ``ST_norm_lsq2x4`` (1).

    Raises
    ------
    InputTypeError
        A parameter is not an integer, or quantizer is not an Index.
    InvalidArgumentError
        nsplits does not divide d, nbits out of 1..16, an unknown search type or metric.
    """

    _go_type = "IndexProductResidualQuantizer"

    def __init__(self, d: int, nsplits: int, Msub: int, nbits: int, metric: MetricLike = METRIC_L2,
                 search_type: Any = AdditiveQuantizer.ST_decompress) -> None:
        op = "IndexProductResidualQuantizer"
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexProductResidualQuantizerNew", as_int(d, op, "d"), as_int(nsplits, op, "nsplits"),
                     as_int(Msub, op, "Msub"), as_int(nbits, op, "nbits"), int(MetricType.parse(metric)),
                     as_int(search_type, op, "search_type"), addr(out))
        super().__init__(int(out[0]))


class IndexLocalSearchQuantizer(_LSQHolder, IndexAdditiveQuantizer):
    """Local-search-quantizer (LSQ) codes searched exhaustively (faiss: ``IndexLocalSearchQuantizer``).

    LSQ learns M codebooks jointly and encodes by iterated conditional
    modes (``lsq.encode_ils_iters``), slower to train and encode than RQ at
    similar accuracy. Memory per vector: M * nbits / 8 bytes and the norm
    the search type stores.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    M : int
        Number of codebooks.
    nbits : int
        Bits per codebook entry index.
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).
    search_type : int
        How codes are compared with the query: ``AdditiveQuantizer.ST_decompress``
        (default: decode, then compare), ``ST_LUT_nonorm`` (look-up tables, no
        norm; inner product), or a stored norm for L2 look-up tables:
        ``ST_norm_float`` (4 bytes), ``ST_norm_qint8`` / ``ST_norm_cqint8`` (1),
        ``ST_norm_qint4`` / ``ST_norm_cqint4`` (half a byte), ``ST_norm_rq2x4``
        / ``ST_norm_lsq2x4`` (1).

    Raises
    ------
    InputTypeError
        A parameter is not an integer, or quantizer is not an Index.
    InvalidArgumentError
        d or M below 1, nbits out of 1..16, an unknown search type or metric.
    """

    _go_type = "IndexLocalSearchQuantizer"

    def __init__(self, d: int, M: int, nbits: int, metric: MetricLike = METRIC_L2,
                 search_type: Any = AdditiveQuantizer.ST_decompress) -> None:
        op = "IndexLocalSearchQuantizer"
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexLocalSearchQuantizerNew", as_int(d, op, "d"), as_int(M, op, "M"), as_int(nbits, op, "nbits"),
                     int(MetricType.parse(metric)), as_int(search_type, op, "search_type"), addr(out))
        super().__init__(int(out[0]))


class IndexProductLocalSearchQuantizer(_PLSQHolder, IndexAdditiveQuantizer):
    """Product of LSQ quantizers searched exhaustively (faiss: ``IndexProductLocalSearchQuantizer``).

    The d dimensions are split into nsplits equal slices, each coded by its
    own LSQ quantizer of Msub codebooks. Memory per vector: nsplits * Msub *
    nbits / 8 bytes and the norm the search type stores.

    Parameters
    ----------
    d : int
        Dimension of the vectors (a multiple of nsplits).
    nsplits : int
        Number of slices.
    Msub : int
        Codebooks per slice.
    nbits : int
        Bits per codebook entry index.
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).
    search_type : int
        How codes are compared with the query: ``AdditiveQuantizer.ST_decompress``
        (default: decode, then compare), ``ST_LUT_nonorm`` (look-up tables, no
        norm; inner product), or a stored norm for L2 look-up tables:
        ``ST_norm_float`` (4 bytes), ``ST_norm_qint8`` / ``ST_norm_cqint8`` (1),
        ``ST_norm_qint4`` / ``ST_norm_cqint4`` (half a byte), ``ST_norm_rq2x4``
        / ``ST_norm_lsq2x4`` (1).

    Raises
    ------
    InputTypeError
        A parameter is not an integer, or quantizer is not an Index.
    InvalidArgumentError
        nsplits does not divide d, nbits out of 1..16, an unknown search type or metric.
    """

    _go_type = "IndexProductLocalSearchQuantizer"

    def __init__(self, d: int, nsplits: int, Msub: int, nbits: int, metric: MetricLike = METRIC_L2,
                 search_type: Any = AdditiveQuantizer.ST_decompress) -> None:
        op = "IndexProductLocalSearchQuantizer"
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexProductLocalSearchQuantizerNew", as_int(d, op, "d"), as_int(nsplits, op, "nsplits"),
                     as_int(Msub, op, "Msub"), as_int(nbits, op, "nbits"), int(MetricType.parse(metric)),
                     as_int(search_type, op, "search_type"), addr(out))
        super().__init__(int(out[0]))


class IndexIVFAdditiveQuantizer(IndexIVF):
    """Additive codes of residuals in inverted lists (faiss: ``IndexIVFAdditiveQuantizer``).

    faiss's IndexIVFAdditiveQuantizer: additive codes of the residuals
    x - centroid (``by_residual``) in inverted lists.
    """

    @property
    def code_size(self) -> int:
        return self.aq.code_size


class IndexIVFResidualQuantizer(_RQHolder, IndexIVFAdditiveQuantizer):
    """Residual-quantizer codes of the residuals in inverted lists (faiss: ``IndexIVFResidualQuantizer``).

    ``IndexIVFResidualQuantizer(quantizer, d, nlist, M, nbits,
    metric=METRIC_L2, search_type=ST_decompress)`` or ``(quantizer, d, nlist,
    nbits_list, metric, search_type)``. Codes x - centroid (``by_residual``).
    Memory per vector: sum(nbits) / 8 bytes, the stored norm and an 8-byte
    id.

    Parameters
    ----------
    quantizer : Index
        The coarse quantizer, of dimension d (normally of the same metric).
    d : int
        Dimension of the vectors.
    nlist : int
        Number of lists.
    *args
        ``M, nbits`` (M codebooks of 2^nbits entries each) or ``nbits_list``
        (one entry per codebook), then ``metric`` and ``search_type``:
        metric : int or str
            ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).
        search_type : int
            How codes are compared with the query: ``AdditiveQuantizer.ST_decompress``
            (default: decode, then compare), ``ST_LUT_nonorm`` (look-up tables, no
            norm; inner product), or a stored norm for L2 look-up tables:
            ``ST_norm_float`` (4 bytes), ``ST_norm_qint8`` / ``ST_norm_cqint8`` (1),
            ``ST_norm_qint4`` / ``ST_norm_cqint4`` (half a byte), ``ST_norm_rq2x4``
            / ``ST_norm_lsq2x4`` (1).

    Raises
    ------
    InputTypeError
        A parameter is not an integer, or quantizer is not an Index.
    InvalidArgumentError
        nlist below 1, nbits out of 1..16, an unknown search type.
    DimensionMismatchError
        The quantizer's dimension is not d.
    """

    _go_type = "IndexIVFResidualQuantizer"

    def __init__(self, quantizer: Index, d: int, nlist: int, *args: Any) -> None:
        op = "IndexIVFResidualQuantizer"
        nbits, rest = nbits_list(op, args)
        metric, st = _metric_and_type(op, rest)
        _check_quantizer(op, quantizer, metric)
        nb = np.asarray(nbits, dtype=np.int64)
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexIVFResidualQuantizerNew", quantizer._h(op), as_int(d, op, "d"), as_int(nlist, op, "nlist"),
                     addr(nb), len(nbits), int(metric), st, addr(out))
        self._init_ivf(int(out[0]), quantizer, metric)


class IndexIVFProductResidualQuantizer(_PRQHolder, IndexIVFAdditiveQuantizer):
    """Product-RQ codes of the residuals in inverted lists (faiss: ``IndexIVFProductResidualQuantizer``).

    Codes x - centroid (``by_residual``): nsplits slices, each by its own
    RQ quantizer of Msub codebooks. Memory per vector: nsplits * Msub *
    nbits / 8 bytes, the stored norm and an 8-byte id.

    Parameters
    ----------
    quantizer : Index
        The coarse quantizer, of dimension d (normally of the same metric).
    d : int
        Dimension of the vectors (a multiple of nsplits).
    nlist : int
        Number of lists.
    nsplits : int
        Number of slices.
    Msub : int
        Codebooks per slice.
    nbits : int
        Bits per codebook entry index.
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).
    search_type : int
        How codes are compared with the query: ``AdditiveQuantizer.ST_decompress``
        (default: decode, then compare), ``ST_LUT_nonorm`` (look-up tables, no
        norm; inner product), or a stored norm for L2 look-up tables:
        ``ST_norm_float`` (4 bytes), ``ST_norm_qint8`` / ``ST_norm_cqint8`` (1),
        ``ST_norm_qint4`` / ``ST_norm_cqint4`` (half a byte), ``ST_norm_rq2x4``
        / ``ST_norm_lsq2x4`` (1).

    Raises
    ------
    InputTypeError
        A parameter is not an integer, or quantizer is not an Index.
    InvalidArgumentError
        nsplits does not divide d, nbits out of 1..16, an unknown search type.
    DimensionMismatchError
        The quantizer's dimension is not d.
    """

    _go_type = "IndexIVFProductResidualQuantizer"

    def __init__(self, quantizer: Index, d: int, nlist: int, nsplits: int, Msub: int, nbits: int,
                 metric: MetricLike = METRIC_L2, search_type: Any = AdditiveQuantizer.ST_decompress) -> None:
        op = "IndexIVFProductResidualQuantizer"
        metric = MetricType.parse(metric)
        _check_quantizer(op, quantizer, metric)
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexIVFProductResidualQuantizerNew", quantizer._h(op), as_int(d, op, "d"),
                     as_int(nlist, op, "nlist"), as_int(nsplits, op, "nsplits"), as_int(Msub, op, "Msub"),
                     as_int(nbits, op, "nbits"), int(metric), as_int(search_type, op, "search_type"), addr(out))
        self._init_ivf(int(out[0]), quantizer, metric)


class IndexIVFLocalSearchQuantizer(_LSQHolder, IndexIVFAdditiveQuantizer):
    """LSQ codes of the residuals in inverted lists (faiss: ``IndexIVFLocalSearchQuantizer``).

    Codes x - centroid (``by_residual``) with a local-search quantizer.
    Memory per vector: M * nbits / 8 bytes, the stored norm and an 8-byte id.

    Parameters
    ----------
    quantizer : Index
        The coarse quantizer, of dimension d (normally of the same metric).
    d : int
        Dimension of the vectors.
    nlist : int
        Number of lists.
    M : int
        Number of codebooks.
    nbits : int
        Bits per codebook entry index.
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).
    search_type : int
        How codes are compared with the query: ``AdditiveQuantizer.ST_decompress``
        (default: decode, then compare), ``ST_LUT_nonorm`` (look-up tables, no
        norm; inner product), or a stored norm for L2 look-up tables:
        ``ST_norm_float`` (4 bytes), ``ST_norm_qint8`` / ``ST_norm_cqint8`` (1),
        ``ST_norm_qint4`` / ``ST_norm_cqint4`` (half a byte), ``ST_norm_rq2x4``
        / ``ST_norm_lsq2x4`` (1).

    Raises
    ------
    InputTypeError
        A parameter is not an integer, or quantizer is not an Index.
    InvalidArgumentError
        nlist or M below 1, nbits out of 1..16, an unknown search type.
    DimensionMismatchError
        The quantizer's dimension is not d.
    """

    _go_type = "IndexIVFLocalSearchQuantizer"

    def __init__(self, quantizer: Index, d: int, nlist: int, M: int, nbits: int, metric: MetricLike = METRIC_L2,
                 search_type: Any = AdditiveQuantizer.ST_decompress) -> None:
        op = "IndexIVFLocalSearchQuantizer"
        metric = MetricType.parse(metric)
        _check_quantizer(op, quantizer, metric)
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexIVFLocalSearchQuantizerNew", quantizer._h(op), as_int(d, op, "d"), as_int(nlist, op, "nlist"),
                     as_int(M, op, "M"), as_int(nbits, op, "nbits"), int(metric), as_int(search_type, op, "search_type"),
                     addr(out))
        self._init_ivf(int(out[0]), quantizer, metric)


class IndexIVFProductLocalSearchQuantizer(_PLSQHolder, IndexIVFAdditiveQuantizer):
    """Product-LSQ codes of the residuals in inverted lists (faiss: ``IndexIVFProductLocalSearchQuantizer``).

    Codes x - centroid (``by_residual``): nsplits slices, each by its own
    LSQ quantizer of Msub codebooks. Memory per vector: nsplits * Msub *
    nbits / 8 bytes, the stored norm and an 8-byte id.

    Parameters
    ----------
    quantizer : Index
        The coarse quantizer, of dimension d (normally of the same metric).
    d : int
        Dimension of the vectors (a multiple of nsplits).
    nlist : int
        Number of lists.
    nsplits : int
        Number of slices.
    Msub : int
        Codebooks per slice.
    nbits : int
        Bits per codebook entry index.
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).
    search_type : int
        How codes are compared with the query: ``AdditiveQuantizer.ST_decompress``
        (default: decode, then compare), ``ST_LUT_nonorm`` (look-up tables, no
        norm; inner product), or a stored norm for L2 look-up tables:
        ``ST_norm_float`` (4 bytes), ``ST_norm_qint8`` / ``ST_norm_cqint8`` (1),
        ``ST_norm_qint4`` / ``ST_norm_cqint4`` (half a byte), ``ST_norm_rq2x4``
        / ``ST_norm_lsq2x4`` (1).

    Raises
    ------
    InputTypeError
        A parameter is not an integer, or quantizer is not an Index.
    InvalidArgumentError
        nsplits does not divide d, nbits out of 1..16, an unknown search type.
    DimensionMismatchError
        The quantizer's dimension is not d.
    """

    _go_type = "IndexIVFProductLocalSearchQuantizer"

    def __init__(self, quantizer: Index, d: int, nlist: int, nsplits: int, Msub: int, nbits: int,
                 metric: MetricLike = METRIC_L2, search_type: Any = AdditiveQuantizer.ST_decompress) -> None:
        op = "IndexIVFProductLocalSearchQuantizer"
        metric = MetricType.parse(metric)
        _check_quantizer(op, quantizer, metric)
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexIVFProductLocalSearchQuantizerNew", quantizer._h(op), as_int(d, op, "d"),
                     as_int(nlist, op, "nlist"), as_int(nsplits, op, "nsplits"), as_int(Msub, op, "Msub"),
                     as_int(nbits, op, "nbits"), int(metric), as_int(search_type, op, "search_type"), addr(out))
        self._init_ivf(int(out[0]), quantizer, metric)


class AdditiveCoarseQuantizer(Index):
    """An additive quantizer as a coarse quantizer (faiss: ``AdditiveCoarseQuantizer``).

    faiss's AdditiveCoarseQuantizer: the 2^tot_bits sums of one entry
    per codebook are the centroids; ``add`` and ``reset`` do not apply.
    """

    def add(self, x: ArrayLike) -> None:
        raise UnsupportedOperationError(f"{type(self).__name__}.add: not applicable: the centroids are the "
                                        "sums of codebook entries")

    def reset(self) -> None:
        raise UnsupportedOperationError(f"{type(self).__name__}.reset: not applicable")


class ResidualCoarseQuantizer(_RQHolder, AdditiveCoarseQuantizer):
    """A residual quantizer used as an IVF coarse quantizer (faiss: ``ResidualCoarseQuantizer``).

    ``ResidualCoarseQuantizer(d, M, nbits, metric=METRIC_L2)`` or ``(d,
    nbits_list, metric)``; faiss's factory ``IVF{2^bits}(RCQ{M}x{nbits}),...``.
    The 2^(M * nbits) centroids are the sums of one entry per codebook, never
    stored. Searches are beam searches of ``beam_factor`` * k entries (4;
    ``set_beam_factor(-1)`` searches all centroids exhaustively).

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    *args
        ``M, nbits`` or ``nbits_list``, then ``metric``:
        metric : int or str
            ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).

    Raises
    ------
    InputTypeError
        A parameter is not an integer, or quantizer is not an Index.
    InvalidArgumentError
        d below 1, nbits out of 1..16, or an unknown metric.
    """

    _go_type = "ResidualCoarseQuantizer"

    def __init__(self, d: int, *args: Any) -> None:
        op = "ResidualCoarseQuantizer"
        nbits, rest = nbits_list(op, args)
        metric = MetricType.parse(rest[0]) if rest else MetricType.parse(METRIC_L2)
        nb = np.asarray(nbits, dtype=np.int64)
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("ResidualCoarseQuantizerNew", as_int(d, op, "d"), addr(nb), len(nbits), int(metric), addr(out))
        super().__init__(int(out[0]))

    def _beam(self, value=None):
        out = np.zeros(1, dtype=np.float32)
        _bridge.call("RCQBeamFactor", self._h("beam_factor"), value is not None,
                     0.0 if value is None else float(value), addr(out))
        return float(out[0])

    @property
    def beam_factor(self) -> Any:
        """Beam width of the search, as a factor of k (negative: exhaustive search)."""
        return self._beam()

    @beam_factor.setter
    def beam_factor(self, value: Any) -> None:
        self._beam(value)

    def set_beam_factor(self, new_beam_factor: Any) -> None:
        """>= 1: beam search of beam_factor * k entries; < 0: exhaustive."""
        self._beam(new_beam_factor)


class LocalSearchCoarseQuantizer(_LSQHolder, AdditiveCoarseQuantizer):
    """An LSQ used as an IVF coarse quantizer (faiss: ``LocalSearchCoarseQuantizer``).

    Its 2^(M * nbits) centroids (sums of one entry per codebook) are searched
    exhaustively; ``add`` and ``reset`` do not apply.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    M : int
        Number of codebooks.
    nbits : int
        Bits per codebook entry index.
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).

    Raises
    ------
    InputTypeError
        A parameter is not an integer.
    InvalidArgumentError
        d or M below 1, or nbits out of 1..16.
    """

    _go_type = "LocalSearchCoarseQuantizer"

    def __init__(self, d: int, M: int, nbits: int, metric: MetricLike = METRIC_L2) -> None:
        op = "LocalSearchCoarseQuantizer"
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("LocalSearchCoarseQuantizerNew", as_int(d, op, "d"), as_int(M, op, "M"), as_int(nbits, op, "nbits"),
                     int(MetricType.parse(metric)), addr(out))
        super().__init__(int(out[0]))
