"""Product and scalar quantizers, and the indexes built on them, against
faiss-cpu: same codes from the same centroids or ranges, same recall."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf
from conftest import ON_GPU, gaussian_mixture, needs_faiss

QTYPES = ["QT_8bit", "QT_4bit", "QT_8bit_uniform", "QT_4bit_uniform", "QT_fp16", "QT_8bit_direct", "QT_6bit"]


def recall(I, Iexact, k=10):
    return np.mean([len(set(a[:k]) & set(b[:k])) / k for a, b in zip(I, Iexact)])


def exact_top(xq, xb, k, metric):
    flat = faiss.IndexFlat(xb.shape[1], metric)
    flat.add(xb)
    return flat.search(xq, k)[1]


def test_pq_training_matches_faiss(rng):
    x = rng.standard_normal((3000, 16)).astype(np.float32)
    ours, theirs = mf.ProductQuantizer(16, 4, 8), faiss.ProductQuantizer(16, 4, 8)
    ours.train(x)
    theirs.train(x)
    # Same k-means, same seed: the same centroids (both libraries assign by
    # |x|^2+|c|^2-2x.c, so with much more data a rare near-tie can go the
    # other way and the runs drift; the codes test below fixes the centroids).
    np.testing.assert_array_equal(ours.centroids, faiss.vector_to_array(theirs.centroids))
    assert (ours.d, ours.M, ours.nbits, ours.dsub, ours.ksub, ours.code_size) == (16, 4, 8, 4, 256, 4)


@pytest.mark.parametrize("M,nbits", [(4, 8), (8, 4), (4, 6), (2, 10), (16, 1)])
def test_pq_codes_equal_faiss_from_the_same_centroids(rng, M, nbits):
    d = 32
    x = rng.standard_normal((max(3000, 4 << nbits), d)).astype(np.float32)
    theirs = faiss.ProductQuantizer(d, M, nbits)
    theirs.cp.niter = 4
    theirs.train(x)
    ours = mf.ProductQuantizer(d, M, nbits)
    ours.set_centroids(faiss.vector_to_array(theirs.centroids))
    assert ours.is_trained
    q = rng.standard_normal((500, d)).astype(np.float32)
    codes = ours.compute_codes(q)
    assert codes.shape == (500, theirs.code_size) and codes.dtype == np.uint8
    np.testing.assert_array_equal(codes, theirs.compute_codes(q))
    np.testing.assert_array_equal(ours.decode(codes), theirs.decode(codes))
    c = ours.centroids.reshape(M, 1 << nbits, d // M)
    np.testing.assert_array_equal(ours.get_centroids(1, 1), c[1, 1])


@pytest.mark.parametrize("qtype", QTYPES)
def test_sq_codes_equal_faiss_and_round_trip_within_a_step(rng, qtype):
    d = 12
    x = (rng.standard_normal((2000, d)) * 20 + 100).astype(np.float32)
    qt = getattr(mf.ScalarQuantizer, qtype)
    assert qt == getattr(faiss.ScalarQuantizer, qtype)
    ours, theirs = mf.ScalarQuantizer(d, qt), faiss.ScalarQuantizer(d, qt)
    ours.train(x)
    theirs.train(x)
    np.testing.assert_array_equal(ours.trained, faiss.vector_to_array(theirs.trained))
    assert ours.code_size == theirs.code_size
    codes = ours.compute_codes(x[:300])
    np.testing.assert_array_equal(codes, theirs.compute_codes(x[:300]))
    back = ours.decode(codes)
    np.testing.assert_allclose(back, theirs.decode(codes), rtol=1e-6, atol=1e-4)
    err = np.abs(back - x[:300])
    if qtype == "QT_fp16":
        assert (err <= 1e-3 * np.abs(x[:300])).all()
    elif qtype == "QT_8bit_direct":
        assert (err <= 1).all() or (x[:300] > 255).any()  # integers 0..255 only
    else:
        bits = {"QT_8bit": 8, "QT_8bit_uniform": 8, "QT_4bit": 4, "QT_4bit_uniform": 4, "QT_6bit": 6}[qtype]
        step = (x.max(0) - x.min(0)) if "uniform" not in qtype else np.full(d, x.max() - x.min())
        # Codes stand for the middle of their step: half a step away at most
        # (one step where the training range clamps).
        assert (err <= step / ((1 << bits) - 1) + 1e-4).all()


@pytest.mark.parametrize("qtype", [pytest.param(q, marks=needs_faiss("1.15", "rounds QT_fp16 codes outside the range"))
                                   if q == "QT_fp16" else q for q in QTYPES])
def test_sq_codes_equal_faiss_outside_the_range_and_on_constant_dimensions(rng, qtype):
    # d = 131 runs the 8-wide SIMD coder and its tail; dimension 3 is
    # constant in training (faiss's vdiff == 0), and the coded rows go
    # well outside the trained range on both sides.
    d = 131
    x = rng.standard_normal((1000, d)).astype(np.float32)
    x[:, 3] = 2.5
    qt = getattr(mf.ScalarQuantizer, qtype)
    ours, theirs = mf.ScalarQuantizer(d, qt), faiss.ScalarQuantizer(d, qt)
    ours.train(x)
    theirs.train(x)
    y = (rng.standard_normal((200, d)) * 3).astype(np.float32)
    y[:5] = x[:5]
    np.testing.assert_array_equal(ours.compute_codes(y), theirs.compute_codes(y))


@pytest.mark.parametrize("metric", [mf.METRIC_L2, mf.METRIC_INNER_PRODUCT])
@pytest.mark.parametrize("kind", ["PQ8x8", "PQ16x4", "SQ8", "SQ4", "SQfp16", "SQ6"])
def test_flat_code_indexes_recall_like_faiss(rng, kind, metric):
    d = 32
    xb = gaussian_mixture(rng, 8000, d, 50)
    xq = gaussian_mixture(rng, 200, d, 50)

    def make(lib):
        if kind.startswith("PQ"):
            m, b = kind[2:].split("x")
            return lib.IndexPQ(d, int(m), int(b), metric)
        qt = {"SQ8": "QT_8bit", "SQ4": "QT_4bit", "SQfp16": "QT_fp16", "SQ6": "QT_6bit"}[kind]
        return lib.IndexScalarQuantizer(d, getattr(lib.ScalarQuantizer, qt), metric)

    ours, theirs = make(mf), make(faiss)
    for ix in (ours, theirs):
        ix.train(xb)
        ix.add(xb)
    Iexact = exact_top(xq, xb, 10, metric)
    r_ours, r_theirs = recall(ours.search(xq, 10)[1], Iexact), recall(theirs.search(xq, 10)[1], Iexact)
    # Observed: equal for SQ (same codes), within 0.01 for PQ.
    assert abs(r_ours - r_theirs) <= 0.02, (r_ours, r_theirs)
    if kind.startswith("SQ"):  # same codes: the same results
        D, I = ours.search(xq, 5)
        Df, If = theirs.search(xq, 5)
        assert (I == If).mean() > 0.99
    np.testing.assert_allclose(ours.reconstruct_n(0, 10), theirs.reconstruct_n(0, 10), rtol=1e-2, atol=0.2)
    assert ours.remove_ids(np.arange(100)) == 100 and ours.ntotal == 7900


@pytest.mark.parametrize("metric", [mf.METRIC_L2, mf.METRIC_INNER_PRODUCT])
@pytest.mark.parametrize("kind", ["PQ8", "PQ16x4", "SQ8", "SQ4", "SQ8-noresidual", "SQfp16"])
def test_ivf_code_indexes_match_faiss(rng, kind, metric):
    d = 32
    xb = gaussian_mixture(rng, 10000, d, 50)
    xq = gaussian_mixture(rng, 200, d, 50)

    def make(lib):
        q = lib.IndexFlat(d, metric)
        if kind.startswith("PQ"):
            m, _, b = kind[2:].partition("x")
            return lib.IndexIVFPQ(q, d, 32, int(m), int(b or 8), metric)
        qt = {"SQ8": "QT_8bit", "SQ4": "QT_4bit", "SQfp16": "QT_fp16", "SQ8-noresidual": "QT_8bit"}[kind]
        return lib.IndexIVFScalarQuantizer(q, d, 32, getattr(lib.ScalarQuantizer, qt), metric,
                                           kind != "SQ8-noresidual")

    ours, theirs = make(mf), make(faiss)
    assert ours.by_residual == theirs.by_residual
    assert ours.code_size == theirs.code_size
    for ix in (ours, theirs):
        ix.train(xb)
        ix.add(xb)
    Iexact = exact_top(xq, xb, 10, metric)
    for nprobe in (1, 8):
        ours.nprobe = theirs.nprobe = nprobe
        r_ours, r_theirs = recall(ours.search(xq, 10)[1], Iexact), recall(theirs.search(xq, 10)[1], Iexact)
        # Observed: equal to 3 decimals (L2, same centroids and codes); the
        # spherical IP quantizer drifts a little from faiss's.
        assert abs(r_ours - r_theirs) <= 0.02, (nprobe, r_ours, r_theirs)
    if metric == mf.METRIC_L2:
        # Same coarse centroids and the same training subsample: the same
        # codes for SQ; PQ codebooks can drift where a k-means near-tie goes
        # the other way, and still give nearly the same answers.
        ours.nprobe = theirs.nprobe = 4
        same = (ours.search(xq, 10)[1] == theirs.search(xq, 10)[1]).mean()
        assert same > (0.99 if kind.startswith("SQ") else 0.9), same
    ours.make_direct_map()
    theirs.make_direct_map()
    # (On the GPU the coarse k-means can drift, and the codebooks with it.)
    np.testing.assert_allclose(ours.reconstruct(17), theirs.reconstruct(17), rtol=1e-4, atol=0.1 if ON_GPU else 1e-3)


def test_bad_input():
    with pytest.raises(mf.InvalidArgumentError, match="does not divide"):
        mf.ProductQuantizer(10, 3, 8)
    with pytest.raises(mf.InvalidArgumentError, match="nbits"):
        mf.IndexPQ(8, 2, 0)
    with pytest.raises(mf.InvalidArgumentError, match="nbits"):
        mf.IndexPQ(8, 2, 17)
    with pytest.raises(mf.InvalidArgumentError, match="does not divide"):
        mf.IndexIVFPQ(mf.IndexFlatL2(8), 8, 4, 3, 8)
    with pytest.raises(mf.InvalidArgumentError, match="quantizer type"):
        mf.IndexScalarQuantizer(8, 27)  # past faiss 1.15's last type
    with pytest.raises(mf.InvalidArgumentError, match="not supported"):
        mf.IndexPQ(8, 2, 8, mf.METRIC_L1)
    ix = mf.IndexPQ(8, 2, 8)
    x = np.ones((10, 8), dtype=np.float32)
    with pytest.raises(mf.NotTrainedError):
        ix.add(x)
    with pytest.raises(mf.NotTrainedError):
        ix.search(x, 1)
    with pytest.raises(mf.InvalidArgumentError, match="at least as many"):
        ix.train(x)  # 10 points for 256 centroids
    pq = mf.ProductQuantizer(8, 2, 4)
    with pytest.raises(mf.NotTrainedError):
        pq.compute_codes(x)
    with pytest.raises(mf.InputTypeError):
        pq.decode(np.zeros((2, 1), dtype=np.int32))
    with pytest.raises(mf.DimensionMismatchError):
        pq.decode(np.zeros((2, 3), dtype=np.uint8))
    with pytest.raises(mf.DimensionMismatchError):
        pq.set_centroids(np.zeros(5))
    ivf = mf.IndexIVFScalarQuantizer(mf.IndexFlatL2(8), 8, 4)
    assert not ivf.is_trained
    with pytest.raises(mf.NotTrainedError):
        ivf.add(x)


def test_refine_flat_reranks_like_faiss(rng):
    d = 32
    xb = gaussian_mixture(rng, 8000, d, 50)
    xq = gaussian_mixture(rng, 200, d, 50)
    Iexact = exact_top(xq, xb, 10, mf.METRIC_L2)
    base, fbase = mf.IndexPQ(d, 8, 4), faiss.IndexPQ(d, 8, 4)
    ours, theirs = mf.IndexRefineFlat(base), faiss.IndexRefineFlat(fbase)
    for ix in (ours, theirs):
        ix.train(xb)
        ix.add(xb)
    assert ours.ntotal == base.ntotal == 8000
    r_base = recall(base.search(xq, 10)[1], Iexact)
    for kf in (1, 4, 16):
        ours.k_factor = theirs.k_factor = kf
        D, I = ours.search(xq, 10)
        r_ours, r_theirs = recall(I, Iexact), recall(theirs.search(xq, 10)[1], Iexact)
        # Observed: base 0.48; refined 0.50 / 0.86 / 0.99 for both libraries.
        assert abs(r_ours - r_theirs) <= 0.02, (kf, r_ours, r_theirs)
        # Refined distances are exact.
        exact = ((xq[:, None, :].astype(np.float64) - xb[I].astype(np.float64)) ** 2).sum(-1)
        np.testing.assert_allclose(D, exact, rtol=1e-4, atol=1e-3)
    assert r_ours > r_base + 0.3
    np.testing.assert_array_equal(ours.reconstruct(5), xb[5])
    with pytest.raises(mf.InvalidArgumentError):
        ours.k_factor = 0.5
    ps = mf.ParameterSpace()
    ps.set_index_parameter(ours, "k_factor", 8)
    assert ours.k_factor == 8
    with pytest.raises(mf.InvalidArgumentError, match="must be empty"):
        mf.IndexRefineFlat(base)


def test_sq_trained_set_by_hand_and_ivf_metric_set_after_construction():
    import faiss

    xt = faiss.rand((500, 6), 1)
    a = mf.IndexScalarQuantizer(6, mf.ScalarQuantizer.QT_8bit)
    a.train(xt)
    b = mf.IndexScalarQuantizer(6, mf.ScalarQuantizer.QT_8bit)
    mf.copy_array_to_vector(mf.vector_to_array(a.sq.trained), b.sq.trained)
    assert b.is_trained
    np.testing.assert_array_equal(b.sa_encode(xt[:10]), a.sa_encode(xt[:10]))
    c = mf.IndexScalarQuantizer(6, mf.ScalarQuantizer.QT_8bit)
    c.sq.trained = a.sq.trained
    np.testing.assert_array_equal(c.sa_encode(xt[:10]), a.sa_encode(xt[:10]))
    with pytest.raises(mf.DimensionMismatchError):
        c.sq.trained = np.zeros(5, np.float32)

    ivf = mf.IndexIVFPQ(mf.IndexFlatL2(6), 6, 4, 2, 4)
    ivf.metric_type = mf.METRIC_INNER_PRODUCT
    assert ivf.metric_type == mf.METRIC_INNER_PRODUCT
    ivf.train(xt)
    ivf.add(xt)
    ivf.nprobe = 4
    D, I = ivf.search(xt[:5], 3)
    assert (np.diff(D, axis=1) <= 1e-6).all()  # similarities, best first
    with pytest.raises(mf.InvalidArgumentError, match="before adding"):
        ivf.metric_type = mf.METRIC_L2
    assert mf.check_openmp()
