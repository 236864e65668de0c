"""The lifetime of a Python object that owns a Go handle."""

from . import _bridge
from .errors import ClosedIndexError


class GoHandle:
    """Owns ``self._handle``: ``close()`` frees the Go object at once (also
    done when the object is garbage-collected); later calls raise
    ClosedIndexError. A context manager that closes on exit."""

    _handle = None

    def close(self):
        """Free the index now; later calls raise ClosedIndexError."""
        h, self._handle = getattr(self, "_handle", None), None
        if h is not None:
            _bridge.call("Free", h)

    def __del__(self):
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
