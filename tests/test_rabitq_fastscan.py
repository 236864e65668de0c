"""The fast-scan RaBitQ indexes against faiss-cpu 1.15: faiss's blocks
(packed sign bits, then each vector's factors) byte for byte both ways,
and the same results up to faiss's own LUT rounding."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf
from conftest import needs_faiss
from test_rabitq import METRICS, data, mostly_close

FAISS_115 = needs_faiss("1.15", "has IndexRaBitQFastScan with faiss's block layout")


def within_one_step(Dm, Df, Im, If):
    """faiss rounds a few entries of its float tables the other way (one
    entry in a few thousand, of one query in several): a vector using such
    an entry moves by one table step, which may swap neighbours. Most rows
    are faiss's exactly; the rest stay close."""
    same = np.all(np.abs(Dm - Df) <= 1e-4 * np.abs(Df) + 1e-4, axis=1)
    assert same.mean() >= 0.8
    assert (Im[same] == If[same]).all()
    np.testing.assert_allclose(Dm, Df, rtol=2e-2, atol=2e-2 * np.abs(Df).max())


@FAISS_115
@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("nb", [1, 3])
@pytest.mark.parametrize("bbs", [32, 64])
def test_flat_matches_faiss(rng, metric, nb, bbs):
    d = 60
    xt, xb, xq = data(rng, 1500, d), data(rng, 2000, d), data(rng, 30, d)
    f = faiss.IndexRaBitQFastScan(d, metric, bbs, nb)
    f.train(xt)
    f.add(xb)
    m = mf.deserialize_index(faiss.serialize_index(f))
    assert isinstance(m, mf.IndexRaBitQFastScan) and m.bbs == bbs and m.qb == 8 and m.M == 15 and m.M2 == 16
    np.testing.assert_array_equal(mf.serialize_index(m), faiss.serialize_index(f))
    np.testing.assert_array_equal(np.asarray(m.codes), faiss.vector_to_array(f.codes))
    if bbs != 32 and nb > 1:
        # faiss 1.15.1 reads the factors of multi-bit codes from the wrong
        # place in blocks wider than 32 (its results then differ from its
        # own bbs=32 index): the oracle is the bbs=32 index
        f = faiss.IndexRaBitQFastScan(d, metric, 32, nb)
        f.train(xt)
        f.add(xb)
    for qb in (8, 4, 1):
        for centered in (False, True):
            f.qb, m.qb, f.centered, m.centered = qb, qb, centered, centered
            Df, If = f.search(xq, 10)
            Dm, Im = m.search(xq, 10)
            assert (If == Im).all(axis=1).mean() >= 0.95, (qb, centered)
            mostly_close(Dm, Df)
    # one query alone: the codes are shared among the workers
    Df, If = f.search(xq[:1], 10)
    Dm, Im = m.search(xq[:1], 10)
    np.testing.assert_array_equal(Im, If)
    # built here: the same sign bits, factors up to faiss's SIMD sums
    h = mf.IndexRaBitQFastScan(d, metric, bbs, nb)
    h.train(xt)
    h.add(xb)
    Dh, Ih = h.search(xq, 10)
    f.qb, f.centered = 8, False
    Df, If = f.search(xq, 10)
    assert (Ih == If).all(axis=1).mean() >= 0.9
    back = faiss.deserialize_index(mf.serialize_index(h))
    np.testing.assert_array_equal(faiss.vector_to_array(back.codes), np.asarray(h.codes))
    if bbs == 32 or nb == 1:  # (faiss's wide multi-bit blocks, above)
        Db, Ib = back.search(xq, 10)
        assert (Ib == Ih).all(axis=1).mean() >= 0.95


