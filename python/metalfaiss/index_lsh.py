"""IndexLSH: vectors coded as the signs of random projections, searched by
Hamming distance."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from .index import Index
from ._typing import Float32Array


class IndexLSH(Index):
    """Binary codes from random projections, compared by Hamming distance (faiss: ``IndexLSH``).

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    nbits : int
        Bits per code (nbits / 8 bytes a vector).
    rotate_data : bool
        Project by a random rotation first (default True).
    train_thresholds : bool
        Learn per-bit thresholds by training (default False: 0).
    """

    _go_type = "IndexLSH"

    def __init__(self, d: int, nbits: int, rotate_data: bool = True, train_thresholds: bool = False) -> None:
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
