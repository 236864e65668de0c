"""The x86_64 wheel on the oldest and newest CPython it supports, as Debian
ships them (bullseye's 3.9, trixie's 3.13, each with its own glibc): the
interpreter and its libraries are unpacked into a folder (debian.py), the
wheel and the test requirements are pip-installed for that Python into it,
and the whole suite runs there under chroot, from outside the source tree,
without Go.

Usage: python other_pythons.py DIST TESTS_FOLDER [VERSION ...]
"""

import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import debian  # noqa: E402
from build_wheel import built_wheel  # noqa: E402
from pip_target import install_for  # noqa: E402

# Debian release and faiss-cpu (the oracle) per Python: faiss-cpu 1.13.0 is
# the last release with wheels for 3.9.
PYTHONS = {"3.9": ("bullseye", "faiss-cpu==1.13.0"), "3.13": ("trixie", "faiss-cpu==1.15.1")}
# pytest's backports for Pythons before 3.11 (see pip_target.install_for).
BACKPORTS = {"3.9": ["exceptiongroup>=1", "tomli>=1"]}


def packages(version):
    """The interpreter, and mount for the tests that fill a small tmpfs."""
    return [f"python{version}-minimal", f"libpython{version}-stdlib", "libstdc++6", "mount"]


# Character devices the suite opens (major, minor), made in the folder
# rather than bind-mounting the host's /dev.
DEVICES = {"null": (1, 3), "zero": (1, 5), "random": (1, 8), "urandom": (1, 9)}


def populate(root, dist, tests, version, faiss):
    """Install the wheel, numpy, pytest and faiss for version under root/opt;
    copy the tests (and the benchmarks they import, and the docs whose
    examples they run) beside them."""
    opt = os.path.join(root, "opt", "metalfaiss")
    shutil.rmtree(opt, ignore_errors=True)
    wheel = built_wheel(dist, "x86_64")
    install_for(os.path.join(opt, "site"), version, "x86_64", ["pytest>=7", *BACKPORTS.get(version, []), faiss, "tqdm", wheel])
    source = os.path.dirname(os.path.abspath(tests))
    for sub in ("tests", "benchmarks", "docs"):
        shutil.copytree(os.path.join(source, sub), os.path.join(opt, sub),
                        ignore=shutil.ignore_patterns("__pycache__"))
    os.makedirs(os.path.join(root, "tmp"), exist_ok=True)
    os.chmod(os.path.join(root, "tmp"), 0o1777)


def run_suite(root, version):
    """The suite under chroot root with /proc and /dev/shm mounted; its exit code."""
    dev = os.path.join(root, "dev")
    os.makedirs(os.path.join(dev, "shm"), exist_ok=True)
    for name, (major, minor) in DEVICES.items():
        if not os.path.exists(os.path.join(dev, name)):
            os.mknod(os.path.join(dev, name), 0o20666, os.makedev(major, minor))
            os.chmod(os.path.join(dev, name), 0o666)
    proc, shm = os.path.join(root, "proc"), os.path.join(dev, "shm")
    os.makedirs(proc, exist_ok=True)
    subprocess.run(["mount", "-t", "proc", "proc", proc], check=True)
    # POSIX semaphores (multiprocessing's thread pools) need a tmpfs here.
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", shm], check=True)
    try:
        # The folder has no passwd file: getpass.getuser (faiss.contrib
        # calls it on import) reads the name from USER.
        env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "PYTHONPATH": "/opt/metalfaiss/site", "LANG": "C.UTF-8",
               "USER": "root"}
        cmd = [shutil.which("chroot"), root, f"/usr/bin/python{version}", "-m", "pytest", "-q", "-p", "no:cacheprovider",
               "--rootdir=/tmp", "/opt/metalfaiss/tests", "--ignore=/opt/metalfaiss/tests/test_sdist.py"]
        print("+", " ".join(cmd), flush=True)
        return subprocess.run(cmd, env=env, cwd=root).returncode
    finally:
        subprocess.run(["umount", shm], check=True)
        subprocess.run(["umount", proc], check=True)


def main(dist, tests, *versions):
    failed = []
    for version in versions or sorted(PYTHONS):
        suite, faiss = PYTHONS[version]
        root = debian.sysroot(suite, "amd64", packages(version))
        populate(root, dist, tests, version, faiss)
        print(f"== the suite on Debian {suite}'s Python {version} ({faiss})", flush=True)
        if run_suite(root, version) != 0:
            failed.append(version)
    if failed:
        sys.exit(f"other_pythons: the suite failed on Python {', '.join(failed)}")


if __name__ == "__main__":
    main(*sys.argv[1:])
