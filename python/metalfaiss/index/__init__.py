"""Indexes: the ``Index`` base class (faiss's methods over a Go handle), and
the MetalFaiss / SwiftFaiss index face (``FlatIndex``, ``AnyIndex``,
``SearchResult``, ...), which ``metalfaiss.face`` publishes here when the
package is imported (this package does not import it: no import circle).

``metalfaiss.index.index_pointer`` is the same module as
``metalfaiss.index_pointer``: older MetalFaiss code imports it from either
place, or patches one onto the other.
"""

import sys

from .. import index_pointer
from .base_index import Index

sys.modules[__name__ + ".index_pointer"] = index_pointer

__all__ = ["Index", "index_pointer"]