@FAISS_115
@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("nb", [1, 2])
def test_ivf_matches_faiss(rng, metric, nb):
    d = 64
    xt, xb, xq = data(rng, 2000, d), data(rng, 3000, d), data(rng, 40, d)
    f = faiss.IndexIVFRaBitQFastScan(faiss.IndexFlat(d, metric), d, 16, metric, 32, True, nb)
    f.cp.niter = 5
    f.train(xt)
    f.add(xb)
    m = mf.deserialize_index(faiss.serialize_index(f))
    assert isinstance(m, mf.IndexIVFRaBitQFastScan) and m.qb == 8 and not m.centered
    np.testing.assert_array_equal(mf.serialize_index(m), faiss.serialize_index(f))
    assert m.invlists.block_size == f.invlists.block_size if hasattr(f.invlists, "block_size") else True
    for nprobe in (1, 4):
        for qb, centered in ((8, False), (4, True)):
            f.nprobe, m.nprobe, f.qb, m.qb, f.centered, m.centered = nprobe, nprobe, qb, qb, centered, centered
            Df, If = f.search(xq, 10)
            Dm, Im = m.search(xq, 10)
            within_one_step(Dm, Df, Im, If)
    # from an IndexIVFRaBitQ: the same lists, searched by fast scan
    r = mf.IndexIVFRaBitQ(mf.IndexFlat(d, metric), d, 16, metric, True, nb)
    r.train(xt)
    r.add(xb)
    fs = mf.IndexIVFRaBitQFastScan(r, 32)
    assert fs.ntotal == r.ntotal and fs.by_residual and fs.bbs == 32
    fs.nprobe = r.nprobe = 4
    r.qb = 8
    _, Ir = r.search(xq, 10)
    _, Ifs = fs.search(xq, 10)
    gt = mf.IndexFlat(d, metric)
    gt.add(xb)
    _, Igt = gt.search(xq, 10)

    def recall(I):
        return np.mean([len(set(a) & set(b)) / 10 for a, b in zip(I, Igt)])

    # the fast-scan tables round the query a second time: recall stays
    assert abs(recall(Ifs) - recall(Ir)) < 0.05
    np.testing.assert_allclose(fs.reconstruct_n(0, 10), r.reconstruct_n(0, 10))


def test_selector_factory_and_bad_input(rng):
    d = 32
    xb, xq = data(rng, 1000, d), data(rng, 10, d)
    ix = mf.index_factory(d, "IVF8,RaBitQfs2_64")
    assert isinstance(ix, mf.IndexIVFRaBitQFastScan) and ix.bbs == 64 and ix.rabitq.nb_bits == 2
    assert mf.reverse_index_factory(ix) == "IVF8,RaBitQfs2_64"
    ix.train(xb)
    ix.add(xb)
    ix.nprobe = 8
    sel = mf.IDSelectorRange(0, 300)
    _, I = ix.search(xq, 5, params=mf.SearchParametersIVF(sel=sel, nprobe=8))
    assert ((I >= 0) & (I < 300)).all()
    _, I = ix.search(xq, 5, params=mf.SearchParametersIVF(sel=mf.IDSelectorBatch(np.array([], dtype=np.int64)), nprobe=8))
    assert (I == -1).all()
    flat = mf.index_factory(d, "RaBitQfs")
    assert isinstance(flat, mf.IndexRaBitQFastScan) and mf.reverse_index_factory(flat) == "RaBitQfs"
    with pytest.raises(mf.NotTrainedError):
        flat.search(xq, 3)
    flat.train(xb)
    flat.add(xb)
    with pytest.raises(mf.UnsupportedOperationError, match="parameters"):
        flat.search(xq, 3, params=mf.SearchParameters(sel=sel))
    flat.qb = 0
    with pytest.raises(mf.InvalidArgumentError, match="qb"):
        flat.search(xq, 3)
    for bad in (lambda: mf.IndexRaBitQFastScan(0), lambda: mf.IndexRaBitQFastScan(d, mf.METRIC_L2, 48),
                lambda: mf.IndexRaBitQFastScan(d, mf.METRIC_L2, 32, 10), lambda: mf.IndexRaBitQFastScan(d, mf.METRIC_L1)):
        with pytest.raises(mf.InvalidArgumentError):
            bad()
    # codes edited in place are repacked before the next search
    n = flat.ntotal
    flat.qb = 8
    _, before = flat.search(xb[:5], 1)
    assert flat.remove_ids(mf.IDSelectorRange(0, 3)) == 3 and flat.ntotal == n - 3
    _, after = flat.search(xb[:5], 1)
    assert (after[3:, 0] == before[3:, 0] - 3).all()
