"""Metric types with faiss's numbers, names and METRIC_* constants."""

from __future__ import annotations

import enum

from .errors import InputTypeError, InvalidArgumentError
from ._typing import Any


class MetricType(enum.IntEnum):
    """The distance of an index (faiss: ``MetricType``).

    ``int(MetricType.L2) == METRIC_L2 == 1``. Convert with
    ``MetricType.parse(value)`` from a member, a faiss integer or a name such
    as ``"L2"``, ``"inner_product"``, ``"METRIC_Linf"`` or ``"ip"``;
    ``str(m)`` gives the name back. Flat indexes take every metric; the
    others L2 and inner product (and what faiss's take).
    """

    INNER_PRODUCT = 0
    L2 = 1
    L1 = 2
    LINF = 3
    LP = 4
    CANBERRA = 20
    BRAY_CURTIS = 21
    JENSEN_SHANNON = 22
    JACCARD = 23
    NAN_EUCLIDEAN = 24
    GOWER = 25

    def __str__(self) -> str:
        return self.name

    @property
    def faiss_name(self) -> Any:
        """The faiss constant name, e.g. ``"METRIC_Linf"``."""
        return _FAISS_NAMES[self]

    @classmethod
    def parse(cls, value: Any) -> Any:
        """The MetricType of a faiss metric number, a MetricType or a name ("L2", "IP", ...)."""
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            key = value.strip().upper().replace("-", "_")
            key = key[len("METRIC_"):] if key.startswith("METRIC_") else key
            key = _ALIASES.get(key, key)
            try:
                return cls[key]
            except KeyError:
                raise InvalidArgumentError(f"MetricType: unknown metric name {value!r}") from None
        if isinstance(value, bool) or not hasattr(value, "__index__"):
            raise InputTypeError(f"MetricType: expected a MetricType, int or str, got {type(value).__name__}")
        try:
            return cls(int(value))
        except ValueError:
            raise InvalidArgumentError(f"MetricType: unknown metric number {int(value)}") from None


_ALIASES = {"IP": "INNER_PRODUCT", "BRAYCURTIS": "BRAY_CURTIS", "JENSENSHANNON": "JENSEN_SHANNON", "L_INF": "LINF",
            "NANEUCLIDEAN": "NAN_EUCLIDEAN"}
_FAISS_NAMES = {
    MetricType.INNER_PRODUCT: "METRIC_INNER_PRODUCT",
    MetricType.L2: "METRIC_L2",
    MetricType.L1: "METRIC_L1",
    MetricType.LINF: "METRIC_Linf",
    MetricType.LP: "METRIC_Lp",
    MetricType.CANBERRA: "METRIC_Canberra",
    MetricType.BRAY_CURTIS: "METRIC_BrayCurtis",
    MetricType.JENSEN_SHANNON: "METRIC_JensenShannon",
    MetricType.JACCARD: "METRIC_Jaccard",
    MetricType.NAN_EUCLIDEAN: "METRIC_NaNEuclidean",
    MetricType.GOWER: "METRIC_GOWER",
}

# faiss exposes plain ints; so do we.
METRIC_INNER_PRODUCT = int(MetricType.INNER_PRODUCT)
METRIC_L2 = int(MetricType.L2)
METRIC_L1 = int(MetricType.L1)
METRIC_Linf = int(MetricType.LINF)
METRIC_Lp = int(MetricType.LP)
METRIC_Canberra = int(MetricType.CANBERRA)
METRIC_BrayCurtis = int(MetricType.BRAY_CURTIS)
METRIC_JensenShannon = int(MetricType.JENSEN_SHANNON)
METRIC_Jaccard = int(MetricType.JACCARD)
METRIC_NaNEuclidean = int(MetricType.NAN_EUCLIDEAN)
METRIC_GOWER = int(MetricType.GOWER)
