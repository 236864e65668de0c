"""The ClassKit / MetalFaiss face: metalfaiss.clustering."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import metalfaiss
from metalfaiss.clustering import AnyClustering, ClusteringParameters, kmeans_clustering, set_return_numpy
from conftest import gaussian_mixture


def to_numpy(a):
    return np.asarray(a)


@pytest.fixture
def no_mlx(monkeypatch):
    """Make `import mlx` fail, as on a machine without it."""
    monkeypatch.setitem(sys.modules, "mlx", None)
    monkeypatch.setitem(sys.modules, "mlx.core", None)


def classkit_sequence(emb, d, k):
    """What ClassKit runs, verbatim."""
    params = ClusteringParameters(max_iterations=20)
    kmeans = AnyClustering.new(d=d, k=k, parameters=params)
    kmeans.train(emb.tolist())
    centroids = kmeans.centroids()
    c = np.asarray(centroids)
    assignments = np.argmin(((emb[:, None, :] - c[None, :, :]) ** 2).sum(-1), axis=1)
    return centroids, assignments


def test_classkit_sequence_with_mlx(rng):
    mx = pytest.importorskip("mlx.core")
    emb = gaussian_mixture(rng, 2000, 64, 8)
    centroids, assignments = classkit_sequence(emb, 64, 8)
    assert isinstance(centroids, mx.array)
    assert centroids.shape == (8, 64) and centroids.dtype == mx.float32
    assert set(assignments.tolist()) == set(range(8))


def test_classkit_sequence_without_mlx(rng, no_mlx):
    emb = gaussian_mixture(rng, 2000, 64, 8)
    centroids, assignments = classkit_sequence(emb, 64, 8)
    assert isinstance(centroids, np.ndarray)
    assert centroids.shape == (8, 64) and centroids.dtype == np.float32
    # same engine, same defaults: the same result as faiss's Kmeans face
    km = metalfaiss.Kmeans(64, 8, niter=20)
    km.train(emb)
    np.testing.assert_array_equal(centroids, km.centroids)


def test_numpy_switches(rng):
    pytest.importorskip("mlx.core")
    x = gaussian_mixture(rng, 500, 4, 3)
    c = AnyClustering(4, 3)
    c.train(x)
    assert isinstance(c.centroids(as_numpy=True), np.ndarray)
    set_return_numpy(True)
    try:
        assert isinstance(c.centroids(), np.ndarray)
    finally:
        set_return_numpy(False)
    assert not isinstance(c.centroids(), np.ndarray)


def test_mlx_array_input(rng):
    mx = pytest.importorskip("mlx.core")
    x = gaussian_mixture(rng, 800, 16, 5)
    a, b = AnyClustering(16, 5), AnyClustering(16, 5)
    a.train(mx.array(x))
    b.train(x)
    np.testing.assert_array_equal(a.centroids(as_numpy=True), b.centroids(as_numpy=True))


def test_env_var_forces_numpy():
    pytest.importorskip("mlx.core")
    code = textwrap.dedent("""
        import numpy as np
        from metalfaiss.clustering import kmeans_clustering
        x = np.random.default_rng(0).standard_normal((300, 4)).astype("float32")
        print(type(kmeans_clustering(x, 4, 3)).__module__)
    """)
    env = dict(os.environ, METALFAISS_RETURN_NUMPY="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "numpy"


def test_kmeans_clustering_returns_centroids(rng, no_mlx):
    x = gaussian_mixture(rng, 1000, 8, 4)
    c = kmeans_clustering(x.tolist(), 8, 4, ClusteringParameters(niter=10, seed=3))
    km = metalfaiss.Kmeans(8, 4, niter=10, seed=3)
    km.train(x)
    np.testing.assert_array_equal(c, km.centroids)


def test_constructor_forms_and_properties(rng):
    p = ClusteringParameters(max_iterations=7, spherical=True, seed=9, tolerance=1e-3)
    a = AnyClustering(12, 5, p)
    b = AnyClustering.new(d=12, k=5, parameters=p)
    for c in (a, b):
        assert (c.d, c.k, c.niter, c.max_iterations, c.seed, c.tolerance) == (12, 5, 7, 7, 9, 1e-3)
        assert c.spherical and c.is_spherical and not c.is_verbose
        assert c.nredo == 1 and c.min_points_per_centroid == 39 and c.max_points_per_centroid == 256
        assert not c.is_trained
    x = gaussian_mixture(rng, 600, 12, 5)
    a.train(x)
    assert a.is_trained
    assert len(a.iteration_stats) == len(a.obj) <= 7
    assert set(a.iteration_stats[0]) == {"obj", "time", "time_search", "imbalance_factor", "nsplit"}
    np.testing.assert_allclose(np.linalg.norm(a.centroids(as_numpy=True), axis=1), 1, rtol=1e-5)


def test_assign_gives_nearest_centroid(rng):
    x = gaussian_mixture(rng, 1500, 10, 6)
    c = AnyClustering(10, 6)
    c.train(x)
    labels = c.assign(x)
    cent = c.centroids(as_numpy=True)
    want = np.argmin(((x[:, None, :] - cent[None]) ** 2).sum(-1), axis=1)
    assert labels.dtype == np.int64
    assert (labels == want).mean() > 0.999  # ties within rounding may differ


def test_train_with_index_and_weights(rng):
    x = gaussian_mixture(rng, 1500, 10, 6)
    w = rng.uniform(0.5, 2.0, 1500)
    index = metalfaiss.IndexFlatL2(10)
    c = AnyClustering(10, 6)
    c.train(x, index=index, weights=w)
    assert index.ntotal == 6
    km = metalfaiss.Kmeans(10, 6)
    km.train(x, weights=w)
    np.testing.assert_array_equal(c.centroids(as_numpy=True), km.centroids)


def test_parameter_names():
    faiss_names = ClusteringParameters(
        niter=3, nredo=2, verbose=True, spherical=True, int_centroids=True, update_index=True,
        frozen_centroids=True, min_points_per_centroid=5, max_points_per_centroid=50, seed=7,
        decode_block_size=100, check_input_data_for_NaNs=False, early_stop_threshold=0.5,
    )
    swift_names = ClusteringParameters(
        max_iterations=3, nredo=2, is_verbose=True, is_spherical=True, should_round_centroids_to_int=True,
        should_update_index=True, should_froze_centroids=True, min_points_per_centroid=5,
        max_points_per_centroid=50, seed=7, decode_block_size=100, check_input_data_for_NaNs=False,
        tolerance=0.5,
    )
    camel = ClusteringParameters(
        niter=3, nredo=2, isVerbose=True, isSpherical=True, shouldRoundCentroidsToInt=True,
        shouldUpdateIndex=True, shouldFrozeCentroids=True, minPointsPerCentroid=5,
        maxPointsPerCentroid=50, seed=7, decodeBlockSize=100, check_input_data_for_NaNs=False,
        early_stop_threshold=0.5,
    )
    assert faiss_names == swift_names == camel
    assert swift_names.is_verbose and swift_names.max_iterations == 3 and swift_names.tolerance == 0.5
    p = ClusteringParameters()
    p.max_iterations = 11
    assert p.niter == 11
    assert ClusteringParameters(seed=None).seed == 1234
    assert "niter=11" in repr(p)


def test_unknown_or_bad_parameters():
    with pytest.raises(TypeError, match="unknown parameter 'max_iter'"):
        ClusteringParameters(max_iter=5)
    with pytest.raises(TypeError, match="keyword arguments only"):
        ClusteringParameters(20)
    with pytest.raises(TypeError, match="both set niter"):
        ClusteringParameters(niter=5, max_iterations=6)
    p = ClusteringParameters()
    with pytest.raises(AttributeError):
        p.maxiter = 3
    with pytest.raises(ValueError, match="nredo: must be between 1"):
        ClusteringParameters(nredo=0)
    with pytest.raises(ValueError, match="max_iterations: must be between 0"):
        ClusteringParameters(max_iterations=-1)
    with pytest.raises(TypeError, match="expected an integer"):
        ClusteringParameters(niter=2.5)
    with pytest.raises(TypeError, match="expected True or False"):
        ClusteringParameters(spherical="yes")
    with pytest.raises(ValueError, match="finite"):
        ClusteringParameters(tolerance=float("nan"))
    with pytest.raises(ValueError, match="32 bits"):
        ClusteringParameters(seed=2**40)
    assert ClusteringParameters(niter=np.int64(4), spherical=np.bool_(True)).niter == 4


def test_progress_callback_and_early_stop(rng):
    x, labels = gaussian_mixture(rng, 1000, 6, 4, return_labels=True)
    seen = []
    c = AnyClustering(6, 4, ClusteringParameters(max_iterations=30, tolerance=0.05))
    c.progress = lambda i, n, obj: seen.append((i, n, obj))
    c.train(x)
    assert [s[0] for s in seen] == list(range(1, len(seen) + 1))
    assert all(n == 30 for _, n, _ in seen)
    assert len(seen) == len(c.obj) < 30
    assert [s[2] for s in seen] == pytest.approx(list(c.obj))


def test_verbose_prints_progress(rng, capsys):
    x = gaussian_mixture(rng, 1000, 6, 4)
    km = metalfaiss.Kmeans(6, 4, niter=3, verbose=True)
    km.train(x)
    out = capsys.readouterr().out
    assert "Clustering 1000 points in 6D to 4 clusters" in out
    assert out.count("  Iteration ") == len(km.obj)


def test_same_seed_same_result_across_runs_and_threads(rng, tmp_path):
    x = gaussian_mixture(rng, 3000, 24, 16)
    path = tmp_path / "x.npy"
    np.save(path, x)
    code = textwrap.dedent(f"""
        import numpy as np, sys
        import metalfaiss
        km = metalfaiss.Kmeans(24, 16, niter=12, seed=42)
        km.train(np.load({str(path)!r}))
        sys.stdout.write(km.centroids.tobytes().hex())
    """)
    outs = set()
    for threads in ("1", "2", "3"):
        env = dict(os.environ, GOMAXPROCS=threads)
        res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        outs.add(res.stdout)
    km = metalfaiss.Kmeans(24, 16, niter=12, seed=42)
    km.train(x)
    outs.add(km.centroids.tobytes().hex())
    assert len(outs) == 1


def test_index_pointer_imports():
    import metalfaiss.index.index_pointer as a
    import metalfaiss.index_pointer as b
    from metalfaiss.index import index_pointer as c

    assert a is b is c is metalfaiss.index_pointer
    index = metalfaiss.IndexFlatL2(4)
    p = b.IndexPointer(index)
    assert p.pointer is index and p.is_valid
    index.close()
    assert not p.is_valid
    metalfaiss.index.index_pointer = metalfaiss.index_pointer  # what old callers do
