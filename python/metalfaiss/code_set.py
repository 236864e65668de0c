"""faiss's CodeSet: a set of fixed-size codes that tells, for a batch,
which codes it had not seen."""

from __future__ import annotations

import numpy as np

from ._arrays import as_int
from .errors import DimensionMismatchError, InvalidArgumentError
from ._typing import Any, ArrayLike


class CodeSet:
    """A set of byte codes that says which of a batch are new (faiss: ``CodeSet``).

    ``insert(codes)`` adds an (n, d) uint8 batch and returns the boolean mask
    of the codes that were new (the first of equal codes in a batch counts
    as new).

    Parameters
    ----------
    d : int
        Bytes per code.

    Raises
    ------
    InputTypeError
        d is not an integer.
    """

    def __init__(self, d: int) -> None:
        self.d = as_int(d, "CodeSet", "d")
        if self.d <= 0:
            raise InvalidArgumentError(f"CodeSet: d must be positive, got {self.d}")
        self._seen = set()

    def insert(self, codes: ArrayLike) -> Any:
        """Insert codes (n, d) uint8; return a bool per row: whether it was new."""
        codes = np.ascontiguousarray(codes, dtype=np.uint8)
        if codes.ndim != 2 or codes.shape[1] != self.d:
            raise DimensionMismatchError(f"CodeSet.insert: expected (n, {self.d}) codes, got shape {codes.shape}")
        rows = codes.view(np.dtype((np.void, self.d))).ravel()
        inserted = np.zeros(codes.shape[0], dtype=bool)
        for i, row in enumerate(rows.tolist()):
            if row not in self._seen:
                self._seen.add(row)
                inserted[i] = True
        return inserted
