"""IndexRowwiseMinMax and IndexRowwiseMinMaxFP16: a vector codec that scales
each vector to [0, 1] by its own minimum and range before another index
codes it."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr
from ._handle import part
from .errors import InputTypeError, InvalidArgumentError, UnsupportedOperationError
from .index import Index
from .swig_pointers import region
from ._typing import Any, ArrayLike


class IndexRowwiseMinMaxBase(Index):
    """What the rowwise min-max codecs share (faiss: ``IndexRowwiseMinMaxBase``).

    What IndexRowwiseMinMax and IndexRowwiseMinMaxFP16 share (faiss's
    base class of the two): a codec, whose ``train`` trains ``index`` on
    the scaled vectors and whose ``sa_encode`` / ``sa_decode`` code and
    decode; ``add``, ``search`` and ``reset`` raise, as in faiss.

    Parameters
    ----------
    index : Index
        The index that codes the scaled vectors.
    """

    _half = False

    def __init__(self, index: Index) -> None:
        op = type(self).__name__
        if not isinstance(index, Index):
            raise InputTypeError(f"{op}: expected a metalfaiss index, got {type(index).__name__}")
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexRowwiseMinMaxNew", index._h(op), self._half, addr(out))
        super().__init__(int(out[0]))
        self.index = index  # the sub-index lives as long as this one
        self.own_fields = False

    def _adopt(self, handle):
        super()._adopt(handle)
        self.index = part(self, "IndexRowwiseMinMaxSub", f"{type(self).__name__}.index")
        self.own_fields = True

    def train_inplace(self, x: ArrayLike, ptr: Any = None) -> None:
        """faiss's train_inplace: trains as ``train``, scaling the rows in
        place and back (rounding them; with float16 pairs, to the stored
        pair). ``train_inplace(x)`` takes a writable C-contiguous float32
        (n, d) array; ``train_inplace(n, swig_ptr(x))`` faiss's C form."""
        op = f"{type(self).__name__}.train_inplace"
        if ptr is None:
            if not isinstance(x, np.ndarray) or x.dtype != np.float32 or x.ndim != 2 or not x.flags.c_contiguous \
                    or not x.flags.writeable:
                raise InputTypeError(f"{op}: x must be a writable C-contiguous float32 (n, d) array, "
                                     f"got {type(x).__name__} {getattr(x, 'dtype', '')} {getattr(x, 'shape', '')}")
            if x.shape[1] != self.d:
                raise InvalidArgumentError(f"{op}: x has {x.shape[1]} columns, index has d={self.d}")
            rows = x.reshape(-1)
        else:
            if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, np.integer)) or x < 0:
                raise InputTypeError(f"{op}: n must be a non-negative integer, got {x!r}")
            rows = region(ptr, np.float32, int(x) * self.d, op, "x", writable=True)
        _bridge.call("IndexRowwiseMinMaxTrainInPlace", self._h(op), rows.shape[0] // self.d, addr(rows))

    def reset(self) -> None:
        raise UnsupportedOperationError(f"{type(self).__name__}.reset: reset not implemented for this type of index")


class IndexRowwiseMinMax(IndexRowwiseMinMaxBase):
    """Each vector scaled to [0, 1] before another index codes it (faiss: ``IndexRowwiseMinMax``).

    A code is the vector's (max - min, min) pair in float32 followed by
    ``index``'s code of the vector scaled to [0, 1]
    (``sa_code_size() == index.sa_code_size() + 8``). Factory:
    ``"MinMax,SQ8"`` and the like. Memory per vector: the inner code and 8
    bytes.

    Parameters
    ----------
    index : Index
        The index that codes the scaled vectors (normally empty, untrained).

    Raises
    ------
    InputTypeError
        index is not a metalfaiss index.
    """

    _go_type = "IndexRowwiseMinMax"


class IndexRowwiseMinMaxFP16(IndexRowwiseMinMaxBase):
    """IndexRowwiseMinMax with the (range, min) pair in float16 (faiss: ``IndexRowwiseMinMaxFP16``).

    4 bytes a code instead of 8, with faiss's rounding. Factory:
    ``"MinMaxFP16,SQ8"``.

    Parameters
    ----------
    index : Index
        The index that codes the scaled vectors (normally empty, untrained).

    Raises
    ------
    InputTypeError
        index is not a metalfaiss index.
    """

    _go_type = "IndexRowwiseMinMaxFP16"
    _half = True
