"""build_index: train once on a sample, encode partitions in parallel Ray
tasks, merge.

The steps, each a Ray task per partition where data is read:
1. sample: each partition is loaded, checked and sampled (bottom-k of a
   seeded uniform draw), and tells its size;
2. train: the trained empty index is built from the merged sample in one
   task (on a GPU where the worker has a hardware one and the index is an
   IVF kind the GPU trains), serialized, and put in the object store;
3. encode: each partition is added to its own copy of the trained index;
4. merge: the partial indexes are merged in partition order, with each
   partition's first id as offset (IndexIVF.merge_from), which gives the
   same lists, codes and ids as adding the partitions one after the other
   to the trained index on one machine.

With shards, no process holds the whole index: the list ranges are cut
from the training sample's assignment (which estimates the lists' sizes),
each encode task returns its partial index cut into those ranges, and one
task per shard merges its pieces in partition order.

Tasks are retried by Ray when their worker dies (max_retries); a retried
task recomputes the same bytes, so the result does not change. Files are
written under a temporary name in the output folder and renamed when whole.
"""

from __future__ import annotations

import os
import tempfile
from typing import overload

import numpy as np

from .. import _backend
from ..errors import InvalidArgumentError
from ..factory import index_factory
from ..index_io import IO_FLAG_MMAP, deserialize_index, read_index, serialize_index, write_index
from ..index import Index
from ..index_ivf import IndexIVF
from ..metric import METRIC_L2
from ._ray import ensure_ray
from .partitions import bottom_sample, merge_samples, partitions_of
from .._typing import Any, ArrayLike, IndexProgressCallback, Int64Array, MetricLike, Optional

OP = "build_index"


def _resolve(ray, part):
    """A partition whose source is an object reference, fetched."""
    if isinstance(part.source, ray.ObjectRef):
        part.source = ray.get(part.source)
    return part


def _sample_task(part, d, seed, size):
    import ray

    x = _resolve(ray, part).load(OP, d)
    keys, rows = bottom_sample(x, seed, part.index, size)
    return len(x), x.shape[1], keys, rows


def _train_task(d, factory, metric, sample, trained_bytes):
    index = deserialize_index(trained_bytes) if trained_bytes is not None else index_factory(d, factory, metric)
    if not index.is_trained:
        index = _train(index, sample)
    return serialize_index(index)


def _train(index, sample):
    """Train index on sample: through the GPU's IVF classes where the
    worker has a hardware GPU (GPU k-means), else on the CPU."""
    from ..gpu import index_cpu_to_gpu, index_gpu_to_cpu

    if _backend.hardware_available() and type(index).__name__ in ("IndexIVFFlat", "IndexIVFScalarQuantizer", "IndexIVFPQ"):
        try:
            gpu = index_cpu_to_gpu(None, 0, index)
        except Exception:  # a configuration the GPU does not take: the CPU trains it
            gpu = None
        if gpu is not None:
            gpu.train(sample)
            return index_gpu_to_cpu(gpu)
    index.train(sample)
    return index


def _encode_task(part, trained_bytes, d):
    import ray

    x = _resolve(ray, part).load(OP, d)
    index = deserialize_index(trained_bytes)
    index.add(x)
    return serialize_index(index)


def _encode_pieces_task(part, trained_bytes, d, bounds):
    """The partition's partial index cut into the shards' list ranges."""
    import ray

    x = _resolve(ray, part).load(OP, d)
    index = deserialize_index(trained_bytes)
    index.add(x)
    pieces = []
    for l0, l1 in bounds:
        piece = deserialize_index(trained_bytes)
        index.copy_subset_to(piece, 4, l0, l1)
        pieces.append(serialize_index(piece))
    return tuple(pieces) if len(pieces) > 1 else pieces[0]


def _merge_shard_task(trained_bytes, offsets, pieces):
    """One shard: its pieces of every partition merged in partition order."""
    import ray

    shard = deserialize_index(trained_bytes)
    for offset, ref in zip(offsets, pieces):
        shard.merge_from(deserialize_index(ray.get(ref)), offset)
    return serialize_index(shard)


def _remote(ray, fn, options):
    return ray.remote(**options)(fn)


@overload
def build_index(data: Any, factory: str, *, d: Optional[int] = ..., metric: MetricLike = ...,
                trained_index: Optional[Index] = ..., train_size: Optional[int] = ..., seed: int = ...,
                output: None = ..., shards: None = ..., ondisk: bool = ..., column: Optional[str] = ...,
                max_retries: int = ..., num_cpus: float = ..., verbose: bool = ...,
                progress: Optional[IndexProgressCallback] = ...) -> Index: ...


