"""IndexIVFPQFastScan against faiss-cpu: the same results from the same
trained IndexIVFPQ (up to faiss's own order-dependence: ties cut by its
k > 20 reservoir, table entries rounded after float sums in another order),
the same files both ways, and its search parameters and errors."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf
from metalfaiss.contrib.inspect_tools import get_invlist
from conftest import ON_GPU
from test_fastscan import WIDE_BLOCKS, check_like_faiss, data


def lut_step_ivf(fi, xq):
    """An upper bound of one quantized table step per query: the largest
    table span over 255 (tables of the residuals are bounded by the
    query's own tables plus the coarse terms' spread, so use 4x)."""
    pq = fi.pq
    tab = np.zeros((len(xq), pq.M, 16), dtype=np.float32)
    pq.compute_distance_tables(len(xq), faiss.swig_ptr(xq), faiss.swig_ptr(tab))
    return 4 * (tab.max(2) - tab.min(2)).sum(1) / 255


def pair(rng, metric, residual, d=32, M=16, nlist=32, n=4000):
    xt, xb = data(rng, 5000, d), data(rng, n, d)
    fi = faiss.index_factory(d, f"IVF{nlist},PQ{M}x4np", metric)
    fi.by_residual = residual
    fi.cp.niter = 8
    fi.pq.cp.niter = 6
    fi.train(xt)
    fi.add(xb)
    mi = mf.deserialize_index(faiss.serialize_index(fi))
    return fi, mi


@pytest.mark.parametrize("metric", [faiss.METRIC_L2, faiss.METRIC_INNER_PRODUCT])
@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("bbs,implem", [(32, 0), (32, 10), pytest.param(64, 0, marks=WIDE_BLOCKS), (32, 2)])
def test_search_matches_faiss(rng, metric, residual, bbs, implem):
    fi, mi = pair(rng, metric, residual)
    ff, mm = faiss.IndexIVFPQFastScan(fi, bbs), mf.IndexIVFPQFastScan(mi, bbs)
    ff.implem = mm.implem = implem
    ff.nprobe = mm.nprobe = 6
    xq = data(rng, 200, 32)
    step = lut_step_ivf(fi, xq)
    for k in (1, 10, 50):
        Df, If = ff.search(xq, k)
        Dm, Im = mm.search(xq, k)
        check_like_faiss(Df, If, Dm, Im, step, k)
    assert (mm.bbs, mm.M2, mm.by_residual, mm.ntotal) == (ff.bbs, ff.M2, ff.by_residual, ff.ntotal)


@pytest.mark.parametrize("metric", [faiss.METRIC_L2, faiss.METRIC_INNER_PRODUCT])
def test_files_both_ways(rng, metric):
    fi, mi = pair(rng, metric, True, n=1500)
    ff, mm = faiss.IndexIVFPQFastScan(fi), mf.IndexIVFPQFastScan(mi)
    ff.implem = mm.implem = 10
    ff.qbs2 = mm.qbs2 = 3
    fb, mb = faiss.serialize_index(ff), mf.serialize_index(mm)
    np.testing.assert_array_equal(fb, mb)
    back = mf.deserialize_index(fb)
    assert isinstance(back, mf.IndexIVFPQFastScan) and (back.implem, back.qbs2, back.by_residual) == (10, 3, True)
    xq = data(rng, 30, 32)
    np.testing.assert_array_equal(back.search(xq, 5)[1], mm.search(xq, 5)[1])
    theirs = faiss.deserialize_index(mb)
    np.testing.assert_array_equal(theirs.search(xq, 5)[1], ff.search(xq, 5)[1])
    # the packed lists are faiss's, block for block
    for l in (0, 5, 17):
        np.testing.assert_array_equal(back.invlists.get_codes(l),
                                      faiss.rev_swig_ptr(ff.invlists.get_codes(l), len(back.invlists.get_codes(l))))


def test_built_from_scratch_matches_faiss(rng):
    d = 16
    x = rng.standard_normal((3000, d)).astype(np.float32)
    fq, mq = faiss.IndexFlatL2(d), mf.IndexFlatL2(d)
    fi, mi = faiss.IndexIVFPQFastScan(fq, d, 8, 4, 4), mf.IndexIVFPQFastScan(mq, d, 8, 4, 4)
    fi.train(x)
    mi.train(x)
    fi.add(x)
    mi.add(x)
    assert not mi.by_residual and mi.is_trained
    np.testing.assert_array_equal(mf.vector_to_array(mi.pq.centroids), faiss.vector_to_array(fi.pq.centroids))
    if ON_GPU:
        # the GPU flat quantizer's k-means sums in another order: its
        # centroids, hence the lists, may differ from faiss's; faiss reads
        # ours and finds what we find
        theirs = faiss.deserialize_index(mf.serialize_index(mi))
        np.testing.assert_array_equal(theirs.search(x[:20], 5)[1], mi.search(x[:20], 5)[1])
        return
    np.testing.assert_array_equal(mf.serialize_index(mi), faiss.serialize_index(fi))
    np.testing.assert_array_equal(mi.sa_encode(x[:20]), fi.sa_encode(x[:20]))


def test_adding_after_conversion_equals_converting_after(rng):
    fi, mi = pair(rng, faiss.METRIC_L2, False, n=1000)
    extra = data(rng, 500, 32)
    a = mf.IndexIVFPQFastScan(mi)
    a.add(extra)
    mi.add(extra)
    b = mf.IndexIVFPQFastScan(mi)
    xq = data(rng, 50, 32)
    a.nprobe = b.nprobe = 8
    Da, Ia = a.search(xq, 10)
    Db, Ib = b.search(xq, 10)
    np.testing.assert_array_equal(Ia, Ib)
    np.testing.assert_array_equal(Da, Db)
    ids, codes = get_invlist(a.invlists, 3)
    assert codes.shape[1:] == (8, 32) and codes.shape[0] * 32 >= len(ids)


@pytest.mark.parametrize("metric", [faiss.METRIC_L2, faiss.METRIC_INNER_PRODUCT])
def test_range_search_matches_faiss(rng, metric):
    fi, mi = pair(rng, metric, False, n=2000)
    ff, mm = faiss.IndexIVFPQFastScan(fi), mf.IndexIVFPQFastScan(mi)
    ff.nprobe = mm.nprobe = 4
    xq = data(rng, 50, 32)
    D, _ = ff.search(xq, 10)
    radius = float(np.median(D[:, -1]))
    lf, Df, If = ff.range_search(xq, radius)
    lm, Dm, Im = mm.range_search(xq, radius)
    nmiss = sum(len(set(If[lf[i]:lf[i + 1]]) ^ set(Im[lm[i]:lm[i + 1]])) for i in range(len(xq)))
    assert nmiss <= 0.01 * len(If) + 2
    common = np.intersect1d(If, Im)
    assert len(common) > 0


def test_search_parameters(rng):
    fi, mi = pair(rng, faiss.METRIC_L2, False, n=1500)
    mm = mf.IndexIVFPQFastScan(mi)
    xq = data(rng, 20, 32)
    mm.nprobe = 4
    D4, I4 = mm.search(xq, 10)
    mm.nprobe = 1
    D, I = mm.search(xq, 10, params=mf.SearchParametersIVF(nprobe=4))
    np.testing.assert_array_equal(I, I4)
    sel = mf.IDSelectorRange(0, 500)
    _, I = mm.search(xq, 10, params=mf.SearchParametersIVF(nprobe=32, sel=sel))
    assert np.all((I >= 0) & (I < 500))
    # at most two lists: fewer or the same results
    _, Icap = mm.search(xq, 10, params=mf.SearchParametersIVF(nprobe=16, max_lists_num=2))
    _, Ifull = mm.search(xq, 10, params=mf.SearchParametersIVF(nprobe=16))
    assert (Icap == -1).sum() >= (Ifull == -1).sum()
    mm.implem = 12
    with pytest.raises(mf.InvalidArgumentError, match="implem"):
        mm.search(xq, 10, params=mf.SearchParametersIVF(nprobe=4, max_codes=5))


def test_factory_and_errors(rng):
    ix = mf.index_factory(32, "IVF16,PQ8x4fs")
    assert isinstance(ix, mf.IndexIVFPQFastScan) and not ix.by_residual and ix.bbs == 32
    assert mf.reverse_index_factory(ix) == "IVF16,PQ8x4fs"
    ix = mf.index_factory(32, "IVF16,PQ8x4fsr_64")
    assert ix.by_residual and ix.bbs == 64
    assert mf.reverse_index_factory(ix) == "IVF16,PQ8x4fsr_64"
    rf = mf.index_factory(32, "IVF16,PQ8x4fs,RFlat")
    assert isinstance(rf.base_index, mf.IndexIVFPQFastScan)
    x = data(rng, 1000, 32)
    rf.train(x)
    rf.add(x)
    D, I = rf.search(x[:5], 3)
    np.testing.assert_array_equal(I[:, 0], np.arange(5))
    q = mf.IndexFlatL2(32)
    with pytest.raises(mf.InvalidArgumentError, match="nbits=8"):
        mf.IndexIVFPQFastScan(q, 32, 16, 8, 8)
    with pytest.raises(mf.InvalidArgumentError, match="must divide"):
        mf.IndexIVFPQFastScan(q, 32, 16, 5)
    ix = mf.IndexIVFPQFastScan(q, 32, 16, 8)
    with pytest.raises(mf.NotTrainedError):
        ix.search(x[:2], 3)
    ix.train(x)
    ix.add(x)
    ix.implem = 7
    with pytest.raises(mf.InvalidArgumentError, match="implem"):
        ix.search(x[:2], 3)
    with pytest.raises(mf.InvalidArgumentError):
        ix.implem = -1
    ix.implem = 0
    with pytest.raises(mf.UnsupportedOperationError):
        ix.invlists.update_entries(0, 0, 1, np.zeros(1, np.int64), np.zeros(4, np.uint8))
