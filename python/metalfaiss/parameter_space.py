"""faiss's autotune API for setting search-time parameters by name."""

from __future__ import annotations

from typing import TYPE_CHECKING
from .errors import InvalidArgumentError
from .index_ivf import IndexIVF
from ._typing import Any, ArrayLike

if TYPE_CHECKING:
    from .index import Index


def _inner(index):
    """The index a wrapper forwards parameters to (None: not a wrapper)."""
    for attr in ("index", "base_index"):
        inner = getattr(index, attr, None)
        if inner is not None and inner is not index:
            return inner
    return None


def _ivf_like(index):
    """An IVF index, float or binary: it has a quantizer and nprobe."""
    from .index_binary import IndexBinaryIVF

    return isinstance(index, (IndexIVF, IndexBinaryIVF))


class ParameterSpace:
    """Set search parameters by name, through wrappers (faiss: ``ParameterSpace``).

    ``set_index_parameter(index, "nprobe", 16)`` or
    ``set_index_parameters(index, "nprobe=16,efSearch=64")`` reach the part
    of the index that has the parameter (through IndexIDMap,
    IndexPreTransform, IndexRefine, ... as faiss does): nprobe, k_factor,
    efSearch and efConstruction (HNSW), quantizer_<name> (an IVF index's
    coarse quantizer). ``initialize(index)`` lists the values worth trying
    (nprobe: the powers of two below nlist, up to 2048, as faiss);
    ``n_combinations()`` and ``combination_name(cno)`` walk them. faiss's
    ``explore`` (timed searches of every combination) is not offered.

    Attributes
    ----------
    parameter_ranges : list of ParameterRange
        The values ``initialize`` found.
    verbose : int
        faiss's field (accepted).
    """

    def __init__(self) -> None:
        self.parameter_ranges = []
        self.verbose = 0

    def set_index_parameter(self, index: Index, name: str, value: Any) -> None:
        """Set parameter name ("nprobe", "efSearch", "k_factor", ...) of index or the part that has it."""
        if not isinstance(name, str):
            raise InvalidArgumentError(f"ParameterSpace.set_index_parameter: the name must be a string, got {name!r}")
        target = index
        while target is not None:
            if name == "nprobe" and _ivf_like(target):
                target.nprobe = _as_int_value(name, value)
                return
            if name.startswith("quantizer_") and _ivf_like(target):
                # faiss forwards quantizer_<name> to the coarse quantizer
                self.set_index_parameter(target.quantizer, name[len("quantizer_"):], value)
                return
            if name in ("efSearch", "efConstruction") and hasattr(target, "hnsw"):
                setattr(target.hnsw, name, _as_int_value(name, value))
                return
            if name == "k_factor" and hasattr(type(target), "k_factor"):
                target.k_factor = value
                return
            if name == "ht" and hasattr(type(target), "polysemous_ht"):
                _set_ht(target, _as_int_value(name, value))
                return
            target = _inner(target)
        raise InvalidArgumentError(
            f"ParameterSpace.set_index_parameter: could not set parameter {name!r} on {type(index).__name__}")

    def set_index_parameters(self, index: Index, description: str) -> None:
        """Set ``"name=value,name=value"`` (a faiss parameter string)."""
        if not isinstance(description, str):
            raise InvalidArgumentError(f"ParameterSpace.set_index_parameters: expected a string, got {description!r}")
        for item in filter(None, (s.strip() for s in description.split(","))):
            name, eq, value = item.partition("=")
            if not eq:
                raise InvalidArgumentError(f"ParameterSpace.set_index_parameters: {item!r} is not name=value")
            try:
                number = float(value)
            except ValueError:
                raise InvalidArgumentError(f"ParameterSpace.set_index_parameters: {value!r} is not a number") from None
            self.set_index_parameter(index, name.strip(), number)

    def initialize(self, index: Index) -> None:
        """Fill parameter_ranges with the values worth exploring. Like faiss,
        this looks through refinement wrappers but not through IndexIDMap."""
        self.parameter_ranges = []
        target = index
        while target is not None:
            if isinstance(target, IndexIVF):
                values, v = [], 1
                while v < target.nlist and v <= 2048:
                    values.append(float(v))
                    v *= 2
                self.parameter_ranges.append(ParameterRange("nprobe", values))
            target = getattr(target, "base_index", None)

    def n_combinations(self) -> Any:
        """Number of parameter combinations in the ranges."""
        n = 1
        for r in self.parameter_ranges:
            n *= len(r.values)
        return n

    def combination_name(self, cno: Any) -> Any:
        """The combination numbered cno, as "name=value,name=value"."""
        parts = []
        for r in self.parameter_ranges:
            cno, i = divmod(cno, len(r.values))
            parts.append(f"{r.name}={r.values[i]:g}")
        return ",".join(parts)


class ParameterRange:
    """A parameter and the values worth trying (faiss: ``ParameterRange``).

    Parameters
    ----------
    name : str
        The parameter (``nprobe``, ``efSearch``, ``quantizer_efSearch``, ...).
    values : sequence of float
        Its values, in increasing order of cost.
    """

    def __init__(self, name: str, values: ArrayLike) -> None:
        self.name = name
        self.values = list(values)


def _as_int_value(name, value):
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"ParameterSpace: {name} must be a number, got {value!r}") from None
    if f != int(f):
        raise InvalidArgumentError(f"ParameterSpace: {name} must be an integer, got {value!r}")
    return int(f)


def _set_ht(index, ht):
    """faiss's "ht": a Hamming threshold at or above the code's bits turns
    filtering off (IndexPQ back to ST_PQ, IVFPQ to 0), else an IndexPQ
    searches polysemously with it."""
    from .index_pq import IndexPQ

    bits = index.pq.code_size * 8
    if isinstance(index, IndexPQ):
        if ht >= bits:
            index.search_type = IndexPQ.ST_PQ
        else:
            index.search_type = IndexPQ.ST_polysemous
            index.polysemous_ht = ht
    else:
        index.polysemous_ht = 0 if ht >= bits else ht