@overload
def build_index(data: Any, factory: str, *, d: Optional[int] = ..., metric: MetricLike = ...,
                trained_index: Optional[Index] = ..., train_size: Optional[int] = ..., seed: int = ...,
                output: str | os.PathLike[str], shards: Optional[int] = ..., ondisk: bool = ...,
                column: Optional[str] = ..., max_retries: int = ..., num_cpus: float = ..., verbose: bool = ...,
                progress: Optional[IndexProgressCallback] = ...) -> list[str]: ...


def build_index(data: Any, factory: str, *, d: Optional[int] = None, metric: MetricLike = METRIC_L2,
                trained_index: Optional[Index] = None, train_size: Optional[int] = None, seed: int = 1234,
                output: str | os.PathLike[str] | None = None, shards: Optional[int] = None, ondisk: bool = False,
                column: Optional[str] = None, max_retries: int = 3, num_cpus: float = 1, verbose: bool = False,
                progress: Optional[IndexProgressCallback] = None) -> Index | list[str]:
    """Build an index from partitioned data with Ray tasks (faiss: none; the
    result is the index ``index_factory``, ``train`` and ``add`` give on one machine).

    Parameters
    ----------
    data : ray.data.Dataset or list
        The vectors: a Ray Dataset (one partition per block; ``column``
        names the column of vectors when there are several) or a list of
        partitions, each an (n, d) numeric array, a .fvecs / .npy /
        .parquet path, or a callable returning an array. Ids are row
        numbers over the partitions in order.
    factory : str
        index_factory's description, e.g. ``"IVF1024,PQ32"``.
    d : int, optional
        The dimension; taken from the first partition when omitted.
    metric : int or str
        The index's metric (``METRIC_L2`` by default).
    trained_index : Index, optional
        An already trained empty index to fill (then factory only names it
        in errors, and a sample is drawn only to cut shards).
    train_size : int, optional
        Points of the training sample (default: all up to 256 per IVF
        list, at least 65,536).
    seed : int
        Seed of the sample's draw: a build is the same for the same seed.
    output : str, optional
        Without shards, a file path for the merged index; with shards, a
        folder for the shard files ``shard_0000.index`` ... Files appear
        only when whole.
    ondisk : bool
        With output (and no shards), an IVF index whose lists are an
        OnDiskInvertedLists file beside it (``output + ".ivfdata"``),
        merged list by list from the partitions' partial indexes (mapped),
        as contrib.ondisk.merge_ondisk does: the driver never holds the
        lists in memory.
    shards : int, optional
        Write this many IVF shards, each the contiguous range of lists
        holding about 1/shards of the vectors as the training sample
        estimates it (copy_subset_to, type 4); each shard is merged by its
        own task, so no process holds the whole index.

    column : str, optional
        With a Ray Dataset of several columns, the one holding the vectors.
    max_retries : int
        Times Ray runs a task again after its worker died.
    num_cpus : float
        CPUs each task reserves in Ray's scheduling.
    verbose : bool
        Print a line as each stage advances (``build_index: encode 3 / 8``).
    progress : callable, optional
        Called as ``progress(stage, done, total)`` as each stage advances:
        "sample" and "encode" (partitions), "train" (one task), "merge"
        (partial indexes, or shards with ``shards``), as an index's
        progress is (see ``Index.progress``).

    Returns
    -------
    The merged index, or (with ``output``) the list of files written.

    Raises
    ------
    DimensionMismatchError, InputTypeError
        A partition of another dimension or a non-numeric dtype (named by
        its number and source); nothing is written.
    ImportError
        Ray is not installed (``pip install 'metalfaiss[ray]'``).
    """
    ray = ensure_ray(OP)
    report = _Stages(verbose, progress)
    if shards is not None and (output is None or int(shards) < 1):
        raise InvalidArgumentError(f"{OP}: shards={shards} needs a positive count and an output folder")
    parts = partitions_of(data, OP, column)
    for p in parts:
        if isinstance(p.source, np.ndarray):
            p.source = ray.put(p.source)
    opts = {"max_retries": max_retries, "num_cpus": num_cpus}
    trained_bytes = None if trained_index is None else serialize_index(trained_index)
    if d is None:
        d = trained_index.d if trained_index is not None else ray.get(
            _remote(ray, _sample_task, opts).remote(parts[0], None, seed, 1))[1]

    wanted = trained_index is None or shards is not None
    sizes, sample = _sample(ray, parts, d, seed, train_size, factory, trained_index, wanted, opts, report)
    report("train", 0, 1)
    trained = ray.get(_remote(ray, _train_task, opts).remote(d, factory, metric, sample, trained_bytes))
    report("train", 1, 1)
    trained_ref = ray.put(trained)
    if shards is not None:
        return _build_shards(ray, parts, d, sizes, sample, trained, trained_ref, int(shards), output, opts, report)
    if ondisk:
        if output is None:
            raise InvalidArgumentError(f"{OP}: ondisk=True needs an output path")
        return _build_ondisk(ray, parts, d, trained, trained_ref, output, opts, report)
    encoded = _gather(ray, [_remote(ray, _encode_task, opts).remote(p, trained_ref, d) for p in parts], report, "encode")
    merged = deserialize_index(trained)
    offset = 0
    for i, (n, data) in enumerate(zip(sizes, encoded)):
        part = deserialize_index(data)
        merged.merge_from(part, offset if isinstance(merged, IndexIVF) else 0)
        offset += n
        report("merge", i + 1, len(encoded))
    if output is None:
        return merged
    return [_write_whole(merged, output)]


