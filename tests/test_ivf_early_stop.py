"""SearchParametersIVF's early-stop fields (max_codes, ensure_topk_full,
max_lists_num, max_empty_result_buckets) and quantizer_params, the
statistics they leave, check_ids_sorted, PARALLEL_MODE_NO_HEAP_INIT and
ParameterSpace's efSearch / quantizer_*, against faiss-cpu."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf

D = 32
XT, XB, XQ = faiss.rand((3000, D), 61), faiss.rand((2000, D), 62), faiss.rand((30, D), 63)


def _ivf(lib, key="IVF32,Flat"):
    index = lib.index_factory(D, key)
    index.train(XT)
    index.add(XB)
    return index


def test_max_codes_bounds_the_scanned_codes_like_faiss():
    ours, theirs = _ivf(mf), _ivf(faiss)
    for budget in (50, 200, 700):
        for lib, index in ((mf, ours), (faiss, theirs)):
            lib.cvar.indexIVF_stats.reset()
            p = lib.SearchParametersIVF(nprobe=8, max_codes=budget)
            D_, I_ = index.search(XQ, 10, params=p)
            assert lib.cvar.indexIVF_stats.ndis <= budget * len(XQ)
            if lib is mf:
                ours_I = I_
            else:
                np.testing.assert_array_equal(ours_I, I_)


def test_ensure_topk_full_and_max_lists_num():
    ours = _ivf(mf)
    p = mf.SearchParametersIVF(nprobe=32, max_codes=5)
    _, tight = ours.search(XQ, 10, params=p)
    p.ensure_topk_full = True
    _, full = ours.search(XQ, 10, params=p)
    assert (tight == -1).sum() > 0 and (full == -1).sum() == 0
    sel = mf.IDSelectorBatch(np.arange(0, 2000, 10))
    p = mf.SearchParametersIVF(nprobe=32, max_codes=5, ensure_topk_full=True, sel=sel)
    _, I = ours.search(XQ, 10, params=p)
    assert (I >= 0).all() and (I % 10 == 0).all()
    mf.cvar.indexIVF_stats.reset()
    ours.search(XQ, 10, params=mf.SearchParametersIVF(nprobe=16, max_lists_num=3))
    assert mf.cvar.indexIVF_stats.nlist <= 3 * len(XQ)
    ref = ours.search(XQ, 10, params=mf.SearchParametersIVF(nprobe=3))[1]
    np.testing.assert_array_equal(ours.search(XQ, 10, params=mf.SearchParametersIVF(nprobe=16, max_lists_num=3))[1], ref)


def test_range_search_stops_after_empty_lists():
    ours = _ivf(mf)
    full = ours.range_search(XQ, 4.0, params=mf.SearchParametersIVF(nprobe=32))
    early = ours.range_search(XQ, 4.0, params=mf.SearchParametersIVF(nprobe=32, max_empty_result_buckets=1))
    relaxed = ours.range_search(XQ, 4.0, params=mf.SearchParametersIVF(nprobe=32, max_empty_result_buckets=3))
    assert (np.diff(early[0]) <= np.diff(relaxed[0])).all() and (np.diff(relaxed[0]) <= np.diff(full[0])).all()
    assert (np.diff(early[0]) < np.diff(full[0])).any()
    for q in range(len(XQ)):
        assert set(early[2][early[0][q]:early[0][q + 1]]) <= set(full[2][full[0][q]:full[0][q + 1]])
    ours.parallel_mode = 1
    with pytest.raises(mf.UnsupportedOperationError, match="parallel_mode"):
        ours.range_search(XQ, 4.0, params=mf.SearchParametersIVF(nprobe=4, max_empty_result_buckets=2))
    with pytest.raises(mf.InvalidArgumentError, match=">= 0"):
        mf.SearchParametersIVF(max_codes=-1)


def test_quantizer_params_and_parameter_space_reach_an_hnsw_quantizer():
    results = []
    for lib in (mf, faiss):
        index = _ivf(lib, "IVF64_HNSW,Flat")
        p = lib.SearchParametersIVF(nprobe=6, quantizer_params=lib.SearchParametersHNSW(efSearch=8))
        with_params = index.search(XQ, 5, params=p)[1]
        lib.ParameterSpace().set_index_parameters(index, "nprobe=6,quantizer_efSearch=8")
        results.append((with_params, index.search(XQ, 5)[1]))
    np.testing.assert_array_equal(results[0][0], results[0][1])
    assert (results[0][0] == results[1][0]).mean() > 0.95


def test_check_ids_sorted_and_search_into_existing_results():
    for lib in (mf, faiss):
        index = lib.index_factory(D, "IVF16,Flat")
        if not hasattr(index, "check_ids_sorted"):
            continue  # older faiss
        index.train(XT)
        index.add_with_ids(XB[:100], np.arange(100, dtype=np.int64))
        assert index.check_ids_sorted()
        index.add_with_ids(XB[100:110], np.arange(10, dtype=np.int64))
        assert not index.check_ids_sorted()
    index = _ivf(mf)
    index.nprobe = 8
    Dref, Iref = index.search(XQ, 10)
    Dq, Iq = index.quantizer.search(XQ, 8)
    rh = mf.ResultHeap(len(XQ), 10)
    index.parallel_mode |= index.PARALLEL_MODE_NO_HEAP_INIT
    for half in (Iq[:, :4], Iq[:, 4:]):  # the lists in two passes, merged into rh
        index.search_preassigned(XQ, 10, np.ascontiguousarray(half), D=rh.D, I=rh.I)
    rh.finalize()
    np.testing.assert_array_equal(rh.I, Iref)
