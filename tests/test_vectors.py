"""faiss's vectors: typed vectors, vector_to_array and
copy_array_to_vector, including into an object's fields."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf


@pytest.mark.parametrize("name,dtype", [("Float32Vector", np.float32), ("Int64Vector", np.int64),
                                        ("UInt8Vector", np.uint8), ("Int32Vector", np.int32)])
def test_typed_vectors_behave_like_faiss(name, dtype):
    for lib in (mf, faiss):
        v = getattr(lib, name)()
        v.push_back(3)
        v.push_back(5)
        assert v.size() == 2 and v.at(1) == 5
        lib.copy_array_to_vector(np.arange(6, dtype=dtype), v)
        assert v.size() == 6
        out = lib.vector_to_array(v)
        assert out.dtype == dtype
        np.testing.assert_array_equal(out, np.arange(6))
    v = getattr(mf, name)()
    v.resize(3)
    np.testing.assert_array_equal(mf.vector_to_array(v), np.zeros(3))
    np.testing.assert_array_equal(mf.rev_swig_ptr(v.data(), 3), np.zeros(3))


def test_copy_array_to_fields_sets_them():
    rs = np.random.RandomState(10)
    for lib in (mf, faiss):
        lt = lib.LinearTransform(20, 10, True)
        A = np.linalg.qr(rs.randn(20, 20))[0][:10].astype("float32")
        lib.copy_array_to_vector(A.ravel(), lt.A)
        lib.copy_array_to_vector(np.ones(10, dtype="float32"), lt.b)
        lt.set_is_orthonormal()
        lt.is_trained = True
        assert lt.is_orthonormal
        x = rs.rand(5, 20).astype("float32")
        np.testing.assert_allclose(lt.apply(x), x @ A.T + 1, rtol=1e-5)
    pq = mf.ProductQuantizer(16, 4, 4)
    c = np.random.default_rng(1).standard_normal(pq.M * pq.ksub * pq.dsub).astype(np.float32)
    mf.copy_array_to_vector(c, pq.centroids)
    np.testing.assert_array_equal(mf.vector_to_array(pq.centroids), c)
    with pytest.raises(ValueError, match="need 256"):
        mf.copy_array_to_vector(c[:10], pq.centroids)
    with pytest.raises(TypeError):
        mf.copy_array_to_vector(np.zeros(3, np.float64), mf.Int64Vector())
    with pytest.raises(ValueError, match="cannot set it to False"):
        lt = mf.LinearTransform(4, 4)
        lt.set_params(np.eye(4, dtype=np.float32))
        lt.is_trained = False
