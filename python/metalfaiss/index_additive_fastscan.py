"""Additive-quantizer codes of 4 bits per codebook searched by the fast-scan
kernels (faiss's IndexAdditiveQuantizerFastScan family). For L2 the norm
is stored in two more 4-bit codes (``ST_norm_rq2x4`` / ``ST_norm_lsq2x4``)
and, as in faiss, the distances leave out |x|^2; inner products need
``ST_LUT_nonorm``."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from .additive_quantizers import (
    AdditiveQuantizer, LocalSearchQuantizer, ProductLocalSearchQuantizer, ProductResidualQuantizer, ResidualQuantizer,
)
from .errors import InputTypeError
from .index import Index
from .index_additive import IndexAdditiveQuantizer, IndexIVFAdditiveQuantizer
from .index_fastscan import IndexFastScan, _bind
from .index_ivf import IndexIVF, _check_quantizer
from .index_ivf_fastscan import IVFFastScanFields
from .metric import METRIC_L2, MetricType
from ._typing import Any, ArrayLike

_KINDS = (ResidualQuantizer, LocalSearchQuantizer, ProductResidualQuantizer, ProductLocalSearchQuantizer)


class _AQFastScanFields:
    """What faiss's additive fast-scan indexes add, flat and IVF: ``aq``
    (the quantizer), ``norm_scale`` (the norm tables' scale, estimated at
    train for L2), ``rescale_norm`` and ``max_train_points``."""

    @property
    def aq(self) -> Any:
        """The index's additive quantizer (also under rq, lsq, prq or plsq, as faiss names it)."""
        q = self.__dict__.get("_aq")
        if q is None:
            out = np.zeros(1, dtype=np.int64)
            _bridge.call("AQKind", self._h("aq"), addr(out))
            cls = _KINDS[int(out[0])]
            q = self.__dict__["_aq"] = cls._of(self._h("aq"), self)
            if cls is not ResidualQuantizer:
                q.cp = None  # progressive-dim parameters: residual quantizers only
        return q

    def train(self, x: ArrayLike) -> None:
        if getattr(self.aq, "cp", None) is not None:
            self.aq._send_cp()
        super().train(x)

    def _norm(self, **changes):
        out = np.zeros(3, dtype=np.int64)
        _bridge.call("AQFastScanNorm", self._h("norm_scale"), False, 0, 0, 0, addr(out))
        if changes:
            cur = dict(zip(("rescale_norm", "norm_scale", "max_train_points"), (int(v) for v in out)))
            cur.update(changes)
            _bridge.call("AQFastScanNorm", self._h("norm_scale"), True, int(bool(cur["rescale_norm"])),
                         cur["norm_scale"], cur["max_train_points"], addr(out))
        return out

    @property
    def rescale_norm(self) -> bool:
        return bool(self._norm()[0])

    @rescale_norm.setter
    def rescale_norm(self, value: Any) -> None:
        self._norm(rescale_norm=bool(value))

    @property
    def norm_scale(self) -> int:
        return int(self._norm()[1])

    @norm_scale.setter
    def norm_scale(self, value: Any) -> None:
        self._norm(norm_scale=as_int(value, self._op("norm_scale"), "norm_scale"))

    @property
    def max_train_points(self) -> int:
        return int(self._norm()[2])

    @max_train_points.setter
    def max_train_points(self, value: Any) -> None:
        self._norm(max_train_points=as_int(value, self._op("max_train_points"), "max_train_points"))


class IndexAdditiveQuantizerFastScan(_AQFastScanFields, IndexFastScan, Index):
    """An additive-quantizer index packed for fast scan (faiss: ``IndexAdditiveQuantizerFastScan``).

    The source is a trained IndexResidualQuantizer / IndexLocalSearchQuantizer
    / product form with 4-bit codebooks; the quantizer (``aq``) is shared
    with it, as in faiss. Memory per vector: M / 2 bytes plus the norm's.

    Parameters
    ----------
    index : IndexAdditiveQuantizer
        The trained source index (its codes are copied).
    bbs : int
        Vectors per block (a multiple of 32, default 32).

    Raises
    ------
    InputTypeError
        index is not an additive-quantizer index.
    InvalidArgumentError
        Codebooks of other than 4 bits, or bbs not a positive multiple of
        32.
    """

    _go_type = "IndexAdditiveQuantizerFastScan"

    def __init__(self, index: Index, bbs: Any = 32) -> None:
        op = "IndexAdditiveQuantizerFastScan"
        if not isinstance(index, IndexAdditiveQuantizer):
            raise InputTypeError(f"{op}: expected an IndexAdditiveQuantizer, got {type(index).__name__}")
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexAQFastScanFromAQ", index._h(op), as_int(bbs, op, "bbs"), addr(out))
        super().__init__(int(out[0]))
        self._aq = index.aq

    def sa_code_size(self) -> Any:
        return self.code_size


