"""faiss's vector codecs: ProductQuantizer and ScalarQuantizer, standalone
or as the ``pq`` / ``sq`` of an index."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int, as_matrix
from .clustering_parameters import ClusteringParameters
from .errors import DimensionMismatchError, InputTypeError, InvalidArgumentError
from .vectors import field_vector
from ._typing import Any, ArrayLike, Float32Array, UInt8Array


class _Codec:
    """A codec behind a Go handle: its own, or the index's that holds it."""

    def _bind(self, handle, owner):
        self._handle = handle
        self._owner = owner  # the index whose codec this is (kept alive), or None

    def __del__(self) -> None:
        try:
            if getattr(self, "_owner", 1) is None and self._handle is not None and not _bridge._forked:
                _bridge.call("Free", self._handle)
        except Exception:
            pass

    def _op(self, name):
        return f"{type(self).__name__}.{name}"

    def _codes_in(self, codes, op):
        codes = np.ascontiguousarray(codes)
        if codes.dtype != np.uint8:
            raise InputTypeError(f"{op}: codes must be uint8, got {codes.dtype}")
        if codes.ndim != 2 or codes.shape[1] != self.code_size:
            raise DimensionMismatchError(f"{op}: codes must have shape (n, {self.code_size}), got {codes.shape}")
        return codes

    def compute_codes(self, x: ArrayLike) -> UInt8Array:
        """The (n, code_size) uint8 codes of x (n, d)."""
        op = self._op("compute_codes")
        x = as_matrix(x, op, self.d)
        codes = np.zeros((x.shape[0], self.code_size), dtype=np.uint8)
        _bridge.call(self._fn + "ComputeCodes", self._handle, x.shape[0], addr(x), addr(codes))
        return codes

    def decode(self, codes: ArrayLike) -> Float32Array:
        """The (n, d) float32 vectors that codes (n, code_size) stand for."""
        codes = self._codes_in(codes, self._op("decode"))
        x = np.zeros((codes.shape[0], self.d), dtype=np.float32)
        _bridge.call(self._fn + "Decode", self._handle, codes.shape[0], addr(codes), addr(x))
        return x

    def compute_codes_c(self, x: ArrayLike, codes: ArrayLike, n: int) -> None:
        """faiss's C signature: the codes of the n vectors at pointer x,
        written at pointer codes."""
        from .pointer_methods import _count
        from .swig_pointers import region

        op = self._op("compute_codes_c")
        n = _count(n, op)
        out = region(codes, np.uint8, n * self.code_size, op, "codes", True)
        out[:] = self.compute_codes(region(x, np.float32, n * self.d, op, "x").reshape(n, self.d)).reshape(-1)

    def decode_c(self, codes: ArrayLike, x: ArrayLike, n: int) -> None:
        """faiss's C signature: the n vectors the codes at pointer codes
        stand for, written at pointer x."""
        from .pointer_methods import _count
        from .swig_pointers import region

        op = self._op("decode_c")
        n = _count(n, op)
        out = region(x, np.float32, n * self.d, op, "x", True)
        out[:] = self.decode(region(codes, np.uint8, n * self.code_size, op, "codes").reshape(n, -1)).reshape(-1)


