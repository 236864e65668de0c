"""docs/COMPATIBILITY.md must be what docs/compat_table.py builds from the
installed faiss-cpu and metalfaiss: a name gained or lost without the
table rewritten fails here."""

import pathlib
import subprocess
import sys

import pytest

faiss = pytest.importorskip("faiss")

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "docs" / "compat_table.py"
TABLE = ROOT / "docs" / "COMPATIBILITY.md"

# Only where the table can be rebuilt: beside the docs (not in the copies
# of tests/ that other interpreters run), with the faiss-cpu it was made from.
pytestmark = pytest.mark.skipif(
    not SCRIPT.exists() or not TABLE.exists() or f"faiss-cpu {faiss.__version__} " not in TABLE.read_text(),
    reason="the table is built beside docs/ from the faiss-cpu the Makefile pins")


def test_compatibility_table_is_current():
    r = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr


def test_statuses_follow_the_modules():
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        import compat_table
    finally:
        sys.path.pop(0)
    import metalfaiss

    rows = compat_table.faiss_names(faiss)
    for name, status, _ in rows:
        if status == "supported":
            assert hasattr(metalfaiss, name), name
        elif status == "not yet":
            assert not hasattr(metalfaiss, name), name
    statuses = dict((n, s) for n, s, _ in rows)
    assert statuses["swig_version"] == "not applicable"
    assert statuses["IndexResidualQuantizerFastScan"] == "supported"
