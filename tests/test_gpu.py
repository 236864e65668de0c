"""The GPU backend against faiss-cpu and the CPU backend: faiss's GPU names,
awkward sizes, k up to 2048, k-means, and the failure paths (a kernel that
does not compile, no device, bad arguments). Runs on whatever GPU driver
the machine has: lavapipe in CI, Metal on a Mac (see test_gpu_metal.py)."""

import os
import subprocess
import sys

import faiss
import numpy as np
import pytest

import metalfaiss as mf
from conftest import assert_knn_equal, exact_distances, gaussian_mixture
from gpu_support import gpu  # noqa: F401  (fixture)

SIZES = [(1, 1, 1), (3, 5, 3), (7, 63, 17), (65, 64, 16), (130, 97, 33), (20, 1000, 64), (5, 3001, 130)]


def _data(rng, n, d, coarse):
    if coarse:  # few distinct values: many exactly tied distances
        return rng.integers(0, 3, size=(n, d)).astype(np.float32)
    return rng.standard_normal((n, d)).astype(np.float32)


def _gpu_and_faiss(metric, d):
    res = mf.StandardGpuResources()
    if metric == mf.METRIC_L2:
        return mf.GpuIndexFlatL2(res, d), faiss.IndexFlatL2(d)
    return mf.GpuIndexFlatIP(res, d), faiss.IndexFlatIP(d)


@pytest.mark.parametrize("nq,nb,d", SIZES)
@pytest.mark.parametrize("metric", [mf.METRIC_L2, mf.METRIC_INNER_PRODUCT])
def test_flat_search_matches_faiss(gpu, rng, nq, nb, d, metric):
    for coarse in (False, True):
        xq, xb = _data(rng, nq, d, coarse), _data(rng, nb, d, coarse)
        ours, theirs = _gpu_and_faiss(metric, d)
        ours.add(xb)
        theirs.add(xb)
        exact = exact_distances(metric, xq, xb)
        for k in (1, 5, 32, 33, 100):
            D, I = ours.search(xq, k)
            Dref, Iref = theirs.search(xq, k)
            assert_knn_equal(D, I, Dref, Iref, exact)


def test_large_k_up_to_faiss_gpu_limit_and_beyond(gpu, rng):
    xb, xq = _data(rng, 5000, 8, False), _data(rng, 3, 8, False)
    ours, theirs = _gpu_and_faiss(mf.METRIC_L2, 8)
    ours.add(xb)
    theirs.add(xb)
    exact = exact_distances(mf.METRIC_L2, xq, xb)
    for k in (1024, 2048, 2049):  # 2049 answers on the CPU copy
        assert_knn_equal(*ours.search(xq, k), *theirs.search(xq, k), exact)


def test_cpu_gpu_round_trip_and_copies(gpu, rng):
    xb = _data(rng, 500, 12, False)
    cpu = mf.IndexFlatIP(12)
    cpu.add(xb)
    res = mf.StandardGpuResources()
    g = mf.index_cpu_to_gpu(res, 0, cpu)
    assert isinstance(g, mf.GpuIndexFlatIP) and g.ntotal == 500 and g.metric_type == mf.METRIC_INNER_PRODUCT
    back = mf.index_gpu_to_cpu(g)
    assert isinstance(back, mf.IndexFlatIP)
    np.testing.assert_array_equal(back.reconstruct_n(0, 500), xb)
    also = mf.GpuIndexFlatIP(res, cpu)
    D1, I1 = also.search(xb[:4], 3)
    D2, I2 = cpu.search(xb[:4], 3)
    assert_knn_equal(D1, I1, D2, I2, exact_distances(mf.METRIC_INNER_PRODUCT, xb[:4], xb))
    empty = mf.IndexFlatIP(12)
    g.copyTo(empty)
    assert empty.ntotal == 500
    g.reset()
    g.copyFrom(cpu)
    assert g.ntotal == 500
    assert mf.index_cpu_to_all_gpus(cpu).ntotal == 500


def test_gpu_index_methods_follow_the_cpu(gpu, rng):
    xb = _data(rng, 300, 6, False)
    g = mf.GpuIndexFlatL2(mf.StandardGpuResources(), 6)
    g.add(xb[:100])
    g.add(xb[100:])
    assert g.remove_ids(np.arange(10, dtype=np.int64)) == 10
    ref = faiss.IndexFlatL2(6)
    ref.add(xb[10:])
    assert_knn_equal(*g.search(xb[:7], 4), *ref.search(xb[:7], 4), exact_distances(mf.METRIC_L2, xb[:7], xb[10:]))
    lims, D, I = g.range_search(xb[:3], 0.5)
    lims2, D2, I2 = ref.range_search(xb[:3], 0.5)
    np.testing.assert_array_equal(lims, lims2)
    np.testing.assert_array_equal(I, I2)


def test_kmeans_on_the_gpu_matches_faiss(gpu, rng):
    x = gaussian_mixture(rng, 5000, 16, 20)
    ours = mf.Kmeans(16, 20, niter=15, seed=7, gpu=True)
    theirs = faiss.Kmeans(16, 20, niter=15, seed=7)
    ours.train(x)
    theirs.train(x)
    assert isinstance(ours.index, mf.GpuIndexFlatL2)
    # Same start (same seed), float rounding apart: same clusters.
    assert ours.obj[-1] == pytest.approx(theirs.obj[-1], rel=1e-4)
    np.testing.assert_allclose(ours.centroids, theirs.centroids, rtol=1e-3, atol=1e-3)
    _, I = ours.assign(x)
    _, Iref = theirs.index.search(x, 1)
    assert (I == Iref.ravel()).mean() > 0.999


