"""Indexes: the ``Index`` base class (faiss's methods over a Go handle), and
the MetalFaiss / SwiftFaiss index face (``FlatIndex``, ``AnyIndex``,
``SearchResult``, ...; see ``metalfaiss.face``), loaded on first use.

``metalfaiss.index.index_pointer`` is the same module as
``metalfaiss.index_pointer``: older MetalFaiss code imports it from either
place, or patches one onto the other.
"""

import sys

from .. import index_pointer
from .base_index import Index

sys.modules[__name__ + ".index_pointer"] = index_pointer

__all__ = ["Index", "index_pointer"]


def __getattr__(name):
    # The face imports the index classes, which import this package: it is
    # looked up lazily to keep the import order simple.
    from .. import face

    if not name.startswith("_") and hasattr(face, name):
        return getattr(face, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
