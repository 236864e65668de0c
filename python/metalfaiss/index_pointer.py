"""``IndexPointer``: the handle type of the MetalFaiss / SwiftFaiss API.

SwiftFaiss wraps a C index pointer in an ``IndexPointer``; MetalFaiss kept
the name. Here it holds a metalfaiss index, so code that passes pointers
around keeps working.
"""


class IndexPointer:
    """Holds an index (``pointer``); ``is_valid`` until the index is closed."""

    def __init__(self, pointer):
        self._pointer = pointer

    @property
    def pointer(self):
        return self._pointer

    @property
    def is_valid(self):
        p = self._pointer
        return p is not None and getattr(p, "_handle", True) is not None

    def __repr__(self):
        return f"IndexPointer({self._pointer!r})"
