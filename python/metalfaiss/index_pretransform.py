"""IndexPreTransform: vector transforms in front of any index."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_matrix
from ._handle import wrap
from .errors import InputTypeError
from .index import Index
from .transforms import VectorTransform
from ._typing import Any, ArrayLike, Float32Array


class TransformChain(list):
    """The transforms of an IndexPreTransform (faiss: ``IndexPreTransform.chain``).

    The transforms of an IndexPreTransform, first applied first. Also
    answers faiss's std::vector calls ``at(i)`` and ``size()``.
    """

    def at(self, i: int) -> Any:
        """The i-th transform."""
        return self[i]

    def size(self) -> int:
        """Number of transforms."""
        return len(self)


class IndexPreTransform(Index):
    """An index behind a chain of vector transforms (faiss: ``IndexPreTransform``).

    Vectors added and queries pass through the transforms before ``index``;
    ``reconstruct`` maps back through their reverse. Training trains each
    untrained transform, in order, on the output of those before it, then the
    index.

    Parameters
    ----------
    *args
        ``(transform, index)``, or ``(index)`` for an empty chain
        (``prepend_transform`` adds more).

    Raises
    ------
    DimensionMismatchError
        The transform's output dimension is not the index's d.
    """

    _go_type = "IndexPreTransform"

    def __init__(self, *args: Any) -> None:
        op = "IndexPreTransform"
        if len(args) == 1:
            transform, index = None, args[0]
        elif len(args) == 2:
            transform, index = args
        else:
            raise InputTypeError(f"{op}: expected (transform, index) or (index), got {len(args)} arguments")
        if not isinstance(index, Index):
            raise InputTypeError(f"{op}: index must be a metalfaiss index, got {type(index).__name__}")
        if transform is not None and not isinstance(transform, VectorTransform):
            raise InputTypeError(f"{op}: transform must be a VectorTransform, got {type(transform).__name__}")
        out = np.zeros(1, dtype=np.int64)
        th = transform._h(op) if transform is not None else 0
        _bridge.call("IndexPreTransformNew", th, index._h(op), addr(out))
        super().__init__(int(out[0]))
        self.index = index  # kept alive with the Python objects of the chain
        self.chain = TransformChain([] if transform is None else [transform])

    def _adopt(self, handle):
        # Read back: wrap the index and the chain's transforms.
        super()._adopt(handle)
        n = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexPreTransformParts", self._h("chain"), 1, addr(n))
        out = np.zeros(2 + int(n[0]), dtype=np.int64)
        _bridge.call("IndexPreTransformParts", self._h("chain"), out.shape[0], addr(out))
        self.index = wrap(int(out[1]), Index, "IndexPreTransform.index")
        self.chain = TransformChain(wrap(int(h), VectorTransform, "IndexPreTransform.chain") for h in out[2:])

    def prepend_transform(self, transform: Any) -> None:
        """Put ``transform`` first; its output must be the current input."""
        op = "IndexPreTransform.prepend_transform"
        if not isinstance(transform, VectorTransform):
            raise InputTypeError(f"{op}: expected a VectorTransform, got {type(transform).__name__}")
        _bridge.call("IndexPreTransformPrepend", self._h(op), transform._h(op))
        self._d = transform.d_in
        self.chain.insert(0, transform)

    def apply_chain(self, x: ArrayLike) -> Float32Array:
        """x (n, d) through every transform: (n, index.d) float32."""
        op = "IndexPreTransform.apply_chain"
        x = as_matrix(x, op, self.d)
        out = np.empty((x.shape[0], self.index.d), dtype=np.float32)
        _bridge.call("IndexPreTransformApplyChain", self._h(op), x.shape[0], addr(x), addr(out), False)
        return out

    apply_py = apply_chain

    def reverse_chain(self, xt: ArrayLike) -> Float32Array:
        """xt (n, index.d) back through the chain: (n, d) float32."""
        op = "IndexPreTransform.reverse_chain"
        xt = as_matrix(xt, op, self.index.d)
        out = np.empty((xt.shape[0], self.d), dtype=np.float32)
        _bridge.call("IndexPreTransformApplyChain", self._h(op), xt.shape[0], addr(xt), addr(out), True)
        return out
