"""IndexBinaryShards and IndexBinaryReplicas: one binary index made of
several."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr
from .errors import InputTypeError
from .index_binary import IndexBinary
from .index_shards import _d_first
from ._typing import Any


class _BinaryMembers(IndexBinary):
    """The sub-indexes of a binary shard or replica set, kept alive from
    Python; ``addIndex`` / ``removeIndex`` are faiss's generic names."""

    _kind = "shard"

    def _start(self, fn, *args):
        out = np.zeros(1, dtype=np.int64)
        _bridge.call(fn, *args, addr(out))
        self._bind(int(out[0]))
        self._members = []

    def _member(self, index, add):
        op = f"{type(self).__name__}.{'add' if add else 'remove'}_{self._kind}"
        if not isinstance(index, IndexBinary):
            raise InputTypeError(f"{op}: expected a binary index, got {type(index).__name__}")
        _bridge.call("BinaryMember", self._h(op), index._h(op), add)
        if add:
            self._members.append(index)
            self._d = int(self._info()[0])  # a set made without d takes its first member's
        else:
            self._members = [m for m in self._members if m is not index and m._handle != index._handle]

    def addIndex(self, index: IndexBinary) -> None:
        self._member(index, True)

    def removeIndex(self, index: IndexBinary) -> None:
        self._member(index, False)

    def count(self) -> int:
        return len(self._members)

    def at(self, i: int) -> Any:
        return self._members[i]


class IndexBinaryShards(_BinaryMembers):
    """One binary index spread over several (faiss: ``IndexBinaryShards``).

    ``IndexBinaryShards(d, threaded=False, successive_ids=True)`` (or
    without d: the first shard's); ``add_shard(index)`` adds a shard.
    ``add`` splits the codes into contiguous slices, one per shard;
    ``search`` merges the shards' k best, ties to the lower shard. With
    ``successive_ids`` shard s numbers its codes after the shards before it
    and ``add`` works once, on empty shards.

    Parameters
    ----------
    *args, **kwargs
        ``d`` (bits per code, optional), ``threaded`` (bool) and
        ``successive_ids`` (bool), as faiss orders them.

    Raises
    ------
    InputTypeError
        d is not an integer.
    InvalidArgumentError
        d is not a positive multiple of 8.
    """

    _go_type = "IndexBinaryShards"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        d, (_threaded, successive_ids) = _d_first("IndexBinaryShards", args, kwargs, ("threaded", False),
                                                  ("successive_ids", True))
        self._start("IndexBinaryShardsNew", d, bool(successive_ids))
        self.successive_ids = bool(successive_ids)

    def add_shard(self, index: Any) -> None:
        """Add a member binary index (of the same d)."""
        self._member(index, True)

    def remove_shard(self, index: IndexBinary) -> None:
        """Take a shard out of the set; the shard keeps its codes."""
        self._member(index, False)


class IndexBinaryReplicas(_BinaryMembers):
    """The same codes in several binary indexes, queries split between them (faiss: ``IndexBinaryReplicas``).

    ``IndexBinaryReplicas(d, threaded=True)`` (or without d: the first
    replica's); ``add_replica(index)`` adds one. Every replica holds the same
    codes (``add`` goes to all); a search splits its queries between the
    replicas.

    Parameters
    ----------
    *args, **kwargs
        ``d`` (bits per code, optional) and ``threaded`` (bool), as faiss
        orders them.

    Raises
    ------
    InputTypeError
        d is not an integer.
    InvalidArgumentError
        d is not a positive multiple of 8.
    """

    _kind = "replica"
    _go_type = "IndexBinaryReplicas"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        d, (_threaded,) = _d_first("IndexBinaryReplicas", args, kwargs, ("threaded", True))
        self._start("IndexBinaryReplicasNew", d)

    def add_replica(self, index: IndexBinary) -> None:
        """Add a member binary index holding the same codes."""
        self._member(index, True)

    def remove_replica(self, index: IndexBinary) -> None:
        """Take a replica out of the set."""
        self._member(index, False)
