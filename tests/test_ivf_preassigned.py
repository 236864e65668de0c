"""IVF search and add with assignments given (search_preassigned,
add_preassigned, contrib.ivf_tools), against faiss with the same lists."""

import faiss
import numpy as np
import pytest
from faiss.contrib import ivf_tools as faiss_ivf_tools

import metalfaiss as mf
from conftest import gaussian_mixture
from metalfaiss.contrib import ivf_tools


@pytest.fixture
def data(rng):
    return gaussian_mixture(rng, 4000, 16, 20), gaussian_mixture(rng, 30, 16, 20)


@pytest.mark.parametrize("key", ["IVF32,Flat", "IVF32,SQ8", "IVF32,PQ4np"])
def test_preassigned_with_the_quantizers_lists_equals_plain_search(data, key):
    xb, xq = data
    index = mf.index_factory(16, key)
    index.train(xb)
    index.add_preassigned(xb, index.quantizer.assign(xb, 1).ravel())
    plain = mf.index_factory(16, key)
    plain.train(xb)
    plain.add(xb)
    Dq, Iq = index.quantizer.search(xq, 5)
    D, I = ivf_tools.search_preassigned(index, xq, 10, Iq, Dq)
    plain.nprobe = 5
    Dref, Iref = plain.search(xq, 10)
    np.testing.assert_array_equal(I, Iref)
    np.testing.assert_allclose(D, Dref, rtol=1e-6)


def test_given_lists_are_used_and_match_faiss(data, rng):
    xb, xq = data
    ours = mf.index_factory(16, "IVF8,Flat")
    ours.train(xb)
    centroids = ours.quantizer.reconstruct_n(0, 8)
    theirs = faiss.IndexIVFFlat(faiss.IndexFlatL2(16), 16, 8)
    theirs.quantizer.add(centroids)
    theirs.is_trained = True
    # Lists chosen at random, not by the quantizer; some vectors left out.
    a = rng.integers(-1, 8, len(xb))
    ids = rng.permutation(len(xb)).astype(np.int64) + 1000
    ivf_tools.add_preassigned(ours, xb, a, ids)
    faiss_ivf_tools.add_preassigned(theirs, xb, a, ids)
    assert ours.ntotal == theirs.ntotal == len(xb)
    assert [ours.get_list_size(i) for i in range(8)] == [theirs.invlists.list_size(i) for i in range(8)]
    Iq = rng.integers(-1, 8, (len(xq), 3))
    ours.nprobe = theirs.nprobe = 3
    D, I = ivf_tools.search_preassigned(ours, xq, 7, Iq)
    Dref, Iref = faiss_ivf_tools.search_preassigned(theirs, xq, 7, Iq)
    np.testing.assert_array_equal(I, Iref)
    np.testing.assert_allclose(D, Dref, rtol=1e-5)
    radius = float(np.median(Dref[:, -1]))
    got = ivf_tools.range_search_preassigned(ours, xq, radius, Iq)
    ref = faiss_ivf_tools.range_search_preassigned(theirs, xq, radius, Iq)
    assert ref[0][-1] > 0
    np.testing.assert_array_equal(got[0], ref[0])
    for lo, hi in zip(ref[0][:-1], ref[0][1:]):  # the same matches, distances to rounding
        o_got, o_ref = np.argsort(got[2][lo:hi]), np.argsort(ref[2][lo:hi])
        np.testing.assert_array_equal(got[2][lo:hi][o_got], ref[2][lo:hi][o_ref])
        np.testing.assert_allclose(got[1][lo:hi][o_got], ref[1][lo:hi][o_ref], rtol=1e-5)
    in_list = dict(zip(ids.tolist(), a.tolist()))
    for row, lists in zip(I, Iq):
        assert all(in_list[i] in lists.tolist() for i in row if i >= 0)


def test_search_preassigned_through_a_pretransform_and_a_selector(data):
    xb, xq = data
    index = mf.index_factory(16, "PCA8,IVF16,Flat")
    index.train(xb)
    index.add(xb)
    ivf = index.index
    Dq, Iq = ivf.quantizer.search(index.chain[0].apply(xq), 4)
    D, I = ivf_tools.search_preassigned(index, xq, 5, Iq, Dq)
    ivf.nprobe = 4
    Dref, Iref = index.search(xq, 5)
    np.testing.assert_array_equal(I, Iref)
    sel = mf.IDSelectorRange(0, 2000)
    D, I = ivf.search_preassigned(index.chain[0].apply(xq), 5, Iq, Dq, params=mf.SearchParameters(sel=sel))
    assert ((I < 2000) & (I >= -1)).all()


