"""faiss's additive quantizers: a vector is coded as one entry per codebook
and stands for the sum of the entries (ResidualQuantizer), standalone or
as the ``rq`` / ``aq`` of an index."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int, as_matrix
from .errors import InvalidArgumentError
from .progressive_dim import ProgressiveDimClusteringParameters
from .aq_steps import AQSteps, LSQSteps
from .quantizers import _Codec
from .vectors import _TypedVector, field_vector
from ._typing import Any, ArrayLike

# bits a code spends on its norm, per search type
_NORM_BITS = (0, 0, 0, 32, 8, 4, 8, 4, 8, 8)
_INFO = ("d", "M", "code_size", "tot_bits", "is_trained", "search_type", "total_codebook_size", "train_type",
         "max_beam_size", "use_beam_LUT", "niter_codebook_refine", "progressive_dim_steps", "apply_pca",
         "max_mem_distances", "codebook_len")


def nbits_list(op: Any, args: Any) -> Any:
    """faiss's two additive-quantizer constructor forms, (M, nbits) or (nbits list) (metalfaiss only; internal).

    Parameters
    ----------
    op : str
        The constructor, for error messages.
    args : tuple
        Its positional arguments.

    Returns
    -------
    nbits : list of int
        One width per codebook.
    rest : tuple
        The arguments after them.

    Raises
    ------
    InputTypeError
        A width that is not an integer.
    """
    if args and isinstance(args[0], _TypedVector):  # faiss scripts' UInt64Vector
        args = (list(args[0]._a),) + tuple(args[1:])
    if args and isinstance(args[0], (list, tuple, np.ndarray)):
        nbits = [as_int(b, op, "nbits") for b in args[0]]
        return nbits, list(args[1:])
    if len(args) < 2:
        raise TypeError(f"{op}: takes (M, nbits) or a list of nbits")
    M, nbits = as_int(args[0], op, "M"), as_int(args[1], op, "nbits")
    if M < 1:
        raise InvalidArgumentError(f"{op}: M must be positive, got {M}")
    return [nbits] * M, list(args[2:])


class AdditiveQuantizer(AQSteps, _Codec):
    """What faiss's additive quantizers share (faiss: ``AdditiveQuantizer``).

    ``codebooks`` (total_codebook_size * d float32, codebook m's 2^nbits[m]
    rows from codebook_offsets[m]), ``search_type`` (what a code stores
    beside its indices: a norm for L2 look-up-table searches),
    ``compute_codes(x)``, ``decode(codes)``, ``compute_LUT(x)``. Built as a
    ResidualQuantizer, LocalSearchQuantizer or a product form.
    """

    _fn = "AQ"
    (ST_decompress, ST_LUT_nonorm, ST_norm_from_LUT, ST_norm_float, ST_norm_qint8, ST_norm_qint4, ST_norm_cqint8,
     ST_norm_cqint4, ST_norm_lsq2x4, ST_norm_rq2x4) = range(10)

    @classmethod
    def _of(cls, handle, owner):
        q = cls.__new__(cls)
        q._bind(handle, owner)
        q.cp = ProgressiveDimClusteringParameters()
        return q

    def _info(self):
        out = np.zeros(len(_INFO), dtype=np.int64)
        _bridge.call("AQInfo", self._handle, addr(out))
        return dict(zip(_INFO, (int(v) for v in out)))

    d = property(lambda self: self._info()["d"], doc="Dimension of the vectors.")
    M = property(lambda self: self._info()["M"], doc="Number of codebooks (one code from each, summed).")
    code_size = property(lambda self: self._info()["code_size"], doc="Bytes per code, including any encoded norm.")
    tot_bits = property(lambda self: self._info()["tot_bits"], doc="Bits per code, including any encoded norm.")
    total_codebook_size = property(lambda self: self._info()["total_codebook_size"],
                                   doc="Codebook entries over all M codebooks.")

    @property
    def is_trained(self) -> bool:
        """Whether the codebooks are trained."""
        return bool(self._info()["is_trained"])

    @is_trained.setter
    def is_trained(self, value: bool) -> None:
        """faiss scripts install codebooks by hand (which trains the
        quantizer here), then set is_trained = True."""
        if bool(value) != self.is_trained:
            raise InvalidArgumentError(f"{self._op('is_trained')}: install codebooks (copy_array_to_vector or "
                                       "set_codebooks) to train the quantizer; a trained one cannot be untrained")

    verbose = False  # faiss's flag; the beam search and training print nothing more here

    @property
    def nbits(self) -> Any:
        """Bits of each codebook's index (a list of M)."""
        m = self.M
        out = np.zeros(m, dtype=np.int64)
        _bridge.call("AQNbits", self._handle, m, addr(out))
        return field_vector(out, None)  # read-only: nbits is fixed at construction

    @property
    def codebook_offsets(self) -> Any:
        """Offset of each codebook's first entry in ``codebooks`` (M + 1 entries)."""
        offs = [0]
        for b in self.nbits:
            offs.append(offs[-1] + (1 << b))
        return offs

    @property
    def only_8bit(self) -> Any:
        """Whether every codebook has 8-bit indexes."""
        return all(b == 8 for b in self.nbits)

    @property
    def codebooks(self) -> Any:
        """All codebook entries, flat (total_codebook_size * d float32),
        as faiss's vector_to_array(aq.codebooks) gives them."""
        out = np.zeros(self._info()["codebook_len"], dtype=np.float32)
        _bridge.call("AQCodebooks", self._handle, False, addr(out))
        return field_vector(out, self.set_codebooks)

    @codebooks.setter
    def codebooks(self, value: Any) -> None:
        self.set_codebooks(value)

    def set_codebooks(self, codebooks: Any) -> None:
        """Install trained codebooks (total_codebook_size * d values)."""
        c = np.ascontiguousarray(codebooks, dtype=np.float32).ravel()
        _bridge.call("AQCodebooks", self._handle, True, addr(c))

    def compute_centroid_norms(self, norms: Any = None) -> Any:
        """|c|^2 of the 2^tot_bits sums of one entry per codebook (numbered
        as packed codes), into norms (an array or swig_ptr) or returned."""
        op = self._op("compute_centroid_norms")
        n = 1 << (self.tot_bits - _NORM_BITS[self.search_type])
        if norms is None:
            out = np.zeros(n, dtype=np.float32)
        else:
            from .swig_pointers import SwigPtr, region

            out = region(norms, np.float32, n, op, "norms", True) if isinstance(norms, SwigPtr) else norms
        _bridge.call("AQCentroidNorms", self._handle, n, addr(out))
        return out

    def _norm_range(self):
        out = np.zeros(2, dtype=np.float32)
        _bridge.call("AQNormRange", self._handle, False, addr(out))
        return out

    def _set_norm(self, i, value):
        out = self._norm_range()
        out[i] = float(value)
        _bridge.call("AQNormRange", self._handle, True, addr(out))

    norm_min = property(lambda self: float(self._norm_range()[0]), lambda self, v: self._set_norm(0, v),
                        doc="Lower end of the range the stored norms are quantized in.")
    norm_max = property(lambda self: float(self._norm_range()[1]), lambda self, v: self._set_norm(1, v),
                        doc="Upper end of the range the stored norms are quantized in.")

    def _set_int(self, name, value):
        _bridge.call("AQSetInt", self._handle, name, as_int(value, self._op(name), name))

    search_type = property(lambda self: self._info()["search_type"], lambda self, v: self._set_int("search_type", v),
                           doc="faiss's search type: ST_decompress, ST_LUT_nonorm, ST_norm_float, ST_norm_qint8, ...")

    def compute_LUT(self, *args: Any) -> Any:
        """``compute_LUT(x)`` -> (n, total_codebook_size) inner products of
        each row with every codebook entry; faiss's ``compute_LUT(n, x,
        LUT)`` form writes them into LUT."""
        op = self._op("compute_LUT")
        if len(args) == 1:
            x = as_matrix(args[0], op, self.d)
            out = np.zeros((x.shape[0], self.total_codebook_size), dtype=np.float32)
        elif len(args) >= 3:
            from .swig_pointers import SwigPtr, region

            n = as_int(args[0], op, "n")
            x = args[1]
            x = (region(x, np.float32, n * self.d, op, "x").reshape(-1, self.d) if isinstance(x, SwigPtr)
                 else as_matrix(x, op, self.d))
            lut = args[2]
            out = (region(lut, np.float32, n * self.total_codebook_size, op, "LUT", True) if isinstance(lut, SwigPtr)
                   else lut)
            if not (isinstance(out, np.ndarray) and out.dtype == np.float32 and out.flags.c_contiguous
                    and out.size == n * self.total_codebook_size):
                raise InvalidArgumentError(f"{op}: LUT must be a C-contiguous float32 array of {n} x "
                                           f"{self.total_codebook_size}")
        else:
            raise TypeError(f"{op}: takes (x) or (n, x, LUT)")
        _bridge.call("AQComputeLUT", self._handle, x.shape[0], addr(x), addr(out))
        return out

    def train(self, x: ArrayLike) -> None:
        """Train the codebooks (and the norm quantizer) on x (n, d)."""
        x = as_matrix(x, self._op("train"), self.d)
        self._send_cp()
        _bridge.call("AQTrain", self._handle, x.shape[0], addr(x))

    def _send_cp(self):
        cp = getattr(self, "cp", None)
        if cp is None:
            return
        for name, value in cp.as_dict().items():
            _bridge.call("AQSetCP", self._handle, name, float(value))
        if isinstance(cp, ProgressiveDimClusteringParameters):
            self._set_int("progressive_dim_steps", cp.progressive_dim_steps)
            self._set_int("apply_pca", int(cp.apply_pca))


