"""``ClusteringParameters``: k-means settings under every name callers use.

One object, three vocabularies:

- faiss's field names: ``niter``, ``nredo``, ``verbose``, ``spherical``,
  ``int_centroids``, ``update_index``, ``frozen_centroids``,
  ``min_points_per_centroid``, ``max_points_per_centroid``, ``seed``,
  ``decode_block_size``, ``check_input_data_for_NaNs``,
  ``early_stop_threshold``, ``init_method`` (a ClusteringInitMethod: random
  points, k-means++ or AFK-MC2), ``afkmc2_chain_length``;
- SwiftFaiss's names, in snake_case or camelCase: ``is_verbose``,
  ``is_spherical``, ``should_round_centroids_to_int``,
  ``should_update_index``, ``should_froze_centroids`` (sic, also
  ``should_freeze_centroids``), ``min_points_per_centroid``, ...;
- the names ClassKit passes: ``max_iterations`` (= ``niter``),
  ``tolerance`` (= ``early_stop_threshold``), ``spherical``, ``seed``.

``early_stop_threshold`` / ``tolerance``: a run stops once the objective
changes by at most this fraction between two iterations. At 0, the default,
it stops only when the objective no longer changes at all, as faiss 1.15
does; the assignment is then stable and further iterations would repeat it,
so the centroids are those of a run that never stops. A negative value runs
every iteration.

Defaults are faiss's. ``seed=None`` means the default seed (1234); a
negative seed draws one from the clock, as in faiss. Unknown names raise
``TypeError`` in the constructor and ``AttributeError`` on assignment.
"""

from __future__ import annotations

import operator

import numpy as np

from .errors import InputTypeError, InvalidArgumentError
from ._typing import Any, Optional

# faiss name -> (kind, default, smallest allowed value)
_FIELDS = {
    "niter": ("int", 25, 0),
    "nredo": ("int", 1, 1),
    "verbose": ("bool", False, None),
    "spherical": ("bool", False, None),
    "int_centroids": ("bool", False, None),
    "update_index": ("bool", False, None),
    "frozen_centroids": ("bool", False, None),
    "min_points_per_centroid": ("int", 39, 0),
    "max_points_per_centroid": ("int", 256, 1),
    "seed": ("seed", 1234, None),
    "decode_block_size": ("int", 32768, 1),
    "check_input_data_for_NaNs": ("bool", True, None),
    "early_stop_threshold": ("float", 0.0, None),
    "init_method": ("int", 0, 0),
    "afkmc2_chain_length": ("int", 50, 1),
}

_SWIFT = {
    "is_verbose": "verbose",
    "is_spherical": "spherical",
    "should_round_centroids_to_int": "int_centroids",
    "should_update_index": "update_index",
    "should_froze_centroids": "frozen_centroids",
    "should_freeze_centroids": "frozen_centroids",
}
_CAMEL = {
    "isVerbose": "verbose",
    "isSpherical": "spherical",
    "shouldRoundCentroidsToInt": "int_centroids",
    "shouldUpdateIndex": "update_index",
    "shouldFrozeCentroids": "frozen_centroids",
    "minPointsPerCentroid": "min_points_per_centroid",
    "maxPointsPerCentroid": "max_points_per_centroid",
    "decodeBlockSize": "decode_block_size",
}
_CLASSKIT = {"max_iterations": "niter", "tolerance": "early_stop_threshold"}

ALIASES = {**_SWIFT, **_CAMEL, **_CLASSKIT}

_INT32_MAX = 2**31 - 1


def canonical_name(name: str) -> Optional[str]:
    """The faiss field a parameter name stands for (metalfaiss only).

    Parameters
    ----------
    name : str
        faiss's, SwiftFaiss's or ClassKit's name.

    Returns
    -------
    str or None
        faiss's field name, or None for an unknown name.
    """
    if name in _FIELDS:
        return name
    return ALIASES.get(name)


