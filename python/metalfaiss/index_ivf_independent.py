"""faiss's IndexIVFIndependentQuantizer: lists chosen by a quantizer of
the input space, vectors stored by an IVF index after a transform."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr
from ._handle import wrap
from .errors import InputTypeError
from .index import Index
from .transforms import VectorTransform
from ._typing import Any


class IndexIVFIndependentQuantizer(Index):
    """IVF whose lists are chosen in another space (faiss: ``IndexIVFIndependentQuantizer``).

    ``quantizer`` (of the input dimension) picks the lists, ``vt`` maps the
    vectors to ``index_ivf``'s dimension, and ``index_ivf`` stores them; its
    own quantizer gets the transformed centroids at ``train``. Searches
    probe ``index_ivf.nprobe`` lists. IVFPQ's precomputed tables are turned
    off (use_precomputed_table = -1), as in faiss: they would add coarse
    distances computed in the other space.

    Parameters
    ----------
    quantizer : Index
        The coarse quantizer, of the input dimension d.
    index_ivf : IndexIVF
        The IVF index that stores the (transformed) vectors, with as many
        lists as quantizer will hold centroids.
    vt : VectorTransform, optional
        Maps d to index_ivf's dimension (None: the same dimension).

    Raises
    ------
    InputTypeError
        An argument of the wrong kind.
    DimensionMismatchError
        The dimensions of quantizer, vt and index_ivf do not chain.
    """

    _go_type = "IndexIVFIndependentQuantizer"

    def __init__(self, quantizer: Index, index_ivf: Any, vt: Any = None) -> None:
        from .index_ivf import IndexIVF

        op = "IndexIVFIndependentQuantizer"
        if not isinstance(quantizer, Index):
            raise InputTypeError(f"{op}: the quantizer must be a metalfaiss index, got {type(quantizer).__name__}")
        if not isinstance(index_ivf, IndexIVF):
            raise InputTypeError(f"{op}: index_ivf must be an IVF index, got {type(index_ivf).__name__}")
        if vt is not None and not isinstance(vt, VectorTransform):
            raise InputTypeError(f"{op}: vt must be a VectorTransform or None, got {type(vt).__name__}")
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexIVFIndependentQuantizerNew", quantizer._h(op), index_ivf._h(op),
                     0 if vt is None else vt._h(op), addr(out))
        super().__init__(int(out[0]))
        # the parts live as long as the index, as faiss's own_fields=False
        self.quantizer, self.index_ivf, self.vt = quantizer, index_ivf, vt

    def _part(self, which, cls):
        out = np.zeros(1, dtype=np.int64)
        op = "IndexIVFIndependentQuantizer.part"
        _bridge.call("IVFIndependentPart", self._h(op), which, addr(out))
        return None if out[0] == 0 else wrap(int(out[0]), cls, op)

    def _adopt(self, handle):
        super()._adopt(handle)
        self.quantizer = self._part(0, Index)
        self.index_ivf = self._part(1, Index)
        self.vt = self._part(2, VectorTransform)
