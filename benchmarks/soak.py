"""Soak: many create / add / search / free cycles and index-file round
trips in one process; resident memory and live Go handles must stay flat.

    python benchmarks/soak.py                  # the full counts (100,000 and 10,000)
    python benchmarks/soak.py 20000 2000       # other counts

tests/test_soak.py runs the same loops with smaller counts in `make test`.
"""

import gc
import os
import sys
import tempfile
import time

import numpy as np

import metalfaiss as faiss
from metalfaiss import _bridge

D = 32


def resident_bytes():
    """This process's resident memory (faiss's get_mem_usage_kb; where /proc
    is missing it is the peak, which still grows with a leak)."""
    return faiss.get_mem_usage_kb() * 1024


def open_handles():
    return int(_bridge.call("OpenHandles"))


def _index_cycle(x, xq, i):
    # A different index type now and then, so more than one code path runs.
    if i % 10 == 9:
        index = faiss.IndexIDMap2(faiss.IndexFlatL2(D))
        index.add_with_ids(x, np.arange(len(x), dtype=np.int64) + i)
    else:
        index = faiss.IndexFlatIP(D) if i % 2 else faiss.IndexFlatL2(D)
        index.add(x)
    index.search(xq, 5)
    index.range_search(xq[:1], 1.0)
    index.close()


def _file_cycle(index, path):
    faiss.write_index(index, path)
    back = faiss.read_index(path)
    back.search(np.zeros((1, D), np.float32), 1)
    back.close()


def measure(loop, cycles, warmup_share=0.1):
    """Run loop(i) cycles times; return (rss after warm-up, rss at the end,
    handles after warm-up, handles at the end, seconds)."""
    warm = max(1, int(cycles * warmup_share))
    start = time.perf_counter()
    for i in range(warm):
        loop(i)
    gc.collect()
    rss0, h0 = resident_bytes(), open_handles()
    for i in range(warm, cycles):
        loop(i)
    gc.collect()
    return rss0, resident_bytes(), h0, open_handles(), time.perf_counter() - start


def run(cycles, file_cycles, report=print):
    """Both soaks; returns a list of (name, cycles, rss0, rss1, h0, h1, secs)."""
    rng = np.random.default_rng(0)
    x, xq = rng.standard_normal((200, D)).astype(np.float32), rng.standard_normal((4, D)).astype(np.float32)
    rows = []
    if cycles:
        rows.append(("create/add/search/free", cycles, *measure(lambda i: _index_cycle(x, xq, i), cycles)))
    if file_cycles:
        # A composite (IVF, quantizer, PQ) read back whole each time.
        ivf = faiss.index_factory(D, "IVF16,PQ8x4")
        ivf.train(rng.standard_normal((2000, D)).astype(np.float32))
        ivf.add(x)
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "soak.faiss")
            rows.append(("write_index/read_index", file_cycles,
                         *measure(lambda i: _file_cycle(ivf, path), file_cycles)))
    for name, n, rss0, rss1, h0, h1, secs in rows:
        report(f"| {name} | {n:,} | {rss0 / 2**20:.1f} MiB | {rss1 / 2**20:.1f} MiB | "
               f"{(rss1 / rss0 - 1) * 100:+.1f}% | {h0} -> {h1} | {secs:.1f} s |")
    return rows


if __name__ == "__main__":
    cycles = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    file_cycles = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    print(f"kernels {faiss.kernel_set()}, {os.cpu_count()} CPUs")
    print("| loop | cycles | RSS after warm-up | RSS at end | growth | live handles | time |")
    print("|---|---|---|---|---|---|---|")
    bad = [r for r in run(cycles, file_cycles)
           if r[3] > r[2] * 1.10 or r[4] != r[5]]
    sys.exit(1 if bad else 0)
