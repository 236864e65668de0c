"""HadamardRotation against faiss-cpu: the same signs (faiss's SplitMix64
draws), so the same output, and "HR" in the factory and in files."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf

FAISS_HR = hasattr(faiss, "HadamardRotation")  # faiss 1.13 (CI's Python 3.9) has none


@pytest.mark.parametrize("d,seed", [(12, 12345), (16, 7), (100, 1), (1, 3)])
def test_hadamard_rotation_is_orthonormal_and_equals_faiss(d, seed):
    x = np.random.RandomState(d).rand(20, d).astype("float32")
    t = mf.HadamardRotation(d, seed)
    p = 1 << (d - 1).bit_length()
    assert (t.d_in, t.d_out, t.is_trained, t.seed) == (d, p, True, seed)
    y = t.apply(x)
    assert y.shape == (20, p)
    np.testing.assert_allclose((y * y).sum(1), (x * x).sum(1), rtol=1e-5)  # a rotation keeps norms
    if FAISS_HR:
        np.testing.assert_allclose(y, faiss.HadamardRotation(d, seed).apply(x), rtol=1e-6, atol=1e-7)


def test_hadamard_in_factory_and_files():
    xb = np.random.RandomState(0).rand(200, 12).astype("float32")
    index = mf.index_factory(12, "HR,Flat")
    assert isinstance(index.chain[0], mf.HadamardRotation) and index.index.d == 16
    assert mf.reverse_index_factory(index) == "HR,Flat"
    index.train(xb)
    index.add(xb)
    D, I = index.search(xb[:5], 3)
    np.testing.assert_array_equal(I[:, 0], np.arange(5))
    back = mf.deserialize_index(mf.serialize_index(index))
    np.testing.assert_array_equal(back.search(xb[:5], 3)[1], I)
    if FAISS_HR:
        theirs = faiss.deserialize_index(mf.serialize_index(index))
        np.testing.assert_array_equal(theirs.search(xb[:5], 3)[1], I)
        ref = faiss.index_factory(12, "HR64,Flat")
        ref.add(xb)
        again = mf.deserialize_index(faiss.serialize_index(ref))
        np.testing.assert_allclose(again.search(xb[:5], 3)[0], ref.search(xb[:5], 3)[0], rtol=1e-5, atol=1e-6)
    t = mf.HadamardRotation(12)
    t.seed = 0
    t.train(xb)
    assert t.seed == 12345  # faiss's train: seed 0 draws from 12345
    with pytest.raises(mf.InvalidArgumentError, match="uint32"):
        mf.HadamardRotation(12, -1)
    with pytest.raises(mf.MetalFaissError):
        t.apply(np.zeros((2, 5), np.float32))