class _Stages:
    """build_index's progress: a line per advance when verbose, and the
    progress callable."""

    def __init__(self, verbose: bool, progress: Optional[IndexProgressCallback]) -> None:
        self.verbose, self.progress = bool(verbose), progress

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.verbose:
            print(f"{OP}: {stage} {done} / {total}", flush=True)
        if self.progress is not None:
            self.progress(stage, done, total)


def _gather(ray, refs, report, stage, fetch=True):
    """Wait for refs, reporting each task's end as it comes; their values
    (ray.get) with fetch, else nothing: results meant for other tasks, or
    read one at a time, are not brought to the driver."""
    report(stage, 0, len(refs))
    pending, done = list(refs), 0
    while pending:
        ready, pending = ray.wait(pending, num_returns=1, fetch_local=fetch)
        done += len(ready)
        report(stage, done, len(refs))
    return ray.get(list(refs)) if fetch else None


def _sample(ray, parts, d, seed, train_size, factory, trained_index, wanted, opts, report):
    """Each partition's size and, when wanted (training, or cutting shards),
    the sample: train_size rows, uniform over all partitions."""
    if train_size is None:
        nlist = getattr(trained_index, "nlist", 0) or _nlist_of(factory)
        train_size = max(65536, 256 * nlist)
    size = int(train_size) if wanted else 1
    out = _gather(ray, [_remote(ray, _sample_task, opts).remote(p, d, seed, size) for p in parts], report, "sample")
    sizes = [n for n, _, _, _ in out]
    if not wanted:
        return sizes, None
    return sizes, merge_samples([(k, r) for _, _, k, r in out], size)


def _nlist_of(factory):
    """The list count an IVF factory string names (0 for other kinds)."""
    for part in str(factory).split(","):
        if part.startswith("IVF"):
            digits = part[3:].split("_")[0]
            if digits.isdigit():
                return int(digits)
    return 0


def _write_whole(index, path):
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".building-", dir=folder)
    os.close(fd)
    try:
        write_index(index, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def _build_shards(ray, parts, d, sizes, sample, trained, trained_ref, nshards, folder, opts, report):
    """IVF shards by list range: ranges cut from the sample's assignment,
    encode tasks that return one piece a shard, a merge task a shard; the
    files are written to a temporary folder beside the output and moved
    into it once all are whole."""
    empty = deserialize_index(trained)
    if not isinstance(empty, IndexIVF):
        raise InvalidArgumentError(f"{OP}: shards by list range need an IVF index, not {type(empty).__name__}")
    os.makedirs(folder, exist_ok=True)
    bounds = list_ranges(estimated_list_sizes(empty, sample), nshards)
    encode = _remote(ray, _encode_pieces_task, dict(opts, num_returns=len(bounds)))
    pieces = [encode.remote(p, trained_ref, d, bounds) for p in parts]
    if len(bounds) == 1:
        pieces = [[p] for p in pieces]
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).tolist()
    merge = _remote(ray, _merge_shard_task, opts)
    shard_refs = [merge.remote(trained_ref, offsets, [p[s] for p in pieces]) for s in range(len(bounds))]
    _gather(ray, [ref for p in pieces for ref in p], report, "encode", fetch=False)
    _gather(ray, shard_refs, report, "merge", fetch=False)
    tmpdir = tempfile.mkdtemp(prefix=".building-", dir=folder)
    try:
        names = []
        for s, ref in enumerate(shard_refs):
            name = f"shard_{s:04d}.index"
            with open(os.path.join(tmpdir, name), "wb") as f:
                f.write(np.asarray(ray.get(ref), dtype=np.uint8).tobytes())
            names.append(name)
        for name in names:
            os.replace(os.path.join(tmpdir, name), os.path.join(folder, name))
        return [os.path.join(folder, name) for name in names]
    finally:
        for name in os.listdir(tmpdir):
            os.remove(os.path.join(tmpdir, name))
        os.rmdir(tmpdir)


