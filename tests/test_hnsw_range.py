"""IndexHNSW.range_search: the graph walked as a k-NN search walks it,
keeping what lies within the radius; on the same graph (read from faiss's
file) the same results as faiss-cpu."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf

XB, XQ = faiss.rand((2000, 24), 71), faiss.rand((25, 24), 72)


@pytest.mark.parametrize("metric,radius", [(faiss.METRIC_L2, 2.2), (faiss.METRIC_INNER_PRODUCT, 7.0)])
def test_range_search_on_faiss_graph_equals_faiss(metric, radius):
    theirs = faiss.IndexHNSWFlat(24, 16, metric)
    theirs.add(XB)
    ours = mf.deserialize_index(faiss.serialize_index(theirs))
    for index in (ours, theirs):
        index.hnsw.efSearch = 64
    lo, Do, Io = ours.range_search(XQ, radius)
    lf, Df, If = theirs.range_search(XQ, radius)
    assert lo[-1] > 0
    np.testing.assert_array_equal(lo, lf)
    for q in range(len(XQ)):
        a = sorted(zip(Io[lo[q]:lo[q + 1]].tolist(), Do[lo[q]:lo[q + 1]].tolist()))
        b = sorted(zip(If[lf[q]:lf[q + 1]].tolist(), Df[lf[q]:lf[q + 1]].tolist()))
        assert [i for i, _ in a] == [i for i, _ in b]
        np.testing.assert_allclose([v for _, v in a], [v for _, v in b], rtol=1e-5, atol=1e-5)
    exact = mf.IndexFlat(24, metric)
    exact.add(XB)
    le, _, Ie = exact.range_search(XQ, radius)
    found = sum(len(set(Io[lo[q]:lo[q + 1]]) & set(Ie[le[q]:le[q + 1]])) for q in range(len(XQ)))
    assert found == lo[-1] and found >= 0.3 * le[-1]  # only true matches; approximate, as faiss


def test_range_search_with_a_selector():
    index = mf.IndexHNSWFlat(24, 16)
    index.add(XB)
    sel = mf.IDSelectorRange(0, 1000)
    lims, D, I = index.range_search(XQ, 2.5, params=mf.SearchParametersHNSW(efSearch=64, sel=sel))
    assert lims[-1] > 0 and (I < 1000).all()


@pytest.mark.parametrize("metric", [faiss.METRIC_L1, faiss.METRIC_Linf, faiss.METRIC_Canberra])
def test_hnsw_over_flat_vectors_takes_extra_metrics(metric):
    xb = np.abs(XB[:800])
    ours = mf.IndexHNSW(mf.IndexFlat(24, metric), 16)
    ours.add(xb)
    ours.hnsw.efSearch = 128
    D, I = ours.search(np.abs(XQ), 10)
    dis = faiss.pairwise_distances(np.abs(XQ), xb, metric)
    np.testing.assert_allclose(D, np.take_along_axis(dis, I, 1), rtol=1e-5, atol=1e-5)
    Dref, Iref = faiss.knn(np.abs(XQ), xb, 10, metric)
    assert faiss.eval_intersection(Iref, I) > 0.9 * Iref.size


def test_ivf_with_an_l2_quantizer_scans_by_its_own_metric():
    index = mf.IndexIVFFlat(mf.IndexFlat(24), 24, 16, mf.METRIC_L1)
    index.train(XB)
    index.add(XB)
    index.nprobe = 16
    Dref, Iref = faiss.knn(XQ, XB, 5, faiss.METRIC_L1)
    D, I = index.search(XQ, 5)
    np.testing.assert_allclose(D, Dref, rtol=1e-5, atol=1e-4)
