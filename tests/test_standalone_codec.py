"""sa_code_size / sa_encode / sa_decode / add_sa_codes against faiss-cpu:
the same bytes for the same trained codec, and round trips."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf

XT = faiss.rand((3000, 32), 1)
X = faiss.rand((200, 32), 2)


@pytest.mark.parametrize("key", ["Flat", "SQ8", "SQ4", "SQfp16", "LSH", "LSHrt", "LSHr", "LSHt", "IVF16,Flat",
                                 "IVF16,SQ8", "IVF16,PQ8np", "IVF300,PQ4np"])
def test_codes_are_faiss_bytes(key):
    ours, theirs = mf.index_factory(32, key), faiss.index_factory(32, key)
    ours.train(XT)
    theirs.train(XT)
    assert ours.sa_code_size() == theirs.sa_code_size()
    codes = ours.sa_encode(X)
    np.testing.assert_array_equal(codes, theirs.sa_encode(X))
    np.testing.assert_allclose(ours.sa_decode(codes), theirs.sa_decode(codes), atol=1e-5)
    assert ours.ntotal == 0


@pytest.mark.parametrize("nbits", [8, 4])
def test_pq_codes_with_faiss_centroids(nbits):
    theirs = faiss.IndexPQ(32, 8, nbits)
    theirs.train(XT)
    ours = mf.IndexPQ(32, 8, nbits)
    ours.pq.set_centroids(faiss.vector_to_array(theirs.pq.centroids))
    np.testing.assert_array_equal(ours.sa_encode(X), theirs.sa_encode(X))
    codes = theirs.sa_encode(X)
    np.testing.assert_allclose(ours.sa_decode(codes), theirs.sa_decode(codes), atol=1e-6)


@pytest.mark.parametrize("key", ["PCA16,IVF16,SQ8", "IVF16,SQ8,RFlat", "IDMap,SQ8"])
def test_wrapped_codecs_round_trip(key):
    index = mf.index_factory(32, key)
    index.train(XT)
    codes = index.sa_encode(X)
    assert codes.shape == (200, index.sa_code_size())
    again = index.sa_encode(index.sa_decode(codes))
    assert (again != codes).any(axis=1).sum() < 10  # a few flip to another list
    if "RFlat" in key:
        np.testing.assert_array_equal(index.sa_decode(codes), X)  # the refinement's codes are exact


def test_add_sa_codes_equals_add():
    for key in ("SQ8", "IVF16,PQ8np", "IVF16,Flat"):
        a, b = mf.index_factory(32, key), mf.index_factory(32, key)
        a.train(XT)
        b.train(XT)
        if key.startswith("IVF"):
            b.quantizer.reset()
            b.quantizer.add(a.quantizer.reconstruct_n(0, 16))
            if "PQ" in key:
                b.pq.set_centroids(a.pq.centroids)
        else:
            b = mf.deserialize_index(mf.serialize_index(a))
        a.add(X)
        b.add_sa_codes(a.sa_encode(X))
        np.testing.assert_array_equal(a.search(X[:20], 5)[1], b.search(X[:20], 5)[1])
    ivf = mf.index_factory(32, "IVF16,SQ8")
    ivf.train(XT)
    ivf.add_sa_codes(ivf.sa_encode(X), np.arange(1000, 1200))
    assert ivf.search(X[:1], 1)[1][0, 0] == 1000


def test_bad_codes():
    index = mf.index_factory(32, "IVF16,SQ8")
    with pytest.raises(mf.NotTrainedError):
        index.sa_encode(X)
    index.train(XT)
    with pytest.raises(TypeError, match="uint8"):
        index.sa_decode(np.zeros((2, 33), np.int32))
    with pytest.raises(ValueError, match=r"\(n, 33\)"):
        index.sa_decode(np.zeros((2, 5), np.uint8))
    bad = index.sa_encode(X[:2])
    bad[:, 0] = 200  # list 200 of 16
    with pytest.raises(ValueError, match="list 200"):
        index.sa_decode(bad)
    with pytest.raises(ValueError, match="list 200"):
        index.add_sa_codes(bad)
    assert index.ntotal == 0
    with pytest.raises(mf.UnsupportedOperationError):
        mf.IndexHNSWFlat(32, 8).sa_code_size()


@pytest.mark.parametrize("key", ["IDMap2,IVF20,Flat", "IDMap,IVF20,Flat", "IDMap,PQ8"])
def test_idmap_add_sa_codes_like_add_with_ids(key):
    xt, xb, xq = faiss.rand((3000, 32), 91), faiss.rand((500, 32), 92), faiss.rand((20, 32), 93)
    ids = (1000 + np.arange(500)).astype(np.int64)
    ref, test = mf.index_factory(32, key), mf.index_factory(32, key)
    for index in (ref, test):
        index.train(xt)
    ref.add_with_ids(xb, ids)
    test.add_sa_codes(test.index.sa_encode(xb), ids)
    np.testing.assert_array_equal(test.search(xq, 5)[1], ref.search(xq, 5)[1])
    if key.startswith("IDMap2"):
        mf.extract_index_ivf(test).make_direct_map()
        np.testing.assert_array_equal(test.reconstruct(1003), xb[3])
    with pytest.raises(mf.DimensionMismatchError, match="ids"):
        test.add_sa_codes(test.index.sa_encode(xb[:3]))
