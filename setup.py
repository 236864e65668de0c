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


# go.mod's go directive: the oldest Go that builds the extension.
MIN_GO = (1, 24)
NEED_GO = (f"metalfaiss: building from source needs Go >= {MIN_GO[0]}.{MIN_GO[1]} on PATH "
           f"(install it from https://go.dev/dl/), or install a binary wheel instead")


def check_go():
    """Stop at once, with one line naming Go and the fix, without a usable Go."""
    if shutil.which("go") is None:
        sys.exit(NEED_GO + "; no `go` found")
    out = subprocess.run(["go", "env", "GOVERSION"], capture_output=True, text=True).stdout.strip()
    parts = out.removeprefix("go").split(".")
    try:
        version = (int(parts[0]), int(parts[1]))
    except (IndexError, ValueError):
        sys.exit(NEED_GO + f"; `go env GOVERSION` said {out!r}")
    if version < MIN_GO:
        sys.exit(NEED_GO + f"; found {out}")


def build_native():
    """Run gopy for this interpreter; return the folder with its outputs."""
    check_go()
    bindir = os.path.join(WORK, "bin")
    tag = sysconfig.get_config_var("SOABI") or f"py{sys.version_info[0]}{sys.version_info[1]}"
    out = os.path.join(WORK, "gopy-" + tag)
    env = dict(os.environ, GOBIN=bindir, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    run(["go", "install", "tool"], env)
    shutil.rmtree(out, ignore_errors=True)
    run([os.path.join(bindir, "gopy"), "build", "-no-make", "-dynamic-link", "-output=" + out, "-vm=" + sys.executable, "./pyapi"], env)
    return out


# gopy's generated wrappers change the working directory around loading
# the extension (left changed if the load fails, and racing any thread that
# uses relative paths meanwhile) and set dlopen flags they restore only on
# success. The extension is imported relative to its package, so neither
# chdir is needed: the wrappers are rewritten so that importing changes no
# process state on any path. Each pattern must be found: a gopy that
# generates something else fails the build here, not at a user's import.
GENERATED_PATCHES = [
    ("cwd = os.getcwd()\n", ""),
    ("os.chdir(currentdir)\n", ""),
    ("os.chdir(cwd)\n", ""),
]
DLOPEN_RESTORE = (
    "\nif _gopy_saved_flags is not None:\n\tsys.setdlopenflags(_gopy_saved_flags)\n"
)


def patch_generated(folder):
    """Rewrite gopy's pyapi.py and go.py in folder (see GENERATED_PATCHES)."""
    for name in ("pyapi.py", "go.py"):
        path = os.path.join(folder, name)
        with open(path) as f:
            text = f.read()
        for old, new in GENERATED_PATCHES:
            if old not in text:
                sys.exit(f"metalfaiss: gopy's {name} no longer contains {old!r}; update setup.py's patches")
            text = text.replace(old, new)
        imports = "from . import _pyapi\nfrom . import go\n" if name == "pyapi.py" else "from . import _pyapi\n"
        if imports + DLOPEN_RESTORE not in text:
            sys.exit(f"metalfaiss: gopy's {name} loads its extension differently; update setup.py's patches")
        guarded = "try:\n" + "".join("\t" + line + "\n" for line in imports.splitlines()) + \
            "finally:\n\tif _gopy_saved_flags is not None:\n\t\tsys.setdlopenflags(_gopy_saved_flags)\n"
        text = text.replace(imports + DLOPEN_RESTORE, guarded)
        with open(path, "w") as f:
            f.write(text)


def native_files(folder):
    """The files of the gopy package: the wrappers and the extension."""
    keep = {"__init__.py", "pyapi.py", "go.py"}
    return [f for f in os.listdir(folder) if f in keep or (f.startswith("_pyapi") and f.endswith((".so", ".pyd", ".dylib")))]


class BuildPyWithGo(build_py):
    def run(self):
        super().run()
        src = build_native()
        patch_generated(src)
        dest = os.path.join(self.build_lib, "metalfaiss", "_native")
        os.makedirs(dest, exist_ok=True)
        for name in native_files(src):
            shutil.copy2(os.path.join(src, name), os.path.join(dest, name))


class BinaryDistribution(Distribution):
    """The wheel holds a compiled extension: tag it for this platform."""

    def has_ext_modules(self):
        return True


setup(cmdclass={"build_py": BuildPyWithGo}, distclass=BinaryDistribution)
