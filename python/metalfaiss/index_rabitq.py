"""RaBitQ (faiss 1.11+): vectors coded by the signs of their residual to a
centroid, one bit per dimension, plus optional magnitude bits, searched by
popcounts and an error-bounded refinement."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int, as_matrix
from .distance_computer import IndexFlatCodes
from .errors import InvalidArgumentError, UnsupportedOperationError
from .index import Index
from .index_fastscan import IndexFastScan, _bind
from .index_ivf import IndexIVF, _check_quantizer
from .index_ivf_fastscan import IVFFastScanFields
from .metric import METRIC_L2, MetricType
from .quantizers import _Codec
from ._typing import Any, ArrayLike, Float32Array, MetricLike, UInt8Array


def _settings(handle, qb=None, centered=None):
    """d, nb_bits, code_size, metric, qb, centered, len(center) of the RaBitQ
    object behind handle, after setting qb / centered when given."""
    out = np.zeros(7, dtype=np.int64)
    if qb is None and centered is None:
        _bridge.call("RaBitQSettings", handle, 0, 0, 0, addr(out))
    else:
        cur = _settings(handle)
        _bridge.call("RaBitQSettings", handle, 1, int(cur[4]) if qb is None else qb,
                     -1 if centered is None else int(bool(centered)), addr(out))
    return out


class RaBitQuantizer(_Codec):
    """faiss's RaBitQ codec (faiss: ``RaBitQuantizer``).

    Codes are relative to ``centroid`` (None: the origin); the random
    rotation the method assumes is the caller's (an IndexPreTransform with a
    RandomRotationMatrix). An index's ``rabitq`` is a view of its quantizer,
    which codes relative to the origin as faiss's does (the index passes its
    center itself). ``compute_codes(x)`` and ``decode(codes)`` convert (n, d)
    float32 to (n, code_size) uint8 and back.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).
    nb_bits : int
        Bits per dimension, 1 (default) to 9.

    Raises
    ------
    InvalidArgumentError
        d below 1, nb_bits out of 1..9, or another metric.
    """

    def __init__(self, d: int, metric: MetricLike = METRIC_L2, nb_bits: int = 1) -> None:
        op = "RaBitQuantizer"
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("RaBitQuantizerNew", as_int(d, op, "d"), int(MetricType.parse(metric)),
                     as_int(nb_bits, op, "nb_bits"), addr(out))
        self._bind(int(out[0]), None)

    @classmethod
    def _of(cls, handle, owner):
        q = cls.__new__(cls)
        q._bind(handle, owner)
        return q

    d = property(lambda self: int(_settings(self._handle)[0]), doc="Dimension of the vectors.")
    nb_bits = property(lambda self: int(_settings(self._handle)[1]),
                       doc="Bits per dimension (1: sign bits; more: the extended codes).")
    code_size = property(lambda self: int(_settings(self._handle)[2]),
                         doc="Bytes per code (bits and the correction factors).")
    metric_type = property(lambda self: int(_settings(self._handle)[3]),
                           doc="faiss's metric number (METRIC_L2 or METRIC_INNER_PRODUCT).")
    is_trained = property(lambda self: True, doc="Whether the centroid is set.")

    @staticmethod
    def compute_code_size(d: int, nb_bits: int) -> int:
        """The bytes of one code of d dimensions and nb_bits bits."""
        op = "RaBitQuantizer.compute_code_size"
        d, nb_bits = as_int(d, op, "d"), as_int(nb_bits, op, "nb_bits")
        if not 1 <= nb_bits <= 9:
            raise InvalidArgumentError(f"{op}: nb_bits must be 1..9, got {nb_bits}")
        size = (d + 7) // 8 + (8 if nb_bits == 1 else 12)
        return size if nb_bits == 1 else size + (d * (nb_bits - 1) + 7) // 8 + 8

    @property
    def centroid(self) -> Any:
        """The centre codes are taken about (d floats; empty: the origin)."""
        if self._owner is not None:
            return None  # faiss's index quantizers hold no centroid
        n = int(_settings(self._handle)[6])
        if n == 0:
            return None
        out = np.zeros(n, dtype=np.float32)
        _bridge.call("RaBitQCenter", self._handle, False, n, addr(out))
        return out

    @centroid.setter
    def centroid(self, value: Any) -> None:
        if value is None:
            _bridge.call("RaBitQCenter", self._handle, True, 0, 0)
            return
        c = np.ascontiguousarray(value, dtype=np.float32).reshape(-1)
        _bridge.call("RaBitQCenter", self._handle, True, c.shape[0], addr(c))

    def train(self, x: ArrayLike) -> None:
        """Nothing to learn (as in faiss)."""

    def compute_codes(self, x: ArrayLike) -> UInt8Array:
        op = self._op("compute_codes")
        x = as_matrix(x, op, self.d)
        codes = np.zeros((x.shape[0], self.code_size), dtype=np.uint8)
        _bridge.call("RaBitQuantizerCodes", self._handle, False, x.shape[0], addr(x), addr(codes))
        return codes

    def decode(self, codes: ArrayLike) -> Float32Array:
        codes = self._codes_in(codes, self._op("decode"))
        x = np.zeros((codes.shape[0], self.d), dtype=np.float32)
        _bridge.call("RaBitQuantizerCodes", self._handle, True, codes.shape[0], addr(x), addr(codes))
        return x


class _RaBitQFields:
    """``rabitq`` (a view of the quantizer) and ``qb`` of the RaBitQ
    indexes."""

    @property
    def rabitq(self) -> Any:
        return RaBitQuantizer._of(self._h("rabitq"), self)

    @property
    def qb(self) -> int:
        return int(_settings(self._h("qb"))[4])

    @qb.setter
    def qb(self, value: Any) -> None:
        _settings(self._h("qb"), qb=as_int(value, self._op("qb"), "qb"))

    @property
    def code_size(self) -> int:
        return int(_settings(self._h("code_size"))[2])


class _Centered:
    """``centered``: faiss's centred query quantizer."""

    @property
    def centered(self) -> bool:
        return bool(_settings(self._h("centered"))[5])

    @centered.setter
    def centered(self, value: Any) -> None:
        _settings(self._h("centered"), centered=bool(value))


