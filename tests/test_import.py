"""Importing metalfaiss changes no process state (working directory,
sys.path, dlopen flags), even when the import fails; the version and build
facts are there to read."""

import importlib.metadata
import os
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import metalfaiss
from metalfaiss.system import build_info

PROBE = textwrap.dedent("""
    import os, sys
    chdirs = []
    sys.addaudithook(lambda event, args: chdirs.append(args) if event == "os.chdir" else None)
    cwd, path, flags = os.getcwd(), list(sys.path), sys.getdlopenflags()
    {prepare}
    try:
        import metalfaiss
        outcome = "imported"
    except ImportError as e:
        outcome = "failed: " + str(e)
    assert os.getcwd() == cwd, (os.getcwd(), cwd)
    assert sys.path == path
    assert sys.getdlopenflags() == flags
    assert chdirs == [], chdirs
    print(outcome)
""")

FAIL_EXTENSION = textwrap.dedent("""
    class Refuse:
        def find_spec(self, name, path, target=None):
            if name == "metalfaiss._native._pyapi":
                raise ImportError("simulated: the extension cannot load")
    sys.meta_path.insert(0, Refuse())
""")


def _probe(prepare, tmp_path):
    out = subprocess.run([sys.executable, "-c", PROBE.format(prepare=prepare)],
                         cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_import_changes_no_process_state(tmp_path):
    assert _probe("", tmp_path) == "imported"


def test_a_failed_import_changes_no_process_state(tmp_path):
    assert _probe(FAIL_EXTENSION, tmp_path) == "failed: simulated: the extension cannot load"


def test_version_and_build_facts():
    assert metalfaiss.__version__ == importlib.metadata.version("metalfaiss")
    options = metalfaiss.get_compile_options().split()
    assert options[0] == "OPTIMIZE" and options[-2].startswith("GO1.")
    assert build_info()["kernels"] == metalfaiss.kernel_set()
    out = subprocess.run([sys.executable, "-m", "metalfaiss"], capture_output=True, text=True, check=True).stdout
    assert out.startswith(f"metalfaiss {metalfaiss.__version__}\n")
    assert f"CPU kernels: {metalfaiss.kernel_set()}" in out and "build go: go1." in out


def _extension():
    import glob
    import os

    (path,) = glob.glob(os.path.join(os.path.dirname(metalfaiss.__file__), "_native", "_pyapi*"))
    return path


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("readelf") is None, reason="ELF only")
def test_the_extension_does_not_link_libpython():
    # It takes the interpreter's symbols at load time, as every extension
    # does: a second libpython in an interpreter that carries its own
    # statically (Debian's, conda's) would be undefined behaviour.
    dyn = subprocess.run(["readelf", "-d", _extension()], capture_output=True, text=True, check=True).stdout
    needed = [line for line in dyn.splitlines() if "(NEEDED)" in line]
    assert needed and not [line for line in needed if "libpython" in line], needed
    # No OpenMP runtime either: nothing to clash with torch's libomp.
    assert not [line for line in needed if "omp" in line], needed


STATIC_PYTHON = f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"


@pytest.mark.skipif(not os.path.exists(STATIC_PYTHON), reason=f"no {STATIC_PYTHON} (Debian's Python of this version)")
def test_loads_in_a_statically_linked_interpreter():
    # Debian's python3 carries libpython inside the executable.
    site = os.path.dirname(os.path.dirname(metalfaiss.__file__))
    numpy_site = os.path.dirname(os.path.dirname(np.__file__))
    code = ("import numpy as np, metalfaiss as faiss; ix = faiss.IndexFlatL2(4); "
            "ix.add(np.eye(4, dtype=np.float32)); print(ix.search(np.eye(4, dtype=np.float32)[2:3], 1)[1][0, 0])")
    out = subprocess.run([STATIC_PYTHON, "-s", "-c", code], capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=os.pathsep.join([site, numpy_site])))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "2"
