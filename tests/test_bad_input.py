"""Every bad input raises a clear exception and leaves the index unchanged."""

import os

import numpy as np
import pytest

import metalfaiss as mf


@pytest.fixture
def index(rng):
    ix = mf.IndexFlatL2(4)
    ix.add(rng.random((10, 4), dtype=np.float32))
    return ix


def unchanged(ix, before):
    np.testing.assert_array_equal(ix.reconstruct_n(), before)


@pytest.mark.parametrize("bad,error,words", [
    (np.zeros((3, 5), np.float32), mf.DimensionMismatchError, "x has 5 columns, index has d=4"),
    (np.zeros(7, np.float32), mf.DimensionMismatchError, "got shape (7,)"),
    (np.zeros((2, 2, 4), np.float32), mf.DimensionMismatchError, "2-D"),
    (np.float32(1.0), mf.DimensionMismatchError, "2-D"),
    ([], mf.DimensionMismatchError, "got shape (0,)"),
    (np.zeros((3, 0), np.float32), mf.InvalidArgumentError, "no columns"),
    ([["a", "b", "c", "d"]], mf.InputTypeError, "numeric"),
    (np.array([[1, 2, 3, 4]], dtype=object), mf.InputTypeError, "numeric"),
    (np.ones((1, 4), dtype=complex), mf.InputTypeError, "numeric"),
    (np.ones((1, 4), dtype=bool), mf.InputTypeError, "numeric"),
    ([[1, 2, 3, 4], [1, 2]], mf.InputTypeError, "cannot be read"),
    (None, mf.InputTypeError, "numeric"),
    ({"a": 1}, mf.InputTypeError, "numeric"),
])
@pytest.mark.parametrize("method", ["add", "search", "train", "range_search", "assign"])
def test_bad_vectors_raise_and_leave_index_unchanged(index, bad, error, words, method):
    before = index.reconstruct_n()
    call = {
        "add": lambda: index.add(bad),
        "train": lambda: index.train(bad),
        "search": lambda: index.search(bad, 2),
        "range_search": lambda: index.range_search(bad, 1.0),
        "assign": lambda: index.assign(bad, 1),
    }[method]
    with pytest.raises(error) as exc:
        call()
    assert words in str(exc.value)
    assert f"IndexFlatL2.{method}" in str(exc.value)
    assert isinstance(exc.value, mf.MetalFaissError)
    unchanged(index, before)


@pytest.mark.parametrize("k,error", [(0, ValueError), (-3, ValueError), (2.0, TypeError), ("3", TypeError), (True, TypeError), (None, TypeError)])
def test_bad_k(index, k, error):
    with pytest.raises(error, match="k must be"):
        index.search(np.zeros((1, 4), np.float32), k)
    with pytest.raises(error, match="k must be"):
        mf.knn(np.zeros((1, 4), np.float32), np.zeros((3, 4), np.float32), k)


def test_bad_constructor_arguments():
    with pytest.raises(mf.InvalidArgumentError, match="d must be positive, got 0"):
        mf.IndexFlatL2(0)
    with pytest.raises(mf.InvalidArgumentError, match="d must be positive, got -2"):
        mf.IndexFlat(-2, mf.METRIC_L1)
    with pytest.raises(TypeError, match="d must be an integer"):
        mf.IndexFlatL2(4.5)
    with pytest.raises(mf.InvalidArgumentError, match="unknown metric number 9"):
        mf.IndexFlat(4, 9)
    with pytest.raises(mf.InvalidArgumentError, match="unknown metric name 'cosine'"):
        mf.IndexFlat(4, "cosine")


def test_reconstruct_out_of_range(index):
    with pytest.raises(mf.InvalidArgumentError, match="out of range, index has ntotal=10"):
        index.reconstruct(10)
    with pytest.raises(mf.InvalidArgumentError, match="out of range"):
        index.reconstruct(-1)
    with pytest.raises(mf.InvalidArgumentError, match="out of range"):
        index.reconstruct_n(8, 5)
    with pytest.raises(TypeError, match="key must be an integer"):
        index.reconstruct(1.0)
    with pytest.raises(mf.InvalidArgumentError, match="does not fit in 64 bits"):
        index.reconstruct(2**70)
    with pytest.raises(mf.InvalidArgumentError, match="does not fit in 64 bits"):
        index.search(np.zeros((1, 4)), 2**64)


