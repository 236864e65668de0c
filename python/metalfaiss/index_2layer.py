"""Index2Layer: an IVF-PQ's codes (list number, residual code) in one flat
array."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from ._handle import part
from .distance_computer import IndexFlatCodes
from .errors import InputTypeError
from .index import Index
from .metric import METRIC_L2, MetricType
from .quantizers import PQIndexMixin
from ._typing import Any, ArrayLike, MetricLike


class Level1Quantizer:
    """The coarse level of an Index2Layer (faiss: ``Level1Quantizer``, ``index.q1``).

    ``index.q1`` of an Index2Layer (faiss's Level1Quantizer): the coarse
    ``quantizer``, ``nlist`` and ``quantizer_trains_alone`` (0: k-means
    with the quantizer as assignment index; 1: the quantizer trains itself,
    as a MultiIndexQuantizer does; 2: k-means on a flat L2 index).

    Parameters
    ----------
    owner : Index2Layer
        The index whose coarse level this is.
    """

    def __init__(self, owner: Any) -> None:
        self._owner = owner
        self.own_fields = False  # faiss's flag; the quantizer lives as long as the index either way

    @property
    def quantizer(self) -> Any:
        """The first-level quantizer (an index of nlist centroids)."""
        return self._owner._quantizer

    @quantizer.setter
    def quantizer(self, quantizer: Index) -> None:
        op = "Index2Layer.q1.quantizer"
        if not isinstance(quantizer, Index):
            raise InputTypeError(f"{op}: expected a metalfaiss index, got {type(quantizer).__name__}")
        _bridge.call("Index2LayerSetQuantizer", self._owner._h(op), quantizer._h(op))
        self._owner._quantizer = quantizer

    @property
    def nlist(self) -> int:
        """Number of first-level centroids."""
        return int(self._owner._layer_info()[0])

    @property
    def quantizer_trains_alone(self) -> int:
        """How train places the centroids: 0 k-means through the quantizer, 1 the quantizer
        trains itself, 2 k-means on a flat index."""
        return int(self._owner._layer_info()[1])

    @quantizer_trains_alone.setter
    def quantizer_trains_alone(self, value: Any) -> None:
        op = "Index2Layer.q1.quantizer_trains_alone"
        _bridge.call("Index2LayerSetTrainsAlone", self._owner._h(op), as_int(value, op, "quantizer_trains_alone"))


class Index2Layer(PQIndexMixin, IndexFlatCodes, Index):
    """A coarse centroid number and a PQ code of the residual per vector (faiss: ``Index2Layer``).

    Each vector is stored as the number of its nearest of the ``nlist``
    centroids of ``quantizer`` (``code_size_1`` bytes) and a product-
    quantizer code of its residual (``code_size_2`` bytes), the codes an
    IndexIVFPQ (or ``sa_encode`` of ``"IVF{nlist},PQ{M}np"``) makes.
    ``train`` places the centroids (``q1``) and learns ``pq`` on the
    residuals; ``transfer_to_IVFPQ(ivfpq)`` fills an empty IndexIVFPQ with
    the codes. Factory: ``"Residual{nlist},PQ{M}"``, ``"Residual2x{b},PQ{M}"``
    (a MultiIndexQuantizer). faiss leaves ``search`` out; here it measures
    the decoded vectors.

    Parameters
    ----------
    quantizer : Index
        The coarse quantizer (trained or not), of dimension d.
    nlist : int
        Number of centroids.
    M : int
        Sub-quantizers of the residual's product quantizer (a divisor of d).
    nbit : int
        Bits per sub-quantizer code (default 8).
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).

    Raises
    ------
    InputTypeError
        A parameter is not an integer, or quantizer is not an Index.
    InvalidArgumentError
        M does not divide d, or nlist below 1.
    """

    _go_type = "Index2Layer"

    def __init__(self, quantizer: Index, nlist: int, M: int, nbit: int = 8, metric: MetricLike = METRIC_L2) -> None:
        op = "Index2Layer"
        if not isinstance(quantizer, Index):
            raise InputTypeError(f"{op}: quantizer must be a metalfaiss index, got {type(quantizer).__name__}")
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("Index2LayerNew", quantizer._h(op), as_int(nlist, op, "nlist"), as_int(M, op, "M"),
                     as_int(nbit, op, "nbit"), int(MetricType.parse(metric)), addr(out))
        super().__init__(int(out[0]))
        self._quantizer = quantizer  # lives as long as this index
        self.q1 = Level1Quantizer(self)

    def _adopt(self, handle):
        super()._adopt(handle)
        self._quantizer = part(self, "Index2LayerQuantizer", "Index2Layer.q1.quantizer")
        self.q1 = Level1Quantizer(self)

    def _layer_info(self):
        out = np.zeros(4, dtype=np.int64)
        _bridge.call("Index2LayerInfo", self._h("q1"), addr(out))
        return out

    def train(self, x: ArrayLike) -> None:
        self.pq._send_cp()
        super().train(x)

    @property
    def is_trained(self) -> bool:
        """Whether the quantizer and the PQ are trained."""
        return Index.is_trained.fget(self)

    @is_trained.setter
    def is_trained(self, value: bool) -> None:
        # faiss's flag, set by scripts that gave the index a trained
        # quantizer and pq by hand
        _bridge.call("Index2LayerSetTrained", self._h("is_trained"), bool(value))

    code_size_1 = property(lambda self: int(self._layer_info()[2]), doc="Bytes of a code's list number.")
    code_size_2 = property(lambda self: int(self._layer_info()[3]), doc="Bytes of a code's PQ part.")
    code_size = property(lambda self: self.code_size_1 + self.code_size_2,
                         doc="Bytes per code (code_size_1 + code_size_2).")

    def transfer_to_IVFPQ(self, other: Index) -> None:
        """Add every code to the empty IndexIVFPQ ``other`` (same nlist and
        code size), under ids 0..ntotal-1."""
        op = "Index2Layer.transfer_to_IVFPQ"
        if not isinstance(other, Index):
            raise InputTypeError(f"{op}: expected a metalfaiss IndexIVFPQ, got {type(other).__name__}")
        _bridge.call("Index2LayerTransferToIVFPQ", self._h(op), other._h(op))
