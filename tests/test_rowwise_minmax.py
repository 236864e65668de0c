"""IndexRowwiseMinMax and IndexRowwiseMinMaxFP16 against faiss-cpu: the same
codes from the same trained sub-index, files both ways byte for byte, our
own training, the factory strings, and what faiss refuses."""

import numpy as np
import pytest

import metalfaiss as mf
from conftest import needs_faiss
from metalfaiss.errors import UnsupportedOperationError

# faiss-cpu 1.13 (Python 3.9's) rounds float16 codes another way
FP16_CODES = needs_faiss("1.15", "rounds float16 codes as metalfaiss does")

faiss = pytest.importorskip("faiss")


@pytest.fixture(scope="module")
def x():
    rng = np.random.default_rng(7)
    # rows of very different offsets and ranges: what the scaling is for
    base = rng.standard_normal((3000, 24)) * rng.uniform(0.1, 20, (3000, 1)) + rng.uniform(-50, 50, (3000, 1))
    base[5] = 3.25  # a constant row: range 0, coded as zeros
    return base.astype(np.float32)


@pytest.mark.parametrize("desc", ["MinMax,SQ8", "MinMaxFP16,SQ8", pytest.param("MinMax,SQfp16", marks=FP16_CODES),
                                  "MinMaxFP16,PQ6x6", "MinMax,Flat"])
def test_codes_and_files_match_faiss(x, desc):
    theirs = faiss.index_factory(24, desc)
    theirs.train(x)
    ours = mf.deserialize_index(faiss.serialize_index(theirs))
    assert type(ours).__name__ == type(theirs).__name__
    assert ours.sa_code_size() == theirs.sa_code_size()
    codes = theirs.sa_encode(x)
    assert np.array_equal(ours.sa_encode(x), codes)
    # faiss's decode may fuse the multiply-add: within a few rounding steps
    # of the row's offset (up to 70 here)
    np.testing.assert_allclose(ours.sa_decode(codes), theirs.sa_decode(codes), rtol=1e-5, atol=1e-4)
    assert np.array_equal(mf.serialize_index(ours), faiss.serialize_index(theirs))
    assert (ours.sa_decode(codes)[5] == 3.25).all()


@pytest.mark.parametrize("desc", ["MinMax,SQ8", "MinMaxFP16,SQ4", pytest.param("MinMax,SQfp16", marks=FP16_CODES)])
def test_our_training_gives_faiss_codes(x, desc):
    theirs = faiss.index_factory(24, desc)
    theirs.train(x)
    ours = mf.index_factory(24, desc)
    assert type(ours) is getattr(mf, type(theirs).__name__) and mf.reverse_index_factory(ours) == desc
    ours.train(x)
    assert np.array_equal(ours.sa_encode(x), theirs.sa_encode(x))
    assert np.array_equal(mf.serialize_index(ours), faiss.serialize_index(theirs))


def test_pq_training_quality(x):
    theirs = faiss.index_factory(24, "MinMax,PQ8")
    theirs.train(x)
    ours = mf.index_factory(24, "MinMax,PQ8")
    ours.train(x)
    err = [float(((i.sa_decode(i.sa_encode(x)) - x) ** 2).sum(1).mean()) for i in (ours, theirs)]
    assert err[0] <= 1.05 * err[1], err  # observed 1.00x


def test_constructor_and_train_inplace(x):
    sq = mf.IndexScalarQuantizer(24, mf.ScalarQuantizer.QT_8bit)
    ix = mf.IndexRowwiseMinMaxFP16(sq)
    assert ix.index is sq and ix.d == 24 and ix.is_trained and ix.ntotal == 0
    assert ix.sa_code_size() == 24 + 4
    mine, other = x[:500].copy(), x[:500].copy()
    ix.train_inplace(500, mf.swig_ptr(mine))
    assert sq.is_trained
    theirs = faiss.IndexRowwiseMinMaxFP16(faiss.IndexScalarQuantizer(24, faiss.ScalarQuantizer.QT_8bit))
    theirs.train_inplace(other)
    assert np.array_equal(ix.sa_encode(x), theirs.sa_encode(x))
    # scaled and back in place, rounded as faiss rounds them
    np.testing.assert_allclose(mine, other, rtol=1e-6, atol=1e-5)
    assert not np.array_equal(mine, x[:500])
    again = x[:500].copy()
    ix.train_inplace(again)
    np.testing.assert_array_equal(again, mine)


def test_what_faiss_refuses(x):
    ix = mf.index_factory(24, "MinMax,SQ8")
    ix.train(x)
    with pytest.raises(UnsupportedOperationError, match="add not implemented"):
        ix.add(x)
    with pytest.raises(UnsupportedOperationError, match="search not implemented"):
        ix.search(x[:2], 3)
    with pytest.raises(UnsupportedOperationError, match="reset not implemented"):
        ix.reset()
    with pytest.raises(mf.MetalFaissError, match="sa_encode|columns|d=24"):
        ix.sa_encode(x[:, :20])
    with pytest.raises(mf.MetalFaissError):
        ix.sa_decode(np.zeros((2, 5), dtype=np.uint8))
    with pytest.raises(mf.MetalFaissError, match="sa_encode|train"):
        mf.index_factory(24, "MinMax,SQ8").sa_encode(x[:2])
    with pytest.raises(ValueError, match="MinMax"):
        mf.index_factory(24, "MinMax")
    with pytest.raises(TypeError):
        mf.IndexRowwiseMinMax("SQ8")
    with pytest.raises(mf.MetalFaissError, match="standalone codes"):
        mf.IndexRowwiseMinMax(mf.IndexHNSWFlat(24, 8))
    with pytest.raises(mf.MetalFaissError, match="swig_ptr|pointer"):
        ix.train_inplace(3, x[:3])
    with pytest.raises(mf.MetalFaissError, match="float32"):
        ix.train_inplace(x[:3].astype(np.float64))
    with pytest.raises(mf.MetalFaissError, match="columns"):
        ix.train_inplace(np.ascontiguousarray(x[:3, :20]))
    with pytest.raises(mf.MetalFaissError, match="hold"):
        ix.train_inplace(4, mf.swig_ptr(x[:3].copy()))
