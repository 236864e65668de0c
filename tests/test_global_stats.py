"""faiss.cvar: the IVF and HNSW search statistics against faiss-cpu's,
and the BLAS knobs scripts set and restore."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf


def _ivf_pair(key, x):
    pair = []
    for lib in (mf, faiss):
        index = lib.index_factory(x.shape[1], key)
        index.train(x)
        index.add(x)
        index.nprobe = 4
        pair.append(index)
    return pair


@pytest.mark.parametrize("key", ["IVF32,Flat", "IVF32,SQ8"])
def test_ivf_stats_count_what_faiss_counts(key):
    x = faiss.rand((3000, 16), 5)
    ours, theirs = _ivf_pair(key, x)
    for lib, index in ((mf, ours), (faiss, theirs)):
        lib.cvar.indexIVF_stats.reset()
        index.search(x[:200], 5)
        index.range_search(x[:50], 0.2)
    a, b = mf.cvar.indexIVF_stats, faiss.cvar.indexIVF_stats
    assert (a.nq, a.nlist, a.ndis) == (b.nq, b.nlist, b.ndis) and a.ndis > 0
    assert a.search_time >= a.quantization_time >= 0
    a.reset()
    assert (a.nq, a.nlist, a.ndis) == (0, 0, 0)


def test_ivf_stats_leave_out_what_a_selector_skips():
    x = faiss.rand((3000, 16), 6)
    ours, _ = _ivf_pair("IVF32,Flat", x)
    stats = mf.cvar.indexIVF_stats
    stats.reset()
    ours.search(x[:100], 5)
    full = stats.ndis
    stats.reset()
    ours.search(x[:100], 5, params=mf.SearchParametersIVF(sel=mf.IDSelectorRange(0, 1500), nprobe=4))
    assert 0 < stats.ndis < full
    binary = mf.IndexBinaryIVF(mf.IndexBinaryFlat(64), 64, 8)
    codes = np.random.default_rng(1).integers(0, 256, (500, 8), dtype=np.uint8)
    binary.train(codes)
    binary.add(codes)
    stats.reset()
    binary.search(codes[:10], 3)
    assert stats.nq == 10 and 0 < stats.ndis <= 500 * 10


def test_hnsw_stats_count_level_zero_distances():
    x = faiss.rand((2000, 16), 7)
    index = mf.IndexHNSWFlat(16, 16)
    index.add(x)
    stats = mf.cvar.hnsw_stats
    stats.reset()
    index.search(x[:50], 1)
    assert stats.n1 == 50
    assert stats.ndis > 50 * index.hnsw.efSearch
    assert stats.nhops > 0


def test_blas_knobs_are_kept_and_checked():
    saved = mf.cvar.distance_compute_blas_threshold
    mf.cvar.distance_compute_blas_threshold = 1
    assert mf.cvar.distance_compute_blas_threshold == 1
    mf.cvar.distance_compute_blas_threshold = saved
    with pytest.raises(ValueError):
        mf.cvar.distance_compute_blas_query_bs = -4
    with pytest.raises(AttributeError):
        mf.cvar.indexIVF_stats = None
    with pytest.raises(AttributeError):
        mf.cvar.no_such_variable
