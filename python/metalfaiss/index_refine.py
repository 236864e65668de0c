"""IndexRefineFlat: exact re-ranking of an approximate index's answers."""

import numpy as np

from . import _bridge
from ._arrays import addr
from ._handle import part
from .errors import InputTypeError, InvalidArgumentError
from .index import Index


class IndexRefineFlat(Index):
    """``IndexRefineFlat(base_index)``: searches ``base_index`` for
    ``k_factor * k`` candidates and ranks them by exact distance to a flat
    copy of the vectors kept alongside. ``base_index`` must be empty."""

    _go_type = "IndexRefineFlat"

    def __init__(self, base_index, xb=None):
        op = "IndexRefineFlat"
        if not isinstance(base_index, Index):
            raise InputTypeError(f"{op}: base_index must be a metalfaiss index, got {type(base_index).__name__}")
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexRefineFlatNew", base_index._h(op), addr(out))
        super().__init__(int(out[0]))
        self.base_index = base_index
        if xb is not None:
            self.add(xb)

    def _adopt(self, handle):
        super()._adopt(handle)
        self.base_index = part(self, "IndexRefineBase", "IndexRefine.base_index")

    @property
    def k_factor(self):
        out = np.zeros(1, dtype=np.float64)
        _bridge.call("IndexGetParam", self._h("k_factor"), "k_factor", addr(out))
        return float(out[0])

    @k_factor.setter
    def k_factor(self, value):
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise InvalidArgumentError(f"IndexRefineFlat.k_factor: expected a number, got {value!r}") from None
        _bridge.call("IndexSetParam", self._h("k_factor"), "k_factor", value)


class IndexRefine(IndexRefineFlat):
    """``IndexRefine(base_index, refine_index)`` with a flat refine index
    (the only kind metalfaiss has): the same as IndexRefineFlat, which
    keeps its own flat copy; refine_index must be an empty IndexFlat of the
    same dimension and metric."""

    def __init__(self, base_index, refine_index):
        from .index_flat import IndexFlat

        if not isinstance(refine_index, IndexFlat):
            raise InputTypeError(f"IndexRefine: refine_index must be a flat index, got {type(refine_index).__name__}")
        if refine_index.ntotal != 0 or refine_index.d != base_index.d or refine_index.metric_type != base_index.metric_type:
            raise InvalidArgumentError("IndexRefine: refine_index must be empty, with the base index's d and metric")
        super().__init__(base_index)
        self.refine_index = refine_index
