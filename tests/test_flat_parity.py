"""IndexFlat, knn and pairwise_distances against faiss-cpu, the oracle."""

import numpy as np
import pytest

import metalfaiss as mf
from conftest import assert_knn_equal, exact_distances

faiss = pytest.importorskip("faiss")

METRICS = [
    mf.METRIC_L2, mf.METRIC_INNER_PRODUCT, mf.METRIC_L1, mf.METRIC_Linf,
    mf.METRIC_Lp, mf.METRIC_Canberra, mf.METRIC_BrayCurtis, mf.METRIC_JensenShannon,
]
POSITIVE = {mf.METRIC_Canberra, mf.METRIC_BrayCurtis, mf.METRIC_JensenShannon}


def data(rng, metric, n, d):
    x = rng.random((n, d), dtype=np.float32)
    return x + 0.05 if metric in POSITIVE else x * 2 - 1


def both(metric, d, xb, arg=3.0):
    ours, theirs = mf.IndexFlat(d, metric), faiss.IndexFlat(d, metric)
    if metric == mf.METRIC_Lp:
        ours.metric_arg = arg
        theirs.metric_arg = arg
    ours.add(xb)
    theirs.add(xb)
    return ours, theirs


@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("nq", [1, 7, 50])
@pytest.mark.parametrize("d", [3, 17, 128])
def test_search_matches_faiss(rng, metric, nq, d):
    xb, xq = data(rng, metric, 1237, d), data(rng, metric, nq, d)
    ours, theirs = both(metric, d, xb)
    assert ours.metric_type == theirs.metric_type == metric
    D, I = ours.search(xq, 10)
    Df, If = theirs.search(xq, 10)
    assert_knn_equal(D, I, Df, If, exact_distances(metric, xq, xb, 3.0))


@pytest.mark.parametrize("metric", [mf.METRIC_L2, mf.METRIC_INNER_PRODUCT, mf.METRIC_L1])
def test_k_larger_than_ntotal_pads_like_faiss(rng, metric):
    xb, xq = data(rng, metric, 5, 8), data(rng, metric, 3, 8)
    ours, theirs = both(metric, 8, xb)
    D, I = ours.search(xq, 9)
    Df, If = theirs.search(xq, 9)
    np.testing.assert_array_equal(I[:, 5:], -1)
    np.testing.assert_array_equal(D[:, 5:], Df[:, 5:])  # +-FLT_MAX, exactly
    assert_knn_equal(D, I, Df, If, exact_distances(metric, xq, xb))


def test_empty_index_search_matches_faiss(rng):
    ours, theirs = mf.IndexFlatIP(4), faiss.IndexFlatIP(4)
    xq = rng.random((2, 4), dtype=np.float32)
    D, I = ours.search(xq, 3)
    Df, If = theirs.search(xq, 3)
    np.testing.assert_array_equal(D, Df)
    np.testing.assert_array_equal(I, If)


@pytest.mark.parametrize("metric,radius", [(mf.METRIC_L2, 2.0), (mf.METRIC_INNER_PRODUCT, 1.5), (mf.METRIC_L1, 3.0)])
@pytest.mark.parametrize("nq", [2, 40])
def test_range_search_matches_faiss(rng, metric, radius, nq):
    d = 6
    xb, xq = data(rng, metric, 3000, d), data(rng, metric, nq, d)
    ours, theirs = both(metric, d, xb)
    lims, D, I = ours.range_search(xq, radius)
    try:
        limsf, Df, If = theirs.range_search(xq, radius)
    except RuntimeError as e:  # faiss < 1.14 has range search for L2 and IP only
        pytest.skip(f"this faiss cannot range-search metric {metric}: {e}")
    assert lims.dtype == limsf.dtype and D.dtype == np.float32 and I.dtype == np.int64
    exact = exact_distances(metric, xq, xb)
    for q in range(nq):
        got = dict(zip(I[lims[q]:lims[q + 1]].tolist(), D[lims[q]:lims[q + 1]].tolist()))
        want = dict(zip(If[limsf[q]:limsf[q + 1]].tolist(), Df[limsf[q]:limsf[q + 1]].tolist()))
        assert list(got) == sorted(got), "ids in increasing order"
        for i in set(got) ^ set(want):  # only pairs on the radius may differ
            assert abs(exact[q, i] - radius) < 1e-4
        for i in set(got) & set(want):
            assert got[i] == pytest.approx(want[i], rel=1e-5, abs=1e-5)
    assert lims[-1] > 0


