"""Small parts of faiss's surface that scripts touch: factory suffixes,
HNSW.is_similarity, a binary IVF's k-means parameters."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf


@pytest.mark.parametrize("key,cls", [("Flat,IDMap", "IndexIDMap"), ("Flat,IDMap2", "IndexIDMap2"),
                                     ("IDMap2,Flat", "IndexIDMap2"), ("IVF4,SQ8,IDMap", "IndexIDMap")])
def test_idmap_prefix_and_suffix_make_what_faiss_makes(key, cls):
    made = faiss.index_factory(16, key)  # kept alive: faiss's downcast does not own it
    ours = mf.downcast_index(mf.index_factory(16, key))
    assert type(ours).__name__ == type(faiss.downcast_index(made)).__name__ == cls
    assert ours.index.d == 16 and ours.ntotal == 0
    with pytest.raises(ValueError, match="no index"):
        mf.index_factory(16, "IDMap")


def test_hnsw_is_similarity_follows_the_metric():
    assert mf.IndexHNSWFlat(8, 16, mf.METRIC_INNER_PRODUCT).hnsw.is_similarity
    assert not mf.IndexHNSWFlat(8, 16).hnsw.is_similarity
    assert not mf.IndexBinaryHNSW(64, 8).hnsw.is_similarity


def test_binary_ivf_trains_with_its_cp():
    codes = np.random.default_rng(2).integers(0, 256, (3000, 8), dtype=np.uint8)
    results = []
    for lib in (mf, faiss):
        index = lib.IndexBinaryIVF(lib.IndexBinaryFlat(64), 64, 16)
        assert index.cp.niter == 10
        index.cp.niter = 3
        index.cp.min_points_per_centroid = 5
        index.train(codes)
        index.add(codes)
        index.nprobe = 4
        results.append(index.search(codes[:20], 5))
    np.testing.assert_array_equal(results[0][0], results[1][0])
    index = mf.IndexBinaryIVF(mf.IndexBinaryFlat(64), 64, 16)
    with pytest.raises(ValueError, match="nredo"):
        index.cp.nredo = 0  # checked as it is set, as every ClusteringParameters field
    index.train(codes)
    assert index.is_trained


def test_matrix_stats_comment_like_faiss():
    rs = np.random.RandomState(123)
    base = rs.rand(40, 20).astype("float32")
    cases = []
    m = base.copy()
    m[5:10] = 0
    cases.append((m, ["has 5 copies", "5 null vectors"]))
    m = base.copy()
    m[::2] = m[1::2]
    cases.append((m, ["20 vectors are distinct"]))
    m = base.copy()
    m[:, 5:10] = 0
    cases.append((m, ["5 dimensions are constant"]))
    m = base.copy()
    m[:, 5:10] += 12345
    cases.append((m, ["5 dimensions are too large wrt. their variance"]))
    m = base / np.linalg.norm(base, axis=1, keepdims=True)
    cases.append((m, ["vectors are normalized"]))
    for m, phrases in cases:
        ours, theirs = mf.MatrixStats(m).comments, faiss.MatrixStats(m).comments
        for phrase in phrases:
            assert phrase in ours and phrase in theirs
    stats = mf.MatrixStats(cases[0][0])
    assert (stats.n, stats.d, stats.n0, stats.n_collision) == (40, 20, 5, 4)
    assert stats.hash_value == mf.MatrixStats(cases[0][0].copy()).hash_value != mf.MatrixStats(base).hash_value
    assert stats.per_dim_stats[0].n0 == 5
    with_nan = base.copy()
    with_nan[0, 0] = np.nan
    assert "1 vectors contain NaN" in mf.MatrixStats(with_nan).comments


def test_operating_points_keep_the_pareto_front():
    """faiss 1.15's expectations (its test_autotune): a point at the same
    time and better performance removes the worse one (older faiss kept it)."""
    cases = [
        ([(0.5, 1.0, "A"), (0.9, 1.0, "B")], [True, True], ["", "B"]),
        ([(0.5, 1.0, "P1"), (0.9, 2.0, "P2"), (0.7, 1.0, "P3")], [True, True, True], ["", "P3", "P2"]),
        ([(0.5, 0.5, "x"), (0.9, 2.0, "y"), (0.95, 1.5, "z"), (0.2, 3.0, "w"), (0.0, 0.1, "none")],
         [True, True, True, False, False], ["", "x", "z"]),
        ([(0.9, 1.0, "good"), (0.5, 1.0, "bad")], [True, False], ["", "good"]),
    ]
    for seq, admitted, front in cases:
        ops = mf.OperatingPoints()
        assert [ops.add(*p) for p in seq] == admitted
        assert [ops.optimal_pts.at(i).key for i in range(ops.optimal_pts.size())] == front
        assert ops.all_pts.size() == len(seq)
    assert ops.t_for_perf(0.6) == 1.0 and ops.t_for_perf(0.99) == 1e50


def test_sorted_id_bounds():
    sel = mf.IDSelectorRange(10, 20, True)
    ids = np.sort(np.random.default_rng(0).integers(0, 30, 100)).astype(np.int64)
    j = np.zeros(2, dtype=np.uint64)
    sel.find_sorted_ids_bounds(len(ids), mf.swig_ptr(ids), mf.swig_ptr(j[:1]), mf.swig_ptr(j[1:]))
    np.testing.assert_array_equal(np.arange(*j.astype(int)), np.flatnonzero((ids >= 10) & (ids < 20)))
    with pytest.raises(TypeError, match="int64"):
        sel.find_sorted_ids_bounds(3, mf.swig_ptr(ids.astype(np.int32)), mf.swig_ptr(j[:1]), mf.swig_ptr(j[1:]))


def test_translated_and_callback_selectors_equal_faiss():
    xb, xq = faiss.rand((600, 8), 3), faiss.rand((10, 8), 4)
    ids = np.arange(600, dtype=np.int64) * 7 + 3
    keep = ids[ids % 3 == 0]
    results = []
    for lib in (mf, faiss):
        index = lib.IndexIDMap(lib.IndexFlatL2(8))
        index.add_with_ids(xb, ids)
        sel = lib.IDSelectorTranslated(index, lib.IDSelectorBatch(keep))
        D, I = index.search(xq, 5, params=lib.SearchParameters(sel=sel))
        ivf = lib.index_factory(8, "IVF8,Flat")
        ivf.train(xb)
        ivf.add(xb)
        params = lib.SearchParametersIVF(sel=lib.PyCallbackIDSelector(lambda i: i % 5 == 1), nprobe=8)
        D2, I2 = ivf.search(xq, 5, params=params)
        results.append((I, I2))
    np.testing.assert_array_equal(results[0][0], results[1][0])
    np.testing.assert_array_equal(results[0][1], results[1][1])
    assert np.isin(results[0][0], keep).all() and (results[0][1] % 5 == 1).all()
    flat = mf.IndexFlatL2(8)
    flat.add(xb)
    assert flat.remove_ids(mf.PyCallbackIDSelector(lambda i: i < 100)) == 100
    with pytest.raises(TypeError, match="callable"):
        mf.PyCallbackIDSelector(3)
    translated = mf.IDSelectorTranslated(ids, mf.IDSelectorBatch(keep))
    assert translated.is_member(0) and not translated.is_member(1)


@pytest.mark.parametrize("key", ["SQ8", "PQ4np", "IDMap,SQ8", "IDMap,Flat"])
def test_range_search_with_a_selector_equals_faiss(key):
    xb, xq = faiss.rand((500, 8), 5), faiss.rand((6, 8), 6)
    results = []
    for lib in (mf, faiss):
        index = lib.index_factory(8, key)
        index.train(xb)
        if key.startswith("IDMap"):
            index.add_with_ids(xb, np.arange(500) * 2)
        else:
            index.add(xb)
        lims, D, I = index.range_search(xq, 0.3, params=lib.SearchParameters(sel=lib.IDSelectorRange(0, 500)))
        results.append([sorted(I[lims[q]:lims[q + 1]].tolist()) for q in range(6)])
    assert results[0] == results[1]
    assert all(i < 500 for row in results[0] for i in row)


def test_refine_search_parameters_change_k_factor_and_base_nprobe_for_one_call():
    xb, xq = faiss.rand((2000, 16), 7), faiss.rand((40, 16), 8)
    gt = faiss.knn(xq, xb, 10)[1]
    index = mf.index_factory(16, "IVF8,PQ2x4np,RFlat")
    index.train(xb)
    index.add(xb)
    index.base_index.nprobe = 4
    recall = []
    for params in (None, mf.IndexRefineSearchParameters(k_factor=2), mf.IndexRefineSearchParameters(k_factor=8),
                   mf.IndexRefineSearchParameters(k_factor=8, base_index_params=mf.IVFSearchParameters(nprobe=8))):
        recall.append(mf.eval_intersection(index.search(xq, 10, params=params)[1], gt))
    assert recall[0] < recall[1] < recall[2] < recall[3]
    assert index.k_factor == 1
    with pytest.raises(ValueError, match="k_factor"):
        mf.IndexRefineSearchParameters(k_factor=0.5)
    with pytest.raises(ValueError, match="polysemous_ht"):
        mf.SearchParametersPQ(polysemous_ht=-1)


@pytest.mark.parametrize("name", ["METRIC_Jaccard", "METRIC_NaNEuclidean", "METRIC_GOWER"])
def test_extra_metrics_equal_faiss(name):
    rs = np.random.RandomState(1)
    xq, yb = rs.rand(6, 8).astype("float32"), rs.rand(30, 8).astype("float32")
    if name != "METRIC_Jaccard":
        xq[rs.rand(*xq.shape) < 0.2] = np.nan
    if name == "METRIC_GOWER":
        xq[:, 6:], yb[:, 6:] = -rs.randint(1, 4, (6, 2)), -rs.randint(1, 4, (30, 2))
    ours, theirs = getattr(mf, name), getattr(faiss, name)
    np.testing.assert_allclose(mf.pairwise_distances(xq, yb, ours), faiss.pairwise_distances(xq, yb, theirs),
                               rtol=1e-6, equal_nan=True)
    if name == "METRIC_Jaccard":
        a, b = mf.IndexFlat(8, ours), faiss.IndexFlat(8, theirs)
        a.add(yb)
        b.add(yb)
        np.testing.assert_array_equal(a.search(xq, 5)[1], b.search(xq, 5)[1])
        assert mf.is_similarity_metric(ours)
    bad = np.array([[1.5, 0.3, -1, -2]], np.float32)
    if name == "METRIC_GOWER":
        assert np.isnan(mf.pairwise_distances(bad, yb[:1, :4].clip(0, 1), ours)).all()


def test_flat_1d_equals_faiss():
    rs = np.random.RandomState(123545)
    xb = rs.uniform(size=(100, 1)).astype("float32")
    xq = rs.uniform(size=(300, 1)).astype("float32") * 1.1 - 0.05
    ours, theirs = mf.IndexFlat1D(), faiss.IndexFlat1D()
    for index in (ours, theirs):
        index.add(xb[:60])
        index.add(xb[60:])
    D, I = ours.search(xq, 10)
    Dt, It = theirs.search(xq, 10)
    np.testing.assert_allclose(D, Dt, atol=1e-6)
    assert (I != It).sum() < 10  # equal distances may order differently
    ref = mf.IndexFlatL2(1)
    ref.add(xb)
    np.testing.assert_allclose(D ** 2, ref.search(xq, 10)[0], atol=1e-5)
    small = mf.IndexFlat1D()
    for i in range(3):
        assert (small.search(np.array([[0.5]], np.float32), 10)[1] == -1).sum() == 10 - i
        small.add(np.array([[rs.rand()]], np.float32))
    lazy = mf.IndexFlat1D(continuous_update=False)
    lazy.add(xb)
    with pytest.raises(ValueError, match="update_permutation"):
        lazy.search(xq, 3)
    lazy.update_permutation()
    np.testing.assert_array_equal(lazy.search(xq, 3)[0], D[:, :3])


def test_clustering_initialization_like_faiss():
    rs = np.random.RandomState(0)
    centers = rs.randn(32, 16).astype(np.float32) * 20
    xt = np.ascontiguousarray(centers[rs.randint(0, 32, 5000)] + rs.randn(5000, 16).astype(np.float32) * 0.5)
    objective, picks = {}, {}
    libs = (mf, faiss) if hasattr(faiss, "ClusteringInitialization") else (mf,)  # faiss 1.15 on
    for lib in libs:
        for method in (0, 1, 2):  # RANDOM, KMEANS_PLUS_PLUS, AFK_MC2
            init = lib.ClusteringInitialization(16, 32)
            init.method, init.seed = method, 5
            c = np.zeros((32, 16), np.float32)
            init.init_centroids(len(xt), lib.swig_ptr(xt), lib.swig_ptr(c))
            assert faiss.knn(c, xt, 1)[0].max() < 1e-3  # points of the data
            assert faiss.knn(c, c, 2)[0][:, 1].min() > 1e-4  # distinct
            objective[lib.__name__, method] = faiss.knn(xt, c, 1)[0].sum()
            picks[lib.__name__, method] = c
    assert (mf.ClusteringInitMethod_RANDOM, mf.ClusteringInitMethod_KMEANS_PLUS_PLUS,
            mf.ClusteringInitMethod_AFK_MC2) == (0, 1, 2)
    for method in (1, 2):  # the D^2 methods beat random picks
        assert objective["metalfaiss", method] < objective["metalfaiss", 0]
    for method in (0, 1, 2):  # the same generator and draws as faiss: the same points
        if ("faiss", method) in picks:
            np.testing.assert_array_equal(picks["metalfaiss", method], picks["faiss", method])
    init = mf.ClusteringInitialization(16, 32)
    init.method = 7
    with pytest.raises(ValueError, match="unknown init method"):
        init.init_centroids(len(xt), mf.swig_ptr(xt), mf.swig_ptr(np.zeros((32, 16), np.float32)))


@pytest.mark.parametrize("method", [1, 2])
def test_clustering_with_an_init_method_trains_like_faiss(method):
    xt = faiss.rand((3000, 8), 12)
    given = faiss.rand((2, 8), 13)
    results = {}
    for lib in (mf, faiss):
        if lib is faiss and not hasattr(faiss, "ClusteringInitialization"):
            continue  # faiss 1.15 on
        for niter in (0, 8):
            cl = lib.Clustering(8, 12)
            cl.init_method, cl.afkmc2_chain_length, cl.niter, cl.nredo = method, 9, niter, 2
            lib.copy_array_to_vector(given.ravel(), cl.centroids)
            cl.train(xt, lib.IndexFlatL2(8))
            results[lib.__name__, niter] = lib.vector_to_array(cl.centroids).reshape(12, 8)
    start = results["metalfaiss", 0]
    np.testing.assert_array_equal(start[:2], given)  # the given centroids start the set
    assert faiss.knn(start[2:], xt, 1)[0].max() < 1e-6  # the others are drawn from the points
    if ("faiss", 8) in results:  # the same draws and iterations as faiss
        np.testing.assert_array_equal(start, results["faiss", 0])
        np.testing.assert_allclose(results["metalfaiss", 8], results["faiss", 8], rtol=1e-5, atol=1e-5)
    random_init = mf.Kmeans(8, 12, niter=8, nredo=2)
    random_init.train(xt)
    km = mf.Kmeans(8, 12, niter=8, nredo=2, init_method=method)
    km.train(xt)
    assert km.obj[-1] <= random_init.obj[-1] * 1.05
    with pytest.raises(ValueError, match="init method"):
        mf.Kmeans(8, 12, init_method=5).train(xt)


def test_code_set_marks_new_codes_like_np_unique():
    codes = np.random.RandomState(3).randint(0, 2, (1000, 8)).astype(np.uint8)
    s = mf.CodeSet(8)
    inserted = s.insert(codes)
    np.testing.assert_array_equal(np.sort(np.unique(codes, axis=0), axis=None), np.sort(codes[inserted], axis=None))
    assert not s.insert(codes[:10]).any()  # seen before
    if hasattr(faiss, "CodeSet"):
        np.testing.assert_array_equal(faiss.CodeSet(8).insert(codes), inserted)
    with pytest.raises(mf.DimensionMismatchError):
        s.insert(codes[:, :4])


def test_timeout_guard_stops_a_long_training_and_leaves_later_calls_alone():
    x = np.random.RandomState(4).rand(20000, 32).astype(np.float32)
    cp = mf.ClusteringParameters(niter=1_000_000, early_stop_threshold=-1)  # runs until stopped
    km = mf.Clustering(32, 500, cp)
    with pytest.raises(RuntimeError, match="interrupted"):
        with mf.TimeoutGuard(0.05):
            km.train(x, mf.IndexFlatL2(32))
    with mf.TimeoutGuard(30):  # ends well before the timeout
        k2 = mf.Kmeans(32, 8, niter=2)
        k2.train(x[:2000])
    assert k2.centroids.shape == (8, 32)
    with pytest.raises(mf.InvalidArgumentError):
        mf.TimeoutGuard(-1)


def test_hnsw_permute_entries_renumbers_like_faiss():
    xb, xq = faiss.rand((1000, 32), 5), faiss.rand((50, 32), 6)
    perm = np.random.RandomState(1234).permutation(1000)
    results = []
    for lib in (mf, faiss):
        index = lib.index_factory(32, "HNSW32,Flat")
        index.add(xb)
        Dref, Iref = index.search(xq, 5)
        index.permute_entries(perm)
        Dnew, Inew = index.search(xq, 5)
        np.testing.assert_array_equal(Dnew, Dref)
        np.testing.assert_array_equal(perm[Inew], Iref)
        np.testing.assert_array_equal(index.reconstruct(0), xb[perm[0]])
        results.append(Inew)
    with pytest.raises(mf.InvalidArgumentError):
        mf.index_factory(32, "HNSW32,Flat").permute_entries(np.array([1, 1]))
