"""IndexIVFPQR: an IVF-PQ whose candidates are re-ranked with a second
product quantizer of what the first leaves of each residual."""

from __future__ import annotations

from typing import TYPE_CHECKING
import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from .errors import InvalidArgumentError
from .index_ivf import IndexIVFPQ, _check_quantizer
from .metric import METRIC_L2
from .quantizers import ProductQuantizer
from ._typing import Any, ArrayLike, UInt8Array

if TYPE_CHECKING:
    from .index import Index


class IndexIVFPQR(IndexIVFPQ):
    """IVF-PQ whose candidates are re-ranked with a second PQ of the leftover (faiss: ``IndexIVFPQR``).

    An L2 IndexIVFPQ by residual that also codes each vector's leftover
    (residual less its PQ reconstruction) with ``refine_pq`` (its k-means
    samples 1000 points a centroid, as faiss's). A search takes ``k *
    k_factor`` candidates (``k_factor`` 4) from the IVF-PQ and ranks them by
    the distance to the refined reconstruction, which ``reconstruct`` also
    gives. Ids are 0..ntotal-1 (``add_with_ids`` takes only those),
    ``remove_ids`` raises as in faiss. Factory: ``"IVF{n},PQ{M}+{M_refine}"``.
    Memory per vector: (M * nbits_per_idx + M_refine * nbits_per_idx_refine)
    / 8 bytes and an 8-byte id.

    Parameters
    ----------
    quantizer : Index
        The coarse quantizer, of dimension d.
    d : int
        Dimension of the vectors (a multiple of M and of M_refine).
    nlist : int
        Number of lists.
    M : int
        Sub-quantizers of the first product quantizer.
    nbits_per_idx : int
        Bits per code of the first (8 in faiss's factory).
    M_refine : int
        Sub-quantizers of the refining product quantizer.
    nbits_per_idx_refine : int
        Bits per code of the refining one.

    Raises
    ------
    InputTypeError
        A parameter is not an integer, or quantizer is not an Index.
    InvalidArgumentError
        M or M_refine does not divide d, or nlist below 1.
    """

    _go_type = "IndexIVFPQR"

    def __init__(self, quantizer: Index, d: int, nlist: int, M: int, nbits_per_idx: Any, M_refine: Any,
                 nbits_per_idx_refine: Any) -> None:
        op = "IndexIVFPQR"
        _check_quantizer(op, quantizer, METRIC_L2)
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexIVFPQRNew", quantizer._h(op), as_int(d, op, "d"), as_int(nlist, op, "nlist"),
                     as_int(M, op, "M"), as_int(nbits_per_idx, op, "nbits_per_idx"), as_int(M_refine, op, "M_refine"),
                     as_int(nbits_per_idx_refine, op, "nbits_per_idx_refine"), addr(out))
        self._init_ivf(int(out[0]), quantizer, METRIC_L2)

    @property
    def refine_pq(self) -> Any:
        """The second-level product quantizer (its ``cp`` applies at train)."""
        if getattr(self, "_refine_pq", None) is None:
            out = np.zeros(1, dtype=np.int64)
            _bridge.call("IVFPQRRefinePQ", self._h("refine_pq"), addr(out))
            self._refine_pq = ProductQuantizer._of(int(out[0]), None)
            self._refine_pq.cp.max_points_per_centroid = 1000
        return self._refine_pq

    @property
    def refine_codes(self) -> UInt8Array:
        """The refine codes in id order (ntotal x refine_pq.code_size bytes),
        a copy."""
        n = self.ntotal * self.refine_pq.code_size
        out = np.empty(n, dtype=np.uint8)
        _bridge.call("IVFPQRRefineCodes", self._h("refine_codes"), n, addr(out))
        return out

    @property
    def k_factor(self) -> float:
        """Candidates re-ranked with the refinement codes, as a factor of k."""
        return float(self._param("k_factor"))

    @k_factor.setter
    def k_factor(self, value: Any) -> None:
        op = self._op("k_factor")
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise InvalidArgumentError(f"{op}: expected a number, got {value!r}") from None
        _bridge.call("IndexSetParam", self._h("k_factor"), "k_factor", value)

    def train(self, x: ArrayLike) -> None:
        self.refine_pq._send_cp()
        super().train(x)
