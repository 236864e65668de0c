"""A smoke check of an installed metalfaiss, for interpreters that cannot run
the whole suite (the aarch64 wheel under qemu-aarch64): search, k-means and
index files, each against results this script computes with numpy. It
prints what it saw as JSON, so that a second run on another platform can be
compared with it (qemu_aarch64.py), and exits non-zero on any mismatch.

Usage: python smoke.py FOLDER  (the index file is written there)
"""

import hashlib
import json
import os
import platform
import sys

import numpy as np

import metalfaiss as faiss


def check(cond, what):
    if not cond:
        sys.exit(f"smoke: {what} ({platform.machine()}, Python {platform.python_version()})")


def main(folder):
    rng = np.random.default_rng(7)  # PCG64: the same floats on every platform
    d, n, k = 16, 2000, 5
    xb = rng.random((n, d), dtype=np.float32)
    xq = rng.random((20, d), dtype=np.float32)

    index = faiss.IndexFlatL2(d)
    index.add(xb)
    dist, ids = index.search(xq, k)
    exact = ((xq[:, None, :].astype(np.float64) - xb[None, :, :]) ** 2).sum(-1)
    want = np.argsort(exact, axis=1, kind="stable")[:, :k]
    check((ids == want).mean() >= 0.99, f"IndexFlatL2 ids differ from numpy's: {ids[:2]} vs {want[:2]}")
    check(np.allclose(dist, np.take_along_axis(exact, ids, 1), rtol=1e-4, atol=1e-5), "IndexFlatL2 distances")

    # Four tight, well-separated blobs: k-means must find their means.
    centers = np.array([[0, 0], [0, 10], [10, 0], [10, 10]], dtype=np.float32)
    blobs = np.concatenate([c + 0.1 * rng.standard_normal((250, 2)).astype(np.float32) for c in centers])
    km = faiss.Kmeans(2, 4, niter=20, nredo=8, seed=1)  # the best of 8 starts: no merged blobs
    km.train(blobs)
    found = km.centroids[np.argsort(np.round(km.centroids) @ [100, 1])]  # in the order of centers
    means = np.stack([blobs[i * 250:(i + 1) * 250].mean(0) for i in range(4)])
    check(np.allclose(found, means, atol=1e-3), f"Kmeans centroids {found} vs blob means {means}")

    path = os.path.join(folder, "smoke.index")
    faiss.write_index(index, path)
    back = faiss.read_index(path)
    check(back.ntotal == n and np.array_equal(back.search(xq, k)[1], ids), "read_index(write_index(ix)) searches alike")
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    print(json.dumps({"machine": platform.machine(), "ids": ids.tolist(), "distances": dist.tolist(),
                      "centroids": found.tolist(), "index_sha256": digest}))


if __name__ == "__main__":
    main(sys.argv[1])
