"""float16 storage on the GPU (GpuIndexFlatConfig.useFloat16,
GpuClonerOptions.useFloat16): the device holds halves, computes in
float32, and answers as faiss-cpu does over the same vectors rounded to
float16 (numpy's rounding: to nearest, ties to even)."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf
from conftest import assert_knn_equal, exact_distances, gaussian_mixture
from gpu_support import gpu  # noqa: F401  (fixture)


def _half(x):
    return x.astype(np.float16).astype(np.float32)


@pytest.mark.parametrize("metric", [mf.METRIC_L2, mf.METRIC_INNER_PRODUCT])
@pytest.mark.parametrize("d", [1, 7, 64, 130])
def test_float16_flat_matches_faiss_on_rounded_vectors(gpu, rng, metric, d):
    xb, xq = gaussian_mixture(rng, 700, d, 10), gaussian_mixture(rng, 20, d, 10)
    cfg = mf.GpuIndexFlatConfig()
    cfg.useFloat16 = True
    ours = mf.GpuIndexFlat(mf.StandardGpuResources(), d, metric, cfg)
    ours.add(xb[:300])
    ours.add(xb[300:])  # the second add only sends the new rows
    theirs = faiss.IndexFlat(d, metric)
    theirs.add(_half(xb))
    exact = exact_distances(metric, xq, _half(xb))
    for k in (1, 10, 32, 100):
        assert_knn_equal(*ours.search(xq, k), *theirs.search(xq, k), exact)
    mf.gpu._plant_broken_kernel("knn_topk_tiled_f16")  # the float16 kernel answers, not the float32 one
    try:
        with pytest.raises(mf.GpuError):
            ours.search(xq, 10)
    finally:
        mf.gpu._restore_kernels()
    assert np.array_equal(ours.reconstruct_n(0, 700), _half(xb))
    assert np.array_equal(mf.index_gpu_to_cpu(ours).reconstruct_n(0, 700), _half(xb))


def test_float16_recall_effect(gpu, rng):
    """The documented effect: on unit-variance data float16 storage keeps
    recall@10 against float32 exact search at 0.99 or more."""
    d = 96
    xb, xq = gaussian_mixture(rng, 20000, d, 50, spread=1.0), gaussian_mixture(rng, 200, d, 50, spread=1.0)
    co = mf.GpuClonerOptions()
    co.useFloat16 = True
    cpu = mf.IndexFlatL2(d)
    cpu.add(xb)
    g = mf.index_cpu_to_gpu(mf.StandardGpuResources(), 0, cpu, co)
    _, I = g.search(xq, 10)
    _, Iexact = cpu.search(xq, 10)
    hits = sum(len(set(a) & set(b)) for a, b in zip(I, Iexact))
    assert hits / Iexact.size >= 0.99


def test_float16_ivf_flat_through_the_cloner(gpu, rng):
    d, nlist = 20, 16
    xb, xq = gaussian_mixture(rng, 3000, d, 40), gaussian_mixture(rng, 30, d, 40)
    cpu = mf.IndexIVFFlat(mf.IndexFlatL2(d), d, nlist)
    cpu.train(xb)
    cpu.add(xb)
    cpu.nprobe = 4
    co = mf.GpuClonerOptions()
    co.useFloat16 = True
    g = mf.index_cpu_to_gpu(mf.StandardGpuResources(), 0, cpu, co)
    assert type(g) is mf.GpuIndexIVFFlat and g.nprobe == 4
    # faiss over the same centroids and the rounded vectors in the same lists
    theirs = faiss.IndexIVFFlat(faiss.IndexFlatL2(d), d, nlist)
    theirs.quantizer.add(cpu.quantizer.reconstruct_n(0, nlist))
    theirs.is_trained = True
    lists = np.concatenate([np.full(cpu.invlists.list_size(l), l) for l in range(nlist)]).astype(np.int64)
    ids = np.concatenate([cpu.invlists.get_ids(l) for l in range(nlist)])
    rows = _half(xb[ids])  # held: swig_ptr keeps no reference
    theirs.add_core(len(ids), faiss.swig_ptr(rows), faiss.swig_ptr(ids), faiss.swig_ptr(lists))
    theirs.nprobe = 4
    exact = exact_distances(mf.METRIC_L2, xq, _half(xb))
    for k in (5, 40):
        assert_knn_equal(*g.search(xq, k), *theirs.search(xq, k), exact)
    mf.gpu._plant_broken_kernel("ivf_flat_topk_f16")
    try:
        with pytest.raises(mf.GpuError):
            g.search(xq, 5)
    finally:
        mf.gpu._restore_kernels()
    more = gaussian_mixture(rng, 50, d, 40)
    g.add_with_ids(more, np.arange(5000, 5050, dtype=np.int64))
    back = mf.index_gpu_to_cpu(g)
    got = np.concatenate([np.asarray(back.invlists.get_codes(l)).view(np.float32) for l in range(nlist)])
    assert got.size == 3050 * d
    assert np.array_equal(got, _half(got))  # every stored vector is a half
