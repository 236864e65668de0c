"""IndexLSH: vectors coded as the signs of random projections, searched by
Hamming distance."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from .index import Index
from ._typing import Any, Float32Array


class IndexLSH(Index):
    """``IndexLSH(d, nbits, rotate_data=True, train_thresholds=False)``:
    each vector becomes ``nbits`` bits, the signs of its projections on
    faiss's random rotation (``rotate_data``) or of its first ``nbits``
    components; with ``train_thresholds`` each bit compares with the median
    of its projection over the training set. Distances are Hamming
    distances (floats), as in faiss."""

    _go_type = "IndexLSH"

    def __init__(self, d: int, nbits: int, rotate_data: Any = True, train_thresholds: Any = False) -> None:
        op = "IndexLSH"
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexLSHNew", as_int(d, op, "d"), as_int(nbits, op, "nbits"), bool(rotate_data),
                     bool(train_thresholds), addr(out))
        super().__init__(int(out[0]))

    def _lsh(self, thresholds=None):
        out = np.zeros(4, dtype=np.int64)
        _bridge.call("IndexLSHInfo", self._h("info"), addr(out), 0 if thresholds is None else addr(thresholds))
        return out

    @property
    def nbits(self) -> int:
        """Bits per code."""
        return int(self._lsh()[0])

    @property
    def rotate_data(self) -> bool:
        """Whether vectors are projected by a random rotation first."""
        return bool(self._lsh()[1])

    @property
    def train_thresholds(self) -> bool:
        """Whether per-bit thresholds are trained (else 0)."""
        return bool(self._lsh()[2])

    @property
    def code_size(self) -> int:
        """Bytes per code (nbits / 8, rounded up)."""
        return int(self._lsh()[3])

    @property
    def thresholds(self) -> Float32Array:
        """The trained thresholds (float32, nbits; empty without training)."""
        if not self.train_thresholds or not self.is_trained:
            return np.zeros(0, dtype=np.float32)
        out = np.zeros(self.nbits, dtype=np.float32)
        self._lsh(out)
        return out
