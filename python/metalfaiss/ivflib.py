"""faiss's IVFlib functions: searches that report their statistics
(search_with_parameters, range_search_with_parameters), merging IVF
indexes (check_compatible_for_merge, merge_into) and the lists of queries
and results (search_centroid, search_and_return_centroids)."""

from __future__ import annotations

from typing import TYPE_CHECKING
import time

import numpy as np

from ._arrays import as_int, as_matrix
from .errors import InvalidArgumentError
from .global_stats import cvar
from .index_ivf import extract_index_ivf
from .index_pretransform import IndexPreTransform
from .invlists import ArrayInvertedLists, InvertedLists
from .search_params import SearchParametersIVF
from .swig_pointers import region
from ._typing import Any, ArrayLike, Optional

if TYPE_CHECKING:
    from .index import Index
    from .search_params import SearchParameters

IVFSearchParameters = SearchParametersIVF


def _split(index, x, params):
    """(the IVF, its queries after any pre-transform, the params, the
    pre-transform's milliseconds)."""
    x = as_matrix(x, "search_with_parameters", index.d)
    t0 = time.perf_counter()
    while isinstance(index, IndexPreTransform):
        for i in range(index.chain.size()):
            x = index.chain.at(i).apply(x)
        index = index.index
    pre_ms = (time.perf_counter() - t0) * 1000
    ivf = extract_index_ivf(index)
    if ivf is not index:
        raise InvalidArgumentError(f"search_with_parameters: needs an IVF index (behind pre-transforms), "
                                   f"got {type(index).__name__}")
    if not params:
        params = SearchParametersIVF(nprobe=ivf.nprobe)
    return ivf, x, params, pre_ms


def _measured(run):
    """run()'s result and the IVF statistics it added: ndis, and the
    quantizer's and the list scans' milliseconds."""
    stats = cvar.indexIVF_stats
    before = (stats.ndis, stats.quantization_time, stats.search_time)
    result = run()
    ndis = stats.ndis - before[0]
    quant = stats.quantization_time - before[1]
    return result, ndis, quant, (stats.search_time - before[2]) - quant


def search_with_parameters(index: Index, x: ArrayLike, k: int, params: Optional[SearchParameters] = None,
                           output_stats: Any = False) -> Any:
    """Search an IVF index with parameters and, optionally, statistics (faiss: ``ivflib.search_with_parameters``).

    The index may sit behind pre-transforms (IndexPreTransform). The counts
    come from ``cvar.indexIVF_stats``, so searches running at the same time
    in other threads are counted too.

    Parameters
    ----------
    index : Index
        An IVF index, or pre-transforms around one.
    x : (n, d) float32-convertible
        Query vectors.
    k : int
        Results per query.
    params : SearchParametersIVF, optional
        nprobe, selector, ... (None: the IVF's own nprobe).
    output_stats : bool
        Also return the statistics.

    Returns
    -------
    D : (n, k) float32 ndarray
        Distances (similarities for inner product), best first.
    I : (n, k) int64 ndarray
        Ids, -1 where fewer than k were found.
    stats : dict
        With output_stats only: ``ndis`` (distances computed),
        ``pre_transform_ms``, ``coarse_quantizer_ms``, ``invlist_scan_ms``.

    Raises
    ------
    InvalidArgumentError
        index is not an IVF index behind pre-transforms, or k below 1.
    DimensionMismatchError
        x is not (n, d).
    """
    ivf, xt, params, pre_ms = _split(index, x, params)
    (D, I), ndis, quant, scan = _measured(lambda: ivf.search(xt, k, params=params))
    if not output_stats:
        return D, I
    return D, I, {"ndis": np.uint64(ndis), "pre_transform_ms": pre_ms, "coarse_quantizer_ms": quant,
                  "invlist_scan_ms": scan}