class ProductAdditiveQuantizer(AdditiveQuantizer):
    """Vectors cut into nsplits ranges, each coded by its own additive quantizer (faiss: ``ProductAdditiveQuantizer``).

    ``codebooks`` holds theirs one after another, each as wide as its range.
    Built as a ProductResidualQuantizer or ProductLocalSearchQuantizer.

    Parameters
    ----------
    d : int
        Dimension (a multiple of nsplits).
    nsplits : int
        Number of ranges.
    Msub : int
        Codebooks per range.
    nbits : int
        Bits per codebook entry index.
    search_type : int
        As for AdditiveQuantizer (ST_decompress by default).
    """

    def __init__(self, d: int = 0, nsplits: int = 0, Msub: int = 0, nbits: int = 0,
                 search_type: Any = AdditiveQuantizer.ST_decompress) -> None:
        op = type(self).__name__
        out = np.zeros(1, dtype=np.int64)
        _bridge.call(op + "New", as_int(d, op, "d"), as_int(nsplits, op, "nsplits"), as_int(Msub, op, "Msub"),
                     as_int(nbits, op, "nbits"), as_int(search_type, op, "search_type"), addr(out))
        self._bind(int(out[0]), None)
        self.cp = None

    @property
    def nsplits(self) -> int:
        """Number of sub-vector splits, each with its own additive quantizer."""
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("AQNsplits", self._handle, addr(out))
        return int(out[0])

    def subquantizer(self, s: Any) -> Any:
        """Sub-quantizer s (a ResidualQuantizer or LocalSearchQuantizer) of
        the range s * d / nsplits ..."""
        out = np.zeros(2, dtype=np.int64)
        _bridge.call("AQSubquantizer", self._handle, as_int(s, self._op("subquantizer"), "s"), addr(out))
        cls = ResidualQuantizer if out[1] == 1 else LocalSearchQuantizer
        q = cls._of(int(out[0]), None)  # its own handle, to the part the product holds
        q._product = self  # kept alive with it
        return q


