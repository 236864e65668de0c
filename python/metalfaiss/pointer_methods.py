"""faiss's ``*_c`` index methods: the C signatures, taking a count and
``swig_ptr`` pointers (``index.search_c(n, swig_ptr(x), k, swig_ptr(D),
swig_ptr(I))``). Each reads and writes the arrays behind the pointers
through the index's array methods, so checks and results are the same."""

from __future__ import annotations

from typing import TYPE_CHECKING
import numpy as np

from ._arrays import as_int
from .errors import InvalidArgumentError
from .swig_pointers import region
from ._typing import Any, ArrayLike, Optional

if TYPE_CHECKING:
    from .search_params import SearchParameters


def _count(n, op, name="n"):
    n = as_int(n, op, name)
    if n < 0:
        raise InvalidArgumentError(f"{op}: {name} must be >= 0, got {n}")
    return n


class PointerMethods:
    """faiss's pointer-style index methods, search_c, add_c, ... (faiss: the SWIG methods of ``Index``).

    Mixed into Index (float vectors, ``_c_dtype`` float32, width d) and
    IndexBinary (uint8 codes, width code_size).
    """

    _c_dtype = np.float32
    _c_dist = np.float32

    def _c_width(self):
        return self.d

    def _c_rows(self, ptr, n, op, name="x", writable=False):
        w = self._c_width()
        return region(ptr, self._c_dtype, n * w, op, name, writable).reshape(n, w)

    def train_c(self, n: int, x: ArrayLike) -> None:
        """faiss's C signature: train on the n vectors at pointer x."""
        op = self._op("train_c")
        self.train(self._c_rows(x, _count(n, op), op))

    def add_c(self, n: int, x: ArrayLike) -> None:
        """faiss's C signature: add the n vectors at pointer x."""
        op = self._op("add_c")
        self.add(self._c_rows(x, _count(n, op), op))

    def add_with_ids_c(self, n: int, x: ArrayLike, xids: Any) -> None:
        """faiss's C signature: add the n vectors at x under the ids at xids."""
        op = self._op("add_with_ids_c")
        n = _count(n, op)
        self.add_with_ids(self._c_rows(x, n, op), region(xids, np.int64, n, op, "xids"))

    def search_c(self, n: int, x: ArrayLike, k: int, distances: Any, labels: ArrayLike,
                 params: Optional[SearchParameters] = None) -> None:
        """faiss's C signature: search the n queries at x, results written at distances and labels."""
        op = self._op("search_c")
        n, k = _count(n, op), _count(k, op, "k")
        D = region(distances, self._c_dist, n * k, op, "distances", True).reshape(n, k)
        I = region(labels, np.int64, n * k, op, "labels", True).reshape(n, k)
        Dr, Ir = self.search(self._c_rows(x, n, op), k, params=params)
        D[:], I[:] = Dr, Ir

    def reconstruct_c(self, key: int, recons: Any) -> None:
        """faiss's C signature: the vector of id key, written at recons."""
        op = self._op("reconstruct_c")
        self._c_rows(recons, 1, op, "recons", True)[0] = self.reconstruct(key)


class IndexPointerMethods(PointerMethods):
    """The float indexes' pointer-style extras (faiss: ``Index.assign_c``, ``reconstruct_n_c``).

    The float-index extras: assign_c and reconstruct_n_c.
    """

    def assign_c(self, n: int, x: ArrayLike, labels: ArrayLike, k: int = 1) -> None:
        """faiss's C signature: the k nearest ids of the n vectors at pointer x, written at labels."""
        op = self._op("assign_c")
        n, k = _count(n, op), _count(k, op, "k")
        region(labels, np.int64, n * k, op, "labels", True)[:] = self.assign(self._c_rows(x, n, op), k).reshape(-1)

    def sa_encode_c(self, n: int, x: ArrayLike, bytes: Any) -> None:
        """faiss's C signature: the codes of the n vectors at pointer x, written at bytes."""
        op = self._op("sa_encode_c")
        n = _count(n, op)
        out = region(bytes, np.uint8, n * self.sa_code_size(), op, "bytes", True)
        out[:] = self.sa_encode(self._c_rows(x, n, op)).reshape(-1)

    def sa_decode_c(self, n: int, bytes: Any, x: Any) -> None:
        """faiss's C signature: the n vectors that the codes at bytes stand for, written at x."""
        op = self._op("sa_decode_c")
        n = _count(n, op)
        codes = region(bytes, np.uint8, n * self.sa_code_size(), op, "bytes")
        self._c_rows(x, n, op, "x", True)[:] = self.sa_decode(codes.reshape(n, -1))

    def reconstruct_n_c(self, i0: int, ni: int, recons: Any) -> None:
        """faiss's C signature: vectors i0 .. i0 + ni - 1, written at recons."""
        op = self._op("reconstruct_n_c")
        ni = _count(ni, op, "ni")
        self._c_rows(recons, ni, op, "recons", True)[:] = self.reconstruct_n(i0, ni)


class BinaryPointerMethods(PointerMethods):
    """The binary indexes' pointer-style methods (faiss: the SWIG methods of ``IndexBinary``).

    PointerMethods of binary indexes: codes are uint8, distances int32.
    """

    _c_dtype = np.uint8
    _c_dist = np.int32

    def _c_width(self):
        return self.code_size
