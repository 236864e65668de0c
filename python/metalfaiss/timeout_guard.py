"""faiss's TimeoutGuard: ``with faiss.TimeoutGuard(seconds): ...`` stops
the long operations (training, k-means, adds) still running when the time
is up, as Ctrl-C would: they raise OperationInterruptedError (a
RuntimeError) and leave their index as it was. The stop request is
process-wide, like Ctrl-C: long calls of other threads at that moment stop
too."""

from __future__ import annotations

import threading

from . import _bridge
from .errors import InvalidArgumentError
from ._typing import Any


class TimeoutGuard:
    """Stop the long calls still running when a time is up (faiss: ``TimeoutGuard``).

    ``with TimeoutGuard(seconds):`` the long calls (train, add, search,
    k-means) still running when the time is up stop as Ctrl-C stops them:
    OperationInterruptedError, the index as it was.

    Parameters
    ----------
    timeout_in_seconds : float
        The time allowed (0 or more).

    Raises
    ------
    InvalidArgumentError
        Not a number, or negative.
    """

    def __init__(self, timeout_in_seconds: Any) -> None:
        self._fired = False
        try:
            self.timeout = float(timeout_in_seconds)
        except (TypeError, ValueError):
            raise InvalidArgumentError(f"TimeoutGuard: expected seconds, got {timeout_in_seconds!r}") from None
        if not self.timeout >= 0:
            raise InvalidArgumentError(f"TimeoutGuard: the timeout must be >= 0 seconds, got {self.timeout}")
        self._timer = None

    def __enter__(self) -> Any:
        self._fired = False
        self._timer = threading.Timer(self.timeout, self._fire)
        self._timer.daemon = True
        self._timer.start()
        return self

    def _fire(self):
        self._fired = True
        _bridge.stand_stop()  # stays until __exit__: k-means runs as many calls

    def __exit__(self, *exc: Any) -> bool:
        self._timer.cancel()
        self._timer.join()
        if self._fired:
            _bridge.withdraw_stop()
        return False
