"""IVF indexes driven by assignments computed elsewhere
(contrib.ivf_tools): adding to, searching and range-searching in given
lists; renumbering the lists (permute_invlists, sort_invlists_by_size)."""

from __future__ import annotations

import numpy as np

from metalfaiss import IndexFlat, IndexPreTransform
from metalfaiss.contrib.inspect_tools import get_invlist_sizes  # noqa: F401  (faiss's ivf_tools offers it too)
from metalfaiss.errors import InvalidArgumentError
from .._typing import Any, ArrayLike, Optional


def add_preassigned(index_ivf: Any, x: ArrayLike, a: ArrayLike, ids: Optional[ArrayLike] = None) -> None:
    """Add the rows of x to the lists a (n,) gives, with ids (n,) or
    numbered on from ntotal."""
    index_ivf.add_preassigned(x, a, ids)


def search_preassigned(index_ivf: Any, xq: ArrayLike, k: int, list_nos: Any, coarse_dis: Any = None) -> Any:
    """Search each query in the lists of its row of list_nos (n, nprobe),
    coarse_dis their distances (zeros when None). An IndexPreTransform
    with one transform over the IVF index is applied first."""
    if isinstance(index_ivf, IndexPreTransform):
        if len(index_ivf.chain) != 1:
            raise ValueError(f"search_preassigned: the pre-transform chain must have one transform, "
                             f"it has {len(index_ivf.chain)}")
        xq = index_ivf.chain[0].apply(xq)
        index_ivf = index_ivf.index
    if coarse_dis is None:
        coarse_dis = np.zeros(np.shape(list_nos), dtype="float32")
    return index_ivf.search_preassigned(xq, k, list_nos, coarse_dis)


def range_search_preassigned(index_ivf: Any, x: ArrayLike, radius: float, list_nos: Any, coarse_dis: Any = None) -> Any:
    """Range search of each query in the lists of its row of list_nos;
    returns (lims, D, I)."""
    if coarse_dis is None:
        coarse_dis = np.zeros(np.shape(list_nos), dtype="float32")
    return index_ivf.range_search_preassigned(x, radius, list_nos, coarse_dis)


def permute_invlists(index_ivf: Any, perm: ArrayLike) -> None:
    """Reorder the lists of index_ivf and its quantizer's centroids alike:
    the new list i is the old perm[i]. The quantizer must be an IndexFlat."""
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
    """Renumber the lists from the shortest to the longest (searches give
    the same results)."""
    permute_invlists(index_ivf, np.argsort(get_invlist_sizes(index_ivf.invlists), kind="stable"))


def replace_ivf_quantizer(index_ivf: Any, new_quantizer: Any) -> Any:
    """Make new_quantizer the index's quantizer and return the old one. An
    empty new_quantizer is first trained on and filled with the old one's
    centroids (an HNSW or other approximate quantizer over the same
    centroids, the usual reason for this); a filled one must hold nlist."""
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
