"""IndexBinaryIDMap / IndexBinaryIDMap2: binary codes under caller ids,
searched, range-searched, reconstructed and written as faiss does."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf

RS = np.random.RandomState(7)
XB = RS.randint(256, size=(300, 8), dtype=np.uint8)
XQ = RS.randint(256, size=(12, 8), dtype=np.uint8)
IDS = RS.choice(100000, 300, replace=False).astype(np.int64)


@pytest.mark.parametrize("two", [False, True])
def test_binary_idmap_like_faiss(two):
    built = []
    for lib in (mf, faiss):
        cls = lib.IndexBinaryIDMap2 if two else lib.IndexBinaryIDMap
        index = cls(lib.IndexBinaryFlat(64))
        index.add_with_ids(XB, IDS)
        built.append(index)
    ours, theirs = built
    Do, Io = ours.search(XQ, 6)
    Df, If = theirs.search(XQ, 6)
    np.testing.assert_array_equal(Do, Df)
    np.testing.assert_array_equal(Io, If)
    np.testing.assert_array_equal(ours.id_map, IDS)
    lo, Dr, Ir = ours.range_search(XQ, 25)
    lf, Drf, Irf = theirs.range_search(XQ, 25)
    np.testing.assert_array_equal(lo, lf)
    np.testing.assert_array_equal(Ir, Irf)
    blob = mf.serialize_index_binary(ours)
    np.testing.assert_array_equal(blob, faiss.serialize_index_binary(theirs))
    back = mf.deserialize_index_binary(faiss.serialize_index_binary(theirs))
    assert type(back) is type(ours)
    np.testing.assert_array_equal(back.search(XQ, 6)[1], Io)
    if two:
        np.testing.assert_array_equal(ours.reconstruct(int(IDS[42])), XB[42])
    with pytest.raises(mf.MetalFaissError, match="add_with_ids"):
        ours.add(XB[:2])
    assert ours.ntotal == 300


def test_remove_ids_from_binary_idmap2_and_flat():
    for lib in (mf, faiss):
        index = lib.IndexBinaryIDMap2(lib.IndexBinaryFlat(40))
        xb = np.zeros((10, 5), dtype=np.uint8)
        xb[:, 0] = np.arange(10) + 100
        index.add_with_ids(xb, np.arange(10, dtype=np.int64) + 1000)
        assert index.remove_ids(np.array([1003], dtype=np.int64)) == 1
        assert index.reconstruct(1004)[0] == 104
        with pytest.raises(RuntimeError):
            index.reconstruct(1003)
        back = lib.deserialize_index_binary(lib.serialize_index_binary(index))
        assert back.reconstruct(1004)[0] == 104 and back.ntotal == 9
    flat = mf.IndexBinaryFlat(64)
    flat.add(XB[:10])
    assert flat.remove_ids(np.array([0, 1])) == 2 and flat.ntotal == 8
    np.testing.assert_array_equal(flat.reconstruct(0), XB[2])


def test_binary_assign_reconstruct_n_and_popcount():
    for lib in (mf, faiss):
        index = lib.IndexBinaryFlat(64)
        index.add(XB[:50])
        np.testing.assert_array_equal(index.reconstruct_n(10, 5), XB[10:15])
        np.testing.assert_array_equal(index.assign(XB[:4], 2)[:, 0], np.arange(4))
    assert mf.popcount64(0xFF00FF) == 16 == faiss.popcount64(0xFF00FF)
    with pytest.raises(mf.InvalidArgumentError, match="outside"):
        mf.IndexBinaryFlat(64).reconstruct_n(0, 3)


def test_pq_is_trained_by_hand_and_index_pq_takes_it():
    rs = np.random.RandomState(4)
    centroids = rs.rand(2, 256, 4).astype(np.float32)
    x = rs.rand(20, 8).astype(np.float32)
    results = []
    for lib in (mf, faiss):
        pq = lib.ProductQuantizer(8, 2, 8)
        lib.copy_array_to_vector(centroids.ravel(), pq.centroids)
        pq.is_trained = True
        index = lib.IndexPQ(8, 2, 8)
        index.pq = pq
        index.is_trained = True
        index.add(x)
        results.append(index.sa_encode(x))
    np.testing.assert_array_equal(results[0], results[1])