class ProductQuantizer(_Codec):
    """Vectors cut into M sub-vectors, each coded by its nearest centroid (faiss: ``ProductQuantizer``).

    Each sub-space has 2^nbits centroids learnt by k-means (``cp``: faiss's
    defaults, 25 iterations, seed 1234). ``compute_codes(x)`` gives (n,
    code_size) uint8 codes, ``decode(codes)`` the (n, d) float32
    reconstructions. A code takes ceil(M * nbits / 8) bytes.

    Parameters
    ----------
    d : int
        Dimension of the vectors (a multiple of M).
    M : int
        Number of sub-quantizers.
    nbits : int
        Bits per sub-quantizer code (default 8; 1 to 16).

    Raises
    ------
    InputTypeError
        A parameter is not an integer.
    InvalidArgumentError
        M does not divide d, or nbits out of range.
    """

    _fn = "PQ"
    Train_default, Train_hot_start, Train_shared, Train_hypercube, Train_hypercube_pca = range(5)

    def __init__(self, d: int, M: int, nbits: int = 8) -> None:
        op = "ProductQuantizer"
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("ProductQuantizerNew", as_int(d, op, "d"), as_int(M, op, "M"), as_int(nbits, op, "nbits"), addr(out))
        self._bind(int(out[0]), None)
        self.cp = ClusteringParameters()

    @classmethod
    def _of(cls, handle, owner):
        pq = cls.__new__(cls)
        pq._bind(handle, owner)
        pq.cp = ClusteringParameters()
        return pq

    def _info(self):
        out = np.zeros(7, dtype=np.int64)
        _bridge.call("PQInfo", self._handle, addr(out))
        return out

    d = property(lambda self: int(self._info()[0]), doc="Dimension of the vectors.")
    M = property(lambda self: int(self._info()[1]), doc="Number of sub-quantizers.")
    nbits = property(lambda self: int(self._info()[2]), doc="Bits per sub-quantizer index.")
    dsub = property(lambda self: int(self._info()[3]), doc="Dimension of each sub-vector (d / M).")
    ksub = property(lambda self: int(self._info()[4]), doc="Centroids per sub-quantizer (2 ** nbits).")
    code_size = property(lambda self: int(self._info()[5]), doc="Bytes per code (ceil(M * nbits / 8)).")

    @property
    def is_trained(self) -> bool:
        """Whether the centroids are trained."""
        return bool(self._info()[6])

    @is_trained.setter
    def is_trained(self, value: bool) -> None:
        """faiss scripts install centroids by hand, then set is_trained =
        True: the centroids the quantizer holds become its trained ones."""
        if bool(value) and not self.is_trained:
            self.set_centroids(np.asarray(self.centroids))
        elif not bool(value) and self.is_trained:
            raise InvalidArgumentError(f"{self._op('is_trained')}: a trained quantizer cannot be untrained; "
                                       "make a new one")

    def take_centroids(self, other: ProductQuantizer, op: str) -> None:
        """Take the centroids of another quantizer of the same d, M, nbits."""
        if not isinstance(other, ProductQuantizer):
            raise InputTypeError(f"{op}: expected a ProductQuantizer, got {type(other).__name__}")
        if (other.d, other.M, other.nbits) != (self.d, self.M, self.nbits):
            raise DimensionMismatchError(f"{op}: the quantizer has d={other.d}, M={other.M}, nbits={other.nbits}; "
                                         f"the index d={self.d}, M={self.M}, nbits={self.nbits}")
        self.set_centroids(np.asarray(other.centroids))

    @property
    def centroids(self) -> Any:
        """All centroids, flat (M * ksub * dsub float32), as faiss's
        vector_to_array(pq.centroids) gives them."""
        info = self._info()
        out = np.zeros(int(info[1] * info[4] * info[3]), dtype=np.float32)
        _bridge.call("PQCentroids", self._handle, False, addr(out))
        return field_vector(out, self.set_centroids)  # copy_array_to_vector(c, pq.centroids) sets them

    def set_centroids(self, centroids: ArrayLike) -> None:
        """Install centroids (M * ksub * dsub values, any shape)."""
        c = np.ascontiguousarray(centroids, dtype=np.float32).ravel()
        n = self.M * self.ksub * self.dsub
        if c.shape[0] != n:
            raise DimensionMismatchError(f"{self._op('set_centroids')}: {c.shape[0]} values, need {n}")
        _bridge.call("PQCentroids", self._handle, True, addr(c))

    def get_centroids(self, m: Any, i: int) -> Any:
        """Centroid i of sub-space m (dsub float32)."""
        c = self.centroids.reshape(self.M, self.ksub, self.dsub)
        return c[as_int(m, self._op("get_centroids"), "m"), as_int(i, self._op("get_centroids"), "i")].copy()

    @property
    def train_type(self) -> int:
        """faiss's train_type: Train_default, Train_hot_start (k-means
        starts from the current centroids) or Train_shared (one codebook
        for all sub-spaces, trained on all their sub-vectors)."""
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("PQTrainType", self._handle, False, 0, addr(out))
        return int(out[0])

    @train_type.setter
    def train_type(self, value: Any) -> None:
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("PQTrainType", self._handle, True, as_int(value, self._op("train_type"), "train_type"), addr(out))

    def _send_cp(self):
        for name, value in self.cp.as_dict().items():
            _bridge.call("PQSet", self._handle, name, float(value))

    def train(self, x: ArrayLike) -> None:
        """Train the M sub-quantizers by k-means on x (n, d) (faiss: ProductQuantizer.train)."""
        x = as_matrix(x, self._op("train"), self.d)
        self._send_cp()
        _bridge.call("PQTrain", self._handle, x.shape[0], addr(x))

    # faiss's table and helper methods, on arrays or swig_ptr pointers

    def _rows(self, x, n, op, name, width, dtype=np.float32, writable=False):
        """n rows of width values at x (a pointer or an array) as a 2-D array."""
        from .swig_pointers import SwigPtr, region

        if isinstance(x, SwigPtr):
            return region(x, dtype, as_int(n, op, "n") * width, op, name, writable).reshape(-1, width)
        a = np.asarray(x)
        if a.dtype != dtype or a.size != as_int(n, op, "n") * width or (writable and not a.flags.writeable):
            raise InvalidArgumentError(f"{op}: {name} must hold {n} rows of {width} {np.dtype(dtype).name} values")
        return a.reshape(-1, width)

    def _tables(self, op, metric, nx, x, dis_tables):
        x = np.ascontiguousarray(self._rows(x, nx, op, "x", self.d))
        out = self._rows(dis_tables, nx, op, "dis_tables", self.M * self.ksub, writable=True)
        if not out.flags.c_contiguous:
            raise InvalidArgumentError(f"{op}: dis_tables must be C-contiguous")
        _bridge.call("PQDistanceTables", self._handle, x.shape[0], addr(x), metric, addr(out))

    def compute_distance_tables(self, nx: int, x: ArrayLike, dis_tables: Any) -> None:
        """The squared L2 distances of each sub-vector of the nx vectors at
        x to its sub-space's centroids, into dis_tables (nx * M * ksub)."""
        self._tables(self._op("compute_distance_tables"), 1, nx, x, dis_tables)

    def compute_inner_prod_tables(self, nx: int, x: ArrayLike, dis_tables: Any) -> None:
        """compute_distance_tables with inner products."""
        self._tables(self._op("compute_inner_prod_tables"), 0, nx, x, dis_tables)

    def compute_distance_table(self, x: ArrayLike, dis_table: Any) -> None:
        """One vector's table (M * ksub)."""
        self._tables(self._op("compute_distance_table"), 1, 1, x, dis_table)

    def compute_inner_prod_table(self, x: ArrayLike, dis_table: Any) -> None:
        """One vector's table of inner products with every centroid (M * ksub), written to dis_table."""
        self._tables(self._op("compute_inner_prod_table"), 0, 1, x, dis_table)

    def compute_sdc_table(self) -> None:
        """Build sdc_table: the squared L2 distances between the centroids of
        each sub-space (M * ksub * ksub), as symmetric searches use."""
        out = np.zeros(self.M * self.ksub * self.ksub, dtype=np.float32)
        _bridge.call("PQSDCTable", self._handle, addr(out))
        self.sdc_table = out

    def sync_transposed_centroids(self) -> None:
        """faiss's coding caches: transposed_centroids (dsub x M x ksub)
        and centroids_sq_lengths (M * ksub). metalfaiss keeps its own
        layout for fast coding whatever these hold; codes never change."""
        c = np.asarray(self.centroids).reshape(self.M, self.ksub, self.dsub)
        self.transposed_centroids = np.ascontiguousarray(c.transpose(2, 0, 1)).ravel()
        self.centroids_sq_lengths = (c * c).sum(axis=2).ravel()

    def clear_transposed_centroids(self) -> None:
        """Drop faiss's transposed copy of the centroids (none is kept here)."""
        self.transposed_centroids = np.zeros(0, dtype=np.float32)
        self.centroids_sq_lengths = np.zeros(0, dtype=np.float32)

    def compute_codes_with_assign_index(self, x: ArrayLike, codes: ArrayLike, n: int) -> None:
        """Code the n vectors at x into codes, each sub-vector assigned by
        self.assign_index (an index of dimension dsub, refilled with each
        sub-space's centroids), as faiss does for large ksub."""
        op = self._op("compute_codes_with_assign_index")
        index = getattr(self, "assign_index", None)
        if index is None or index.d != self.dsub:
            raise InvalidArgumentError(f"{op}: set assign_index to an index of d=dsub={self.dsub} first")
        x = np.ascontiguousarray(self._rows(x, n, op, "x", self.d))
        out = self._rows(codes, n, op, "codes", self.code_size, np.uint8, writable=True)
        c = np.asarray(self.centroids).reshape(self.M, self.ksub, self.dsub)
        assign = np.zeros((x.shape[0], self.M), dtype=np.int32)
        for m in range(self.M):
            index.reset()
            index.add(np.ascontiguousarray(c[m]))
            assign[:, m] = index.assign(np.ascontiguousarray(x[:, m * self.dsub:(m + 1) * self.dsub]), 1).ravel()
        # faiss's code layout: each sub-code's bits in turn, lowest first
        bits = (assign[:, :, None] >> np.arange(self.nbits)) & 1
        out[:] = np.packbits(bits.astype(np.uint8).reshape(x.shape[0], -1), axis=1, bitorder="little")


