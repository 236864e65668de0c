"""The inverted multi-index against faiss-cpu: MultiIndexQuantizer and
MultiIndexQuantizer2 searches (the multi-sequence algorithm), training,
files both ways, IMI2x{b} IVF indexes from the factory, and bad input."""

import numpy as np
import pytest

import metalfaiss as mf
from metalfaiss.errors import UnsupportedOperationError

faiss = pytest.importorskip("faiss")

D = 32


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(11)
    centres = rng.standard_normal((50, D)) * 3
    x = centres[rng.integers(0, 50, 12000)] + rng.standard_normal((12000, D))
    return x[:10000].astype(np.float32), x[10000:].astype(np.float32)


@pytest.fixture(scope="module")
def trained(data):
    xt, _ = data
    q = faiss.MultiIndexQuantizer(D, 2, 6)
    q.train(xt)
    return q


def close_then_equal(D1, I1, D2, I2):
    """The same combinations, best first, at sums equal up to float
    rounding (the tables are summed in another order than faiss's). The
    algorithm may return a combination twice when two paths to it round
    differently (pushing the last one out), and the two libraries round
    differently: rows are compared without their repeats, as far as both
    reach (observed: 6 repeats in 200,000 results at k = 100)."""
    mismatched = 0
    for d1, i1, d2, i2 in zip(D1, I1, D2, I2):
        _, f1 = np.unique(i1, return_index=True)
        _, f2 = np.unique(i2, return_index=True)
        f1, f2 = np.sort(f1), np.sort(f2)
        n = min(len(f1), len(f2))
        np.testing.assert_allclose(d2[f2[:n]], d1[f1[:n]], rtol=1e-5, atol=1e-4)
        mismatched += (i1[f1[:n]] != i2[f2[:n]]).sum()
    assert mismatched <= 0.002 * I1.size, mismatched


def test_search_matches_faiss(data, trained):
    _, xq = data
    ours = mf.deserialize_index(faiss.serialize_index(trained))
    assert type(ours) is mf.MultiIndexQuantizer and ours.ntotal == 4096 and ours.is_trained
    for k in (1, 10, 100):
        close_then_equal(*trained.search(xq, k), *ours.search(xq, k))
    assert np.array_equal(mf.serialize_index(ours), faiss.serialize_index(trained))
    np.testing.assert_array_equal(ours.reconstruct(1234), trained.reconstruct(1234))


def test_training_gives_faiss_centroids(data, trained):
    xt, xq = data
    ours = mf.MultiIndexQuantizer(D, 2, 6)
    assert not ours.is_trained and ours.ntotal == 0
    ours.train(xt)
    assert ours.ntotal == 4096 and ours.pq.M == 2 and ours.pq.nbits == 6
    np.testing.assert_allclose(ours.pq.centroids.reshape(-1), faiss.vector_to_array(trained.pq.centroids), rtol=1e-5, atol=1e-5)
    back = faiss.deserialize_index(mf.serialize_index(ours))
    assert back.ntotal == 4096
    D1, I1 = back.search(xq, 10)
    D2, I2 = ours.search(xq, 10)
    close_then_equal(D1, I1, D2, I2)


