"""IndexIVFPQFastScan: 4-bit PQ codes in inverted lists packed in blocks,
searched by the fast-scan kernels."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from .errors import UnsupportedOperationError
from .index_ivf import IndexInvertedLists, IndexIVF, IndexIVFPQ, _check_quantizer
from .invlists import entry_arrays
from .metric import METRIC_L2, MetricType
from .quantizers import PQIndexMixin
from ._typing import Any, ArrayLike, UInt8Array

# faiss's InvertedLists.INVALID_CODE_SIZE: block lists have no per-entry size
INVALID_CODE_SIZE = 2**64 - 1


class BlockInvertedLists(IndexInvertedLists):
    """A fast-scan IVF index's lists (faiss: ``BlockInvertedLists``).

    A fast-scan IVF index's lists (faiss's BlockInvertedLists): codes
    packed in blocks of ``n_per_block`` vectors, ``block_size`` bytes each.
    ``get_codes`` returns a list's whole blocks; ``add_entries`` takes
    standard codes (``packer.code_size`` bytes each) and packs them.
    """

    @property
    def code_size(self) -> int:
        return INVALID_CODE_SIZE

    @property
    def n_per_block(self) -> int:
        """Codes per packed block (bbs)."""
        return self._index.bbs

    @property
    def block_size(self) -> int:
        """Bytes per packed block."""
        return self._index._block_size()

    @property
    def packer(self) -> Any:
        """The CodePacker that packs and unpacks the blocks' codes."""
        return self._index.get_CodePacker()

    def _list(self, list_no):
        n = self.list_size(list_no)
        ids = np.empty(n, dtype=np.int64)
        scratch = np.empty(n * self._index.code_size, dtype=np.uint8)
        _bridge.call("IndexIVFListCopy", self._index._h("invlists"), list_no, n, addr(ids), addr(scratch))
        size = np.zeros(1, dtype=np.int64)
        _bridge.call("IVFFastScanCodes", self._index._h("invlists"), list_no, -1, addr(size))
        codes = np.empty(int(size[0]), dtype=np.uint8)
        if codes.size:
            _bridge.call("IVFFastScanCodes", self._index._h("invlists"), list_no, codes.size, addr(codes))
        return ids, codes

    def get_single_code(self, list_no: int, offset: int) -> UInt8Array:
        """The standard code (``code_size`` bytes) of entry offset."""
        l = self._check(list_no, "get_single_code")
        n = self.list_size(l)
        off = self._offset(offset, n, "get_single_code")
        ids = np.empty(n, dtype=np.int64)
        codes = np.empty((n, self._index.code_size), dtype=np.uint8)
        _bridge.call("IndexIVFListCopy", self._index._h("invlists"), l, n, addr(ids), addr(codes))
        return codes[off]

    def add_entries(self, list_no: int, n_entry: int, ids: Any, code: Any) -> int:
        op = "BlockInvertedLists.add_entries"
        ids, codes = entry_arrays(op, n_entry, ids, code, self._index.code_size)
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IVFAddEntries", self._index._h("invlists"), as_int(list_no, op, "list_no"), ids.shape[0],
                     addr(ids), addr(codes), addr(out))
        return int(out[0])

    def update_entries(self, list_no: int, offset: int, n_entry: int, ids: Any, code: Any) -> None:
        raise UnsupportedOperationError("BlockInvertedLists.update_entries: packed lists are appended to or "
                                        "resized, not updated in place (as in faiss)")


class IVFFastScanFields:
    """What the fast-scan IVF indexes share (faiss: ``IndexIVFFastScan``).

    faiss's IndexIVFFastScan fields over IndexGetParam / IndexSetParam,
    and the lists as BlockInvertedLists.
    """

    def _init_ivf(self, handle, quantizer, metric):
        super()._init_ivf(handle, quantizer, metric)
        self.invlists = BlockInvertedLists(self)

    def _int_field(self, name):
        return int(self._param(name))

    def _set_int_field(self, name, value):
        op = self._op(name)
        _bridge.call("IndexSetParam", self._h(name), name, float(as_int(value, op, name)))

    implem = property(lambda self: self._int_field("implem"), lambda self, v: self._set_int_field("implem", v),
                      doc="faiss's scan implementation number (0: automatic).")
    qbs = property(lambda self: self._int_field("qbs"), lambda self, v: self._set_int_field("qbs", v),
                   doc="Queries per pass over the codes, four bits per group (0: automatic).")
    qbs2 = property(lambda self: self._int_field("qbs2"), lambda self, v: self._set_int_field("qbs2", v),
                    doc="faiss's qbs2 (queries per block in implementations 12-15).")
    bbs = property(lambda self: self._int_field("bbs"), doc="Codes per packed block (a multiple of 32).")
    M2 = property(lambda self: self._int_field("M2"), doc="M rounded up to even (sub-quantizers as packed).")
    nbits = property(lambda self: 4, doc="Bits per sub-quantizer index (4).")
    ksub = property(lambda self: 16, doc="Centroids per sub-quantizer (16).")

    def _block_size(self):
        return self.bbs * self.M2 // 2


