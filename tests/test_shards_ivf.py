"""IndexShardsIVF against faiss-cpu: shards of one IVF layout searched
through a common coarse quantizer."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf
from metalfaiss.contrib.datasets import SyntheticDataset


def test_shards_of_a_trained_ivf_equal_the_whole():
    ds = SyntheticDataset(32, 1000, 900, 20)
    xb = ds.get_database()
    out = []
    for lib in mf, faiss:
        ref = lib.index_factory(ds.d, "IVF32,SQ8")
        ref.train(ds.get_train())
        ref.add(xb)
        ref.nprobe = 4
        Dref, Iref = ref.search(ds.get_queries(), 10)
        ref.reset()
        sharded = lib.IndexShardsIVF(ref.quantizer, ref.nlist, False, True)
        for s in range(3):
            shard = lib.clone_index(ref)  # nprobe 4 too: the shards' nprobe is the search's
            shard.add(xb[s * 300:(s + 1) * 300])
            sharded.add_shard(shard)
        D, I = sharded.search(ds.get_queries(), 10)
        np.testing.assert_array_equal(I, Iref)
        np.testing.assert_allclose(D, Dref, rtol=1e-5)
        out.append((D, I))
    np.testing.assert_allclose(out[0][0], out[1][0], rtol=1e-4)
    assert (out[0][1] == out[1][1]).mean() > 0.98


def test_train_and_add_through_the_common_quantizer():
    ds = SyntheticDataset(32, 1000, 600, 20)
    quantizer = mf.IndexFlatL2(ds.d)
    sharded = mf.IndexShardsIVF(quantizer, 40, False, False)
    for _ in range(3):
        sharded.add_shard(mf.index_factory(ds.d, "IVF40,Flat"))
    sharded.train(ds.get_train())
    assert sharded.is_trained and quantizer.ntotal == 40
    sharded.add(ds.get_database())
    assert sharded.ntotal == 600
    D, I = sharded.search(ds.get_queries(), 10)
    ref = mf.IndexIVFFlat(quantizer, ds.d, 40)
    ref.train(ds.get_train())
    ref.add(ds.get_database())
    Dref, Iref = ref.search(ds.get_queries(), 10)
    np.testing.assert_array_equal(I, Iref)
    np.testing.assert_allclose(D, Dref, rtol=1e-6)
    D8, _ = sharded.search(ds.get_queries(), 10, params=mf.SearchParametersIVF(nprobe=8))
    assert (D8[:, -1] <= D[:, -1] + 1e-6).all()  # more lists: never worse
    sharded.at(1).nprobe = 3
    with pytest.raises(mf.InvalidArgumentError, match="inconsistent nprobe"):
        sharded.search(ds.get_queries(), 10)
    sharded.at(1).nprobe = 1
    centroids = quantizer.reconstruct_n()[::-1].copy()
    quantizer.reset()
    quantizer.add(centroids)
    assert not np.all(sharded.search(ds.get_queries(), 10)[1] == I)  # the common quantizer assigns

    with pytest.raises(mf.InvalidArgumentError, match="nlist=40"):
        sharded.add_shard(mf.index_factory(ds.d, "IVF8,Flat"))
    with pytest.raises(mf.InvalidArgumentError, match="nlist=40"):
        sharded.add_shard(mf.IndexFlatL2(ds.d))
    successive = mf.IndexShardsIVF(mf.IndexFlatL2(ds.d), 40)
    with pytest.raises(mf.InvalidArgumentError, match="no shards"):
        successive.add(ds.get_database())
    successive.add_shard(mf.index_factory(ds.d, "IVF40,Flat"))
    with pytest.raises(mf.InvalidArgumentError, match="successive_ids"):
        successive.add_with_ids(ds.get_database(), np.arange(600))
