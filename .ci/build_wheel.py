"""Build the binary wheel of the running interpreter into dist/ (make wheel);
``build_wheel.py repair WHEEL DEST`` does only the Linux repair step
(cibuildwheel's repair command in .github/workflows/wheels.yml).

Linux: cgo's C compiler is zig (PyPI's ziglang) targeting glibc 2.28, so the
extension needs nothing newer than manylinux_2_28 allows whatever glibc the
build machine has; gopy links it without libpython (-dynamic-link), its
RUNPATH (the build interpreter's lib folder) is removed, and auditwheel
tags the wheel manylinux_2_28 and checks it. Elsewhere the plain wheel is
copied to dist/.
"""

import glob
import os
import platform
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GLIBC = "2.28"  # manylinux_2_28: the oldest glibc the wheel asks for


def run(cmd, **kw):
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=True, cwd=ROOT, **kw)


def zig_cc(folder, arch):
    """A cc that cgo can call: zig cc for <arch>-linux-gnu.<GLIBC>."""
    import ziglang

    zig = os.path.join(os.path.dirname(ziglang.__file__), "zig")
    path = os.path.join(folder, "cc")
    with open(path, "w") as f:
        f.write(f'#!/bin/sh\nexec "{zig}" cc -target {arch}-linux-gnu.{GLIBC} "$@"\n')
    os.chmod(path, 0o755)
    return path


def strip_runpath(wheel, out):
    """The wheel with its extension's RUNPATH removed (RECORD rewritten)."""
    with tempfile.TemporaryDirectory() as tmp:
        run([sys.executable, "-m", "wheel", "unpack", "-d", tmp, wheel])
        (unpacked,) = glob.glob(os.path.join(tmp, "metalfaiss-*"))
        for so in glob.glob(os.path.join(unpacked, "metalfaiss", "_native", "*.so")):
            run(["patchelf", "--remove-rpath", so])
            dyn = run(["readelf", "-d", so], capture_output=True, text=True).stdout
            if "RPATH" in dyn or "libpython" in dyn:
                sys.exit(f"build_wheel: {so} still has a RUNPATH or links libpython:\n{dyn}")
        run([sys.executable, "-m", "wheel", "pack", "-d", out, unpacked])
    (packed,) = glob.glob(os.path.join(out, "*.whl"))
    return packed


def repair(wheel, dest):
    """Strip the extension's RUNPATH, then tag and check with auditwheel for
    manylinux_<GLIBC>; returns the repaired wheel's path."""
    with tempfile.TemporaryDirectory() as tmp:
        wheel = strip_runpath(wheel, tmp)
        plat = f"manylinux_{GLIBC.replace('.', '_')}_{platform.machine()}"
        run([sys.executable, "-m", "auditwheel", "repair", "--plat", plat, "-w", dest, wheel])
    name = os.path.basename(wheel).split("-")
    tag = f"{name[2]}-{name[3]}"  # e.g. cp311-cp311
    (built,) = glob.glob(os.path.join(dest, f"metalfaiss-*-{tag}-*{plat}.whl"))
    run([sys.executable, "-m", "auditwheel", "show", built])
    return built


def main():
    if sys.argv[1:2] == ["repair"]:
        print(repair(os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])))
        return
    dist = os.path.join(ROOT, "dist")
    os.makedirs(dist, exist_ok=True)
    work = os.path.join(ROOT, "_build", "wheel")
    shutil.rmtree(work, ignore_errors=True)
    raw = os.path.join(work, "raw")
    os.makedirs(raw)
    env = dict(os.environ)
    if sys.platform.startswith("linux"):
        arch = platform.machine()
        env["CC"] = zig_cc(work, arch)
    run([sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "-w", raw, "."], env=env)
    (wheel,) = glob.glob(os.path.join(raw, "*.whl"))
    if not sys.platform.startswith("linux"):
        shutil.copy(wheel, dist)
        return
    print(repair(wheel, dist))


if __name__ == "__main__":
    main()
