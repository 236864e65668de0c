"""An IVF index's quantizer replaced (index.quantizer = ...,
contrib.ivf_tools.replace_ivf_quantizer) and ivflib's sharding of an index
by centroids, against faiss-cpu."""

import os

import faiss
import numpy as np
import pytest

import metalfaiss as mf
from faiss.contrib import ivf_tools as faiss_ivf_tools
from metalfaiss.contrib import ivf_tools

D = 16
XT, XB, XQ = faiss.rand((2000, D), 21), faiss.rand((600, D), 22), faiss.rand((25, D), 23)


@pytest.mark.parametrize("key", ["IVF16,Flat", "IVF16,PQ4np"])
def test_replace_ivf_quantizer_with_hnsw_searches_like_faiss(key):
    results = []
    for lib, tools in ((mf, ivf_tools), (faiss, faiss_ivf_tools)):
        index = lib.index_factory(D, key)
        index.train(XT)
        old = tools.replace_ivf_quantizer(index, lib.IndexHNSWFlat(D, 16))
        assert old.ntotal == 16 and index.quantizer.ntotal == 16
        np.testing.assert_array_equal(index.quantizer.reconstruct_n(0, 16), old.reconstruct_n(0, 16))
        index.add(XB)
        index.nprobe = 4
        results.append(index.search(XQ, 5))
    np.testing.assert_array_equal(results[0][1], results[1][1])
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-4, atol=1e-4)


def test_quantizer_assignment_is_checked():
    index = mf.index_factory(D, "IVF16,Flat")
    index.train(XT)
    with pytest.raises(mf.DimensionMismatchError, match="d=8"):
        index.quantizer = mf.IndexFlatL2(8)
    with pytest.raises(mf.InputTypeError):
        index.quantizer = np.zeros((16, D), np.float32)
    with pytest.raises(mf.InvalidArgumentError, match="holds 3"):
        q = mf.IndexFlatL2(D)
        q.add(XT[:3])
        ivf_tools.replace_ivf_quantizer(index, q)
    assert index.quantizer.ntotal == 16 and index.is_trained


@pytest.mark.parametrize("generate_ids", [True, False])
def test_shard_ivf_index_centroids_writes_faiss_readable_shards(tmp_path, generate_ids):
    index = mf.IndexIVFFlat(mf.IndexFlatL2(D), D, 40)
    index.quantizer.add(XT[:40])
    template = os.path.join(tmp_path, "shard.%d.index")
    mf.shard_ivf_index_centroids(index, 3, template, lambda i, n: (i * 7) % n, generate_ids)
    seen = [0, 0, 0]
    for i in range(40):
        s = (i * 7) % 3
        for lib in (mf, faiss):  # faiss reads our shards alike
            shard = lib.read_index(template % s)
            key = i if generate_ids else seen[s]
            np.testing.assert_array_equal(shard.quantizer.reconstruct(key), XT[i])
        seen[s] += 1
    with pytest.raises(mf.InvalidArgumentError, match="centroids"):
        mf.shard_ivf_index_centroids(mf.IndexIVFFlat(mf.IndexFlatL2(D), D, 4), 2, template)


def test_shard_binary_ivf_index_centroids(tmp_path):
    rs = np.random.RandomState(5)
    xb = rs.randint(256, size=(30, 4), dtype=np.uint8)
    index = mf.IndexBinaryIVF(mf.IndexBinaryHNSW(32, 16), 32, 30)
    index.quantizer.add(xb)
    template = os.path.join(tmp_path, "b.%d.index")
    mf.shard_binary_ivf_index_centroids(index, 4, template, None, True)
    for i in range(30):
        for lib in (mf, faiss):
            shard = lib.read_index_binary(template % (i % 4))
            np.testing.assert_array_equal(shard.quantizer.reconstruct(i), xb[i])
    with pytest.raises(mf.DimensionMismatchError):
        index.quantizer = mf.IndexBinaryFlat(64)
