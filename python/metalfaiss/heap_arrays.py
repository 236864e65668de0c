"""faiss's heap arrays (``float_maxheap_array_t`` and kin): ``nh`` result
lists of ``k`` (value, id) pairs in caller memory, set through ``val`` and
``ids`` pointers from ``swig_ptr``. A max-heap keeps the k smallest values
(distances), a min-heap the k largest (similarities). Here each list is
kept best first at all times, so ``reorder`` has nothing left to do; ties
keep the pair that arrived first, as faiss's heaps do."""

from __future__ import annotations

import numpy as np

from ._arrays import as_int
from .errors import InvalidArgumentError
from .swig_pointers import SwigPtr, region
from ._typing import Any


class _HeapArray:
    _dtype = None
    _keep_max = False

    def __init__(self) -> None:
        self.nh, self.k, self.ids, self.val = 0, 0, None, None

    def _name(self, method):
        return f"{type(self).__name__}.{method}"

    def _arrays(self, op):
        nh, k = as_int(self.nh, op, "nh"), as_int(self.k, op, "k")
        if nh < 0 or k < 0:
            raise InvalidArgumentError(f"{op}: nh and k must be >= 0, got nh={nh}, k={k}")
        val = region(self.val, self._dtype, nh * k, op, "val", True).reshape(nh, k)
        ids = region(self.ids, np.int64, nh * k, op, "ids", True).reshape(nh, k)
        return val, ids

    def _worst(self):
        info = np.finfo(self._dtype) if np.dtype(self._dtype).kind == "f" else np.iinfo(self._dtype)
        return info.min if self._keep_max else info.max

    def get_val(self, key: int) -> Any:
        """The k values of list key."""
        return self._arrays(self._name("get_val"))[0][as_int(key, self._name("get_val"), "key")]

    def get_ids(self, key: int) -> Any:
        """The k ids of list key."""
        return self._arrays(self._name("get_ids"))[1][as_int(key, self._name("get_ids"), "key")]

    def heapify(self) -> None:
        """Empty every list: worst values, ids -1."""
        val, ids = self._arrays(self._name("heapify"))
        val[:], ids[:] = self._worst(), -1

    def reorder(self) -> None:
        """Sort every list best first (they already are), unfilled last."""
        self._arrays(self._name("reorder"))

    def addn(self, nj: Any, vin: Any, j0: Any = 0, i0: int = 0, ni: int = -1) -> None:
        """Offer nj values per list to lists i0..i0+ni-1 (ni=-1: to the
        last), with ids j0, j0+1, ..."""
        op = self._name("addn")
        nj, j0 = as_int(nj, op, "nj"), as_int(j0, op, "j0")
        rows = self._rows(op, i0, ni)
        new_ids = np.broadcast_to(np.arange(j0, j0 + nj, dtype=np.int64), (len(rows), nj))
        self._merge(op, rows, nj, vin, new_ids)

    def addn_with_ids(self, nj: Any, vin: Any, id_in: Any = None, id_stride: Any = 0, i0: int = 0, ni: int = -1
                     ) -> None:
        """addn with ids read from id_in (row r at r * id_stride; None: the
        positions 0..nj-1)."""
        op = self._name("addn_with_ids")
        nj, stride = as_int(nj, op, "nj"), as_int(id_stride, op, "id_stride")
        rows = self._rows(op, i0, ni)
        if id_in is None:
            new_ids = np.broadcast_to(np.arange(nj, dtype=np.int64), (len(rows), nj))
        else:
            span = (len(rows) - 1) * stride + nj if len(rows) else 0
            flat = region(id_in, np.int64, span, op, "id_in")
            new_ids = np.stack([flat[r * stride:r * stride + nj] for r in range(len(rows))]) if len(rows) else \
                np.zeros((0, nj), np.int64)
        self._merge(op, rows, nj, vin, new_ids)

    def _rows(self, op, i0, ni):
        nh = as_int(self.nh, op, "nh")
        i0, ni = as_int(i0, op, "i0"), as_int(ni, op, "ni")
        ni = nh - i0 if ni == -1 else ni
        if i0 < 0 or ni < 0 or i0 + ni > nh:
            raise InvalidArgumentError(f"{op}: lists {i0}..{i0 + ni - 1} are outside 0..{nh - 1}")
        return range(i0, i0 + ni)

    def _merge(self, op, rows, nj, vin, new_ids):
        val, ids = self._arrays(op)
        if not isinstance(vin, SwigPtr):
            vin = np.ascontiguousarray(vin, dtype=self._dtype).reshape(-1)
            vin = SwigPtr(vin)
        new_val = region(vin, self._dtype, len(rows) * nj, op, "vin").reshape(len(rows), nj)
        k = val.shape[1]
        for r, i in enumerate(rows):
            v = np.concatenate([val[i], new_val[r]])
            d = np.concatenate([ids[i], new_ids[r]])
            key = -v if self._keep_max else v
            best = np.argsort(key, kind="stable")[:k]  # kept pairs precede newcomers among ties
            val[i], ids[i] = v[best], d[best]


class float_maxheap_array_t(_HeapArray):
    """The k smallest float32 values of each of nh lists, faiss's result heaps (faiss: ``float_maxheap_array_t``).

    Set ``nh``, ``k``, ``val`` and ``ids`` (swig_ptr of (nh * k) float32 and
    int64 arrays), then ``heapify()``, ``addn(...)`` / ``addn_with_ids(...)``
    and ``reorder()``, as faiss's.
    """

    _dtype = np.float32


class float_minheap_array_t(_HeapArray):
    """The k largest float32 values of each of nh lists (faiss: ``float_minheap_array_t``).

    As float_maxheap_array_t, keeping the largest (similarities).
    """

    _dtype = np.float32
    _keep_max = True


class int_maxheap_array_t(_HeapArray):
    """The k smallest int32 values of each of nh lists, Hamming distances (faiss: ``int_maxheap_array_t``).

    As float_maxheap_array_t with int32 values; hammings_knn_hc fills one.
    """

    _dtype = np.int32


class int_minheap_array_t(_HeapArray):
    """The k largest int32 values of each of nh lists (faiss: ``int_minheap_array_t``).

    As int_maxheap_array_t, keeping the largest.
    """

    _dtype = np.int32
    _keep_max = True
