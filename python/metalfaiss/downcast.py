"""faiss's downcast_* functions: the most specific class of an index or a
transform, found through the one Go-type table (``_handle.wrap``)."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._handle import _CLASSES, go_type, wrap
from .errors import InputTypeError
from .index import Index
from .index_binary import IndexBinary
from .transforms import VectorTransform
from ._typing import Any


def _downcast(obj, base, op):
    if not isinstance(obj, base):
        raise InputTypeError(f"{op}: expected a {base.__name__}, got {type(obj).__name__}")
    cls = _CLASSES.get(go_type(obj._h(op)))
    if cls is not None and isinstance(obj, cls):
        return obj  # already its own class, as every object metalfaiss makes
    # A view under a base class: a new object of the registered class over
    # a second handle to the same Go object.
    out = np.zeros(1, dtype=np.int64)
    _bridge.call("NewHandle", obj._h(op), out.ctypes.data)
    return wrap(int(out[0]), base, op)


def downcast_index(index: Index) -> Index:
    """An index as its most specific class (faiss: ``downcast_index``).

    Every index metalfaiss makes already has its own class; an index seen
    through a base class (a field typed Index) comes back as a new object of
    its class over the same index.

    Parameters
    ----------
    index : Index
        Any metalfaiss index.

    Returns
    -------
    Index
        The same index, of its most specific class.

    Raises
    ------
    InputTypeError
        index is not a metalfaiss index.
    """
    return _downcast(index, Index, "downcast_index")


def downcast_IndexBinary(index: IndexBinary) -> IndexBinary:
    """A binary index as its most specific class (faiss: ``downcast_IndexBinary``).

    Parameters
    ----------
    index : IndexBinary
        Any metalfaiss binary index.

    Returns
    -------
    IndexBinary
        The same index, of its most specific class.

    Raises
    ------
    InputTypeError
        index is not a binary index.
    """
    return _downcast(index, IndexBinary, "downcast_IndexBinary")


def downcast_VectorTransform(vt: VectorTransform) -> VectorTransform:
    """A transform as its most specific class (faiss: ``downcast_VectorTransform``).

    Parameters
    ----------
    vt : VectorTransform
        Any metalfaiss transform.

    Returns
    -------
    VectorTransform
        The same transform, of its most specific class.

    Raises
    ------
    InputTypeError
        vt is not a VectorTransform.
    """
    return _downcast(vt, VectorTransform, "downcast_VectorTransform")


def downcast_Quantizer(quantizer: Index) -> Any:
    """A quantizer as its most specific class (faiss: ``downcast_Quantizer``).

    The product, scalar and additive quantizer objects metalfaiss hands out
    already are: the object itself is returned.

    Parameters
    ----------
    quantizer : ProductQuantizer, ScalarQuantizer or AdditiveQuantizer
        The quantizer.

    Returns
    -------
    object
        The same quantizer.

    Raises
    ------
    InputTypeError
        Not a quantizer.
    """
    from .additive_quantizers import AdditiveQuantizer
    from .quantizers import ProductQuantizer, ScalarQuantizer

    if not isinstance(quantizer, (ProductQuantizer, ScalarQuantizer, AdditiveQuantizer)):
        raise InputTypeError(f"downcast_Quantizer: expected a quantizer, got {type(quantizer).__name__}")
    return quantizer


def downcast_AdditiveQuantizer(quantizer: Index) -> Any:
    """An additive quantizer as its most specific class (faiss: ``downcast_AdditiveQuantizer``).

    The residual, local-search and product quantizers metalfaiss hands out
    already are: the object itself is returned.

    Parameters
    ----------
    quantizer : AdditiveQuantizer
        The quantizer.

    Returns
    -------
    object
        The same quantizer.

    Raises
    ------
    InputTypeError
        Not an additive quantizer.
    """
    from .additive_quantizers import AdditiveQuantizer

    if not isinstance(quantizer, AdditiveQuantizer):
        raise InputTypeError(f"downcast_AdditiveQuantizer: expected an additive quantizer, got {type(quantizer).__name__}")
    return quantizer
