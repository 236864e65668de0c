"""IndexPreTransform and the factory's transform prefixes against faiss-cpu:
recall within 0.02 of faiss's on the same data."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf


def _dataset(nb=12000, nq=200, d=48, seed=0):
    rng = np.random.default_rng(seed)
    basis = rng.standard_normal((16, d))  # intrinsic dimension 16, plus noise
    centers = rng.standard_normal((40, 16)) * 3
    def draw(n):
        z = centers[rng.integers(0, 40, n)] + rng.standard_normal((n, 16))
        return (z @ basis + 0.1 * rng.standard_normal((n, d))).astype(np.float32)
    return draw(nb), draw(nq)


def _recall(I, gt, k):
    return np.mean([len(set(a[:k]) & set(b[:k])) / k for a, b in zip(I, gt)])


@pytest.mark.parametrize("desc", [
    "PCA16,IVF64,Flat", "PCAR16,IVF64,Flat", "PCAW16,Flat", "OPQ8_32,IVF64,PQ8np", "OPQ8,PQ8np",
    "RR48,IVF64,SQ8", "L2norm,Flat", "Pad64,IVF64,Flat", "PCA24,HNSW16", "PCA16,IVF64,Flat,RFlat",
    "ITQ32,Flat", "IDMap2,PCA16,Flat",
])
def test_factory_transforms_recall_like_faiss(desc):
    xb, xq = _dataset()
    k = 10
    gt = faiss.knn(xq, xb, k)[1]
    results = []
    for lib in (mf, faiss):
        index = lib.index_factory(48, desc)
        if desc.startswith("OPQ"):  # faiss's OPQ training is slow: fewer rounds for both
            opq = index.chain.at(0) if lib is mf else faiss.downcast_VectorTransform(index.chain.at(0))
            opq.niter = 3
        index.train(xb)
        if desc.startswith("IDMap"):
            index.add_with_ids(xb, np.arange(len(xb)) + 1000)
        else:
            index.add(xb)
        if "IVF" in desc:
            lib.extract_index_ivf(index).nprobe = 8
        D, I = index.search(xq, k)
        if desc.startswith("IDMap"):
            assert I.min() >= 1000
            I = I - 1000
        results.append(_recall(I, gt, k))
    ours, theirs = results
    assert ours >= theirs - 0.02, (desc, ours, theirs)


def test_factory_builds_faiss_structure():
    index = mf.index_factory(48, "PCA16,RR16,IVF32,Flat")
    assert isinstance(index, mf.IndexPreTransform)
    assert [type(t).__name__ for t in index.chain] == ["PCAMatrix", "RandomRotationMatrix"]
    assert index.chain.size() == 2 and isinstance(index.chain.at(0), mf.PCAMatrix)
    assert index.d == 48 and index.index.d == 16 and isinstance(index.index, mf.IndexIVFFlat)
    assert mf.reverse_index_factory(index) == "PCA16,RR16,IVF32,Flat"
    for desc in ("PCAW8,Flat", "PCAWR8,Flat", "OPQ4_16,IVF8,PQ4x8", "L2norm,Flat", "Pad64,Flat", "ITQ16,Flat"):
        assert mf.reverse_index_factory(mf.index_factory(48, desc)) == desc
    refined = mf.index_factory(48, "PCA16,IVF32,Flat,RFlat")
    assert isinstance(refined, mf.IndexRefineFlat) and isinstance(refined.base_index, mf.IndexPreTransform)
    with pytest.raises(ValueError, match="OPQ5"):
        mf.index_factory(48, "OPQ5,Flat")


def test_pretransform_index_api():
    xb, xq = _dataset(3000, 20)
    pca = mf.PCAMatrix(48, 16)
    sub = mf.IndexFlatL2(16)
    index = mf.IndexPreTransform(pca, sub)
    assert not index.is_trained and index.d == 48
    with pytest.raises(mf.NotTrainedError):
        index.add(xb)
    assert index.ntotal == 0
    index.train(xb)
    assert index.is_trained and pca.is_trained and sub.ntotal == 0
    index.add(xb)
    D, I = index.search(xq, 5)
    Ds, Is = sub.search(pca.apply(xq), 5)
    np.testing.assert_array_equal(I, Is)
    np.testing.assert_allclose(D, Ds, rtol=1e-4, atol=1e-3)  # GPU backend: L2 from norms, rounded per tile
    np.testing.assert_allclose(index.apply_chain(xq), pca.apply(xq), rtol=1e-6)
    # reconstruct maps back through the orthonormal PCA: the projection of x
    rec = index.reconstruct(7)
    np.testing.assert_allclose(rec, pca.reverse_transform(pca.apply(xb[7:8]))[0], rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(index.reconstruct_n(0, 3), index.reverse_chain(sub.reconstruct_n(0, 3)), rtol=1e-6)
    lims, Dr, Ir = index.range_search(xq[:3], float(D[:, 2].max()))
    assert lims[-1] >= 9
    assert index.remove_ids(np.array([0, 1])) == 2 and index.ntotal == len(xb) - 2
    index.reset()
    assert index.ntotal == 0 and index.is_trained
    # prepend: a chain of two
    norm = mf.NormalizationTransform(48)
    index.prepend_transform(norm)
    assert [type(t).__name__ for t in index.chain] == ["NormalizationTransform", "PCAMatrix"]
    with pytest.raises(mf.DimensionMismatchError):
        index.prepend_transform(mf.PCAMatrix(10, 20))
    with pytest.raises(mf.DimensionMismatchError):
        mf.IndexPreTransform(mf.PCAMatrix(48, 8), mf.IndexFlatL2(16))


def test_pretransform_trains_untrained_transforms_in_order():
    xb, _ = _dataset(3000, 1)
    c = mf.CenteringTransform(48)
    p = mf.PCAMatrix(48, 8)
    index = mf.IndexPreTransform(p, mf.IndexFlatL2(8))
    index.prepend_transform(c)
    index.train(xb)
    assert c.is_trained and p.is_trained
    # the PCA learnt centred data: its mean is ~0
    assert np.abs(p.mean).max() < 1e-3
    theirs = faiss.IndexPreTransform(faiss.PCAMatrix(48, 8), faiss.IndexFlatL2(8))
    theirs.prepend_transform(faiss.CenteringTransform(48))
    theirs.train(xb)
    np.testing.assert_allclose(index.chain[0].mean, faiss.vector_to_array(faiss.downcast_VectorTransform(theirs.chain.at(0)).mean),
                               rtol=1e-5, atol=1e-4)
