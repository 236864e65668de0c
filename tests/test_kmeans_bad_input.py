"""Bad input to k-means: a clear exception, never a crash, nothing changed."""

import numpy as np
import pytest

import metalfaiss as mf
from metalfaiss.clustering import AnyClustering, ClusteringParameters
from conftest import gaussian_mixture


@pytest.fixture
def x(rng):
    return gaussian_mixture(rng, 400, 8, 4)


def test_k_larger_than_n(x):
    km = mf.Kmeans(8, 500)
    with pytest.raises(mf.InvalidArgumentError, match=r"number of training points \(400\) should be at least as large as number of clusters \(500\)"):
        km.train(x)
    assert km.centroids is None and km.obj is None


@pytest.mark.parametrize("k", [0, -3])
def test_k_not_positive(k):
    with pytest.raises(ValueError, match="k must be positive"):
        mf.Kmeans(8, k)
    with pytest.raises(ValueError, match="k must be positive"):
        AnyClustering(8, k)
    with pytest.raises(ValueError, match="d must be positive"):
        AnyClustering(0, 3)
    with pytest.raises(TypeError):
        AnyClustering(8, 2.5)


def test_d_mismatch(x):
    with pytest.raises(mf.DimensionMismatchError, match="x has 8 columns, index has d=9"):
        mf.Kmeans(9, 3).train(x)
    c = AnyClustering(9, 3)
    with pytest.raises(ValueError):
        c.train(x.tolist())
    assert not c.is_trained
    with pytest.raises(mf.DimensionMismatchError, match="index dimension 6 not the same as data dimension 8"):
        AnyClustering(8, 3).train(x, index=mf.IndexFlatL2(6))
    with pytest.raises(mf.DimensionMismatchError, match="init_centroids has 5 columns"):
        mf.Kmeans(8, 3).train(x, init_centroids=np.zeros((2, 5), dtype=np.float32))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_inf_in_data(x, bad):
    x = x.copy()
    x[17, 3] = bad
    km = mf.Kmeans(8, 4)
    with pytest.raises(ValueError, match=r"input contains NaN's or Inf's \(first at row 17, column 3\)"):
        km.train(x)
    assert km.centroids is None


def test_nan_check_switched_off_still_fails_cleanly(x):
    x = x.copy()
    x[5, 0] = np.nan
    km = mf.Kmeans(8, 4, check_input_data_for_NaNs=False)
    with pytest.raises(mf.MetalFaissError, match="gave point 5 the label -1"):
        km.train(x)


@pytest.mark.parametrize("data", [[], [[]], np.zeros((0, 8), dtype=np.float32), np.zeros(8, dtype=np.float32)[:0]])
def test_empty_data(data):
    c = AnyClustering(8, 2)
    with pytest.raises(ValueError):
        c.train(data)
    assert not c.is_trained


def test_one_dimensional_data():
    with pytest.raises(mf.DimensionMismatchError, match="2-D array"):
        mf.Kmeans(8, 2).train(np.arange(40, dtype=np.float32))
    with pytest.raises(mf.DimensionMismatchError):
        AnyClustering(3, 2).train([1.0, 2.0, 3.0, 4.0])


def test_ragged_lists_and_strings():
    with pytest.raises(TypeError):
        AnyClustering(2, 1).train([[1.0, 2.0], [3.0]])
    with pytest.raises(TypeError, match="numeric"):
        AnyClustering(2, 1).train([["a", "b"], ["c", "d"]])


def test_too_few_points_warns_but_trains(x):
    km = mf.Kmeans(8, 20)
    with pytest.warns(mf.MetalFaissWarning, match="clustering 400 points to 20 centroids: please provide at least 780 training points"):
        km.train(x)
    assert km.centroids.shape == (20, 8)


def test_bad_weights(x):
    km = mf.Kmeans(8, 4)
    with pytest.raises(mf.DimensionMismatchError, match=r"weights must have shape \(400,\)"):
        km.train(x, weights=np.ones(3))
    with pytest.raises(ValueError, match="weight 2 is -1"):
        km.train(x, weights=np.r_[1, 1, -1, np.ones(397)])
    with pytest.raises(ValueError, match="weights are zero"):
        km.train(x, weights=np.zeros(400))
    with pytest.raises(ValueError, match="weight 0 is NaN"):
        km.train(x, weights=np.r_[np.nan, np.ones(399)])
    assert km.centroids is None


def test_too_many_initial_centroids(x):
    with pytest.raises(ValueError, match="6 initial centroids given for k=4"):
        mf.Kmeans(8, 4).train(x, init_centroids=x[:6])


def test_bad_index_argument(x):
    with pytest.raises(TypeError, match="metalfaiss index"):
        AnyClustering(8, 4).train(x, index="flat")
    index = mf.IndexFlatL2(8)
    index.close()
    with pytest.raises(mf.ClosedIndexError):
        AnyClustering(8, 4).train(x, index=index)


def test_failed_progress_callback_leaves_untrained(x):
    def boom(i, n, obj):
        if i == 2:
            raise KeyboardInterrupt
    c = AnyClustering(8, 4, ClusteringParameters(niter=10))
    c.progress = boom
    with pytest.raises(KeyboardInterrupt):
        c.train(x)
    assert not c.is_trained
    c.progress = None
    c.train(x)  # usable afterwards
    assert c.is_trained


def test_failed_retrain_keeps_the_previous_result(x):
    c = AnyClustering(8, 4)
    c.train(x)
    before = c.centroids(as_numpy=True)
    with pytest.raises(ValueError):
        c.train(x[:2])
    np.testing.assert_array_equal(c.centroids(as_numpy=True), before)


def test_untrained_use():
    with pytest.raises(mf.NotTrainedError):
        AnyClustering(4, 2).centroids()
    with pytest.raises(mf.NotTrainedError):
        AnyClustering(4, 2).assign(np.zeros((1, 4), dtype=np.float32))
    with pytest.raises(mf.NotTrainedError):
        mf.Kmeans(4, 2).assign(np.zeros((1, 4), dtype=np.float32))


def test_kmeans_unknown_keyword():
    with pytest.raises(TypeError, match="unknown parameter 'n_iter'"):
        mf.Kmeans(4, 2, n_iter=3)


def test_parameters_must_be_the_right_type():
    with pytest.raises(TypeError, match="ClusteringParameters"):
        AnyClustering(4, 2, parameters={"niter": 3})


def test_clustering_repr_names_its_shape():
    c = mf.Clustering(6, 4)
    c.niter = 5
    assert repr(c) == "Clustering(d=6, k=4, niter=5)"
    assert repr(mf.Clustering(3, 2)) == "Clustering(d=3, k=2)"