class IndexIVFPQFastScan(IVFFastScanFields, PQIndexMixin, IndexIVF):
    """IVF lists of 4-bit product-quantizer codes scanned by SIMD look-ups (faiss: ``IndexIVFPQFastScan``).

    ``IndexIVFPQFastScan(quantizer, d, nlist, M, nbits=4,
    metric=METRIC_L2, bbs=32)`` or ``IndexIVFPQFastScan(index_ivfpq,
    bbs=32)`` (a copy of a trained IndexIVFPQ with 4-bit codes: its lists,
    settings and quantizer, shared). As in faiss, codes are of the vectors
    themselves unless ``by_residual`` is set before training. ``implem``,
    ``qbs``, ``qbs2``, ``bbs``, ``M2`` are faiss's fast-scan fields. Memory
    per vector: M / 2 bytes (lists padded to bbs) and an 8-byte id.

    Parameters
    ----------
    *args, **kwargs
        Either ``quantizer`` (the coarse Index, of dimension d), ``d`` (a
        multiple of M), ``nlist``, ``M``, ``nbits`` (4), ``metric``
        (``METRIC_L2`` or ``METRIC_INNER_PRODUCT``) and ``bbs`` (a multiple
        of 32); or a trained ``IndexIVFPQ`` with 4-bit codes and ``bbs``.

    Raises
    ------
    InputTypeError
        A parameter is not an integer, or quantizer is not an Index.
    InvalidArgumentError
        nbits is not 4, M does not divide d, or bbs is not a positive
        multiple of 32.
    """

    _go_type = "IndexIVFPQFastScan"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .index_fastscan import _bind

        op = "IndexIVFPQFastScan"
        out = np.zeros(1, dtype=np.int64)
        if args and isinstance(args[0], IndexIVFPQ):
            src, rest = args[0], _bind(("bbs",), args[1:], kwargs, {"bbs": 32}, op)
            _bridge.call("IndexIVFPQFastScanFromIVFPQ", src._h(op), as_int(rest["bbs"], op, "bbs"), addr(out))
            self._init_ivf(int(out[0]), src.quantizer, src.metric_type)
            return
        a = _bind(("quantizer", "d", "nlist", "M", "nbits", "metric", "bbs"), args, kwargs,
                  {"nbits": 4, "metric": METRIC_L2, "bbs": 32}, op)
        metric = MetricType.parse(a["metric"])
        _check_quantizer(op, a["quantizer"], metric)
        _bridge.call("IndexIVFPQFastScanNew", a["quantizer"]._h(op), as_int(a["d"], op, "d"),
                     as_int(a["nlist"], op, "nlist"), as_int(a["M"], op, "M"), as_int(a["nbits"], op, "nbits"),
                     int(metric), as_int(a["bbs"], op, "bbs"), addr(out))
        self._init_ivf(int(out[0]), a["quantizer"], metric)

    def train(self, x: ArrayLike) -> None:
        self.pq._send_cp()
        super().train(x)

    M = property(lambda self: self.pq.M, doc="Sub-quantizers of the 4-bit PQ.")

    @property
    def use_precomputed_table(self) -> int:
        """faiss's switch: -1 turns the precomputed residual tables off; 0, 1 and 2 leave them on."""
        return int(self._param("use_precomputed_table"))

    @use_precomputed_table.setter
    def use_precomputed_table(self, value: Any) -> None:
        self._set_int_field("use_precomputed_table", value)

    def precompute_table(self) -> None:
        """Rebuild the precomputed tables (residual L2 codes only)."""
        _bridge.call("IndexSetParam", self._h("precompute_table"), "precompute_table", 0.0)

    @property
    def orig_invlists(self) -> Any:
        """faiss's lists of standard codes that implem 1 and 2 read: here
        those searches read the index's own codes; scripts may set lists
        and fill them with ``reconstruct_orig_invlists``."""
        return self.__dict__.get("_orig_invlists")

    @orig_invlists.setter
    def orig_invlists(self, il: Any) -> None:
        self.__dict__["_orig_invlists"] = il

    def reconstruct_orig_invlists(self) -> None:
        """Fill ``orig_invlists`` (empty lists of code_size bytes) with every
        list's ids and standard (unpacked) codes."""
        op = self._op("reconstruct_orig_invlists")
        il = self.orig_invlists
        if il is None:
            raise UnsupportedOperationError(f"{op}: set orig_invlists (ArrayInvertedLists(nlist, code_size)) first")
        if il.nlist != self.nlist or il.code_size != self.code_size:
            raise UnsupportedOperationError(f"{op}: orig_invlists must hold nlist={self.nlist} lists of "
                                            f"code_size={self.code_size}, not {il.nlist} of {il.code_size}")
        for l in range(self.nlist):
            if il.list_size(l):
                raise UnsupportedOperationError(f"{op}: orig_invlists must start empty (list {l} is not)")
        for l in range(self.nlist):
            n = self.invlists.list_size(l)
            if n:
                ids = np.empty(n, dtype=np.int64)
                codes = np.empty(n * self.code_size, dtype=np.uint8)
                _bridge.call("IndexIVFListCopy", self._h(op), l, n, addr(ids), addr(codes))
                il.add_entries(l, n, ids, codes)

    def get_CodePacker(self) -> Any:
        """The CodePacker of the lists' blocks (faiss: get_CodePacker)."""
        from .index_fastscan import CodePackerPQ4

        return CodePackerPQ4(self.M, self.bbs)

    def lookup_table_is_3d(self) -> bool:
        """Whether search tables are per (query, list) (faiss's lookup_table_is_3d)."""
        return bool(self.by_residual and self.metric_type == METRIC_L2)


