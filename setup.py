"""Builds the Go core into the metalfaiss package with gopy.

`pip install .` needs only Go (>= 1.24) on PATH: gopy and goimports are
installed from the versions pinned in go.mod (`go install tool`), and gopy
builds the extension for the interpreter running this build.
"""

import os
import shutil
import subprocess
import sys
import sysconfig

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

ROOT = os.path.dirname(os.path.abspath(__file__))
# Under the module root (so gopy's generated Go code resolves our packages),
# in a folder that `go ... ./...` skips because its name starts with "_".
WORK = os.path.join(ROOT, "_build")


def run(cmd, env):
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)


def build_native():
    """Run gopy for this interpreter; return the folder with its outputs."""
    if shutil.which("go") is None:
        sys.exit("metalfaiss: building needs Go >= 1.24 on PATH (https://go.dev/dl/)")
    bindir = os.path.join(WORK, "bin")
    tag = sysconfig.get_config_var("SOABI") or f"py{sys.version_info[0]}{sys.version_info[1]}"
    out = os.path.join(WORK, "gopy-" + tag)
    env = dict(os.environ, GOBIN=bindir, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    run(["go", "install", "tool"], env)
    shutil.rmtree(out, ignore_errors=True)
    run([os.path.join(bindir, "gopy"), "build", "-no-make", "-output=" + out, "-vm=" + sys.executable, "./pyapi"], env)
    return out


def native_files(folder):
    """The files of the gopy package: the wrappers and the extension."""
    keep = {"__init__.py", "pyapi.py", "go.py"}
    return [f for f in os.listdir(folder) if f in keep or (f.startswith("_pyapi") and f.endswith((".so", ".pyd", ".dylib")))]


class BuildPyWithGo(build_py):
    def run(self):
        super().run()
        src = build_native()
        dest = os.path.join(self.build_lib, "metalfaiss", "_native")
        os.makedirs(dest, exist_ok=True)
        for name in native_files(src):
            shutil.copy2(os.path.join(src, name), os.path.join(dest, name))


class BinaryDistribution(Distribution):
    """The wheel holds a compiled extension: tag it for this platform."""

    def has_ext_modules(self):
        return True


setup(cmdclass={"build_py": BuildPyWithGo}, distclass=BinaryDistribution)
