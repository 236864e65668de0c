"""GpuIndexIVFFlat against faiss-cpu's IndexIVFFlat over the same
centroids: search at several nprobe and k (fused lists up to 32, key rows
above), index_cpu_to_gpu / index_gpu_to_cpu both ways, the host copy's
methods, and the searches that answer on the CPU copy."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf
from conftest import assert_knn_equal, exact_distances, gaussian_mixture
from gpu_support import gpu  # noqa: F401  (fixture)


def _pair(rng, metric, d, nlist, n):
    """A faiss IVF-Flat index and our GPU one over the same centroids and
    data (faiss trains; its centroids seed ours through the quantizer)."""
    xb = gaussian_mixture(rng, n, d, 3 * nlist)
    theirs = faiss.IndexIVFFlat(faiss.IndexFlat(d, metric), d, nlist, metric)
    theirs.train(xb)
    theirs.add(xb)
    cents = theirs.quantizer.reconstruct_n(0, nlist)
    q = mf.IndexFlat(d, metric)
    q.add(cents)
    ours = mf.GpuIndexIVFFlat(mf.StandardGpuResources(), q, d, nlist, metric)
    assert ours.is_trained
    ours.add(xb)
    return ours, theirs, xb


@pytest.mark.parametrize("metric", [mf.METRIC_L2, mf.METRIC_INNER_PRODUCT])
@pytest.mark.parametrize("d", [5, 32, 70])
def test_ivf_flat_search_matches_faiss(gpu, rng, metric, d):
    ours, theirs, xb = _pair(rng, metric, d, 16, 1500)
    xq = gaussian_mixture(rng, 40, d, 8)
    exact = exact_distances(metric, xq, xb)
    for nprobe in (1, 3, 16):
        ours.nprobe = theirs.nprobe = nprobe
        for k in (1, 10, 32, 33, 200):
            assert_knn_equal(*ours.search(xq, k), *theirs.search(xq, k), exact, rtol=2e-5)
    # the scan runs on the device: a broken kernel is an error
    for kernel, k in (("ivf_flat_topk", 5), ("ivf_flat_distances", 40)):
        mf.gpu._plant_broken_kernel(kernel)
        try:
            with pytest.raises(mf.GpuError):
                ours.search(xq, k)
        finally:
            mf.gpu._restore_kernels()
    params = mf.SearchParametersIVF(nprobe=5)
    theirs.nprobe = 5
    assert_knn_equal(*ours.search(xq, 7, params=params), *theirs.search(xq, 7), exact, rtol=2e-5)


def test_training_and_adding_on_the_gpu(gpu, rng):
    d, nlist = 24, 32
    xb = gaussian_mixture(rng, 4000, d, 40)
    ours = mf.GpuIndexIVFFlat(mf.StandardGpuResources(), d, nlist)
    assert not ours.is_trained
    ours.train(xb)
    ours.add_with_ids(xb, np.arange(4000, dtype=np.int64) * 7)
    assert ours.ntotal == 4000 and isinstance(ours.quantizer, mf.GpuIndexFlat)
    cpu = mf.index_gpu_to_cpu(ours)
    assert type(cpu) is mf.IndexIVFFlat and cpu.ntotal == 4000
    xq = gaussian_mixture(rng, 25, d, 40)
    ours.nprobe = cpu.nprobe = 6
    D, I = ours.search(xq, 15)
    Dc, Ic = cpu.search(xq, 15)
    assert_knn_equal(D, I // 7, Dc, Ic // 7, exact_distances(mf.METRIC_L2, xq, xb))
    assert (I % 7 == 0).all()
    # the lists the device holds follow the host's
    ours.remove_ids(np.arange(0, 7 * 1000, 7, dtype=np.int64))
    cpu.remove_ids(np.arange(0, 7 * 1000, 7, dtype=np.int64))
    D, I = ours.search(xq, 15)
    Dc, Ic = cpu.search(xq, 15)
    assert_knn_equal(D, I // 7, Dc, Ic // 7, exact_distances(mf.METRIC_L2, xq, xb))
    assert (I[I >= 0] >= 7000).all()


def test_cpu_to_gpu_and_back(gpu, rng):
    d = 12
    cpu = mf.IndexIVFFlat(mf.IndexFlatL2(d), d, 8)
    xb = gaussian_mixture(rng, 900, d, 20)
    cpu.train(xb)
    cpu.add(xb)
    cpu.nprobe = 3
    res = mf.StandardGpuResources()
    for g in (mf.index_cpu_to_gpu(res, 0, cpu), mf.GpuIndexIVFFlat(res, cpu, mf.GpuIndexIVFFlatConfig())):
        assert type(g) is mf.GpuIndexIVFFlat and g.nprobe == 3 and g.ntotal == 900 and g.nlist == 8
        xq = gaussian_mixture(rng, 10, d, 20)
        exact = exact_distances(mf.METRIC_L2, xq, xb)
        assert_knn_equal(*g.search(xq, 9), *cpu.search(xq, 9), exact)
        back = mf.index_gpu_to_cpu(g)
        assert_knn_equal(*back.search(xq, 9), *cpu.search(xq, 9), exact)
        assert np.array_equal(g.invlists.get_ids(2), cpu.invlists.get_ids(2))
    # a copy of a copy, and copyFrom
    g2 = mf.index_cpu_to_gpu(res, 0, g)
    assert type(g2) is mf.GpuIndexIVFFlat and g2.ntotal == 900
    empty = mf.GpuIndexIVFFlat(res, d, 8)
    empty.copyFrom(cpu)
    assert empty.ntotal == 900 and empty.nprobe == 3


def test_searches_the_device_cannot_take_answer_on_the_cpu(gpu, rng):
    ours, theirs, xb = _pair(rng, mf.METRIC_L2, 6, 4, 3000)
    xq = gaussian_mixture(rng, 3, 6, 4)
    exact = exact_distances(mf.METRIC_L2, xq, xb)
    ours.nprobe = theirs.nprobe = 4
    assert_knn_equal(*ours.search(xq, 2049), *theirs.search(xq, 2049), exact)
    sel = mf.IDSelectorRange(100, 900)
    fsel = faiss.IDSelectorRange(100, 900)
    assert_knn_equal(*ours.search(xq, 5, params=mf.SearchParametersIVF(sel=sel, nprobe=4)),
                     *theirs.search(xq, 5, params=faiss.SearchParametersIVF(sel=fsel, nprobe=4)), exact)


def test_bad_gpu_ivf_arguments(gpu, rng):
    res = mf.StandardGpuResources()
    with pytest.raises(TypeError):
        mf.GpuIndexIVFFlat(res, 8)
    with pytest.raises(mf.InvalidArgumentError):
        mf.GpuIndexIVFFlat(res, 8, 0)
    cfg = mf.GpuIndexIVFFlatConfig()
    cfg.device = 3
    with pytest.raises(mf.InvalidArgumentError, match="device 3"):
        mf.GpuIndexIVFFlat(res, 8, 4, mf.METRIC_L2, cfg)
    q = mf.IndexFlatL2(5)
    q.add(np.zeros((3, 5), dtype=np.float32))
    with pytest.raises(mf.InvalidArgumentError, match="3 centroids"):
        mf.GpuIndexIVFFlat(res, q, 5, 4)
    g = mf.GpuIndexIVFFlat(res, 8, 4)
    with pytest.raises(mf.NotTrainedError):
        g.add(np.zeros((2, 8), dtype=np.float32))
    with pytest.raises(mf.DimensionMismatchError):
        g.search(np.zeros((2, 7), dtype=np.float32), 1)
    with pytest.raises(mf.UnsupportedOperationError, match="have a GPU version"):
        mf.index_cpu_to_gpu(res, 0, mf.IndexHNSWFlat(8, 16))
    with pytest.raises(mf.UnsupportedOperationError, match="8-bit"):
        mf.index_cpu_to_gpu(res, 0, mf.IndexIVFPQ(mf.IndexFlatL2(8), 8, 4, 2, 4))


@pytest.mark.parametrize("qtype", ["QT_8bit", "QT_8bit_uniform", "QT_fp16"])
@pytest.mark.parametrize("metric", [mf.METRIC_L2, mf.METRIC_INNER_PRODUCT])
@pytest.mark.parametrize("residual", [True, False])
def test_ivf_sq_matches_faiss(gpu, rng, qtype, metric, residual):
    """faiss trains the CPU index; its copy (centroids, ranges, codes) goes
    to the GPU and back: the same answers as faiss's own search."""
    d, nlist = 24, 16
    xb = gaussian_mixture(rng, 2000, d, 30)
    xq = gaussian_mixture(rng, 25, d, 30)
    theirs = faiss.IndexIVFScalarQuantizer(faiss.IndexFlat(d, metric), d, nlist, getattr(faiss.ScalarQuantizer, qtype),
                                           metric, residual)
    theirs.train(xb)
    theirs.add(xb)
    theirs.nprobe = 5
    cpu = mf.deserialize_index(faiss.serialize_index(theirs))
    g = mf.index_cpu_to_gpu(mf.StandardGpuResources(), 0, cpu)
    assert type(g) is mf.GpuIndexIVFScalarQuantizer and g.nprobe == 5
    decoded = theirs.sa_decode(theirs.sa_encode(xb))  # what the codes stand for
    exact = exact_distances(metric, xq, decoded)
    for k in (10, 50):
        assert_knn_equal(*g.search(xq, k), *theirs.search(xq, k), exact, rtol=1e-4)
    back = mf.index_gpu_to_cpu(g)
    assert type(back) is mf.IndexIVFScalarQuantizer
    assert np.array_equal(faiss.serialize_index(theirs), mf.serialize_index(back))


