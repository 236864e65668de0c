"""Turning what users pass into the buffers the Go core reads.

Inputs of any float or integer dtype, any layout, lists of lists and objects
numpy can convert (mlx arrays, torch CPU tensors) become one C-contiguous
float32 array; a float32 C-contiguous array is used as it is, without a copy.
"""

import operator
import os

import numpy as np

from .errors import CountError, DimensionMismatchError, InputTypeError, InvalidArgumentError, ResultTooLargeError


def as_matrix(x, op, d=None, name="x"):
    """Return x as a C-contiguous float32 (n, d) array.

    A 1-D input of length d is taken as one row. ``d=None`` accepts any
    positive number of columns.
    """
    arr = x if isinstance(x, np.ndarray) else _to_numpy(x, op, name)
    if arr.dtype.kind not in "fiu":
        raise InputTypeError(f"{op}: {name} must be numeric, got dtype {arr.dtype}")
    if arr.ndim == 1 and d is not None and arr.shape[0] == d:
        arr = arr.reshape(1, d)
    if arr.ndim != 2:
        want = "(n, d)" if d is None else f"(n, {d})"
        raise DimensionMismatchError(f"{op}: {name} must be a 2-D array of shape {want}, got shape {arr.shape}")
    if arr.shape[1] == 0:
        raise InvalidArgumentError(f"{op}: {name} has no columns (shape {arr.shape})")
    if d is not None and arr.shape[1] != d:
        raise DimensionMismatchError(f"{op}: {name} has {arr.shape[1]} columns, index has d={d}")
    return np.ascontiguousarray(arr, dtype=np.float32)


def _to_numpy(x, op, name):
    try:
        return np.asarray(x)
    except (ValueError, TypeError) as e:
        raise InputTypeError(f"{op}: {name} cannot be read as a numeric array: {e}") from None


def as_ids(ids, op):
    """Return ids as a C-contiguous int64 1-D array."""
    arr = ids if isinstance(ids, np.ndarray) else _to_numpy(ids, op, "ids")
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.dtype.kind == "f" and arr.size and (np.abs(arr) < 2.0**63).all() and (arr == np.round(arr)).all():
        arr = arr.astype(np.int64)  # whole numbers in floats (np.arange(0, n / 4)), as faiss casts them
    if arr.dtype.kind not in "iu" and arr.size:
        raise InputTypeError(f"{op}: ids must be integers, got dtype {arr.dtype}")
    if arr.ndim != 1:
        raise DimensionMismatchError(f"{op}: ids must be 1-D, got shape {arr.shape}")
    return np.ascontiguousarray(arr, dtype=np.int64)


def as_codes(x, op, code_size, name="x"):
    """x as a C-contiguous uint8 (n, code_size) array (one code may come
    as a 1-D array)."""
    arr = x if isinstance(x, np.ndarray) else _to_numpy(x, op, name)
    if arr.dtype != np.uint8:
        raise InputTypeError(f"{op}: {name} must be uint8 codes, got dtype {arr.dtype}")
    if arr.ndim == 1 and arr.shape[0] == code_size:
        arr = arr.reshape(1, code_size)
    if arr.ndim != 2 or arr.shape[1] != code_size:
        raise DimensionMismatchError(f"{op}: {name} must have shape (n, {code_size}), got {arr.shape}")
    return np.ascontiguousarray(arr)


def as_count(k, op, name="k"):
    """Return k as a positive int (numpy integer scalars accepted)."""
    k = as_int(k, op, name)
    if k <= 0:
        raise CountError(f"{op}: {name} must be positive, got {k}")
    return k


def as_int(v, op, name):
    """Return v as an int (numpy integer scalars accepted), any sign."""
    if isinstance(v, (bool, np.bool_)):
        raise InputTypeError(f"{op}: {name} must be an integer, got bool")
    try:
        v = operator.index(v)
    except TypeError:
        raise InputTypeError(f"{op}: {name} must be an integer, got {type(v).__name__}") from None
    if not _INT64_MIN <= v <= _INT64_MAX:  # the Go side takes int64
        raise InvalidArgumentError(f"{op}: {name}={v} does not fit in 64 bits")
    return v


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def as_float(v, op, name):
    """Return v as a float, or raise naming op and the value."""
    try:
        return float(v)
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"{op}: {name} must be a number, got {v!r}") from None


def _physical_memory():
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):
        return None


def check_result_size(op, n, k, bytes_per_result=12):
    """Refuse, before anything is allocated, a search whose n x k results
    (float32 or int32 distances plus int64 ids) exceed the machine's
    memory: the allocation might succeed lazily and the process be killed
    when the pages are touched."""
    need, have = n * k * bytes_per_result, _physical_memory()
    if have is not None and need > have:
        raise ResultTooLargeError(
            f"{op}: {n} queries x k={k} need {need / 2**30:.1f} GiB of results, "
            f"more than this machine's {have / 2**30:.1f} GiB of memory")


def out_array(arr, shape, dtype, op, name):
    """Validate a caller-supplied output array, or allocate one."""
    if arr is None:
        return np.empty(shape, dtype=dtype)
    if not isinstance(arr, np.ndarray) or arr.dtype != dtype or arr.shape != shape or not arr.flags.c_contiguous:
        raise InvalidArgumentError(f"{op}: {name} must be a C-contiguous {np.dtype(dtype).name} array of shape {shape}")
    if not arr.flags.writeable:
        raise InvalidArgumentError(f"{op}: {name} is read-only")
    return arr


def addr(arr):
    """The address of a numpy array's first element (0 when empty is fine)."""
    return arr.ctypes.data


def as_assignments(a, n, op, name):
    """a as an int64 (n, p) matrix of list numbers (a vector is one
    column), for the preassigned IVF calls."""
    a = np.ascontiguousarray(a, dtype=np.int64)
    a = a.reshape(-1, 1) if a.ndim == 1 else a
    if a.ndim != 2 or a.shape[0] != n or a.shape[1] == 0:
        raise DimensionMismatchError(f"{op}: {name} must have one row of list numbers per vector "
                                     f"({n}), got shape {a.shape}")
    return a
