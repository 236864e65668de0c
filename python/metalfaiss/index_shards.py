"""IndexShards and IndexReplicas: one index made of several."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_count, as_ids, as_int, as_matrix
from .errors import DimensionMismatchError, InputTypeError, InvalidArgumentError
from .index import Index
from .search_params import SearchParameters
from ._typing import Any, ArrayLike, Float32Array, Int64Array, Optional, SearchResult


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

    def addIndex(self, index: Index) -> None:
        """faiss's generic name for add_shard / add_replica."""
        self._add_member(index)

    def removeIndex(self, index: Index) -> None:
        self._remove_member(index)

    def count(self) -> int:
        return len(self._members)

    def at(self, i: int) -> Index:
        return self._members[i]


class IndexShards(_Members):
    """One index spread over several (faiss: ``IndexShards``).

    ``IndexShards(d, threaded=False, successive_ids=True)`` (or without d,
    as faiss allows: the first shard's is taken); ``add_shard(index)`` adds
    a shard. ``add`` splits the vectors into contiguous slices, one per
    shard; ``search`` asks every shard and merges the k best as faiss does
    (ties go to the lower shard for L2). With ``successive_ids`` shard s
    numbers its vectors after the shards before it and ``add`` works once,
    on empty shards; without it, shards take ids (``add_with_ids``, or
    ntotal + i). Shards may be CPU or GPU indexes.

    Parameters
    ----------
    *args, **kwargs
        ``d`` (int, optional), ``threaded`` (bool: search the shards in
        parallel) and ``successive_ids`` (bool), as faiss orders them.

    Raises
    ------
    InputTypeError
        d is not an integer.
    InvalidArgumentError
        d below 1.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        d, (threaded, successive_ids) = _d_first("IndexShards", args, kwargs, ("threaded", False),
                                                 ("successive_ids", True))
        self._start("IndexShardsNew", d, bool(threaded), bool(successive_ids))
        self.successive_ids = bool(successive_ids)

    def add_shard(self, index: Any) -> None:
        """Add a member index (of the same d and metric)."""
        self._add_member(index)

    def remove_shard(self, index: Index) -> None:
        """Take a shard out of the set; the shard keeps its vectors."""
        self._remove_member(index)

    @property
    def metric_type(self) -> int:
        return self._members[0].metric_type if self._members else super().metric_type


class IndexReplicas(_Members):
    """The same vectors in several indexes, queries split between them (faiss: ``IndexReplicas``).

    ``IndexReplicas(d, threaded=True)`` (or without d: the first replica's);
    ``add_replica(index)`` adds one. Every replica holds the same vectors
    (``add`` goes to all); a search splits its queries between the replicas,
    so the results are one index's.

    Parameters
    ----------
    *args, **kwargs
        ``d`` (int, optional) and ``threaded`` (bool: search the replicas in
        parallel), as faiss orders them.

    Raises
    ------
    InputTypeError
        d is not an integer.
    InvalidArgumentError
        d below 1.
    """

    _kind = "replica"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        d, (threaded,) = _d_first("IndexReplicas", args, kwargs, ("threaded", True))
        self._start("IndexReplicasNew", d, bool(threaded))

    def add_replica(self, index: Index) -> None:
        """Add a member index holding the same vectors."""
        self._add_member(index)

    def remove_replica(self, index: Index) -> None:
        """Take a replica out of the set."""
        self._remove_member(index)

    @property
    def metric_type(self) -> int:
        return self._members[0].metric_type if self._members else super().metric_type


class IndexShardsIVF(IndexShards):
    """Shards that are IVF indexes sharing one coarse quantizer (faiss: ``IndexShardsIVF``).

    ``train`` places the common centroids (k-means with IVF's defaults,
    unless the quantizer holds them), copies them into every shard's
    quantizer and trains the shards' codes; ``add`` assigns with the common
    quantizer and gives each shard its slice of the vectors; ``search``
    probes the common quantizer's nearest lists in every shard
    (``search_preassigned``) and merges the k best as IndexShards does. As in
    faiss, the number of lists is the shards' ``nprobe`` (they must agree),
    or the search parameters'.

    Parameters
    ----------
    quantizer : Index
        The common coarse quantizer.
    nlist : int
        Number of lists of every shard.
    threaded : bool
        Search the shards in parallel (default False).
    successive_ids : bool
        Shard s numbers its vectors after the shards before it (default
        True).

    Raises
    ------
    InputTypeError
        quantizer is not a metalfaiss index, or nlist not an integer.
    InvalidArgumentError
        nlist below 1.
    """

    def __init__(self, quantizer: Index, nlist: int, threaded: Any = False, successive_ids: Any = True) -> None:
        op = "IndexShardsIVF"
        if not isinstance(quantizer, Index):
            raise InputTypeError(f"{op}: the quantizer must be a metalfaiss index, got {type(quantizer).__name__}")
        super().__init__(quantizer.d, threaded, successive_ids)
        self.quantizer = quantizer
        self.nlist = as_int(nlist, op, "nlist")
        if self.nlist <= 0:
            raise InvalidArgumentError(f"{op}: nlist must be positive, got {self.nlist}")

    def add_shard(self, index: Any) -> None:
        """Add a member IVF index that shares the common quantizer."""
        from .index_ivf import IndexIVF

        op = "IndexShardsIVF.add_shard"
        if not isinstance(index, IndexIVF) or index.nlist != self.nlist:
            raise InvalidArgumentError(f"{op}: a shard must be an IVF index of nlist={self.nlist}, "
                                       f"got {type(index).__name__}")
        super().add_shard(index)

    @property
    def metric_type(self) -> int:
        return self.quantizer.metric_type

    @property
    def is_trained(self) -> bool:
        """Whether the common quantizer holds its nlist centroids and every shard is trained."""
        return self.quantizer.is_trained and self.quantizer.ntotal == self.nlist and \
            all(s.is_trained for s in self._members)

    def train(self, x: ArrayLike) -> None:
        from .clustering_parameters import ClusteringParameters
        from .faiss_clustering import Clustering
        from .metric import METRIC_INNER_PRODUCT

        op = "IndexShardsIVF.train"
        x = as_matrix(x, op, self.d)
        if not self._members:
            raise InvalidArgumentError(f"{op}: the index has no shards: add_shard first")
        if not (self.quantizer.is_trained and self.quantizer.ntotal == self.nlist):
            cp = ClusteringParameters(niter=10, spherical=int(self.metric_type) == METRIC_INNER_PRODUCT)
            self.quantizer.reset()
            Clustering(self.d, self.nlist, cp).train(x, self.quantizer)
        centroids = self.quantizer.reconstruct_n(0, self.nlist)
        for shard in self._members:
            shard.quantizer.reset()
            shard.quantizer.add(centroids)
            shard.train(x)

    def add(self, x: ArrayLike) -> None:
        self.add_with_ids(x, None)

    def add_with_ids(self, x: ArrayLike, ids: ArrayLike) -> None:
        op = "IndexShardsIVF.add"
        x = as_matrix(x, op, self.d)
        if not self._members:
            raise InvalidArgumentError(f"{op}: the index has no shards: add_shard first")
        if ids is not None:
            ids = as_ids(ids, op)
            if ids.shape[0] != x.shape[0]:
                raise DimensionMismatchError(f"{op}: {ids.shape[0]} ids for {x.shape[0]} vectors")
        if self.successive_ids:
            if ids is not None:
                raise InvalidArgumentError(f"{op}: it makes no sense to pass ids and ask for them to be shifted "
                                           f"(successive_ids)")
            if self.ntotal != 0:
                raise InvalidArgumentError(f"{op}: with successive_ids, add() works in a single pass on empty shards")
        elif ids is None:
            ids = np.arange(self.ntotal, self.ntotal + x.shape[0], dtype=np.int64)
        assign = self.quantizer.assign(x, 1)
        n, ns = x.shape[0], len(self._members)
        for i, shard in enumerate(self._members):
            i0, i1 = i * n // ns, (i + 1) * n // ns
            shard.add_preassigned(x[i0:i1], assign[i0:i1], None if ids is None else ids[i0:i1])

    def search(self, x: ArrayLike, k: int, *, params: Optional[SearchParameters] = None,
               D: Optional[Float32Array] = None, I: Optional[Int64Array] = None) -> SearchResult:
        from .metric import METRIC_INNER_PRODUCT
        from .result_heap import merge_knn_results

        op = "IndexShardsIVF.search"
        x = as_matrix(x, op, self.d)
        k = as_count(k, op)
        if not self._members:
            raise InvalidArgumentError(f"{op}: the index has no shards: add_shard first")
        nprobes = {s.nprobe for s in self._members}
        if params is not None and getattr(params, "nprobe", None):
            nprobe = as_int(params.nprobe, op, "params.nprobe")
        elif len(nprobes) > 1:
            raise InvalidArgumentError(f"{op}: the shards have inconsistent nprobe values {sorted(nprobes)}")
        else:
            nprobe = nprobes.pop()
        if nprobe <= 0:
            raise InvalidArgumentError(f"{op}: nprobe must be positive, got {nprobe}")
        Dq, Iq = self.quantizer.search(x, min(nprobe, self.nlist))
        Dall, Iall, shift = [], [], 0
        for shard in self._members:
            Ds, Is = shard.search_preassigned(x, k, Iq, Dq, params=params)
            if self.successive_ids:
                Is = np.where(Is >= 0, Is + shift, Is)
                shift += shard.ntotal
            Dall.append(Ds)
            Iall.append(Is)
        Dm, Im = merge_knn_results(np.stack(Dall), np.stack(Iall),
                                   keep_max=int(self.metric_type) == METRIC_INNER_PRODUCT)
        if D is not None:
            D[...] = Dm
            Dm = D
        if I is not None:
            I[...] = Im
            Im = I
        return Dm, Im