def range_search_with_parameters(index: Index, x: ArrayLike, radius: float, params: Optional[SearchParameters] = None,
                                 output_stats: Any = False) -> Any:
    """Range search of an IVF index with parameters (faiss: ``ivflib.range_search_with_parameters``).

    With ``output_stats`` it also returns statistics, as search_with_parameters
    does.

    Parameters
    ----------
    index : Index
        An IVF index, or pre-transforms around one.
    x : (n, d) float32-convertible
        Query vectors.
    radius : float
        Distance bound (L2: results below it; inner product: above it).
    params : SearchParametersIVF, optional
        nprobe, selector, ... (None: the IVF's own nprobe).
    output_stats : bool
        Also return the statistics search_with_parameters gives.

    Returns
    -------
    lims : (n + 1,) int64 ndarray
        Query i's results are at lims[i]:lims[i + 1] of D and I.
    D : float32 ndarray
        Distances.
    I : int64 ndarray
        Ids.
    stats : dict
        With output_stats only.

    Raises
    ------
    InvalidArgumentError
        index is not an IVF index behind pre-transforms.
    DimensionMismatchError
        x is not (n, d).
    """
    ivf, xt, params, pre_ms = _split(index, x, params)
    (lims, D, I), ndis, quant, scan = _measured(lambda: ivf.range_search(xt, radius, params=params))
    if not output_stats:
        return lims, D, I
    return lims, D, I, {"ndis": np.uint64(ndis), "pre_transform_ms": pre_ms, "coarse_quantizer_ms": quant,
                        "invlist_scan_ms": scan}


def check_compatible_for_merge(index0: Index, index1: Index) -> None:
    """Raise unless one index's IVF can be merged into another's (faiss: ``ivflib.check_compatible_for_merge``).

    Parameters
    ----------
    index0 : Index
        The IVF index (or an index around one) that would receive.
    index1 : Index
        The one whose entries would move.

    Raises
    ------
    InvalidArgumentError
        The two IVFs differ in d, nlist, codec, quantizer or direct map.
    """
    extract_index_ivf(index0).check_compatible_for_merge(extract_index_ivf(index1))


def merge_into(index0: Index, index1: Index, shift_ids: bool) -> None:
    """Move the entries of index1's IVF into index0's (faiss: ``ivflib.merge_into``).

    Parameters
    ----------
    index0 : Index
        The IVF index (or an index around one) that receives the entries.
    index1 : Index
        The IVF index whose entries move; it is left empty.
    shift_ids : bool
        Number the moved entries on from index0's ntotal (else they keep
        their ids).

    Raises
    ------
    InvalidArgumentError
        The two IVFs are not compatible (d, nlist, codec, quantizer,
        direct map).
    """
    ivf0, ivf1 = extract_index_ivf(index0), extract_index_ivf(index1)
    ivf0.merge_from(ivf1, ivf0.ntotal if shift_ids else 0)


def _lists_of(index, ids):
    """The list holding each id (-1 for -1 or ids in no list)."""
    ivf = extract_index_ivf(index)
    where = {}
    for l in range(ivf.nlist):
        for i in ivf.invlists.get_ids(l).tolist():
            where.setdefault(i, l)
    return np.array([where.get(i, -1) for i in np.asarray(ids).ravel().tolist()], dtype=np.int64)


def _coarse(index, x):
    """The nearest list of each query (after any pre-transform)."""
    ivf, xt, _, _ = _split(index, x, None)
    return ivf.quantizer.assign(xt, 1).ravel()


def search_centroid(index: Index, x: ArrayLike, n: int, centroid_ids: Any) -> None:
    """The nearest list of each vector, faiss's pointer form (faiss: ``ivflib.search_centroid``).

    Parameters
    ----------
    index : Index
        An IVF index, or pre-transforms around one.
    x : swig_ptr (float32)
        The n vectors.
    n : int
        Number of vectors.
    centroid_ids : swig_ptr (int64)
        Receives the n list numbers.

    Raises
    ------
    InvalidArgumentError
        index holds no IVF, or a buffer is too small.
    """
    op = "search_centroid"
    xs = region(x, np.float32, n * index.d, op, "x").reshape(n, index.d)
    region(centroid_ids, np.int64, n, op, "centroid_ids", True)[:] = _coarse(index, xs)