def test_remove_ids_and_reconstruct_match_faiss(rng):
    d = 12
    xb = rng.random((100, d), dtype=np.float32)
    ours, theirs = both(mf.METRIC_L2, d, xb)
    ids = np.array([3, 50, 50, 99, 1000], dtype=np.int64)
    assert ours.remove_ids(ids) == theirs.remove_ids(ids) == 3
    assert ours.remove_ids(mf.IDSelectorRange(10, 20)) == theirs.remove_ids(faiss.IDSelectorRange(10, 20)) == 10
    assert ours.remove_ids(mf.IDSelectorBatch([0, 1])) == theirs.remove_ids(faiss.IDSelectorBatch(np.array([0, 1], dtype=np.int64))) == 2
    assert ours.ntotal == theirs.ntotal == 85
    np.testing.assert_array_equal(ours.reconstruct_n(0, ours.ntotal), theirs.reconstruct_n(0, theirs.ntotal))
    np.testing.assert_array_equal(ours.reconstruct_n(), theirs.reconstruct_n(0, theirs.ntotal))
    np.testing.assert_array_equal(ours.reconstruct(7), theirs.reconstruct(7))
    xq = rng.random((30, d), dtype=np.float32)
    D, I = ours.search(xq, 5)
    Df, If = theirs.search(xq, 5)
    remaining = theirs.reconstruct_n(0, theirs.ntotal)
    assert_knn_equal(D, I, Df, If, exact_distances(mf.METRIC_L2, xq, remaining))


def test_reset_and_assign_match_faiss(rng):
    xb, xq = rng.random((200, 5), dtype=np.float32), rng.random((9, 5), dtype=np.float32)
    ours, theirs = both(mf.METRIC_L2, 5, xb)
    labels = ours.assign(xq, 3)
    np.testing.assert_array_equal(labels, theirs.assign(xq, 3))
    assert labels.dtype == np.int64 and labels.shape == (9, 3)
    ours.reset()
    assert ours.ntotal == 0
    ours.add(xb[:10])
    assert ours.ntotal == 10


@pytest.mark.parametrize("metric", [mf.METRIC_L2, mf.METRIC_INNER_PRODUCT, mf.METRIC_L1])
def test_knn_function_matches_faiss(rng, metric):
    xb, xq = data(rng, metric, 500, 10), data(rng, metric, 25, 10)
    D, I = mf.knn(xq, xb, 4, metric=metric)
    Df, If = faiss.knn(xq, xb, 4, metric=metric)
    assert_knn_equal(D, I, Df, If, exact_distances(metric, xq, xb))


@pytest.mark.parametrize("metric", METRICS)
def test_pairwise_distances_match_faiss(rng, metric):
    xb, xq = data(rng, metric, 30, 7), data(rng, metric, 4, 7)
    ours = mf.pairwise_distances(xq, xb, metric, metric_arg=2.5)
    theirs = faiss.pairwise_distances(xq, xb, metric, metric_arg=2.5)
    assert ours.dtype == np.float32 and ours.shape == (4, 30)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)


def test_normalize_L2_matches_faiss(rng):
    x = rng.random((20, 9), dtype=np.float32)
    x[3] = 0
    y = x.copy()
    mf.normalize_L2(x)
    faiss.normalize_L2(y)
    np.testing.assert_allclose(x, y, rtol=1e-6, atol=1e-7)
