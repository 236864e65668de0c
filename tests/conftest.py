import os

import numpy as np
import pytest

# METALFAISS_BACKEND=gpu runs flat indexes and k-means on the GPU, whose sums
# round differently: results agree with faiss to rounding, not bit for bit,
# and k-means runs can drift apart where a near-tie goes the other way.
ON_GPU = os.environ.get("METALFAISS_BACKEND", "").lower() == "gpu"


def needs_faiss(version, why):
    """Skip a test whose oracle behaviour arrived in faiss-cpu version (a
    "major.minor" string): Python 3.9 has faiss-cpu 1.13.0 at most."""
    import faiss

    have = tuple(int(p) for p in faiss.__version__.split(".")[:2])
    want = tuple(int(p) for p in version.split("."))
    return pytest.mark.skipif(have < want, reason=f"faiss >= {version} {why}; faiss {faiss.__version__} is installed")


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


def exact_distances(metric, xq, xb, arg=0.0):
    """Plain float64 numpy distances: the reference for tie-aware checks."""
    import metalfaiss as mf

    q = xq.astype(np.float64)[:, None, :]
    b = xb.astype(np.float64)[None, :, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        if metric == mf.METRIC_L2:
            return ((q - b) ** 2).sum(-1)
        if metric == mf.METRIC_INNER_PRODUCT:
            return (q * b).sum(-1)
        if metric == mf.METRIC_L1:
            return np.abs(q - b).sum(-1)
        if metric == mf.METRIC_Linf:
            return np.abs(q - b).max(-1)
        if metric == mf.METRIC_Lp:
            return (np.abs(q - b) ** arg).sum(-1)
        if metric == mf.METRIC_Canberra:
            return (np.abs(q - b) / (np.abs(q) + np.abs(b))).sum(-1)
        if metric == mf.METRIC_BrayCurtis:
            return np.abs(q - b).sum(-1) / np.abs(q + b).sum(-1)
        if metric == mf.METRIC_JensenShannon:
            m = (q + b) / 2
            return 0.5 * (-q * np.log(m / q) - b * np.log(m / b)).sum(-1)
    raise ValueError(metric)


def assert_knn_equal(D, I, Dref, Iref, exact, rtol=1e-5):
    """Distances agree with the reference within rtol (relative to the
    row's scale), and ids agree tie-aware: where ids differ, the returned id
    really has the returned distance."""
    assert D.dtype == np.float32 and I.dtype == np.int64
    assert D.shape == Dref.shape and I.shape == Iref.shape
    scale = np.maximum(np.abs(Dref).max(axis=1, keepdims=True), 1.0)
    assert np.all(np.abs(D - Dref) <= rtol * scale), np.abs(D - Dref).max()
    for q, j in zip(*np.nonzero(I != Iref)):
        i = I[q, j]
        assert i >= 0, f"query {q} rank {j}: -1 where the oracle has {Iref[q, j]}"
        assert abs(exact[q, i] - D[q, j]) <= 10 * rtol * scale[q, 0], (q, j, i)
    for row in I:
        kept = row[row >= 0]
        assert len(set(kept.tolist())) == len(kept), "duplicate ids in a row"


def gaussian_mixture(rng, n, d, n_components, spread=4.0, return_labels=False):
    """float32 points around n_components random centres (unit noise)."""
    centres = rng.standard_normal((n_components, d)) * spread
    labels = rng.integers(0, n_components, n)
    x = (centres[labels] + rng.standard_normal((n, d))).astype(np.float32)
    return (x, labels) if return_labels else x
