"""ScalarQuantizer's bf16 and signed-direct types against faiss-cpu (codes
byte for byte), Clustering.train_encoded, and the bit-string writer and
reader."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf


@pytest.mark.parametrize("qtype,factory", [(7, "SQbf16"), (8, "SQ8_direct_signed")])
@pytest.mark.parametrize("metric", [mf.METRIC_L2, mf.METRIC_INNER_PRODUCT])
def test_untrained_sq_types_equal_faiss(qtype, factory, metric):
    rs = np.random.RandomState(qtype)
    d = 13
    if qtype == 8:
        x = rs.randint(-128, 128, size=(300, d)).astype("float32")
        x[0, :4] = [-3.7, 200, -128.4, 127.9]  # truncation and the low byte, as faiss casts
    else:
        x = rs.normal(size=(300, d)).astype("float32") * 100
        x[0, :3] = [1.00390625, -3.7, 1e-40]  # a tie, and a denormal
    ours = mf.ScalarQuantizer(d, getattr(mf.ScalarQuantizer, "QT_bf16" if qtype == 7 else "QT_8bit_direct_signed"))
    theirs = faiss.ScalarQuantizer(d, qtype)
    assert ours.qtype == qtype and ours.code_size == theirs.code_size and ours.is_trained
    codes = ours.compute_codes(x)
    np.testing.assert_array_equal(codes, theirs.compute_codes(x))
    np.testing.assert_array_equal(ours.decode(codes), theirs.decode(codes))
    assert ours.trained.size == 0

    index, ref = mf.index_factory(d, factory, metric), faiss.index_factory(d, factory, metric)
    for ix in index, ref:
        ix.add(x)
    D, I = index.search(x[:20], 5)
    Dt, It = ref.search(x[:20], 5)
    np.testing.assert_allclose(D, Dt, rtol=1e-5, atol=1e-3)
    assert (I == It).mean() > 0.95
    back = faiss.deserialize_index(mf.serialize_index(index))
    np.testing.assert_array_equal(back.sa_encode(x), index.sa_encode(x))


def test_train_encoded_equals_train_on_decoded():
    rs = np.random.RandomState(0)
    xt = rs.normal(size=(1000, 32)).astype("float32")
    codec = mf.IndexScalarQuantizer(32, mf.ScalarQuantizer.QT_4bit)
    codec.train(xt)
    codes = codec.sa_encode(xt)
    ref = mf.Clustering(32, 5)
    ref.niter = 3
    ref.train(codec.sa_decode(codes), mf.IndexFlatL2(32))
    clus = mf.Clustering(32, 5)
    clus.niter = 3
    clus.decode_block_size = 120
    clus.train_encoded(codes, codec, mf.IndexFlatL2(32))
    np.testing.assert_array_equal(ref.centroids, clus.centroids)
    with pytest.raises(TypeError, match="train_encoded"):
        clus.train_encoded(codes, object(), mf.IndexFlatL2(32))


def test_bitstrings_round_trip_and_match_faiss():
    rs = np.random.RandomState(1234)
    ctrl, size = [], 0
    while True:
        nbit = int(1 + 62 * rs.rand() ** 4)
        if size + nbit > 800:
            break
        ctrl.append((nbit, int(rs.randint(1 << nbit, dtype="int64"))))
        size += nbit
    ours, theirs = np.ones(100, np.uint8), np.ones(100, np.uint8)  # the writers zero them first
    w, wt = mf.BitstringWriter(mf.swig_ptr(ours), 100), faiss.BitstringWriter(faiss.swig_ptr(theirs), 100)
    for nbit, x in ctrl:
        w.write(x, nbit)
        wt.write(x, nbit)
    np.testing.assert_array_equal(ours, theirs)
    r = mf.BitstringReader(mf.swig_ptr(ours), 100)
    assert [r.read(nbit) for nbit, _ in ctrl] == [x for _, x in ctrl]
    with pytest.raises(mf.InvalidArgumentError, match="pass the end"):
        r.read(64)
    with pytest.raises(mf.InvalidArgumentError, match="0..64"):
        w.write(1, 65)
    with pytest.raises(mf.InputTypeError):
        mf.BitstringWriter(mf.swig_ptr(np.zeros(4, np.float32)), 4)


def test_clustering1d_exact_beats_kmeans_and_faiss():
    rs = np.random.RandomState(123)
    for n, k in (20, 20), (1000, 20), (1000, 256):
        x = rs.uniform(size=(n, 1)).astype("float32")
        objs = []
        for lib in mf, faiss:
            clus = lib.Clustering1D(k)
            clus.train_exact(x)
            c = lib.vector_to_array(clus.centroids).reshape(-1, 1)
            index = faiss.IndexFlatL2(1)
            index.add(c)
            objs.append(float(index.search(x, 1)[0].astype(np.float64).sum()))
        km = mf.Kmeans(1, k, seed=1)
        km.train(x)
        index = faiss.IndexFlatL2(1)
        index.add(km.centroids)
        # (the L2 expansion leaves ~1e-8 of rounding where every point is a centroid)
        assert objs[0] <= float(index.search(x, 1)[0].astype(np.float64).sum()) * (1 + 1e-6) + 1e-6
        assert objs[0] <= objs[1] * (1 + 1e-4) + 1e-7  # optimal: never worse than faiss's
    with pytest.raises(mf.InvalidArgumentError, match="k=5"):
        mf.Clustering1D(5).train_exact(np.zeros((3, 1), np.float32))


def test_smawk_equals_argmin():
    i, j = np.meshgrid(np.arange(12), np.arange(17), indexing="ij")
    rs = np.random.RandomState(3)
    A = (rs.randint(4, size=(12, 1)) + rs.randint(4, size=(1, 17)) + (j - i - 2) ** 2).astype(np.float32)
    argmins = np.zeros(12, dtype=np.int64)
    mf.smawk(12, 17, mf.swig_ptr(A), mf.swig_ptr(argmins))
    np.testing.assert_array_equal(argmins, np.argmin(A, axis=1))
    with pytest.raises(mf.InvalidArgumentError):
        mf.smawk(13, 17, mf.swig_ptr(A), mf.swig_ptr(argmins))
