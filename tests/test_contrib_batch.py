"""contrib.clustering and contrib.big_batch_search against faiss-cpu and
against the index's own search."""

import os

import faiss
import numpy as np
import pytest
from faiss.contrib import clustering as faiss_clustering

import metalfaiss as mf
from metalfaiss.contrib import big_batch_search, clustering, datasets


@pytest.fixture(scope="module")
def ds():
    return datasets.SyntheticDataset(32, 3000, 2000, 100)


def test_two_level_clustering_is_close_to_flat_kmeans(ds):
    xt = ds.get_train()
    km = mf.Kmeans(ds.d, 60)
    km.train(xt)
    flat_err = mf.knn(xt, km.centroids, 1)[0].sum()
    centroids, stats = clustering.two_level_clustering(xt, 6, 60, rebalance=True)
    assert centroids.shape == (60, ds.d) and len(stats) == 7
    assert mf.knn(xt, centroids, 1)[0].sum() < flat_err * 1.15
    even, _ = clustering.two_level_clustering(xt, 6, 60, rebalance=False)
    assert even.shape == (60, ds.d)


def test_train_ivf_with_2level_through_a_pretransform(ds):
    index = mf.index_factory(ds.d, "PCA16,IVF64,SQ8")
    clustering.train_ivf_index_with_2level(index, ds.get_train())
    assert index.is_trained
    index.add(ds.get_database())
    assert index.ntotal == ds.nb
    with pytest.raises(ValueError, match="cannot set it to False"):
        index.is_trained = False


def test_python_kmeans_and_balanced_assignment_match_faiss(ds):
    xt = ds.get_train().copy()
    xt[:1500] = xt[0]  # half the points in one place: empty clusters get split
    ours = clustering.kmeans(40, clustering.DatasetAssign(xt), 8, verbose=False)
    theirs = faiss_clustering.kmeans(40, faiss_clustering.DatasetAssign(xt), 8, verbose=False)
    err, err_t = (faiss.knn(xt, c, 1)[0].sum() for c in (ours, theirs))
    assert err < err_t * 1.1
    assign = mf.knn(xt, ours, 1)[1].ravel()
    assert clustering.imbalance_factor(40, assign) == pytest.approx(faiss_clustering.imbalance_factor(40, assign))
    km = mf.Kmeans(ds.d, 30)
    km.train(ds.get_database())
    shifted = ds.get_database() + 0.3
    a, st = clustering.balanced_assignment_with_penalties(shifted, km.centroids, num_iter=20)
    plain = mf.knn(shifted, km.centroids, 1)[1].ravel()
    assert st["imf"] < clustering.imbalance_factor(30, plain) and st["imf"] == clustering.imbalance_factor(30, a)
    if hasattr(faiss_clustering, "balanced_assignment_with_penalties"):  # faiss 1.15 on
        a_t, st_t = faiss_clustering.balanced_assignment_with_penalties(shifted, km.centroids, num_iter=20)
        np.testing.assert_array_equal(a, a_t)
        assert st["imf"] == pytest.approx(st_t["imf"]) and st["mse"] == pytest.approx(st_t["mse"], rel=1e-5)


@pytest.mark.parametrize("key,metric", [("IVF32,Flat", mf.METRIC_L2), ("IVF32,Flat", mf.METRIC_INNER_PRODUCT),
                                        ("IVF32,PQ4np", mf.METRIC_L2), ("IVF32,SQ8", mf.METRIC_INNER_PRODUCT)])
def test_big_batch_search_equals_search(ds, key, metric):
    index = mf.index_factory(ds.d, key, metric)
    index.train(ds.get_train())
    index.add(ds.get_database())
    index.nprobe = 4
    Dref, Iref = index.search(ds.get_queries(), 10)
    for method in ("knn_function", "pairwise_distances", "index"):
        for threaded in (0, 1, 2):
            D, I = big_batch_search.big_batch_search(index, ds.get_queries(), 10, method=method, threaded=threaded,
                                                     prefetch_threads=2, computation_threads=2)
            np.testing.assert_array_equal(I, Iref)
            np.testing.assert_allclose(D, Dref, rtol=1e-5, atol=1e-4)


def test_big_batch_search_resumes_from_a_checkpoint(ds, tmp_path):
    index = mf.index_factory(ds.d, "IVF32,SQ8")
    index.train(ds.get_train())
    index.add(ds.get_database())
    index.nprobe = 4
    Dref, Iref = index.search(ds.get_queries(), 10)
    ckp = str(tmp_path / "ckp")
    with pytest.raises(ZeroDivisionError, match="crash_at"):
        big_batch_search.big_batch_search(index, ds.get_queries(), 10, threaded=2, checkpoint=ckp,
                                          checkpoint_freq=0, crash_at=20)
    assert os.path.exists(ckp)
    D, I = big_batch_search.big_batch_search(index, ds.get_queries(), 10, threaded=2, checkpoint=ckp)
    np.testing.assert_array_equal(I, Iref)
    with pytest.raises(ValueError, match="method"):
        big_batch_search.big_batch_search(index, ds.get_queries(), 10, method="gemm")
    with pytest.raises(mf.UnsupportedOperationError):
        big_batch_search.big_batch_search(mf.IndexFlatL2(ds.d), ds.get_queries(), 10)


def test_contrib_works_when_metalfaiss_is_bound_as_faiss(tmp_path):
    """A script binding the package as faiss imports faiss.contrib.x as
    new modules; their classes must still be metalfaiss's own."""
    import subprocess
    import sys

    script = (
        "import sys, metalfaiss; sys.modules['faiss'] = metalfaiss\n"
        "import faiss\n"
        "from faiss.contrib import big_batch_search, clustering\n"
        "ds = faiss.rand((2000, 16), 1)\n"
        "index = faiss.index_factory(16, 'PCA8,IVF16,Flat')\n"
        "clustering.train_ivf_index_with_2level(index, ds)\n"
        "index.add(ds)\n"
        "ivf = faiss.extract_index_ivf(index)\n"
        "xq = index.chain.at(0).apply(ds[:20])\n"
        "D, I = big_batch_search.big_batch_search(ivf, xq, 5)\n"
        "assert (I == ivf.search(xq, 5)[1]).all()\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=tmp_path)


def test_sorting_lists_by_size_changes_no_result(ds):
    from metalfaiss.contrib import ivf_tools

    index = mf.index_factory(ds.d, "IVF40,SQ8")
    index.train(ds.get_train())
    index.add(ds.get_database())
    index.nprobe = 5
    Dref, Iref = index.search(ds.get_queries(), 5)
    ivf_tools.sort_invlists_by_size(index)
    sizes = ivf_tools.get_invlist_sizes(index.invlists)
    assert (np.diff(sizes) >= 0).all()
    D, I = index.search(ds.get_queries(), 5)
    np.testing.assert_array_equal(I, Iref)
    np.testing.assert_array_equal(D, Dref)
    with pytest.raises(ValueError, match="permutation"):
        ivf_tools.permute_invlists(index, np.zeros(40, dtype=np.int64))
    with pytest.raises(ValueError, match="permutation"):
        index.quantizer.permute_entries(np.zeros(40, dtype=np.int64))
