"""ShardedIndex: shard files served by Ray actors, searched as IndexShards.

Each shard file is loaded by `replicas` actors (mapped with IO_FLAG_MMAP);
a search sends the queries to one replica of every shard (in turn) and
merges the (D, I) answers with merge_knn_results, as IndexShards merges
(on equal distances the lower shard first). An actor that dies is
restarted by Ray from its shard file; the call is sent again (to the next
replica) up to `retries` times, then fails naming the shard, unless the
caller allows partial results, which then say which shards answered.
Concurrent searches from several threads within `batch_window` seconds go
out as one batch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
import os
import threading
import time

import numpy as np

from .._arrays import as_int
from ..search_params import SearchParameters
from ..errors import DimensionMismatchError, InvalidArgumentError
from ..index_io import IO_FLAG_MMAP, read_index
from ..metric import METRIC_INNER_PRODUCT
from ..result_heap import merge_knn_results
from ._ray import ensure_ray
from .._typing import Any, ArrayLike, Optional, PathLike, Sequence

if TYPE_CHECKING:
    from ..index import Index

OP = "ShardedIndex"


class ShardUnavailableError(RuntimeError):
    """A shard of a ShardedIndex did not answer (metalfaiss only: the Ray serving).

    A shard did not answer (its actors died more often than allowed);
    ``shard`` is its number and ``path`` its file.

    Parameters
    ----------
    message : str
        The error's text.
    shard : int
        The shard's number.
    path : str
        The shard's file.
    """

    def __init__(self, message: str, shard: int, path: PathLike) -> None:
        super().__init__(message)
        self.shard = shard
        self.path = path


class _ShardServer:
    """The actor of one shard: the index read from its file."""

    def __init__(self, path: PathLike, mmap: bool) -> None:
        self.index = read_index(path, IO_FLAG_MMAP if mmap else 0)

    def info(self) -> Any:
        ix = self.index
        import ray

        return {"d": ix.d, "ntotal": ix.ntotal, "metric_type": int(ix.metric_type), "pid": os.getpid(),
                "node": ray.get_runtime_context().get_node_id()}

    def search(self, x: ArrayLike, k: int, params: SearchParameters) -> Any:
        return self.index.search(x, k, params=params)

    def range_search(self, x: ArrayLike, radius: float, params: SearchParameters) -> Any:
        return self.index.range_search(x, radius, params=params)


_server_class = {}


def _server(ray):
    if "cls" not in _server_class:
        _server_class["cls"] = ray.remote(_ShardServer)
    return _server_class["cls"]


class ShardedIndex:
    """An index of shard files served by Ray actors (metalfaiss only: the Ray serving).

    Shard files (from build_index(..., shards=n) or written by hand)
    searched through Ray actors.

    Parameters
    ----------
    shard_files : list of str
        One index file per shard; all of one dimension and metric.
    replicas : int
        Actors per shard; searches take them in turn.
    mmap : bool
        Read the files with IO_FLAG_MMAP.
    retries : int
        Times a call is sent again after the actor that took it died.
    allow_partial : bool
        Default of search's allow_partial.
    batch_window : float
        Seconds a search waits for concurrent ones to share its fan-out
        (0: none).
    num_cpus : float
        CPUs each actor reserves in Ray's scheduling.
    successive_ids : bool
        As IndexShards' flag: add to each shard's ids the vectors of the
        shards before it (for shards numbered from 0 each). Off by default:
        build_index's shards keep the build's ids.
    """

    def __init__(self, shard_files: Sequence[str | os.PathLike[str]], *, replicas: int = 1, mmap: bool = True,
                 retries: int = 2, allow_partial: bool = False, batch_window: float = 0.0, num_cpus: float = 0,
                 successive_ids: bool = False) -> None:
        self._ray = ray = ensure_ray(OP)
        if not shard_files:
            raise InvalidArgumentError(f"{OP}: no shard files given")
        self.paths = [os.fspath(p) for p in shard_files]
        for p in self.paths:
            if not os.path.exists(p):
                raise InvalidArgumentError(f"{OP}: shard file {p} does not exist")
        replicas = as_int(replicas, OP, "replicas")
        if replicas < 1:
            raise InvalidArgumentError(f"{OP}: replicas must be at least 1, got {replicas}")
        self.retries = as_int(retries, OP, "retries")
        self.allow_partial = bool(allow_partial)
        cls = _server(ray).options(max_restarts=-1, max_task_retries=0, num_cpus=num_cpus)
        self._actors = [[cls.remote(p, bool(mmap)) for _ in range(replicas)] for p in self.paths]
        self._turn = [0] * len(self.paths)
        self._lock = threading.Lock()
        infos = self._fan_out("info", (), allow_partial=False)[0]
        d = {i["d"] for i in infos}
        metrics = {i["metric_type"] for i in infos}
        if len(d) != 1 or len(metrics) != 1:
            raise DimensionMismatchError(f"{OP}: the shards disagree: dimensions {sorted(d)}, metrics {sorted(metrics)}")
        self.d = d.pop()
        self.metric_type = metrics.pop()
        self.ntotal = sum(i["ntotal"] for i in infos)
        sizes = [i["ntotal"] for i in infos]
        self._offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]) if successive_ids else np.zeros(len(sizes), np.int64)
        self._batcher = _Batcher(self, float(batch_window)) if batch_window > 0 else None

    @property
    def nshards(self) -> int:
        """Number of shards."""
        return len(self.paths)

    def actors(self, shard: int) -> list[Any]:
        """The actor handles of a shard (for operators and tests)."""
        return list(self._actors[shard])

    def search(self, x: ArrayLike, k: int, *, params: Optional[SearchParameters] = None,
               allow_partial: Optional[bool] = None) -> tuple[Any, ...]:
        """The k nearest of each row of x (n, d float32-convertible) over
        every shard: (D, I), or (D, I, answered) with allow_partial, where
        answered lists the shards whose results are in."""
        x = self._queries(x, "search")
        k = as_int(k, f"{OP}.search", "k")
        if k < 1:
            raise InvalidArgumentError(f"{OP}.search: k must be positive, got {k}")
        partial = self.allow_partial if allow_partial is None else bool(allow_partial)
        if self._batcher is not None and not partial:
            return self._batcher.search(x, k, params)
        D, I, answered = self._search(x, k, params, partial)
        return (D, I, answered) if partial else (D, I)

    def _search(self, x, k, params, partial):
        results, answered = self._fan_out("search", (x, k, params), allow_partial=partial)
        results = [(D, self._shift(I, s)) for (D, I), s in zip(results, answered)]
        if not results:
            D = np.full((len(x), k), -np.inf if self.metric_type == METRIC_INNER_PRODUCT else np.inf, np.float32)
            return D, np.full((len(x), k), -1, np.int64), answered
        D, I = merge_knn_results(np.stack([r[0] for r in results]), np.stack([r[1] for r in results]),
                                 keep_max=self.metric_type == METRIC_INNER_PRODUCT)
        return D, I, answered

    def range_search(self, x: ArrayLike, radius: float, *, params: Optional[SearchParameters] = None,
                     allow_partial: Optional[bool] = None) -> tuple[Any, ...]:
        """Every vector within radius of each row of x over every shard:
        (lims, D, I), each query's results in shard order (with
        allow_partial, also the shards that answered)."""
        x = self._queries(x, "range_search")
        partial = self.allow_partial if allow_partial is None else bool(allow_partial)
        results, answered = self._fan_out("range_search", (x, float(radius), params), allow_partial=partial)
        results = [(L, D, self._shift(I, s)) for (L, D, I), s in zip(results, answered)]
        lims, D, I = _concat_ranges(results, len(x))
        return (lims, D, I, answered) if partial else (lims, D, I)

    def _shift(self, I, shard):
        """A shard's ids in the index's numbering (-1 stays -1)."""
        off = int(self._offsets[shard])
        return I if off == 0 else np.where(I >= 0, I + off, I)

    def _queries(self, x, what):
        x = np.ascontiguousarray(x, dtype=np.float32)
        if x.ndim != 2 or x.shape[1] != self.d:
            raise DimensionMismatchError(f"{OP}.{what}: queries of shape {x.shape}, the shards have d={self.d}")
        return x

    def _replica(self, shard):
        with self._lock:
            r = self._turn[shard]
            self._turn[shard] = (r + 1) % len(self._actors[shard])
        return self._actors[shard][r]

    def _fan_out(self, method, args, allow_partial):
        """Call method on one replica of every shard; retry a shard whose
        actor died. Returns the answers in shard order and the shards that
        gave them."""
        ray = self._ray
        dead = _actor_errors(ray)
        refs = {s: getattr(self._replica(s), method).remote(*args) for s in range(self.nshards)}
        tries = dict.fromkeys(refs, 0)
        answers, failures = {}, {}
        while refs:
            s, ref = next(iter(refs.items()))
            try:
                answers[s] = ray.get(ref)
                del refs[s]
            except dead as e:
                tries[s] += 1
                if tries[s] > self.retries:
                    failures[s] = e
                    del refs[s]
                else:
                    time.sleep(0.05 * tries[s])
                    refs[s] = getattr(self._replica(s), method).remote(*args)
            except ray.exceptions.RayTaskError as e:
                raise e.as_instanceof_cause() from None
        if failures and not allow_partial:
            s = min(failures)
            raise ShardUnavailableError(
                f"{OP}.{method}: shard {s} ({self.paths[s]}) did not answer after {self.retries + 1} tries: "
                f"{type(failures[s]).__name__}", s, self.paths[s])
        answered = sorted(answers)
        return [answers[s] for s in answered], answered


def _actor_errors(ray):
    """The exceptions that mean an actor died or cannot be reached."""
    errors = [ray.exceptions.RayActorError]
    for name in ("ActorUnavailableError", "ActorDiedError"):
        if hasattr(ray.exceptions, name):
            errors.append(getattr(ray.exceptions, name))
    return tuple(errors)


def _concat_ranges(results, nq):
    """Range results of several shards as one: each query's shard results
    one after the other."""
    shard_lims = [np.asarray(r[0], dtype=np.int64) for r in results]
    counts = sum((np.diff(l) for l in shard_lims), np.zeros(nq, dtype=np.int64))
    lims = np.zeros(nq + 1, dtype=np.int64)
    np.cumsum(counts, out=lims[1:])
    D = np.empty(lims[-1], dtype=np.float32)
    I = np.empty(lims[-1], dtype=np.int64)
    at = lims[:-1].copy()
    for rl, (_, rd, ri) in zip(shard_lims, results):
        for q in range(nq):
            a, b = rl[q], rl[q + 1]
            D[at[q]:at[q] + b - a] = rd[a:b]
            I[at[q]:at[q] + b - a] = ri[a:b]
            at[q] += b - a
    return lims.astype(np.uint64), D, I


class _Batcher:
    """Searches from several threads within a window go out as one: the
    first caller waits `window` seconds, takes every request with its k and
    parameters, fans out once and hands each caller its rows."""

    def __init__(self, index: Index, window: Any) -> None:
        self.index = index
        self.window = window
        self.cond = threading.Condition()
        self.pending = []  # [x, k, params, event, result]
        self.leading = False

    def search(self, x: ArrayLike, k: int, params: SearchParameters) -> Any:
        req = [x, k, params, threading.Event(), None]
        with self.cond:
            self.pending.append(req)
            lead = not self.leading
            if lead:
                self.leading = True
        if lead:
            time.sleep(self.window)
            self._run()
        req[3].wait()
        if isinstance(req[4], BaseException):
            raise req[4]
        return req[4]

    def _run(self):
        while True:
            with self.cond:
                if not self.pending:
                    self.leading = False
                    return
                k, params = self.pending[0][1], self.pending[0][2]
                batch = [r for r in self.pending if r[1] == k and r[2] is params]
                self.pending = [r for r in self.pending if not (r[1] == k and r[2] is params)]
            try:
                D, I, _ = self.index._search(np.concatenate([r[0] for r in batch]), k, params, False)
                at = 0
                for r in batch:
                    n = len(r[0])
                    r[4] = (D[at:at + n], I[at:at + n])
                    at += n
            except BaseException as e:  # every caller of the batch sees the failure
                for r in batch:
                    r[4] = e
            for r in batch:
                r[3].set()
