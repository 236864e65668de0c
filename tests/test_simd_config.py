"""SIMDConfig: every kernel set this machine has gives the same searches;
levels it lacks are refused."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf


@pytest.fixture
def restore_level():
    start = mf.SIMDConfig.get_level()
    yield
    mf.SIMDConfig.set_level(start)


def test_levels_switch_kernels_and_agree(restore_level):
    levels = mf.SIMDConfig.supported_simd_levels()
    assert levels[0] == mf.SIMDLevel_NONE and mf.SIMDConfig.get_dispatched_level() == levels[-1]
    xb, xq = faiss.rand((3000, 24), 1), faiss.rand((30, 24), 2)
    codes = np.random.default_rng(0).integers(0, 256, (500, 32), dtype=np.uint8)
    results = []
    for level in levels:
        mf.SIMDConfig.set_level(level)
        assert mf.SIMDConfig.get_level() == level
        flat = mf.IndexFlatL2(24)
        flat.add(xb)
        sq = mf.index_factory(24, "SQ8")
        sq.train(xb)
        sq.add(xb)
        binary = mf.IndexBinaryFlat(256)
        binary.add(codes)
        results.append((flat.search(xq, 5), sq.search(xq, 5)[1], binary.search(codes[:10], 4)))
    assert mf.kernel_set() != "go" or levels == [mf.SIMDLevel_NONE]
    mf.SIMDConfig.set_level(mf.SIMDLevel_NONE)
    assert mf.kernel_set() == "go"
    (D0, I0), sq0, (BD0, BI0) = results[0]
    for (D, I), sq_i, (BD, BI) in results[1:]:
        np.testing.assert_array_equal(I, I0)
        np.testing.assert_allclose(D, D0, rtol=1e-5)
        assert (sq_i == sq0).mean() > 0.99  # ties may order differently at float rounding
        np.testing.assert_array_equal(BD, BD0)
        np.testing.assert_array_equal(BI, BI0)


def test_unavailable_levels_are_refused(restore_level):
    before = mf.SIMDConfig.get_level()
    with pytest.raises(ValueError, match="RISCV_RVV is not available"):
        mf.SIMDConfig.set_level(mf.SIMDLevel_RISCV_RVV)
    assert mf.SIMDConfig.get_level() == before
    assert not mf.SIMDConfig.is_simd_level_available(mf.SIMDLevel_ARM_SVE)
    assert mf.SIMDConfig.get_level_name(mf.SIMDLevel_AVX2) == "AVX2"


def test_simd_levels_give_the_same_batched_distances(restore_level):
    """The packed micro-kernels of every SIMD level sum in one order: a
    batched flat search gives the same bits at each of them."""
    from metalfaiss.system import gemm_gflops

    levels = mf.SIMDConfig.supported_simd_levels()[1:]  # the SIMD ones
    xb, xq = faiss.rand((2000, 300), 3), faiss.rand((60, 300), 4)
    results = []
    for level in levels:
        mf.SIMDConfig.set_level(level)
        flat = mf.IndexFlatIP(300)
        flat.add(xb)
        results.append(flat.search(xq, 7))
        assert gemm_gflops(nx=14, ny=32, d=16, seconds=0.01) > 0
    for D, I in results[1:]:
        np.testing.assert_array_equal(D, results[0][0])
        np.testing.assert_array_equal(I, results[0][1])
    mf.SIMDConfig.set_level(mf.SIMDLevel_NONE)
    with pytest.raises(mf.UnsupportedOperationError, match="no packed micro-kernel"):
        gemm_gflops(seconds=0.01)
    with pytest.raises(mf.InvalidArgumentError, match="must be positive"):
        gemm_gflops(d=0)