class _Center(_Centered):
    """``center``, the mean the flat indexes code relative to."""

    @property
    def center(self) -> Float32Array:
        n = int(_settings(self._h("center"))[6])
        out = np.zeros(n, dtype=np.float32)
        if n:
            _bridge.call("RaBitQCenter", self._h("center"), False, n, addr(out))
        return out


class IndexRaBitQ(_RaBitQFields, _Center, IndexFlatCodes, Index):
    """RaBitQ codes searched exhaustively (faiss: ``IndexRaBitQ``).

    Codes of the vectors relative to their mean (``center``, set by
    ``train``): one sign bit per dimension (nb_bits - 1 more bits refine
    it) and a few float factors. ``qb`` is the bits of the query's
    quantization (4; 0: the float query) and ``centered`` faiss's centred
    query quantizer; both can be given per call in RaBitQSearchParameters.
    With nb_bits > 1 a search refines the codes whose one-bit estimate may
    still enter the results, as faiss does. Memory per vector: d * nb_bits
    / 8 bytes and 8 bytes of float factors (20 with nb_bits > 1).

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).
    nb_bits : int
        Bits per dimension, 1 (default) to 9.

    Raises
    ------
    InputTypeError
        d or nb_bits is not an integer.
    InvalidArgumentError
        d below 1, nb_bits out of 1..9, or another metric.
    """

    _go_type = "IndexRaBitQ"

    def __init__(self, d: int, metric: MetricLike = METRIC_L2, nb_bits: int = 1) -> None:
        op = "IndexRaBitQ"
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexRaBitQNew", as_int(d, op, "d"), int(MetricType.parse(metric)),
                     as_int(nb_bits, op, "nb_bits"), addr(out))
        super().__init__(int(out[0]))


class IndexIVFRaBitQ(_RaBitQFields, IndexIVF):
    """RaBitQ codes of the vectors relative to their list's centroid (faiss: ``IndexIVFRaBitQ``).

    ``qb`` as for IndexRaBitQ; IVFRaBitQSearchParameters give qb and
    ``centered`` per call. Memory per vector: d * nb_bits / 8 bytes, 8 (or 20)
    bytes of factors and an 8-byte id.

    Parameters
    ----------
    quantizer : Index
        The coarse quantizer, of dimension d.
    d : int
        Dimension of the vectors.
    nlist : int
        Number of lists.
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).
    own_invlists : bool
        Accepted for faiss's signature; the index always owns its lists.
    nb_bits : int
        Bits per dimension, 1 (default) to 9.

    Raises
    ------
    InputTypeError
        A parameter is not an integer, or quantizer is not an Index.
    InvalidArgumentError
        nlist below 1, nb_bits out of 1..9, or another metric.
    DimensionMismatchError
        The quantizer's dimension is not d.
    """

    _go_type = "IndexIVFRaBitQ"

    def __init__(self, quantizer: Index, d: int, nlist: int, metric: MetricLike = METRIC_L2, own_invlists: Any = True,
                 nb_bits: int = 1) -> None:
        op = "IndexIVFRaBitQ"
        metric = MetricType.parse(metric)
        _check_quantizer(op, quantizer, metric)
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexIVFRaBitQNew", quantizer._h(op), as_int(d, op, "d"), as_int(nlist, op, "nlist"), int(metric),
                     as_int(nb_bits, op, "nb_bits"), addr(out))
        self._init_ivf(int(out[0]), quantizer, metric)


