"""Importing metalfaiss changes no process state (working directory,
sys.path, dlopen flags), even when the import fails; the version and build
facts are there to read."""

import importlib.metadata
import subprocess
import sys
import textwrap

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
