"""Go objects to and from faiss's binary format, as uint8 arrays (the one
copy of the two-step fetch that every index, binary index and transform
file goes through)."""

import numpy as np

from . import _bridge
from .errors import InputTypeError


def serialize(handle, fn, *args):
    """The Go object behind handle in faiss's format (uint8 array), written
    by pyapi function fn (given args after the handle)."""
    out = np.zeros(2, dtype=np.int64)
    _bridge.call(fn, handle, *args, out.ctypes.data)
    n = int(out[1])
    (data,) = _bridge.fetch(int(out[0]), "BytesFetch", n, (n, np.uint8))
    return data


def deserialize(data, fn, op):
    """The handle of the Go object pyapi function fn reads from data (bytes
    or a 1-d uint8 array)."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = np.frombuffer(bytes(data), dtype=np.uint8)
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 1:
        raise InputTypeError(f"{op}: expected bytes or a 1-d uint8 array")
    data = np.ascontiguousarray(data)
    out = np.zeros(1, dtype=np.int64)
    _bridge.call(fn, data.shape[0], data.ctypes.data if data.shape[0] else 0, out.ctypes.data)
    return int(out[0])

