"""The source distribution: it holds what `go build` needs, `pip install`
builds it where Go is on PATH, and fails at once, in one line naming Go and
the fix, where it is not."""

import os
import pathlib
import subprocess
import sys
import tarfile
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent

if os.environ.get("METALFAISS_BACKEND") or os.environ.get("METALFAISS_KERNELS"):
    # Packaging does not depend on the backend or the kernels: make test's
    # default pass covers it (each install takes half a minute).
    pytest.skip("packaging is tested in the default pass", allow_module_level=True)


@pytest.fixture(scope="module")
def sdist(tmp_path_factory):
    pytest.importorskip("build")
    out = tmp_path_factory.mktemp("sdist")
    subprocess.run([sys.executable, "-m", "build", "--sdist", "--no-isolation", "-o", str(out), str(ROOT)],
                   check=True, capture_output=True)
    (archive,) = out.glob("metalfaiss-*.tar.gz")
    return archive


def _venv(path):
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    return path / "bin" / "python"


def test_the_archive_holds_the_go_sources(sdist):
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    for needed in ["go.mod", "go.sum", "setup.py", "pyapi/index.go", "core/index_flat.go",
                   "core/kernels/dot_amd64.s", "metalbridge/vulkan_linux.c", "shaders/kernels.go",
                   "python/metalfaiss/__init__.py"]:
        assert needed in names, needed
    assert any(n.startswith("shaders/spirv/") and n.endswith(".spv") for n in names)
    assert not [n for n in names if n.endswith("_test.go") or "/testdata/" in n]


def test_without_go_pip_stops_at_once_naming_go(sdist, tmp_path):
    python = _venv(tmp_path / "venv")
    # PATH without go (and the venv's own bin for pip's build helpers).
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep)
                           if not (pathlib.Path(p) / "go").exists())
    start = time.monotonic()
    out = subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(sdist)],
                         capture_output=True, text=True, env=dict(os.environ, PATH=path))
    assert out.returncode != 0
    lines = [line.strip() for line in (out.stdout + out.stderr).splitlines() if line.strip().startswith("metalfaiss:")]
    assert len(lines) == 1 and "needs Go >= 1.24 on PATH" in lines[0] and "go.dev/dl" in lines[0], out.stderr
    assert time.monotonic() - start < 300  # it stops before building anything


def test_with_go_pip_builds_and_the_package_works(sdist, tmp_path):
    python = _venv(tmp_path / "venv")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(sdist)], check=True,
                   capture_output=True, cwd=tmp_path)
    code = ("import numpy as np, metalfaiss as faiss; ix = faiss.IndexFlatL2(4); "
            "ix.add(np.eye(4, dtype=np.float32)); print(faiss.__version__, ix.search(np.eye(4, dtype=np.float32), 1)[1].ravel())")
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert out.stdout.strip().endswith("[0 1 2 3]")
