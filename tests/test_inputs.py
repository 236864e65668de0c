"""What callers may pass: dtypes, layouts, lists, array-likes, integer k."""

import numpy as np
import pytest

import metalfaiss as mf


def reference_search(xb, xq, k):
    d = ((xq.astype(np.float64)[:, None] - xb.astype(np.float64)[None]) ** 2).sum(-1)
    return np.argsort(d, axis=1, kind="stable")[:, :k]


@pytest.fixture
def xb(rng):
    return rng.random((300, 8), dtype=np.float32)


@pytest.mark.parametrize("convert", [
    lambda x: x.astype(np.float64),
    lambda x: x.astype(np.float16),
    lambda x: np.asfortranarray(x),
    lambda x: np.repeat(x, 2, axis=1)[:, ::2],  # non-contiguous view
    lambda x: x.tolist(),
    lambda x: [tuple(r) for r in x.tolist()],
])
def test_any_float_input_is_converted_once(rng, xb, convert):
    index = mf.IndexFlatL2(8)
    index.add(convert(xb))
    D, I = index.search(convert(xb[:5]), 3)
    assert D.dtype == np.float32 and I.dtype == np.int64 and D.shape == (5, 3)
    np.testing.assert_array_equal(I[:, 0], np.arange(5))  # each query finds itself
    np.testing.assert_allclose(index.reconstruct_n(), np.asarray(convert(xb), dtype=np.float32))


def test_integer_data_and_numpy_integer_k(xb):
    index = mf.IndexFlatL2(8)
    data = (xb * 100).astype(np.int32)
    index.add(data)
    D, I = index.search(data[:4], np.int64(2))
    np.testing.assert_array_equal(I[:, 0], np.arange(4))
    D, I = index.search(data[:4], np.uint8(1))
    assert I.shape == (4, 1)


def test_array_like_objects_are_accepted(xb):
    class ArrayLike:  # what mlx and torch CPU tensors look like to numpy
        def __init__(self, a):
            self.a = a

        def __array__(self, dtype=None, copy=None):
            return self.a if dtype is None else self.a.astype(dtype)

    index = mf.IndexFlatIP(8)
    index.add(ArrayLike(xb))
    D, I = index.search(ArrayLike(xb[:2]), 1)
    assert index.ntotal == 300 and I.shape == (2, 1)


def test_single_vector_is_one_row(xb):
    index = mf.IndexFlatL2(8)
    index.add(xb)
    D, I = index.search(xb[7], 2)
    assert I.shape == (1, 2) and I[0, 0] == 7
    index.add(xb[0])
    assert index.ntotal == 301


def test_zero_rows_are_a_valid_empty_batch(xb):
    index = mf.IndexFlatL2(8)
    index.add(np.empty((0, 8), dtype=np.float32))
    assert index.ntotal == 0
    index.add(xb)
    D, I = index.search(np.empty((0, 8), dtype=np.float32), 4)
    assert D.shape == (0, 4) and I.shape == (0, 4)
    lims, D, I = index.range_search(np.empty((0, 8)), 1.0)
    assert lims.tolist() == [0] and D.size == 0


def test_search_results_match_brute_force(rng, xb):
    index = mf.IndexFlatL2(8)
    index.add(xb)
    xq = rng.random((33, 8), dtype=np.float32)
    D, I = index.search(xq, 6)
    np.testing.assert_array_equal(I, reference_search(xb, xq, 6))


def test_caller_supplied_outputs_are_filled(xb):
    index = mf.IndexFlatL2(8)
    index.add(xb)
    D, I = np.zeros((3, 2), np.float32), np.zeros((3, 2), np.int64)
    D2, I2 = index.search(xb[:3], 2, D=D, I=I)
    assert D2 is D and I2 is I and I[1, 0] == 1


def test_metric_type_enum_round_trips():
    assert int(mf.MetricType.L2) == mf.METRIC_L2 == 1
    assert mf.MetricType.INNER_PRODUCT == mf.METRIC_INNER_PRODUCT == 0
    assert [int(m) for m in mf.MetricType] == [0, 1, 2, 3, 4, 20, 21, 22, 23, 24, 25]
    for m in mf.MetricType:
        assert mf.MetricType.parse(str(m)) is m
        assert mf.MetricType.parse(m.faiss_name) is m
        assert mf.MetricType.parse(int(m)) is m
    assert mf.MetricType.parse("ip") is mf.MetricType.INNER_PRODUCT
    assert mf.MetricType.parse(np.int32(3)) is mf.MetricType.LINF
    assert mf.MetricType.parse("metric_linf") is mf.MetricType.LINF
    assert mf.IndexFlat(4, "inner_product").metric_type == mf.METRIC_INNER_PRODUCT
    assert mf.IndexFlat(4, mf.MetricType.L1).metric_type == mf.METRIC_L1


def test_lp_metric_arg_is_settable():
    index = mf.IndexFlat(3, mf.METRIC_Lp)
    assert index.metric_arg == 0.0
    index.metric_arg = 1.5
    assert index.metric_arg == 1.5
    index.add(np.array([[0, 0, 0], [1, 1, 1]], np.float32))
    D, _ = index.search(np.array([[0, 0, 1]], np.float32), 2)
    np.testing.assert_allclose(D, [[1.0, 2.0]])


def test_index_is_context_manager_and_has_len(xb):
    with mf.IndexFlatL2(8) as index:
        index.add(xb)
        assert len(index) == 300 and index.is_trained and index.d == 8
        assert "ntotal=300" in repr(index)
    assert "closed" in repr(index)