class ScalarQuantizer(_Codec):
    """Each dimension coded on its own (faiss: ``ScalarQuantizer``).

    The ranges are learnt by ``train`` (min-max) except for QT_fp16, QT_bf16,
    QT_8bit_direct and QT_8bit_direct_signed (the value + 128).
    ``compute_codes(x)`` and ``decode(codes)`` convert (n, d) float32 to (n,
    code_size) uint8 and back. A code takes d bytes (QT_8bit), d / 2
    (QT_4bit), 3 * d / 8 (QT_6bit) or 2 * d (QT_fp16, QT_bf16).

    TurboQuant (faiss 1.15): QT_{1,2,3,4,8}bit_tqmse code each component of
    a unit vector by a fixed Lloyd-Max codebook scaled by 1/sqrt(d);
    QT_{2..5}bit_tq add a sign sketch of the residual and the norms, for
    vectors of any norm. ``train`` builds the codebook (the data is not
    used). QT_0bit stores nothing (IndexIVFScalarQuantizer only: an entry
    is at its list's coarse distance).

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    qtype : int
        ``ScalarQuantizer.QT_8bit`` (0, default), ``QT_4bit``,
        ``QT_8bit_uniform``, ``QT_fp16``, ... (faiss's numbers).

    Raises
    ------
    InputTypeError
        d or qtype is not an integer.
    InvalidArgumentError
        An unknown qtype, or d below 1.
    """

    QT_8bit = 0
    QT_4bit = 1
    QT_8bit_uniform = 2
    QT_4bit_uniform = 3
    QT_fp16 = 4
    QT_8bit_direct = 5
    QT_6bit = 6
    QT_bf16 = 7
    QT_8bit_direct_signed = 8
    QT_0bit = 9
    QT_1bit_tqmse = 10
    QT_2bit_tqmse = 11
    QT_3bit_tqmse = 12
    QT_4bit_tqmse = 13
    QT_8bit_tqmse = 14
    QT_2bit_tq = 15
    QT_3bit_tq = 16
    QT_4bit_tq = 17
    QT_5bit_tq = 18

    _fn = "SQ"

    def __init__(self, d: int, qtype: Any = QT_8bit) -> None:
        op = "ScalarQuantizer"
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("ScalarQuantizerNew", as_int(d, op, "d"), as_int(qtype, op, "qtype"), addr(out))
        self._bind(int(out[0]), None)

    @classmethod
    def _of(cls, handle, owner):
        sq = cls.__new__(cls)
        sq._bind(handle, owner)
        return sq

    def _info(self):
        out = np.zeros(5, dtype=np.int64)
        _bridge.call("SQInfo", self._handle, addr(out))
        return out

    d = property(lambda self: int(self._info()[0]), doc="Dimension of the vectors.")
    qtype = property(lambda self: int(self._info()[1]), doc="The quantizer type (QT_8bit, QT_4bit, QT_fp16, ...).")
    code_size = property(lambda self: int(self._info()[2]), doc="Bytes per code.")
    is_trained = property(lambda self: bool(self._info()[3]), doc="Whether the ranges are trained.")

    @property
    def trained(self) -> Any:
        """faiss's layout: vmin then vdiff, per dimension (one each for the
        uniform types, none for the types without training)."""
        out = np.zeros(int(self._info()[4]), dtype=np.float32)
        if out.shape[0]:
            _bridge.call("SQTrained", self._handle, out.shape[0], addr(out))
        return field_vector(out, self._set_trained)  # copy_array_to_vector(t, sq.trained) installs t

    @trained.setter
    def trained(self, values: ArrayLike) -> None:
        self._set_trained(values)

    def _set_trained(self, values):
        """Install ranges in faiss's layout; the quantizer is then trained."""
        v = np.ascontiguousarray(values, dtype=np.float32).ravel()
        _bridge.call("SQSetTrained", self._handle, v.shape[0], addr(v))

    def train(self, x: ArrayLike) -> None:
        """Learn the value ranges from x (n, d) (faiss: ScalarQuantizer.train)."""
        x = as_matrix(x, self._op("train"), self.d)
        _bridge.call("SQTrain", self._handle, x.shape[0], addr(x))


class PQIndexMixin:
    """The product quantizer of an index that has one (faiss: ``index.pq``).

    ``pq``: the product quantizer of an index that has one (IndexPQ,
    IndexIVFPQ and the fast-scan ones); changes to ``pq.cp`` apply at
    train, and ``index.pq = trained.pq`` takes another quantizer's
    centroids (same d, M and nbits), as faiss scripts do.
    """

    @property
    def pq(self) -> Any:
        """The index's ProductQuantizer."""
        if getattr(self, "_pq", None) is None:
            self._pq = ProductQuantizer._of(self._h("pq"), self)
        return self._pq

    @pq.setter
    def pq(self, pq: Any) -> None:
        self.pq.take_centroids(pq, self._op("pq"))
