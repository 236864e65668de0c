"""Searching a large batch of queries in an IVF index list by list
(faiss.contrib.big_batch_search's interface): the queries are bucketed by
the lists they probe, and each list is decoded once and compared with all
its queries by a brute-force function (``knn`` or ``pairwise_distances``,
replaceable, e.g. by a GPU one) or by the index's own scanner. The
per-bucket results merge into a ResultHeap. Preparation, computation and
merging can overlap in threads, and long runs can checkpoint and resume."""

from __future__ import annotations

from typing import TYPE_CHECKING
import logging
import os
import pickle
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from metalfaiss import distances
from metalfaiss.errors import InvalidArgumentError, UnsupportedOperationError
from metalfaiss.index_ivf import IndexIVFFlat, IndexIVFPQ, IndexIVFScalarQuantizer
from metalfaiss.metric import METRIC_INNER_PRODUCT
from metalfaiss.result_heap import ResultHeap, is_similarity_metric
from metalfaiss.system import get_mem_usage_kb
from metalfaiss.contrib.inspect_tools import get_invlist
from .._typing import Any, ArrayLike, Optional, PathLike

if TYPE_CHECKING:
    from ..index import Index

_METHODS = ("index", "pairwise_distances", "knn_function")


class BigBatchSearcher:
    """The state of one big-batch search (faiss: ``contrib.big_batch_search.BigBatchSearcher``).

    The data of one big-batch search: the queries bucketed by list, the
    result heap, timings and checkpoints. How a bucket is compared is the
    BlockComputer's business.

    Parameters
    ----------
    index : IndexIVF
        The index searched.
    xq : (nq, d) float32-convertible
        The queries.
    k : int
        Results per query.
    verbose : int
        Print progress.
    use_float16 : bool
        Decode lists to float16.
    """

    def __init__(self, index: Index, xq: ArrayLike, k: int, verbose: int = 0, use_float16: Any = False) -> None:
        self.index, self.xq, self.k = index, xq, k
        self.verbose, self.use_float16 = verbose, use_float16
        self.rh = ResultHeap(len(xq), k, keep_max=is_similarity_metric(index.metric_type))
        # seconds preparing queries, preparing lists, computing, merging,
        # waiting for input, waiting to hand output on
        self.t_accu = [0.0] * 6
        self.t0 = self.t_display = time.time()
        self.decode_func, self.by_residual = None, False

    def tic(self, name: str) -> None:
        """Start timing a step called name."""
        self._tic = (name, time.time())
        if self.verbose > 0:
            print(name, end="\r", flush=True)

    def toc(self) -> Any:
        """End the step begun by tic; return its seconds."""
        name, t0 = self._tic
        dt = time.time() - t0
        if self.verbose > 0:
            print(f"{name}: {dt:.3f} s")
        return dt

    def report(self, l: int) -> None:
        """Progress line for list l (verbose 2: at most once a second)."""
        if self.verbose <= 1 or (self.verbose == 2 and l > 1000 and time.time() < self.t_display + 1.0):
            return
        t = time.time() - self.t0
        a = self.t_accu
        print(f"[{t:.1f} s] list {l}/{self.index.nlist} times prep q {a[0]:.3f} prep b {a[1]:.3f} "
              f"comp {a[2]:.3f} res {a[3]:.3f} wait in {a[4]:.3f} wait out {a[5]:.3f} "
              f"mem {get_mem_usage_kb()}", end="\r" if self.verbose <= 2 else "\n", flush=True)
        self.t_display = time.time()

    def coarse_quantization(self) -> None:
        """The nprobe lists of every query, from the index's quantizer."""
        self.tic("coarse quantization")
        nq, nprobe = len(self.xq), self.index.nprobe
        self.q_assign = np.empty((nq, nprobe), dtype=np.int64)
        for i0 in range(0, nq, 65536):
            self.q_assign[i0:i0 + 65536] = self.index.quantizer.search(self.xq[i0:i0 + 65536], nprobe)[1]
        self.toc()

    def reorder_assign(self) -> None:
        """Bucket the (query, list) pairs by list: bucket l holds the
        queries query_ids[bucket_lims[l]:bucket_lims[l + 1]]."""
        self.tic("bucket sort")
        assign = np.asarray(self.q_assign, dtype=np.int64)
        nlist = self.index.nlist
        if assign.ndim != 2 or assign.shape[0] != len(self.xq):
            raise InvalidArgumentError(f"big_batch_search: q_assign must be ({len(self.xq)}, nprobe), "
                                       f"got {assign.shape}")
        if assign.size and (assign.max() >= nlist or assign.min() < -1):
            raise InvalidArgumentError(f"big_batch_search: q_assign holds lists outside -1..{nlist - 1}")
        flat = assign.ravel()
        order = np.argsort(flat, kind="stable")
        self.query_ids = (order // assign.shape[1]).astype(np.int64)
        counts = np.bincount(flat + 1, minlength=nlist + 1)  # -1 (no list) first
        if self.verbose > 0:
            print("  number of -1s:", counts[0])
        self.bucket_lims = np.cumsum(counts)  # list l: bucket_lims[l] .. bucket_lims[l + 1]
        del self.q_assign
        self.toc()

    def prepare_bucket(self, l: int) -> Any:
        """(query numbers, their vectors, list ids, list vectors or codes)
        of bucket l; residual codes get the queries minus the centroid."""
        t0 = time.time()
        q_subset = self.query_ids[self.bucket_lims[l]:self.bucket_lims[l + 1]]
        xq_l = self.xq[q_subset]
        if self.by_residual and self.index.metric_type != METRIC_INNER_PRODUCT:
            xq_l = xq_l - self.index.quantizer.reconstruct(l)
        t1 = time.time()
        list_ids, codes = get_invlist(self.index.invlists, l)
        xb_l = codes.ravel() if self.decode_func is None else self.decode_func(codes)
        if self.use_float16:
            xq_l, xb_l = xq_l.astype(np.float16), xb_l.astype(np.float16)
        self.t_accu[0] += t1 - t0
        self.t_accu[1] += time.time() - t1
        return q_subset, xq_l, list_ids, xb_l

    def add_results_to_heap(self, q_subset: Any, D: ArrayLike, list_ids: Any, I: ArrayLike, l: Optional[int] = None,
                            ids_given: Any = False) -> None:
        """Merge a bucket's results (I: positions in list l, ids when
        ids_given, or None when D covers the whole list) into the heap."""
        if D is None:
            return
        t0 = time.time()
        D = np.asarray(D, dtype=np.float32)
        if ids_given:
            self.rh.add_result_subset(q_subset, D, I)
            self.t_accu[3] += time.time() - t0
            return
        if self.by_residual and self.index.metric_type == METRIC_INNER_PRODUCT:
            # <x, c + r> = <x, c> + <x, r>: add each query's term for list l
            D = D + (self.xq[q_subset] @ self.index.quantizer.reconstruct(l))[:, None]
        if I is None:
            ids = np.broadcast_to(list_ids, D.shape)
        else:
            I = np.asarray(I, dtype=np.int64)
            ids = np.where(I >= 0, list_ids[np.maximum(I, 0)], -1)
        self.rh.add_result_subset(q_subset, D, ids)
        self.t_accu[3] += time.time() - t0

    def sizes_in_checkpoint(self) -> Any:
        """What a checkpoint must match: the queries' shape, nprobe and nlist."""
        return (self.xq.shape, self.index.nprobe, self.index.nlist)

    def write_checkpoint(self, fname: PathLike, completed: Any) -> None:
        """Save the heap and the finished lists, atomically (temp + rename)."""
        tmp = fname + ".tmp"
        with open(tmp, "wb") as f:
            pickle.dump({"sizes": self.sizes_in_checkpoint(), "completed": completed,
                         "rh": (self.rh.D, self.rh.I)}, f, -1)
        os.replace(tmp, fname)

    def read_checkpoint(self, fname: PathLike) -> Any:
        """Load a checkpoint of this same search; returns the finished lists."""
        with open(fname, "rb") as f:
            ckp = pickle.load(f)
        if ckp["sizes"] != self.sizes_in_checkpoint():
            raise InvalidArgumentError(f"big_batch_search: checkpoint {fname} is for sizes {ckp['sizes']}, "
                                       f"not {self.sizes_in_checkpoint()}")
        self.rh.D[:], self.rh.I[:] = ckp["rh"]
        return ckp["completed"]


class BlockComputer:
    """Compares the queries of one bucket with one list (faiss: ``contrib.big_batch_search.BlockComputer``).

    Compares one bucket: with the IVF's own scanner on that list alone
    ("index": faiss fills a flat index with the list's codes; searching the
    one list with search_preassigned measures the same codes the same
    way), all pairwise distances ("pairwise_distances") or a k-NN function
    ("knn_function") on the decoded list.

    Parameters
    ----------
    index : IndexIVF
        The index searched.
    method : str
        "knn_function", "pairwise_distances" or "index".
    pairwise_distances : callable
        For method "pairwise_distances".
    knn : callable
        For method "knn_function".

    Raises
    ------
    ValueError
        An unknown method.
    """

    def __init__(self, index: Index, method: Any = 'knn_function',
                 pairwise_distances: Any = distances.pairwise_distances, knn: Any = distances.knn) -> None:
        if method not in _METHODS:
            raise InvalidArgumentError(f"big_batch_search: method must be one of {_METHODS}, got {method!r}")
        self.index, self.method = index, method
        self.pairwise_distances, self.knn = pairwise_distances, knn
        d = index.d
        if type(index) is IndexIVFFlat:
            decode = lambda codes: codes.view(np.float32).reshape(-1, d)  # noqa: E731
            by_residual = False
        elif type(index) in (IndexIVFPQ, IndexIVFScalarQuantizer):
            decode = index.pq.decode if type(index) is IndexIVFPQ else index.sq.decode
            by_residual = index.by_residual
        else:
            raise UnsupportedOperationError(f"big_batch_search: {type(index).__name__} is not supported "
                                            "(IndexIVFFlat, IndexIVFPQ and IndexIVFScalarQuantizer are)")
        # "index" hands the original queries to the IVF, which handles
        # residuals itself and returns ids
        self.decode_func = None if method == "index" else decode
        self.by_residual = by_residual and method != "index"
        self.returns_ids = method == "index"

    def block_search(self, xq_l: Any, xb_l: Any, list_ids: Any, k: int, list_no: Optional[int] = None,
                     **extra_args: Any) -> Any:
        """(D, I) of the bucket's queries against list list_no: I holds
        positions in the list (ids with method "index"), or is None when D
        covers every entry; (None, None) for an empty bucket."""
        if xq_l.size == 0 or xb_l.size == 0:
            return None, None
        metric = self.index.metric_type
        if self.method == "index":
            # the coarse distances are the quantizer's, which residual
            # scanners add back
            probes = np.full((xq_l.shape[0], 1), list_no, dtype=np.int64)
            c = self.index.quantizer.reconstruct(list_no)
            coarse = xq_l @ c if metric == METRIC_INNER_PRODUCT else ((xq_l - c) ** 2).sum(1)
            return self.index.search_preassigned(xq_l, k, probes, coarse[:, None])
        if self.method == "pairwise_distances":
            return self.pairwise_distances(xq_l, xb_l, metric=metric), None
        return self.knn(xq_l, xb_l, k, metric=metric, **extra_args)


def big_batch_search(index: Index, xq: ArrayLike, k: int, method: Any = 'knn_function',
                     pairwise_distances: Any = distances.pairwise_distances, knn: Any = distances.knn,
                     verbose: int = 0, threaded: Any = 0, use_float16: Any = False, prefetch_threads: Any = 1,
                     computation_threads: Any = 1, q_assign: Any = None, checkpoint: Any = None,
                     checkpoint_freq: Any = 7200, start_list: Any = 0, end_list: Any = None, crash_at: Any = -1) -> Any:
    """Search a large batch in an IVF index list by list (faiss: ``contrib.big_batch_search.big_batch_search``).

    Each list is read once for all the queries that probe it: worth it when
    the batch is much larger than the lists. threaded=0 runs the lists in
    turn; 1 prepares the next list while one is compared; 2 runs
    prefetch_threads preparations and computation_threads comparisons at
    once. Buckets merge in list order either way, so the result does not
    depend on the threads.

    Parameters
    ----------
    index : IndexIVF
        IVFFlat, IVFPQ or IVFScalarQuantizer.
    xq : (nq, d) float32-convertible
        Queries.
    k : int
        Results per query.
    method : str
        "knn_function" (default), "pairwise_distances" or "index": how a
        bucket is compared with its list (see BlockComputer).
    pairwise_distances : callable
        For method "pairwise_distances".
    knn : callable
        For method "knn_function" (gets a thread_id argument when
        computation_threads > 1).
    verbose : int
        Print progress.
    threaded : int
        0, 1 or 2 (above).
    use_float16 : bool
        Decode lists to float16 for the comparisons.
    prefetch_threads : int
        With threaded=2.
    computation_threads : int
        With threaded=2.
    q_assign : (nq, nprobe) int64 array, optional
        The coarse assignment to use.
    checkpoint : str, optional
        A file saved every checkpoint_freq seconds and resumed from.
    checkpoint_freq : float
        Seconds between checkpoints.
    start_list : int
        First list searched.
    end_list : int
        One past the last list searched.
    crash_at : int
        Stop with ZeroDivisionError at that list (to test resuming).

    Returns
    -------
    D : (nq, k) float32 ndarray
    I : (nq, k) int64 ndarray
    """
    bbs = BigBatchSearcher(index, np.ascontiguousarray(xq, dtype=np.float32), k, verbose, use_float16)
    comp = BlockComputer(index, method, pairwise_distances, knn)
    bbs.decode_func, bbs.by_residual = comp.decode_func, comp.by_residual
    if verbose > 0:
        per_query = index.nprobe * 8 + k * 12
        logging.info(f"memory: {bbs.xq.nbytes + len(xq) * per_query} bytes for queries, lists and results")
    if q_assign is None:
        bbs.coarse_quantization()
    else:
        bbs.q_assign = q_assign
    bbs.reorder_assign()
    end_list = index.nlist if end_list is None else end_list
    completed = set()
    if checkpoint is not None:
        if (start_list, end_list) != (0, index.nlist):
            raise InvalidArgumentError("big_batch_search: checkpoints need the whole list range")
        if os.path.exists(checkpoint):
            completed = bbs.read_checkpoint(checkpoint)
            logging.info(f"recovered checkpoint {checkpoint}: {len(completed)} lists done")
    todo = [l for l in range(start_list, end_list) if l not in completed]
    if threaded == 0:
        prep_threads, comp_threads = 0, 0
    elif threaded == 1:
        prep_threads, comp_threads = 1, 1
    else:
        prep_threads, comp_threads = max(1, prefetch_threads), max(1, computation_threads)
    last_checkpoint = time.time()
    for l, q_subset, D, list_ids, I in _run_buckets(bbs, comp, todo, prep_threads, comp_threads):
        if l == crash_at:
            raise ZeroDivisionError(f"big_batch_search: crash_at={crash_at} reached (a simulated crash)")
        bbs.add_results_to_heap(q_subset, D, list_ids, I, l, comp.returns_ids)
        completed.add(l)
        bbs.report(l)
        if checkpoint is not None and time.time() - last_checkpoint > checkpoint_freq:
            bbs.write_checkpoint(checkpoint, completed)
            last_checkpoint = time.time()
    bbs.tic("finalize heap")
    bbs.rh.finalize()
    bbs.toc()
    return bbs.rh.D, bbs.rh.I


def _run_buckets(bbs, comp, lists, prep_threads, comp_threads):
    """Yield (list, query numbers, D, list ids, I) for each list in order:
    in this thread (no threads), or prepared and compared in pools with a
    bounded number of lists in flight."""
    k = bbs.k
    if prep_threads == 0:
        for l in lists:
            q_subset, xq_l, list_ids, xb_l = bbs.prepare_bucket(l)
            t0 = time.time()
            D, I = comp.block_search(xq_l, xb_l, list_ids, k, **_list_arg(comp, l))
            bbs.t_accu[2] += time.time() - t0
            yield l, q_subset, D, list_ids, I
        return
    worker = threading.local()
    counter = iter(range(1 << 30))

    def compute(l, prepared):
        q_subset, xq_l, list_ids, xb_l = prepared.result()
        extra = _list_arg(comp, l)
        if comp_threads > 1 and comp.knn is not distances.knn:  # a caller's function may place work by thread
            if not hasattr(worker, "id"):
                worker.id = next(counter)
            extra["thread_id"] = worker.id
        t0 = time.time()
        D, I = comp.block_search(xq_l, xb_l, list_ids, k, **extra)
        bbs.t_accu[2] += time.time() - t0
        return q_subset, D, list_ids, I

    window = 2 * (prep_threads + comp_threads) + 2
    with ThreadPoolExecutor(prep_threads) as prep, ThreadPoolExecutor(comp_threads) as comp_pool:
        in_flight = deque()
        for l in lists:
            in_flight.append((l, comp_pool.submit(compute, l, prep.submit(bbs.prepare_bucket, l))))
            if len(in_flight) >= window:
                yield _finished(bbs, *in_flight.popleft())
        while in_flight:
            yield _finished(bbs, *in_flight.popleft())


def _list_arg(comp, l):
    """The list number, for the one method that needs it (custom knn
    functions keep faiss's arguments)."""
    return {"list_no": l} if comp.method == "index" else {}


def _finished(bbs, l, future):
    t0 = time.time()
    q_subset, D, list_ids, I = future.result()
    bbs.t_accu[4] += time.time() - t0
    return l, q_subset, D, list_ids, I
