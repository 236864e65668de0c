"""IndexShards and IndexReplicas: one index made of several."""

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from .errors import InputTypeError, InvalidArgumentError
from .index import Index


def _d_first(op, args, kwargs, *flags):
    """faiss's two constructor forms, (d, flags...) and (flags...), the
    second taking d from the first member (returned as 0)."""
    d = 0
    if args and not isinstance(args[0], (bool, np.bool_)):
        d, args = as_int(args[0], op, "d"), args[1:]
        if d <= 0:
            raise InvalidArgumentError(f"{op}: d must be positive, got {d}")
    elif "d" in kwargs:
        d = as_int(kwargs.pop("d"), op, "d")
    if len(args) > len(flags):
        raise TypeError(f"{op}: too many arguments")
    values = [args[i] if i < len(args) else kwargs.pop(name, default) for i, (name, default) in enumerate(flags)]
    if kwargs:
        raise TypeError(f"{op}: unexpected arguments {sorted(kwargs)}")
    return d, values


class _Members(Index):
    """The sub-indexes of a shard or replica set, kept alive from Python."""

    _kind = "shard"

    def _start(self, fn, *args):
        out = np.zeros(1, dtype=np.int64)
        _bridge.call(fn, *args, addr(out))
        super().__init__(int(out[0]))
        self._members = []

    def _add_member(self, index):
        op = f"{type(self).__name__}.add_{self._kind}"
        if not isinstance(index, Index):
            raise InputTypeError(f"{op}: expected a metalfaiss index, got {type(index).__name__}")
        _bridge.call("IndexAddMember", self._h(op), index._h(op))
        self._members.append(index)
        self._d = int(self._info("d")[0])  # a set made without d takes its first member's

    def _remove_member(self, index):
        op = f"{type(self).__name__}.remove_{self._kind}"
        if not isinstance(index, Index):
            raise InputTypeError(f"{op}: expected a metalfaiss index, got {type(index).__name__}")
        _bridge.call("IndexRemoveMember", self._h(op), index._h(op))
        self._members = [m for m in self._members if m is not index and m._handle != index._handle]

    def addIndex(self, index):
        """faiss's generic name for add_shard / add_replica."""
        self._add_member(index)

    def removeIndex(self, index):
        self._remove_member(index)

    def count(self):
        return len(self._members)

    def at(self, i):
        return self._members[i]


class IndexShards(_Members):
    """``IndexShards(d, threaded=False, successive_ids=True)`` (or without
    d, as faiss allows: the first shard's is taken): ``add``
    splits the vectors into contiguous slices, one per shard; ``search``
    asks every shard and merges the k best as faiss does (ties go to the
    lower shard for L2). With ``successive_ids`` shard s numbers its
    vectors after the shards before it and ``add`` works once, on empty
    shards; without it, shards take ids (``add_with_ids``, or ntotal + i).
    Shards may be CPU or GPU indexes."""

    def __init__(self, *args, **kwargs):
        d, (threaded, successive_ids) = _d_first("IndexShards", args, kwargs, ("threaded", False),
                                                 ("successive_ids", True))
        self._start("IndexShardsNew", d, bool(threaded), bool(successive_ids))
        self.successive_ids = bool(successive_ids)

    def add_shard(self, index):
        self._add_member(index)

    def remove_shard(self, index):
        """Take a shard out of the set; the shard keeps its vectors."""
        self._remove_member(index)

    @property
    def metric_type(self):
        return self._members[0].metric_type if self._members else super().metric_type


class IndexReplicas(_Members):
    """``IndexReplicas(d, threaded=True)`` (or without d: the first
    replica's): every replica holds the same
    vectors (``add`` goes to all); a search splits its queries between the
    replicas, so the results are one index's."""

    _kind = "replica"

    def __init__(self, *args, **kwargs):
        d, (threaded,) = _d_first("IndexReplicas", args, kwargs, ("threaded", True))
        self._start("IndexReplicasNew", d, bool(threaded))

    def add_replica(self, index):
        self._add_member(index)

    def remove_replica(self, index):
        """Take a replica out of the set."""
        self._remove_member(index)

    @property
    def metric_type(self):
        return self._members[0].metric_type if self._members else super().metric_type
