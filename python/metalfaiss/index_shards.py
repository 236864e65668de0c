"""IndexShards and IndexReplicas: one index made of several."""

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from .errors import InputTypeError
from .index import Index


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

    def count(self):
        return len(self._members)

    def at(self, i):
        return self._members[i]


class IndexShards(_Members):
    """``IndexShards(d, threaded=False, successive_ids=True)``: ``add``
    splits the vectors into contiguous slices, one per shard; ``search``
    asks every shard and merges the k best as faiss does (ties go to the
    lower shard for L2). With ``successive_ids`` shard s numbers its
    vectors after the shards before it and ``add`` works once, on empty
    shards; without it, shards take ids (``add_with_ids``, or ntotal + i).
    Shards may be CPU or GPU indexes."""

    def __init__(self, d, threaded=False, successive_ids=True):
        op = "IndexShards"
        self._start("IndexShardsNew", as_int(d, op, "d"), bool(threaded), bool(successive_ids))
        self.successive_ids = bool(successive_ids)

    def add_shard(self, index):
        self._add_member(index)

    @property
    def metric_type(self):
        return self._members[0].metric_type if self._members else super().metric_type


class IndexReplicas(_Members):
    """``IndexReplicas(d, threaded=True)``: every replica holds the same
    vectors (``add`` goes to all); a search splits its queries between the
    replicas, so the results are one index's."""

    _kind = "replica"

    def __init__(self, d, threaded=True):
        self._start("IndexReplicasNew", as_int(d, "IndexReplicas", "d"), bool(threaded))

    def add_replica(self, index):
        self._add_member(index)

    @property
    def metric_type(self):
        return self._members[0].metric_type if self._members else super().metric_type
