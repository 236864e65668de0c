"""metalfaiss.contrib against faiss.contrib (the oracle): the same data,
ground truth and measures from the same inputs."""

import faiss
import numpy as np
import pytest
from faiss.contrib import datasets as faiss_datasets
from faiss.contrib import evaluation as faiss_evaluation
from faiss.contrib import exhaustive_search as faiss_exhaustive

import metalfaiss as mf
from conftest import needs_faiss
from metalfaiss.contrib import datasets, evaluation, exhaustive_search, vecs_io


@pytest.fixture(scope="module")
def ds():
    return datasets.SyntheticDataset(24, 500, 3000, 40)


@pytest.mark.parametrize("metric", ["L2", "IP"])
def test_synthetic_dataset_is_faiss_value_for_value(metric):
    ours = datasets.SyntheticDataset(20, 300, 1000, 30, metric=metric, seed=5)
    theirs = faiss_datasets.SyntheticDataset(20, 300, 1000, 30, metric=metric, seed=5)
    for part in ("get_train", "get_database", "get_queries"):
        np.testing.assert_array_equal(getattr(ours, part)(), getattr(theirs, part)())
    assert ours.get_train(maxtrain=7).shape == (7, 20)
    assert str(ours) == str(theirs)
    ours.check_sizes()
    assert evaluation.knn_intersection_measure(ours.get_groundtruth(10), theirs.get_groundtruth(10)) > 0.99


def test_database_iterator_splits_the_database(ds):
    blocks = list(ds.database_iterator(bs=256, split=(3, 1)))
    assert all(len(b) <= 256 for b in blocks)
    np.testing.assert_array_equal(np.vstack(blocks), ds.xb[1000:2000])


@pytest.mark.parametrize("metric", [mf.METRIC_L2, mf.METRIC_INNER_PRODUCT])
def test_knn_ground_truth_by_blocks_equals_faiss(ds, metric):
    D, I = exhaustive_search.knn_ground_truth(ds.xq, ds.database_iterator(bs=700), 15, metric, ngpu=0)
    Dref, Iref = faiss_exhaustive.knn_ground_truth(ds.xq, ds.database_iterator(bs=700), 15, metric)
    evaluation.check_ref_knn_with_draws(Dref, Iref, D, I, rtol=1e-4)


def test_range_ground_truth_and_max_results_equal_faiss(ds):
    radius = float(np.median(mf.knn(ds.xq, ds.xb, 20)[0][:, 10]))
    got = exhaustive_search.range_ground_truth(ds.xq, ds.database_iterator(bs=700), radius, ngpu=0)
    ref = faiss_exhaustive.range_ground_truth(ds.xq, ds.database_iterator(bs=700), radius)
    assert ref[0][-1] > 0
    evaluation.check_ref_range_results(*ref, *got)

    ours, theirs = mf.IndexFlatL2(ds.d), faiss.IndexFlatL2(ds.d)
    ours.add(ds.xb)
    theirs.add(ds.xb)
    r, *got = exhaustive_search.range_search_max_results(
        ours, exhaustive_search.exponential_query_iterator(ds.xq, 4), radius, max_results=150)
    r_ref, *ref = faiss_exhaustive.range_search_max_results(
        theirs, faiss_exhaustive.exponential_query_iterator(ds.xq, 4), radius, max_results=150)
    assert r == pytest.approx(r_ref, rel=1e-5) and r < radius
    evaluation.check_ref_range_results(*ref, *got)


def test_range_search_gpu_falls_back_for_full_queries(ds):
    radius = float(np.median(mf.knn(ds.xq, ds.xb, 20)[0][:, 10]))
    index = mf.IndexFlatL2(ds.d)
    index.add(ds.xb)
    # gpu_k=5 leaves many queries with more than 5 results: they are redone
    # on the CPU index, and the whole must equal one exact range search.
    got = exhaustive_search.range_search_gpu(ds.xq, radius, index, ds.xb, gpu_k=5)
    lims, D, I = index.range_search(ds.xq, radius)
    evaluation.check_ref_range_results(lims, D, I, *got)


def test_range_pr_and_thresholds_equal_faiss(ds):
    radius = float(np.median(mf.knn(ds.xq, ds.xb, 20)[0][:, 10]))
    index = mf.IndexFlatL2(ds.d)
    index.add(ds.xb)
    lims, D, I = index.range_search(ds.xq, radius)
    lims2, D2, I2 = evaluation.filter_range_results(lims, D, I, radius * 0.9)
    assert lims2[-1] < lims[-1]
    for mode in ("overall", "average"):
        assert evaluation.range_PR(lims, I, lims2, I2, mode) == pytest.approx(
            faiss_evaluation.range_PR(lims, I, lims2, I2, mode))
    thresholds = [radius * f for f in (0.5, 0.8, 0.95, 1.0)]
    got = evaluation.range_PR_multiple_thresholds(lims, I, lims, D, I, thresholds)
    ref = faiss_evaluation.range_PR_multiple_thresholds(lims, I, lims, D, I, thresholds)
    np.testing.assert_allclose(got, ref)


