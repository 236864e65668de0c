"""IndexRefine over any refine index (Refine(SQ8) from the factory, a
filled flat index, IndexRefineFlat(base, xb)), its range search and its
files, against faiss-cpu."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf

# faiss's refined range search keeps only what lies within the radius from
# 1.15 on (its issue 5367); older wheels are compared on our side alone
FAISS_115 = tuple(int(v) for v in faiss.__version__.split(".")[:2]) >= (1, 15)

D = 32
XT, XB, XQ = faiss.rand((3000, D), 31), faiss.rand((1000, D), 32), faiss.rand((40, D), 33)


def _built(lib, key, metric=faiss.METRIC_L2):
    index = lib.index_factory(D, key, metric)
    index.train(XT)
    index.add(XB)
    return index


@pytest.mark.parametrize("key", ["IVF8,PQ4x4np,Refine(SQ8)", "PQ8x4,Refine(SQfp16)", "SQ4,Refine(Flat)"])
def test_factory_refine_searches_like_faiss(key):
    ours, theirs = _built(mf, key), _built(faiss, key)
    assert isinstance(ours, mf.IndexRefine)
    for index in (ours, theirs):
        index.k_factor = 4
    Do, Io = ours.search(XQ, 10)
    Df, If = theirs.search(XQ, 10)
    assert (Io == If).mean() > 0.97  # refine distances tie-break alike but round apart
    np.testing.assert_allclose(Do, Df, rtol=1e-3, atol=1e-3)
    assert mf.reverse_index_factory(ours).endswith("Refine(" + key.split("Refine(")[1])


# an inner-product base searched at radius * k_factor finds less, not more:
# k_factor 1 there
@pytest.mark.parametrize("metric,radius,k_factor", [(faiss.METRIC_L2, 4.2, 2), (faiss.METRIC_INNER_PRODUCT, 9.0, 1)])
def test_range_search_keeps_what_the_refine_index_puts_within_radius(metric, radius, k_factor):
    results = []
    for lib in (mf, faiss):
        base = _built(lib, "SQ4", metric)
        flat = lib.IndexFlat(D, metric)
        flat.add(XB)
        index = lib.IndexRefine(base, flat)
        index.k_factor = k_factor
        results.append(index.range_search(XQ, radius))
    (lo, Do, Io), (lf, Df, If) = results
    assert lo[-1] > 0
    for q in range(len(XQ)):
        ours = dict(zip(Io[lo[q]:lo[q + 1]].tolist(), Do[lo[q]:lo[q + 1]].tolist()))
        theirs = dict(zip(If[lf[q]:lf[q + 1]].tolist(), Df[lf[q]:lf[q + 1]].tolist()))
        if FAISS_115:
            assert set(ours) == set(theirs)
        for i, v in ours.items():
            if FAISS_115:
                assert v == pytest.approx(theirs[i], rel=1e-4, abs=1e-4)
            exact = XQ[q] @ XB[i] if metric == faiss.METRIC_INNER_PRODUCT else ((XQ[q] - XB[i]) ** 2).sum()
            assert v == pytest.approx(exact, rel=1e-4, abs=1e-4)  # the refine index's (flat) distance
            assert (v > radius) if metric == faiss.METRIC_INNER_PRODUCT else (v < radius)


def test_refine_files_round_trip_and_faiss_reads_them():
    ours = _built(mf, "IVF8,PQ4x4np,Refine(SQ8)")
    ours.k_factor = 3
    D0, I0 = ours.search(XQ, 5)
    blob = mf.serialize_index(ours)
    back = mf.deserialize_index(blob)
    assert isinstance(back, mf.IndexRefine) and isinstance(back.refine_index, mf.IndexScalarQuantizer)
    assert back.k_factor == 3
    np.testing.assert_array_equal(back.search(XQ, 5)[1], I0)
    theirs = faiss.deserialize_index(blob)
    assert theirs.ntotal == 1000 and theirs.k_factor == 3
    If = theirs.search(XQ, 5)[1]
    assert (If == I0).mean() > 0.97


def test_refine_flat_with_given_vectors_and_bad_pairs():
    base = _built(mf, "PQ8x4")
    index = mf.IndexRefineFlat(base, XB)
    assert index.ntotal == 1000 and "IndexFlat" in type(index.refine_index).__name__  # a GPU one under the GPU backend
    index.k_factor = 8
    D5, I5 = index.search(XQ, 5)
    exact = ((XQ[:, None, :] - XB[I5]) ** 2).sum(-1)
    np.testing.assert_allclose(D5, exact, rtol=1e-4, atol=1e-4)  # ranked by exact distance
    assert (np.diff(D5, axis=1) >= 0).all()
    with pytest.raises(mf.DimensionMismatchError, match="holds 1000 vectors"):
        mf.IndexRefine(base, mf.IndexFlatL2(D))
    with pytest.raises(mf.DimensionMismatchError, match="differ"):
        mf.IndexRefine(base, mf.IndexFlatIP(D))
    with pytest.raises(mf.InputTypeError, match="refine_index"):
        mf.IndexRefine(base, XB)
    assert base.ntotal == 1000
