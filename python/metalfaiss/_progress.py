"""Progress of an index's long calls (train, add): faiss's verbose lines and
a progress callback.

When ``index.verbose`` is true or ``index.progress`` is a callable, the call
runs with a Progress attached in Go (pyapi IndexWatchProgress), which the
index fills with its stages (IVF: "train quantizer", "train codec", "add";
HNSW: "add"; PQ: "train codec", one unit per sub-quantizer), the work done of each and the lines faiss prints in verbose
mode. A thread reads it every ``POLL_SECONDS`` while the call runs (Go
calls release the GIL), prints the lines when verbose and calls
``progress(stage, done, total)`` when the numbers change; the last reading
is taken after the call, in the caller's thread. An index that reports no
stages (flat, SQ, ...) gets one: the call's name, from 0 to n.

An exception raised by the callback stops further calls to it and is
raised again once the call has ended: the work it reported on is done
(stopping the Go call from here would stop every long call of the
process, as Ctrl-C does).
"""

from __future__ import annotations

import sys
import threading

from . import _bridge
from ._typing import Any, Optional

POLL_SECONDS = 0.1


class Watch:
    """A context manager around one long call of index: ``with
    Watch(index, "add", n): ...``. Without verbose or progress it does
    nothing."""

    def __init__(self, index: Any, stage: str, n: int) -> None:
        self.index, self.stage, self.n = index, stage, n
        self.verbose = bool(getattr(index, "verbose", False))
        self.callback = getattr(index, "progress", None)
        self.active = self.verbose or self.callback is not None
        self.last: Optional[tuple[str, int, int]] = None
        self.reported = False
        self._stop = threading.Event()
        self._lock = threading.Lock()  # one reading at a time (poller, then the caller)
        self._thread: Optional[threading.Thread] = None
        self._error: Optional[BaseException] = None

    def __enter__(self) -> Watch:
        if not self.active:
            return self
        self.h = self.index._h(self.stage)
        _bridge.call("IndexWatchProgress", self.h, True)
        if self.callback is not None:
            self._emit((self.stage, 0, self.n), from_go=False)
        self._thread = threading.Thread(target=self._poll_loop, name="metalfaiss-progress", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, kind: Any, value: Any, tb: Any) -> None:
        if not self.active:
            return
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        try:
            self._read()
            if kind is None and not self.reported:
                self._emit((self.stage, self.n, self.n), from_go=False)  # an index without stages: done at once
        finally:
            _bridge.call("IndexWatchProgress", self.h, False)
        if self._error is not None and kind is None:
            raise self._error

    def _poll_loop(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            self._read()

    def _read(self) -> None:
        with self._lock:
            text = _bridge.call("IndexProgress", self.h) or ""
            for record in text.split("\x1e") if text else ():
                fields = record.split("\x1f")
                if fields[0] == "L":
                    if self.verbose:
                        print(fields[1], file=sys.stdout, flush=True)
                else:  # "S": a stage as it ended, or the current one
                    self._emit((fields[1], int(fields[2]), int(fields[3])), from_go=True)

    def _emit(self, state: tuple[str, int, int], from_go: bool) -> None:
        if state == self.last:
            return
        self.last = state
        self.reported = self.reported or from_go
        if self.callback is not None and self._error is None:
            try:
                self.callback(*state)
            except BaseException as e:  # raised again by __exit__, in the caller's thread
                self._error = e