def _build_ondisk(ray, parts, d, trained, trained_ref, path, opts, report):
    """One index file with on-disk lists (as contrib.ondisk.merge_ondisk
    makes them): the partial indexes written to a temporary folder, merged
    list by list into the .ivfdata file with ids shifted by the partitions
    before, both files renamed into place when whole."""
    from ..ondisk_invlists import OnDiskInvertedLists

    index = deserialize_index(trained)
    if not isinstance(index, IndexIVF):
        raise InvalidArgumentError(f"{OP}: on-disk lists need an IVF index, not {type(index).__name__}")
    folder = os.path.dirname(os.path.abspath(path))
    tmpdir = tempfile.mkdtemp(prefix=".building-", dir=folder)
    try:
        encode = _remote(ray, _encode_task, opts)
        refs = [encode.remote(p, trained_ref, d) for p in parts]
        _gather(ray, refs, report, "encode", fetch=False)
        partials = []
        for i, ref in enumerate(refs):
            name = os.path.join(tmpdir, f"part_{i:05d}.index")
            with open(name, "wb") as f:
                f.write(np.asarray(ray.get(ref), dtype=np.uint8).tobytes())
            partials.append(read_index(name, IO_FLAG_MMAP))  # paged in as the lists are copied
        lists = OnDiskInvertedLists(index.nlist, index.code_size, os.path.join(tmpdir, "lists.ivfdata"))
        report("merge", 0, 1)
        lists.merge_from_multiple([p.invlists for p in partials], shift_ids=True)
        report("merge", 1, 1)
        os.replace(lists.filename, path + ".ivfdata")
        lists.filename = os.path.abspath(path + ".ivfdata")
        index.replace_invlists(lists, True)
        write_index(index, os.path.join(tmpdir, "index"))
        os.replace(os.path.join(tmpdir, "index"), path)
        return [path, path + ".ivfdata"]
    finally:
        for name in os.listdir(tmpdir):
            os.remove(os.path.join(tmpdir, name))
        os.rmdir(tmpdir)


def estimated_list_sizes(index: IndexIVF, sample: Optional[ArrayLike]) -> Int64Array:
    """Each IVF list's share of the data, from a sample (metalfaiss only: the Ray build).

    How many of the sample's points each list of index would take: the
    lists' sizes up to a factor, since the sample is uniform over the data.

    Parameters
    ----------
    index : IndexIVF
        A trained IVF index.
    sample : (n, d) float32 array or None
        A uniform sample of the data (None or empty: every count is 0).

    Returns
    -------
    (nlist,) int64 ndarray
        The sample's points per list.
    """
    counts = np.zeros(index.nlist, dtype=np.int64)
    if sample is not None and len(sample):
        np.add.at(counts, index.quantizer.assign(sample, 1).ravel(), 1)
    return counts


def list_ranges(sizes: ArrayLike, nshards: int) -> list[tuple[int, int]]:
    """Contiguous list ranges of about equal sizes, one per shard (metalfaiss only: the Ray build).

    nshards contiguous list ranges [l0, l1) covering every list, cut
    where the running count of vectors crosses s/nshards of the total.

    Parameters
    ----------
    sizes : (nlist,) int array
        Vectors per list.
    nshards : int
        Number of ranges.

    Returns
    -------
    list of (int, int)
        The ranges [l0, l1).
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    nlist = len(sizes)
    nshards = max(1, min(nshards, nlist))
    cum = np.cumsum(sizes)
    total = int(cum[-1]) if nlist else 0
    cuts = [0]
    for s in range(1, nshards):
        at = int(np.searchsorted(cum, total * s / nshards, side="left")) + 1
        cuts.append(min(max(at, cuts[-1] + 1), nlist - (nshards - s)))
    cuts.append(nlist)
    return list(zip(cuts[:-1], cuts[1:]))
