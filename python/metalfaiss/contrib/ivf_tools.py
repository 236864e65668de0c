"""IVF indexes driven by assignments computed elsewhere
(contrib.ivf_tools): adding to, searching and range-searching in given
lists; renumbering the lists (permute_invlists, sort_invlists_by_size)."""

from __future__ import annotations

import numpy as np

from metalfaiss import Index, IndexFlat, IndexPreTransform
from metalfaiss.contrib.inspect_tools import get_invlist_sizes  # noqa: F401  (faiss's ivf_tools offers it too)
from metalfaiss.errors import InvalidArgumentError
from .._typing import Any, ArrayLike, Optional, RangeSearchResult, SearchResult


def add_preassigned(index_ivf: Any, x: ArrayLike, a: ArrayLike, ids: Optional[ArrayLike] = None) -> None:
    """Add vectors to the lists given, not the quantizer's choice (faiss: ``contrib.ivf_tools.add_preassigned``).

    Parameters
    ----------
    index_ivf : IndexIVF
        A trained IVF index.
    x : (n, d) float32-convertible
        The vectors.
    a : (n,) int64-convertible
        The list of each.
    ids : (n,) int64-convertible, optional
        Their ids (default: numbered on from ntotal).

    Raises
    ------
    DimensionMismatchError
        x, a or ids disagree in n or d.
    InvalidArgumentError
        A list number out of -1..nlist-1.
    """
    index_ivf.add_preassigned(x, a, ids)


def search_preassigned(index_ivf: Any, xq: ArrayLike, k: int, list_nos: ArrayLike,
                       coarse_dis: Optional[ArrayLike] = None) -> SearchResult:
    """Search each query in the lists given (faiss: ``contrib.ivf_tools.search_preassigned``).

    An IndexPreTransform with one transform over the IVF index is applied
    first.

    Parameters
    ----------
    index_ivf : IndexIVF or IndexPreTransform
        A trained IVF index, or one transform over one.
    xq : (n, d) float32-convertible
        The queries.
    k : int
        Results per query.
    list_nos : (n, nprobe) int64-convertible
        The lists of each query (-1: none).
    coarse_dis : (n, nprobe) float32-convertible, optional
        Their coarse distances (zeros when None; they matter for codecs by
        residual with precomputed tables).

    Returns
    -------
    D : (n, k) float32 ndarray
        Distances, best first.
    I : (n, k) int64 ndarray
        Ids, -1 where fewer than k were found.

    Raises
    ------
    ValueError
        A pre-transform chain of more than one transform.
    DimensionMismatchError
        xq and list_nos disagree.
    """
    if isinstance(index_ivf, IndexPreTransform):
        if len(index_ivf.chain) != 1:
            raise ValueError(f"search_preassigned: the pre-transform chain must have one transform, "
                             f"it has {len(index_ivf.chain)}")
        xq = index_ivf.chain[0].apply(xq)
        index_ivf = index_ivf.index
    if coarse_dis is None:
        coarse_dis = np.zeros(np.shape(list_nos), dtype="float32")
    return index_ivf.search_preassigned(xq, k, list_nos, coarse_dis)


def range_search_preassigned(index_ivf: Any, x: ArrayLike, radius: float, list_nos: ArrayLike,
                             coarse_dis: Optional[ArrayLike] = None) -> RangeSearchResult:
    """Range search of each query in the lists given (faiss: ``contrib.ivf_tools.range_search_preassigned``).

    Parameters
    ----------
    index_ivf : IndexIVF
        A trained IVF index.
    x : (n, d) float32-convertible
        The queries.
    radius : float
        Distance bound.
    list_nos : (n, nprobe) int64-convertible
        The lists of each query (-1: none).
    coarse_dis : (n, nprobe) float32-convertible, optional
        Their coarse distances (zeros when None).

    Returns
    -------
    lims : (n + 1,) int64 ndarray
        Query i's results are at lims[i]:lims[i + 1].
    D : float32 ndarray
        Distances.
    I : int64 ndarray
        Ids.

    Raises
    ------
    DimensionMismatchError
        x and list_nos disagree.
    """
    if coarse_dis is None:
        coarse_dis = np.zeros(np.shape(list_nos), dtype="float32")
    return index_ivf.range_search_preassigned(x, radius, list_nos, coarse_dis)


def permute_invlists(index_ivf: Any, perm: ArrayLike) -> None:
    """Renumber an IVF index's lists and centroids alike (faiss: ``contrib.ivf_tools.permute_invlists``).

    The new list i is the old perm[i]; searches give the same results.

    Parameters
    ----------
    index_ivf : IndexIVF
        An IVF index whose quantizer is an IndexFlat holding the nlist
        centroids.
    perm : (nlist,) int64-convertible
        A permutation of 0..nlist-1.

    Raises
    ------
    InvalidArgumentError
        perm is not such a permutation, or the quantizer is not such a flat
        index.
    """
    perm = np.ascontiguousarray(perm, dtype=np.int64)
    if perm.shape != (index_ivf.nlist,):
        raise InvalidArgumentError(f"permute_invlists: perm must hold nlist={index_ivf.nlist} entries, "
                                   f"got shape {perm.shape}")
    if not np.array_equal(np.sort(perm), np.arange(index_ivf.nlist)):
        raise InvalidArgumentError("permute_invlists: perm is not a permutation of 0..nlist-1")
    quantizer = index_ivf.quantizer
    if not isinstance(quantizer, IndexFlat) or quantizer.ntotal != index_ivf.nlist:
        raise InvalidArgumentError("permute_invlists: the quantizer must be an IndexFlat holding the nlist centroids")
    quantizer.permute_entries(perm)
    index_ivf.invlists.permute_invlists(perm)


def sort_invlists_by_size(index_ivf: Any) -> None:
    """Renumber an IVF index's lists from the shortest up (faiss: ``contrib.ivf_tools.sort_invlists_by_size``).

    Searches give the same results.

    Parameters
    ----------
    index_ivf : IndexIVF
        An IVF index with a flat quantizer.

    Raises
    ------
    InvalidArgumentError
        The quantizer is not an IndexFlat holding the nlist centroids.
    """
    permute_invlists(index_ivf, np.argsort(get_invlist_sizes(index_ivf.invlists), kind="stable"))


def replace_ivf_quantizer(index_ivf: Any, new_quantizer: Index) -> Index:
    """Give an IVF index another quantizer over the same centroids (faiss: ``contrib.ivf_tools.replace_ivf_quantizer``).

    An empty new quantizer is first trained on and filled with the old one's
    centroids (an HNSW or other approximate quantizer over the same
    centroids, the usual reason for this); a filled one must hold nlist.

    Parameters
    ----------
    index_ivf : IndexIVF
        The IVF index.
    new_quantizer : Index
        The new quantizer, empty or holding nlist centroids.

    Returns
    -------
    Index
        The old quantizer.

    Raises
    ------
    InvalidArgumentError
        A filled new quantizer that does not hold nlist centroids.
    """
    if new_quantizer.ntotal == 0:
        centroids = index_ivf.quantizer.reconstruct_n(0, index_ivf.nlist)
        new_quantizer.train(centroids)
        new_quantizer.add(centroids)
    elif new_quantizer.ntotal != index_ivf.nlist:
        raise InvalidArgumentError(f"replace_ivf_quantizer: the new quantizer holds {new_quantizer.ntotal} "
                                   f"centroids, the index has nlist={index_ivf.nlist}")
    old = index_ivf.quantizer
    index_ivf.quantizer = new_quantizer
    return old
