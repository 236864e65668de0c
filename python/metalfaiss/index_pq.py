"""Indexes of codes searched exhaustively: IndexPQ, IndexScalarQuantizer."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from .distance_computer import IndexFlatCodes
from .errors import InvalidArgumentError
from .index import Index
from .metric import METRIC_L2, MetricType
from .polysemous import PolysemousMixin
from .quantizers import PQIndexMixin, ScalarQuantizer
from ._typing import ArrayLike, MetricLike


class IndexPQ(PQIndexMixin, PolysemousMixin, IndexFlatCodes, Index):
    """Product-quantizer codes, searched with asymmetric distance tables (faiss: ``IndexPQ``).

    ``pq`` is its quantizer. ``search_type`` picks faiss's other searches
    (ST_HE, ST_SDC, ST_polysemous, ...: L2 only); polysemous search needs
    ``do_polysemous_training`` set before ``train``. Memory per vector:
    M * nbits / 8 bytes.

    Parameters
    ----------
    d : int
        Dimension of the vectors (a multiple of M).
    M : int
        Sub-quantizers.
    nbits : int
        Bits per sub-quantizer code (default 8).
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT``.

    Raises
    ------
    InvalidArgumentError
        M does not divide d, or nbits out of 1..16.
    """

    _go_type = "IndexPQ"
    ST_PQ, ST_HE, ST_generalized_hamming, ST_SDC, ST_polysemous, ST_polysemous_generalize = range(6)

    def __init__(self, d: int, M: int, nbits: int = 8, metric: MetricLike = METRIC_L2) -> None:
        op = "IndexPQ"
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexPQNew", as_int(d, op, "d"), as_int(M, op, "M"), as_int(nbits, op, "nbits"),
                     int(MetricType.parse(metric)), addr(out))
        super().__init__(int(out[0]))


    @property
    def code_size(self) -> int:
        """Bytes per code."""
        return self.pq.code_size

    def train(self, x: ArrayLike) -> None:
        self.pq._send_cp()
        self._send_polysemous()
        super().train(x)

    @property
    def search_type(self) -> int:
        """faiss's search type: ST_PQ (default), ST_HE, ST_generalized_hamming, ST_SDC, ST_polysemous, ..."""
        return int(self._search_settings()[0])

    @search_type.setter
    def search_type(self, value: int) -> None:
        op = self._op("search_type")
        value = as_int(value, op, "search_type")
        if not 0 <= value <= 5:
            raise InvalidArgumentError(f"{op}: search_type must be 0..5 (IndexPQ.ST_*), got {value}")
        self._search_settings(search_type=value)


class IndexScalarQuantizer(IndexFlatCodes, Index):
    """Scalar-quantizer codes searched exhaustively (faiss: ``IndexScalarQuantizer``).

    ``sq`` is its quantizer; train it before adding.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    qtype : int
        ``ScalarQuantizer.QT_8bit`` (default; d bytes a vector),
        ``QT_4bit`` (d / 2), ``QT_fp16`` (2 * d), ``QT_8bit_uniform``, ...
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT``.
    """

    _go_type = "IndexScalarQuantizer"

    def __init__(self, d: int, qtype: int = ScalarQuantizer.QT_8bit, metric: MetricLike = METRIC_L2) -> None:
        op = "IndexScalarQuantizer"
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexScalarQuantizerNew", as_int(d, op, "d"), as_int(qtype, op, "qtype"),
                     int(MetricType.parse(metric)), addr(out))
        super().__init__(int(out[0]))

    @property
    def sq(self) -> ScalarQuantizer:
        """The index's ScalarQuantizer."""
        return ScalarQuantizer._of(self._h("sq"), self)

    @property
    def code_size(self) -> int:
        """Bytes per code."""
        return self.sq.code_size