def test_removing_ids_that_do_not_exist_removes_nothing(index):
    before = index.reconstruct_n()
    assert index.remove_ids(np.array([10, 11, -1, 2**40], dtype=np.int64)) == 0
    assert index.remove_ids(mf.IDSelectorRange(100, 200)) == 0
    unchanged(index, before)


@pytest.mark.parametrize("ids", [np.array([1.5, 2.0]), ["a"], np.zeros((2, 2), np.int64)])
def test_bad_ids_raise(index, ids):
    before = index.reconstruct_n()
    with pytest.raises(mf.MetalFaissError, match="IndexFlatL2.remove_ids: ids must"):
        index.remove_ids(ids)
    unchanged(index, before)


def test_add_with_ids_is_unsupported_on_a_flat_index(index):
    with pytest.raises(NotImplementedError, match="IndexIDMap"):
        index.add_with_ids(np.zeros((1, 4), np.float32), np.array([5]))
    with pytest.raises(mf.InputTypeError, match="SearchParameters"):
        index.search(np.zeros((1, 4), np.float32), 1, params=object())


def test_bad_output_arrays(index):
    x = np.zeros((2, 4), np.float32)
    with pytest.raises(mf.InvalidArgumentError, match="D must be a C-contiguous float32 array of shape"):
        index.search(x, 3, D=np.zeros((2, 2), np.float32))
    with pytest.raises(mf.InvalidArgumentError, match="I must be"):
        index.search(x, 3, I=np.zeros((2, 3), np.int32))


def test_nan_in_add_is_stored_and_never_returned(index):
    index.add(np.array([[np.nan, 0, 0, 0]], np.float32))
    assert index.ntotal == 11
    D, I = index.search(np.zeros((1, 4), np.float32), 11)
    assert 10 not in I[0] and I[0, -1] == -1


def test_normalize_L2_needs_writable_float32(rng):
    with pytest.raises(TypeError, match="in place"):
        mf.normalize_L2(rng.random((2, 3)))  # float64 cannot be changed in place
    with pytest.raises(TypeError, match="in place"):
        mf.normalize_L2([[1.0, 2.0]])
    with pytest.raises(ValueError, match="2-D"):
        mf.normalize_L2(np.ones(3, np.float32))


def test_knn_dimension_mismatch():
    with pytest.raises(mf.DimensionMismatchError, match="xq has 3 columns, xb has 4"):
        mf.knn(np.zeros((1, 3)), np.zeros((2, 4)), 1)


@pytest.mark.parametrize("method,args", [
    ("add", (np.zeros((1, 4)),)), ("search", (np.zeros((1, 4)), 1)), ("reset", ()),
    ("reconstruct", (0,)), ("reconstruct_n", ()), ("remove_ids", ([0],)),
    ("range_search", (np.zeros((1, 4)), 1.0)), ("assign", (np.zeros((1, 4)), 1)), ("train", (np.zeros((1, 4)),)),
])
def test_closed_index_raises(index, method, args):
    index.close()
    with pytest.raises(mf.ClosedIndexError, match=f"IndexFlatL2.{method}: the index is closed"):
        getattr(index, method)(*args)
    with pytest.raises(mf.ClosedIndexError):
        index.ntotal
    index.close()  # closing twice is harmless


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded")  # Python >= 3.12; the point of the test
def test_forked_child_gets_a_clear_error(index):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never return into pytest
        code = 3
        try:
            index.search(np.zeros((1, 4), np.float32), 1)
            code = 1
        except mf.ForkedProcessError as e:
            code = 0 if "forked child" in str(e) else 2
        except BaseException:
            code = 4
        os.write(w, bytes([code]))
        os._exit(0)
    os.close(w)
    result = os.read(r, 1)
    os.waitpid(pid, 0)
    assert result == bytes([0])
    assert index.ntotal == 10  # the parent still works
