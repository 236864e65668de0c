"""The aarch64 wheel as an aarch64 user gets it: installed (with numpy's
aarch64 wheel) for Debian's arm64 Python, which runs smoke.py under
qemu-aarch64; the same script runs here on the x86_64 wheel, and the two
must agree (ids and the index file exactly, floats within 1e-4). Then
torch_threads.py runs there with PyPI's torch for aarch64, the newest CPU
build PyPI has for Linux (its x86_64 builds and later aarch64 ones need
CUDA's packages).

Usage: python qemu_aarch64.py DIST NUMPY_SPEC
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import debian  # noqa: E402
from build_wheel import ARM64_PYTHON, ARM64_PYTHON_VERSION, built_wheel  # noqa: E402
from pip_target import install_for  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
# torch's aarch64 wheel and its dependencies, named one by one: pip would
# pick them for this machine's markers (x86_64, so CUDA's packages).
TORCH = ["torch==2.5.1", "sympy==1.13.1", "mpmath==1.4.1", "filelock==4.3.2", "typing-extensions==4.16.0",
         "networkx==3.6.1", "jinja2==3.1.6", "markupsafe==3.0.4", "fsspec==2026.9.0"]
TORCH_CACHE = os.path.join(os.path.expanduser("~"), ".cache", "metalfaiss", "torch-aarch64-2.5.1")


def run_script(script, python, site, folder, prefix=()):
    """script's last output line, run by python with site on its path."""
    out = subprocess.run([*prefix, python, "-s", os.path.join(HERE, script), folder], capture_output=True,
                         text=True, env=dict(os.environ, PYTHONPATH=site), cwd=folder)
    if out.returncode != 0:
        sys.exit(f"qemu_aarch64: {script} failed under {' '.join([*prefix, python])}:\n{out.stdout}{out.stderr}")
    return out.stdout.strip().splitlines()[-1]


def torch_site():
    """torch for aarch64, installed once into a cached folder."""
    if not os.path.exists(os.path.join(TORCH_CACHE, ".complete")):
        shutil.rmtree(TORCH_CACHE, ignore_errors=True)
        install_for(TORCH_CACHE, ARM64_PYTHON_VERSION, "aarch64", TORCH, deps=False)
        open(os.path.join(TORCH_CACHE, ".complete"), "w").close()
    return TORCH_CACHE


def main(dist, numpy_spec):
    if shutil.which("qemu-aarch64") is None:
        sys.exit("qemu_aarch64: needs qemu-aarch64 (Debian's qemu-user)")
    arm = built_wheel(dist, "aarch64")
    x86 = built_wheel(dist, "x86_64")
    root = debian.sysroot(*ARM64_PYTHON)
    v = ARM64_PYTHON_VERSION
    with tempfile.TemporaryDirectory() as tmp:
        arm_site, x86_site = os.path.join(tmp, "arm"), os.path.join(tmp, "x86")
        install_for(arm_site, v, "aarch64", [numpy_spec, arm])
        install_for(x86_site, f"{sys.version_info[0]}.{sys.version_info[1]}", "x86_64", [numpy_spec, x86])
        os.makedirs(os.path.join(tmp, "run-arm"))
        os.makedirs(os.path.join(tmp, "run-x86"))
        python, qemu = os.path.join(root, "usr", "bin", f"python{v}"), ("qemu-aarch64", "-L", root)
        got = json.loads(run_script("smoke.py", python, arm_site, os.path.join(tmp, "run-arm"), qemu))
        ref = json.loads(run_script("smoke.py", sys.executable, x86_site, os.path.join(tmp, "run-x86")))
        together = run_script("torch_threads.py", python, os.pathsep.join([arm_site, torch_site()]),
                              os.path.join(tmp, "run-arm"), qemu)
    if got["machine"] != "aarch64":
        sys.exit(f"qemu_aarch64: the smoke run reported {got['machine']}, not aarch64")
    same = got["ids"] == ref["ids"] and got["index_sha256"] == ref["index_sha256"]
    close = all(abs(a - b) <= 1e-4 for key in ("distances", "centroids")
                for ra, rb in zip(got[key], ref[key]) for a, b in zip(ra, rb))
    if not (same and close):
        sys.exit(f"qemu_aarch64: aarch64 and x86_64 disagree:\n{got}\n{ref}")
    print(f"aarch64 wheel under qemu-aarch64 (Debian Python {v}): search, Kmeans and write_index agree with x86_64")
    print(together)


if __name__ == "__main__":
    main(*sys.argv[1:])
