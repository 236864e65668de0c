"""faiss's typed pointers: ``swig_ptr(array)`` and ``rev_swig_ptr(ptr, n)``.

faiss hands C pointers to its low-level functions; scripts make them with
``faiss.swig_ptr(array)``. Here the pointer is an object that holds the
array itself, so the memory stays alive, and every function that takes one
checks its element type and that the n values it will touch lie inside the
array: a short array is an error, never a read past its end."""

from __future__ import annotations

import numpy as np

from .errors import InputTypeError, InvalidArgumentError
from ._typing import Any, ArrayLike

# The C type each numpy dtype stands for, as faiss's pointers print it.
_C_TYPES = {
    np.dtype(np.float32): "float",
    np.dtype(np.float64): "double",
    np.dtype(np.float16): "uint16_t",
    np.dtype(np.int8): "int8_t",
    np.dtype(np.uint8): "uint8_t",
    np.dtype(np.int16): "int16_t",
    np.dtype(np.uint16): "uint16_t",
    np.dtype(np.int32): "int32_t",
    np.dtype(np.uint32): "uint32_t",
    np.dtype(np.int64): "int64_t",
    np.dtype(np.uint64): "uint64_t",
    np.dtype(np.bool_): "bool",
}


class SwigPtr:
    """A typed pointer to the first element of a numpy array (faiss: SWIG's pointer objects).

    Made by ``swig_ptr(array)``; it keeps the array alive and is what the
    pointer-style functions (knn_L2sqr, fvec_*, hammings, ...) take.

    Parameters
    ----------
    array : ndarray
        The array pointed to (kept alive).
    """

    __slots__ = ("array",)

    def __init__(self, array: ArrayLike) -> None:
        self.array = array

    @property
    def dtype(self) -> Any:
        """The dtype of the memory pointed to."""
        return self.array.dtype

    def __int__(self):
        return self.array.ctypes.data

    def __eq__(self, other):
        return isinstance(other, SwigPtr) and int(self) == int(other) and self.dtype == other.dtype

    def __hash__(self):
        return hash((int(self), self.dtype.str))

    def __repr__(self) -> str:
        return f"<Swig Object of type '{_C_TYPES[self.dtype]} *' at {int(self):#x}>"


def swig_ptr(a: ArrayLike) -> SwigPtr:
    """A pointer to a numpy array's data, for faiss's pointer-style functions (faiss: ``swig_ptr``).

    Parameters
    ----------
    a : numpy ndarray
        C-contiguous, of a numeric or bool dtype; a pointer is returned as
        it is.

    Returns
    -------
    SwigPtr
        The pointer; it keeps a alive.

    Raises
    ------
    InputTypeError
        a is not a numpy array, or of a dtype faiss has no pointer type for.
    InvalidArgumentError
        a is not C-contiguous.
    """
    if isinstance(a, SwigPtr):
        return a
    if not isinstance(a, np.ndarray):
        raise InputTypeError(f"swig_ptr: input must be a numpy array, got {type(a).__name__}")
    if not a.flags.c_contiguous:
        raise InvalidArgumentError("swig_ptr: array must be C-contiguous")
    if a.dtype not in _C_TYPES:
        raise InputTypeError(f"swig_ptr: arrays of dtype {a.dtype} have no faiss pointer type")
    return SwigPtr(a.reshape(-1))


def rev_swig_ptr(ptr: Any, n: int) -> Any:
    """The values behind a pointer, as a numpy array sharing its memory (faiss: ``rev_swig_ptr``).

    ptr may also be a numpy array, as the methods that give pointers in
    faiss (``invlists.get_ids``, ``get_codes``) give arrays here.

    Parameters
    ----------
    ptr : SwigPtr or numpy ndarray
        The pointer.
    n : int
        Values to take.

    Returns
    -------
    ndarray
        A view of the first n values, of the pointer's dtype.

    Raises
    ------
    InvalidArgumentError
        The array holds fewer than n values.
    """
    if isinstance(ptr, np.ndarray):
        ptr = swig_ptr(np.ascontiguousarray(ptr))
    return region(ptr, None, n, "rev_swig_ptr", "ptr")


def as_bytes(ptr: Any, op: Any, name: str, writable: Any = False) -> Any:
    """The memory behind a pointer as bytes (metalfaiss only; internal).

    All the memory behind pointer ptr, as uint8 (any element type).

    Parameters
    ----------
    ptr : SwigPtr
        The pointer.
    op : str
        The operation, for error messages.
    name : str
        The argument's name, for error messages.
    writable : bool
        The bytes must be writable.

    Returns
    -------
    uint8 ndarray
        A view of all the memory behind ptr.
    """
    if not isinstance(ptr, SwigPtr):
        raise InputTypeError(f"{op}: {name} must be a pointer from faiss.swig_ptr(array), got {type(ptr).__name__}")
    return region(ptr, None, ptr.array.shape[0], op, name, writable).view(np.uint8)


def region(ptr: Any, dtype: Any, n: int, op: Any, name: str, writable: Any = False) -> Any:
    """The values behind a pointer as a checked view (metalfaiss only; internal).

    The first n values behind pointer ``ptr`` as a 1-D array view,
    checking that ptr is a pointer of dtype (None: any) holding n values.

    Parameters
    ----------
    ptr : SwigPtr
        The pointer.
    dtype : numpy dtype or None
        The dtype it must point to (None: any).
    n : int
        Values wanted.
    op : str
        The operation, for error messages.
    name : str
        The argument's name.
    writable : bool
        The values must be writable.

    Returns
    -------
    ndarray
        A 1-d view of the first n values.

    Raises
    ------
    InputTypeError
        ptr is not a pointer of dtype.
    InvalidArgumentError
        It holds fewer than n values, or is read-only when writable.
    """
    if not isinstance(ptr, SwigPtr):
        raise InputTypeError(f"{op}: {name} must be a pointer from faiss.swig_ptr(array), got {type(ptr).__name__}")
    if dtype is not None and ptr.dtype != np.dtype(dtype):
        raise InputTypeError(f"{op}: {name} must point to {np.dtype(dtype).name} values, "
                             f"got a pointer to {ptr.dtype.name}")
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
        raise InputTypeError(f"{op}: sizes must be integers, got {type(n).__name__}")
    n = int(n)
    if n < 0 or n > ptr.array.shape[0]:
        raise InvalidArgumentError(f"{op}: {name} must hold {n} values, its array holds {ptr.array.shape[0]}")
    view = ptr.array[:n]
    if writable and not view.flags.writeable:
        raise InvalidArgumentError(f"{op}: {name} points to a read-only array")
    return view
