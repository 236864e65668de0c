"""pip install for an interpreter other than the running one."""

import subprocess
import sys


def install_for(target, version, arch, requirements, deps=True):
    """Install requirements (binary wheels only) into the folder target for
    CPython version on Linux arch. pip evaluates environment markers for the
    running interpreter, not for version and arch: the caller names
    backports, or passes deps=False and names every dependency."""
    platforms = [arg for tag in (f"manylinux_2_28_{arch}", f"manylinux2014_{arch}") for arg in ("--platform", tag)]
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--target", target, "--only-binary=:all:", "--implementation", "cp",
                    "--python-version", version, *platforms, *([] if deps else ["--no-deps"]), *requirements],
                   check=True)
