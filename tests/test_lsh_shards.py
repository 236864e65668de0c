"""IndexLSH, IndexShards and IndexReplicas against faiss-cpu on the same
data: identical results (LSH codes come from faiss's own rotation)."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf
from gpu_support import gpu  # noqa: F401  (fixture)


def _data(n, d, seed):
    return np.random.default_rng(seed).standard_normal((n, d)).astype(np.float32)


@pytest.mark.parametrize("nbits,rotate,train", [(64, True, False), (32, False, False), (48, True, True),
                                                (16, False, True), (100, True, False)])
def test_lsh_equals_faiss(nbits, rotate, train):
    d = 32
    xb, xq = _data(3000, d, 1), _data(40, d, 2)
    ours, theirs = mf.IndexLSH(d, nbits, rotate, train), faiss.IndexLSH(d, nbits, rotate, train)
    assert ours.is_trained == theirs.is_trained == (not train)
    ours.train(xb)
    theirs.train(xb)
    if train:
        np.testing.assert_allclose(ours.thresholds, faiss.vector_to_array(theirs.thresholds), rtol=1e-4, atol=1e-5)
    ours.add(xb)
    theirs.add(xb)
    assert ours.code_size == theirs.code_size and ours.nbits == nbits
    for k in (1, 10, 3001):
        D, I = ours.search(xq, k)
        Dt, It = theirs.search(xq, k)
        assert D.dtype == np.float32
        np.testing.assert_array_equal(D, Dt)
        np.testing.assert_array_equal(I, It)
    # faiss's file, read by us, gives the same codes and results
    back = mf.deserialize_index(faiss.serialize_index(theirs))
    assert isinstance(back, mf.IndexLSH)
    np.testing.assert_array_equal(back.search(xq, 5)[1], It[:, :5])
    np.testing.assert_array_equal(mf.serialize_index(back), faiss.serialize_index(theirs))
    again = faiss.deserialize_index(mf.serialize_index(ours))
    np.testing.assert_array_equal(again.search(xq, 5)[1], It[:, :5])


def test_lsh_factory_and_errors():
    for desc, args in (("LSH", (16, False, False)), ("LSHrt", (16, True, True)), ("LSHr", (16, True, False)),
                       ("LSHt", (16, False, True)), ("LSH64r", (64, True, False))):
        ix = mf.index_factory(16, desc)
        assert (ix.nbits, ix.rotate_data, ix.train_thresholds) == args
        assert mf.reverse_index_factory(ix) == desc
    with pytest.raises(ValueError, match="nbits"):
        mf.IndexLSH(8, 16, False)
    ix = mf.IndexLSH(8, 8, False, True)
    with pytest.raises(mf.NotTrainedError):
        ix.add(_data(3, 8, 0))
    assert ix.remove_ids(np.array([0])) == 0


@pytest.mark.parametrize("metric", [mf.METRIC_L2, mf.METRIC_INNER_PRODUCT])
@pytest.mark.parametrize("successive", [True, False])
def test_shards_equal_faiss(metric, successive):
    d = 16
    # Each shard gets the same 600 vectors: every distance ties across the
    # shards, and the merge must order them as faiss's does.
    xb, xq = np.vstack([_data(600, d, 3)] * 3), _data(30, d, 4)
    ours = mf.IndexShards(d, False, successive)
    theirs = faiss.IndexShards(d, False, successive)
    keep = []
    for s in range(3):
        if successive:
            a, b = mf.IndexFlat(d, metric), faiss.IndexFlat(d, metric)
        else:
            a, b = mf.IndexIDMap(mf.IndexFlat(d, metric)), faiss.IndexIDMap(faiss.IndexFlat(d, metric))
        ours.add_shard(a)
        theirs.add_shard(b)
        keep.append(b)
    ours.add(xb)
    theirs.add(xb)
    assert ours.ntotal == theirs.ntotal == len(xb) and ours.count() == 3
    for k in (1, 10, 1801):
        D, I = ours.search(xq, k)
        Dt, It = theirs.search(xq, k)
        np.testing.assert_array_equal(I, It)
        np.testing.assert_allclose(D, Dt, rtol=1e-5, atol=1e-5)
    if not successive:
        ours.add(xb[:10])  # ids continue from ntotal
        assert ours.ntotal == len(xb) + 10
    ours.reset()
    assert ours.ntotal == 0


def test_shards_rules():
    d = 8
    ours = mf.IndexShards(d)
    with pytest.raises(ValueError, match="no shards"):
        ours.add(_data(4, d, 0))
    ours.add_shard(mf.IndexFlatL2(d))
    ours.add_shard(mf.IndexFlatL2(d))
    with pytest.raises(mf.DimensionMismatchError):
        ours.add_shard(mf.IndexFlatL2(d + 1))
    ours.add(_data(10, d, 0))
    with pytest.raises(ValueError, match="single pass"):
        ours.add(_data(10, d, 1))
    plain = mf.IndexShards(d, successive_ids=False)
    plain.add_shard(mf.IndexFlatL2(d))
    with pytest.raises(mf.UnsupportedOperationError, match="ids"):
        plain.add(_data(4, d, 0))
    # a shard on the GPU backend (host copy where no GPU): still the same merge
    mixed = mf.IndexShards(d)
    mixed.add_shard(mf.IndexFlatL2(d))
    mixed.add_shard(mf.IndexHNSWFlat(d, 8))
    mixed.add(_data(200, d, 5))
    assert mixed.search(_data(3, d, 6), 4)[1].max() < 200


def test_replicas_equal_one_index():
    d = 16
    xb, xq = _data(3000, d, 7), _data(101, d, 8)
    ours = mf.IndexReplicas(d)
    for _ in range(3):
        ours.add_replica(mf.IndexFlatL2(d))
    ours.add(xb)
    theirs = faiss.IndexReplicas(d)
    rs = [faiss.IndexFlatL2(d) for _ in range(3)]
    for r in rs:
        theirs.add_replica(r)
    theirs.add(xb)
    D, I = ours.search(xq, 7)
    Dt, It = theirs.search(xq, 7)
    np.testing.assert_array_equal(I, It)
    np.testing.assert_allclose(D, Dt, rtol=1e-5)
    assert ours.ntotal == len(xb) and ours.count() == 3
    with pytest.raises(ValueError, match="holds"):
        ours.add_replica(mf.IndexFlatL2(d))


def test_shards_across_cpu_and_gpu(gpu):
    d = 16
    xb, xq = _data(3000, d, 9), _data(20, d, 10)
    res = mf.StandardGpuResources()
    shards = mf.IndexShards(d)
    shards.add_shard(mf.IndexFlatL2(d))
    shards.add_shard(mf.GpuIndexFlatL2(res, d))
    shards.add(xb)
    one = faiss.IndexFlatL2(d)
    one.add(xb)
    D, I = shards.search(xq, 10)
    Dt, It = one.search(xq, 10)
    np.testing.assert_array_equal(I, It)
    np.testing.assert_allclose(D, Dt, rtol=1e-4, atol=1e-4)
    replicas = mf.IndexReplicas(d)
    replicas.add_replica(mf.IndexFlatL2(d))
    replicas.add_replica(mf.GpuIndexFlatL2(res, d))
    replicas.add(xb)
    np.testing.assert_array_equal(replicas.search(xq, 10)[1], It)


def test_remove_shard_and_replica_like_faiss():
    xb = faiss.rand((1000, 16), 5)
    for lib in (mf, faiss):
        a, b = lib.IndexFlatL2(16), lib.IndexFlatL2(16)
        shards = lib.IndexShards(16)
        shards.add_shard(a)
        shards.add_shard(b)
        shards.add(xb)
        shards.remove_shard(b)
        assert shards.ntotal == 500
        shards.remove_shard(a)
        assert shards.ntotal == 0
        c, e = lib.IndexFlatL2(16), lib.IndexFlatL2(16)
        replicas = lib.IndexReplicas(16)
        replicas.add_replica(c)
        replicas.add_replica(e)
        replicas.add(xb)
        replicas.remove_replica(e)
        assert replicas.ntotal == 1000
    with pytest.raises(mf.InvalidArgumentError, match="not a member"):
        shards = mf.IndexShards(16)
        shards.remove_shard(mf.IndexFlatL2(16))
