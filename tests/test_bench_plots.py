"""The benchmark charts (benchmarks/plots.py): curve styles, and the PNG
files when matplotlib is installed (a benchmark-only dependency)."""

import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "benchmarks"))
import plots  # noqa: E402


def test_index_and_library_curves_share_colours_and_styles():
    curves = {("IVF,PQ", "metalfaiss"): [], ("IVF,PQ", "faiss-cpu"): [], ("HNSW", "metalfaiss"): [],
              ("HNSW", "faiss-cpu"): []}
    styles = {key: plots._style(key, curves) for key in curves}
    assert styles[("IVF,PQ", "metalfaiss")][0] == "IVF,PQ, metalfaiss"
    # one colour per index, one line style per library
    assert styles[("IVF,PQ", "metalfaiss")][1]["color"] == styles[("IVF,PQ", "faiss-cpu")][1]["color"]
    assert styles[("IVF,PQ", "metalfaiss")][1]["color"] != styles[("HNSW", "metalfaiss")][1]["color"]
    assert styles[("HNSW", "metalfaiss")][1]["linestyle"] == styles[("IVF,PQ", "metalfaiss")][1]["linestyle"]
    assert styles[("HNSW", "metalfaiss")][1]["linestyle"] != styles[("HNSW", "faiss-cpu")][1]["linestyle"]


def test_plain_names_keep_matplotlib_styles():
    assert plots._style("metalfaiss", {"metalfaiss": []}) == ("metalfaiss", {})


def test_charts_are_written_as_png(tmp_path):
    pytest.importorskip("matplotlib")
    path = plots.recall_qps(str(tmp_path / "r.png"), "test", {("IVF", "metalfaiss"): [(0.9, 1000.0), (0.5, 5000.0)],
                                                             ("IVF", "faiss-cpu"): [(0.9, 800.0)]})
    assert pathlib.Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    path = plots.time_size(str(tmp_path / "t.png"), "test", ["1k", "10k"],
                           {("L2", "metalfaiss"): [0.1, 1.0], ("L2", "faiss-cpu"): [0.2, None]})
    assert pathlib.Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