class ClusteringParameters:
    """k-means settings under faiss's, SwiftFaiss's and ClassKit's names (faiss: ``ClusteringParameters``).

    ``ClusteringParameters(max_iterations=20)`` (ClassKit),
    ``ClusteringParameters(niter=20)`` (faiss) and
    ``ClusteringParameters(is_spherical=True)`` (SwiftFaiss) set the same
    fields; attributes read and write under every name. Defaults are faiss's.

    Parameters
    ----------
    *args
        None: positional arguments raise TypeError (the names are the point).
    **kwargs
        Any field by any of its names: ``niter`` / ``max_iterations`` (25),
        ``nredo`` (1), ``verbose``, ``spherical``, ``int_centroids``,
        ``update_index``, ``frozen_centroids``, ``min_points_per_centroid``
        (39), ``max_points_per_centroid`` (256), ``seed`` (1234; None: the
        default; negative: from the clock), ``decode_block_size``,
        ``check_input_data_for_NaNs``, ``early_stop_threshold`` /
        ``tolerance`` (0: stop when the objective stops changing; negative:
        every iteration runs), ``init_method``, ``afkmc2_chain_length``.

    Raises
    ------
    TypeError
        A positional argument or an unknown name.
    InvalidArgumentError
        A value below the field's smallest (niter < 0, nredo < 1, ...).
    InputTypeError
        A value of the wrong type.
    """

    __slots__ = tuple(_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args:
            raise TypeError(
                "ClusteringParameters takes keyword arguments only, e.g. "
                "ClusteringParameters(niter=20) or ClusteringParameters(max_iterations=20)"
            )
        for name, (_, default, _) in _FIELDS.items():
            object.__setattr__(self, name, default)
        seen = {}
        for name, value in kwargs.items():
            field = canonical_name(name)
            if field is None:
                raise TypeError(f"ClusteringParameters: unknown parameter {name!r}; known: {', '.join(known_names())}")
            if field in seen:
                raise TypeError(f"ClusteringParameters: {name!r} and {seen[field]!r} both set {field}")
            seen[field] = name
            setattr(self, name, value)

    def __setattr__(self, name, value):
        field = canonical_name(name)
        if field is None:
            raise AttributeError(f"ClusteringParameters has no parameter {name!r}")
        object.__setattr__(self, field, _check(field, name, value))

    def __getattr__(self, name):  # only reached for aliases
        field = ALIASES.get(name)
        if field is None:
            raise AttributeError(f"ClusteringParameters has no parameter {name!r}")
        return getattr(self, field)

    def as_dict(self) -> Any:
        """The faiss fields and their values."""
        return {name: getattr(self, name) for name in _FIELDS}

    def copy(self) -> Any:
        """A copy of the parameters."""
        return ClusteringParameters(**self.as_dict())

    def __eq__(self, other):
        return isinstance(other, ClusteringParameters) and self.as_dict() == other.as_dict()

    def __repr__(self) -> str:
        changed = [f"{k}={v!r}" for k, v in self.as_dict().items() if v != _FIELDS[k][1]]
        return f"ClusteringParameters({', '.join(changed)})"

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(ALIASES))


def known_names() -> list[str]:
    """Every parameter name ClusteringParameters accepts (metalfaiss only).

    Returns
    -------
    list of str
        faiss's names and the SwiftFaiss / ClassKit aliases.
    """
    return list(_FIELDS) + list(ALIASES)


def _check(field, name, value):
    kind, default, least = _FIELDS[field]
    op = f"ClusteringParameters.{name}"
    if kind == "bool":
        if isinstance(value, (bool, np.bool_)) or (_is_int(value) and operator.index(value) in (0, 1)):
            return bool(value)
        raise InputTypeError(f"{op}: expected True or False, got {value!r}")
    if kind == "float":
        if isinstance(value, (bool, np.bool_, str, bytes)):
            raise InputTypeError(f"{op}: expected a number, got {value!r}")
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise InputTypeError(f"{op}: expected a number, got {value!r}") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise InvalidArgumentError(f"{op}: must be a finite number, got {value}")
        return value
    if kind == "seed" and value is None:
        return default
    if not _is_int(value):
        raise InputTypeError(f"{op}: expected an integer, got {value!r}")
    value = operator.index(value)
    if kind == "seed":  # a C int in faiss
        if not -(2**31) <= value <= _INT32_MAX:
            raise InvalidArgumentError(f"{op}: {value} does not fit in 32 bits")
        return value
    if not least <= value <= _INT32_MAX:
        raise InvalidArgumentError(f"{op}: must be between {least} and {_INT32_MAX}, got {value}")
    return value


def _is_int(value):
    if isinstance(value, bool):
        return False
    try:
        operator.index(value)
    except TypeError:
        return False
    return True
