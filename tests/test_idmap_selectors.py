"""IndexIDMap / IndexIDMap2 and the ID selectors, against faiss-cpu."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf
from conftest import assert_knn_equal, exact_distances, gaussian_mixture, needs_faiss


def pair(cls_name, d, rng):
    xb = gaussian_mixture(rng, 500, d, 8)
    ids = rng.choice(10**9, size=500, replace=False).astype(np.int64)
    ours = getattr(mf, cls_name)(mf.IndexFlatL2(d))
    theirs = getattr(faiss, cls_name)(faiss.IndexFlatL2(d))
    ours.add_with_ids(xb, ids)
    theirs.add_with_ids(xb, ids)
    return ours, theirs, xb, ids


@pytest.mark.parametrize("cls_name", ["IndexIDMap", "IndexIDMap2"])
def test_idmap_matches_faiss(rng, cls_name):
    d = 12
    ours, theirs, xb, ids = pair(cls_name, d, rng)
    np.testing.assert_array_equal(ours.id_map, faiss.vector_to_array(theirs.id_map))
    np.testing.assert_array_equal(mf.vector_to_array(ours.id_map), ours.id_map)
    pos = {int(i): n for n, i in enumerate(ids)}
    exact = exact_distances(mf.METRIC_L2, xb[:40], xb)

    def check():
        D, I = ours.search(xb[:40], 7)
        Df, If = theirs.search(xb[:40], 7)
        # Compare in storage positions, where exact distances are known.
        # Both libraries use |x|^2 + |y|^2 - 2 x.y here (40 queries), whose
        # rounding scales with the norms, not with the distances.
        to_pos = np.vectorize(lambda i: pos[int(i)] if i >= 0 else -1)
        norms = (xb.astype(np.float64) ** 2).sum(1)
        rtol = 1e-5 * (norms[:40].max() + norms.max()) / np.abs(Df).max()
        assert_knn_equal(D, to_pos(I), Df, to_pos(If), exact, rtol=rtol)

    check()
    gone = ids[::3]
    assert ours.remove_ids(gone) == theirs.remove_ids(gone) == len(gone)
    np.testing.assert_array_equal(ours.id_map, faiss.vector_to_array(theirs.id_map))
    exact[:, ::3] = np.inf  # removed
    check()
    lims, RD, RI = ours.range_search(xb[:5], 20.0)
    limsf, RDf, RIf = theirs.range_search(xb[:5], 20.0)
    np.testing.assert_array_equal(lims, limsf)
    assert sorted(RI.tolist()) == sorted(RIf.tolist())
    if cls_name == "IndexIDMap2":
        np.testing.assert_array_equal(ours.reconstruct(int(ids[1])), theirs.reconstruct(int(ids[1])))
        with pytest.raises(mf.InvalidArgumentError):
            ours.reconstruct(int(ids[0]))  # removed
    else:
        with pytest.raises(mf.UnsupportedOperationError):
            ours.reconstruct(int(ids[1]))
    ours.reset()
    assert ours.ntotal == 0 and ours.id_map.shape == (0,)


def test_idmap_rules(rng):
    d = 4
    sub = mf.IndexFlatL2(d)
    m = mf.IndexIDMap(sub)
    x = gaussian_mixture(rng, 10, d, 2)
    with pytest.raises(mf.UnsupportedOperationError, match="add_with_ids"):
        m.add(x)
    with pytest.raises(mf.DimensionMismatchError):
        m.add_with_ids(x, np.arange(9))
    assert m.ntotal == 0
    m.add_with_ids(x, np.arange(100, 110))
    assert m.index is sub and sub.ntotal == 10
    with pytest.raises(mf.InvalidArgumentError, match="must be empty"):
        mf.IndexIDMap(sub)
    with pytest.raises(mf.InputTypeError):
        mf.IndexIDMap(np.zeros(3))
    with pytest.raises(mf.UnsupportedOperationError, match="IndexIDMap"):
        mf.IndexFlatL2(d).add_with_ids(x, np.arange(10))


def test_idmap_over_ivf_with_a_filter(rng):
    d = 8
    xb = gaussian_mixture(rng, 2000, d, 10)
    ids = np.arange(2000, dtype=np.int64) + 10**6
    ours = mf.IndexIDMap(mf.IndexIVFFlat(mf.IndexFlatL2(d), d, 16))
    theirs = faiss.IndexIDMap(faiss.IndexIVFFlat(faiss.IndexFlatL2(d), d, 16))
    ours.train(xb)
    theirs.train(xb)
    ours.add_with_ids(xb, ids)
    theirs.add_with_ids(xb, ids)
    sel, self_ = mf.IDSelectorRange(10**6, 10**6 + 1000), faiss.IDSelectorRange(10**6, 10**6 + 1000)
    D, I = ours.search(xb[:20], 5, params=mf.SearchParametersIVF(nprobe=4, sel=sel))
    Df, If = theirs.search(xb[:20], 5, params=faiss.SearchParametersIVF(nprobe=4, sel=self_))
    np.testing.assert_array_equal(I, If)
    assert mf.extract_index_ivf(ours).nlist == 16


@pytest.mark.parametrize("metric", [mf.METRIC_L2, mf.METRIC_INNER_PRODUCT, pytest.param(
    mf.METRIC_L1, marks=needs_faiss("1.15", "takes selectors in IndexFlat searches of the other metrics"))])
def test_flat_search_with_selectors_matches_faiss(rng, metric):
    d = 10
    xb = gaussian_mixture(rng, 1000, d, 8)
    xq = gaussian_mixture(rng, 30, d, 8)
    ours, theirs = mf.IndexFlat(d, metric), faiss.IndexFlat(d, metric)
    ours.add(xb)
    theirs.add(xb)
    batch = rng.choice(1000, 300, replace=False).astype(np.int64)
    for s_ours, s_theirs in [
        (mf.IDSelectorRange(200, 700), faiss.IDSelectorRange(200, 700)),
        (mf.IDSelectorBatch(batch), faiss.IDSelectorBatch(batch)),
        (mf.IDSelectorArray(len(batch), batch), faiss.IDSelectorArray(batch)),
        (mf.IDSelectorNot(mf.IDSelectorBatch(batch)), faiss.IDSelectorNot(faiss.IDSelectorBatch(batch))),
        *_combined_selectors(rng, 1000),
    ]:
        for k in (1, 8):
            D, I = ours.search(xq, k, params=mf.SearchParameters(sel=s_ours))
            Df, If = theirs.search(xq, k, params=faiss.SearchParameters(sel=s_theirs))
            np.testing.assert_array_equal(I, If)
            np.testing.assert_allclose(D, Df, rtol=1e-5, atol=1e-5)
        lims, RD, RI = ours.range_search(xq, 40.0 if metric != mf.METRIC_INNER_PRODUCT else 10.0,
                                         params=mf.SearchParameters(sel=s_ours))
        assert all(s_ours.is_member(int(i)) for i in RI)


def _combined_selectors(rng, n):
    """(ours, faiss's) pairs of the And / Or / XOr / Bitmap selectors."""
    lhs, rhs = (rng.choice(n, n // 3, replace=False).astype(np.int64) for _ in range(2))
    mask = np.zeros(n - 5, dtype=bool)  # the last ids fall past the bitmap
    mask[lhs[lhs < n - 5]] = True
    bitmap = np.packbits(mask, bitorder="little")
    pairs = [(getattr(mf, name)(mf.IDSelectorBatch(lhs), mf.IDSelectorRange(n // 4, 3 * n // 4)),
              getattr(faiss, name)(faiss.IDSelectorBatch(lhs), faiss.IDSelectorRange(n // 4, 3 * n // 4)))
             for name in ("IDSelectorAnd", "IDSelectorOr", "IDSelectorXOr")]
    pairs.append((mf.IDSelectorOr(mf.IDSelectorBatch(rhs), mf.IDSelectorNot(mf.IDSelectorBitmap(bitmap))),
                  faiss.IDSelectorOr(faiss.IDSelectorBatch(rhs), faiss.IDSelectorNot(faiss.IDSelectorBitmap(bitmap)))))
    pairs.append((mf.IDSelectorBitmap(len(bitmap) - 2, bitmap), faiss.IDSelectorBitmap(bitmap[:-2])))
    for ours, theirs in pairs:
        assert [ours.is_member(i) for i in range(n)] == [theirs.is_member(i) for i in range(n)]
    return pairs


def test_combined_selectors_filter_ivf_search_like_faiss(rng):
    d = 8
    xb = gaussian_mixture(rng, 2000, d, 8)
    xq = gaussian_mixture(rng, 20, d, 8)
    ours = mf.index_factory(d, "IVF16,Flat")
    theirs = faiss.index_factory(d, "IVF16,Flat")
    for index in (ours, theirs):
        index.train(xb)
        index.add(xb)
    exact = exact_distances(mf.METRIC_L2, xq, xb)
    # nprobe = nlist: every list is scanned, so the quantizers may differ.
    for s_ours, s_theirs in _combined_selectors(rng, 2000):
        D, I = ours.search(xq, 5, params=mf.SearchParametersIVF(sel=s_ours, nprobe=16))
        Df, If = theirs.search(xq, 5, params=faiss.SearchParametersIVF(sel=s_theirs, nprobe=16))
        assert_knn_equal(D, I, Df, If, exact)
        assert all(s_ours.is_member(int(i)) for i in I.ravel())


def test_selector_arguments_are_checked():
    with pytest.raises(mf.InputTypeError, match="IDSelectorAnd: expected two IDSelectors"):
        mf.IDSelectorAnd(mf.IDSelectorAll(), [1, 2])
    with pytest.raises(mf.InputTypeError, match="IDSelectorBitmap: bitmap must be a 1-D uint8 array"):
        mf.IDSelectorBitmap(np.zeros(8, dtype=bool))
    with pytest.raises(mf.InputTypeError, match="n=9 but the bitmap has 8 bytes"):
        mf.IDSelectorBitmap(9, np.zeros(8, dtype=np.uint8))


def test_remove_ids_with_every_selector(rng):
    d = 3
    x = gaussian_mixture(rng, 100, d, 2)
    for sel, expect in [
        (mf.IDSelectorRange(10, 20), 10),
        (mf.IDSelectorBatch([1, 2, 3, 500]), 3),
        (mf.IDSelectorArray([5, 6]), 2),
        (mf.IDSelectorNot(mf.IDSelectorRange(0, 90)), 10),
        (mf.IDSelectorAll(), 100),
    ]:
        ix = mf.IndexFlatL2(d)
        ix.add(x)
        ref = faiss.IndexFlatL2(d)
        ref.add(x)
        assert ix.remove_ids(sel) == expect
        assert ix.ntotal == 100 - expect


def test_selector_bad_input():
    with pytest.raises(mf.InputTypeError):
        mf.IDSelectorNot("everything")
    with pytest.raises(mf.InputTypeError):
        mf.SearchParameters(sel=[1, 2])
    with pytest.raises(mf.InputTypeError):
        mf.IDSelectorBatch([1.5, 2.0])
    with pytest.raises(TypeError):
        mf.IDSelectorBatch()