def search_and_return_centroids(index: Index, n: int, xin: Any, k: int, distances: Any, labels: ArrayLike,
                                query_centroid_ids: Any, result_centroid_ids: Any) -> None:
    """Search, and say which list each query and each result is in (faiss: ``ivflib.search_and_return_centroids``).

    faiss's pointer form: every buffer is ``swig_ptr(array)``.

    Parameters
    ----------
    index : Index
        An IVF index, or pre-transforms around one.
    n : int
        Number of queries.
    xin : swig_ptr (float32)
        The n queries.
    k : int
        Results per query.
    distances : swig_ptr (float32)
        Receives n * k distances.
    labels : swig_ptr (int64)
        Receives n * k ids.
    query_centroid_ids : swig_ptr (int64)
        Receives each query's nearest list.
    result_centroid_ids : swig_ptr (int64)
        Receives each result's list (-1 for no result).

    Raises
    ------
    InvalidArgumentError
        index holds no IVF, or a buffer is too small.
    """
    op = "search_and_return_centroids"
    xs = region(xin, np.float32, n * index.d, op, "xin").reshape(n, index.d)
    D, I = index.search(xs, k)
    region(distances, np.float32, n * k, op, "distances", True)[:] = D.ravel()
    region(labels, np.int64, n * k, op, "labels", True)[:] = I.ravel()
    region(query_centroid_ids, np.int64, n, op, "query_centroid_ids", True)[:] = _coarse(index, xs)
    region(result_centroid_ids, np.int64, n * k, op, "result_centroid_ids", True)[:] = _lists_of(index, I)


def _list_range(op, ivf, i0, i1):
    i0, i1 = as_int(i0, op, "i0"), as_int(i1, op, "i1")
    if not 0 <= i0 <= i1 <= ivf.nlist:
        raise InvalidArgumentError(f"{op}: need 0 <= i0 <= i1 <= nlist={ivf.nlist}, got {i0}, {i1}")
    return i0, i1


def get_invlist_range(index: Index, i0: int, i1: int) -> ArrayInvertedLists:
    """A copy of a range of an IVF index's lists (faiss: ``ivflib.get_invlist_range``).

    Parameters
    ----------
    index : Index
        An IVF index (or an index around one).
    i0 : int
        First list.
    i1 : int
        One past the last list.

    Returns
    -------
    ArrayInvertedLists
        Lists i0..i1-1 (renumbered from 0), with their ids and codes.

    Raises
    ------
    InvalidArgumentError
        The range is not within 0..nlist.
    """
    ivf = extract_index_ivf(index)
    i0, i1 = _list_range("get_invlist_range", ivf, i0, i1)
    out = ArrayInvertedLists(i1 - i0, ivf.code_size)
    for l in range(i0, i1):
        ids, codes = ivf.invlists._list(l)
        out.add_entries(l - i0, ids.shape[0], ids, codes)
    return out


def set_invlist_range(index: Index, i0: int, i1: int, src: InvertedLists) -> None:
    """Replace a range of an IVF index's lists (faiss: ``ivflib.set_invlist_range``).

    The index's ntotal follows.

    Parameters
    ----------
    index : Index
        An IVF index (or an index around one).
    i0 : int
        First list.
    i1 : int
        One past the last list.
    src : InvertedLists
        The new lists (src.nlist must be i1 - i0, with the index's code size).

    Raises
    ------
    InvalidArgumentError
        The range is not within 0..nlist, or src does not fit it.
    """
    op = "set_invlist_range"
    ivf = extract_index_ivf(index)
    i0, i1 = _list_range(op, ivf, i0, i1)
    if not isinstance(src, InvertedLists) or src.nlist != i1 - i0:
        raise InvalidArgumentError(f"{op}: src must be inverted lists with nlist={i1 - i0}, got "
                                   f"{type(src).__name__} with nlist={getattr(src, 'nlist', None)}")
    ivf.invlists.set_range(i0, src)