class IndexRaBitQFastScan(_RaBitQFields, _Center, IndexFastScan, IndexFlatCodes, Index):
    """IndexRaBitQ searched by the fast-scan kernels (faiss: ``IndexRaBitQFastScan``).

    ``IndexRaBitQFastScan(d, metric=METRIC_L2, bbs=32, nb_bits=1)`` or
    ``IndexRaBitQFastScan(index_rabitq, bbs=32)`` (a copy). The sign bits of
    four dimensions make one 4-bit code. ``qb`` (8 by default) and
    ``centered`` set the query quantization; as in faiss, searches take no
    parameters. ``codes`` are faiss's blocks: packed sign bits, then each
    vector's factors.

    Parameters
    ----------
    *args, **kwargs
        Either ``d``, ``metric`` (``METRIC_L2`` or ``METRIC_INNER_PRODUCT``),
        ``bbs`` (vectors per block, a multiple of 32) and ``nb_bits`` (1 to
        9); or an ``IndexRaBitQ`` to copy and ``bbs``.

    Raises
    ------
    InputTypeError
        A parameter is not an integer.
    InvalidArgumentError
        d below 1, bbs not a positive multiple of 32, or nb_bits out of
        1..9.
    """

    _go_type = "IndexRaBitQFastScan"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        op = "IndexRaBitQFastScan"
        out = np.zeros(1, dtype=np.int64)
        if args and isinstance(args[0], IndexRaBitQ):
            src, rest = args[0], _bind(("bbs",), args[1:], kwargs, {"bbs": 32}, op)
            _bridge.call("IndexRaBitQFastScanFrom", src._h(op), as_int(rest["bbs"], op, "bbs"), addr(out))
        else:
            a = _bind(("d", "metric", "bbs", "nb_bits"), args, kwargs, {"metric": METRIC_L2, "bbs": 32, "nb_bits": 1}, op)
            _bridge.call("IndexRaBitQFastScanNew", as_int(a["d"], op, "d"), int(MetricType.parse(a["metric"])),
                         as_int(a["bbs"], op, "bbs"), as_int(a["nb_bits"], op, "nb_bits"), addr(out))
        super().__init__(int(out[0]))

    @property
    def ntotal2(self) -> int:
        """ntotal rounded up to a whole block (bbs)."""
        return (self.ntotal + self.bbs - 1) // self.bbs * self.bbs

    def get_CodePacker(self) -> None:
        """The CodePacker of the packed blocks (faiss: get_CodePacker)."""
        raise UnsupportedOperationError("IndexRaBitQFastScan.get_CodePacker: faiss's CodePackerRaBitQ is not "
                                        "provided; sa_encode / sa_decode give the standard codes")


