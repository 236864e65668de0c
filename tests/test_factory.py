"""index_factory, reverse_index_factory and ParameterSpace against faiss."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf
from conftest import gaussian_mixture

STRINGS = ["Flat", "IVF16,Flat", "IDMap,Flat", "IDMap2,Flat", "IDMap,IVF8,Flat", "IDMap2,IVF32,Flat", " IVF4 , Flat "]


@pytest.mark.parametrize("description", STRINGS)
@pytest.mark.parametrize("metric", [mf.METRIC_L2, mf.METRIC_INNER_PRODUCT])
def test_factory_builds_faiss_structure(rng, description, metric):
    d = 8
    ours = mf.index_factory(d, description, metric)
    theirs = faiss.index_factory(d, description.replace(" ", ""), metric)
    assert type(ours).__name__ == type(theirs).__name__
    assert ours.d == d and ours.metric_type == theirs.metric_type == metric
    assert ours.is_trained == theirs.is_trained
    if "IVF" in description:
        assert mf.extract_index_ivf(ours).nlist == faiss.extract_index_ivf(theirs).nlist
    assert mf.reverse_index_factory(ours) == description.replace(" ", "")
    # The same data gives the same results.
    x = gaussian_mixture(rng, 1000, d, 8)
    ids = np.arange(1000, dtype=np.int64) * 2
    for ix in (ours, theirs):
        ix.train(x)
        if "IDMap" in description:
            ix.add_with_ids(x, ids)
        else:
            ix.add(x)
    D, I = ours.search(x[:10], 4)
    Df, If = theirs.search(x[:10], 4)
    np.testing.assert_array_equal(I, If)
    np.testing.assert_allclose(D, Df, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("bad,part", [
    ("Flatt", "Flatt"), ("IVF,Flat", "IVF"), ("IVF16,Flat,Foo", "Foo"), ("IVFx,Flat", "IVFx"), ("", "''"),
    ("IVF16", "IVF16"), ("IVF0,Flat", "IVF0"), ("Flat,Flat", "Flat"),
])
def test_unparsable_strings_say_which_part(bad, part):
    with pytest.raises(ValueError, match=part.replace("(", r"\(")):
        mf.index_factory(8, bad)


def test_types_not_there_yet_say_so():
    for s in ("PQ4", "IVF16,SQ8", "IVF16,Flat,RFlat"):
        with pytest.raises(ValueError, match="does not have this index type yet"):
            mf.index_factory(8, s)
    with pytest.raises(ValueError, match="names no index"):
        mf.index_factory(8, "IDMap")
    with pytest.raises(mf.InvalidArgumentError):
        mf.index_factory(8, 42)


def test_parameter_space_like_faiss():
    ours = mf.index_factory(8, "IDMap,IVF16,Flat")
    theirs = faiss.index_factory(8, "IDMap,IVF16,Flat")
    mps, fps = mf.ParameterSpace(), faiss.ParameterSpace()
    mps.set_index_parameter(ours, "nprobe", 5)
    fps.set_index_parameter(theirs, "nprobe", 5)
    assert mf.extract_index_ivf(ours).nprobe == faiss.extract_index_ivf(theirs).nprobe == 5
    mps.set_index_parameters(ours, "nprobe=7")
    assert mf.extract_index_ivf(ours).nprobe == 7
    for o, t in [(ours, theirs), (mf.index_factory(8, "IVF16,Flat"), faiss.index_factory(8, "IVF16,Flat")),
                 (mf.index_factory(8, "IVF4096,Flat"), faiss.index_factory(8, "IVF4096,Flat"))]:
        mps, fps = mf.ParameterSpace(), faiss.ParameterSpace()  # faiss's initialize adds to what is there
        mps.initialize(o)
        fps.initialize(t)
        assert mps.n_combinations() == fps.n_combinations()
        names = [mps.combination_name(i) for i in range(mps.n_combinations())]
        assert names == [fps.combination_name(i) for i in range(fps.n_combinations())]
    for bad in [(mf.IndexFlatL2(8), "nprobe", 4), (ours, "efSearch", 4), (ours, "nprobe", 0), (ours, "nprobe", 1.5)]:
        with pytest.raises(ValueError):
            mps.set_index_parameter(*bad)
    with pytest.raises(ValueError):
        mps.set_index_parameters(ours, "nprobe")
