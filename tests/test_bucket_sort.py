"""bucket_sort, matrix_bucket_sort_inplace and the int64 maps, against
faiss-cpu."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf


def test_bucket_sort_groups_positions_like_faiss():
    tab = np.random.RandomState(1).randint(100, size=1000).astype(np.int64)
    lims, perm = mf.bucket_sort(tab)
    flims, fperm = faiss.bucket_sort(tab)
    np.testing.assert_array_equal(lims, flims)
    for b in range(100):
        np.testing.assert_array_equal(np.sort(perm[lims[b]:lims[b + 1]]), np.sort(fperm[flims[b]:flims[b + 1]]))
        assert (tab[perm[lims[b]:lims[b + 1]]] == b).all()
    with pytest.raises(mf.InvalidArgumentError, match="nbucket"):
        mf.bucket_sort(tab, nbucket=10)


def test_matrix_bucket_sort_inplace_lists_rows_per_bucket():
    tab = np.random.RandomState(2).randint(30, size=(50, 4)).astype(np.int32)
    ours, theirs = tab.copy(), tab.copy()
    lims = mf.matrix_bucket_sort_inplace(ours)
    flims = faiss.matrix_bucket_sort_inplace(theirs)
    np.testing.assert_array_equal(lims, flims)
    for b in range(30):
        rows = np.sort(ours.ravel()[lims[b]:lims[b + 1]])
        np.testing.assert_array_equal(rows, np.sort(theirs.ravel()[flims[b]:flims[b + 1]]))
        np.testing.assert_array_equal(np.unique(rows), np.unique(np.where(tab == b)[0]))


def test_int64_maps():
    keys = np.unique(np.random.RandomState(3).choice(2**29, size=1000).astype(np.int64))
    vals = np.arange(keys.size, dtype=np.int64) * 7
    m = mf.MapInt64ToInt64(1500)
    m.add(keys, vals)
    probe = np.concatenate([keys[:10], keys[:3] + 2**29])
    np.testing.assert_array_equal(m.lookup(probe), np.concatenate([vals[:10], [-1, -1, -1]]))
    with pytest.raises(mf.InvalidArgumentError, match="capacity"):
        m.add(keys + 2**30, vals)
    np.testing.assert_array_equal(m.lookup(keys[:5]), vals[:5])  # unchanged by the failed add
    m2 = mf.MapLong2Long()
    m2.add(keys[:3], vals[:3])
    m2.add(keys[:1], [99])
    assert m2.search(int(keys[0])) == 99 and m2.search(5) == -1
    np.testing.assert_array_equal(m2.search_multiple(keys[1:3]), vals[1:3])
