"""The one door to the Go extension.

It loads the gopy module, undoes gopy's habit of running a full Go GC on
every Python GC pass (measured 20x slowdown of unrelated Python code), refuses
calls from a forked child (the Go runtime's threads do not survive fork), and
turns status strings into exceptions.
"""

import gc
import os

from .errors import ForkedProcessError, error_from_status
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


def call(name, *args):
    """Call pyapi function ``name``: return its text result (None when it
    has none), or raise the matching error.

    Every pyapi function answers in one form: "" (done), "=<text>" (done,
    with a result) or "<kind>|<message>" (failed).
    """
    _check_fork(name)
    status = getattr(_api, name)(*args)
    if not status:
        return None
    if status[0] == "=":
        return status[1:]
    raise error_from_status(status)
