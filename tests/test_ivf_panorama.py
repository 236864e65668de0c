"""IndexIVFFlatPanorama against faiss-cpu and IndexIVFFlat: the same
neighbours (L2 and inner product, uneven levels, filters, range searches,
updates), faiss's files (IwP2 with "ilp2" lists) both ways byte for byte,
the factory strings, the dimension statistics, and what it refuses."""

import numpy as np
import pytest

import metalfaiss as mf
from conftest import needs_faiss

faiss = pytest.importorskip("faiss")
panorama_oracle = needs_faiss("1.15", "faiss's Panorama indexes came with 1.15")


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(43)
    return (rng.random((4000, 65), dtype=np.float32), rng.random((3000, 65), dtype=np.float32),
            rng.random((50, 65), dtype=np.float32))


def twins(xt, metric, levels, batch=1024, nlist=32):
    d = xt.shape[1]
    flat = mf.IndexIVFFlat(mf.IndexFlat(d, metric), d, nlist, metric)
    pan = mf.IndexIVFFlatPanorama(mf.IndexFlat(d, metric), d, nlist, levels, metric, True, batch)
    for ix in (flat, pan):
        ix.train(xt)
        ix.nprobe = 8
    return flat, pan


@pytest.mark.parametrize("metric", [mf.METRIC_L2, mf.METRIC_INNER_PRODUCT])
@pytest.mark.parametrize("levels,batch", [(1, 1024), (4, 64), (7, 16), (65, 1024)])
def test_same_neighbours_as_ivf_flat(data, metric, levels, batch):
    xt, xb, xq = data
    flat, pan = twins(xt, metric, levels, batch)
    for ix in (flat, pan):
        ix.add(xb[:1000])
        ix.add(xb[1000:])
    Dp, Ip = pan.search(xq, 10)
    Df, If = flat.search(xq, 10)
    np.testing.assert_allclose(Dp, Df, rtol=1e-5, atol=1e-4)
    assert (Ip == If).mean() > 0.999  # ids may differ only between tied distances
    params = mf.SearchParametersIVF(sel=mf.IDSelectorRange(100, 900), nprobe=16)
    Ip = pan.search(xq, 10, params=params)[1]
    np.testing.assert_array_equal(Ip, flat.search(xq, 10, params=params)[1])
    assert np.all((Ip >= 100) & (Ip < 900))
    radius = float(np.median(Df[:, 5]))
    lp, dp, ip = pan.range_search(xq, radius)
    lf, df, i_f = flat.range_search(xq, radius)
    np.testing.assert_array_equal(lp, lf)
    np.testing.assert_array_equal(ip, i_f)
    np.testing.assert_allclose(dp, df, rtol=1e-5, atol=1e-4)
    pan.make_direct_map()
    np.testing.assert_array_equal(pan.reconstruct_n(2990, 10), xb[2990:])
    new = np.random.default_rng(1).random((3, 65), dtype=np.float32)
    flat.make_direct_map()
    for ix in (flat, pan):
        ix.update_vectors(np.array([5, 500, 2999], dtype=np.int64), new)
    np.testing.assert_array_equal(pan.search(new, 3)[1], flat.search(new, 3)[1])
    assert pan.search(new, 1)[1].ravel().tolist() == [5, 500, 2999]


@panorama_oracle
@pytest.mark.parametrize("metric", [faiss.METRIC_L2, faiss.METRIC_INNER_PRODUCT])
def test_same_results_as_faiss(data, metric):
    xt, xb, xq = data
    theirs = faiss.IndexIVFFlatPanorama(faiss.IndexFlat(65, metric), 65, 32, 5, metric)
    theirs.train(xt)
    ours = mf.deserialize_index(faiss.serialize_index(theirs))  # the same centroids
    assert type(ours) is mf.IndexIVFFlatPanorama and ours.n_levels == 5 and ours.batch_size == 1024
    for ix in (theirs, ours):
        ix.add(xb)
        ix.nprobe = 6
    Dt, It = theirs.search(xq, 12)
    Do, Io = ours.search(xq, 12)
    np.testing.assert_allclose(Do, Dt, rtol=1e-5, atol=1e-4)
    assert (Io == It).mean() > 0.999
    faiss.cvar.indexPanorama_stats.reset()
    mf.cvar.indexPanorama_stats.reset()
    theirs.search(xq, 12)
    ours.search(xq, 12)
    # the same bound; faiss refreshes its threshold once a batch, we once a vector
    assert mf.cvar.indexPanorama_stats.ratio_dims_scanned <= faiss.cvar.indexPanorama_stats.ratio_dims_scanned + 1e-3
    radius = float(np.median(Dt[:, 3]))
    lt, dt, i_t = theirs.range_search(xq, radius)
    lo, do, io = ours.range_search(xq, radius)
    np.testing.assert_array_equal(lo, lt)
    np.testing.assert_array_equal(io, i_t)


