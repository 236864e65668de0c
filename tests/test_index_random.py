"""IndexRandom against faiss-cpu: the same ids and distances for the same
queries and seed (faiss's generator, seeded by the query's bits)."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf


@pytest.mark.parametrize("metric", [mf.METRIC_L2, mf.METRIC_INNER_PRODUCT])
def test_index_random_equals_faiss(metric):
    xq = np.random.RandomState(0).rand(20, 32).astype("float32")
    for ntotal, seed, k in ((10 ** 9, 1234, 10), (50, 7, 50)):
        ours, theirs = mf.IndexRandom(32, ntotal, seed, metric), faiss.IndexRandom(32, ntotal, seed, metric)
        D, I = ours.search(xq, k)
        Dt, It = theirs.search(xq, k)
        np.testing.assert_array_equal(I, It)
        np.testing.assert_array_equal(D, Dt)
        np.testing.assert_array_equal(ours.reconstruct(3), theirs.reconstruct(3))
    ours.add(xq)
    assert ours.ntotal == 70
    with pytest.raises(mf.InvalidArgumentError, match="k=71"):
        ours.search(xq, 71)
    ours.reset()
    assert ours.ntotal == 0
