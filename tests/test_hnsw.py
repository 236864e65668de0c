"""HNSW indexes against faiss-cpu: same level draw, recall within 0.01 of
faiss's graph built with the same M and efConstruction, faiss's API."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf
from conftest import gaussian_mixture, needs_faiss


def recall(I, gt):
    return np.mean([len(set(a) & set(b)) / gt.shape[1] for a, b in zip(I, gt)])


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(20)
    centres = rng.standard_normal((50, 32)) * 4
    xb = (centres[rng.integers(0, 50, 20000)] + rng.standard_normal((20000, 32))).astype(np.float32)
    # 3,000 queries: with fewer, the recall of one graph at efSearch 16
    # wanders by more than the 0.01 asked for from one build to the next.
    xq = (centres[rng.integers(0, 50, 3000)] + rng.standard_normal((3000, 32))).astype(np.float32)
    return xb, xq


@pytest.fixture
def one_thread():
    faiss.omp_set_num_threads(1)
    mf.omp_set_num_threads(1)
    yield
    faiss.omp_set_num_threads(0)
    mf.omp_set_num_threads(0)


def exact(xb, xq, k, metric=faiss.METRIC_L2):
    flat = faiss.IndexFlat(xb.shape[1], metric)
    flat.add(xb)
    return flat.search(xq, k)[1]


@pytest.mark.parametrize("metric", [mf.METRIC_L2, mf.METRIC_INNER_PRODUCT])
def test_flat_recall_matches_faiss_at_each_ef(data, metric, one_thread):
    # One thread: a parallel build's graph varies from run to run (L2
    # recall at ef 16 over three two-thread builds: 0.938-0.948, faiss
    # 0.942), so the comparison is made on the deterministic graphs. The
    # graphs are not faiss's edge for edge: faiss sums distances in other
    # orders (one at a time and four at a time differ), and a near-tie
    # decided the other way changes the links from there on.
    xb, xq = data
    if metric == mf.METRIC_INNER_PRODUCT:
        xb, xq = xb / np.linalg.norm(xb, axis=1, keepdims=True), xq / np.linalg.norm(xq, axis=1, keepdims=True)
    gt = exact(xb, xq, 10, metric)
    ours, theirs = mf.IndexHNSWFlat(32, 16, metric), faiss.IndexHNSWFlat(32, 16, metric)
    ours.add(xb)
    theirs.add(xb)
    # Observed, one thread: L2 ef 16/64/256: 0.936/0.996/0.999 vs faiss
    # 0.942/0.995/0.999; inner product 0.948/0.998/0.999 vs faiss
    # 0.949/0.998/1.000.
    for ef in (16, 64, 256):
        ours.hnsw.efSearch = ef
        theirs.hnsw.efSearch = ef
        D, I = ours.search(xq, 10)
        r_ours, r_theirs = recall(I, gt), recall(theirs.search(xq, 10)[1], gt)
        assert abs(r_ours - r_theirs) <= 0.01, (ef, r_ours, r_theirs)
        assert D.dtype == np.float32 and I.dtype == np.int64
        order = D if metric == mf.METRIC_L2 else -D
        assert (np.diff(order, axis=1) >= 0).all(), "best first"


@needs_faiss("1.15", "links small graphs as these tests expect")
def test_levels_entry_point_and_small_graphs_equal_faiss(data, one_thread):
    xb, _ = data
    ours, theirs = mf.IndexHNSWFlat(32, 8), faiss.IndexHNSWFlat(32, 8)
    ours.add(xb[:5000])
    theirs.add(xb[:5000])
    # Same generator, seed and level probabilities: the same level per node.
    np.testing.assert_array_equal(ours.hnsw.levels, faiss.vector_to_array(theirs.hnsw.levels))
    np.testing.assert_array_equal(ours.hnsw.offsets, faiss.vector_to_array(theirs.hnsw.offsets))
    assert ours.hnsw.max_level == theirs.hnsw.max_level
    assert ours.hnsw.entry_point == theirs.hnsw.entry_point
    # Built with one thread, a small graph is faiss's edge for edge
    # (insertion order, heuristic, heaps and the 0.2 prune headroom).
    small, ref = mf.IndexHNSWFlat(8, 4), faiss.IndexHNSWFlat(8, 4)
    small.add(xb[:60, :8].copy())
    ref.add(xb[:60, :8].copy())
    np.testing.assert_array_equal(small.hnsw.neighbors, faiss.vector_to_array(ref.hnsw.neighbors))
    q = xb[100:120, :8].copy()
    for ef in (4, 16):
        small.hnsw.efSearch = ref.hnsw.efSearch = ef
        D, I = small.search(q, 5)
        Dr, Ir = ref.search(q, 5)
        np.testing.assert_array_equal(I, Ir)
        np.testing.assert_allclose(D, Dr, rtol=1e-5)


def test_graph_invariants(data):
    xb, _ = data
    index = mf.IndexHNSWFlat(32, 8)
    index.add(xb[:3000])
    h = index.hnsw
    levels, offsets, neighbors = h.levels, h.offsets.astype(np.int64), h.neighbors
    assert levels[h.entry_point] == h.max_level + 1 == levels.max()
    for node in range(0, 3000, 7):
        start = offsets[node]
        for level in range(levels[node]):
            begin = start + (0 if level == 0 else 16 + (level - 1) * 8)
            lst = neighbors[begin:begin + h.nb_neighbors(level)]
            filled = lst[lst >= 0]
            assert 0 < len(filled) <= h.nb_neighbors(level)
            assert (lst[len(filled):] == -1).all(), "padding only at the end"
            assert node not in filled
            assert (levels[filled] > level).all(), "neighbours live on the level"


def test_one_thread_build_is_deterministic(data, one_thread):
    xb, _ = data
    graphs = []
    for _ in range(2):
        index = mf.IndexHNSWFlat(32, 12)
        index.add(xb[:4000])
        graphs.append(index.hnsw.neighbors)
    np.testing.assert_array_equal(graphs[0], graphs[1])


@pytest.mark.parametrize("kind", ["SQ8", "PQ16"])
def test_coded_storages_recall_like_faiss(data, kind):
    xb, xq = data
    gt = exact(xb, xq, 10)
    if kind == "SQ8":
        ours, theirs = mf.IndexHNSWSQ(32, mf.ScalarQuantizer.QT_8bit, 16), faiss.IndexHNSWSQ(32, faiss.ScalarQuantizer.QT_8bit, 16)
    else:
        ours, theirs = mf.IndexHNSWPQ(32, 16, 16), faiss.IndexHNSWPQ(32, 16, 16)
    with pytest.raises(mf.NotTrainedError):
        ours.add(xb)
    for index in (ours, theirs):
        index.train(xb[:10000])
        index.add(xb)
        index.hnsw.efSearch = 64
    # Observed (two-thread builds): SQ8 0.959 vs faiss 0.955; PQ16 0.662 vs
    # 0.663.
    r_ours, r_theirs = recall(ours.search(xq, 10)[1], gt), recall(theirs.search(xq, 10)[1], gt)
    assert abs(r_ours - r_theirs) <= 0.02, (kind, r_ours, r_theirs)


def test_search_parameters_incremental_add_reset_and_reconstruct(data):
    xb, xq = data
    index = mf.IndexHNSWFlat(32, 16)
    index.add(xb[:5000])
    index.hnsw.efSearch = 48
    D1, I1 = index.search(xq, 10)
    index.hnsw.efSearch = 16
    D2, I2 = index.search(xq, 10, params=mf.SearchParametersHNSW(efSearch=48))
    np.testing.assert_array_equal(I1, I2)
    assert index.hnsw.efSearch == 16, "parameters apply to one call"
    # efSearch below k is raised to k, as in faiss: a heap of efSearch = 16
    # could not return more than 16 results. (Like faiss's, the search may
    # stop before filling all k: faiss pads 0-17 of these 100.)
    D, I = index.search(xq[:5], 100)
    assert ((I >= 0).sum(axis=1) > 16).all()
    # A selector filters results.
    sel = mf.IDSelectorRange(0, 2500)
    _, I = index.search(xq, 10, params=mf.SearchParametersHNSW(sel=sel, efSearch=64))
    assert ((I >= 0) & (I < 2500)).all()
    # Adding after a search links the new nodes into the same graph.
    index.add(xb[5000:8000])
    assert index.ntotal == 8000 and len(index.hnsw.levels) == 8000
    _, I = index.search(xb[7000:7010], 1)
    np.testing.assert_array_equal(I[:, 0], np.arange(7000, 7010))
    np.testing.assert_array_equal(index.reconstruct(7005), xb[7005])
    index.reset()
    assert index.ntotal == 0 and index.hnsw.entry_point == -1
    _, I = index.search(xq[:2], 3)
    assert (I == -1).all()


def test_unbounded_queue_search(data):
    xb, xq = data
    gt = exact(xb[:5000], xq, 10)
    ours, theirs = mf.IndexHNSWFlat(32, 16), faiss.IndexHNSWFlat(32, 16)
    for index in (ours, theirs):
        index.add(xb[:5000])
        index.hnsw.search_bounded_queue = False
        index.hnsw.efSearch = 32
    assert abs(recall(ours.search(xq, 10)[1], gt) - recall(theirs.search(xq, 10)[1], gt)) <= 0.01


def test_factory_builds_faiss_structures():
    for desc, cls in [("HNSW32", "IndexHNSWFlat"), ("HNSW16,Flat", "IndexHNSWFlat"), ("HNSW32_SQ8", "IndexHNSWSQ"),
                      ("HNSW32_PQ8", "IndexHNSWPQ"), ("IVF64_HNSW8,Flat", "IndexIVFFlat")]:
        ours, theirs = mf.index_factory(16, desc), faiss.index_factory(16, desc)
        assert type(ours).__name__ == type(theirs).__name__ == cls
    assert mf.reverse_index_factory(mf.index_factory(16, "HNSW32_SQ8")) == "HNSW32_SQ8"
    assert mf.reverse_index_factory(mf.index_factory(16, "IVF64_HNSW8,Flat")) == "IVF64_HNSW8,Flat"
    assert mf.index_factory(16, "HNSW24").hnsw.M == 24
    with pytest.raises(ValueError, match="HNSW1"):
        mf.index_factory(16, "HNSW1")


def test_ivf_with_an_hnsw_quantizer_recalls_like_faiss(data):
    xb, xq = data
    gt = exact(xb, xq, 10)
    ours, theirs = mf.index_factory(32, "IVF128_HNSW16,Flat"), faiss.index_factory(32, "IVF128_HNSW16,Flat")
    for index in (ours, theirs):
        index.train(xb[:10000])
        index.add(xb)
        index.nprobe = 8
    assert abs(recall(ours.search(xq, 10)[1], gt) - recall(theirs.search(xq, 10)[1], gt)) <= 0.02


def test_bad_input(data):
    xb, _ = data
    with pytest.raises(ValueError, match="M must be at least 2"):
        mf.IndexHNSWFlat(32, 1)
    with pytest.raises(ValueError, match="not supported"):  # coded storages: L2 or inner product
        mf.IndexHNSWSQ(32, mf.ScalarQuantizer.QT_8bit, 16, mf.METRIC_L1)
    index = mf.IndexHNSWFlat(32, 16)
    with pytest.raises(ValueError):
        index.add(xb[:10, :31])
    with pytest.raises(NotImplementedError, match="IndexIDMap2"):
        index.remove_ids(np.array([1], dtype=np.int64))
    with pytest.raises(ValueError):
        index.hnsw.efSearch = 0
    with pytest.raises(ValueError):
        mf.SearchParametersHNSW(efSearch=-1)
    with pytest.raises(TypeError):
        mf.IndexHNSW("not an index")
    index.add(xb[:100])
    assert index.ntotal == 100


def test_over_a_filled_storage(data):
    # faiss's test_hnsw_reset: the index counts nothing until its first add,
    # which (here) links the stored vectors too, then reset empties both
    xb = data[0][:500]
    flat = mf.IndexFlat(32)
    flat.add(xb)
    index = mf.IndexHNSW(flat)
    assert index.ntotal == 0
    assert (index.search(xb[:2], 3)[1] == -1).all()
    index.add(xb)
    assert index.ntotal == 1000 and flat.ntotal == 1000
    D, I = index.search(xb[:50], 2)
    assert (np.sort(I, axis=1) == np.stack([np.arange(50), np.arange(50) + 500], axis=1)).mean() > 0.95
    index.reset()
    assert index.ntotal == 0 and flat.ntotal == 0


def test_hnswlib_selection_builds_another_graph_that_searches_like_faiss_files(data, tmp_path):
    """The build option changes the graph (new nodes take at most M level-0
    links), not the search or the file: the graph written and read back
    answers the same, and its recall stays near faiss's graph's."""
    xb, xq = data
    xb, xq = xb[:6000], xq[:500]
    gt = exact(xb, xq, 10)
    default = mf.IndexHNSWFlat(32, 16)
    assert default.hnsw.hnswlib_selection is False
    index = mf.IndexHNSWFlat(32, 16)
    index.hnsw.hnswlib_selection = True
    assert index.hnsw.hnswlib_selection is True
    for ix in (default, index):
        ix.add(xb)
        ix.hnsw.efSearch = 64
    assert not np.array_equal(default.hnsw.neighbors, index.hnsw.neighbors)
    r_default = recall(default.search(xq, 10)[1], gt)
    r_selection = recall(index.search(xq, 10)[1], gt)
    assert r_selection >= r_default - 0.05, (r_selection, r_default)
    path = str(tmp_path / "hs.index")
    mf.write_index(index, path)
    back = mf.read_index(path)
    back.hnsw.efSearch = 64
    np.testing.assert_array_equal(back.hnsw.neighbors, index.hnsw.neighbors)
    np.testing.assert_array_equal(back.search(xq, 10)[1], index.search(xq, 10)[1])
    # faiss reads the file and walks the same graph (its distances may
    # round differently on another CPU: nearly every answer the same).
    theirs = faiss.read_index(path)
    theirs.hnsw.efSearch = 64
    same = (theirs.search(xq, 10)[1] == index.search(xq, 10)[1]).all(axis=1).mean()
    assert same >= 0.98, same
