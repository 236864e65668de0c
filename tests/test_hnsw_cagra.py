"""IndexHNSWCagra against faiss-cpu: faiss's files (IHc2) both ways and
their full-graph searches, base-level-only searches (random entry points:
recall within 0.01 of faiss's at three efSearch), our build's recall, the
float16 storage and what it refuses."""

import numpy as np
import pytest

import metalfaiss as mf
from conftest import needs_faiss

faiss = pytest.importorskip("faiss")
# the oracle's IHc2 carries the numeric type and searches 256 entry points
# by default since 1.15 (Python 3.9's faiss-cpu 1.13 writes and searches
# otherwise)
pytestmark = needs_faiss("1.15", "writes IndexHNSWCagra as 1.15 does")

D = 32


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(12)
    x = rng.standard_normal((20000, D)).astype(np.float32)
    xq = rng.standard_normal((300, D)).astype(np.float32)
    _, G = faiss.knn(xq, x, 10)
    return x, xq, G


def recall(I, G):
    return np.mean([len(set(i) & set(g)) / len(g) for i, g in zip(I, G)])


@pytest.fixture(scope="module")
def theirs(data):
    x, _, _ = data
    ix = faiss.IndexHNSWCagra(D, 16)
    ix.add(x)
    return ix


def test_faiss_file_both_ways_and_searches(data, theirs):
    x, xq, G = data
    ours = mf.deserialize_index(faiss.serialize_index(theirs))
    assert type(ours) is mf.IndexHNSWCagra and ours.keep_max_size_level0
    assert not ours.base_level_only and ours.num_base_level_search_entrypoints == 256
    assert np.array_equal(mf.serialize_index(ours), faiss.serialize_index(theirs))
    for ef in (16, 64, 256):
        ours.hnsw.efSearch = theirs.hnsw.efSearch = ef
        D1, I1 = theirs.search(xq, 10)
        D2, I2 = ours.search(xq, 10)
        np.testing.assert_array_equal(I2, I1)  # the same graph, the same walk
        np.testing.assert_allclose(D2, D1, rtol=1e-5, atol=1e-5)
    # base level only: random entry points, so recall, not ids, compares
    ours.base_level_only = theirs.base_level_only = True
    try:
        for ef in (16, 64, 256):  # observed 0.700/0.916/0.994 against 0.701/0.916/0.993
            ours.hnsw.efSearch = theirs.hnsw.efSearch = ef
            r_ours, r_theirs = recall(ours.search(xq, 10)[1], G), recall(theirs.search(xq, 10)[1], G)
            assert abs(r_ours - r_theirs) <= 0.01, (ef, r_ours, r_theirs)
        assert np.array_equal(ours.search(xq, 10)[1], ours.search(xq, 10)[1])  # repeatable here
        back = faiss.deserialize_index(mf.serialize_index(ours))
        assert back.base_level_only
        with pytest.raises(mf.MetalFaissError, match="base_level_only"):
            ours.add(x[:3])
    finally:
        theirs.base_level_only = False


def test_our_build_and_float16(data, theirs):
    x, xq, G = data
    ours = mf.IndexHNSWCagra(D, 16)
    ours.add(x)
    # Our HNSW build is not faiss's edge for edge (issue 26): with full
    # level-0 lists it trails faiss's graph at small efSearch, and the
    # parallel build's order moves recall between runs (observed over six
    # builds on two CPUs: 0.632-0.656 against 0.691 at 16, 0.908-0.912
    # against 0.923 at 64, 0.992-0.993 against 0.991 at 256)
    for ef, tol in ((16, 0.08), (64, 0.03), (256, 0.01)):
        ours.hnsw.efSearch = theirs.hnsw.efSearch = ef
        r_ours, r_theirs = recall(ours.search(xq, 10)[1], G), recall(theirs.search(xq, 10)[1], G)
        assert r_ours >= r_theirs - tol, (ef, r_ours, r_theirs)
    back = faiss.deserialize_index(mf.serialize_index(ours))
    back.hnsw.efSearch = ours.hnsw.efSearch = 64
    np.testing.assert_array_equal(back.search(xq, 10)[1], ours.search(xq, 10)[1])
    half = mf.IndexHNSWCagra(D, 16, mf.METRIC_L2, mf.NumericType.Float16)
    assert half.get_numeric_type() == mf.NumericType.Float16
    assert isinstance(half.storage, mf.IndexScalarQuantizer)
    half.add(x)
    half.hnsw.efSearch = 64
    assert recall(half.search(xq, 10)[1], G) >= recall(ours.search(xq, 10)[1], G) - 0.02
    again = mf.deserialize_index(mf.serialize_index(half))
    assert again.get_numeric_type() == 1 and np.array_equal(again.search(xq, 5)[1], half.search(xq, 5)[1])


def test_bad_input():
    with pytest.raises(mf.MetalFaissError, match="unsupported metric"):
        mf.IndexHNSWCagra(D, 16, mf.METRIC_L1)
    with pytest.raises(mf.MetalFaissError, match="numeric types"):
        mf.IndexHNSWCagra(D, 16, mf.METRIC_L2, 5)
    ix = mf.IndexHNSWCagra(D, 16)
    with pytest.raises(mf.MetalFaissError, match="positive"):
        ix.num_base_level_search_entrypoints = 0
    ix.base_level_only = True
    D0, I0 = ix.search(np.zeros((2, D), dtype=np.float32), 3)
    assert (I0 == -1).all()
