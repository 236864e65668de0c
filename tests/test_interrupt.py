"""Ctrl-C (a real SIGINT) during long calls raises KeyboardInterrupt and
leaves the index as it was before the call."""

import os
import signal
import threading
import time

import numpy as np
import pytest

import metalfaiss as faiss

D = 32


@pytest.fixture(autouse=True)
def _main_thread_only():
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals reach the main thread only")


def _data(n, seed):
    return np.random.default_rng(seed).standard_normal((n, D)).astype(np.float32)


def _ctrl_c_after(seconds):
    timer = threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    return timer


def _interrupted(call, after=0.2):
    """Run call with Ctrl-C coming after ``after`` seconds; it must raise
    KeyboardInterrupt (and the signal must have come during the call)."""
    timer = _ctrl_c_after(after)
    try:
        with pytest.raises(KeyboardInterrupt):
            call()
    finally:
        timer.cancel()
    assert timer.finished.is_set()


def test_ctrl_c_stops_a_long_hnsw_add_and_keeps_the_graph():
    index = faiss.IndexHNSWFlat(D, 16)
    index.add(_data(2000, 0))
    xq = _data(50, 1)
    before = index.search(xq, 10)
    levels, neighbors = index.hnsw.levels.copy(), index.hnsw.neighbors.copy()
    more = _data(200_000, 2)  # made first: the signal must come during the add
    _interrupted(lambda: index.add(more))  # about 10 s uninterrupted
    assert index.ntotal == 2000
    np.testing.assert_array_equal(index.hnsw.levels, levels)
    np.testing.assert_array_equal(index.hnsw.neighbors, neighbors)
    after = index.search(xq, 10)
    np.testing.assert_array_equal(after[1], before[1])
    index.add(_data(100, 3))  # still usable
    assert index.ntotal == 2100


def test_ctrl_c_stops_a_long_ivf_add_and_train():
    quantizer = faiss.IndexFlatL2(D)
    quantizer.add(_data(4096, 4))  # trained at once: nlist centroids held
    index = faiss.IndexIVFFlat(quantizer, D, 4096)
    index.add(_data(1000, 5))
    more = _data(2_000_000, 6)
    _interrupted(lambda: index.add(more))  # seconds of assignment
    assert index.ntotal == 1000
    assert sum(index.invlists.list_size(i) for i in range(4096)) == 1000

    fresh = faiss.index_factory(D, "IVF2048,Flat")
    train = _data(300_000, 7)
    _interrupted(lambda: fresh.train(train))  # seconds of k-means
    assert not fresh.is_trained and fresh.quantizer.ntotal == 0


def test_ctrl_c_stops_a_long_search_between_blocks():
    index = faiss.IndexFlatL2(D)
    index.add(_data(200_000, 8))
    xq = _data(40_000, 9)  # about 10 s uninterrupted
    I = np.full((len(xq), 10), -7, dtype=np.int64)
    Dist = np.empty((len(xq), 10), dtype=np.float32)
    _interrupted(lambda: index.search(xq, 10, D=Dist, I=I))
    assert (I[-1] == -7).all(), "the last queries were never searched"
    assert index.ntotal == 200_000


def test_other_signal_handlers_are_left_alone():
    seen = []
    old = signal.signal(signal.SIGUSR1, lambda *a: seen.append(a[0]))
    try:
        timer = threading.Timer(0.1, os.kill, (os.getpid(), signal.SIGUSR1))
        timer.start()
        index = faiss.IndexHNSWFlat(D, 8)
        index.add(_data(20_000, 10))  # not interrupted by SIGUSR1
        timer.join()
        assert index.ntotal == 20_000 and seen == [signal.SIGUSR1]
        assert signal.set_wakeup_fd(-1) == -1, "the wake-up fd is restored"
    finally:
        signal.signal(signal.SIGUSR1, old)


def test_a_handler_of_the_programs_own_lets_the_add_finish():
    seen = []
    old = signal.signal(signal.SIGINT, lambda *a: seen.append(a[0]))
    try:
        index = faiss.IndexHNSWFlat(D, 8)
        more = _data(60_000, 11)
        sent = []
        timer = threading.Timer(0.1, lambda: (sent.append(time.perf_counter()), os.kill(os.getpid(), signal.SIGINT)))
        timer.start()
        index.add(more)  # the handler only notes the signal: the add completes
        done = time.perf_counter()
        timer.join()
        assert sent and sent[0] < done, "the signal came during the add"
        assert seen == [signal.SIGINT] and index.ntotal == 60_000
    finally:
        signal.signal(signal.SIGINT, old)
