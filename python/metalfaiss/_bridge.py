"""The one door to the Go extension.

It loads the gopy module, undoes gopy's habit of running a full Go GC on
every Python GC pass (measured 20x slowdown of unrelated Python code), refuses
calls from a forked child (the Go runtime's threads do not survive fork), and
turns status strings into exceptions.
"""

import gc
import os

import numpy as np

from . import _interrupt
from .errors import ForkedProcessError, MetalFaissError, error_from_status
from ._native import pyapi as _api

gc.callbacks[:] = [cb for cb in gc.callbacks if getattr(cb, "__name__", "") != "_gopy_gc_cb"]

_parent_pid = os.getpid()
_forked = False


def _mark_forked():
    global _forked
    _forked = True


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_mark_forked)


def _check_fork(name):
    if _forked:
        raise ForkedProcessError(
            f"{name}: metalfaiss was loaded in process {_parent_pid} and cannot be used "
            f"in forked child {os.getpid()}; use the 'spawn' start method or import it in the child"
        )


def fetch(handle, fetch_fn, count, *shapes):
    """Copy a pending Go result (a range-search result, a serialized index)
    out through pyapi function ``fetch_fn(handle, count, *addresses)``,
    which frees it.

    ``shapes`` are (length, dtype) pairs: the arrays to allocate and fill.
    If anything fails before the fetch frees the result (an allocation too
    large, Ctrl-C), the handle is freed here, so no path leaks it. Returns
    the arrays.
    """
    try:
        arrays = [np.empty(n, dtype=dtype) for n, dtype in shapes]
        call(fetch_fn, handle, count, *[a.ctypes.data for a in arrays])
        return arrays
    except BaseException:
        try:
            call("Free", handle)
        except MetalFaissError:
            pass  # the fetch had freed it already
        raise


def call(name, *args):
    """Call pyapi function ``name``: return its text result (None when it
    has none), or raise the matching error.

    Every pyapi function answers in one form: "" (done), "=<text>" (done,
    with a result) or "<kind>|<message>" (failed).
    """
    _check_fork(name)
    return _result(getattr(_api, name)(*args))


def call_long(name, *args):
    """``call`` for a call that changes an index and may run long (add,
    train): Ctrl-C stops it in Go, leaving the index as it was (see
    _interrupt)."""
    _check_fork(name)
    fn = getattr(_api, name)
    _api.ClearInterrupt()  # a request that came after its call had ended
    if _stops_standing:  # a TimeoutGuard ran out: every long call stops at once
        _api.Interrupt()
    return _result(_interrupt.interruptible(lambda: fn(*args), _api.Interrupt))


# Stops that last until withdrawn (TimeoutGuard): a k-means runs as many
# long calls, and a stop that comes between two of them must stop the next.
_stops_standing = 0


def stand_stop():
    """Stop the long call in progress and every later one until
    withdraw_stop."""
    global _stops_standing
    _stops_standing += 1
    _api.Interrupt()


def withdraw_stop():
    global _stops_standing
    _stops_standing -= 1
    if _stops_standing == 0:
        _api.ClearInterrupt()


def _result(status):
    if not status:
        return None
    if status[0] == "=":
        return status[1:]
    if status.startswith("interrupted|"):
        _api.ClearInterrupt()
        _interrupt.let_handlers_run()  # the SIGINT handler raises KeyboardInterrupt
    raise error_from_status(status)