def test_weighted_spherical_kmeans_on_the_gpu(gpu, rng):
    x = gaussian_mixture(rng, 3000, 8, 6)
    w = rng.random(3000).astype(np.float32)
    on = mf.Kmeans(8, 6, niter=10, spherical=True, gpu=True)
    off = mf.Kmeans(8, 6, niter=10, spherical=True)
    on.train(x, weights=w)
    off.train(x, weights=w)
    assert on.obj[-1] == pytest.approx(off.obj[-1], rel=1e-4)
    np.testing.assert_allclose(np.linalg.norm(on.centroids, axis=1), 1.0, rtol=1e-5)


def test_anyclustering_chooses_its_device(gpu, rng):
    from metalfaiss.clustering import AnyClustering, ClusteringParameters

    x = gaussian_mixture(rng, 2000, 8, 5).tolist()
    params = ClusteringParameters(max_iterations=10)
    on = AnyClustering.new(d=8, k=5, parameters=params, use_gpu=True)
    off = AnyClustering.new(d=8, k=5, parameters=params, use_gpu=False)
    assert on.uses_gpu and not off.uses_gpu
    on.train(x)
    off.train(x)
    assert on.obj[-1] == pytest.approx(off.obj[-1], rel=1e-4)
    # The default takes a hardware GPU, never a software one, unless told.
    auto = AnyClustering.new(d=8, k=5)
    expected = os.environ.get("METALFAISS_BACKEND") == "gpu" or gpu["kind"] != "cpu"
    assert auto.uses_gpu == expected


def test_kernel_that_does_not_compile_raises(gpu, rng):
    g = mf.GpuIndexFlatL2(mf.StandardGpuResources(), 4)
    g.add(_data(rng, 50, 4, False))
    xq = _data(rng, 3, 4, False)
    before = g.search(xq, 2)
    mf.gpu._plant_broken_kernel("knn_topk_tiled")
    try:
        with pytest.raises(mf.GpuError, match="knn_topk_tiled"):
            g.search(xq, 2)
        assert g.ntotal == 50
    finally:
        mf.gpu._restore_kernels()
    after = g.search(xq, 2)
    np.testing.assert_array_equal(before[1], after[1])


def test_bad_gpu_arguments(gpu):
    res = mf.StandardGpuResources()
    cfg = mf.GpuIndexFlatConfig()
    cfg.device = 3
    with pytest.raises(mf.InvalidArgumentError, match="device 3"):
        mf.GpuIndexFlatL2(res, 8, cfg)
    with pytest.raises(mf.InputTypeError):
        mf.GpuIndexFlatL2("not resources", 8)
    with pytest.raises(mf.InvalidArgumentError, match="device 1"):
        mf.index_cpu_to_gpu(res, 1, mf.IndexFlatL2(8))
    with pytest.raises(mf.InvalidArgumentError):
        mf.GpuIndexFlatL2(res, 0)
    g = mf.GpuIndexFlatL2(res, 8)
    with pytest.raises(mf.DimensionMismatchError):
        g.add(np.zeros((3, 7), dtype=np.float32))
    with pytest.raises(mf.InvalidArgumentError):
        g.search(np.zeros((3, 8), dtype=np.float32), 0)
    assert g.ntotal == 0


def _run_without_gpu(env_extra, code):
    env = dict(os.environ, **env_extra)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


NO_GPU_CHECK = """
import metalfaiss as mf
assert mf.get_num_gpus() == 0
assert mf.gpu_info()["driver"] is None
for make in (lambda: mf.GpuIndexFlatL2(mf.StandardGpuResources(), 8),
             lambda: mf.index_cpu_to_gpu(None, 0, mf.IndexFlatL2(8)),
             lambda: mf.Kmeans(8, 2, gpu=True)):
    try:
        make()
    except mf.GpuUnavailableError as e:
        print("raised:", e)
    else:
        raise SystemExit("no GpuUnavailableError")
from metalfaiss.clustering import AnyClustering
assert not AnyClustering(8, 2).uses_gpu  # the CPU still works
idx = mf.IndexFlatL2(8)
idx.add([[0.0] * 8])
print("cpu ok", idx.ntotal)
"""


@pytest.mark.parametrize("env", [
    {"METALFAISS_BACKEND": "cpu"},
    # A Vulkan loader that finds no driver: what a machine without a GPU sees.
    {"VK_DRIVER_FILES": "/nonexistent.json", "VK_ICD_FILENAMES": "/nonexistent.json", "METALFAISS_BACKEND": ""},
])
def test_no_gpu_is_a_clear_error(env):
    if sys.platform == "darwin" and "VK_DRIVER_FILES" in env:
        pytest.skip("Metal cannot be hidden from a process")
    out = _run_without_gpu(env, NO_GPU_CHECK)
    assert out.returncode == 0, out.stderr + out.stdout
    assert out.stdout.count("raised:") == 3 and "cpu ok 1" in out.stdout
