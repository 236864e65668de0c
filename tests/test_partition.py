"""faiss's partitioning and histogram helpers, against faiss-cpu on the same
inputs: the kept values are the q best (the q picked inside [q_min, q_max]
may differ where ties allow either), ids travel with their values, and the
histograms equal faiss's bins."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf

CASES = [  # n, q or (q_min, q_max), maxval (None: uniform floats)
    (160, 80, None), (160, 80, 16), (165, 155, 16), (32, 10, 500), (160, (70, 80), 500), (160, (70, 80), None),
]


def _run(lib, name, vals, ids, q):
    sp = lib.swig_ptr
    if isinstance(q, int):
        thresh = getattr(lib, name)(sp(vals), sp(ids), vals.size, q, q, None)
        return q, thresh
    q_out = np.array([-1], dtype=np.int64).view(np.uint64)
    thresh = getattr(lib, name)(sp(vals), sp(ids), vals.size, q[0], q[1], sp(q_out))
    return int(q_out[0]), thresh


@pytest.mark.parametrize("dtype", ["float", "uint16"])
@pytest.mark.parametrize("kind", ["CMax", "CMin"])
@pytest.mark.parametrize("n,q,maxval", CASES)
def test_partition_keeps_the_best_values_like_faiss(dtype, kind, n, q, maxval):
    rs = np.random.RandomState(n + (maxval or 0))
    np_dtype = np.float32 if dtype == "float" else np.uint16
    if maxval is None:
        vals = (rs.rand(n) * 60000).astype(np_dtype)
    else:
        vals = rs.randint(maxval, size=n).astype(np_dtype)
    ids = (rs.permutation(n) + 12345).astype(np.int64)
    name = f"{kind}_{dtype}_partition_fuzzy"
    results = []
    for lib in (mf, faiss):
        v, i = vals.copy(), ids.copy()
        if dtype == "uint16":  # faiss's uint16 form takes an AlignedTable's pointer
            tab = lib.AlignedTableUint16()
            lib.copy_array_to_AlignedTable(v, tab)
            qq, thresh = _run_table(lib, name, tab, i, q)
            v = lib.AlignedTable_to_array(tab)
        else:
            qq, thresh = _run(lib, name, v, i, q)
        results.append((qq, thresh, v, i))
    (q_ours, t_ours, v_ours, i_ours), (q_faiss, t_faiss, v_faiss, _) = results
    lo, hi = (q, q) if isinstance(q, int) else q
    assert lo <= q_ours <= hi
    best = np.sort(vals)[::-1] if kind == "CMin" else np.sort(vals)
    np.testing.assert_array_equal(np.sort(v_ours[:q_ours]), np.sort(best[:q_ours]))
    by_id = dict(zip(ids.tolist(), vals.tolist()))
    assert [by_id[j] for j in i_ours.tolist()] == v_ours.tolist(), "ids travel with their values"
    assert sorted(i_ours.tolist()) == sorted(ids.tolist())
    assert t_ours == best[q_ours - 1]
    if q_ours == q_faiss:
        np.testing.assert_array_equal(np.sort(v_ours[:q_ours]), np.sort(v_faiss[:q_ours]))
        # faiss's threshold is any value between the kept and the rest (where
        # its bisection stopped), so only its side is compared
        kept_side = v_ours[:q_ours] <= t_faiss if kind == "CMax" else v_ours[:q_ours] >= t_faiss
        assert kept_side.all()


def _run_table(lib, name, tab, ids, q):
    if isinstance(q, int):
        return q, getattr(lib, name)(tab.get(), lib.swig_ptr(ids), tab.size(), q, q, None)
    q_out = np.array([-1], dtype=np.int64).view(np.uint64)
    thresh = getattr(lib, name)(tab.get(), lib.swig_ptr(ids), tab.size(), q[0], q[1], lib.swig_ptr(q_out))
    return int(q_out[0]), thresh


@pytest.mark.parametrize("nbin", [8, 16])
@pytest.mark.parametrize("n,minv,shift,span", [(123, 0, -1, None), (10000, 500, 2, (400, 600)),
                                                (1000, 500, 12, (10, 65500)), (10000, 300, 5, (100, 20000))])
def test_histograms_equal_faiss(nbin, n, minv, shift, span):
    rs = np.random.RandomState(n)
    lo, hi = span or (0, nbin)
    tab = rs.randint(lo, hi, size=n).astype(np.uint16)
    hists = []
    for lib in (mf, faiss):
        t = lib.AlignedTableUint16()
        lib.copy_array_to_AlignedTable(tab, t)
        hist = np.zeros(nbin, np.int32)
        getattr(lib, f"simd_histogram_{nbin}")(t.get(), n, minv, shift, lib.swig_ptr(hist))
        hists.append(hist)
    np.testing.assert_array_equal(hists[0], hists[1])
    assert hists[0].sum() > 0


def test_bad_partition_arguments_raise():
    vals = np.arange(10, dtype=np.float32)
    ids = np.arange(10, dtype=np.int64)
    sp = mf.swig_ptr
    with pytest.raises(mf.InvalidArgumentError, match="CMax_float_partition_fuzzy"):
        mf.CMax_float_partition_fuzzy(sp(vals), sp(ids), 11, 3, 3, None)  # past the array
    with pytest.raises(mf.InputTypeError, match="float32"):
        mf.CMax_float_partition_fuzzy(sp(ids), sp(ids), 10, 3, 3, None)
    with pytest.raises(mf.InvalidArgumentError, match="q_out"):
        mf.CMax_float_partition_fuzzy(sp(vals), sp(ids), 10, 3, 5, None)
    with pytest.raises(mf.InvalidArgumentError, match="q_min"):
        mf.CMax_float_partition_fuzzy(sp(vals), sp(ids), 10, 5, 3, sp(np.zeros(1, np.uint64)))
    with pytest.raises(mf.InvalidArgumentError, match="hist"):
        mf.simd_histogram_16(mf.AlignedTableUint16(4).get(), 4, 0, -1, sp(np.zeros(8, np.int32)))
    np.testing.assert_array_equal(vals, np.arange(10, dtype=np.float32))


def test_aligned_table_resizes_and_copies():
    t = mf.AlignedTableUint8(3)
    assert t.size() == 3 and t.itemsize() == 1
    mf.copy_array_to_AlignedTable(np.array([1, 2, 3, 4], np.uint8), t)
    t.resize(6)
    np.testing.assert_array_equal(mf.AlignedTable_to_array(t), [1, 2, 3, 4, 0, 0])
    with pytest.raises(mf.InvalidArgumentError):
        t.resize(-1)