def test_ivf_sq_trained_on_the_gpu(gpu, rng):
    d = 16
    xb = gaussian_mixture(rng, 3000, d, 30)
    res = mf.StandardGpuResources()
    g = mf.GpuIndexIVFScalarQuantizer(res, d, 16, mf.ScalarQuantizer.QT_8bit, mf.METRIC_L2, True,
                                      mf.GpuIndexIVFScalarQuantizerConfig())
    g.train(xb)
    g.add(xb)
    g.nprobe = 16  # every list: the answers are the exhaustive ones over the decoded vectors
    xq = gaussian_mixture(rng, 10, d, 30)
    cpu = mf.index_gpu_to_cpu(g)
    cpu.nprobe = 16
    cpu.make_direct_map()
    decoded = cpu.reconstruct_n(0, 3000)
    D, I = g.search(xq, 8)
    Dc, Ic = cpu.search(xq, 8)
    assert_knn_equal(D, I, Dc, Ic, exact_distances(mf.METRIC_L2, xq, decoded), rtol=1e-4)
    with pytest.raises(mf.UnsupportedOperationError):
        mf.GpuIndexIVFScalarQuantizer(res, d, 16, mf.ScalarQuantizer.QT_4bit)


@pytest.mark.parametrize("metric", [mf.METRIC_L2, mf.METRIC_INNER_PRODUCT])
@pytest.mark.parametrize("M", [4, 24])
def test_ivf_pq_matches_faiss(gpu, rng, metric, M):
    """faiss trains IVF-PQ; the copy on the GPU answers as faiss does, and
    comes back as the same file."""
    d, nlist = 48, 16
    xb = gaussian_mixture(rng, 4000, d, 30)
    xq = gaussian_mixture(rng, 25, d, 30)
    theirs = faiss.IndexIVFPQ(faiss.IndexFlat(d, metric), d, nlist, M, 8, metric)
    theirs.train(xb)
    theirs.add(xb)
    theirs.nprobe = 4
    cpu = mf.deserialize_index(faiss.serialize_index(theirs))
    g = mf.index_cpu_to_gpu(mf.StandardGpuResources(), 0, cpu)
    assert type(g) is mf.GpuIndexIVFPQ and g.nprobe == 4 and g.pq.M == M
    decoded = theirs.sa_decode(theirs.sa_encode(xb))
    exact = exact_distances(metric, xq, decoded)
    for k in (10, 40):
        assert_knn_equal(*g.search(xq, k), *theirs.search(xq, k), exact, rtol=1e-4)
    back = mf.index_gpu_to_cpu(g)
    assert type(back) is mf.IndexIVFPQ
    assert np.array_equal(faiss.serialize_index(theirs), mf.serialize_index(back))
    mf.gpu._plant_broken_kernel("ivf_pq_topk")  # the device answers (k <= 32: the fused scan)
    try:
        with pytest.raises(mf.GpuError):
            g.search(xq, 5)
    finally:
        mf.gpu._restore_kernels()


