"""4-bit fast-scan PQ against faiss-cpu: the same packed codes from the
same quantizer, the same results up to faiss's own order-dependence (LUT
rounding of float tables summed in another order, and the tie order of
its k > 20 reservoir), files both ways."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf
from conftest import needs_faiss

# faiss-cpu 1.13 aborts the process in fast-scan searches with blocks of
# more than 32 vectors; 1.15 does not
WIDE_BLOCKS = needs_faiss("1.15", "searches fast-scan blocks of more than 32 vectors")


def data(rng, n, d):
    centres = rng.standard_normal((20, d)).astype(np.float32) * 3
    return (centres[rng.integers(0, 20, n)] + rng.standard_normal((n, d))).astype(np.float32)


def pair(rng, d, M, metric, bbs, n=3000):
    """A faiss and a metalfaiss IndexPQFastScan over the same trained
    quantizer (faiss's, copied through its file) and the same vectors."""
    xt, xb = data(rng, 4000, d), data(rng, n, d)
    fpq = faiss.IndexPQ(d, M, 4, metric)
    fpq.pq.cp.niter = 6
    fpq.train(xt)
    fpq.add(xb)
    mpq = mf.deserialize_index(faiss.serialize_index(fpq))
    return faiss.IndexPQFastScan(fpq, bbs), mf.IndexPQFastScan(mpq, bbs), fpq, mpq


def lut_step(fpq, xq, metric):
    """Per query, the distance one quantized table step stands for (1/a)."""
    M = fpq.pq.M
    tab = np.zeros((len(xq), M, 16), dtype=np.float32)
    if metric == faiss.METRIC_L2:
        fpq.pq.compute_distance_tables(len(xq), faiss.swig_ptr(xq), faiss.swig_ptr(tab))
    else:
        fpq.pq.compute_inner_prod_tables(len(xq), faiss.swig_ptr(xq), faiss.swig_ptr(tab))
    return (tab.max(2) - tab.min(2)).max(1) / 255


def check_like_faiss(Df, If, Dm, Im, step, k, gt=None):
    # A table entry that rounds the other way moves a distance by one step
    # and may swap neighbours; where nothing rounds differently, the ids
    # are faiss's: all of them for k <= 20 (its heap, whose tie order we
    # follow), those strictly before the last distance for k > 20 (its
    # reservoir keeps any of the ties there).
    assert np.all(np.abs(Df - Dm) <= 1.01 * step[:, None] + 1e-5 * np.abs(Df))
    same = np.all(np.abs(Df - Dm) <= 1e-5 * np.abs(Df) + 1e-6, axis=1)
    assert same.mean() >= 0.8
    for i in np.where(same)[0]:
        if k <= 20:
            np.testing.assert_array_equal(If[i], Im[i])
        else:
            inside = Df[i] != Df[i, -1]
            assert set(If[i][inside]) == set(Im[i][inside])
    if gt is not None and k <= 20:
        def recall(I):
            return np.mean([len(set(a) & set(b)) / k for a, b in zip(I, gt[:, :k])])
        assert abs(recall(If) - recall(Im)) <= 0.005


@pytest.mark.parametrize("metric", [faiss.METRIC_L2, faiss.METRIC_INNER_PRODUCT])
@pytest.mark.parametrize("d,M,bbs", [(32, 8, 32), pytest.param(32, 16, 64, marks=WIDE_BLOCKS), (30, 15, 32),
                                     pytest.param(64, 32, 96, marks=WIDE_BLOCKS)])
def test_codes_and_search_match_faiss(rng, metric, d, M, bbs):
    fi, mi, fpq, mpq = pair(rng, d, M, metric, bbs)
    np.testing.assert_array_equal(mf.vector_to_array(mi.codes), faiss.vector_to_array(fi.codes))
    assert (mi.M, mi.M2, mi.bbs, mi.ntotal, mi.ntotal2, mi.code_size) == \
        (fi.M, fi.M2, fi.bbs, fi.ntotal, fi.ntotal2, fi.code_size)
    xq = data(rng, 200, d)
    step = lut_step(fpq, xq, metric)
    flat = faiss.IndexFlat(d, metric)
    flat.add(fpq.reconstruct_n(0, fpq.ntotal))
    gt = flat.search(xq, 50)[1]
    for k in (1, 10, 50):
        Df, If = fi.search(xq, k)
        Dm, Im = mi.search(xq, k)
        check_like_faiss(Df, If, Dm, Im, step, k, gt)
    # one query at a time (the codes split over the workers for L2)
    Df, If = fi.search(xq[:3], 10)
    Dm, Im = np.vstack([mi.search(xq[i:i + 1], 10)[0] for i in range(3)]), \
        np.vstack([mi.search(xq[i:i + 1], 10)[1] for i in range(3)])
    check_like_faiss(Df, If, Dm, Im, step[:3], 10)
    # reconstruction decodes the same codes
    np.testing.assert_array_equal(mi.reconstruct_n(0, 50), fpq.reconstruct_n(0, 50))


@pytest.mark.parametrize("implem", [2, 3, 4, 12, 13, 14, 15])
def test_implems_agree_with_faiss(rng, implem):
    fi, mi, fpq, mpq = pair(rng, 32, 16, faiss.METRIC_L2, 32, n=1000)
    xq = data(rng, 50, 32)
    fi.implem = mi.implem = implem
    Df, If = fi.search(xq, 10)
    Dm, Im = mi.search(xq, 10)
    if implem == 2:  # float tables: IndexPQ's own search
        Dp, Ip = mpq.search(xq, 10)
        np.testing.assert_array_equal(Im, Ip)
        np.testing.assert_array_equal(Dm, Dp)
        np.testing.assert_allclose(Dm, Df, rtol=1e-5)
        return
    if implem == 3:  # rounded tables, integer sums
        np.testing.assert_array_equal(Dm, np.round(Dm))
        assert np.abs(Dm - Df).max() <= 16
        return
    check_like_faiss(Df, If, Dm, Im, lut_step(fpq, xq, faiss.METRIC_L2), 10)


def test_training_and_adding_match_faiss(rng):
    d, M = 16, 4
    # more than 16 * 256 points: every sub-space's k-means subsamples
    x = rng.standard_normal((6000, d)).astype(np.float32)
    fi, mi = faiss.IndexPQFastScan(d, M, 4), mf.IndexPQFastScan(d, M, 4)
    fi.train(x)
    mi.train(x)
    # the same k-means with the same seed (see test_pq_sq for its limits)
    np.testing.assert_array_equal(mf.vector_to_array(mi.pq.centroids), faiss.vector_to_array(fi.pq.centroids))
    fi.add(x[:1234])
    mi.add(x[:1234])
    fi.add(x[1234:])
    mi.add(x[1234:])
    np.testing.assert_array_equal(mf.vector_to_array(mi.codes), faiss.vector_to_array(fi.codes))
    np.testing.assert_array_equal(mi.sa_encode(x[:10]), fi.sa_encode(x[:10]))


@WIDE_BLOCKS
@pytest.mark.parametrize("metric", [faiss.METRIC_L2, faiss.METRIC_INNER_PRODUCT])
def test_files_both_ways(rng, metric):
    fi, mi, _, _ = pair(rng, 32, 16, metric, 64, n=777)
    fi.implem, fi.qbs = 14, 2
    mi.implem, mi.qbs = 14, 2
    fb, mb = faiss.serialize_index(fi), mf.serialize_index(mi)
    np.testing.assert_array_equal(fb, mb)
    back = mf.deserialize_index(fb)
    assert isinstance(back, mf.IndexPQFastScan) and (back.implem, back.qbs, back.bbs) == (14, 2, 64)
    xq = data(rng, 20, 32)
    np.testing.assert_array_equal(back.search(xq, 5)[1], mi.search(xq, 5)[1])
    theirs = faiss.deserialize_index(mb)
    np.testing.assert_array_equal(theirs.search(xq, 5)[1], fi.search(xq, 5)[1])


def test_edits_match_faiss(rng):
    fi, mi, _, _ = pair(rng, 32, 8, faiss.METRIC_L2, 32, n=500)
    sel = np.arange(0, 500, 3, dtype=np.int64)
    assert mi.remove_ids(sel) == fi.remove_ids(sel)
    np.testing.assert_array_equal(mf.vector_to_array(mi.codes), faiss.vector_to_array(fi.codes))
    packer = mi.get_CodePacker()
    codes = mf.vector_to_array(mi.codes)
    assert (packer.nvec, packer.code_size, packer.block_size) == (32, 4, 128)
    code = packer.unpack_1(codes, 40)
    np.testing.assert_array_equal(code, mi.sa_encode(mi.reconstruct(40)[None])[0])
    packer.pack_1(np.zeros(4, np.uint8), 40, codes)
    np.testing.assert_array_equal(packer.unpack_1(codes, 40), np.zeros(4, np.uint8))
    xq = data(rng, 10, 32)
    D, I = mi.search(xq, 5, params=mf.SearchParameters(sel=mf.IDSelectorRange(100, 120)))
    assert np.all((I >= 100) & (I < 120))


def test_factory_strings():
    for s, bbs in [("PQ16x4fs", 32), ("PQ16x4fs_64", 64)]:
        ix = mf.index_factory(32, s)
        assert isinstance(ix, mf.IndexPQFastScan) and ix.bbs == bbs and ix.M == 16
        assert mf.reverse_index_factory(ix) == s
    rf = mf.index_factory(32, "PQ16x4fs,RFlat")
    assert isinstance(rf.base_index, mf.IndexPQFastScan)
    with pytest.raises(mf.InvalidArgumentError):
        mf.index_factory(32, "PQ16x4fsr")


def test_bad_input_raises_clear_errors(rng):
    with pytest.raises(mf.InvalidArgumentError, match="nbits=8"):
        mf.IndexPQFastScan(32, 8, 8)
    with pytest.raises(mf.InvalidArgumentError, match="M=5 must divide d=32"):
        mf.IndexPQFastScan(32, 5, 4)
    with pytest.raises(mf.InvalidArgumentError, match="bbs"):
        mf.IndexPQFastScan(32, 8, 4, mf.METRIC_L2, 48)
    ix = mf.IndexPQFastScan(32, 8, 4)
    x = data(rng, 500, 32)
    with pytest.raises(mf.NotTrainedError):
        ix.search(x[:2], 3)
    with pytest.raises(mf.NotTrainedError):
        ix.add(x)
    ix.train(x)
    ix.add(x)
    ix.implem = 7
    with pytest.raises(mf.InvalidArgumentError, match="implem"):
        ix.search(x[:2], 3)
    ix.implem = 0
    with pytest.raises(mf.InvalidArgumentError, match="qbs"):
        ix.qbs = -1
    with pytest.raises(mf.DimensionMismatchError):
        ix.search(x[:2, :16], 3)
    assert ix.ntotal == 500 and ix.qbs == 0