class IndexIVFRaBitQFastScan(IVFFastScanFields, _RaBitQFields, _Centered, IndexIVF):
    """IndexIVFRaBitQ searched by the fast-scan kernels (faiss: ``IndexIVFRaBitQFastScan``).

    ``IndexIVFRaBitQFastScan(quantizer, d, nlist, metric=METRIC_L2,
    bbs=32, own_invlists=True, nb_bits=1)`` or
    ``IndexIVFRaBitQFastScan(index_ivf_rabitq, bbs=32)`` (a copy sharing its
    quantizer). ``qb`` (8) and ``centered`` set the query quantization.

    Parameters
    ----------
    *args, **kwargs
        Either ``quantizer`` (the coarse Index, of dimension d), ``d``,
        ``nlist``, ``metric``, ``bbs`` (a multiple of 32), ``own_invlists``
        (accepted) and ``nb_bits`` (1 to 9); or an ``IndexIVFRaBitQ`` to copy
        and ``bbs``.

    Raises
    ------
    InputTypeError
        A parameter is not an integer, or quantizer is not an Index.
    InvalidArgumentError
        nlist below 1, bbs not a positive multiple of 32, or nb_bits out
        of 1..9.
    """

    _go_type = "IndexIVFRaBitQFastScan"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        op = "IndexIVFRaBitQFastScan"
        out = np.zeros(1, dtype=np.int64)
        if args and isinstance(args[0], IndexIVFRaBitQ):
            src, rest = args[0], _bind(("bbs",), args[1:], kwargs, {"bbs": 32}, op)
            _bridge.call("IndexIVFRaBitQFastScanFrom", src._h(op), as_int(rest["bbs"], op, "bbs"), addr(out))
            self._init_ivf(int(out[0]), src.quantizer, src.metric_type)
            return
        a = _bind(("quantizer", "d", "nlist", "metric", "bbs", "own_invlists", "nb_bits"), args, kwargs,
                  {"metric": METRIC_L2, "bbs": 32, "own_invlists": True, "nb_bits": 1}, op)
        metric = MetricType.parse(a["metric"])
        _check_quantizer(op, a["quantizer"], metric)
        _bridge.call("IndexIVFRaBitQFastScanNew", a["quantizer"]._h(op), as_int(a["d"], op, "d"),
                     as_int(a["nlist"], op, "nlist"), int(metric), as_int(a["bbs"], op, "bbs"),
                     as_int(a["nb_bits"], op, "nb_bits"), addr(out))
        self._init_ivf(int(out[0]), a["quantizer"], metric)

    M = property(lambda self: (self.d + 3) // 4, doc="Four-bit groups of the 1-bit codes (d / 4).")

    def _block_size(self):
        return self.bbs * self.M2 // 2 + self.bbs * (self.code_size - (self.d + 7) // 8)

    def get_CodePacker(self) -> None:
        """The CodePacker of the lists' blocks (faiss: get_CodePacker)."""
        raise UnsupportedOperationError("IndexIVFRaBitQFastScan.get_CodePacker: faiss's CodePackerRaBitQ is not "
                                        "provided; invlists.get_single_code gives the standard codes")

    def lookup_table_is_3d(self) -> bool:
        """Whether search tables are per (query, list) (faiss's lookup_table_is_3d)."""
        return True


def _round_half_up(x, limit, op):
    """faiss's fast float32 rounding of a non-negative value: (int)(x + 0.5f)."""
    v = np.float32(x)
    if not (0.0 <= v < limit + 0.5):
        raise InvalidArgumentError(f"{op}: x must be in [0, {limit + 0.5}), got {x}")
    return int(v + np.float32(0.5))


def round_nonnegative_to_uint8(x: float) -> int:
    """Round a value in [0, 255.5) half up in float32 (faiss: ``round_nonnegative_to_uint8``).

    As RaBitQ's look-up-table quantization does (within one of std::round).

    Parameters
    ----------
    x : float
        The value (finite).

    Returns
    -------
    int
        The rounded value.

    Raises
    ------
    InvalidArgumentError
        x is not finite or out of range.
    """
    return _round_half_up(x, 255, "round_nonnegative_to_uint8")


def round_nonnegative_to_uint16(x: float) -> int:
    """Round a value in [0, 65535.5) half up in float32 (faiss: ``round_nonnegative_to_uint16``).

    Parameters
    ----------
    x : float
        The value (finite).

    Returns
    -------
    int
        The rounded value.

    Raises
    ------
    InvalidArgumentError
        x is not finite or out of range.
    """
    return _round_half_up(x, 65535, "round_nonnegative_to_uint16")


def round_clamped_to_uint8(x: float, max_code: int) -> int:
    """Clamp to [0, max_code], round half up in float32 (faiss: ``round_clamped_to_uint8``).

    RaBitQ's query-byte quantization.

    Parameters
    ----------
    x : float
        The value.
    max_code : int
        The upper bound.

    Returns
    -------
    int
        The clamped, rounded value.

    Raises
    ------
    InvalidArgumentError
        x is NaN.
    """
    v = np.float32(x)
    if np.isnan(v):
        raise InvalidArgumentError("round_clamped_to_uint8: x is NaN")
    max_code = as_int(max_code, "round_clamped_to_uint8", "max_code")
    if v <= 0:
        return 0
    if v >= max_code:
        return max_code
    return int(v + np.float32(0.5))
