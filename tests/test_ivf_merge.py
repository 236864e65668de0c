"""IVF merging and splitting (merge_from, copy_subset_to, merge_into),
shard sets made without d, and IVFlib's searches with statistics, against
faiss-cpu."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf

XT, XB, XQ = faiss.rand((3000, 16), 1), faiss.rand((1500, 16), 2), faiss.rand((40, 16), 3)


def inspect_tools(lib):
    if lib is mf:
        from metalfaiss.contrib import inspect_tools as tools
    else:
        from faiss.contrib import inspect_tools as tools
    return tools


def _trained(lib, key="IVF20,Flat"):
    index = lib.index_factory(16, key)
    index.train(XT)
    return index


@pytest.mark.parametrize("subset_type", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("key", ["IVF20,Flat", "IVF20,PQ4np"])
def test_copy_subset_to_copies_what_faiss_copies(key, subset_type):
    a1, a2 = {0: (200, 900), 1: (3, 1), 2: (300, 1000), 3: (3, 2), 4: (5, 12)}[subset_type]
    results = []
    for lib in (mf, faiss):
        src = _trained(lib, key)
        dst = lib.deserialize_index(lib.serialize_index(src)) if lib is mf else faiss.clone_index(src)
        src.add(XB)
        src.copy_subset_to(dst, subset_type, a1, a2)
        assert src.ntotal == 1500
        results.append([np.sort(inspect_tools(lib).get_invlist(dst.invlists, l)[0]) for l in range(20)])
    for ours, theirs in zip(*results):
        np.testing.assert_array_equal(ours, theirs)


def test_split_and_merge_back_gives_the_same_search():
    index = _trained(mf)
    parts = [mf.deserialize_index(mf.serialize_index(index)) for _ in range(3)]
    index.add(XB)
    index.nprobe = 5
    Dref, Iref = index.search(XQ, 10)
    for i, part in enumerate(parts):
        index.copy_subset_to(part, 0, 500 * i, 500 * (i + 1))
    shards = mf.IndexShards(False, False)  # faiss's form without d
    for part in parts:
        part.nprobe = 5
        shards.add_shard(part)
    assert shards.d == 16
    D, I = shards.search(XQ, 10)
    np.testing.assert_array_equal(I, Iref)
    whole = parts[0]
    for part in parts[1:]:
        whole.merge_from(part)
        assert part.ntotal == 0
    D, I = whole.search(XQ, 10)
    np.testing.assert_array_equal(I, Iref)
    np.testing.assert_array_equal(D, Dref)


def test_merge_into_shifts_ids_and_refuses_mismatches():
    a, b = _trained(mf), _trained(mf)
    b = mf.deserialize_index(mf.serialize_index(a))
    a.add(XB[:700])
    b.add(XB[700:])
    mf.merge_into(a, b, True)
    assert a.ntotal == 1500 and b.ntotal == 0
    a.nprobe = 20
    assert a.search(XB[800:801], 1)[1][0, 0] == 800
    with pytest.raises(ValueError, match="nlist"):
        a.merge_from(_trained(mf, "IVF10,Flat"))
    with pytest.raises(ValueError, match="cannot merge"):
        a.merge_from(_trained(mf, "IVF20,SQ8"))
    with pytest.raises(ValueError, match="itself"):
        a.merge_from(a)
    a.make_direct_map()
    with pytest.raises(mf.UnsupportedOperationError, match="direct map"):
        mf.check_compatible_for_merge(a, mf.deserialize_index(mf.serialize_index(b)))
    assert a.ntotal == 1500


def test_search_with_parameters_reports_faiss_statistics():
    results = []
    for lib in (mf, faiss):
        index = _trained(lib, "IVF20,SQ8")
        index.add(XB)
        index.nprobe = 1
        params = lib.IVFSearchParameters()
        params.nprobe = 3
        D, I, stats = lib.search_with_parameters(index, XQ, 5, params, output_stats=True)
        lims, RD, RI, rstats = lib.range_search_with_parameters(index, XQ, 0.3, params, output_stats=True)
        results.append((I, stats["ndis"], lims, rstats["ndis"]))
    (I, ndis, lims, rndis), (It, ndis_t, lims_t, rndis_t) = results
    np.testing.assert_array_equal(I, It)
    assert ndis == ndis_t and rndis == rndis_t
    np.testing.assert_array_equal(lims, lims_t)


def test_search_and_return_centroids_names_the_lists():
    index = _trained(mf)
    index.add(XB)
    index.nprobe = 4
    D, I = np.zeros((40, 3), np.float32), np.zeros((40, 3), np.int64)
    qc, rc = np.zeros(40, np.int64), np.zeros((40, 3), np.int64)
    mf.search_and_return_centroids(index, 40, mf.swig_ptr(XQ), 3, mf.swig_ptr(D), mf.swig_ptr(I), mf.swig_ptr(qc),
                                   mf.swig_ptr(rc))
    np.testing.assert_array_equal(qc, index.quantizer.assign(XQ, 1).ravel())
    for q in range(40):
        for j in range(3):
            assert I[q, j] in index.invlists.get_ids(int(rc[q, j]))
    centroid = np.zeros(40, np.int64)
    mf.search_centroid(index, mf.swig_ptr(XQ), 40, mf.swig_ptr(centroid))
    np.testing.assert_array_equal(centroid, qc)
