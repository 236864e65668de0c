"""How long after Ctrl-C a long call returns, and whether the index was left
as it was. Sends a real SIGINT 0.5 s into each call (3 s into k-means, so that it
comes during an iteration).

    python benchmarks/interrupt_latency.py
"""

import os
import platform
import signal
import threading
import time

import numpy as np

import metalfaiss as faiss

D = 64
AFTER = 0.5


def _data(n, seed):
    return np.random.default_rng(seed).standard_normal((n, D)).astype(np.float32)


def latency(call, after=AFTER):
    """Seconds from the signal to KeyboardInterrupt (None: not interrupted)."""
    sent = []
    timer = threading.Timer(after, lambda: (sent.append(time.perf_counter()), os.kill(os.getpid(), signal.SIGINT)))
    timer.start()
    try:
        call()
    except KeyboardInterrupt:
        return time.perf_counter() - sent[0]
    finally:
        timer.cancel()
    return None


def main():
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, kernels {faiss.kernel_set()}")
    print("| call | uninterrupted size | latency after SIGINT | index unchanged |")
    print("|---|---|---|---|")

    flat = faiss.IndexFlatL2(D)
    flat.add(_data(500_000, 0))
    xq = _data(50_000, 1)
    lat = latency(lambda: flat.search(xq, 10))
    print(f"| IndexFlatL2.search | 50,000 queries x 500,000 | {lat:.3f} s | {flat.ntotal == 500_000} |")

    hnsw = faiss.IndexHNSWFlat(D, 32)
    hnsw.add(_data(10_000, 2))
    more = _data(500_000, 3)
    lat = latency(lambda: hnsw.add(more))
    print(f"| IndexHNSWFlat.add | 500,000 into 10,000 | {lat:.3f} s | {hnsw.ntotal == 10_000} |")

    quantizer = faiss.IndexFlatL2(D)
    quantizer.add(_data(8192, 4))
    ivf = faiss.IndexIVFPQ(quantizer, D, 8192, 16, 8)
    ivf.train(_data(70_000, 5))
    big = _data(3_000_000, 6)
    lat = latency(lambda: ivf.add(big))
    print(f"| IndexIVFPQ.add | 3,000,000 | {lat:.3f} s | {ivf.ntotal == 0} |")

    fresh = faiss.index_factory(D, "IVF4096,Flat")
    train = _data(400_000, 7)
    lat = latency(lambda: fresh.train(train))
    print(f"| IndexIVFFlat.train | 400,000 points, 4,096 lists | {lat:.3f} s | {not fresh.is_trained} |")

    km = faiss.Kmeans(D, 4096, niter=20)
    lat = latency(lambda: km.train(train), after=3.0)  # inside an iteration
    print(f"| Kmeans.train | 400,000 points, k=4,096 | {lat:.3f} s | {km.centroids is None} |")


if __name__ == "__main__":
    main()