def test_ivf_pq_built_on_the_gpu(gpu, rng):
    """The faiss wheel smoke test's recipe: train a CPU IVF32,PQ8, copy it
    to the GPU, add there, search."""
    d = 64
    xb = rng.random((10000, d), dtype=np.float32)
    res = mf.StandardGpuResources()
    cpu = mf.index_factory(d, "IVF32,PQ8")
    cpu.train(xb)
    g = mf.index_cpu_to_gpu(res, 0, cpu)
    g.add(xb)
    assert g.ntotal == 10000
    D, I = g.search(xb[:5], 10)
    assert I.shape == (5, 10) and (I >= 0).all()
    own = mf.GpuIndexIVFPQ(res, d, 32, 8, 8, mf.METRIC_L2, mf.GpuIndexIVFPQConfig())
    own.train(xb[:5000])
    own.add(xb)
    own.nprobe = 32
    back = mf.index_gpu_to_cpu(own)
    back.nprobe = 32
    back.make_direct_map()
    exact = exact_distances(mf.METRIC_L2, xb[:5], back.reconstruct_n(0, 10000))
    assert_knn_equal(*own.search(xb[:5], 10), *back.search(xb[:5], 10), exact, rtol=1e-4)
    with pytest.raises(mf.UnsupportedOperationError, match="8-bit"):
        mf.GpuIndexIVFPQ(res, d, 32, 8, 4)


def test_cpu_ivf_with_a_gpu_flat_quantizer(gpu, rng):
    """faiss's other GPU recipe: a CPU IVF index whose coarse quantizer is a
    GpuIndexFlat (training and assignment on the GPU, the scan on the CPU)
    gives the all-CPU index's answers."""
    d, nlist = 16, 32
    xb, xq = gaussian_mixture(rng, 3000, d, 40), gaussian_mixture(rng, 20, d, 40)
    res = mf.StandardGpuResources()
    mixed = mf.IndexIVFFlat(mf.GpuIndexFlatL2(res, d), d, nlist)
    mixed.train(xb)
    mixed.add(xb)
    cpu = mf.IndexIVFFlat(mf.IndexFlatL2(d), d, nlist)
    cpu.quantizer.add(mixed.quantizer.reconstruct_n(0, nlist))
    cpu.add(xb)
    mixed.nprobe = cpu.nprobe = 4
    assert isinstance(mixed.quantizer, mf.GpuIndexFlat)
    assert_knn_equal(*mixed.search(xq, 10), *cpu.search(xq, 10), exact_distances(mf.METRIC_L2, xq, xb))