def test_check_ref_knn_with_draws_allows_ties_only():
    D = np.array([[1.0, 2.0, 2.0, 3.0]], dtype="float32")
    evaluation.check_ref_knn_with_draws(D, np.array([[7, 1, 2, 9]]), D, np.array([[7, 2, 1, 9]]))
    with pytest.raises(AssertionError):
        evaluation.check_ref_knn_with_draws(D, np.array([[7, 1, 2, 9]]), D, np.array([[7, 1, 3, 9]]))


def test_result_heap_and_merge_equal_faiss(rng):
    ours, theirs = mf.ResultHeap(6, 5), faiss.ResultHeap(6, 5)
    for _ in range(4):
        D = rng.integers(0, 8, (6, 3)).astype("float32")  # many ties
        I = rng.integers(0, 1000, (6, 3))
        ours.add_result(D, I)
        theirs.add_result(D, I)
    ours.finalize()
    theirs.finalize()
    np.testing.assert_array_equal(ours.D, theirs.D)
    evaluation.check_ref_knn_with_draws(theirs.D, theirs.I, ours.D, ours.I)

    Dall = np.sort(rng.random((3, 4, 6)).astype("float32"), axis=2)
    Iall = rng.integers(0, 100, (3, 4, 6))
    for keep_max in (False, True):
        Ds = -np.sort(-Dall, axis=2) if keep_max else Dall
        got, ref = mf.merge_knn_results(Ds, Iall, keep_max), faiss.merge_knn_results(Ds, Iall, keep_max)
        np.testing.assert_array_equal(got[0], ref[0])
        np.testing.assert_array_equal(got[1], ref[1])
    with pytest.raises(mf.DimensionMismatchError, match="ResultHeap.add_result"):
        ours.add_result(np.zeros((5, 2), "float32"), np.zeros((5, 2), "int64"))


@pytest.mark.parametrize("keep_max", [False, True])
def test_result_heap_wide_blocks_keep_the_stable_order(rng, keep_max):
    """Blocks much wider than k take the partial-selection path: the result
    is the stable sort's, ties (earlier first) and NaNs (never kept ahead
    of numbers) included."""
    heap = mf.ResultHeap(7, 4, keep_max=keep_max)
    allD, allI = [heap.D.copy()], [heap.I.copy()]
    for block in range(3):
        D = rng.integers(0, 5, (7, 40)).astype("float32")
        D[rng.random(D.shape) < 0.3] = np.nan
        D[3] = np.nan  # one row with fewer numbers than k
        I = np.arange(40)[None, :].repeat(7, 0) + 100 * block
        heap.add_result(D, I)
        allD.append(D)
        allI.append(I)
    D, I = np.hstack(allD), np.hstack(allI)
    order = np.argsort(-D if keep_max else D, axis=1, kind="stable")[:, :4]
    np.testing.assert_array_equal(heap.D, np.take_along_axis(D, order, 1))
    np.testing.assert_array_equal(heap.I, np.take_along_axis(I, order, 1))


def test_eval_intersection_equals_faiss(rng):
    I1 = rng.integers(-1, 30, (50, 10))
    I2 = rng.integers(-1, 30, (50, 7))
    assert mf.eval_intersection(I1, I2) == faiss.eval_intersection(I1, I2) > 0
    assert mf.eval_intersection([[2, 2, -1]], [[2, -1, -1]]) == 1
    with pytest.raises(mf.DimensionMismatchError, match="eval_intersection"):
        mf.eval_intersection(I1, I2[:3])