class IndexIVFAdditiveQuantizerFastScan(_AQFastScanFields, IVFFastScanFields, IndexIVF):
    """An IVF additive-quantizer index packed for fast scan (faiss: ``IndexIVFAdditiveQuantizerFastScan``).

    The quantizers are shared with the source. faiss takes residual codes
    under the inner product only, and turns ``by_residual`` on; the copy here
    keeps the source's setting. Codes are of residuals by default
    (``by_residual``), their norms those of the whole vectors.

    Parameters
    ----------
    index : IndexIVFAdditiveQuantizer
        The trained source index with 4-bit codebooks.
    bbs : int
        Vectors per block (a multiple of 32, default 32).

    Raises
    ------
    InputTypeError
        index is not an IVF additive-quantizer index.
    InvalidArgumentError
        Codebooks of other than 4 bits, or bbs not a positive multiple of
        32.
    """

    _go_type = "IndexIVFAdditiveQuantizerFastScan"

    def __init__(self, index: Index, bbs: Any = 32) -> None:
        op = "IndexIVFAdditiveQuantizerFastScan"
        if not isinstance(index, IndexIVFAdditiveQuantizer):
            raise InputTypeError(f"{op}: expected an IndexIVFAdditiveQuantizer, got {type(index).__name__}")
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexIVFAQFastScanFromIVF", index._h(op), as_int(bbs, op, "bbs"), addr(out))
        self._init_ivf(int(out[0]), index.quantizer, index.metric_type)
        self._aq = index.aq

    M = property(lambda self: self._int_field("M"),
                 doc="Four-bit groups of a code (the codebooks', 4 bits each, and the norm's).")


def _new(kind, op, d, nsplits, M, nbits, metric, search_type, bbs):
    out = np.zeros(1, dtype=np.int64)
    _bridge.call("IndexAQFastScanNew", kind, as_int(d, op, "d"), as_int(nsplits, op, "nsplits"), as_int(M, op, "M"),
                 as_int(nbits, op, "nbits"), int(MetricType.parse(metric)), as_int(search_type, op, "search_type"),
                 as_int(bbs, op, "bbs"), addr(out))
    return int(out[0])


# The numpy sections of the generated classes' docstrings: the codebook
# shape (M, or nsplits x Msub), then what every form shares.
_SHAPE_DOC = {
    True: "    M : int\n        Number of codebooks.\n",
    False: "    nsplits : int\n        Number of slices of the dimensions.\n    Msub : int\n        Codebooks per slice.\n",
}
_QUANTIZER_DOC = "    quantizer : Index\n        The coarse quantizer, of dimension d.\n"
_NLIST_DOC = "    nlist : int\n        Number of lists.\n"
_FASTSCAN_NOTE = """Codebooks have 4-bit entries, so a code of M codebooks takes M / 2 bytes
plus the norm's byte (search_type ST_norm_rq2x4 or ST_norm_lsq2x4: two
4-bit groups); distances are estimated from 8-bit tables, so add a refine
step for exact ranking.

Parameters
----------
*args, **kwargs
    faiss's arguments, in this order or by name:
{quantizer}    d : int
        Dimension of the vectors.
{shape}    nbits : int
        Bits per codebook entry index (4).
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).
    search_type : int
        How the norm is stored (``AdditiveQuantizer.ST_norm_rq2x4`` or
        ``ST_norm_lsq2x4``).
    bbs : int
        Vectors per block (a multiple of 32, default 32).

Raises
------
InputTypeError
    A parameter is not an integer.
InvalidArgumentError
    nbits is not 4, bbs not a positive multiple of 32, or another search
    type.
"""