class ProductResidualQuantizer(ProductAdditiveQuantizer):
    """nsplits residual quantizers, each over its own slice of the dimensions (faiss: ``ProductResidualQuantizer``).

    ``codebooks`` holds theirs one after another, each as wide as its slice.
    A code takes nsplits * Msub * nbits / 8 bytes (rounded up).

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
    search_type : int
        How codes are compared with queries in an index
        (``AdditiveQuantizer.ST_decompress`` by default; see
        IndexResidualQuantizer).

    Raises
    ------
    InputTypeError
        A parameter is not an integer.
    InvalidArgumentError
        nsplits does not divide d, nbits out of 1..16, or an unknown search type.
    """



def _lsq_field(name, cast, doc=None):
    def get(self):
        out = np.zeros(1, dtype=np.float64)
        _bridge.call("LSQField", self._handle, name, False, addr(out))
        return cast(out[0])

    def put(self, value):
        out = np.array([float(value)], dtype=np.float64)
        _bridge.call("LSQField", self._handle, name, True, addr(out))

    return property(get, put, doc=doc)


class LocalSearchQuantizer(LSQSteps, AdditiveQuantizer):
    """faiss's LSQ++ additive quantizer (faiss: ``LocalSearchQuantizer``).

    Codes come from iterated conditional modes after random perturbations
    (``encode_ils_iters``, ``icm_iters``, ``nperts``); training alternates a
    least-squares codebook fit (ridge ``lambd``), a shrinking codebook
    perturbation (exponent ``p``) and ICM (``train_iters``,
    ``train_ils_iters``). Draws follow ``random_seed`` whatever the number of
    cores. A code takes M * nbits / 8 bytes (rounded up) plus the norm the
    search type stores.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    M : int
        Number of codebooks.
    nbits : int
        Bits per codebook entry index.
    search_type : int
        How codes are compared with queries in an index
        (``AdditiveQuantizer.ST_decompress`` by default; see
        IndexResidualQuantizer).

    Raises
    ------
    InputTypeError
        A parameter is not an integer.
    InvalidArgumentError
        nbits out of 1..16, or an unknown search type.
    """

    def __init__(self, d: int = 0, M: int = 0, nbits: int = 0, search_type: Any = AdditiveQuantizer.ST_decompress
                ) -> None:
        op = "LocalSearchQuantizer"
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("LocalSearchQuantizerNew", as_int(d, op, "d"), as_int(M, op, "M"), as_int(nbits, op, "nbits"),
                     as_int(search_type, op, "search_type"), addr(out))
        self._bind(int(out[0]), None)
        self.cp = None

    @classmethod
    def _of(cls, handle, owner):
        q = super()._of(handle, owner)
        q.cp = None
        return q

    K = property(lambda self: int(_lsq_field("K", int).fget(self)), doc="Entries per codebook (2 ** nbits).")
    train_iters = _lsq_field("train_iters", int, doc="Training iterations (faiss's default 25).")
    encode_ils_iters = _lsq_field("encode_ils_iters", int, doc="Iterated local search rounds when encoding.")
    train_ils_iters = _lsq_field("train_ils_iters", int, doc="Iterated local search rounds in each training iteration.")
    icm_iters = _lsq_field("icm_iters", int, doc="Iterated conditional modes steps per local search round.")
    p = _lsq_field("p", float, doc="Temperature decay of the codebook update's perturbation.")
    lambd = _lsq_field("lambd", float, doc="Ridge regularisation of the least-squares codebook fit.")
    chunk_size = _lsq_field("chunk_size", int, doc="Vectors encoded per batch.")
    random_seed = _lsq_field("random_seed", int, doc="Seed of the perturbations and initial codes.")
    nperts = _lsq_field("nperts", int, doc="Codes perturbed per vector in each local search round.")
    update_codebooks_with_double = _lsq_field("update_codebooks_with_double", bool,
                                              doc="Fit the codebooks in float64 (faiss's default True).")


