"""IndexIDMap and IndexIDMap2: caller-chosen ids over any index."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr
from ._handle import part
from .errors import InputTypeError
from .index import Index
from ._typing import Int64Array


class IndexIDMap(Index):
    """Vectors stored under ids of the caller's choosing (faiss: ``IndexIDMap``).

    ``add_with_ids(x, ids)`` adds; plain ``add`` raises, as in faiss.
    Searches return the caller's ids. ``id_map`` is the int64 array of the
    ids in storage order; ``index`` is the wrapped index. Memory: 8 bytes a
    vector over the wrapped index's.

    Parameters
    ----------
    index : Index
        The index that stores the vectors (empty).

    Raises
    ------
    InvalidArgumentError
        index is not empty.
    """

    _two = False
    _go_type = "IndexIDMap"

    def __init__(self, index: Index) -> None:
        op = type(self).__name__
        if not isinstance(index, Index):
            raise InputTypeError(f"{op}: expected a metalfaiss index, got {type(index).__name__}")
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexIDMapNew", index._h(op), self._two, addr(out))
        super().__init__(int(out[0]))
        self.index = index  # the sub-index lives as long as the map

    def _adopt(self, handle):
        super()._adopt(handle)
        self.index = part(self, "IndexIDMapSub", "IndexIDMap.index")

    @property
    def id_map(self) -> Int64Array:
        """The ids, in storage order (faiss: vector_to_array(index.id_map))."""
        n = self.ntotal
        out = np.empty(n, dtype=np.int64)
        _bridge.call("IDMapIDs", self._h("id_map"), n, addr(out))
        return out


class IndexIDMap2(IndexIDMap):
    """IndexIDMap that also maps ids back to storage (faiss: ``IndexIDMap2``).

    ``reconstruct(id)`` works with the caller's ids, and ``remove_ids``
    keeps the map consistent. Memory per vector: the wrapped index's and 16
    bytes of ids (both directions).

    Parameters
    ----------
    index : Index
        The index that stores the vectors (normally empty).

    Raises
    ------
    InputTypeError
        index is not a metalfaiss index.
    """

    _two = True
    _go_type = "IndexIDMap2"

    def check_consistency(self) -> None:
        """Raise unless the id map, its reverse and the sub-index agree."""
        _bridge.call("IndexIDMapCheckConsistency", self._h("check_consistency"))
