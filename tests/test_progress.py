"""Index progress: faiss's verbose lines and the progress(stage, done,
total) callback on train and add (metalfaiss._progress, core.Progress)."""

import numpy as np
import pytest

import metalfaiss as mf


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(11)
    return rng.random((6000, 16), dtype=np.float32), rng.random((20, 16), dtype=np.float32)


class Recorder:
    def __init__(self):
        self.calls = []

    def __call__(self, stage, done, total):
        assert isinstance(stage, str) and isinstance(done, int) and isinstance(total, int)
        self.calls.append((stage, done, total))

    def stages(self):
        return [s for i, (s, _, _) in enumerate(self.calls) if i == 0 or self.calls[i - 1][0] != s]

    def last(self, stage):
        return [c for c in self.calls if c[0] == stage][-1]

    def monotonic(self):
        for (s0, d0, _), (s1, d1, _) in zip(self.calls, self.calls[1:]):
            if s0 == s1:
                assert d1 >= d0, self.calls


def test_ivf_pq_reports_its_stages(data):
    xb, _ = data
    index = mf.IndexIVFPQ(mf.IndexFlatL2(16), 16, 32, 4, 8)
    index.cp.niter = 7
    index.cp.early_stop_threshold = -1  # every iteration runs: the count is exact
    rec = Recorder()
    index.progress = rec
    index.train(xb)
    assert rec.stages() == ["train", "train quantizer", "train codec"]
    assert rec.last("train quantizer") == ("train quantizer", 7, 7)
    assert rec.last("train codec") == ("train codec", 4, 4)  # one unit per sub-quantizer
    rec.calls.clear()
    index.add(xb)
    assert rec.calls[0] == ("add", 0, 6000) and rec.calls[-1] == ("add", 6000, 6000)
    rec.monotonic()


def test_pq_reports_its_sub_quantizers(data, capsys):
    xb, _ = data
    index = mf.IndexPQ(16, 4, 6)
    rec = Recorder()
    index.progress, index.verbose = rec, True
    index.train(xb)
    assert rec.stages() == ["train", "train codec"]
    assert rec.last("train codec") == ("train codec", 4, 4)
    rec.monotonic()
    out = capsys.readouterr().out
    assert "Training PQ slice 0/4" in out and "Training PQ slice 3/4" in out
    assert "Clustering 6000 points in 4D to 64 clusters" in out  # each slice's k-means, as in faiss


def test_ivf_pq_verbose_names_the_product_quantizer(data, capsys):
    xb, _ = data
    index = mf.IndexIVFPQ(mf.IndexFlatL2(16), 16, 32, 4, 8)
    index.verbose = True
    index.train(xb)
    assert "training 4x256 product quantizer on 6000 vectors in 16D" in capsys.readouterr().out


def test_progress_changes_no_result(data):
    xb, xq = data
    plain, watched = (mf.index_factory(16, "IVF32,Flat") for _ in range(2))
    watched.progress = Recorder()
    watched.verbose = True
    for index in (plain, watched):
        index.train(xb)
        index.add(xb)
        index.nprobe = 4
    D0, I0 = plain.search(xq, 5)
    D1, I1 = watched.search(xq, 5)
    np.testing.assert_array_equal(I0, I1)
    np.testing.assert_array_equal(D0, D1)


def test_ivf_verbose_prints_faiss_lines(data, capsys):
    xb, _ = data
    index = mf.IndexIVFFlat(mf.IndexFlatL2(16), 16, 32)
    index.verbose = True
    index.train(xb)
    index.add(xb)
    out = capsys.readouterr().out
    assert "Training level-1 quantizer on 6000 vectors in 16D" in out
    assert "Clustering 6000 points in 16D to 32 clusters" in out  # the clustering is verbose too, as in faiss
    assert "IndexIVFFlat::add_core: added 6000 / 6000 vectors" in out


def test_quiet_index_prints_nothing(data, capsys):
    xb, _ = data
    index = mf.IndexIVFFlat(mf.IndexFlatL2(16), 16, 32)
    index.train(xb)
    index.add(xb)
    assert capsys.readouterr().out == ""


def test_hnsw_add_progress_and_lines(data, capsys):
    xb, _ = data
    index = mf.IndexHNSWFlat(16, 16)
    rec = Recorder()
    index.progress, index.verbose = rec, True
    index.add(xb)
    assert rec.calls[-1] == ("add", 6000, 6000)
    rec.monotonic()
    out = capsys.readouterr().out
    assert "hnsw_add_vertices: adding 6000 elements on top of 0" in out
    assert "elements at level 0" in out


def test_wrapped_index_reports_through_the_wrapper(data):
    xb, _ = data
    index = mf.index_factory(16, "PCA8,IVF16,Flat")
    rec = Recorder()
    index.progress = rec
    index.train(xb)
    assert "train quantizer" in rec.stages()


def test_index_without_stages_reports_start_and_end(data):
    xb, _ = data
    index = mf.IndexFlatL2(16)
    rec = Recorder()
    index.progress = rec
    index.add(xb)
    assert rec.calls == [("add", 0, 6000), ("add", 6000, 6000)]


def test_callback_error_is_raised_after_the_call(data):
    xb, _ = data
    index = mf.IndexFlatL2(16)

    def fail(stage, done, total):
        if done == total:
            raise RuntimeError("stop")

    index.progress = fail
    with pytest.raises(RuntimeError, match="stop"):
        index.add(xb)
    assert index.ntotal == 6000  # documented: the work it reported on is done
    index.progress = None
    index.add(xb[:10])
    assert index.ntotal == 6010
