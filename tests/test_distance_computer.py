"""get_distance_computer / get_FlatCodesDistanceComputer: the distance from
a query to a stored vector equals what the search returned for it, as
faiss's test_refine.py checks (its SWIG ownership assert aside)."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf
from metalfaiss.contrib import datasets


@pytest.mark.parametrize("key,metric", [("PQ8np", mf.METRIC_L2), ("SQ8", mf.METRIC_L2), ("SQ6", mf.METRIC_L2),
                                        ("PQ8x6np", mf.METRIC_INNER_PRODUCT), ("PCA20,SQ8", mf.METRIC_L2),
                                        ("Flat", mf.METRIC_INNER_PRODUCT), ("HNSW8", mf.METRIC_L2)])
def test_distance_computer_equals_search(key, metric):
    ds = datasets.SyntheticDataset(32, 1000, 200, 10)
    index = mf.index_factory(32, key, metric)
    index.train(ds.get_train())
    index.add(ds.get_database())
    xq = ds.get_queries()
    D, I = index.search(xq, 5)
    computers = [index.get_distance_computer()]
    if isinstance(index, mf.IndexFlatCodes):
        computers.append(index.get_FlatCodesDistanceComputer())
    for dc in computers:
        for q in range(ds.nq):
            dc.set_query(mf.swig_ptr(xq[q]) if q % 2 else xq[q])
            for j in range(5):
                assert dc(int(I[q, j])) == pytest.approx(D[q, j], rel=1e-5, abs=1e-5)
    assert isinstance(index, mf.IndexFlatCodes) == isinstance(faiss.index_factory(32, key, metric), faiss.IndexFlatCodes)


def test_symmetric_and_code_distances():
    rs = np.random.RandomState(0)
    xb = rs.rand(300, 16).astype("float32")
    index = mf.IndexScalarQuantizer(16, mf.ScalarQuantizer.QT_8bit)
    index.train(xb)
    index.add(xb)
    dc = index.get_FlatCodesDistanceComputer()
    recon = index.reconstruct_n(0, 300)
    assert dc.symmetric_dis(3, 7) == pytest.approx(float(((recon[3] - recon[7]) ** 2).sum()), rel=1e-5)
    dc.set_query(xb[5])
    codes = index.sa_encode(xb[:10])
    for i in range(10):
        assert dc.distance_to_code(codes[i]) == pytest.approx(dc(i), rel=1e-6)
    with pytest.raises(mf.InvalidArgumentError, match="outside"):
        dc(300)
    with pytest.raises(mf.InvalidArgumentError):
        dc.set_query(xb[0, :5])
    with pytest.raises(mf.InputTypeError):
        dc.distance_to_code(np.zeros(16, dtype=np.float32))
    fresh = index.get_distance_computer()
    with pytest.raises(mf.InvalidArgumentError, match="set_query"):
        fresh(0)
    with pytest.raises(mf.UnsupportedOperationError, match="no distance computer"):
        mf.IndexLSH(16, 8).get_distance_computer()
