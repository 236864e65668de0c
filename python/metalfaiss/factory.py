"""faiss's index_factory for the index types metalfaiss has, and its
inverse, reverse_index_factory."""

import re

from ._arrays import as_int
from .errors import InvalidArgumentError
from .index import Index
from .index_flat import IndexFlat
from .index_idmap import IndexIDMap, IndexIDMap2
from .index_ivf import IndexIVFFlat
from .metric import METRIC_L2, MetricType

_IVF = re.compile(r"IVF(\d+)")

# Parts of faiss's grammar that name index types metalfaiss does not have
# yet: told apart from typos so that the error can say so.
_NOT_YET = re.compile(r"(PQ\d+.*|SQ.*|RFlat|Refine\(.*\)|HNSW.*|IVF\d+_HNSW\d+|IMI.*|LSH.*|PCA.*|OPQ.*|RR\d+|L2norm|Pad\d+)")


def _fail(part, description, why="could not parse"):
    raise InvalidArgumentError(f"index_factory: {why} {part!r} in {description!r}")


def index_factory(d, description, metric=METRIC_L2):
    """Build an index from faiss's description string: ``Flat``,
    ``IVF{nlist},Flat``, and ``IDMap,<...>`` / ``IDMap2,<...>`` around either.
    A string that does not parse raises ValueError naming the part."""
    d = as_int(d, "index_factory", "d")
    if not isinstance(description, str):
        raise InvalidArgumentError(f"index_factory: the description must be a string, got {type(description).__name__}")
    metric = MetricType.parse(metric)
    parts = [p.strip() for p in description.split(",")]
    wrap = None
    if parts[0] in ("IDMap", "IDMap2"):
        wrap = IndexIDMap2 if parts[0] == "IDMap2" else IndexIDMap
        parts = parts[1:]
        if not parts:
            raise InvalidArgumentError(f"index_factory: {description!r} names no index for the IDMap to wrap")
    index = _build(d, parts, metric, description)
    return wrap(index) if wrap else index


def _build(d, parts, metric, description):
    first = parts[0]
    if first == "Flat" and len(parts) == 1:
        return IndexFlat(d, metric)
    m = _IVF.fullmatch(first)
    if m:
        if len(parts) < 2:
            _fail(first, description, "an IVF needs its codes (e.g. ',Flat') after")
        if parts[1] != "Flat":
            _unknown(parts[1], description)
        if len(parts) > 2:
            _unknown(parts[2], description)
        nlist = int(m.group(1))
        if nlist <= 0:
            _fail(first, description, "nlist must be positive in")
        return IndexIVFFlat(IndexFlat(d, metric), d, nlist, metric)
    _unknown(first if first != "Flat" else parts[1], description)


def _unknown(part, description):
    if _NOT_YET.fullmatch(part):
        _fail(part, description, "metalfaiss does not have this index type yet:")
    _fail(part, description)


def reverse_index_factory(index):
    """The index_factory string that builds an index of this structure."""
    if not isinstance(index, Index):
        raise InvalidArgumentError(f"reverse_index_factory: expected a metalfaiss index, got {type(index).__name__}")
    if isinstance(index, IndexIDMap):
        prefix = "IDMap2," if isinstance(index, IndexIDMap2) else "IDMap,"
        return prefix + reverse_index_factory(index.index)
    if isinstance(index, IndexIVFFlat):
        return f"IVF{index.nlist},Flat"
    if isinstance(index, IndexFlat) or type(index).__name__.startswith("GpuIndexFlat"):
        return "Flat"
    raise InvalidArgumentError(f"reverse_index_factory: no factory string for {type(index).__name__}")