def _flat(name, kind, default_st, holder):
    shape = ("M",) if kind < 2 else ("nsplits", "Msub")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        a = _bind(("d",) + shape + ("nbits", "metric", "search_type", "bbs"), args, kwargs,
                  {"metric": METRIC_L2, "search_type": default_st, "bbs": 32}, name)
        nsplits, M = (1, a["M"]) if kind < 2 else (a["nsplits"], a["Msub"])
        Index.__init__(self, _new(kind, name, a["d"], nsplits, M, a["nbits"], a["metric"], a["search_type"], a["bbs"]))

    st = "ST_norm_rq2x4" if default_st == AdditiveQuantizer.ST_norm_rq2x4 else "ST_norm_lsq2x4"
    doc = (f"{_KINDS[kind].__name__} codes scanned by the fast-scan kernels (faiss: ``{name}``).\n\n"
           f"``{name}(d, {', '.join(shape)}, nbits, metric=METRIC_L2, search_type={st}, bbs=32)``; "
           f"``{holder}`` (also ``aq``) is the quantizer. "
           + _FASTSCAN_NOTE.format(quantizer="", shape=_SHAPE_DOC[kind < 2]))
    return type(name, (IndexAdditiveQuantizerFastScan,), {"_go_type": name, "__init__": __init__, "__doc__": doc,
                                                          holder: _AQFastScanFields.aq})


_AQ = AdditiveQuantizer
IndexResidualQuantizerFastScan = _flat("IndexResidualQuantizerFastScan", 0, _AQ.ST_norm_rq2x4, "rq")
IndexLocalSearchQuantizerFastScan = _flat("IndexLocalSearchQuantizerFastScan", 1, _AQ.ST_norm_lsq2x4, "lsq")
IndexProductResidualQuantizerFastScan = _flat("IndexProductResidualQuantizerFastScan", 2, _AQ.ST_norm_rq2x4, "prq")
IndexProductLocalSearchQuantizerFastScan = _flat(
    "IndexProductLocalSearchQuantizerFastScan", 3, _AQ.ST_norm_lsq2x4, "plsq")


def _ivf(name, kind, default_st, holder):
    shape = ("M",) if kind < 2 else ("nsplits", "Msub")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        a = _bind(("quantizer", "d", "nlist") + shape + ("nbits", "metric", "search_type", "bbs"), args, kwargs,
                  {"metric": METRIC_L2, "search_type": default_st, "bbs": 32}, name)
        metric = MetricType.parse(a["metric"])
        _check_quantizer(name, a["quantizer"], metric)
        nsplits, M = (0, a["M"]) if kind < 2 else (a["nsplits"], a["Msub"])
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexIVFAQFastScanNew", kind, a["quantizer"]._h(name), as_int(a["d"], name, "d"),
                     as_int(a["nlist"], name, "nlist"), as_int(nsplits, name, "nsplits"), as_int(M, name, "M"),
                     as_int(a["nbits"], name, "nbits"), int(metric), as_int(a["search_type"], name, "search_type"),
                     as_int(a["bbs"], name, "bbs"), addr(out))
        self._init_ivf(int(out[0]), a["quantizer"], metric)

    doc = (f"{_KINDS[kind].__name__} codes in inverted lists scanned by the fast-scan kernels (faiss: ``{name}``)."
           f"\n\n``{name}(quantizer, d, nlist, {', '.join(shape)}, nbits, metric=METRIC_L2, search_type=..., "
           f"bbs=32)``; ``{holder}`` (also ``aq``) is the quantizer; an 8-byte id per vector besides the code. "
           + _FASTSCAN_NOTE.format(quantizer=_QUANTIZER_DOC, shape=_NLIST_DOC + _SHAPE_DOC[kind < 2]))
    return type(name, (IndexIVFAdditiveQuantizerFastScan,), {"_go_type": name, "__init__": __init__, "__doc__": doc,
                                                             holder: _AQFastScanFields.aq})


IndexIVFResidualQuantizerFastScan = _ivf("IndexIVFResidualQuantizerFastScan", 0, _AQ.ST_norm_rq2x4, "rq")
IndexIVFLocalSearchQuantizerFastScan = _ivf("IndexIVFLocalSearchQuantizerFastScan", 1, _AQ.ST_norm_lsq2x4, "lsq")
IndexIVFProductResidualQuantizerFastScan = _ivf(
    "IndexIVFProductResidualQuantizerFastScan", 2, _AQ.ST_norm_rq2x4, "prq")
IndexIVFProductLocalSearchQuantizerFastScan = _ivf(
    "IndexIVFProductLocalSearchQuantizerFastScan", 3, _AQ.ST_norm_lsq2x4, "plsq")
