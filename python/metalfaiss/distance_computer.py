"""faiss's distance computers: ``index.get_distance_computer()`` measures
one query (``set_query``) against stored vectors by id; the flat and coded
indexes' ``get_FlatCodesDistanceComputer()`` also measures codes
(``distance_to_code``)."""

from __future__ import annotations

from typing import TYPE_CHECKING
import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from ._handle import GoHandle
from .errors import InputTypeError, InvalidArgumentError
from ._typing import Any, ArrayLike

if TYPE_CHECKING:
    from .index import Index


def _floats(x, n, op, name, dtype=np.float32):
    from .swig_pointers import SwigPtr, region

    if isinstance(x, SwigPtr):
        return region(x, dtype, n, op, name)
    a = np.ascontiguousarray(x, dtype=dtype).reshape(-1)
    if a.shape[0] != n:
        raise InvalidArgumentError(f"{op}: {name} must hold {n} values, got {a.shape[0]}")
    return a


class DistanceComputer(GoHandle):
    """Distances from one query to an index's stored vectors (faiss: ``DistanceComputer``).

    Distances from one query to an index's stored vectors: the query
    goes through the index's transforms, stored vectors are decoded. For
    coded storage the values equal the search's up to rounding.

    Parameters
    ----------
    index : Index
        The index whose stored vectors are measured.
    """

    def __init__(self, index: Index) -> None:
        op = f"{type(index).__name__}.get_distance_computer"
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("DistanceComputerNew", index._h(op), addr(out))
        self._handle = int(out[0])
        self._index = index  # kept alive with the computer
        info = np.zeros(2, dtype=np.int64)
        _bridge.call("DCInfo", self._h("info"), addr(info))
        self.d, self.code_size = int(info[0]), int(info[1])

    def set_query(self, x: ArrayLike) -> None:
        """x: the query, a swig_ptr to d float32 or an array of d values."""
        q = _floats(x, self.d, "DistanceComputer.set_query", "x")
        _bridge.call("DCSetQuery", self._h("set_query"), addr(q))

    def __call__(self, i: int) -> float:
        """The distance from the query to stored vector i."""
        ids = np.array([as_int(i, "DistanceComputer", "i")], dtype=np.int64)
        out = np.zeros(1, dtype=np.float32)
        _bridge.call("DCDistances", self._h("distance"), 1, addr(ids), addr(out))
        return float(out[0])

    def symmetric_dis(self, i: int, j: int) -> float:
        """The distance between stored vectors i and j."""
        op = "DistanceComputer.symmetric_dis"
        out = np.zeros(1, dtype=np.float32)
        _bridge.call("DCSymmetric", self._h("symmetric_dis"), as_int(i, op, "i"), as_int(j, op, "j"), addr(out))
        return float(out[0])

    def distance_to_code(self, code: Any) -> float:
        """The distance from the query to what a code (code_size bytes: a
        swig_ptr or an array) stands for."""
        op = "DistanceComputer.distance_to_code"
        if isinstance(code, np.ndarray) and code.dtype != np.uint8:
            raise InputTypeError(f"{op}: the code must be uint8, got {code.dtype}")
        c = _floats(code, self.code_size, op, "code", np.uint8)
        out = np.zeros(1, dtype=np.float32)
        _bridge.call("DCDistanceToCode", self._h("distance_to_code"), addr(c), addr(out))
        return float(out[0])


FlatCodesDistanceComputer = DistanceComputer


class IndexFlatCodes:
    """What the indexes of one code per vector share (faiss: ``IndexFlatCodes``).

    What faiss's IndexFlatCodes adds to the indexes that store one code
    per vector in a flat array (IndexFlat, IndexPQ, IndexScalarQuantizer
    here): a distance computer that also measures codes.
    """

    def get_FlatCodesDistanceComputer(self) -> Any:
        """A DistanceComputer over the stored codes (faiss: get_FlatCodesDistanceComputer)."""
        return DistanceComputer(self)
