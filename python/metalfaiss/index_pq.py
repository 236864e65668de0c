"""Indexes of codes searched exhaustively: IndexPQ, IndexScalarQuantizer."""

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from .index import Index
from .metric import METRIC_L2, MetricType
from .quantizers import ProductQuantizer, ScalarQuantizer


class IndexPQ(Index):
    """``IndexPQ(d, M, nbits, metric=METRIC_L2)``: product-quantizer codes,
    searched with asymmetric distance tables. ``pq`` is its quantizer."""

    _go_type = "IndexPQ"

    def __init__(self, d, M, nbits=8, metric=METRIC_L2):
        op = "IndexPQ"
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexPQNew", as_int(d, op, "d"), as_int(M, op, "M"), as_int(nbits, op, "nbits"),
                     int(MetricType.parse(metric)), addr(out))
        super().__init__(int(out[0]))

    @property
    def pq(self):
        """The product quantizer (changes to ``pq.cp`` apply at train)."""
        if getattr(self, "_pq", None) is None:
            self._pq = ProductQuantizer._of(self._h("pq"), self)
        return self._pq

    @pq.setter
    def pq(self, pq):
        """Take the centroids of another product quantizer of the same d, M
        and nbits (``index.pq = trained.pq``, as faiss scripts do)."""
        self.pq.take_centroids(pq, self._op("pq"))

    @property
    def code_size(self):
        return self.pq.code_size

    def train(self, x):
        self.pq._send_cp()
        super().train(x)


class IndexScalarQuantizer(Index):
    """``IndexScalarQuantizer(d, qtype, metric=METRIC_L2)``: scalar-quantizer
    codes searched exhaustively. ``sq`` is its quantizer."""

    _go_type = "IndexScalarQuantizer"

    def __init__(self, d, qtype=ScalarQuantizer.QT_8bit, metric=METRIC_L2):
        op = "IndexScalarQuantizer"
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexScalarQuantizerNew", as_int(d, op, "d"), as_int(qtype, op, "qtype"),
                     int(MetricType.parse(metric)), addr(out))
        super().__init__(int(out[0]))

    @property
    def sq(self):
        return ScalarQuantizer._of(self._h("sq"), self)

    @property
    def code_size(self):
        return self.sq.code_size
