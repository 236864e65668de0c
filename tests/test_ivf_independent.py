"""IndexIVFIndependentQuantizer against faiss-cpu: lists picked by a
quantizer of the input space, vectors stored by an IVF index after a
transform."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf
from metalfaiss.contrib.datasets import SyntheticDataset


def select(lib, d_in, rows):
    lt = lib.LinearTransform(d_in, len(rows), False)
    lib.copy_array_to_vector(np.eye(d_in, dtype="float32")[rows].ravel(), lt.A)
    lt.is_trained = True
    return lt


def test_half_store_equals_faiss():
    ds = SyntheticDataset(32, 1000, 500, 50)
    res = []
    for lib in mf, faiss:
        ivf = lib.index_factory(16, "IVF32,Flat")
        ivf.nprobe = 4
        index = lib.IndexIVFIndependentQuantizer(lib.IndexFlatL2(32), ivf, select(lib, 32, range(16)))
        assert not index.is_trained
        index.train(ds.get_train())
        assert index.is_trained and ivf.quantizer.ntotal == 32
        index.add(ds.get_database())
        assert ivf.ntotal == 500
        if lib is mf:  # faiss's wrapper leaves its own ntotal at 0; ours reads the IVF's
            assert index.ntotal == 500
        res.append(index.search(ds.get_queries(), 10))
    (D, I), (Dt, It) = res
    np.testing.assert_allclose(D, Dt, rtol=1e-5, atol=1e-5)
    assert (I == It).mean() > 0.98
    gt = ds.get_groundtruth(10)
    assert mf.eval_intersection(I, gt) >= mf.eval_intersection(It, gt) - 10


def test_pq_with_pca_files_and_precomputed_tables():
    ds = SyntheticDataset(48, 2000, 500, 100)
    index = mf.IndexIVFIndependentQuantizer(mf.IndexFlatL2(48), mf.index_factory(16, "IVF64,PQ4np"),
                                            mf.PCAMatrix(48, 16))
    index.train(ds.get_train())
    index.add(ds.get_database())
    ivf = mf.extract_index_ivf(index)
    assert ivf is index.index_ivf and ivf.use_precomputed_table == -1
    ivf.nprobe = 4
    D, I = index.search(ds.get_queries(), 10)
    # faiss reads our file and searches alike (its own quantizer, the same lists)
    theirs = faiss.deserialize_index(mf.serialize_index(index))
    Dt, It = theirs.search(ds.get_queries(), 10)
    np.testing.assert_allclose(D, Dt, rtol=1e-4, atol=1e-4)
    back = mf.deserialize_index(faiss.serialize_index(theirs))
    assert type(back) is mf.IndexIVFIndependentQuantizer and isinstance(back.vt, mf.PCAMatrix)
    np.testing.assert_array_equal(back.search(ds.get_queries(), 10)[1], I)
    # precomputed tables add the quantizer's distances, from the other space
    ivf.use_precomputed_table = 1
    ivf.precompute_table()
    D2, I2 = index.search(ds.get_queries(), 10)
    assert not np.array_equal(D2, D)
    ivf.use_precomputed_table = -1
    ivf.precompute_table()
    np.testing.assert_array_equal(index.search(ds.get_queries(), 10)[1], I)
    index.reset()
    assert index.ntotal == 0 and ivf.ntotal == 0


def test_independent_quantizer_bad_input():
    ivf = mf.index_factory(16, "IVF8,Flat")
    with pytest.raises(mf.DimensionMismatchError, match="dimensions"):
        mf.IndexIVFIndependentQuantizer(mf.IndexFlatL2(32), ivf)
    with pytest.raises(mf.InputTypeError):
        mf.IndexIVFIndependentQuantizer(mf.IndexFlatL2(16), mf.IndexFlatL2(16))
    with pytest.raises(mf.InputTypeError):
        mf.IndexIVFIndependentQuantizer(mf.IndexFlatL2(16), ivf, "pca")
    index = mf.IndexIVFIndependentQuantizer(mf.IndexFlatL2(16), ivf)
    x = np.random.RandomState(0).rand(100, 16).astype("float32")
    with pytest.raises(mf.NotTrainedError):
        index.add(x)
    with pytest.raises(mf.InvalidArgumentError, match="training points"):
        index.train(x[:4])
    assert not index.is_trained
