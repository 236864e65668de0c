"""Binary indexes: uint8 codes of d bits compared by Hamming distance."""

import numpy as np

from . import _bridge
from ._arrays import _to_numpy, addr, as_count, as_int, out_array
from ._handle import GoHandle
from .errors import DimensionMismatchError, InputTypeError


def _as_codes(x, op, code_size, name="x"):
    """x as a C-contiguous uint8 (n, code_size) array."""
    arr = x if isinstance(x, np.ndarray) else _to_numpy(x, op, name)
    if arr.dtype != np.uint8:
        raise InputTypeError(f"{op}: {name} must be uint8 codes, got dtype {arr.dtype}")
    if arr.ndim == 1 and arr.shape[0] == code_size:
        arr = arr.reshape(1, code_size)
    if arr.ndim != 2 or arr.shape[1] != code_size:
        raise DimensionMismatchError(f"{op}: {name} must have shape (n, {code_size}), got {arr.shape}")
    return np.ascontiguousarray(arr)


class IndexBinaryFlat(GoHandle):
    """``IndexBinaryFlat(d)``: codes of ``d`` bits (``d/8`` uint8 each),
    searched exhaustively by Hamming distance; distances are int32, as in
    faiss."""

    def __init__(self, d):
        op = "IndexBinaryFlat"
        d = as_int(d, op, "d")
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexBinaryFlatNew", d, addr(out))
        self._handle = int(out[0])
        self.verbose = False

    def _info(self):
        out = np.zeros(2, dtype=np.int64)
        _bridge.call("BinaryInfo", self._h("info"), addr(out))
        return out

    @property
    def d(self):
        """Bits per code."""
        return int(self._info()[0])

    @property
    def code_size(self):
        return self.d // 8

    @property
    def ntotal(self):
        return int(self._info()[1])

    @property
    def is_trained(self):
        return True

    def __len__(self):
        return self.ntotal

    def train(self, x):
        _as_codes(x, "IndexBinaryFlat.train", self.code_size)

    def add(self, x):
        x = _as_codes(x, "IndexBinaryFlat.add", self.code_size)
        _bridge.call("BinaryAdd", self._h("add"), x.shape[0], addr(x))

    def search(self, x, k, *, D=None, I=None):
        """(D, I): the k nearest codes of each row of x, Hamming distance
        (int32) then id; missing results are (INT32_MAX, -1)."""
        op = "IndexBinaryFlat.search"
        x = _as_codes(x, op, self.code_size)
        k = as_count(k, op)
        n = x.shape[0]
        D = out_array(D, (n, k), np.int32, op, "D")
        I = out_array(I, (n, k), np.int64, op, "I")
        _bridge.call("BinarySearch", self._h("search"), n, addr(x), k, addr(D), addr(I))
        return D, I

    def range_search(self, x, radius):
        """(lims, D, I): the codes within Hamming distance < radius of each
        query, in id order."""
        op = "IndexBinaryFlat.range_search"
        x = _as_codes(x, op, self.code_size)
        radius = as_int(radius, op, "radius")
        nq = x.shape[0]
        out = np.zeros(2, dtype=np.int64)
        _bridge.call("BinaryRangeSearch", self._h("range_search"), nq, addr(x), radius, addr(out))
        total = int(out[1])
        lims = np.empty(nq + 1, dtype=np.int64)
        D = np.empty(total, dtype=np.int32)
        I = np.empty(total, dtype=np.int64)
        _bridge.call("BinaryRangeFetch", int(out[0]), nq, addr(lims), addr(D), addr(I))
        return lims.view(np.uint64), D, I

    def reconstruct(self, key):
        out = np.empty(self.code_size, dtype=np.uint8)
        _bridge.call("BinaryReconstruct", self._h("reconstruct"), as_int(key, "IndexBinaryFlat.reconstruct", "key"),
                     addr(out))
        return out

    def reset(self):
        _bridge.call("BinaryReset", self._h("reset"))

    def __repr__(self):
        return f"IndexBinaryFlat(d={self.d}, ntotal={self.ntotal})"
