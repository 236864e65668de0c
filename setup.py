"""Builds the Go core into the metalfaiss package with gopy.

`pip install .` needs only Go (>= 1.24) on PATH: gopy and goimports are
installed from the versions pinned in go.mod (`go install tool`), and gopy
builds the extension for the interpreter running this build.
"""

import os
import re
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
    """Run gopy for this interpreter, then rebuild its glue for the stable
    ABI (link_extension); return the folder with the outputs."""
    check_go()
    bindir = os.path.join(WORK, "bin")
    out = os.path.join(WORK, "gopy")
    env = dict(os.environ, GOBIN=bindir, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    run(["go", "install", "tool"], env)
    shutil.rmtree(out, ignore_errors=True)
    run([os.path.join(bindir, "gopy"), "build", "-no-make", "-dynamic-link", "-output=" + out, "-vm=" + sys.executable, "./pyapi"], env)
    patch_generated(out)
    for name, patches in GLUE_PATCHES.items():
        apply_patches(os.path.join(out, name), patches)
    for name in os.listdir(out):  # gopy's own build of the glue
        if name.startswith("_pyapi") and name.endswith((".so", ".h", ".dylib")):
            os.remove(os.path.join(out, name))
    link_extension(out, env, os.path.join(out, EXTENSION))
    return out


def apply_patches(path, patches):
    """Rewrite path with each (regex, replacement). Each pattern must match:
    a gopy that generates something else fails the build here, not at a
    user's import."""
    with open(path) as f:
        text = f.read()
    for pattern, repl in patches:
        text, count = re.subn(pattern, repl, text)
        if count == 0:
            sys.exit(f"metalfaiss: gopy's {os.path.basename(path)} no longer matches {pattern!r}; update setup.py's patches")
    with open(path, "w") as f:
        f.write(text)


# gopy's generated wrappers change the working directory around loading
# the extension (left changed if the load fails, and racing any thread that
# uses relative paths meanwhile) and set dlopen flags they restore only on
# success. The extension is imported relative to its package, so neither
# chdir is needed: the wrappers are rewritten so that importing changes no
# process state on any path.
def _guarded(imports):
    """The wrappers' extension imports, with the dlopen flags restored on
    every path instead of only after success."""
    unguarded = imports + "\nif _gopy_saved_flags is not None:\n\tsys.setdlopenflags(_gopy_saved_flags)\n"
    guarded = "try:\n" + "".join("\t" + line + "\n" for line in imports.splitlines()) + \
        "finally:\n\tif _gopy_saved_flags is not None:\n\t\tsys.setdlopenflags(_gopy_saved_flags)\n"
    return re.escape(unguarded), guarded.replace("\\", "\\\\")


WRAPPER_PATCHES = [
    (re.escape("cwd = os.getcwd()\n"), ""),
    (re.escape("os.chdir(currentdir)\n"), ""),
    (re.escape("os.chdir(cwd)\n"), ""),
]


def patch_generated(folder):
    """Rewrite gopy's pyapi.py and go.py in folder (see WRAPPER_PATCHES)."""
    apply_patches(os.path.join(folder, "pyapi.py"),
                  WRAPPER_PATCHES + [_guarded("from . import _pyapi\nfrom . import go\n")])
    apply_patches(os.path.join(folder, "go.py"), WRAPPER_PATCHES + [_guarded("from . import _pyapi\n")])


# The glue calls only functions of CPython's stable ABI, so it is rebuilt
# for the limited API of 3.9: one extension, named _pyapi.abi3.so and
# tagged cp39-abi3, loads in every CPython from 3.9 on. gopy's #cgo lines
# name the build interpreter's folders (an -I and an rpath): they go, and
# the headers come from link_extension's caller instead.
LIMITED_API = "0x03090000"
ABI3_FROM = "cp39"
GLUE_PATCHES = {
    "pyapi.go": [
        (re.escape("// #define Py_LIMITED_API // need full API for PyRun*"), f"#define Py_LIMITED_API {LIMITED_API}"),
        (r'(#cgo CFLAGS: )"-I[^"]*" ', r"\1"),
        (r"#cgo LDFLAGS:[^\n]*\n", ""),
        # PyComplex_AsCComplex is outside the stable ABI.
        (r"v := C\.PyComplex_AsCComplex\(o\)\n\treturn complex\((float\d+)\(v\.real\), float\d+\(v\.imag\)\)",
         r"return complex(\1(C.PyComplex_RealAsDouble(o)), \1(C.PyComplex_ImagAsDouble(o)))"),
    ],
    "pyapi.c": [
        (re.escape("#include <Python.h>"), f"#define Py_LIMITED_API {LIMITED_API}\n#include <Python.h>"),
        # PyAsyncMethods is outside the limited API; pybindgen's alias of it is unused.
        (r"#if PY_VERSION_HEX >= 0x03050000\ntypedef PyAsyncMethods\* cmpfunc;\n#else\n(typedef void\* cmpfunc;\n)#endif\n", r"\1"),
    ],
}
EXTENSION = "_pyapi.abi3.so"


def link_extension(folder, env, out, include=None):
    """Build folder's patched glue (GLUE_PATCHES) into the extension out.
    env may target another GOARCH (with a CC for it); include is a folder
    with Python.h and the target's pyconfig.h (by default the running
    interpreter's)."""
    include = include or sysconfig.get_paths()["include"]
    # Only PyInit__pyapi is exported: two Go runtimes in one process must
    # not see each other's globals (gopy does the same).
    if sys.platform == "darwin":
        exports, listing, lookup = "exports.txt", "_PyInit__pyapi\n", "-Wl,-undefined,dynamic_lookup"
        extld = "-Wl,-exported_symbols_list," + os.path.join(folder, exports)
    else:
        exports, listing, lookup = "exports.map", "{ global: PyInit__pyapi; local: *; };\n", ""
        extld = "-Wl,--version-script=" + os.path.join(folder, exports)
    with open(os.path.join(folder, exports), "w") as f:
        f.write(listing)
    # x86-64-v2 (POPCNT, SSE4.2: every x86-64 CPU since 2009, and numpy 2's
    # own baseline) lets the popcount loops of the binary and RaBitQ
    # searches skip a feature test per count (15% on RaBitQ scans); v3
    # would also fuse multiply-adds, changing float results. GOAMD64 in the
    # environment wins; other architectures ignore it.
    env = dict(env, CGO_ENABLED="1", CGO_CFLAGS=f'"-I{include}" -fPIC -O3', CGO_LDFLAGS=lookup,
               GOAMD64=env.get("GOAMD64", "v2"))
    print("+ (in", folder + ")", "go build", out, flush=True)
    subprocess.run(["go", "build", "-mod=mod", "-buildmode=c-shared", f"-ldflags=-s -w '-extldflags={extld}'",
                    "-o", out, "."], cwd=folder, env=env, check=True)
    os.remove(os.path.splitext(out)[0] + ".h")  # c-shared's header: not part of the package


def native_files(folder):
    """The files of the gopy package: the wrappers and the extension."""
    return ["__init__.py", "pyapi.py", "go.py", EXTENSION]


class BuildPyWithGo(build_py):
    def run(self):
        super().run()
        src = build_native()
        dest = os.path.join(self.build_lib, "metalfaiss", "_native")
        shutil.rmtree(dest, ignore_errors=True)  # no extension of an earlier build
        os.makedirs(dest)
        for name in native_files(src):
            shutil.copy2(os.path.join(src, name), os.path.join(dest, name))


class BinaryDistribution(Distribution):
    """The wheel holds a compiled extension: tag it for this platform."""

    def has_ext_modules(self):
        return True


if __name__ == "__main__":
    setup(cmdclass={"build_py": BuildPyWithGo}, distclass=BinaryDistribution,
          options={"bdist_wheel": {"py_limited_api": ABI3_FROM}})
