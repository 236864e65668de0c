"""faiss's IndexRandom: random answers, the same for the same query."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from .index import Index
from .metric import METRIC_L2, MetricType
from ._typing import MetricLike


class IndexRandom(Index):
    """An index that answers with random results, for benchmarks of the code around an index (faiss: ``IndexRandom``).

    It claims ``ntotal`` vectors and answers each search with k distinct
    random ids and increasing random distances (decreasing for
    similarities), drawn as faiss draws them from the seed and the query's
    bits; ``add`` only counts. It stores nothing.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    ntotal : int
        Number of vectors it claims to hold.
    seed : int
        Seed of the draws (default 1234).
    metric : int or str
        ``METRIC_L2`` (default) or ``METRIC_INNER_PRODUCT`` (or a name).

    Raises
    ------
    InvalidArgumentError
        d below 1 or ntotal below 0.
    """

    _go_type = "IndexRandom"

    def __init__(self, d: int, ntotal: int, seed: int = 1234, metric: MetricLike = METRIC_L2) -> None:
        op = "IndexRandom"
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("IndexRandomNew", as_int(d, op, "d"), as_int(ntotal, op, "ntotal"), as_int(seed, op, "seed"),
                     int(MetricType.parse(metric)), addr(out))
        super().__init__(int(out[0]))
