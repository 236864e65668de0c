"""index_factory, reverse_index_factory and ParameterSpace against faiss."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf
from conftest import gaussian_mixture

STRINGS = ["Flat", "IVF16,Flat", "IDMap,Flat", "IDMap2,Flat", "IDMap,IVF8,Flat", "IDMap2,IVF32,Flat", " IVF4 , Flat ",
           "PQ4", "PQ4x6np", "SQ8", "SQ4", "SQ6", "SQfp16", "SQ8_direct", "IVF16,PQ4np", "IVF16,PQ2x4np", "IVF16,SQ8",
           "IVF16,SQfp16", "IVF16,Flat,RFlat", "PQ4np,RFlat", "IVF16,PQ4np,Refine(Flat)", "IDMap,IVF16,PQ4np,RFlat"]
# faiss.contrib.factory_tools.reverse_index_factory's spelling of each.
# ("np": no polysemous training, which faiss and metalfaiss run for a plain
# "PQ4": it renumbers the centroids, and reverse_index_factory leaves it
# out.)
REVERSED = {"PQ4": "PQ4x8", "PQ4x6np": "PQ4x6", "IVF16,PQ4np": "IVF16,PQ4x8", "IVF16,PQ2x4np": "IVF16,PQ2x4",
            "IVF16,Flat,RFlat": "IVF16,Flat,Refine(Flat)", "PQ4np,RFlat": "PQ4x8,Refine(Flat)",
            "IVF16,PQ4np,Refine(Flat)": "IVF16,PQ4x8,Refine(Flat)", "IDMap,IVF16,PQ4np,RFlat": "IDMap,IVF16,PQ4x8,Refine(Flat)"}


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
    plain = description.replace(" ", "")
    assert mf.reverse_index_factory(ours) == REVERSED.get(plain, plain)
    # The same data gives the same results (or the same recall). Not a
    # mixture of few blobs: 256 PQ centroids on it make faiss re-seed empty
    # clusters for seconds.
    x = rng.standard_normal((2000, d)).astype(np.float32)
    ids = np.arange(2000, dtype=np.int64) * 2
    for ix in (ours, theirs):
        ix.train(x)
        if "IDMap" in description:
            ix.add_with_ids(x, ids)
        else:
            ix.add(x)
    D, I = ours.search(x[:50], 4)
    Df, If = theirs.search(x[:50], 4)
    if "PQ" in description:
        # Trained codebooks may differ by a k-means near-tie, and coarse
        # codes tie often: compare how well each finds the true neighbours.
        flat = faiss.IndexFlat(d, metric)
        flat.add(x)
        _, Ie = flat.search(x[:50], 4)
        if "IDMap" in description:
            Ie = ids[Ie]

        def rec(J):
            return np.mean([len(set(a) & set(b)) / 4 for a, b in zip(J, Ie)])

        assert abs(rec(I) - rec(If)) <= 0.1, (rec(I), rec(If))
    else:
        np.testing.assert_allclose(D, Df, rtol=1e-3, atol=1e-3)
        if "direct" not in description:  # SQ8_direct codes tie a lot: ids may differ among equals
            assert (I == If).mean() >= 0.98


@pytest.mark.parametrize("bad,part", [
    ("Flatt", "Flatt"), ("IVF,Flat", "IVF"), ("IVF16,Flat,Foo", "Foo"), ("IVFx,Flat", "IVFx"), ("", "''"),
    ("IVF16", "IVF16"), ("IVF0,Flat", "IVF0"), ("Flat,Flat", "Flat"), ("PQ4,Foo", "Foo"), ("SQ4_uniform", "SQ4_uniform"),
    ("IVF16,PQ0", "PQ0"), ("IMI2x8", "IMI2x8"), ("Residual64", "Residual64"),
])
def test_unparsable_strings_say_which_part(bad, part):
    with pytest.raises(ValueError, match=part.replace("(", r"\(")):
        mf.index_factory(8, bad)


def test_types_not_there_yet_say_so():
    with pytest.raises(ValueError, match="does not have this index type yet"):
        mf.index_factory(8, "BIVF16")  # a binary IVF string
    with pytest.raises(ValueError, match="could not parse"):
        mf.index_factory(8, "NNDescent32")  # not in faiss's factory either
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
    for bad in [(mf.IndexFlatL2(8), "nprobe", 4), (ours, "efSearch", 4), (ours, "nprobe", -1), (ours, "nprobe", 1.5)]:
        with pytest.raises(ValueError):
            mps.set_index_parameter(*bad)
    with pytest.raises(ValueError):
        mps.set_index_parameters(ours, "nprobe")


@pytest.mark.parametrize("key,check", [
    ("IVF3k,Flat", lambda ix: ix.nlist == 3072),
    ("IVF1M_HNSW,Flat", lambda ix: ix.nlist == 1024 * 1024),
    ("IVF32(PQ5),Flat", lambda ix: ix.quantizer.pq.M == 5),
    ("PCA30,IVF32(PQ15),Flat", lambda ix: ix.index.quantizer.pq.M == 15 and ix.index.quantizer.d == 30),
    ("IVF100(LSHr),Flat", lambda ix: type(ix.quantizer).__name__ == "IndexLSH"),
    ("IVF10(IVF5,SQ4,Refine(SQ8)),Flat", lambda ix: ix.quantizer.refine_index.sq.code_size == 40),
    ("HNSW32,SQ8", lambda ix: ix.storage.sa_code_size() == 40),
    ("PCAR20,L2Norm,Flat", lambda ix: len(ix.chain) == 2),
    ("IVF8,Flat,Refine(PQ4x6)", lambda ix: ix.refine_index.pq.nbits == 6),
])
def test_factory_forms_faiss_reads(key, check):
    import faiss

    ours = mf.index_factory(40, key)
    assert check(ours)
    assert type(ours).__name__ == type(faiss.index_factory(40, key)).__name__


def test_unbalanced_parentheses_raise():
    with pytest.raises(mf.InvalidArgumentError, match="parentheses"):
        mf.index_factory(40, "IVF32(PQ5,Flat")
