"""The inverted multi-index's coarse quantizers: MultiIndexQuantizer and
MultiIndexQuantizer2."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from ._handle import part
from .errors import InputTypeError, InvalidArgumentError, UnsupportedOperationError
from .index import Index
from .quantizers import PQIndexMixin
from ._typing import Any, ArrayLike


class MultiIndexQuantizer(PQIndexMixin, Index):
    """The coarse quantizer of an inverted multi-index (faiss: ``MultiIndexQuantizer``).

    A product quantizer (``pq``) whose 2^(M*nbits) centroid combinations are
    the index's vectors: label ``sum(j_m << (nbits * m))`` stands for
    centroid ``j_m`` of each sub-space m. ``search`` finds the nearest
    combinations by the multi-sequence algorithm (faiss's results, ties
    aside); ``reconstruct`` gives a combination's centroids. Always L2;
    ``add`` and ``reset`` raise (the vectors are virtual). As an IVF's
    quantizer (``IMI2x10`` in the factory) it trains itself.

    Parameters
    ----------
    d : int
        Dimension of the vectors (a multiple of M).
    M : int
        Number of sub-spaces (2 in ``IMI2x{nbits}``).
    nbits : int
        Bits per sub-space: 2^nbits centroids each.

    Raises
    ------
    InputTypeError
        A parameter is not an integer.
    InvalidArgumentError
        M does not divide d, or nbits out of range.
    """

    _go_type = "MultiIndexQuantizer"

    def __init__(self, d: int, M: int, nbits: int) -> None:
        op = type(self).__name__
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("MultiIndexQuantizerNew", as_int(d, op, "d"), as_int(M, op, "M"), as_int(nbits, op, "nbits"), addr(out))
        super().__init__(int(out[0]))

    def train(self, x: ArrayLike) -> None:
        self.pq._send_cp()
        super().train(x)

    def reset(self) -> None:
        raise UnsupportedOperationError(f"{type(self).__name__}.reset: This index has virtual elements, it does not support reset")


class MultiIndexQuantizer2(MultiIndexQuantizer):
    """A MultiIndexQuantizer whose sub-spaces are searched by given indexes (faiss: ``MultiIndexQuantizer2``).

    ``MultiIndexQuantizer2(d, nbits, assign_index_0, assign_index_1)`` (or
    ``(d, M, nbits, [indexes])``): each index covers d / M dimensions (an
    HNSW for large nbits, say); ``train`` adds each sub-space's centroids to
    its index. ``assign_indexes`` lists them.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    *args
        ``nbits, assign_index_0, assign_index_1`` (two sub-spaces) or ``M,
        nbits, indexes`` (a list of M indexes of dimension d / M).

    Raises
    ------
    InputTypeError
        An index argument that is not a metalfaiss index.
    InvalidArgumentError
        M does not divide d, or the number of indexes is not M.
    DimensionMismatchError
        An index of another dimension than d / M.
    """

    _go_type = "MultiIndexQuantizer2"

    def __init__(self, d: int, *args: Any) -> None:
        op = type(self).__name__
        if len(args) == 3 and isinstance(args[1], Index):
            nbits, indexes = args[0], [args[1], args[2]]
        elif len(args) == 3:
            M, nbits, indexes = args
            indexes = list(indexes)
            if len(indexes) != as_int(M, op, "M"):
                raise InvalidArgumentError(f"{op}: M={M} but {len(indexes)} sub-space indexes")
        else:
            raise InputTypeError(f"{op}: expected (d, nbits, index0, index1) or (d, M, nbits, indexes)")
        for i, ix in enumerate(indexes):
            if not isinstance(ix, Index):
                raise InputTypeError(f"{op}: sub-space index {i} must be a metalfaiss index, got {type(ix).__name__}")
        hs = np.array([ix._h(op) for ix in indexes], dtype=np.int64)
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("MultiIndexQuantizer2New", as_int(d, op, "d"), as_int(nbits, op, "nbits"), hs.shape[0], addr(hs), addr(out))
        Index.__init__(self, int(out[0]))
        self.assign_indexes = indexes  # they live as long as the quantizer

    def _adopt(self, handle):
        super()._adopt(handle)
        self.assign_indexes = [part(self, "MultiIndexQuantizer2Sub", f"{type(self).__name__}.assign_indexes", i)
                               for i in range(self.pq.M)]
