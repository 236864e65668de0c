"""The 4-bit fast-scan indexes (faiss's IndexFastScan family): product-
quantizer codes packed in blocks of ``bbs`` vectors and searched with
uint8 look-up tables by byte-shuffle kernels."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from .aligned_table import AlignedTableUint8
from .errors import InputTypeError, InvalidArgumentError
from .index import Index
from .index_pq import IndexPQ
from .metric import METRIC_L2, MetricType
from .quantizers import PQIndexMixin
from ._typing import Any, ArrayLike


class CodePackerPQ4:
    """Packs 4-bit PQ codes into fast-scan blocks and back (faiss: ``CodePackerPQ4``).

    faiss's CodePackerPQ4: one vector's standard code (M 4-bit codes,
    ``code_size`` bytes) to and from its place in packed blocks of
    ``nvec`` vectors (``block_size`` bytes each).

    Parameters
    ----------
    M : int
        Sub-quantizers (4-bit codes) per vector.
    bbs : int
        Vectors per block (a positive multiple of 32).

    Raises
    ------
    InvalidArgumentError
        M below 1, or bbs not a positive multiple of 32.
    """

    def __init__(self, M: int, bbs: Any) -> None:
        op = "CodePackerPQ4"
        self.M, self.nvec = as_int(M, op, "M"), as_int(bbs, op, "bbs")
        if self.M <= 0 or self.nvec <= 0 or self.nvec % 32:
            raise InvalidArgumentError(f"{op}: need M > 0 and bbs a positive multiple of 32, got {M}, {bbs}")
        self.code_size = (self.M * 4 + 7) // 8
        self.block_size = (self.M + 1) // 2 * 2 * self.nvec // 2

    def _blocks(self, block, op, writable=False):
        if not isinstance(block, np.ndarray) or block.dtype != np.uint8:
            raise InputTypeError(f"CodePackerPQ4.{op}: the blocks must be a uint8 array, got {type(block).__name__}")
        if not block.flags.c_contiguous or (writable and not block.flags.writeable):
            raise InvalidArgumentError(f"CodePackerPQ4.{op}: the blocks must be a contiguous{' writable' if writable else ''} array")
        return block

    def unpack_1(self, block: Any, offset: int, code: Any = None) -> Any:
        """The code of vector ``offset`` of the blocks (into code if given)."""
        block = self._blocks(block, "unpack_1")
        out = np.zeros(self.code_size, dtype=np.uint8) if code is None else code
        _bridge.call("PQ4CodePack", False, addr(out), self.M, self.nvec,
                     as_int(offset, "CodePackerPQ4.unpack_1", "offset"), addr(block), block.nbytes)
        return out

    def pack_1(self, code: Any, offset: int, block: Any) -> None:
        """Write code as vector ``offset`` of the blocks."""
        block = self._blocks(block, "pack_1", writable=True)
        c = np.ascontiguousarray(code, dtype=np.uint8).reshape(-1)
        if c.shape[0] != self.code_size:
            raise InvalidArgumentError(f"CodePackerPQ4.pack_1: a code holds {self.code_size} bytes, got {c.shape[0]}")
        _bridge.call("PQ4CodePack", True, addr(c), self.M, self.nvec,
                     as_int(offset, "CodePackerPQ4.pack_1", "offset"), addr(block), block.nbytes)


class IndexFastScan:
    """What the fast-scan indexes share (faiss: ``IndexFastScan``).

    faiss's IndexFastScan fields: ``implem`` (0: automatic; 12-15 the
    kernels; 2-4 code-by-code sums with float, rounded and rescaled
    rounded tables), ``qbs`` (queries per pass over the codes, four bits
    per sub-block; 0: automatic), ``bbs`` (vectors per block), ``M``,
    ``M2``, ``nbits``, ``ksub``, ``ntotal2`` and ``codes`` (the packed
    blocks, a copy).
    """

    def _settings(self, implem=None, qbs=None):
        out = np.zeros(6, dtype=np.int64)
        if implem is None and qbs is None:
            _bridge.call("FastScanSettings", self._h("settings"), 0, 0, 0, addr(out))
            return out
        cur = self._settings()
        _bridge.call("FastScanSettings", self._h("settings"), 1,
                     int(cur[0]) if implem is None else implem, int(cur[1]) if qbs is None else qbs, addr(out))
        return out

    @property
    def implem(self) -> int:
        """faiss's scan implementation number (0: automatic)."""
        return int(self._settings()[0])

    @implem.setter
    def implem(self, value: Any) -> None:
        self._settings(implem=as_int(value, self._op("implem"), "implem"))

    @property
    def qbs(self) -> int:
        """Queries per pass over the codes, four bits per group (0: automatic)."""
        return int(self._settings()[1])

    @qbs.setter
    def qbs(self, value: Any) -> None:
        self._settings(qbs=as_int(value, self._op("qbs"), "qbs"))

    bbs = property(lambda self: int(self._settings()[2]), doc="Codes per packed block (a multiple of 32).")
    M = property(lambda self: int(self._settings()[3]), doc="Sub-quantizers.")
    M2 = property(lambda self: int(self._settings()[4]), doc="M rounded up to even (sub-quantizers as packed).")
    nbits = property(lambda self: 4, doc="Bits per sub-quantizer index (4).")
    ksub = property(lambda self: 16, doc="Centroids per sub-quantizer (16).")

    @property
    def code_size(self) -> int:
        """Bytes per code before packing (M / 2, rounded up)."""
        return (self.M * 4 + 7) // 8

    @property
    def ntotal2(self) -> int:
        """ntotal rounded up to a whole block (bbs)."""
        s = self._settings()
        return int(s[5]) * 2 // int(s[4])

    @property
    def codes(self) -> Any:
        """The packed codes, ntotal2 * M2 / 2 bytes (faiss's layout)."""
        n = int(self._settings()[5])
        tab = AlignedTableUint8(n)
        if n:
            _bridge.call("FastScanCodes", self._h("codes"), n, addr(tab.tab))
        return tab

    def get_CodePacker(self) -> Any:
        """The CodePacker of the packed blocks (faiss: get_CodePacker)."""
        return CodePackerPQ4(self.M, self.bbs)

    def compute_codes(self, codes: ArrayLike, n: int, x: ArrayLike) -> None:
        """faiss's C signature: the standard codes (``code_size`` bytes
        each, as sa_encode gives them) of the n vectors at pointer x,
        written at pointer codes."""
        from .pointer_methods import _count
        from .swig_pointers import region

        op = self._op("compute_codes")
        n = _count(n, op)
        out = region(codes, np.uint8, n * self.code_size, op, "codes", True)
        out[:] = self.sa_encode(region(x, np.float32, n * self.d, op, "x").reshape(n, self.d)).reshape(-1)