class ProductLocalSearchQuantizer(ProductAdditiveQuantizer):
    """nsplits local-search quantizers, one per slice (faiss: ``ProductLocalSearchQuantizer``).

    ``codebooks`` holds theirs one after another, each as wide as its slice.
    A code takes nsplits * Msub * nbits / 8 bytes (rounded up).

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
    search_type : int
        How codes are compared with queries in an index
        (``AdditiveQuantizer.ST_decompress`` by default; see
        IndexResidualQuantizer).

    Raises
    ------
    InputTypeError
        A parameter is not an integer.
    InvalidArgumentError
        nsplits does not divide d, nbits out of 1..16, or an unknown search type.
    """



class ResidualQuantizer(AdditiveQuantizer):
    """Additive codes where codebook m codes the residual the first m leave (faiss: ``ResidualQuantizer``).

    ``ResidualQuantizer(d, M, nbits, search_type=ST_decompress)`` or
    ``ResidualQuantizer(d, nbits_list, search_type)``. Encoding is a beam
    search keeping ``max_beam_size`` partial codes (5). ``train_type`` flags
    (Train_progressive_dim, Train_refine_codebook, Train_top_beam,
    Skip_codebook_tables), ``cp`` (a ProgressiveDimClusteringParameters),
    ``use_beam_LUT`` (1: beam search from codebook cross products) and
    ``niter_codebook_refine`` are faiss's. ``compute_codes(x)`` and
    ``decode(codes)`` convert (n, d) float32 to (n, code_size) uint8 and
    back; a code takes sum(nbits) / 8 bytes (rounded up) plus the norm the
    search type stores.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    *args
        ``M, nbits`` (M codebooks of 2^nbits entries) or ``nbits_list`` (one
        entry per codebook), then ``search_type``:
        search_type : int
            How codes are compared with queries in an index
            (``AdditiveQuantizer.ST_decompress`` by default; see
            IndexResidualQuantizer).

    Raises
    ------
    InputTypeError
        A parameter is not an integer.
    InvalidArgumentError
        nbits out of 1..16, or an unknown search type.
    """

    Train_default, Train_progressive_dim, Train_refine_codebook = 0, 1, 2
    Train_top_beam, Skip_codebook_tables = 1024, 2048

    def __init__(self, d: int = 0, *args: Any) -> None:
        op = "ResidualQuantizer"
        nbits, rest = nbits_list(op, args)
        st = as_int(rest[0], op, "search_type") if rest else AdditiveQuantizer.ST_decompress
        out = np.zeros(1, dtype=np.int64)
        nb = np.asarray(nbits, dtype=np.int64)
        _bridge.call("ResidualQuantizerNew", as_int(d, op, "d"), addr(nb), len(nbits), st, addr(out))
        self._bind(int(out[0]), None)
        self.cp = ProgressiveDimClusteringParameters()

    train_type = property(lambda self: self._info()["train_type"], lambda self, v: self._set_int("train_type", v),
                          doc="faiss's training flags (Train_default, Train_refine_codebook, ...).")
    max_beam_size = property(lambda self: self._info()["max_beam_size"],
                             lambda self, v: self._set_int("max_beam_size", v),
                             doc="Beam width of the encoding search (larger: better codes, slower).")
    use_beam_LUT = property(lambda self: self._info()["use_beam_LUT"], lambda self, v: self._set_int("use_beam_LUT", v),
                            doc="Encode with look-up tables of codebook inner products (1) or by distances (0).")
    niter_codebook_refine = property(lambda self: self._info()["niter_codebook_refine"],
                                     lambda self, v: self._set_int("niter_codebook_refine", v),
                                     doc="Iterations of the codebook refinement (Train_refine_codebook).")
    def initialize_from(self, other: ResidualQuantizer, skip_M: Any = 0) -> None:
        """Take codebooks skip_M .. skip_M + M - 1 of another trained
        ResidualQuantizer, and its settings (faiss's clipping)."""
        if not isinstance(other, ResidualQuantizer):
            raise InvalidArgumentError(f"{self._op('initialize_from')}: expected a ResidualQuantizer, "
                                       f"got {type(other).__name__}")
        _bridge.call("AQInitializeFrom", self._handle, other._handle, as_int(skip_M, self._op("initialize_from"), "skip_M"))

    def retrain_AQ_codebook(self, *args: Any) -> float:
        """Refit all codebooks to the training codes by least squares:
        ``retrain_AQ_codebook(x)`` or faiss's ``(n, swig_ptr(x))``; returns
        the squared error of those codes under the new codebooks."""
        op = self._op("retrain_AQ_codebook")
        if len(args) == 2:
            from .swig_pointers import SwigPtr, region

            n, x = as_int(args[0], op, "n"), args[1]
            x = region(x, np.float32, n * self.d, op, "x").reshape(-1, self.d) if isinstance(x, SwigPtr) else x
        elif len(args) == 1:
            x = args[0]
        else:
            raise TypeError(f"{op}: takes (x) or (n, x)")
        x = as_matrix(x, op, self.d)
        out = np.zeros(1, dtype=np.float32)
        _bridge.call("AQRetrainCodebooks", self._handle, x.shape[0], addr(x), addr(out))
        return float(out[0])

    max_mem_distances = property(lambda self: self._info()["max_mem_distances"],
                                 lambda self, v: self._set_int("max_mem_distances", v),
                                 doc="Memory bound, in bytes, of the encoding's distance tables.")


