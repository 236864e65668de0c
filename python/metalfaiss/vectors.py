"""faiss's std::vector wrappers and the two functions scripts move data
with: ``vector_to_array(v)`` and ``copy_array_to_vector(a, v)``.

Typed vectors (``Float32Vector``, ``Int64Vector``, ...) hold their values
in a numpy array with push_back, size, at, resize, clear and data (a
``swig_ptr``). An index's or quantizer's arrays (``pq.centroids``,
``transform.A``, ``transform.b``) are ``FieldVector``s: numpy copies that
also know how to write new contents back, so that
``copy_array_to_vector(a, pq.centroids)`` sets the centroids as in faiss."""

from __future__ import annotations

import numpy as np

from .errors import DimensionMismatchError, InputTypeError
from .swig_pointers import SwigPtr
from ._typing import Any, ArrayLike


class FieldVector(np.ndarray):
    """An object's array field that writes back when filled (metalfaiss only).

    faiss's fields are SWIG vectors; here they are numpy copies.

    ``copy_array_to_vector(a, field)`` stores the new contents in the
    object (``pq.centroids``, ``transform.A``, ...), which checks the size;
    ``at(i)`` as std::vector's.
    """

    def __array_finalize__(self, obj):
        self._store = getattr(obj, "_store", None)

    def at(self, i: int) -> Any:
        """Element i as a Python number (std::vector::at)."""
        return self[i].item()


def field_vector(values: ArrayLike, store: Any) -> Any:
    """An array as a FieldVector whose new contents go to store (metalfaiss only; internal).

    Parameters
    ----------
    values : array-like
        The field's current values.
    store : callable
        store(array) writes new contents back to the object.

    Returns
    -------
    FieldVector
        A view of values.
    """
    v = np.asarray(values).view(FieldVector)
    v._store = store
    return v


class _TypedVector:
    """A growable vector of one dtype (faiss's SWIG std::vector). Appends
    grow a buffer by doubling, so that n push_backs cost O(n)."""

    _dtype = None

    def __init__(self, n: int = 0) -> None:
        self._a = np.zeros(int(n), dtype=self._dtype)

    @property
    def _a(self):
        return self._buf[:self._n]

    @_a.setter
    def _a(self, a):
        self._buf, self._n = a, a.shape[0]

    def _extend(self, values):
        values = np.asarray(values, dtype=self._dtype).ravel()
        need = self._n + values.shape[0]
        if need > self._buf.shape[0]:
            grown = np.zeros(max(need, 2 * self._buf.shape[0], 16), dtype=self._dtype)
            grown[:self._n] = self._buf[:self._n]
            self._buf = grown
        self._buf[self._n:need] = values
        self._n = need

    def push_back(self, value: Any) -> None:
        self._extend(value)

    def size(self) -> Any:
        return self._a.shape[0]

    def __len__(self) -> int:
        return self._a.shape[0]

    def at(self, i: int) -> Any:
        return self._a[i].item()

    def __getitem__(self, i: int) -> Any:
        return self._a[i].item()

    def resize(self, n: int) -> None:
        """Keep the first n values, padding with zeros."""
        out = np.zeros(int(n), dtype=self._dtype)
        m = min(out.shape[0], self._a.shape[0])
        out[:m] = self._a[:m]
        self._a = out

    def clear(self) -> None:
        self._a = np.zeros(0, dtype=self._dtype)

    def empty(self) -> bool:
        return self._a.shape[0] == 0

    def data(self) -> Any:
        """A pointer to the values (valid until the vector changes size)."""
        return SwigPtr(self._a)

    def swap(self, other: Any) -> None:
        """Exchange contents with another vector of the same type."""
        if type(other) is not type(self):
            raise InputTypeError(f"{type(self).__name__}.swap: expected a {type(self).__name__}, "
                                 f"got {type(other).__name__}")
        (self._buf, self._n), (other._buf, other._n) = (other._buf, other._n), (self._buf, self._n)

    def _assign(self, a):
        self._a = np.array(a, dtype=self._dtype).ravel()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._a.tolist()!r})"


_VECTOR_DOC = """A growable vector of {dtype} values, as faiss's SWIG std::vector (faiss: ``{name}``).

``push_back(v)``, ``resize(n)``, ``at(i)``, ``size()``, ``data()``,
``clear()``, ``swap(other)``; ``vector_to_array(v)`` copies it to numpy and
``copy_array_to_vector(a, v)`` fills it. Appends double the buffer, so n
push_backs cost O(n).

Parameters
----------
n : int
    Initial size (zeros), default 0.
"""


def _typed(name, dtype):
    doc = _VECTOR_DOC.format(dtype=np.dtype(dtype).name, name=name)
    return type(name, (_TypedVector,), {"_dtype": np.dtype(dtype), "__doc__": doc})


Float32Vector = _typed("Float32Vector", np.float32)
Float64Vector = _typed("Float64Vector", np.float64)
Int8Vector = _typed("Int8Vector", np.int8)
Int16Vector = _typed("Int16Vector", np.int16)
Int32Vector = _typed("Int32Vector", np.int32)
Int64Vector = _typed("Int64Vector", np.int64)
UInt8Vector = _typed("UInt8Vector", np.uint8)
UInt16Vector = _typed("UInt16Vector", np.uint16)
UInt32Vector = _typed("UInt32Vector", np.uint32)
UInt64Vector = _typed("UInt64Vector", np.uint64)
ByteVector = UInt8Vector
FloatVector = Float32Vector
LongVector = Int64Vector
IntVector = Int32Vector


def vector_to_array(v: ArrayLike) -> np.ndarray:
    """A numpy copy of a vector (faiss: ``vector_to_array``).

    Parameters
    ----------
    v : typed vector, FieldVector or array-like
        A faiss vector (Float32Vector, ...), an object's field, or any array.

    Returns
    -------
    ndarray
        A copy, of the vector's dtype.
    """
    if isinstance(v, _TypedVector):
        return v._a.copy()
    return np.array(v)


vector_float_to_array = vector_to_array


def copy_array_to_vector(a: ArrayLike, v: ArrayLike) -> None:
    """Replace the contents of a vector with an array's values (faiss: ``copy_array_to_vector``).

    A typed vector is resized; an object's field (``pq.centroids``,
    ``transform.A``) is written back to the object, which checks the size.

    Parameters
    ----------
    a : array-like
        The values.
    v : typed vector or FieldVector
        The vector.

    Raises
    ------
    InputTypeError
        v is not a vector, or a's values do not fit its dtype.
    """
    a = np.asarray(a)
    if isinstance(v, _TypedVector):
        if a.dtype != v._dtype and not np.can_cast(a.dtype, v._dtype, casting="same_kind"):
            raise InputTypeError(f"copy_array_to_vector: cannot put {a.dtype} values in a {type(v).__name__}")
        v._assign(a)
        return
    if isinstance(v, FieldVector) and v._store is not None:
        v._store(np.ascontiguousarray(a.ravel(), dtype=v.dtype))
        return
    if isinstance(v, np.ndarray) and v.flags.writeable:
        if v.size != a.size:
            raise DimensionMismatchError(f"copy_array_to_vector: {a.size} values for an array of {v.size}")
        np.copyto(v, a.reshape(v.shape), casting="same_kind")  # a plain array is filled in place
        return
    raise InputTypeError(f"copy_array_to_vector: {type(v).__name__} is not a vector")
