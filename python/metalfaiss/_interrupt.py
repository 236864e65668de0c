"""Ctrl-C during long calls (faiss has InterruptCallback).

Python runs its SIGINT handler only between bytecodes of the main thread,
never while that thread waits in Go. Two ways out, each leaving the index
as it was:

- Read-only batches (search, range_search, assign, knn, ...) run in blocks
  of queries sized to take about BLOCK_SECONDS each (``in_blocks``):
  between blocks Python handles the signal and raises KeyboardInterrupt.
  Queries are independent, so the results are those of one call.
- Calls that change an index (add, train) run whole in Go, under the
  index's lock. For their duration the signal module's wake-up fd is a pipe
  read by a watcher thread (``interruptible``), which asks Go to stop; Go
  polls at safe points, drops what it computed and returns "interrupted",
  and the SIGINT handler then raises KeyboardInterrupt as usual.
"""

from __future__ import annotations

import os
import signal
import threading
import time

import numpy as np

# How long one block of a read-only batch should take: Ctrl-C is honoured
# within about this, plus one block's misestimate. Blocks cost little
# (measured: a 0.6 s flat batch of 4,000 queries split in three, 1%), but
# fewer are better: IVF scans share each list among a block's queries.
BLOCK_SECONDS = 0.25
FIRST_BLOCK = 256
# A block may also cost a fixed time whatever its size: a flat search
# streams the whole database once per block (1M x 128: about 0.3 s on 2
# cores), so 0.25 s blocks ran 1,000 queries 5x slower than one call.
# Blocks grow until that fixed part is at most FIXED_SHARE of their time,
# but no block is planned to take over MAX_BLOCK_SECONDS.
FIXED_SHARE = 0.2
MAX_BLOCK_SECONDS = 1.0


class Pace:
    """How an index's last batches ran, for sizing the next batch's blocks
    at once (a batch that takes less than BLOCK_SECONDS runs as one call):
    seconds per query of the last block and the last two block sizes with
    their times, from which a block's fixed and per-query costs are
    estimated."""

    __slots__ = ("seconds_per_item", "blocks")

    def __init__(self) -> None:
        self.seconds_per_item = None
        self.blocks = []  # the last two (size, seconds), of different sizes

    def record(self, size, seconds):
        """Note that a block of size queries took seconds."""
        self.seconds_per_item = seconds / size
        if self.blocks and self.blocks[-1][0] == size:
            self.blocks[-1] = (size, seconds)
        else:
            self.blocks = self.blocks[-1:] + [(size, seconds)]

    def costs(self):
        """(fixed seconds per block, seconds per query) fitted to the last
        two blocks, or None when they do not show a positive fixed cost."""
        if len(self.blocks) < 2:
            return None
        (b1, t1), (b2, t2) = self.blocks
        per_item = (t2 - t1) / (b2 - b1)
        if per_item <= 0:
            return None
        fixed = t2 - per_item * b2
        return (fixed, per_item) if fixed > 0 else None

    def next_size(self, left):
        """Queries in the next block: about BLOCK_SECONDS' worth, more when
        a fixed cost per block would otherwise dominate."""
        spi = self.seconds_per_item
        if spi is None:
            return FIRST_BLOCK
        if spi <= 0:
            return left
        size = BLOCK_SECONDS / spi
        costs = self.costs()
        if costs is not None:
            fixed, per_item = costs
            amortised = fixed * (1 - FIXED_SHARE) / FIXED_SHARE / per_item
            size = max(size, min(amortised, (MAX_BLOCK_SECONDS - fixed) / per_item))
        return max(1, int(size))


def in_blocks(n, run, pace=None, clock=time.perf_counter):
    """Call run(lo, hi) over [0, n) in consecutive blocks sized by pace
    (Pace.next_size) from the blocks before; once with (0, 0) when n is 0,
    so that the call still checks its index."""
    if n == 0:
        run(0, 0)
        return
    pace = pace or Pace()
    lo = 0
    while lo < n:
        hi = min(n, lo + pace.next_size(n - lo))
        t = clock()
        run(lo, hi)
        pace.record(hi - lo, clock() - t)
        lo = hi


def range_in_blocks(n, run, pace=None):
    """``in_blocks`` for range searches: run(lo, hi) returns (lims, D, I) of
    its queries; the blocks' results are joined into those of one call."""
    parts = []
    in_blocks(n, lambda lo, hi: parts.append(run(lo, hi)), pace)
    if len(parts) == 1:
        return parts[0]
    lims = [np.zeros(1, dtype=np.int64)]
    for block_lims, _, _ in parts:
        lims.append(block_lims[1:] + lims[-1][-1])
    return (np.concatenate(lims), np.concatenate([p[1] for p in parts]),
            np.concatenate([p[2] for p in parts]))


class _Watcher:
    """A pipe that the signal module writes to while a long Go call runs in
    the main thread, and the thread that reads it."""

    def __init__(self, interrupt):
        self._interrupt = interrupt
        self._read, self._write = os.pipe()
        os.set_blocking(self._write, False)
        self.previous = -1  # the wake-up fd that was set before ours
        threading.Thread(target=self._watch, name="metalfaiss-interrupt", daemon=True).start()

    def _watch(self):
        while True:
            try:
                data = os.read(self._read, 512)
            except OSError:
                return
            if not data:
                return
            # As faiss's PythonInterruptCallback: stop only when the handler
            # will raise (a handler of the program's own may mean "finish
            # first").
            if signal.SIGINT in data and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
                self._interrupt()
            previous = self.previous
            if previous >= 0:  # asyncio and others wait on their own fd
                try:
                    os.write(previous, data)
                except OSError:
                    pass

    def run(self, fn):
        try:
            self.previous = signal.set_wakeup_fd(self._write, warn_on_full_buffer=False)
        except ValueError:  # not the main thread: signals never reach us here
            return fn()
        try:
            return fn()
        finally:
            signal.set_wakeup_fd(self.previous)
            self.previous = -1


_watcher = None
_watcher_lock = threading.Lock()


def interruptible(fn, interrupt):
    """fn(), with SIGINT during it calling interrupt() (from another thread)."""
    global _watcher
    if threading.current_thread() is not threading.main_thread():
        return fn()
    if _watcher is None:
        with _watcher_lock:
            if _watcher is None:
                _watcher = _Watcher(interrupt)
    return _watcher.run(fn)


def let_handlers_run():
    """Give Python's pending signal handlers their turn (they run at the
    next call or jump of the main thread): after an interrupted Go call the
    SIGINT handler raises KeyboardInterrupt here."""
    for _ in range(3):
        pass
