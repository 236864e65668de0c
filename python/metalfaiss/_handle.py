"""The lifetime of a Python object that owns a Go handle, and the one table
from Go types to the Python classes that wrap them."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._interrupt import Pace
from .errors import ClosedIndexError, UnsupportedOperationError

# faiss class name (what each Go type calls itself: pyapi.TypeName) ->
# the Python class that wraps it. Filled by GoHandle.__init_subclass__.
_CLASSES = {}


class GoHandle:
    """Owns ``self._handle``: ``close()`` frees the Go object at once (also
    done when the object is garbage-collected); later calls raise
    ClosedIndexError. A context manager that closes on exit.

    A subclass that wraps a Go type names it in ``_go_type`` (its faiss
    class name) and is thereby registered: ``wrap`` finds it for any handle
    of that type, from read_index, deserialize_index, a quantizer or a
    storage read back, or downcast_index. ``_adopt`` binds a new object to
    a handle and fetches its parts (quantizer, storage, sub-index, chain).
    """

    _handle = None
    _go_type = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("_go_type")
        if name is not None:
            if name in _CLASSES:
                raise TypeError(f"{cls.__name__}: Go type {name} is already wrapped by {_CLASSES[name].__name__}")
            _CLASSES[name] = cls

    @classmethod
    def _from_handle(cls, handle):
        """A new object of this class over handle (which it takes)."""
        obj = cls.__new__(cls)
        obj._adopt(handle)
        return obj

    def _adopt(self, handle):
        self._handle = handle

    def close(self) -> None:
        """Free the index now; later calls raise ClosedIndexError."""
        h, self._handle = getattr(self, "_handle", None), None
        if h is not None:
            _bridge.call("Free", h)

    def __del__(self) -> None:
        try:
            if getattr(self, "_handle", None) is not None and not _bridge._forked:
                self.close()
        except Exception:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _h(self, op):
        if self._handle is None:
            raise ClosedIndexError(f"{type(self).__name__}.{op}: the index is closed")
        return self._handle

    def _pace(self):
        """How fast this object's last query batch went (see _interrupt)."""
        pace = self.__dict__.get("_search_pace")
        if pace is None:
            pace = self.__dict__["_search_pace"] = Pace()
        return pace


def go_type(handle):
    """The faiss class name of the Go object behind handle."""
    return _bridge.call("TypeName", handle)


def wrap(handle, expect=GoHandle, op="read_index"):
    """The Python object for the Go object behind handle (which it takes),
    of the class registered for its Go type; it must be an ``expect``."""
    try:
        name = go_type(handle)
        cls = _CLASSES.get(name)
        if cls is None or not issubclass(cls, expect):
            raise UnsupportedOperationError(
                f"{op}: a {name} is not a {expect.__name__}" if cls else f"{op}: {name} has no Python class yet")
        return cls._from_handle(handle)
    except BaseException:
        _bridge.call("Free", handle)
        raise


def part(owner, fn, op, *args):
    """The handle that pyapi function ``fn`` writes for a part of owner (a
    quantizer, a storage, a sub-index; args pick which), wrapped; None when
    owner lacks it."""
    out = np.zeros(1, dtype=np.int64)
    _bridge.call(fn, owner._h(op), *args, out.ctypes.data)
    if out[0] == 0:  # a part the owner lacks
        return None
    return wrap(int(out[0]), op=op)
