"""Timing two libraries fairly on a small shared machine.

faiss's OpenMP threads spin for a while after each call (libgomp's
spin-wait), taking the cores from whatever runs next: timing the two
libraries call by call, alternating, slows the one that runs right after
faiss (measured on BIVF1024 nprobe 8: metalfaiss 50.7k QPS right after a
faiss call, 69.6k after a 0.3 s pause). So each library runs a block of
calls in a row and only the calls after its first count; blocks alternate
so that drift in the machine's load reaches both.
"""

import statistics
import time

import numpy as np


def median_times(fns, rounds=3, block=3):
    """Median seconds per call of each function in fns: rounds of blocks
    of `block` calls, the first call of each block not counted."""
    times = [[] for _ in fns]
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            fn()  # after the other library: its threads may still spin
            for _ in range(block):
                t = time.perf_counter()
                fn()
                times[i].append(time.perf_counter() - t)
    return [statistics.median(t) for t in times]


def timed(fn):
    """fn's result and the seconds one call took."""
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def recall(I, Iexact, k=10):
    """Mean share of the exact k nearest found among the first k results."""
    return float(np.mean([len(set(a[:k]) & set(b[:k])) / k for a, b in zip(I, Iexact)]))