def test_quantizer2_with_flat_assignment_indexes(data, trained):
    xt, xq = data
    cents = faiss.vector_to_array(trained.pq.centroids).reshape(2, 64, D // 2)
    subs, keep = [], []
    for lib in (faiss, mf):
        a0, a1 = lib.IndexFlatL2(D // 2), lib.IndexFlatL2(D // 2)
        keep += [a0, a1]  # faiss's quantizer does not keep its indexes alive
        q2 = lib.MultiIndexQuantizer2(D, 6, a0, a1)
        q2.train(xt)  # trains its own pq, then gives the centroids to a0 and a1
        assert a0.ntotal == 64 and a1.ntotal == 64
        subs.append(q2)
    theirs, ours = subs
    assert type(ours) is mf.MultiIndexQuantizer2 and len(ours.assign_indexes) == 2
    for k in (1, 10, 64, 200):
        close_then_equal(*theirs.search(xq, k), *ours.search(xq, k))
    np.testing.assert_allclose(ours.pq.centroids.reshape(2, 64, -1), cents, rtol=1e-5, atol=1e-5)
    # the M-index form, and k above the combinations
    b = mf.MultiIndexQuantizer2(D, 2, 6, [mf.IndexFlatL2(D // 2), mf.IndexFlatL2(D // 2)])
    b.train(xt)
    Dk, Ik = b.search(xq[:2], 4096 + 3)
    for row in Ik:  # every combination, then padding (or a rounding repeat)
        assert set(row[row >= 0]) == set(range(4096)) and row.max() < 4096
        assert (row[np.argmax(row < 0):] < 0).all() or (row >= 0).all()


@pytest.mark.parametrize("desc", ["IMI2x5,PQ8", "IMI2x5,Flat"])
def test_imi_ivf_matches_faiss(data, desc):
    xt, xq = data
    theirs = faiss.index_factory(D, desc)
    theirs.train(xt)
    theirs.add(xt)
    theirs.nprobe = 64
    ours = mf.index_factory(D, desc)
    assert type(ours.quantizer) is mf.MultiIndexQuantizer and ours.nlist == 1024
    assert mf.reverse_index_factory(ours).startswith("IMI2x5,")
    ours.train(xt)
    ours.add(xt)
    ours.nprobe = 64
    # the same lists: IMI assignment is deterministic
    for lst in range(0, 1024, 37):
        assert ours.invlists.list_size(lst) == theirs.invlists.list_size(lst)
    D1, I1 = theirs.search(xq, 10)
    D2, I2 = ours.search(xq, 10)
    np.testing.assert_allclose(D2, D1, rtol=1e-4, atol=1e-3)
    assert (I1 == I2).mean() > 0.99
    # files both ways
    read = mf.deserialize_index(faiss.serialize_index(theirs))
    read.nprobe = 64
    D3, I3 = read.search(xq, 10)
    np.testing.assert_allclose(D3, D1, rtol=1e-4, atol=1e-3)
    assert np.array_equal(mf.serialize_index(read), faiss.serialize_index(theirs))


def test_bad_input(data, trained):
    xt, xq = data
    q = mf.MultiIndexQuantizer(D, 2, 6)
    with pytest.raises(mf.MetalFaissError, match="train"):
        q.search(xq, 3)
    q = mf.deserialize_index(faiss.serialize_index(trained))
    with pytest.raises(UnsupportedOperationError, match="does not support add"):
        q.add(xt[:3])
    with pytest.raises(UnsupportedOperationError, match="does not support reset"):
        q.reset()
    with pytest.raises(mf.MetalFaissError, match="d=32|columns"):
        q.search(xq[:, :16], 3)
    with pytest.raises(mf.MetalFaissError, match="k must be positive|k="):
        q.search(xq, 0)
    with pytest.raises(mf.MetalFaissError, match="62"):
        mf.MultiIndexQuantizer(64, 8, 8)
    with pytest.raises(mf.MetalFaissError, match="divide"):
        mf.MultiIndexQuantizer(30, 4, 6)
    with pytest.raises(mf.MetalFaissError, match="incorrect size"):
        mf.MultiIndexQuantizer2(D, 6, mf.IndexFlatL2(8), mf.IndexFlatL2(16))
    with pytest.raises(TypeError):
        mf.MultiIndexQuantizer2(D, 6, mf.IndexFlatL2(16), "flat")
    with pytest.raises(ValueError, match="L2"):
        mf.index_factory(D, "IMI2x5,Flat", mf.METRIC_INNER_PRODUCT)
    with pytest.raises(mf.MetalFaissError, match="outside"):
        q.reconstruct(4096)
