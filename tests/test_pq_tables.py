"""ProductQuantizer's table methods (distance / inner-product tables, the
SDC table), coding through an assign index and the transposed-centroid
caches, against faiss-cpu on the same centroids."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf


def _pair(d=16, M=4, nbits=6):
    rs = np.random.RandomState(3)
    centroids = rs.rand(M, 1 << nbits, d // M).astype(np.float32)
    out = []
    for lib in (mf, faiss):
        pq = lib.ProductQuantizer(d, M, nbits)
        lib.copy_array_to_vector(centroids.ravel(), pq.centroids)
        out.append(pq)
    return out


@pytest.mark.parametrize("method", ["compute_distance_tables", "compute_inner_prod_tables"])
def test_tables_equal_faiss(method):
    ours, theirs = _pair()
    x = faiss.rand((20, 16), 4)
    tabs = []
    for lib, pq in ((mf, ours), (faiss, theirs)):
        t = np.zeros((20, 4, pq.ksub), np.float32)
        getattr(pq, method)(20, lib.swig_ptr(x), lib.swig_ptr(t))
        tabs.append(t)
    np.testing.assert_allclose(tabs[0], tabs[1], rtol=1e-5, atol=1e-5)
    one = np.zeros(4 * ours.ksub, np.float32)
    getattr(ours, method.replace("tables", "table"))(x[3], one)
    np.testing.assert_array_equal(one, tabs[0][3].ravel())


def test_sdc_table_and_caches_equal_faiss():
    ours, theirs = _pair()
    ours.compute_sdc_table()
    theirs.compute_sdc_table()
    np.testing.assert_allclose(ours.sdc_table, faiss.vector_to_array(theirs.sdc_table), rtol=1e-5, atol=1e-5)
    ours.sync_transposed_centroids()
    theirs.sync_transposed_centroids()
    np.testing.assert_array_equal(ours.transposed_centroids, faiss.vector_to_array(theirs.transposed_centroids))
    np.testing.assert_allclose(ours.centroids_sq_lengths, faiss.vector_to_array(theirs.centroids_sq_lengths),
                               rtol=1e-6)
    x = faiss.rand((50, 16), 5)
    codes = ours.compute_codes(x)
    ours.clear_transposed_centroids()
    np.testing.assert_array_equal(ours.compute_codes(x), codes)


@pytest.mark.parametrize("nbits", [5, 8])
def test_codes_through_an_assign_index_equal_compute_codes(nbits):
    ours, theirs = _pair(nbits=nbits)
    x = faiss.rand((60, 16), 6)
    for lib, pq in ((mf, ours), (faiss, theirs)):
        pq.assign_index = lib.IndexFlatL2(4)
    got = np.zeros((60, ours.code_size), np.uint8)
    ours.compute_codes_with_assign_index(mf.swig_ptr(x), mf.swig_ptr(got), 60)
    ref = np.zeros((60, theirs.code_size), np.uint8)
    theirs.compute_codes_with_assign_index(faiss.swig_ptr(x), faiss.swig_ptr(ref), 60)
    np.testing.assert_array_equal(got, ref)
    np.testing.assert_array_equal(got, ours.compute_codes(x))
    ours.assign_index = mf.IndexFlatL2(5)
    with pytest.raises(mf.InvalidArgumentError, match="dsub=4"):
        ours.compute_codes_with_assign_index(x, got, 60)
    with pytest.raises(mf.InvalidArgumentError, match="dis_tables"):
        ours.compute_distance_tables(60, x, np.zeros(5, np.float32))
