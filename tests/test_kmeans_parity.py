"""k-means against faiss-cpu, the oracle.

metalfaiss draws its initial centroids, subsample and cluster splits with
faiss's own generator (mt19937) and sums in faiss's order, so from the same
seed it usually lands on the very same centroids. The assertions are the
tolerances of the issue; observed differences are noted beside them.
"""

import numpy as np
import pytest

import metalfaiss as mf
from conftest import gaussian_mixture, needs_faiss

faiss = pytest.importorskip("faiss")


def rel(a, b):
    return float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-30))


def both(d, k, x, weights=None, init=None, **kw):
    ours, theirs = mf.Kmeans(d, k, **kw), faiss.Kmeans(d, k, **kw)
    ours.train(x, weights=weights, init_centroids=init)
    theirs.train(x, weights=weights, init_centroids=init)
    return ours, theirs


@needs_faiss("1.15", "stops k-means when the objective stops improving")
@pytest.mark.parametrize("d,k,n", [(8, 10, 2000), (64, 50, 5000), (768, 20, 3000)])
def test_same_initial_centroids_same_iterations(rng, d, k, n):
    # One starting point per component, so no cluster empties. After a split
    # the two copies of a centroid differ by 1/1024 and the points between
    # them are assigned by rounding noise (faiss's BLAS sums in another
    # order); test_empty_cluster_splits_match_faiss covers splits.
    x, labels = gaussian_mixture(rng, n, d, k, return_labels=True)
    init = x[[int(np.argmax(labels == c)) for c in range(k)]]
    ours, theirs = both(d, k, x, init=init, niter=8, max_points_per_centroid=10**6)
    # observed: max relative difference 0 to 2e-7 (rounding of sums)
    assert rel(ours.centroids, theirs.centroids) <= 1e-4
    assert np.allclose(ours.obj, theirs.obj, rtol=1e-5, atol=0)
    assert ours.obj.dtype == np.float64 and ours.centroids.dtype == np.float32
    assert ours.centroids.shape == (k, d)


@pytest.mark.parametrize("seed", [1234, 1, 99, 2024])
def test_default_init_objective_close_to_faiss(rng, seed):
    x = gaussian_mixture(rng, 6000, 32, 40)
    ours, theirs = both(32, 40, x, niter=15, seed=seed)
    # observed: 0 relative difference (same picks); the issue asks for 1%
    assert abs(ours.obj[-1] - theirs.obj[-1]) <= 0.01 * theirs.obj[-1]


def test_same_seed_same_centroids_as_faiss(rng):
    x = gaussian_mixture(rng, 4000, 16, 30)
    ours, theirs = both(16, 30, x, niter=10)
    np.testing.assert_allclose(ours.centroids, theirs.centroids, rtol=1e-4, atol=1e-5)


def test_subsampling_matches_faiss(rng):
    x = gaussian_mixture(rng, 3000, 12, 5)
    with _no_warning():
        ours, theirs = both(12, 5, x, niter=6, max_points_per_centroid=100)
    np.testing.assert_allclose(ours.centroids, theirs.centroids, rtol=1e-4, atol=1e-5)


def _no_warning():
    import contextlib
    import warnings

    @contextlib.contextmanager
    def cm():
        with warnings.catch_warnings():
            warnings.simplefilter("error", mf.MetalFaissWarning)
            yield

    return cm()


def test_spherical_matches_faiss_and_keeps_unit_norms(rng):
    x = gaussian_mixture(rng, 3000, 24, 20)
    ours, theirs = both(24, 20, x, niter=8, spherical=True)
    np.testing.assert_allclose(np.linalg.norm(ours.centroids, axis=1), 1.0, rtol=1e-5)
    assert ours.index.metric_type == mf.METRIC_INNER_PRODUCT
    np.testing.assert_allclose(ours.centroids, theirs.centroids, rtol=1e-4, atol=1e-5)
    assert np.allclose(ours.obj, theirs.obj, rtol=1e-5)


def test_int_centroids_round_like_faiss(rng):
    x = (gaussian_mixture(rng, 2000, 6, 8) * 10).astype(np.float32)
    ours, theirs = both(6, 8, x, niter=5, int_centroids=True)
    assert np.array_equal(ours.centroids, np.round(ours.centroids))
    np.testing.assert_array_equal(ours.centroids, theirs.centroids)


def test_frozen_centroids_never_move(rng):
    d, k = 10, 12
    x = gaussian_mixture(rng, 3000, d, k)
    init = x[:4] + 0.5
    ours, theirs = both(d, k, x, init=init, niter=6, frozen_centroids=True)
    np.testing.assert_array_equal(ours.centroids[:4], init)
    np.testing.assert_allclose(ours.centroids, theirs.centroids, rtol=1e-4, atol=1e-5)


def test_weights_change_the_result_as_in_faiss(rng):
    d, k, n = 8, 6, 2500
    x = gaussian_mixture(rng, n, d, k)
    w = rng.uniform(0.1, 5.0, n).astype(np.float32)
    ours, theirs = both(d, k, x, weights=w, niter=6)
    plain = mf.Kmeans(d, k, niter=6)
    plain.train(x)
    assert not np.allclose(ours.centroids, plain.centroids)
    np.testing.assert_allclose(ours.centroids, theirs.centroids, rtol=1e-4, atol=1e-5)
    assert np.allclose(ours.obj, theirs.obj, rtol=1e-5)


