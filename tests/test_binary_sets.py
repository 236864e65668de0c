"""IndexBinaryShards / IndexBinaryReplicas and the binary IVF's direct map,
against faiss-cpu."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf


def data(d=64, nb=500, nq=30, seed=2):
    rs = np.random.RandomState(seed)
    xb = rs.randint(256, size=(nb, d // 8)).astype("uint8")
    xq = rs.randint(256, size=(nq, d // 8)).astype("uint8")
    xb[:, 1:] &= 0x11  # few bits set: many equal distances across shards
    xq[:, 1:] &= 0x11
    return xb, xq


@pytest.mark.parametrize("prefilled", [True, False])
def test_binary_shards_equal_faiss(prefilled):
    xb, xq = data()
    sets = []
    for lib in mf, faiss:
        shards = lib.IndexBinaryShards(64)
        for i in range(4):
            sub = lib.IndexBinaryFlat(64)
            if prefilled:
                sub.add(xb[i * 125:(i + 1) * 125])
            shards.add_shard(sub)
        if not prefilled:
            shards.add(xb)
        sets.append(shards)
    ours, theirs = sets
    assert ours.ntotal == theirs.ntotal == 500 and ours.code_size == 8
    D, I = ours.search(xq, 20)
    Dt, It = theirs.search(xq, 20)
    np.testing.assert_array_equal(D, Dt)
    np.testing.assert_array_equal(I, It)
    ref = mf.IndexBinaryFlat(64)
    ref.add(xb)
    np.testing.assert_array_equal(D, ref.search(xq, 20)[0])
    with pytest.raises(mf.InvalidArgumentError, match="successive_ids"):
        ours.add(xb)
    assert ours.ntotal == 500


def test_binary_shards_with_ids_and_replicas():
    xb, xq = data()
    shards = mf.IndexBinaryShards(False, False)  # (threaded, successive_ids): d from the first shard
    subs = [mf.IndexBinaryIDMap(mf.IndexBinaryFlat(64)) for _ in range(3)]
    for s in subs:
        shards.addIndex(s)
    assert shards.d == 64 and shards.count() == 3 and shards.at(1) is subs[1]
    ids = np.arange(500, dtype=np.int64) * 7 + 3
    shards.add_with_ids(xb, ids)
    ref = mf.IndexBinaryIDMap(mf.IndexBinaryFlat(64))
    ref.add_with_ids(xb, ids)
    np.testing.assert_array_equal(shards.search(xq, 10)[0], ref.search(xq, 10)[0])

    ours, theirs = mf.IndexBinaryReplicas(64), faiss.IndexBinaryReplicas(64)
    for lib, rep in (mf, ours), (faiss, theirs):
        for _ in range(3):
            rep.addIndex(lib.IndexBinaryFlat(64))
        rep.add(xb)
    D, I = ours.search(xq, 10)
    Dt, It = theirs.search(xq, 10)
    np.testing.assert_array_equal(D, Dt)
    np.testing.assert_array_equal(I, It)
    assert ours.ntotal == 500

    empty = mf.IndexBinaryShards(64)
    with pytest.raises(mf.InvalidArgumentError, match="no shards"):
        empty.search(xq, 3)
    with pytest.raises(mf.DimensionMismatchError, match="d=32"):
        empty.add_shard(mf.IndexBinaryFlat(32))
    with pytest.raises(mf.InvalidArgumentError, match="cannot hold itself"):
        empty.add_shard(empty)
    outer = mf.IndexBinaryShards(64)
    outer.add_shard(empty)
    with pytest.raises(mf.InvalidArgumentError, match="cannot hold itself"):
        empty.add_shard(outer)
    with pytest.raises(mf.InputTypeError):
        empty.add_shard(mf.IndexFlatL2(64))
    assert empty.count() == 0


def binary_ivf(lib, xb, ids=None):
    ix = lib.IndexBinaryIVF(lib.IndexBinaryFlat(64), 64, 8)
    ix.cp.min_points_per_centroid = 5
    ix.train(xb)
    if ids is None:
        ix.add(xb)
    else:
        ix.add_with_ids(xb, ids)
    return ix


def test_binary_ivf_direct_map_and_files():
    xb, _ = data(nb=400)
    ix = binary_ivf(mf, xb)
    with pytest.raises(mf.InvalidArgumentError, match="direct map"):
        ix.reconstruct(3)
    ix.set_direct_map_type(mf.DirectMap.Array)
    assert ix.direct_map_type == 1
    for i in range(0, 400, 37):
        np.testing.assert_array_equal(ix.reconstruct(i), xb[i])
    np.testing.assert_array_equal(ix.reconstruct_n(10, 5), xb[10:15])
    with pytest.raises(mf.InvalidArgumentError, match="array direct map"):
        ix.add_with_ids(xb[:2], np.array([900, 901], dtype=np.int64))
    assert ix.ntotal == 400
    ix.add(xb[:3])
    np.testing.assert_array_equal(ix.reconstruct(401), xb[1])
    # faiss reads our map and reconstructs from it
    theirs = faiss.deserialize_index_binary(mf.serialize_index_binary(ix))
    np.testing.assert_array_equal(theirs.reconstruct(17), xb[17])

    rs = np.random.RandomState(123)
    ids = rs.choice(10000, size=400, replace=False).astype(np.int64)
    ix = binary_ivf(mf, xb, ids)
    with pytest.raises(mf.InvalidArgumentError, match="0..ntotal-1"):
        ix.set_direct_map_type(mf.DirectMap.Array)
    ix.set_direct_map_type(mf.DirectMap.Hashtable)
    for i in range(0, 400, 41):
        np.testing.assert_array_equal(ix.reconstruct(int(ids[i])), xb[i])
    with pytest.raises(mf.InvalidArgumentError, match="not in the index"):
        ix.reconstruct(10001)

    fx = binary_ivf(faiss, xb, ids)
    fx.set_direct_map_type(faiss.DirectMap.Hashtable)
    back = mf.deserialize_index_binary(faiss.serialize_index_binary(fx))
    assert back.direct_map_type == 2
    np.testing.assert_array_equal(back.reconstruct(int(ids[5])), xb[5])
    ix.reset()
    with pytest.raises(mf.InvalidArgumentError, match="not in the index"):
        ix.reconstruct(int(ids[5]))
