"""faiss's binary hash indexes: codes filed in buckets keyed by some of
their bits, searched in the buckets whose keys differ from the query's in
at most ``nflip`` bits."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from .errors import InvalidArgumentError
from .index_binary import IndexBinary
from ._typing import Any


class _HashIndex(IndexBinary):
    def _hash(self, nflip=-1):
        out = np.zeros(4, dtype=np.int64)
        _bridge.call("BinaryHashParam", self._h("nflip"), nflip, addr(out))
        return out

    @property
    def nflip(self) -> int:
        """The most key bits a searched bucket may differ by (0: only the
        query's own bucket; b: every bucket, an exact search)."""
        return int(self._hash()[0])

    @nflip.setter
    def nflip(self, value: Any) -> None:
        op = self._op("nflip")
        value = as_int(value, op, "nflip")
        if value < 0:
            raise InvalidArgumentError(f"{op}: nflip must be >= 0, got {value}")
        self._hash(value)

    @property
    def b(self) -> int:
        """Bits per key."""
        return int(self._hash()[1])

    def hashtable_size(self) -> int:
        """The number of buckets (over all maps of a multi-hash)."""
        return int(self._hash()[3])


class IndexBinaryHash(_HashIndex):
    """Binary codes filed in buckets by their first b bits (faiss: ``IndexBinaryHash``).

    A search measures the codes of the buckets within ``nflip`` bits of the
    query's key, bucket by bucket in faiss's order: exact for neighbours that
    share the query's key up to nflip bits, approximate otherwise. Memory per
    vector: d / 8 bytes and an 8-byte id.

    Parameters
    ----------
    d : int
        Bits per code (a multiple of 8).
    b : int
        Bits of the key (0 to 64, at most d).

    Raises
    ------
    InputTypeError
        d or b is not an integer.
    InvalidArgumentError
        d is not a positive multiple of 8, or b out of range.
    """

    _go_type = "IndexBinaryHash"

    def __init__(self, d: int, b: int) -> None:
        op = "IndexBinaryHash"
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexBinaryHashNew", as_int(d, op, "d"), as_int(b, op, "b"), addr(out))
        self._adopt(int(out[0]))


class IndexBinaryMultiHash(_HashIndex):
    """Binary codes filed in nhash maps, each keyed by its own b bits (faiss: ``IndexBinaryMultiHash``).

    The codes stay in ``storage`` (an IndexBinaryFlat); map ``h`` is keyed by
    bits ``h*b`` to ``h*b+b-1``. A search measures, once each and in id
    order, the codes filed within ``nflip`` bits of the query's key in any
    map. Memory per vector: d / 8 bytes and 8 bytes per map.

    Parameters
    ----------
    d : int
        Bits per code (a multiple of 8).
    nhash : int
        Number of maps.
    b : int
        Bits of each map's key (nhash * b at most d and 64).

    Raises
    ------
    InputTypeError
        A parameter is not an integer.
    InvalidArgumentError
        d is not a positive multiple of 8, or nhash * b out of range.
    """

    _go_type = "IndexBinaryMultiHash"

    def __init__(self, d: int, nhash: int, b: int) -> None:
        op = "IndexBinaryMultiHash"
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexBinaryMultiHashNew", as_int(d, op, "d"), as_int(nhash, op, "nhash"), as_int(b, op, "b"),
                     addr(out))
        self._adopt(int(out[0]))

    def _adopt(self, handle):
        super()._adopt(handle)
        self.storage = self._sub()

    @property
    def nhash(self) -> int:
        """The number of maps."""
        return int(self._hash()[2])