def shard_ivf_index_centroids(index: Index, shard_count: Any = 20, filename_template: Any = 'shard.%d.index',
                              sharding_function: Any = None, generate_ids: Any = False) -> None:
    """Write copies of an IVF index, each with a share of the centroids (faiss: ``ivflib.shard_ivf_index_centroids``).

    Shard i (written to ``filename_template % i``) holds the index's
    settings and a quantizer holding the centroids that
    ``sharding_function(c, shard_count)`` sends to it, with their lists.

    Parameters
    ----------
    index : Index
        A trained IVF index with a flat quantizer.
    shard_count : int
        Number of shards (default 20).
    filename_template : str
        Path of shard i, with one %d (default "shard.%d.index").
    sharding_function : callable, optional
        (centroid number, shard_count) -> shard (default c % shard_count).
    generate_ids : bool
        Make each quantizer an IndexIDMap2 keeping the centroids' numbers.

    Raises
    ------
    InvalidArgumentError
        index is not an IVF index, or a shard number out of range.
    OSError
        A file cannot be written.
    """
    from .index_io import write_index

    _shard_centroids("shard_ivf_index_centroids", index, shard_count, filename_template, sharding_function,
                     generate_ids, write_index)


def shard_binary_ivf_index_centroids(index: Index, shard_count: Any = 20, filename_template: Any = 'shard.%d.index',
                                     sharding_function: Any = None, generate_ids: Any = False) -> None:
    """shard_ivf_index_centroids for an IndexBinaryIVF (faiss: ``ivflib.shard_binary_ivf_index_centroids``).

    Shards are written with write_index_binary; the id-keeping quantizer is
    an IndexBinaryIDMap2.

    Parameters
    ----------
    index : IndexBinaryIVF
        A trained binary IVF index.
    shard_count : int
        Number of shards (default 20).
    filename_template : str
        Path of shard i, with one %d (default "shard.%d.index").
    sharding_function : callable, optional
        (centroid number, shard_count) -> shard (default c % shard_count).
    generate_ids : bool
        Make each quantizer an IndexBinaryIDMap2 keeping the centroids'
        numbers.

    Raises
    ------
    InvalidArgumentError
        index is not a binary IVF index, or a shard number out of range.
    OSError
        A file cannot be written.
    """
    from .index_io import write_index_binary

    _shard_centroids("shard_binary_ivf_index_centroids", index, shard_count, filename_template, sharding_function,
                     generate_ids, write_index_binary)


def _shard_centroids(op, index, shard_count, filename_template, sharding_function, generate_ids, write):
    from .index_binary import IndexBinary, IndexBinaryIDMap2
    from .index_idmap import IndexIDMap2
    from .index_io import clone_index, deserialize_index_binary, serialize_index_binary

    binary = isinstance(index, IndexBinary)
    idmap2 = IndexBinaryIDMap2 if binary else IndexIDMap2

    def copy(ix):  # binary indexes have no clone_index: a copy through their file
        return deserialize_index_binary(serialize_index_binary(ix)) if binary else clone_index(ix)

    shard_count = as_int(shard_count, op, "shard_count")
    q = index.quantizer
    if shard_count <= 0 or q.ntotal == 0:
        raise InvalidArgumentError(f"{op}: need shard_count > 0 and a quantizer holding centroids, got "
                                   f"shard_count={shard_count}, {q.ntotal} centroids")
    shard_of = np.array([sharding_function(i, shard_count) if sharding_function is not None else i % shard_count
                         for i in range(q.ntotal)], dtype=np.int64)
    if shard_of.size and (shard_of.min() < 0 or shard_of.max() >= shard_count):
        raise InvalidArgumentError(f"{op}: the sharding function gave shard {int(shard_of.max())} or "
                                   f"{int(shard_of.min())}, outside 0..{shard_count - 1}")
    if hasattr(q, "reconstruct_n"):
        centroids = q.reconstruct_n(0, q.ntotal)
    else:
        centroids = np.stack([q.reconstruct(i) for i in range(q.ntotal)])
    for s in range(shard_count):
        shard = copy(index)
        shard.quantizer.reset()
        picked = np.flatnonzero(shard_of == s)
        if generate_ids:
            # the quantizer keeps the centroids' numbers in the whole index
            shard.quantizer = idmap2(shard.quantizer)
            shard.quantizer.add_with_ids(centroids[picked], picked)
        else:
            shard.quantizer.add(centroids[picked])
        write(shard, filename_template % s)