def test_bad_assignments_are_refused_and_change_nothing(data):
    xb, xq = data
    index = mf.index_factory(16, "IVF8,Flat")
    index.train(xb)
    with pytest.raises(mf.InvalidArgumentError, match=r"list number 8 out of \[-1, 8\)"):
        index.add_preassigned(xb[:3], [0, 8, 1])
    with pytest.raises(mf.DimensionMismatchError, match="one row of list numbers per vector"):
        index.add_preassigned(xb[:3], [0, 1])
    assert index.ntotal == 0
    index.add(xb)
    with pytest.raises(mf.DimensionMismatchError, match="Dq has shape"):
        index.search_preassigned(xq, 3, np.zeros((len(xq), 2)), np.zeros((len(xq), 3)))
    with pytest.raises(mf.InvalidArgumentError, match="list number -2"):
        index.search_preassigned(xq, 3, np.full((len(xq), 2), -2))
    flat = mf.IndexFlatL2(16)
    with pytest.raises(mf.UnsupportedOperationError, match="search_preassigned: not supported by"):
        mf._bridge.call("IndexIVFSearchPreassigned", flat._handle, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0)


@pytest.mark.parametrize("key", ["IVF8,Flat", "IVF8,SQ8"])
def test_inverted_lists_read_like_faiss(data, key):
    from faiss.contrib import inspect_tools as faiss_inspect

    from metalfaiss.contrib import inspect_tools

    xb, _ = data
    ours = mf.index_factory(16, key)
    ours.train(xb)
    centroids = ours.quantizer.reconstruct_n(0, 8)
    theirs = faiss.index_factory(16, key)
    theirs.quantizer.add(centroids)
    theirs.train(xb)  # the quantizer is already full: only the codec trains
    ours.add(xb)
    theirs.add(xb)
    assert ours.invlists.code_size == theirs.invlists.code_size
    for list_no in range(8):
        ids, codes = inspect_tools.get_invlist(ours.invlists, list_no)
        ref_ids, ref_codes = faiss_inspect.get_invlist(theirs.invlists, list_no)
        np.testing.assert_array_equal(ids, ref_ids)
        np.testing.assert_array_equal(codes, ref_codes)
        np.testing.assert_array_equal(ours.invlists.get_ids(list_no), ids)
    with pytest.raises(mf.InvalidArgumentError, match="list 8 is outside"):
        ours.invlists.get_codes(8)


def test_binary_ivf_preassigned_matches_faiss(rng):
    """Codes added to and searched in lists chosen elsewhere (faiss's
    TestPreassigned.test_binary case): the same lists give faiss's results."""
    d, nlist = 64, 16
    xb = rng.integers(0, 256, (1500, d // 8)).astype("uint8")
    xq = rng.integers(0, 256, (25, d // 8)).astype("uint8")
    a = rng.integers(-1, nlist, 1500)
    probes = rng.integers(0, nlist, (25, 4))
    results = []
    for lib in (mf, faiss):
        index = lib.index_binary_factory(d, f"BIVF{nlist}")
        index.quantizer.add(np.zeros((nlist, d // 8), dtype="uint8"))
        index.is_trained = True
        index.nprobe = 4  # faiss's contrib wants one column per probe
        lib_tools = ivf_tools if lib is mf else faiss_ivf_tools
        lib_tools.add_preassigned(index, xb, a)
        assert index.ntotal == 1500
        D, I = lib_tools.search_preassigned(index, xq, 10, probes)
        lims, DR, IR = lib_tools.range_search_preassigned(index, xq, 27, probes)
        results.append((D, I, lims, DR, IR))
    for ours, theirs in zip(*results):
        np.testing.assert_array_equal(ours, theirs)
    with pytest.raises(mf.InvalidArgumentError, match="is_trained"):
        mf.index_binary_factory(d, "BIVF8").is_trained = True