@panorama_oracle
@pytest.mark.parametrize("metric", [faiss.METRIC_L2, faiss.METRIC_INNER_PRODUCT])
@pytest.mark.parametrize("batch", [1024, 16])
def test_files_both_ways(data, metric, batch):
    xt, xb, _ = data
    theirs = faiss.IndexIVFFlatPanorama(faiss.IndexFlat(65, metric), 65, 16, 4, metric, True, batch)
    theirs.train(xt)
    theirs.add(xb[:700])
    blob = faiss.serialize_index(theirs)
    ours = mf.deserialize_index(blob)
    np.testing.assert_array_equal(mf.serialize_index(ours), blob)
    ours.reset()
    theirs.reset()
    ours.add(xb[:300])
    theirs.add(xb[:300])
    np.testing.assert_array_equal(mf.serialize_index(ours), faiss.serialize_index(theirs))
    back = faiss.deserialize_index(mf.serialize_index(ours))
    np.testing.assert_array_equal(back.search(xb[:5], 3)[1], ours.search(xb[:5], 3)[1])


def test_factory_strings():
    ix = mf.index_factory(16, "IVF8,FlatPanorama")
    assert type(ix) is mf.IndexIVFFlatPanorama and (ix.n_levels, ix.batch_size) == (8, 1024)
    ix = mf.index_factory(16, "IVF8,FlatPanorama4_256", mf.METRIC_INNER_PRODUCT)
    assert (ix.n_levels, ix.batch_size, ix.metric_type) == (4, 256, mf.METRIC_INNER_PRODUCT)
    assert mf.reverse_index_factory(ix) == "IVF8,FlatPanorama4_256"
    assert mf.reverse_index_factory(mf.index_factory(16, "IVF8,FlatPanorama2")) == "IVF8,FlatPanorama2"
    with pytest.raises(ValueError, match="n_levels must be in 1..d=16, got 0"):
        mf.index_factory(16, "IVF8,FlatPanorama0")
    with pytest.raises(ValueError, match="FlatPanorama4"):
        mf.index_factory(16, "FlatPanorama4")  # not an index of its own in faiss either


def test_dimension_statistics():
    # every vector [1]*d but the last, [0]*d, and a query of zeros: once the
    # first is kept, the others are dropped after their first level
    d, n = 64, 20000
    xb = np.ones((n, d), dtype=np.float32)
    xb[-1] = 0
    for levels in (1, 2, 4, 8):
        ix = mf.IndexIVFFlatPanorama(mf.IndexFlatL2(d), d, 1, levels)
        ix.train(xb[:100])
        ix.add(xb)
        mf.cvar.indexPanorama_stats.reset()
        D, I = ix.search(np.zeros((1, d), dtype=np.float32), 1)
        assert I[0, 0] == n - 1 and D[0, 0] == 0
        assert abs(mf.cvar.indexPanorama_stats.ratio_dims_scanned - 1 / levels) < 1e-3


def test_refusals(data):
    xt, xb, _ = data
    with pytest.raises(mf.InvalidArgumentError, match="METRIC_L2 and METRIC_INNER_PRODUCT"):
        mf.IndexIVFFlatPanorama(mf.IndexFlat(65, mf.METRIC_L1), 65, 4, 2, mf.METRIC_L1)
    for levels in (0, -1, 66):
        with pytest.raises(mf.InvalidArgumentError, match="n_levels must be in 1..d=65"):
            mf.IndexIVFFlatPanorama(mf.IndexFlatL2(65), 65, 4, levels)
    with pytest.raises(mf.InvalidArgumentError, match="batch_size"):
        mf.IndexIVFFlatPanorama(mf.IndexFlatL2(65), 65, 4, 2, mf.METRIC_L2, True, 0)
    a, b = twins(xt, mf.METRIC_L2, 4, nlist=8)
    b.add(xb[:100])
    with pytest.raises(mf.InvalidArgumentError, match="cannot merge"):
        a.merge_from(b, 0)
    assert b.ntotal == 100 and a.ntotal == 0
    with pytest.raises(AttributeError):
        b.n_levels = 3
    with pytest.raises(mf.DimensionMismatchError):
        b.add(xb[:3, :10])
    assert b.ntotal == 100