def test_vecs_files_round_trip_and_read_like_faiss(tmp_path, rng):
    from faiss.contrib import vecs_io as faiss_vecs

    x = rng.random((50, 12)).astype("float32")
    vecs_io.fvecs_write(tmp_path / "a.fvecs", x)
    np.testing.assert_array_equal(faiss_vecs.fvecs_read(str(tmp_path / "a.fvecs")), x)
    np.testing.assert_array_equal(vecs_io.fvecs_mmap(tmp_path / "a.fvecs"), x)
    ids = rng.integers(0, 1 << 30, (9, 4)).astype("int32")
    faiss_vecs.ivecs_write(str(tmp_path / "b.ivecs"), ids)
    np.testing.assert_array_equal(vecs_io.ivecs_read(tmp_path / "b.ivecs"), ids)
    codes = rng.integers(0, 256, (30, 8)).astype("uint8")
    rows = np.hstack([np.full((30, 4), 0, "uint8"), codes])
    rows[:, :4] = np.frombuffer(np.int32(8).tobytes(), "uint8")
    rows.tofile(tmp_path / "c.bvecs")
    np.testing.assert_array_equal(vecs_io.bvecs_mmap(tmp_path / "c.bvecs"), codes)
    np.testing.assert_array_equal(np.vstack(list(vecs_io.bvecs_iter(tmp_path / "c.bvecs", 7))), codes)
    (tmp_path / "chunks").mkdir()
    rows[:13].tofile(tmp_path / "chunks" / "chunk_0000.bvecs")
    rows[13:].tofile(tmp_path / "chunks" / "chunk_0001.bvecs")
    batches = list(vecs_io.bvecs_iter_chunked(tmp_path / "chunks", 10))
    assert [len(b) for b in batches] == [10, 10, 10]
    np.testing.assert_array_equal(np.vstack(batches), codes)
    (tmp_path / "chunks" / "chunk_0003.bvecs").write_bytes(rows[:1].tobytes())
    with pytest.raises(ValueError, match=r"chunks \[2\] are missing"):
        list(vecs_io.bvecs_iter_chunked(tmp_path / "chunks", 10))
    (tmp_path / "bad.fvecs").write_bytes(np.array([3, 1, 2], "int32").tobytes())
    with pytest.raises(mf.InvalidArgumentError, match="not a vecs file"):
        vecs_io.fvecs_read(tmp_path / "bad.fvecs")


def test_file_datasets_read_a_local_folder(tmp_path, rng, monkeypatch):
    folder = tmp_path / "sift1M"
    folder.mkdir()
    xb, xq = rng.random((20, 128)).astype("float32"), rng.random((3, 128)).astype("float32")
    vecs_io.fvecs_write(folder / "sift_base.fvecs", xb)
    vecs_io.fvecs_write(folder / "sift_query.fvecs", xq)
    vecs_io.fvecs_write(folder / "sift_learn.fvecs", xb[:10])
    vecs_io.ivecs_write(folder / "sift_groundtruth.ivecs", mf.knn(xq, xb, 5)[1])
    monkeypatch.setattr(datasets, "dataset_basedir", str(tmp_path) + "/")
    ds = datasets.dataset_from_name("sift1M")
    np.testing.assert_array_equal(ds.get_database(), xb)
    np.testing.assert_array_equal(ds.get_train(maxtrain=4), xb[:4])
    assert ds.get_groundtruth(k=2).shape == (3, 2)
    assert isinstance(datasets.dataset_from_name("deep10M"), datasets.DatasetDeep1B)
    assert datasets.dataset_from_name("bigann1B").nb == 10 ** 9
    with pytest.raises(ValueError, match="unknown dataset"):
        datasets.dataset_from_name("nope")


def test_operating_points_keep_the_pareto_front():
    ours, theirs = evaluation.OperatingPointsWithRanges(), faiss_evaluation.OperatingPointsWithRanges()
    for ops in (ours, theirs):
        ops.add_range("nprobe", [1, 2, 4, 8, 16])
        ops.add_range("ef", [16, 32, 64])
    assert ours.num_experiments() == 15
    assert ours.sample_experiments(6) == theirs.sample_experiments(6)
    assert ours.sample_experiments(0) == theirs.sample_experiments(0)
    rng = np.random.default_rng(3)
    for cno in range(15):
        key = ours.cno_to_key(cno)
        np.testing.assert_array_equal(key, theirs.cno_to_key(cno))
        assert ours.get_parameters(key) == theirs.get_parameters(key)
        perf, t = float(rng.random()), float(rng.random())
        assert ours.should_run_experiment(key) == theirs.should_run_experiment(key)
        assert ours.add_operating_point(key, perf, t) == theirs.add_operating_point(key, perf, t)
    assert [p[1:] for p in ours.operating_points] == [p[1:] for p in theirs.operating_points]
    ours.restrict_range("ef", 40)
    assert ours.ranges[1][1] == [16, 32]


def test_repeat_timer_counts_runs():
    timer = evaluation.RepeatTimer(warmup=1, runs=4)
    done = sum(1 for _ in timer)
    assert done == 4 and timer.nruns() == 3 and timer.ms() >= 0 and timer.ms_std() >= 0
    with pytest.raises(ValueError, match="warmup"):
        evaluation.RepeatTimer(warmup=2, runs=2)


