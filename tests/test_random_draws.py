"""faiss's random arrays: the same values as faiss for the same seed."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf

# 1024 values and more are drawn in 1024 separately seeded blocks.
SIZES = [0, 1, 7, 1023, 1024, 4099, (33, 9)]
SEEDS = [12345, 0, -3, 2 ** 40 + 7]


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("seed", SEEDS)
def test_rand_randn_randint_equal_faiss(n, seed):
    np.testing.assert_array_equal(mf.rand(n, seed), faiss.rand(n, seed))
    np.testing.assert_array_equal(mf.randn(n, seed), faiss.randn(n, seed))
    np.testing.assert_array_equal(mf.randint(n, seed), faiss.randint(n, seed))
    for vmax in (1, 1000, 2 ** 63 + 5):
        np.testing.assert_array_equal(mf.randint(n, seed, vmax=vmax), faiss.randint(n, seed, vmax=vmax))
    np.testing.assert_array_equal(mf.lrand(n, seed), faiss.lrand(n, seed))


def test_defaults_dtypes_and_shapes():
    assert mf.rand(10).dtype == np.float32 and mf.randint(10).dtype == np.int64
    np.testing.assert_array_equal(mf.randn((4, 5)), faiss.randn((4, 5)))
    x = mf.rand(100000, 7)
    assert x.min() >= 0 and x.max() <= 1 and abs(x.mean() - 0.5) < 0.01
    y = mf.randn(100000, 7)
    assert abs(y.mean()) < 0.02 and abs(y.std() - 1) < 0.02


@pytest.mark.parametrize("n,d,seed", [(500, 37, 5), (3, 1, 1234), (2000, 128, 99)])
def test_rand_smooth_vectors_equal_faiss_to_rounding(n, d, seed):
    # faiss mixes the latent draws with BLAS: sums in another order.
    ours, theirs = mf.rand_smooth_vectors(n, d, seed), faiss.rand_smooth_vectors(n, d, seed)
    assert ours.shape == (n, d) and ours.dtype == np.float32
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=2e-5)


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(mf.InvalidArgumentError, match="rand: sizes must be >= 0"):
        mf.rand(-1)
    with pytest.raises(mf.InputTypeError, match="randn: n must be an integer"):
        mf.randn(2.5)
    with pytest.raises(mf.InvalidArgumentError, match="randint: vmax must be in"):
        mf.randint(3, vmax=0)
    with pytest.raises(mf.InputTypeError, match="randint: vmax must be an integer"):
        mf.randint(3, vmax="7")
    with pytest.raises(mf.InvalidArgumentError, match="rand_smooth_vectors: need n >= 0 and d > 0"):
        mf.rand_smooth_vectors(4, 0)
    with pytest.raises(mf.InputTypeError, match="rand: seed must be an integer"):
        mf.rand(3, seed=None)
