"""Inverted lists edited entry by entry (add_entries, update_entries,
resize), ArrayInvertedLists and the slice / stack views given to an index
with replace_invlists, and ivflib's get/set_invlist_range, against
faiss-cpu doing the same edits."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf

D = 16
XT, XB, XQ = faiss.rand((2000, D), 11), faiss.rand((800, D), 12), faiss.rand((30, D), 13)


def _pair(key="IVF10,Flat"):
    """The same trained, filled index in metalfaiss and faiss."""
    out = []
    for lib in (mf, faiss):
        index = lib.index_factory(D, key)
        index.train(XT)
        index.add(XB)
        index.nprobe = 4
        out.append(index)
    return out


def _ids_and_codes(lib, index, l):
    il = index.invlists
    n = il.list_size(l)
    if lib is mf:
        return il.get_ids(l), il.get_codes(l)
    return (faiss.rev_swig_ptr(il.get_ids(l), n).copy(), faiss.rev_swig_ptr(il.get_codes(l), n * il.code_size).copy())


@pytest.mark.parametrize("key", ["IVF10,Flat", "IVF10,PQ4np", "IVF10,SQ8"])
def test_entry_edits_search_like_faiss(key):
    indexes = _pair(key)
    for lib, index in zip((mf, faiss), indexes):
        il = index.invlists
        ids, codes = _ids_and_codes(lib, index, 3)
        # copy list 3's entries to list 5 under new ids, overwrite two, cut list 7
        off = il.add_entries(5, len(ids), lib.swig_ptr(ids + 10000), lib.swig_ptr(codes))
        assert off == _ids_and_codes(lib, index, 5)[0].shape[0] - len(ids)
        il.update_entries(5, off, 2, lib.swig_ptr(np.array([-7, -8], dtype=np.int64)), lib.swig_ptr(codes))
        il.resize(7, 3)
        if lib is faiss:  # faiss leaves ntotal to the caller
            index.ntotal = sum(il.list_size(l) for l in range(il.nlist))
    ours, theirs = indexes
    assert ours.ntotal == theirs.ntotal
    for l in range(10):
        for a, b in zip(_ids_and_codes(mf, ours, l), _ids_and_codes(faiss, theirs, l)):
            np.testing.assert_array_equal(a, b)
    Do, Io = ours.search(XQ, 10)
    Df, If = theirs.search(XQ, 10)
    np.testing.assert_array_equal(Io, If)
    np.testing.assert_allclose(Do, Df, rtol=1e-5, atol=1e-5)


def test_array_invlists_and_views_replace_an_index_lists():
    ours, theirs = _pair()
    results = []
    for lib, index in ((mf, ours), (faiss, theirs)):
        il = index.invlists
        arr = lib.ArrayInvertedLists(10, il.code_size)
        for l in range(10):
            ids, codes = _ids_and_codes(lib, index, l)
            arr.add_entries(9 - l, len(ids), lib.swig_ptr(ids), lib.swig_ptr(codes))
        slices = [lib.SliceInvertedLists(arr, 0, 5), lib.SliceInvertedLists(arr, 5, 10)]
        ilv = lib.InvertedListsPtrVector()
        for part in slices:
            ilv.push_back(part)
        stack = lib.VStackInvertedLists(ilv.size(), ilv.data())
        # lists reversed: reverse the quantizer's centroids alike
        q = lib.IndexFlatL2(D)
        q.add(index.quantizer.reconstruct_n(0, 10)[::-1].copy())
        other = lib.IndexIVFFlat(q, D, 10)
        other.replace_invlists(stack, False)
        other.ntotal = index.ntotal
        other.nprobe = 4
        results.append(other.search(XQ, 10)[1])
        if lib is faiss:
            results.append(index.search(XQ, 10)[1])
            # faiss's index refers to the stack: point it elsewhere before the stack goes
            other.replace_invlists(faiss.ArrayInvertedLists(10, il.code_size), False)
    np.testing.assert_array_equal(results[0], results[1])
    np.testing.assert_array_equal(results[0], results[2])


def test_invlist_ranges_round_trip():
    ours, theirs = _pair()
    for lib, index in ((mf, ours), (faiss, theirs)):
        part = lib.get_invlist_range(index, 2, 6)
        assert part.nlist == 4 and part.list_size(0) == index.invlists.list_size(2)
        empty = lib.ArrayInvertedLists(4, index.invlists.code_size)
        lib.set_invlist_range(index, 2, 6, empty)
        if lib is faiss:
            index.ntotal = sum(index.invlists.list_size(l) for l in range(10))
        assert index.ntotal < 800
        lib.set_invlist_range(index, 2, 6, part)
        if lib is faiss:
            index.ntotal = 800
    assert ours.ntotal == 800
    np.testing.assert_array_equal(ours.search(XQ, 10)[1], theirs.search(XQ, 10)[1])


def test_bad_list_edits_raise_and_change_nothing():
    index, _ = _pair()
    il = index.invlists
    ids, codes = il.get_ids(0), il.get_codes(0)
    before = [il.list_size(l) for l in range(10)]
    with pytest.raises(mf.InvalidArgumentError, match="list 10"):
        il.add_entries(10, 1, ids, codes)
    with pytest.raises(mf.InvalidArgumentError, match="code must hold"):
        il.add_entries(1, 2, ids[:2], codes[:10])
    with pytest.raises(mf.InvalidArgumentError, match="outside list"):
        il.update_entries(1, il.list_size(1), 1, ids, codes)
    with pytest.raises(mf.InvalidArgumentError, match="new size"):
        il.resize(1, -1)
    with pytest.raises(mf.UnsupportedOperationError, match="read-only"):
        mf.SliceInvertedLists(il, 0, 2).add_entries(0, 1, ids, codes)
    with pytest.raises(mf.DimensionMismatchError, match="code_size"):
        index.replace_invlists(mf.ArrayInvertedLists(10, 8))
    assert [il.list_size(l) for l in range(10)] == before and index.ntotal == 800


def test_array_invlists_grow_one_entry_at_a_time():
    arr = mf.ArrayInvertedLists(2, 4)
    for i in range(100):
        assert arr.add_entry(i % 2, i, np.full(4, i, np.uint8)) == i // 2
    assert arr.list_size(0) == 50
    np.testing.assert_array_equal(arr.get_ids(1), np.arange(1, 100, 2))
    np.testing.assert_array_equal(arr.get_single_code(1, 3), [7, 7, 7, 7])
    arr.resize(1, 52)
    assert arr.get_single_id(1, 51) == -1


@pytest.mark.parametrize("key", ["IVF10,Flat", "IVF10,SQ8", "IVF10,PQ4np"])
@pytest.mark.parametrize("view", ["StopWordsInvertedLists", "CappedInvertedLists"])
def test_stop_words_and_capped_views_search_like_faiss(key, view):
    """A view of the index's own lists limits its searches, sees later adds
    to them, and goes away when the lists are given back."""
    indexes = _pair(key)
    sizes = [indexes[0].invlists.list_size(l) for l in range(10)]
    limit = sorted(sizes)[5]
    results, views = [], []
    libs = (mf, faiss) if hasattr(faiss, view) else (mf,)  # faiss 1.13 has no CappedInvertedLists
    for lib, index in zip(libs, indexes):
        il = index.invlists
        v = getattr(lib, view)(il, limit)
        views.append(v)
        for l in range(10):
            want = (0 if sizes[l] >= limit else sizes[l]) if "Stop" in view else min(sizes[l], limit)
            assert v.list_size(l) == want
        index.own_invlists = False
        index.replace_invlists(v, False)
        first = index.search(XQ, 10)
        # faiss's stop-words view is read-only: add to the lists, then
        # see them through the view again
        index.replace_invlists(il, False)
        index.add(XB[:50])
        index.replace_invlists(v, False)
        second = index.search(XQ, 10)
        # the batched list-by-list path as well
        third = index.search(np.vstack([XQ] * 3), 10)
        index.replace_invlists(il, False)
        results.append((first, second, third, index.search(XQ, 10), index.ntotal))
    (o1, o2, o3, o4, on) = results[0]
    assert on == 850
    visible = set()
    for l in range(10):
        ids = indexes[0].invlists.get_ids(l)[:900 if "Stop" in view else limit]
        if "Capped" in view or sizes[l] < limit:
            visible.update(ids.tolist())
    assert set(o1[1].ravel().tolist()) - {-1} <= visible
    if len(results) == 2:
        (f1, f2, f3, f4, fn) = results[1]
        assert fn == 850
        for (Do, Io), (Df, If) in [(o1, f1), (o2, f2), (o3, f3), (o4, f4)]:
            np.testing.assert_array_equal(Io, If)
            np.testing.assert_allclose(Do, Df, rtol=1e-5, atol=1e-5)
    if "Capped" in view:
        assert views[0].real_list_size(0) == views[0].il.list_size(0)
        # writes through a capped view reach the lists
        ours = indexes[0]
        ours.replace_invlists(views[0], False)
        ours.add(XB[:10])
        assert ours.ntotal == 860
        assert ours.invlists.compute_ntotal() == 860
    with pytest.raises(mf.InvalidArgumentError, match="limit must be >= 0"):
        getattr(mf, view)(indexes[0].invlists, -1)
