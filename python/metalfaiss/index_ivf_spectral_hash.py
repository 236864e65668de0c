"""IndexIVFSpectralHash: binary codes in inverted lists, searched by Hamming
distance."""

from __future__ import annotations

from typing import TYPE_CHECKING
import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from ._handle import wrap
from .errors import InputTypeError, InvalidArgumentError
from .index_ivf import IndexIVF, _check_quantizer
from .metric import METRIC_L2
from .transforms import VectorTransform
from ._typing import Any, Float32Array

if TYPE_CHECKING:
    from .index import Index


class IndexIVFSpectralHash(IndexIVF):
    """IVF lists of spectral-hash binary codes (faiss: ``IndexIVFSpectralHash``).

    Each vector goes through ``vt`` (a random rotation to nbit dimensions,
    seed 1234, until ``replace_vt``), each value less the list's threshold is
    cut into periods of ``period`` and the parity of its period is one bit
    of the code (``period`` -1e10: the bit is the sign). Searches rank by the
    Hamming distance to the query's code (the distances are bit counts).
    ``threshold_type``: Thresh_global (0, thresholds 0), Thresh_centroid (1,
    the transformed centroid), Thresh_centroid_half (2, less a quarter
    period), Thresh_median (3, medians of the list's training vectors,
    ``trained``). Codes do not decode. Factory:
    ``"IVF{n},ITQ{b},SH{period}[g|c|m]"`` (also ``PCA{b}`` / ``PCAR{b}``).
    Memory per vector: nbit / 8 bytes and an 8-byte id.

    Parameters
    ----------
    quantizer : Index
        The coarse quantizer, of dimension d.
    d : int
        Dimension of the vectors.
    nlist : int
        Number of lists.
    nbit : int
        Bits per code.
    period : float
        Width of a period of the hash (-1e10: sign bits).

    Raises
    ------
    InputTypeError
        A parameter is not a number, or quantizer is not an Index.
    InvalidArgumentError
        nlist or nbit below 1.
    DimensionMismatchError
        The quantizer's dimension is not d.
    """

    _go_type = "IndexIVFSpectralHash"
    Thresh_global, Thresh_centroid, Thresh_centroid_half, Thresh_median = range(4)

    def __init__(self, quantizer: Index, d: int, nlist: int, nbit: int, period: Any) -> None:
        op = "IndexIVFSpectralHash"
        _check_quantizer(op, quantizer, METRIC_L2)
        try:
            period = float(period)
        except (TypeError, ValueError):
            raise InvalidArgumentError(f"{op}: period must be a number, got {period!r}") from None
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexIVFSpectralHashNew", quantizer._h(op), as_int(d, op, "d"), as_int(nlist, op, "nlist"),
                     as_int(nbit, op, "nbit"), period, addr(out))
        self._init_ivf(int(out[0]), quantizer, METRIC_L2)
        self.own_fields = False

    def _sh_info(self):
        out, period = np.zeros(3, dtype=np.int64), np.zeros(1, dtype=np.float64)
        _bridge.call("IVFSpectralHashInfo", self._h("info"), addr(out), addr(period))
        return out, float(period[0])

    nbit = property(lambda self: int(self._sh_info()[0][0]), doc="Bits per code.")

    @property
    def period(self) -> Any:
        """Period of the thresholds' binarisation."""
        return self._sh_info()[1]

    @period.setter
    def period(self, value: Any) -> None:
        _bridge.call("IVFSpectralHashSet", self._h("period"), "period", float(value))

    @property
    def threshold_type(self) -> int:
        """faiss's threshold type (Thresh_global, Thresh_centroid, ...)."""
        return int(self._sh_info()[0][1])

    @threshold_type.setter
    def threshold_type(self, value: Any) -> None:
        op = self._op("threshold_type")
        _bridge.call("IVFSpectralHashSet", self._h(op), "threshold_type", float(as_int(value, op, "threshold_type")))

    @property
    def trained(self) -> Float32Array:
        """The thresholds (float32; nlist x nbit used), a copy."""
        n = int(self._sh_info()[0][2])
        out = np.empty(n, dtype=np.float32)
        _bridge.call("IVFSpectralHashTrained", self._h("trained"), n, addr(out))
        return out

    @property
    def vt(self) -> Any:
        """The vector transform (d -> nbit)."""
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IVFSpectralHashVT", self._h("vt"), addr(out))
        return wrap(int(out[0]), VectorTransform, "IndexIVFSpectralHash.vt")

    def replace_vt(self, vt: Any, own: bool = False) -> None:
        """Use ``vt`` (d -> nbit), or the transform of an IndexPreTransform
        over a plain IndexLSH of nbit bits, with global thresholds."""
        from .index_lsh import IndexLSH
        from .index_pretransform import IndexPreTransform

        op = self._op("replace_vt")
        if isinstance(vt, IndexPreTransform):
            sub = vt.index
            if len(vt.chain) != 1 or not isinstance(sub, IndexLSH):
                raise InvalidArgumentError(f"{op}: final index should be LSH, behind one transform")
            if sub.nbits != self.nbit or sub.rotate_data or sub.train_thresholds:
                raise InvalidArgumentError(f"{op}: the LSH must have nbits={self.nbit}, no rotation, no trained thresholds")
            vt = vt.chain.at(0)
        if not isinstance(vt, VectorTransform):
            raise InputTypeError(f"{op}: expected a VectorTransform or IndexPreTransform, got {type(vt).__name__}")
        _bridge.call("IVFSpectralHashReplaceVT", self._h(op), vt._h(op))
        self.own_fields = bool(own)
