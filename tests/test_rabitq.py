"""RaBitQ against faiss-cpu 1.15: the same codes (sign and magnitude bits
identical, float factors up to the order faiss's SIMD sums take), the same
search results through faiss's two-stage filter and query quantization,
files byte for byte both ways, and clear errors."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf
from conftest import ON_GPU, needs_faiss

# faiss 1.15 brought multi-bit codes, the error factor and the files that
# carry nb_bits (Python 3.9's faiss-cpu 1.13 lays codes out otherwise)
FAISS_115 = needs_faiss("1.15", "lays out multi-bit RaBitQ codes as metalfaiss does")

METRICS = [faiss.METRIC_L2, faiss.METRIC_INNER_PRODUCT]


def data(rng, n, d):
    centres = rng.standard_normal((10, d)).astype(np.float32) * 2
    return (centres[rng.integers(0, 10, n)] + rng.standard_normal((n, d))).astype(np.float32)


def split(code, d, nb):
    """(sign bits, magnitude codes, float factors) of (n, code_size) codes."""
    sb = (d + 7) // 8
    if nb == 1:
        return code[:, :sb], np.zeros((len(code), d), dtype=np.int64), code[:, sb:].copy().view(np.float32)
    ex = (d * (nb - 1) + 7) // 8
    bits = np.unpackbits(code[:, sb + 12:sb + 12 + ex], axis=1, bitorder="little")[:, :d * (nb - 1)]
    mags = (bits.reshape(len(code), d, nb - 1).astype(np.int64) << np.arange(nb - 1)).sum(2)
    floats = np.hstack([code[:, sb:sb + 12], code[:, sb + 12 + ex:]]).copy().view(np.float32)
    return code[:, :sb], mags, floats


def mostly_close(got, want):
    """Distances equal up to float sums in another order, except the few
    whose codes sit a magnitude level apart (see test_codes_match_faiss)."""
    tol = 1e-4 * np.abs(want).max()
    np.testing.assert_allclose(got, want, rtol=1e-2, atol=tol)
    assert np.mean(np.abs(got - want) <= 1e-4 * np.abs(want) + tol) >= 0.98


def flat_pair(rng, d, metric, nb, n=1500):
    xt, xb = data(rng, 1000, d), data(rng, n, d)
    f, m = faiss.IndexRaBitQ(d, metric, nb), mf.IndexRaBitQ(d, metric, nb)
    for ix in (f, m):
        ix.train(xt)
        ix.add(xb)
    return f, m


@FAISS_115
@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("nb", [1, 2, 5, 9])
@pytest.mark.parametrize("d", [64, 37])
def test_codes_match_faiss(rng, metric, nb, d):
    f, m = flat_pair(rng, d, metric, nb)
    assert m.code_size == f.code_size == mf.RaBitQuantizer.compute_code_size(d, nb)
    np.testing.assert_array_equal(m.center, faiss.vector_to_array(f.center))
    cf = faiss.vector_to_array(f.codes).reshape(-1, f.code_size)
    cm = np.asarray(m.codes).reshape(-1, m.code_size)
    sf, mf_, ff = split(cf, d, nb)
    sm, mm, fm = split(cm, d, nb)
    np.testing.assert_array_equal(sm, sf)
    # A magnitude is floor(t |r_j| / |r|): faiss's SIMD norm rounds |r| in
    # another order, which moves a value on a level boundary by one level,
    # or (rarely) the scale t the search picks (with 8 extra bits, about
    # one dimension in 300 differs).
    off = mm != mf_
    assert off.mean() <= 0.01 and np.abs(mm - mf_)[off].max(initial=0) <= 2
    # the factors of those codes follow them; the others' are faiss's up to
    # rounding
    same = ~off.any(axis=1)
    np.testing.assert_allclose(fm[same], ff[same], rtol=2e-5, atol=1e-5)
    np.testing.assert_allclose(fm, ff, rtol=2e-2, atol=1e-5)


@FAISS_115
@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("nb", [1, 3, 8])
def test_search_matches_faiss(rng, metric, nb):
    d = 48
    f, m = flat_pair(rng, d, metric, nb)
    xq = data(rng, 40, d)
    for qb in (0, 1, 4, 8):
        for centered in (False, True):
            Df, If = f.search(xq, 10, params=faiss.RaBitQSearchParameters(qb=qb, centered=centered))
            Dm, Im = m.search(xq, 10, params=mf.RaBitQSearchParameters(qb=qb, centered=centered))
            # the one-bit estimates are integer popcounts scaled alike; only
            # the float sums of the multi-bit estimate round another way
            assert (If == Im).all(axis=1).mean() >= 0.95, (qb, centered)
            mostly_close(Dm, Df)
    # the index's own qb and centered are the defaults of a plain search
    m.qb, f.qb = 2, 2
    m.centered, f.centered = True, True
    Df, If = f.search(xq, 5)
    Dm, Im = m.search(xq, 5)
    assert (If == Im).mean() >= 0.95


@FAISS_115
@pytest.mark.parametrize("metric", METRICS)
def test_decode_and_distance_computer_match_faiss(rng, metric):
    d = 40
    f, m = flat_pair(rng, d, metric, 3, n=300)
    np.testing.assert_allclose(m.reconstruct_n(0, 50), f.reconstruct_n(0, 50), rtol=1e-6, atol=1e-6)
    codes = m.sa_encode(data(rng, 20, d))
    np.testing.assert_allclose(m.sa_decode(codes), f.sa_decode(codes), rtol=1e-6, atol=1e-6)
    xq = data(rng, 1, d)
    m.qb = f.qb = 8
    dcf, dcm = f.get_distance_computer(), m.get_distance_computer()
    dcf.set_query(faiss.swig_ptr(xq[0]))
    dcm.set_query(xq[0])
    want = np.array([dcf(j) for j in range(50)])
    got = np.array([dcm(j) for j in range(50)])
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4 * np.abs(want).max())
    if metric == faiss.METRIC_L2:
        assert abs(dcm.symmetric_dis(3, 7) - dcf.symmetric_dis(3, 7)) <= 1e-4 * abs(dcf.symmetric_dis(3, 7))


@FAISS_115
@pytest.mark.parametrize("metric", METRICS)
def test_range_search_matches_faiss(rng, metric):
    d = 32
    f, m = flat_pair(rng, d, metric, 2, n=800)
    xq = data(rng, 10, d)
    D, _ = f.search(xq, 20)
    radius = float(np.median(D[:, -1]))
    lf, Df, If = f.range_search(xq, radius)
    lm, Dm, Im = m.range_search(xq, radius)
    np.testing.assert_array_equal(lm, lf)
    np.testing.assert_array_equal(Im, If)
    np.testing.assert_allclose(Dm, Df, rtol=1e-4, atol=1e-4)


@FAISS_115
@pytest.mark.parametrize("nb", [1, 4])
def test_flat_files_both_ways(rng, nb):
    f, m = flat_pair(rng, 24, faiss.METRIC_L2, nb, n=200)
    fb = faiss.serialize_index(f)
    back = mf.deserialize_index(fb)
    assert isinstance(back, mf.IndexRaBitQ) and back.rabitq.nb_bits == nb and back.qb == f.qb
    np.testing.assert_array_equal(mf.serialize_index(back), fb)
    xq = data(rng, 10, 24)
    Df, If = faiss.deserialize_index(mf.serialize_index(m)).search(xq, 5)
    Dm, Im = m.search(xq, 5)
    np.testing.assert_array_equal(If, Im)
    np.testing.assert_allclose(Dm, Df, rtol=1e-4, atol=1e-4)


def ivf_pair(rng, d, metric, nb, nlist=16):
    """A faiss IndexIVFRaBitQ and metalfaiss's copy of it (read from its
    file), both holding the same lists."""
    xt, xb = data(rng, 2000, d), data(rng, 3000, d)
    f = faiss.IndexIVFRaBitQ(faiss.IndexFlat(d, metric), d, nlist, metric, True, nb)
    f.cp.niter = 5
    f.train(xt)
    f.add(xb)
    return f, mf.deserialize_index(faiss.serialize_index(f))


@FAISS_115
@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("nb", [1, 4])
def test_ivf_matches_faiss(rng, metric, nb):
    d = 64
    f, m = ivf_pair(rng, d, metric, nb)
    np.testing.assert_array_equal(mf.serialize_index(m), faiss.serialize_index(f))
    xq = data(rng, 50, d)
    for nprobe in (1, 5):
        for qb in (0, 4, 8):
            for centered in (False, True):
                Df, If = f.search(xq, 10, params=faiss.IVFRaBitQSearchParameters(nprobe=nprobe, qb=qb, centered=centered))
                Dm, Im = m.search(xq, 10, params=mf.IVFRaBitQSearchParameters(nprobe=nprobe, qb=qb, centered=centered))
                assert (If == Im).all(axis=1).mean() >= 0.95, (nprobe, qb, centered)
                mostly_close(Dm, Df)
    m.nprobe = f.nprobe = 3
    m.qb = f.qb = 0
    lf, Df, If = f.range_search(xq[:5], float(np.median(f.search(xq[:5], 20)[0])))
    lm, Dm, Im = m.range_search(xq[:5], float(np.median(f.search(xq[:5], 20)[0])))
    np.testing.assert_array_equal(lm, lf)
    np.testing.assert_array_equal(Im, If)
    np.testing.assert_allclose(m.reconstruct_n(0, 20), f.reconstruct_n(0, 20), rtol=1e-5, atol=1e-5)


@FAISS_115
@pytest.mark.parametrize("metric", METRICS)
def test_ivf_built_here_reads_in_faiss(rng, metric):
    d, nb = 32, 3
    xt, xb, xq = data(rng, 2000, d), data(rng, 2000, d), data(rng, 20, d)
    m = mf.index_factory(d, "IVF16,RaBitQ3", metric)
    assert isinstance(m, mf.IndexIVFRaBitQ) and m.rabitq.nb_bits == nb and m.by_residual
    m.train(xt)
    m.add(xb)
    f = faiss.deserialize_index(mf.serialize_index(m))
    m.nprobe = f.nprobe = 4
    Df, If = f.search(xq, 8)
    Dm, Im = m.search(xq, 8)
    assert (If == Im).all(axis=1).mean() >= 0.95
    mostly_close(Dm, Df)
    if not ON_GPU:
        # the same quantizer from the same training: faiss codes the vectors
        # into the same lists, byte for byte up to its SIMD norm sums
        f2 = faiss.IndexIVFRaBitQ(faiss.IndexFlat(d, metric), d, 16, metric, True, nb)
        f2.train(xt)
        f2.add(xb)
        Df2, If2 = f2.search(xq, 8, params=faiss.IVFRaBitQSearchParameters(nprobe=4))
        assert (If2 == Im).all(axis=1).mean() >= 0.9


def test_selector_and_recall(rng):
    d = 32
    xb, xq = data(rng, 2000, d), data(rng, 30, d)
    ix = mf.IndexRaBitQ(d, mf.METRIC_L2, 4)
    ix.train(xb)
    ix.add(xb)
    sel = mf.IDSelectorRange(100, 600)
    _, I = ix.search(xq, 5, params=mf.RaBitQSearchParameters(qb=8, sel=sel))
    assert ((I >= 100) & (I < 600)).all()
    # four bits per dimension find most true neighbours
    gt = mf.IndexFlatL2(d)
    gt.add(xb)
    _, Igt = gt.search(xq, 10)
    _, I = ix.search(xq, 10)
    assert np.mean([len(set(a) & set(b)) / 10 for a, b in zip(I, Igt)]) > 0.8


def test_quantizer_round_trip():
    # +-A vectors are the codes' own reconstruction
    rng = np.random.default_rng(5)
    x = ((2 * rng.integers(0, 2, (10, 16)) - 1) * 100).astype(np.float32)
    for metric in METRICS:
        q = mf.RaBitQuantizer(16, metric)
        np.testing.assert_array_equal(q.decode(q.compute_codes(x)), x)
    q = mf.RaBitQuantizer(16, mf.METRIC_L2, 3)
    q.centroid = np.full(16, 1.0, dtype=np.float32)
    assert q.centroid.shape == (16,) and q.code_size == mf.RaBitQuantizer.compute_code_size(16, 3)
    np.testing.assert_allclose(q.decode(q.compute_codes(x + 1)), x + 1, rtol=1e-6)


@FAISS_115
def test_pq_shared_training(rng):
    x = data(rng, 3000, 32)
    f, m = faiss.ProductQuantizer(32, 8, 4), mf.ProductQuantizer(32, 8, 4)
    f.train_type = faiss.ProductQuantizer.Train_shared
    m.train_type = mf.ProductQuantizer.Train_shared
    assert m.train_type == 2
    f.train(x)
    m.train(x)
    cf = faiss.vector_to_array(f.centroids).reshape(8, 16, 4)
    cm = np.asarray(m.centroids).reshape(8, 16, 4)
    assert all((cm[i] == cm[0]).all() for i in range(8))
    np.testing.assert_allclose(cm, cf, rtol=1e-3, atol=1e-3)


def test_bad_input(rng):
    for nb in (0, 10):
        with pytest.raises(mf.InvalidArgumentError, match="nb_bits"):
            mf.IndexRaBitQ(16, mf.METRIC_L2, nb)
        with pytest.raises(mf.InvalidArgumentError, match="nb_bits"):
            mf.IndexIVFRaBitQ(mf.IndexFlatL2(16), 16, 4, mf.METRIC_L2, True, nb)
    with pytest.raises(mf.InvalidArgumentError, match="metric"):
        mf.IndexRaBitQ(16, mf.METRIC_L1)
    ix = mf.IndexRaBitQ(16)
    x = data(rng, 50, 16)
    with pytest.raises(mf.NotTrainedError):
        ix.search(x, 3)
    with pytest.raises(mf.NotTrainedError):
        ix.add(x)
    ix.train(x)
    ix.add(x)
    with pytest.raises(mf.InvalidArgumentError, match="qb"):
        ix.search(x, 3, params=mf.RaBitQSearchParameters(qb=9))
    with pytest.raises(mf.InvalidArgumentError, match="qb"):
        ix.qb = 9
    assert ix.qb == 4 and ix.ntotal == 50
    with pytest.raises(mf.DimensionMismatchError):
        ix.search(data(rng, 2, 8), 3)
    ivf = mf.index_factory(16, "IVF4,RaBitQ2")
    ivf.train(x)
    with pytest.raises(mf.InvalidArgumentError, match="centroid"):
        ivf.by_residual = False
    with pytest.raises(mf.InvalidArgumentError, match="qb"):
        ivf.search(x, 2, params=mf.IVFRaBitQSearchParameters(qb=-1))
    with pytest.raises(mf.UnsupportedOperationError):
        mf.ProductQuantizer(16, 4, 4).train_type = 3


def test_factory_strings():
    for s, cls, nb in [("RaBitQ", mf.IndexRaBitQ, 1), ("RaBitQ4", mf.IndexRaBitQ, 4),
                       ("IVF8,RaBitQ", mf.IndexIVFRaBitQ, 1), ("IVF8,RaBitQ9", mf.IndexIVFRaBitQ, 9)]:
        ix = mf.index_factory(32, s)
        assert isinstance(ix, cls) and ix.rabitq.nb_bits == nb
        assert mf.reverse_index_factory(ix) == s
    with pytest.raises(mf.InvalidArgumentError):
        mf.index_factory(32, "RaBitQ10")
