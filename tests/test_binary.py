"""IndexBinaryFlat against faiss-cpu: Hamming distances are exact, so the
results must be identical, ties included."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf


@pytest.mark.parametrize("d,high", [(64, 256), (256, 256), (136, 4)])  # high=4: few bits, many ties
def test_binary_flat_equals_faiss(d, high):
    rng = np.random.default_rng(d)
    xb = rng.integers(0, high, (3000, d // 8), dtype=np.uint8)
    xq = rng.integers(0, high, (25, d // 8), dtype=np.uint8)
    ours, theirs = mf.IndexBinaryFlat(d), faiss.IndexBinaryFlat(d)
    ours.add(xb)
    theirs.add(xb)
    assert ours.ntotal == theirs.ntotal and ours.code_size == theirs.code_size
    for k in (1, 10, 3001):
        D, I = ours.search(xq, k)
        Dt, It = theirs.search(xq, k)
        assert D.dtype == np.int32 and I.dtype == np.int64
        np.testing.assert_array_equal(D, Dt)
        np.testing.assert_array_equal(I, It)
    radius = int(np.median(theirs.search(xq, 50)[0]))
    for a, b in zip(ours.range_search(xq, radius), theirs.range_search(xq, radius)):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ours.reconstruct(17), xb[17])
    ours.reset()
    assert ours.ntotal == 0


def test_binary_flat_bad_input():
    with pytest.raises(ValueError, match="multiple of 8"):
        mf.IndexBinaryFlat(12)
    index = mf.IndexBinaryFlat(16)
    with pytest.raises(TypeError, match="uint8"):
        index.add(np.zeros((3, 2), dtype=np.float32))
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        index.add(np.zeros((3, 3), dtype=np.uint8))
    with pytest.raises(ValueError):
        index.search(np.zeros((1, 2), dtype=np.uint8), 0)
    with pytest.raises(ValueError):
        index.reconstruct(0)
    assert index.ntotal == 0
