"""IndexRefine and IndexRefineFlat: an approximate index's answers re-ranked
by a more precise index holding the same vectors."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_matrix
from ._handle import part
from .errors import InputTypeError, InvalidArgumentError
from .index import Index
from ._typing import ArrayLike, Optional


def _check_index(op, name, index):
    if not isinstance(index, Index):
        raise InputTypeError(f"{op}: {name} must be a metalfaiss index, got {type(index).__name__}")


class IndexRefine(Index):
    """A base index's candidates re-ranked by a more exact one (faiss: ``IndexRefine``).

    Searches ``base_index`` for ``k_factor * k`` candidates and ranks them by
    their distance in ``refine_index`` (a flat, SQ, PQ, ... index that can
    reconstruct its vectors). The two must hold the same vectors in the same
    order (both empty, or filled alike), with the same d and metric;
    ``train`` trains both and ``add`` adds to both. Range searches ask the
    base index for ``radius * k_factor`` and keep what the refine index puts
    within radius. Memory per vector: the codes of both indexes.

    Parameters
    ----------
    base_index : Index
        The fast, approximate index that proposes candidates.
    refine_index : Index
        The index whose distances rank them.

    Raises
    ------
    InputTypeError
        An argument is not a metalfaiss index.
    DimensionMismatchError
        The two indexes differ in d or metric.
    """

    _go_type = "IndexRefine"

    def __init__(self, base_index: Index, refine_index: Index) -> None:
        op = "IndexRefine"
        _check_index(op, "base_index", base_index)
        _check_index(op, "refine_index", refine_index)
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexRefineNew", base_index._h(op), refine_index._h(op), addr(out))
        super().__init__(int(out[0]))
        self.base_index, self.refine_index = base_index, refine_index

    def _adopt(self, handle):
        super()._adopt(handle)
        self.base_index = part(self, "IndexRefineBase", "IndexRefine.base_index")
        self.refine_index = part(self, "IndexRefineRefine", "IndexRefine.refine_index")

    @property
    def k_factor(self) -> float:
        """Candidates the base index returns for the refine index to re-rank, as a factor of k (default 1)."""
        out = np.zeros(1, dtype=np.float64)
        _bridge.call("IndexGetParam", self._h("k_factor"), "k_factor", addr(out))
        return float(out[0])

    @k_factor.setter
    def k_factor(self, value: float) -> None:
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise InvalidArgumentError(f"{type(self).__name__}.k_factor: expected a number, got {value!r}") from None
        _bridge.call("IndexSetParam", self._h("k_factor"), "k_factor", value)


class IndexRefinePanorama(IndexRefine):
    """IndexRefine whose refine index is an IndexFlatPanorama (faiss: ``IndexRefinePanorama``).

    The candidates are ranked by their exact distances, as IndexRefineFlat
    ranks them, with Panorama's early stop.

    Parameters
    ----------
    base_index : Index
        The fast, approximate index that proposes candidates.
    refine_index : IndexFlatPanorama
        The index whose distances rank them.

    Raises
    ------
    InputTypeError
        An argument is not a metalfaiss index.
    DimensionMismatchError
        The two indexes differ in d or metric.
    """

    _go_type = "IndexRefinePanorama"

    def __init__(self, base_index: Index, refine_index: Index) -> None:
        from .index_flat_panorama import IndexFlatPanorama

        if not isinstance(refine_index, IndexFlatPanorama):
            raise InputTypeError(
                f"IndexRefinePanorama: refine_index must be an IndexFlatPanorama, got {type(refine_index).__name__}")
        super().__init__(base_index, refine_index)


class IndexRefineFlat(IndexRefine):
    """An approximate index whose best candidates are re-ranked exactly (faiss: ``IndexRefineFlat``).

    A search asks the base index for ``k_factor * k`` candidates and ranks
    them by their exact distance, kept in a flat index of its own. Memory: the
    base index's codes plus 4 * d bytes a vector.

    Parameters
    ----------
    base_index : Index
        The approximate index (empty, unless xb is given).
    xb : (n, d) float32-convertible, optional
        The vectors a filled base_index holds, in its order, for the flat
        index.
    """

    _go_type = "IndexRefineFlat"

    def __init__(self, base_index: Index, xb: Optional[ArrayLike] = None) -> None:
        from .index_flat import IndexFlat

        op = "IndexRefineFlat"
        _check_index(op, "base_index", base_index)
        out = np.zeros(1, dtype=np.int64)
        if xb is None:
            _bridge.call("IndexRefineFlatNew", base_index._h(op), addr(out))
        else:
            flat = IndexFlat(base_index.d, base_index.metric_type)
            flat.add(as_matrix(xb, op, base_index.d, "xb"))
            _bridge.call("IndexRefineNew", base_index._h(op), flat._h(op), addr(out))
        Index.__init__(self, int(out[0]))
        self.base_index = base_index
        self.refine_index = part(self, "IndexRefineRefine", "IndexRefine.refine_index")
