"""faiss's partitioning and histogram helpers, on swig_ptr pointers:
``CMax_float_partition_fuzzy`` (keep the q smallest values),
``CMin_float_partition_fuzzy`` (the q largest), their uint16 forms, and
``simd_histogram_8`` / ``_16``."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from .errors import InvalidArgumentError
from .swig_pointers import region
from ._typing import Any, ArrayLike


def _partition(op, dtype, largest, vals, ids, n, q_min, q_max, q_out):
    n = as_int(n, op, "n")
    q_min, q_max = as_int(q_min, op, "q_min"), as_int(q_max, op, "q_max")
    v = region(vals, dtype, n, op, "vals", writable=True)
    i = None if ids is None else region(ids, np.int64, n, op, "ids", writable=True)
    qo = None
    if q_out is not None:
        qo = region(q_out, None, 1, op, "q_out", writable=True)
        if qo.dtype not in (np.dtype(np.uint64), np.dtype(np.int64)):
            raise InvalidArgumentError(f"{op}: q_out must point to a 64-bit integer, got {qo.dtype.name}")
    elif q_min != q_max:
        raise InvalidArgumentError(f"{op}: q_out is needed when q_min ({q_min}) != q_max ({q_max})")
    out = np.zeros(2, dtype=np.float64)
    fn = "PartitionFuzzyFloat32" if dtype == np.float32 else "PartitionFuzzyUint16"
    _bridge.call(fn, addr(v), 0 if i is None else addr(i), n, q_min, q_max, largest, addr(out))
    if qo is not None:
        qo[0] = int(out[0])
    return dtype(out[1])


def CMax_float_partition_fuzzy(vals: ArrayLike, ids: ArrayLike, n: int, q_min: Any, q_max: Any, q_out: Any) -> Any:
    """Move about q of the smallest of n float32 values to the front (faiss: ``CMax_float_partition_fuzzy``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of the
    stated dtype. q is chosen in [q_min, q_max] where a threshold splits the values
    cleanly; the first q values (and ids) are then those below (above) it.

    Parameters
    ----------
    vals : swig_ptr (float32)
        The n values, reordered in place.
    ids : swig_ptr (int64) or None
        Their ids, reordered alike.
    n : int
        Number of values.
    q_min : int
        Fewest to keep.
    q_max : int
        Most to keep.
    q_out : swig_ptr (uint64 or int64) or None
        Receives q (needed unless q_min == q_max).

    Returns
    -------
    numpy.float32
        The threshold.

    Raises
    ------
    InputTypeError
        A buffer that is not a pointer of the stated dtype.
    InvalidArgumentError
        A buffer smaller than its size says.
    """
    return _partition("CMax_float_partition_fuzzy", np.float32, False, vals, ids, n, q_min, q_max, q_out)


def CMin_float_partition_fuzzy(vals: ArrayLike, ids: ArrayLike, n: int, q_min: Any, q_max: Any, q_out: Any) -> Any:
    """Move about q of the largest of n float32 values to the front (faiss: ``CMin_float_partition_fuzzy``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of the
    stated dtype. q is chosen in [q_min, q_max] where a threshold splits the values
    cleanly; the first q values (and ids) are then those below (above) it.

    Parameters
    ----------
    vals : swig_ptr (float32)
        The n values, reordered in place.
    ids : swig_ptr (int64) or None
        Their ids, reordered alike.
    n : int
        Number of values.
    q_min : int
        Fewest to keep.
    q_max : int
        Most to keep.
    q_out : swig_ptr (uint64 or int64) or None
        Receives q (needed unless q_min == q_max).

    Returns
    -------
    numpy.float32
        The threshold.

    Raises
    ------
    InputTypeError
        A buffer that is not a pointer of the stated dtype.
    InvalidArgumentError
        A buffer smaller than its size says.
    """
    return _partition("CMin_float_partition_fuzzy", np.float32, True, vals, ids, n, q_min, q_max, q_out)


def CMax_uint16_partition_fuzzy(vals: ArrayLike, ids: ArrayLike, n: int, q_min: Any, q_max: Any, q_out: Any) -> Any:
    """Move about q of the smallest of n uint16 values to the front (faiss: ``CMax_uint16_partition_fuzzy``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of the
    stated dtype. q is chosen in [q_min, q_max] where a threshold splits the values
    cleanly; the first q values (and ids) are then those below (above) it.

    Parameters
    ----------
    vals : swig_ptr (uint16)
        The n values, reordered in place.
    ids : swig_ptr (int64) or None
        Their ids, reordered alike.
    n : int
        Number of values.
    q_min : int
        Fewest to keep.
    q_max : int
        Most to keep.
    q_out : swig_ptr (uint64 or int64) or None
        Receives q (needed unless q_min == q_max).

    Returns
    -------
    numpy.uint16
        The threshold.

    Raises
    ------
    InputTypeError
        A buffer that is not a pointer of the stated dtype.
    InvalidArgumentError
        A buffer smaller than its size says.
    """
    return _partition("CMax_uint16_partition_fuzzy", np.uint16, False, vals, ids, n, q_min, q_max, q_out)


def CMin_uint16_partition_fuzzy(vals: ArrayLike, ids: ArrayLike, n: int, q_min: Any, q_max: Any, q_out: Any) -> Any:
    """Move about q of the largest of n uint16 values to the front (faiss: ``CMin_uint16_partition_fuzzy``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of the
    stated dtype. q is chosen in [q_min, q_max] where a threshold splits the values
    cleanly; the first q values (and ids) are then those below (above) it.

    Parameters
    ----------
    vals : swig_ptr (uint16)
        The n values, reordered in place.
    ids : swig_ptr (int64) or None
        Their ids, reordered alike.
    n : int
        Number of values.
    q_min : int
        Fewest to keep.
    q_max : int
        Most to keep.
    q_out : swig_ptr (uint64 or int64) or None
        Receives q (needed unless q_min == q_max).

    Returns
    -------
    numpy.uint16
        The threshold.

    Raises
    ------
    InputTypeError
        A buffer that is not a pointer of the stated dtype.
    InvalidArgumentError
        A buffer smaller than its size says.
    """
    return _partition("CMin_uint16_partition_fuzzy", np.uint16, True, vals, ids, n, q_min, q_max, q_out)


def _histogram(op, nbin, data, n, min, shift, hist):
    n = as_int(n, op, "n")
    d = region(data, np.uint16, n, op, "data")
    h = region(hist, np.int32, nbin, op, "hist", writable=True)
    _bridge.call("Histogram16", addr(d), n, as_int(min, op, "min"), as_int(shift, op, "shift"), addr(h), nbin)


def simd_histogram_8(data: ArrayLike, n: int, min: Any, shift: int, hist: Any) -> None:
    """Count uint16 values into 8 bins (faiss: ``simd_histogram_8``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of the
    stated dtype. Bin (v - min) >> shift, or bin v when shift < 0; values outside the
    bins are not counted.

    Parameters
    ----------
    data : swig_ptr (uint16)
        The n values.
    n : int
        Number of values.
    min : int
        The first bin's lowest value.
    shift : int
        Bits dropped from v - min (below 0: v is the bin).
    hist : swig_ptr (int32)
        Receives the 8 counts.

    Raises
    ------
    InputTypeError
        A buffer that is not a pointer of the stated dtype.
    InvalidArgumentError
        A buffer smaller than its size says.
    """
    _histogram("simd_histogram_8", 8, data, n, min, shift, hist)


def simd_histogram_16(data: ArrayLike, n: int, min: Any, shift: int, hist: Any) -> None:
    """Count uint16 values into 16 bins (faiss: ``simd_histogram_16``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of the
    stated dtype. Bin (v - min) >> shift, or bin v when shift < 0; values outside the
    bins are not counted.

    Parameters
    ----------
    data : swig_ptr (uint16)
        The n values.
    n : int
        Number of values.
    min : int
        The first bin's lowest value.
    shift : int
        Bits dropped from v - min (below 0: v is the bin).
    hist : swig_ptr (int32)
        Receives the 16 counts.

    Raises
    ------
    InputTypeError
        A buffer that is not a pointer of the stated dtype.
    InvalidArgumentError
        A buffer smaller than its size says.
    """
    _histogram("simd_histogram_16", 16, data, n, min, shift, hist)
