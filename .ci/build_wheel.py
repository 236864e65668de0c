"""Build the binary wheels into dist/ (make wheel); ``build_wheel.py repair
WHEEL DEST`` does only the Linux check-and-tag step (cibuildwheel's repair
command in .github/workflows/wheels.yml).

The extension uses only CPython's stable ABI (setup.py), so one wheel per
platform, tagged cp39-abi3, serves CPython 3.9 and later. On Linux cgo's C
compiler is zig (PyPI's ziglang) targeting glibc 2.28, so the extension asks
for nothing newer than manylinux_2_28 allows whatever glibc the build
machine has; on x86_64 the aarch64 wheel is cross-built beside it, against
Debian's arm64 pyconfig.h. Each Linux wheel is checked (no libpython, no
RUNPATH, only abi3 symbols: abi3audit) and tagged and checked by auditwheel.
Elsewhere the plain wheel is copied to dist/.
"""

import glob
import importlib.util
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import debian  # noqa: E402

GLIBC = "2.28"  # manylinux_2_28: the oldest glibc the wheels ask for
# Debian's arm64 Python: its headers build the aarch64 wheel and its
# interpreter runs it under qemu-aarch64 (smoke_aarch64.py).
ARM64_PYTHON = ("bookworm", "arm64", ["python3.11-minimal", "libpython3.11-stdlib", "libstdc++6", "libpython3.11-dev"])
ARM64_PYTHON_VERSION = "3.11"


def run(cmd, **kw):
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=True, cwd=kw.pop("cwd", ROOT), **kw)


def load_setup():
    """setup.py as a module (its setup() call runs only as a script)."""
    spec = importlib.util.spec_from_file_location("metalfaiss_setup", os.path.join(ROOT, "setup.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def zig_cc(folder, arch):
    """A cc that cgo can call: zig cc for <arch>-linux-gnu.<GLIBC>."""
    import ziglang

    zig = os.path.join(os.path.dirname(ziglang.__file__), "zig")
    path = os.path.join(folder, f"cc-{arch}")
    with open(path, "w") as f:
        f.write(f'#!/bin/sh\nexec "{zig}" cc -target {arch}-linux-gnu.{GLIBC} "$@"\n')
    os.chmod(path, 0o755)
    return path


def check_extension(so):
    """Stop unless so links no libpython and has no RUNPATH."""
    dyn = run(["readelf", "-d", so], capture_output=True, text=True).stdout
    if "RPATH" in dyn or "RUNPATH" in dyn or "libpython" in dyn:
        sys.exit(f"build_wheel: {so} has a RUNPATH or links libpython:\n{dyn}")


def built_wheel(folder, arch):
    """The one metalfaiss abi3 wheel for arch (x86_64, aarch64) in folder."""
    (wheel,) = glob.glob(os.path.join(folder, f"metalfaiss-*-cp39-abi3-*{arch}.whl"))
    return wheel


def repair(wheel, dest):
    """Check the wheel's extension and its abi3 symbols, then let auditwheel
    give it the oldest manylinux tag its symbols allow, which must be
    manylinux_<GLIBC> or older; returns the repaired wheel's path."""
    arch = os.path.basename(wheel)[:-len(".whl")].split("-")[-1].split("_", 1)[1]  # linux_<arch>
    with tempfile.TemporaryDirectory() as tmp:
        run([sys.executable, "-m", "wheel", "unpack", "-d", tmp, wheel])
        for so in glob.glob(os.path.join(tmp, "metalfaiss-*", "metalfaiss", "_native", "*.so")):
            check_extension(so)
        run([sys.executable, "-m", "abi3audit", "--strict", "--summary", wheel])
        run([sys.executable, "-m", "auditwheel", "repair", "--plat", "auto", "-w", tmp, wheel])
        built = built_wheel(tmp, "_" + arch)
        glibcs = [int(m) for m in re.findall(r"manylinux_2_(\d+)_", os.path.basename(built))]
        if not glibcs or max(glibcs) > int(GLIBC.split(".")[1]):
            sys.exit(f"build_wheel: {os.path.basename(built)} needs a glibc newer than {GLIBC}")
        run([sys.executable, "-m", "auditwheel", "show", built])
        shutil.copy(built, dest)
    return os.path.join(dest, os.path.basename(built))


def arm64_include(work):
    """A header folder for the aarch64 build: CPython's headers with
    Debian's arm64 pyconfig.h."""
    root = debian.sysroot(*ARM64_PYTHON)
    v = ARM64_PYTHON_VERSION
    include = os.path.join(work, "include-aarch64")
    shutil.copytree(os.path.join(root, "usr", "include", f"python{v}"), include)
    shutil.copy(os.path.join(root, "usr", "include", "aarch64-linux-gnu", f"python{v}", "pyconfig.h"),
                os.path.join(include, "pyconfig.h"))
    return include


def cross_aarch64(host_wheel, work):
    """The aarch64 wheel: host_wheel with its extension rebuilt for arm64
    from the glue gopy generated for the host build."""
    setup = load_setup()
    unpacked = os.path.join(work, "aarch64")
    run([sys.executable, "-m", "wheel", "unpack", "-d", unpacked, host_wheel])
    (tree,) = glob.glob(os.path.join(unpacked, "metalfaiss-*"))
    env = dict(os.environ, GOOS="linux", GOARCH="arm64", CC=zig_cc(work, "aarch64"))
    so = os.path.join(tree, "metalfaiss", "_native", setup.EXTENSION)
    setup.link_extension(os.path.join(setup.WORK, "gopy"), env, so, include=arm64_include(work))
    (info,) = glob.glob(os.path.join(tree, "*.dist-info", "WHEEL"))
    with open(info) as f:
        text = f.read()
    host_tag = f"-linux_{platform.machine()}\n"
    if host_tag not in text:
        sys.exit(f"build_wheel: {info} has no tag ending {host_tag!r}:\n{text}")
    with open(info, "w") as f:
        f.write(text.replace(host_tag, "-linux_aarch64\n"))
    packed = os.path.join(work, "aarch64-packed")
    os.makedirs(packed)
    run([sys.executable, "-m", "wheel", "pack", "-d", packed, tree])
    (wheel,) = glob.glob(os.path.join(packed, "*.whl"))
    return wheel


def main():
    if sys.argv[1:2] == ["repair"]:
        print(repair(os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])))
        return
    dist = os.path.join(ROOT, "dist")
    os.makedirs(dist, exist_ok=True)
    for old in glob.glob(os.path.join(dist, "*.whl")):
        os.remove(old)
    work = os.path.join(ROOT, "_build", "wheel")
    shutil.rmtree(work, ignore_errors=True)
    raw = os.path.join(work, "raw")
    os.makedirs(raw)
    env = dict(os.environ)
    linux = sys.platform.startswith("linux")
    if linux:
        env["CC"] = zig_cc(work, platform.machine())
    run([sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "-w", raw, "."], env=env)
    (wheel,) = glob.glob(os.path.join(raw, "*.whl"))
    if not linux:
        shutil.copy(wheel, dist)
        return
    print(repair(wheel, dist))
    if platform.machine() == "x86_64":
        print(repair(cross_aarch64(wheel, work), dist))


if __name__ == "__main__":
    main()
