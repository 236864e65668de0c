"""``index_binary_factory``: binary indexes from faiss's descriptions."""

from __future__ import annotations

import re

from ._arrays import as_int
from .errors import InvalidArgumentError
from .index_binary import (IndexBinary, IndexBinaryFlat, IndexBinaryHNSW, IndexBinaryIDMap, IndexBinaryIDMap2,
                           IndexBinaryIVF)
from .index_binary_hash import IndexBinaryHash, IndexBinaryMultiHash

# faiss reads each form with sscanf, which matches a prefix: "BIVF1024_BHNSW32"
# is a BIVF1024 over a flat quantizer there, and so it is here.
_BIVF_HNSW = re.compile(r"BIVF(\d+)_HNSW(\d+)")
_BIVF = re.compile(r"BIVF(\d+)")
_BHNSW = re.compile(r"BHNSW(\d+)")
_BMULTIHASH = re.compile(r"BHash(\d+)x(\d+)")
_BHASH = re.compile(r"BHash(\d+)")
_IDMAPS = {"IDMap": IndexBinaryIDMap, "IDMap2": IndexBinaryIDMap2}


def _component(d, desc):
    if desc == "BFlat":
        return IndexBinaryFlat(d)
    m = _BIVF_HNSW.match(desc)
    if m:
        return IndexBinaryIVF(IndexBinaryHNSW(d, int(m[2])), d, int(m[1]))
    m = _BIVF.match(desc)
    if m:
        return IndexBinaryIVF(IndexBinaryFlat(d), d, int(m[1]))
    m = _BHNSW.match(desc)
    if m:
        return IndexBinaryHNSW(d, int(m[1]))
    m = _BMULTIHASH.match(desc)
    if m:
        return IndexBinaryMultiHash(d, int(m[1]), int(m[2]))
    m = _BHASH.match(desc)
    if m:
        return IndexBinaryHash(d, int(m[1]))
    return None


def index_binary_factory(d: int, description: str) -> IndexBinary:
    """Build a binary index from faiss's description (faiss: ``index_binary_factory``).

    Descriptions: ``BFlat``, ``BIVF{nlist}`` (a flat quantizer),
    ``BIVF{nlist}_HNSW{M}`` (an HNSW quantizer), ``BHNSW{M}``, ``BHash{b}``,
    ``BHash{nhash}x{b}``, with an optional ``IDMap,`` / ``IDMap2,`` prefix or
    ``,IDMap`` / ``,IDMap2`` suffix.

    Parameters
    ----------
    d : int
        Bits per code (a multiple of 8).
    description : str
        The description.

    Returns
    -------
    IndexBinary
        The new, empty index (IVF ones need training).

    Raises
    ------
    InvalidArgumentError
        A description that does not parse, or d not a positive multiple of
        8.
    """
    op = "index_binary_factory"
    d = as_int(d, op, "d")
    if not isinstance(description, str):
        raise InvalidArgumentError(f"{op}: the description must be a string, got {type(description).__name__}")
    parts = description.split(",")
    wrap = None
    if len(parts) == 2 and parts[0] in _IDMAPS:
        wrap, parts = _IDMAPS[parts[0]], parts[1:]
    elif len(parts) == 2 and parts[1] in _IDMAPS:
        wrap, parts = _IDMAPS[parts[1]], parts[:1]
    index = _component(d, parts[0]) if len(parts) == 1 else None
    if index is None:
        raise InvalidArgumentError(
            f"{op}: could not parse {description!r} (BFlat, BIVF{{n}}, BIVF{{n}}_HNSW{{M}}, BHNSW{{M}}, BHash{{b}}, "
            f"BHash{{nhash}}x{{b}}, optionally with IDMap, or IDMap2,)")
    return wrap(index) if wrap else index
