"""faiss's AlignedTable types: resizable typed buffers that its SIMD
helpers (partitioning, histograms) read through ``table.get()``."""

from __future__ import annotations

import numpy as np

from .errors import InputTypeError, InvalidArgumentError
from .swig_pointers import SwigPtr
from ._typing import Any, ArrayLike


class _AlignedTable:
    """A buffer of ``dtype`` values; ``get()`` is a pointer to it for the
    functions that take one (the pointer keeps this buffer alive; after a
    resize, take a new one, as in faiss)."""

    dtype = None

    def __init__(self, n: int = 0) -> None:
        self.tab = np.zeros(_size(n, f"{type(self).__name__}"), dtype=self.dtype)

    def size(self) -> int:
        return int(self.tab.shape[0])

    def itemsize(self) -> Any:
        return self.tab.itemsize

    def nbytes(self) -> int:
        return int(self.tab.nbytes)

    def resize(self, n: int) -> None:
        """Keep the first min(n, size) values; new ones are zero."""
        grown = np.zeros(_size(n, f"{type(self).__name__}.resize"), dtype=self.dtype)
        keep = min(grown.shape[0], self.tab.shape[0])
        grown[:keep] = self.tab[:keep]
        self.tab = grown

    def clear(self) -> None:
        self.tab[:] = 0

    def get(self) -> Any:
        return SwigPtr(self.tab)

    def __array__(self, dtype=None, copy=None):
        # np.array(table) and faiss.vector_to_array(table) read the values
        return self.tab.copy() if dtype is None else self.tab.astype(dtype)

    def __len__(self) -> int:
        return self.size()

    data = get


def _size(n, op):
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 0:
        raise InvalidArgumentError(f"{op}: the size must be a non-negative integer, got {n!r}")
    return int(n)


class AlignedTableUint8(_AlignedTable):
    """A resizable buffer of uint8 values, fast-scan code and look-up table buffers (faiss: ``AlignedTableUint8``).

    ``get()`` is a pointer to it for the functions that take one (the
    pointer keeps this buffer alive; after a ``resize``, take a new one, as
    in faiss); ``size()``, ``itemsize()``, ``nbytes()``, ``clear()``.

    Parameters
    ----------
    n : int
        Initial size, zeros (default 0).

    Raises
    ------
    InvalidArgumentError
        n is not a non-negative integer.
    """

    dtype = np.uint8


class AlignedTableUint16(_AlignedTable):
    """A resizable buffer of uint16 values, fast-scan accumulators (faiss: ``AlignedTableUint16``).

    ``get()`` is a pointer to it for the functions that take one (the
    pointer keeps this buffer alive; after a ``resize``, take a new one, as
    in faiss); ``size()``, ``itemsize()``, ``nbytes()``, ``clear()``.

    Parameters
    ----------
    n : int
        Initial size, zeros (default 0).

    Raises
    ------
    InvalidArgumentError
        n is not a non-negative integer.
    """

    dtype = np.uint16


class AlignedTableFloat32(_AlignedTable):
    """A resizable buffer of float32 values, float buffers (faiss: ``AlignedTableFloat32``).

    ``get()`` is a pointer to it for the functions that take one (the
    pointer keeps this buffer alive; after a ``resize``, take a new one, as
    in faiss); ``size()``, ``itemsize()``, ``nbytes()``, ``clear()``.

    Parameters
    ----------
    n : int
        Initial size, zeros (default 0).

    Raises
    ------
    InvalidArgumentError
        n is not a non-negative integer.
    """

    dtype = np.float32


def _table(tab, op):
    if not isinstance(tab, _AlignedTable):
        raise InputTypeError(f"{op}: expected an AlignedTable, got {type(tab).__name__}")
    return tab


def copy_array_to_AlignedTable(a: ArrayLike, tab: Any) -> None:
    """Copy an array into an AlignedTable, resized (faiss: ``copy_array_to_AlignedTable``).

    Parameters
    ----------
    a : array-like
        The values (converted to the table's type).
    tab : AlignedTableUint8, AlignedTableUint16 or AlignedTableFloat32
        The table.

    Raises
    ------
    InputTypeError
        tab is not an AlignedTable.
    """
    tab = _table(tab, "copy_array_to_AlignedTable")
    a = np.asarray(a).reshape(-1)
    tab.resize(a.shape[0])
    tab.tab[:] = a


def array_to_AlignedTable(a: ArrayLike) -> Any:
    """A new AlignedTable holding an array (faiss: ``array_to_AlignedTable``).

    Parameters
    ----------
    a : uint8, uint16 or float32 array
        The values.

    Returns
    -------
    AlignedTableUint8, AlignedTableUint16 or AlignedTableFloat32
        The table.

    Raises
    ------
    InputTypeError
        No AlignedTable holds a's dtype.
    """
    a = np.asarray(a)
    for cls in (AlignedTableUint8, AlignedTableUint16, AlignedTableFloat32):
        if a.dtype == cls.dtype:
            tab = cls()
            copy_array_to_AlignedTable(a, tab)
            return tab
    raise InputTypeError(f"array_to_AlignedTable: no AlignedTable holds dtype {a.dtype}")


def AlignedTable_to_array(tab: Any) -> Any:
    """A copy of an AlignedTable's values (faiss: ``AlignedTable_to_array``).

    Parameters
    ----------
    tab : AlignedTableUint8, AlignedTableUint16 or AlignedTableFloat32
        The table.

    Returns
    -------
    ndarray
        The values, of the table's dtype.

    Raises
    ------
    InputTypeError
        tab is not an AlignedTable.
    """
    return _table(tab, "AlignedTable_to_array").tab.copy()
