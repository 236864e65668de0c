"""ProgressiveDimClustering (and Kmeans(progressive_dim_steps=...)): k-means
in growing dimensions after PCA, against faiss-cpu's objective."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf

D, K = 32, 50


def _data():
    rs = np.random.RandomState(123)
    centers = rs.randn(80, D).astype(np.float32) * np.linspace(3, 0.3, D, dtype=np.float32)
    return np.ascontiguousarray(centers[rs.randint(0, 80, 10000)] + rs.randn(10000, D).astype(np.float32))


def _progressive(lib, x, steps=5, apply_pca=True):
    clus = lib.ProgressiveDimClustering(D, K)
    clus.progressive_dim_steps = steps
    clus.apply_pca = apply_pca
    clus.train(len(x), lib.swig_ptr(x), lib.ProgressiveDimIndexFactory())
    stats = clus.iteration_stats
    return lib.vector_to_array(clus.centroids).reshape(K, D), [stats.at(i).obj for i in range(stats.size())]


@pytest.mark.parametrize("apply_pca", [True, False])
def test_objective_like_faiss_and_better_than_plain_kmeans(apply_pca):
    x = _data()
    ours, obj = _progressive(mf, x, apply_pca=apply_pca)
    theirs, obj_f = _progressive(faiss, x, apply_pca=apply_pca)
    assert 5 < len(obj) <= 5 * 10 and len(obj_f) <= 5 * 10  # at most 10 iterations per step by default
    final = faiss.knn(x, ours, 1)[0].sum()
    final_f = faiss.knn(x, theirs, 1)[0].sum()
    assert final == pytest.approx(final_f, rel=0.03)
    plain = mf.Kmeans(D, K)
    plain.train(x)
    assert final < plain.obj[-1] * 1.02
    if not apply_pca:  # no eigen-solver in the way: the same runs as faiss
        np.testing.assert_allclose(ours, theirs, rtol=1e-3, atol=1e-3)


def test_kmeans_wrapper_and_parameters():
    x = _data()
    km = mf.Kmeans(D, K, progressive_dim_steps=5)
    km.train(x)
    assert km.cp.niter == 10 and km.centroids.shape == (K, D) and 5 < len(km.obj) <= 50
    Dk, Ik = km.assign(x[:10])
    np.testing.assert_array_equal(Ik, faiss.knn(x[:10], km.centroids, 1)[1].ravel())
    with pytest.raises(ValueError, match="weights"):
        km.train(x, weights=np.ones(len(x), np.float32))
    with pytest.raises(mf.InvalidArgumentError, match="progressive_dim_steps"):
        mf.ProgressiveDimClustering(D, K).progressive_dim_steps = 0
    with pytest.raises(mf.InvalidArgumentError, match="must hold"):  # a pointer to fewer than n rows
        mf.ProgressiveDimClustering(D, K).train(len(x) + 1, mf.swig_ptr(x), mf.ProgressiveDimIndexFactory())
    cp = mf.ProgressiveDimClusteringParameters(niter=3, apply_pca=False)
    clus = mf.ProgressiveDimClustering(D, K, cp)
    assert (clus.niter, clus.apply_pca, clus.progressive_dim_steps) == (3, False, 10)