class IndexPQFastScan(PQIndexMixin, IndexFastScan, Index):
    """Product-quantizer codes of 4 bits scanned by SIMD look-ups (faiss: ``IndexPQFastScan``).

    ``IndexPQFastScan(d, M, nbits=4, metric=METRIC_L2, bbs=32)`` or
    ``IndexPQFastScan(index_pq, bbs=32)`` (a copy of a trained IndexPQ's
    quantizer and codes, packed). ``pq`` is its quantizer. Codes are packed in
    blocks of bbs vectors; the distance tables are quantized to 8 bits, so
    distances are approximate: add a refine step (``"PQ32x4fs,RFlat"``) for
    exact ranking. Memory per vector: M / 2 bytes.

    Parameters
    ----------
    *args, **kwargs
        Either the new index's ``d`` (int, a multiple of M), ``M``
        (sub-quantizers), ``nbits`` (4, the only size fast-scan takes),
        ``metric`` (``METRIC_L2`` or ``METRIC_INNER_PRODUCT``) and ``bbs``
        (vectors per block, a multiple of 32); or a trained ``IndexPQ`` with
        4-bit codes and ``bbs``.

    Raises
    ------
    InputTypeError
        A parameter is not an integer.
    InvalidArgumentError
        nbits is not 4, M does not divide d, or bbs is not a positive
        multiple of 32.
    """

    _go_type = "IndexPQFastScan"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        op = "IndexPQFastScan"
        out = np.zeros(1, dtype=np.int64)
        if args and isinstance(args[0], IndexPQ):
            src, rest = args[0], _bind(("bbs",), args[1:], kwargs, {"bbs": 32}, op)
            _bridge.call("IndexPQFastScanFromPQ", src._h(op), as_int(rest["bbs"], op, "bbs"), addr(out))
        else:
            a = _bind(("d", "M", "nbits", "metric", "bbs"), args, kwargs, {"nbits": 4, "metric": METRIC_L2, "bbs": 32}, op)
            _bridge.call("IndexPQFastScanNew", as_int(a["d"], op, "d"), as_int(a["M"], op, "M"),
                         as_int(a["nbits"], op, "nbits"), int(MetricType.parse(a["metric"])),
                         as_int(a["bbs"], op, "bbs"), addr(out))
        super().__init__(int(out[0]))

    def train(self, x: ArrayLike) -> None:
        self.pq._send_cp()
        super().train(x)


def _bind(names, args, kwargs, defaults, op):
    """Positional and keyword arguments matched to names, with defaults."""
    if len(args) > len(names):
        raise InvalidArgumentError(f"{op}: at most {len(names)} arguments ({', '.join(names)}), got {len(args)}")
    got = dict(zip(names, args))
    for k, v in kwargs.items():
        if k not in names or k in got:
            raise InvalidArgumentError(f"{op}: unexpected or repeated argument {k!r}")
        got[k] = v
    missing = [n for n in names if n not in got and n not in defaults]
    if missing:
        raise InvalidArgumentError(f"{op}: missing argument(s) {', '.join(missing)}")
    return {n: got.get(n, defaults.get(n)) for n in names}
