"""IVF indexes driven by assignments computed elsewhere
(contrib.ivf_tools): adding to, searching and range-searching in given
lists."""

import numpy as np

from metalfaiss import IndexPreTransform


def add_preassigned(index_ivf, x, a, ids=None):
    """Add the rows of x to the lists a (n,) gives, with ids (n,) or
    numbered on from ntotal."""
    index_ivf.add_preassigned(x, a, ids)


def search_preassigned(index_ivf, xq, k, list_nos, coarse_dis=None):
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


def range_search_preassigned(index_ivf, x, radius, list_nos, coarse_dis=None):
    """Range search of each query in the lists of its row of list_nos;
    returns (lims, D, I)."""
    if coarse_dis is None:
        coarse_dis = np.zeros(np.shape(list_nos), dtype="float32")
    return index_ivf.range_search_preassigned(x, radius, list_nos, coarse_dis)