def test_nredo_keeps_the_best_run_like_faiss(rng):
    x = gaussian_mixture(rng, 3000, 8, 25)
    ours, theirs = both(8, 25, x, niter=5, nredo=3)
    assert len(ours.iteration_stats) == len(theirs.iteration_stats)
    np.testing.assert_allclose(ours.centroids, theirs.centroids, rtol=1e-4, atol=1e-5)


def test_empty_cluster_splits_match_faiss(rng):
    d, k = 4, 6
    x = gaussian_mixture(rng, 1200, d, 5)
    init = np.vstack([x[:5], np.full((1, d), 1e3, dtype=np.float32)])
    ours, theirs = both(d, k, x, init=init, niter=4)
    assert ours.iteration_stats[0]["nsplit"] == theirs.iteration_stats[0]["nsplit"] == 1
    np.testing.assert_allclose(ours.centroids, theirs.centroids, rtol=1e-4, atol=1e-5)


@needs_faiss("1.15", "has ClusteringParameters.early_stop_threshold")
@pytest.mark.parametrize("threshold", [0.0, 1e-3, 0.1, -1.0])
def test_early_stop_threshold_like_faiss(rng, threshold):
    # faiss 1.15 stops once the relative change of the objective is at most
    # the threshold; at 0 that is when it no longer changes.
    x, labels = gaussian_mixture(rng, 2000, 8, 10, return_labels=True)
    init = x[[int(np.argmax(labels == c)) for c in range(10)]]
    ours, theirs = both(8, 10, x, init=init, niter=20, early_stop_threshold=threshold)
    assert len(ours.obj) == len(theirs.obj)
    assert (len(ours.obj) == 20) == (threshold < 0)
    np.testing.assert_allclose(ours.centroids, theirs.centroids, rtol=1e-4, atol=1e-5)


def test_iteration_stats_have_faiss_fields(rng):
    x = gaussian_mixture(rng, 2000, 8, 10)
    ours, theirs = both(8, 10, x, niter=4)
    assert [set(s) for s in ours.iteration_stats] == [set(s) for s in theirs.iteration_stats]
    for a, b in zip(ours.iteration_stats, theirs.iteration_stats):
        assert a["nsplit"] == b["nsplit"]
        assert a["imbalance_factor"] == pytest.approx(b["imbalance_factor"], rel=1e-9)
        assert a["time"] >= a["time_search"] >= 0


def test_assign_and_index_like_faiss(rng):
    x = gaussian_mixture(rng, 3000, 16, 12)
    ours, theirs = both(16, 12, x, niter=6)
    D, I = ours.assign(x[:200])
    Df, If = theirs.assign(x[:200])
    assert D.shape == (200,) and I.dtype == np.int64
    np.testing.assert_array_equal(I, If)
    np.testing.assert_allclose(D, Df, rtol=1e-4, atol=1e-3)
    _, I2 = ours.index.search(x[:200], 1)
    np.testing.assert_array_equal(I2.ravel(), I)


def test_as_many_points_as_clusters(rng):
    x = rng.standard_normal((7, 5)).astype(np.float32)
    with pytest.warns(mf.MetalFaissWarning, match="please provide at least 273 training points"):
        ours, theirs = both(5, 7, x)
    np.testing.assert_array_equal(ours.centroids, x)
    assert len(ours.iteration_stats) == len(theirs.iteration_stats) == 1


def test_faiss_style_clustering_object(rng):
    d, k = 12, 9
    x = gaussian_mixture(rng, 2000, d, k)
    ours, theirs = mf.Clustering(d, k), faiss.Clustering(d, k)
    for c in (ours, theirs):
        c.niter = 7
        c.seed = 5
    ours.train(x, mf.IndexFlatL2(d))
    theirs.train(x, faiss.IndexFlatL2(d))
    a = mf.vector_to_array(ours.centroids).reshape(k, d)
    b = faiss.vector_to_array(theirs.centroids).reshape(k, d)
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    assert ours.iteration_stats.size() == theirs.iteration_stats.size() == 7
    assert ours.iteration_stats.at(6).obj == pytest.approx(theirs.iteration_stats.at(6).obj, rel=1e-5)


def test_clustering_parameters_object_like_faiss(rng):
    d, k = 6, 5
    x = gaussian_mixture(rng, 1000, d, k)
    cp, fcp = mf.ClusteringParameters(), faiss.ClusteringParameters()
    for c in (cp, fcp):
        c.niter = 3
        c.spherical = True
    ours, theirs = mf.Clustering(d, k, cp), faiss.Clustering(d, k, fcp)
    ours.train(x, mf.IndexFlatIP(d))
    theirs.train(x, faiss.IndexFlatIP(d))
    np.testing.assert_allclose(ours.centroids, faiss.vector_to_array(theirs.centroids), rtol=1e-4, atol=1e-5)
    for name in ("niter", "nredo", "seed", "min_points_per_centroid", "max_points_per_centroid", "decode_block_size"):
        assert getattr(mf.ClusteringParameters(), name) == getattr(faiss.ClusteringParameters(), name), name