NEW_KEYS = needs_faiss("1.15", "parses these keys in get_code_size")


@pytest.mark.parametrize("key", ["Flat", "IVF64,Flat", "IVF64_HNSW32,PQ16x4fs", "IVF32(PQ4),SQ8",
                                 pytest.param("IMI2x8,PQ8+16", marks=NEW_KEYS), "PQ8", "PQ16x6", "HNSW32",
                                 pytest.param("HNSW16,SQ4", marks=NEW_KEYS), "PCAR16,SQ6", "OPQ8_32,PQ8",
                                 "OPQ8,SQfp16", "RR24,SQbf16", "IVF16,PQ8,RFlat", "IVF8,SQ8,Refine(Flat)"])
def test_factory_code_size_equals_faiss(key):
    from faiss.contrib import factory_tools as faiss_factory_tools

    from metalfaiss.contrib import factory_tools

    assert factory_tools.get_code_size(64, key) == faiss_factory_tools.get_code_size(64, key)


def test_factory_tools_read_indexes():
    from metalfaiss.contrib import factory_tools

    with pytest.raises(RuntimeError, match="cannot parse 'Bogus9'"):
        factory_tools.get_code_size(8, "Bogus9")
    assert factory_tools.get_hnsw_M(mf.IndexHNSWFlat(8, 12)) == 12
    assert factory_tools.reverse_index_factory(mf.index_factory(8, "IVF4,SQ8")) == "IVF4,SQ8"


def test_inspect_tools_read_and_make_transforms(rng, capsys):
    from types import SimpleNamespace

    from faiss.contrib import inspect_tools as faiss_inspect

    from metalfaiss.contrib import inspect_tools

    x = rng.standard_normal((500, 12)).astype("float32")
    q, _ = np.linalg.qr(rng.standard_normal((12, 12)))
    rotation = inspect_tools.make_LinearTransform_matrix(q[:8].astype("float32"))
    assert rotation.is_orthonormal and rotation.is_trained
    np.testing.assert_allclose(rotation.apply(x), x @ q[:8].T, rtol=1e-4, atol=1e-5)
    skew = inspect_tools.make_LinearTransform_matrix(2 * q[:8].astype("float32"), np.ones(8, "float32"))
    assert not skew.is_orthonormal
    np.testing.assert_allclose(skew.apply(x), x @ (2 * q[:8]).T + 1, rtol=1e-4, atol=1e-4)
    A, b = inspect_tools.get_LinearTransform_matrix(skew)
    np.testing.assert_allclose(A, 2 * q[:8], rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(b, np.ones(8))
    with pytest.raises(ValueError, match="b has shape"):
        inspect_tools.make_LinearTransform_matrix(q, np.ones(3))

    pq = mf.ProductQuantizer(12, 3, 4)
    pq.train(x)
    cents = inspect_tools.get_pq_centroids(pq)
    assert cents.shape == (3, 16, 4)
    np.testing.assert_array_equal(cents[1, 5], np.asarray(pq.centroids).reshape(3, 16, 4)[1, 5])

    flat = mf.IndexFlatL2(12)
    flat.add(x)
    np.testing.assert_array_equal(inspect_tools.get_flat_data(flat), x)
    ivf = mf.index_factory(12, "IVF8,Flat")
    ivf.train(x)
    ivf.add(x)
    sizes = inspect_tools.get_invlist_sizes(ivf.invlists)
    assert sizes.sum() == 500 and len(sizes) == 8

    # Additive quantizers come later (issue 24); the reader works on any
    # object with faiss's fields, as faiss's residual quantizer has them.
    rq = faiss.ResidualQuantizer(12, 3, 4)
    rq.train(x)
    fields = SimpleNamespace(d=12, M=3, codebooks=faiss.vector_to_array(rq.codebooks),
                             codebook_offsets=faiss.vector_to_array(rq.codebook_offsets))
    for ours, theirs in zip(inspect_tools.get_additive_quantizer_codebooks(fields),
                            faiss_inspect.get_additive_quantizer_codebooks(rq)):
        np.testing.assert_array_equal(ours, theirs)

    inspect_tools.print_object_fields(pq)
    assert "M = 3" in capsys.readouterr().out


def test_datasets_import_without_a_user_name(tmp_path):
    # A container whose uid has no passwd entry and no USER: importing the
    # module must not fail (faiss's own does).
    import subprocess
    import sys

    code = ("import getpass\n"
            "def nobody():\n    raise KeyError('getpwuid(): uid not found')\n"
            "getpass.getuser = nobody\n"
            "from metalfaiss.contrib import datasets\nprint(datasets.dataset_basedir)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "data/"
