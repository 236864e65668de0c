"""torch and metalfaiss in one process, busy at the same time in threads:
torch's OpenMP matmuls (its wheel carries libgomp) beside metalfaiss's
searches and k-means. faiss's wheels bring an OpenMP runtime of their own,
and two in one process is the long-standing faiss-wheels crash; metalfaiss
brings none. Checks that exactly one OpenMP runtime is mapped (torch's),
that none comes from metalfaiss, and that every result of both libraries
matches numpy's. Exits non-zero otherwise.

Usage: python torch_threads.py [FOLDER]  (FOLDER is unused: qemu_aarch64.py passes it)
"""

import os
import sys
import threading

import numpy as np
import torch

import metalfaiss as faiss

ROUNDS = 6


def omp_runtimes():
    """The OpenMP runtimes mapped into this process (from /proc/self/maps)."""
    with open("/proc/self/maps") as f:
        paths = {line.split()[-1] for line in f if "/" in line}
    return sorted(p for p in paths if any(name in os.path.basename(p) for name in ("libgomp", "libomp", "libiomp")))


def torch_work(errors):
    rng = np.random.default_rng(1)
    for _ in range(ROUNDS):
        a, b = rng.random((192, 192), dtype=np.float32), rng.random((192, 192), dtype=np.float32)
        got = (torch.from_numpy(a) @ torch.from_numpy(b)).numpy()
        if not np.allclose(got, a.astype(np.float64) @ b, rtol=1e-4):
            errors.append("torch matmul differs from numpy's")


def metalfaiss_work(errors):
    rng = np.random.default_rng(2)
    for _ in range(ROUNDS):
        xb, xq = rng.random((3000, 24), dtype=np.float32), rng.random((8, 24), dtype=np.float32)
        index = faiss.IndexFlatL2(24)
        index.add(xb)
        _, ids = index.search(xq, 1)
        want = ((xq[:, None, :].astype(np.float64) - xb[None]) ** 2).sum(-1).argmin(1)
        if not (ids[:, 0] == want).all():
            errors.append("metalfaiss search differs from numpy's")
        km = faiss.Kmeans(24, 8, niter=5, seed=3)
        km.train(xb)
        if not np.isfinite(km.centroids).all() or km.centroids.shape != (8, 24):
            errors.append("metalfaiss Kmeans gave no centroids")


def main():
    torch.set_num_threads(2)
    errors = []
    workers = [threading.Thread(target=torch_work, args=(errors,)) for _ in range(2)]
    workers += [threading.Thread(target=metalfaiss_work, args=(errors,)) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    runtimes = omp_runtimes()
    torch_dir = os.path.dirname(os.path.dirname(torch.__file__))
    if len(runtimes) != 1 or not runtimes[0].startswith(torch_dir):
        errors.append(f"expected torch's OpenMP runtime alone, found {runtimes}")
    if errors:
        sys.exit("torch_threads: " + "; ".join(sorted(set(errors))))
    print(f"torch {torch.__version__} ({runtimes[0]}) and metalfaiss {faiss.__version__} in threads: all results agree")


if __name__ == "__main__":
    main()
