"""IndexFlatPanorama: exact search over vectors stored in Panorama's
level-oriented layout (faiss's class, after Ghosh et al. 2025)."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int, as_matrix
from .index import Index
from .metric import METRIC_INNER_PRODUCT, METRIC_L2, MetricType
from .vectors import Float32Vector, UInt8Vector
from ._typing import Any, ArrayLike, MetricLike


def _vector(cls, values):
    v = cls()
    v._assign(values)
    return v


class IndexFlatPanorama(Index):
    """Exact search that stops measuring a vector once it cannot enter the results (faiss: ``IndexFlatPanorama``).

    The d dimensions are cut into ``n_levels`` levels, vectors stored in
    batches of ``batch_size`` level by level, each with the norms of its
    suffixes from each level on (``cum_sums``). A search measures a batch
    level by level and drops a vector once the Cauchy-Schwarz bound on the
    levels left shows it cannot enter the results: the same results as
    IndexFlat (L2 or inner product; k at most batch_size, as in faiss). It
    pays when the leading dimensions carry most of the energy (after a PCA,
    say). Memory per vector: 4 * d bytes and 4 * n_levels bytes of norms.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    metric : int or str
        ``METRIC_L2`` or ``METRIC_INNER_PRODUCT`` (or a name).
    n_levels : int
        Number of levels the d dimensions are cut into (1 to d).
    batch_size : int
        Vectors per batch (default 1024); k may not exceed it.

    Raises
    ------
    InputTypeError
        A parameter is not an integer.
    InvalidArgumentError
        d below 1, n_levels out of 1..d, or batch_size below 1.
    """

    def __init__(self, d: int, metric: MetricLike, n_levels: int, batch_size: int) -> None:
        op = type(self).__name__
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexFlatPanoramaNew", as_int(d, op, "d"), int(MetricType.parse(metric)),
                     as_int(n_levels, op, "n_levels"), as_int(batch_size, op, "batch_size"), addr(out))
        super().__init__(int(out[0]))

    def _pano_info(self):
        out = np.zeros(4, dtype=np.int64)
        _bridge.call("FlatPanoramaInfo", self._h("info"), addr(out))
        return out

    @property
    def n_levels(self) -> int:
        """Panorama levels the dimensions are split into."""
        return int(self._pano_info()[0])

    @property
    def batch_size(self) -> int:
        """Vectors per batch of the level layout (faiss's file layout)."""
        return int(self._pano_info()[1])

    @property
    def code_size(self) -> int:
        """Bytes per vector (4 * d)."""
        return 4 * self.d

    def _layout(self):
        _, _, nc, ns = self._pano_info()
        codes, cums = np.empty(nc, dtype=np.float32), np.empty(ns, dtype=np.float32)
        _bridge.call("FlatPanoramaLayout", self._h("codes"), int(nc), addr(codes), int(ns), addr(cums))
        return codes, cums

    @property
    def codes(self) -> Any:
        """The stored codes (uint8, whole batches in the level layout), a copy."""
        return _vector(UInt8Vector, self._layout()[0].view(np.uint8))

    @property
    def cum_sums(self) -> Any:
        """The suffix norms (n_levels + 1 per vector, whole batches), a copy."""
        return _vector(Float32Vector, self._layout()[1])

    def update_vectors(self, *args: Any) -> None:
        """``update_vectors(ids, x)`` or faiss's ``update_vectors(n, ids, x)``:
        replace the vectors with these ids."""
        op = self._op("update_vectors")
        ids, x = args[-2:]
        ids = np.ascontiguousarray(ids, dtype=np.int64).ravel()
        x = as_matrix(x, op, self.d)
        if x.shape[0] != ids.shape[0]:
            from .errors import DimensionMismatchError

            raise DimensionMismatchError(f"{op}: {ids.shape[0]} ids for {x.shape[0]} vectors")
        _bridge.call("FlatPanoramaUpdate", self._h(op), ids.shape[0], addr(ids), addr(x))

    def permute_entries(self, perm: ArrayLike) -> None:
        """Reorder the stored vectors: the new vector i is the old perm[i]."""
        from .index_flat import IndexFlat

        IndexFlat.permute_entries(self, perm)


class IndexFlatL2Panorama(IndexFlatPanorama):
    """IndexFlatPanorama with the L2 metric (faiss: ``IndexFlatL2Panorama``).

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    n_levels : int
        Number of levels the d dimensions are cut into (1 to d).
    batch_size : int
        Vectors per batch (default 1024); k may not exceed it.

    Raises
    ------
    InputTypeError
        A parameter is not an integer.
    InvalidArgumentError
        d below 1, n_levels out of 1..d, or batch_size below 1.
    """

    _go_type = "IndexFlatL2Panorama"

    def __init__(self, d: int, n_levels: int, batch_size: int = 1024) -> None:
        super().__init__(d, METRIC_L2, n_levels, batch_size)


class IndexFlatIPPanorama(IndexFlatPanorama):
    """IndexFlatPanorama with the inner-product metric (faiss: ``IndexFlatIPPanorama``).

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    n_levels : int
        Number of levels the d dimensions are cut into (1 to d).
    batch_size : int
        Vectors per batch (default 1024); k may not exceed it.

    Raises
    ------
    InputTypeError
        A parameter is not an integer.
    InvalidArgumentError
        d below 1, n_levels out of 1..d, or batch_size below 1.
    """

    _go_type = "IndexFlatIPPanorama"

    def __init__(self, d: int, n_levels: int, batch_size: int = 1024) -> None:
        super().__init__(d, METRIC_INNER_PRODUCT, n_levels, batch_size)
