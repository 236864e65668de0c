"""``IndexPointer``: the handle type of the MetalFaiss / SwiftFaiss API.

SwiftFaiss wraps a C index pointer in an ``IndexPointer``; MetalFaiss kept
the name. Here it holds a metalfaiss index, so code that passes pointers
around keeps working.
"""

from __future__ import annotations
from ._typing import Any

class IndexPointer:
    """Holds an index until it is closed (metalfaiss only: SwiftFaiss's IndexPointer).

    Holds an index (``pointer``); ``is_valid`` until the index is closed.

    Parameters
    ----------
    pointer : Index
        The index held.
    """

    def __init__(self, pointer: Any) -> None:
        self._pointer = pointer

    @property
    def pointer(self) -> Any:
        """The index pointed to (None when empty)."""
        return self._pointer

    @property
    def is_valid(self) -> bool:
        """Whether it points to an open index."""
        p = self._pointer
        return p is not None and getattr(p, "_handle", True) is not None

    def __repr__(self) -> str:
        return f"IndexPointer({self._pointer!r})"