def beam_search_encode_step(d: int, K: int, cent: Any, n: int, beam_size: Any, residuals: Any, m: Any,
                            codes: ArrayLike, new_beam_size: Any, new_codes: Any, new_residuals: Any,
                            new_distances: Any, assign_index: Any = None, approx_topk_mode: Any = 0) -> None:
    """One step of the beam search of residual quantization (faiss: ``beam_search_encode_step``).

    Extend n points' beams of beam_size partial codes of m indices by one
    index into the K entries of cent, keeping new_beam_size per point.
    Buffers are ``swig_ptr(array)`` or arrays.

    Parameters
    ----------
    d : int
        Dimension.
    K : int
        Entries of the codebook.
    cent : float32 buffer
        The K x d codebook.
    n : int
        Points.
    beam_size : int
        Entries per beam.
    residuals : float32 buffer
        n x beam_size x d residuals.
    m : int
        Indices so far.
    codes : int32 buffer
        n x beam_size x m indices.
    new_beam_size : int
        Entries kept per point.
    new_codes : int32 buffer
        Receives n x new_beam_size x (m + 1) indices.
    new_residuals : float32 buffer
        Receives their residuals.
    new_distances : float32 buffer
        Receives their squared norms.
    assign_index : Index, optional
        Accepted for faiss's signature (the search is exact).
    approx_topk_mode : int
        Accepted (the search is exact).

    Raises
    ------
    InvalidArgumentError
        Sizes that do not fit the buffers.
    """
    from .swig_pointers import SwigPtr, region

    op = "beam_search_encode_step"
    d, K, n = as_int(d, op, "d"), as_int(K, op, "K"), as_int(n, op, "n")
    beam_size, m, L = as_int(beam_size, op, "beam_size"), as_int(m, op, "m"), as_int(new_beam_size, op, "new_beam_size")

    def buf(v, dtype, count, name, writable=False):
        if isinstance(v, SwigPtr):
            return region(v, dtype, count, op, name, writable)
        a = v if writable else np.ascontiguousarray(v, dtype=dtype)
        if not (isinstance(a, np.ndarray) and a.dtype == dtype and a.size == count and a.flags.c_contiguous):
            raise InvalidArgumentError(f"{op}: {name} must be a C-contiguous {np.dtype(dtype).name} array of {count}")
        return a

    c = buf(cent, np.float32, K * d, "cent")
    r = buf(residuals, np.float32, n * beam_size * d, "residuals")
    cs = buf(codes, np.int32, n * beam_size * m, "codes") if m > 0 else np.zeros(0, dtype=np.int32)
    oc = buf(new_codes, np.int32, n * L * (m + 1), "new_codes", True)
    orr = buf(new_residuals, np.float32, n * L * d, "new_residuals", True)
    od = buf(new_distances, np.float32, n * L, "new_distances", True)
    _bridge.call("BeamSearchEncodeStep", d, K, addr(c), n, beam_size, addr(r), m, addr(cs) if cs.size else 0, L,
                 addr(oc), addr(orr), addr(od))
