"""quantize_LUT_and_bias and round_uint8_per_column: faiss's LUT
quantization for fast-scan, byte for byte against faiss-cpu."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf

FAISS_115 = tuple(int(v) for v in faiss.__version__.split(".")[:2]) >= (1, 15)


def run(lib, LUT, bias, lut3d, with_biasq, nprobe, M2=None):
    sp = lib.swig_ptr
    M, ksub = LUT.shape[-2:]
    M2 = M2 or M
    LUT = LUT.copy()
    LUTq = np.full((nprobe if lut3d else 1, M2, ksub), 99, dtype="uint8")
    biasq = np.full(nprobe, 7, dtype="uint16") if with_biasq else None
    a, b = np.zeros(1, "float32"), np.zeros(1, "float32")
    lib.quantize_LUT_and_bias(nprobe, M, ksub, lut3d, sp(LUT), None if bias is None else sp(bias), sp(LUTq), M2,
                              None if biasq is None else sp(biasq), sp(a), sp(b))
    return LUTq, biasq, a[0], b[0]


CASES = [  # (lut3d, bias given, biasq given): faiss's four branches
    (False, False, False), (False, True, True), (True, True, True), (True, True, False)]


@pytest.mark.parametrize("lut3d,has_bias,has_biasq", CASES)
@pytest.mark.parametrize("M2_extra", [0, 2])
def test_quantize_LUT_and_bias_is_faiss(lut3d, has_bias, has_biasq, M2_extra):
    rng = np.random.RandomState(5)
    nprobe, M, ksub = 6, 12, 16
    LUT = (rng.rand(*((nprobe, M, ksub) if lut3d else (M, ksub))) * 10).astype("float32")
    bias = (rng.rand(nprobe) * 30).astype("float32") if has_bias else None
    ours = run(mf, LUT, bias, lut3d, has_biasq, nprobe, M + M2_extra)
    theirs = run(faiss, LUT, bias, lut3d, has_biasq, nprobe, M + M2_extra)
    np.testing.assert_array_equal(ours[0], theirs[0])
    if has_biasq:
        np.testing.assert_array_equal(ours[1], theirs[1])
    assert ours[2:] == theirs[2:]


@pytest.mark.skipif(not FAISS_115, reason="faiss before 1.15 divides by the zero span")
def test_zero_spans_and_nans_are_faiss():
    for LUT, bias in [(np.full((4, 16), 5, "float32"), None),
                      (np.full((4, 16), 5, "float32"), np.array([1, 2, 3], "float32")),
                      (np.where(np.arange(64).reshape(4, 16) % 5 == 0, np.nan, np.arange(64).reshape(4, 16)).astype("float32"),
                       np.array([1, 1, 4], "float32"))]:
        args = (bias, False, bias is not None, 3)
        ours, theirs = run(mf, LUT, *args), run(faiss, LUT, *args)
        np.testing.assert_array_equal(ours[0][~np.isnan(LUT)[None]], theirs[0][~np.isnan(LUT)[None]])
        assert ours[2:] == theirs[2:]


@pytest.mark.parametrize("m", [1, 3])
def test_round_uint8_per_column_is_faiss(m):
    rng = np.random.RandomState(m)
    tab = (rng.randn(m, 7, 9) * 4).astype("float32")
    out = []
    for lib in (mf, faiss):
        t, a, b = tab.copy(), np.zeros(1, "float32"), np.zeros(1, "float32")
        if m == 1:
            lib.round_uint8_per_column(lib.swig_ptr(t), 7, 9, lib.swig_ptr(a), lib.swig_ptr(b))
        else:
            lib.round_uint8_per_column_multi(lib.swig_ptr(t), m, 7, 9, lib.swig_ptr(a), lib.swig_ptr(b))
        out.append((t, a[0], b[0]))
    np.testing.assert_array_equal(out[0][0], out[1][0])
    assert out[0][1:] == out[1][1:]


def test_bad_input():
    sp = mf.swig_ptr
    LUT, LUTq = np.zeros((4, 16), "float32"), np.zeros((4, 16), "uint8")
    a, b = np.zeros(1, "float32"), np.zeros(1, "float32")
    with pytest.raises(mf.InvalidArgumentError, match="M2 >= M"):
        mf.quantize_LUT_and_bias(1, 4, 16, False, sp(LUT), None, sp(LUTq), 3, None, sp(a), sp(b))
    with pytest.raises(mf.InvalidArgumentError, match="must hold 128 values"):
        mf.quantize_LUT_and_bias(1, 8, 16, False, sp(LUT), None, sp(LUTq), 8, None, sp(a), sp(b))
    with pytest.raises(mf.InvalidArgumentError, match="3-D LUT needs a bias"):
        mf.quantize_LUT_and_bias(1, 4, 16, True, sp(LUT), None, sp(LUTq), 4, None, sp(a), sp(b))
    with pytest.raises(mf.InvalidArgumentError, match="needs biasq"):
        mf.quantize_LUT_and_bias(1, 4, 16, False, sp(LUT), sp(np.zeros(1, "float32")), sp(LUTq), 4, None, sp(a), sp(b))
    with pytest.raises(mf.InputTypeError, match="uint8"):
        mf.quantize_LUT_and_bias(1, 4, 16, False, sp(LUT), None, sp(LUT), 4, None, sp(a), sp(b))
