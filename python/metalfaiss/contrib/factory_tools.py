"""Reading index_factory strings (contrib.factory_tools): the bytes one
vector costs in an index, and the factory string of an existing index."""

from __future__ import annotations

from typing import TYPE_CHECKING
import re

from metalfaiss import reverse_index_factory
from .._typing import Any

if TYPE_CHECKING:
    from ..index import Index

__all__ = ["get_code_size", "get_hnsw_M", "reverse_index_factory"]

# Scalar quantizer suffixes: bytes per vector of dimension d.
_SQ_BYTES = {
    "SQ8": lambda d: d, "SQ4": lambda d: (d + 1) // 2, "SQ6": lambda d: (d * 6 + 7) // 8,
    "SQfp16": lambda d: 2 * d, "SQbf16": lambda d: 2 * d,
}

# (pattern, size(d, match)): the first pattern that matches the whole key
# decides; sizes of wrapped keys recurse through get_code_size.
_RULES = [
    (r"Flat", lambda d, m: 4 * d),
    (r"(.*),RFlat", lambda d, m: 4 * d + get_code_size(d, m[1])),
    (r"IVF\d+(?:_HNSW\d+)?,(.*)", lambda d, m: get_code_size(d, m[1])),
    (r"IVF\d+\(.*\)?,(.*)", lambda d, m: get_code_size(d, m[1])),
    (r"IMI\d+x\d+,(.*)", lambda d, m: get_code_size(d, m[1])),
    (r"(.*),Refine\((.*)\)", lambda d, m: get_code_size(d, m[1]) + get_code_size(d, m[2])),
    (r"PQ(\d+)x(\d+)(?:fs|fsr)?", lambda d, m: (int(m[1]) * int(m[2]) + 7) // 8),
    (r"PQ(\d+)\+(\d+)", lambda d, m: int(m[1]) + int(m[2])),
    (r"PQ(\d+)", lambda d, m: int(m[1])),
    # HNSW: the vectors plus, roughly, 2M links of 4 bytes on level 0.
    (r"HNSW(\d+)(?:,Flat)?", lambda d, m: 4 * d + 8 * int(m[1])),
    (r"HNSW(\d+),(.*)", lambda d, m: get_code_size(d, m[2]) + 8 * int(m[1])),
    (r"SQ\w+", lambda d, m: _SQ_BYTES[m[0]](d) if m[0] in _SQ_BYTES else None),
    (r"PCAR?(\d+),(.*)", lambda d, m: get_code_size(int(m[1]), m[2])),
    (r"OPQ\d+_(\d+),(.*)", lambda d, m: get_code_size(int(m[1]), m[2])),
    (r"OPQ\d+,(.*)", lambda d, m: get_code_size(d, m[1])),
    (r"RR(\d+),(.*)", lambda d, m: get_code_size(int(m[1]), m[2])),
]


def get_code_size(d: int, indexkey: Any) -> Any:
    """Bytes per vector of a factory string's index (faiss: ``contrib.factory_tools.get_code_size``).

    Graph links are estimated.

    Parameters
    ----------
    d : int
        Dimension.
    indexkey : str
        The factory string.

    Returns
    -------
    int or float
        Bytes per vector.
    """
    for pattern, size in _RULES:
        match = re.fullmatch(pattern, indexkey)
        if match:
            result = size(d, match)
            if result is not None:
                return result
    raise RuntimeError(f"get_code_size: cannot parse {indexkey!r}")


def get_hnsw_M(index: Index) -> Any:
    """The M an HNSW index was built with (faiss: ``contrib.factory_tools.get_hnsw_M``).

    Parameters
    ----------
    index : IndexHNSW
        The index.

    Returns
    -------
    int
        M (half its level-0 links).
    """
    return index.hnsw.M
