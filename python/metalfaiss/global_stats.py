"""``faiss.cvar``: faiss's global variables. The search statistics
(``indexIVF_stats``, ``hnsw_stats``, ``indexBinaryHash_stats``,
``indexPQ_stats``, ``indexPanorama_stats``) are counted by the Go core, summed
over every search since their ``reset()``; ``indexIVF_stats.ndis`` counts
the distances actually computed, so entries a selector leaves out are not
in it.

faiss's BLAS knobs (``distance_compute_blas_threshold``,
``distance_compute_blas_query_bs``, ``distance_compute_blas_database_bs``,
``distance_compute_min_k_reservoir``) choose when and in which blocks
faiss's brute-force search calls BLAS. metalfaiss has no BLAS path: its
kernels pick their own blocking (core/knn.go), and results do not depend on
these values. They are kept, and validated, so that scripts which set and
restore them run unchanged."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from .errors import InvalidArgumentError
from ._typing import Any


class IndexIVFStats:
    """Counters of the IVF searches since the last reset (faiss: ``IndexIVFStats``).

    ``cvar.indexIVF_stats``: nq, nlist (lists visited), ndis (distances
    computed), quantization_time and search_time (ms), read from the Go core;
    ``reset()`` sets them to zero. Searches of every thread add to them.
    """

    def _read(self):
        counts, times = np.zeros(3, np.int64), np.zeros(2, np.float64)
        _bridge.call("IVFStatsGet", addr(counts), addr(times))
        return counts, times

    nq = property(lambda self: int(self._read()[0][0]), doc="Queries searched.")
    nlist = property(lambda self: int(self._read()[0][1]), doc="Lists visited.")
    ndis = property(lambda self: int(self._read()[0][2]), doc="Codes compared.")
    quantization_time = property(lambda self: float(self._read()[1][0]), doc="Milliseconds in the coarse quantizer.")
    search_time = property(lambda self: float(self._read()[1][1]), doc="Milliseconds scanning lists.")

    def reset(self) -> None:
        """Set every counter to 0."""
        _bridge.call("IVFStatsReset")

    def __repr__(self) -> str:
        return f"IndexIVFStats(nq={self.nq}, nlist={self.nlist}, ndis={self.ndis})"


class HNSWStats:
    """Counters of the HNSW searches since the last reset (faiss: ``HNSWStats``).

    ``cvar.hnsw_stats``: n1 (queries), n2 (queries whose candidate queue ran
    empty), ndis (distances computed) and nhops (candidates expanded) on
    level 0, read from the Go core; ``reset()`` sets them to zero.
    """

    def _read(self):
        out = np.zeros(4, np.int64)
        _bridge.call("HNSWStatsGet", addr(out))
        return out

    n1 = property(lambda self: int(self._read()[0]), doc="Vectors (queries) searched.")
    n2 = property(lambda self: int(self._read()[1]), doc="Queries whose candidate list ran out.")
    ndis = property(lambda self: int(self._read()[2]), doc="Distances computed.")
    nhops = property(lambda self: int(self._read()[3]), doc="Graph edges followed.")

    def reset(self) -> None:
        """Set every counter to 0."""
        _bridge.call("HNSWStatsReset")

    def __repr__(self) -> str:
        return f"HNSWStats(n1={self.n1}, n2={self.n2}, ndis={self.ndis}, nhops={self.nhops})"


class IndexBinaryHashStats:
    """Counters of the binary hash searches since the last reset (faiss: ``IndexBinaryHashStats``).

    ``cvar.indexBinaryHash_stats``: nq, n0 (empty buckets met; for a
    multi-hash, keys with no bucket), nlist (buckets scanned) and ndis
    (distances computed), read from the Go core.
    """

    def _read(self):
        out = np.zeros(4, np.int64)
        _bridge.call("BinaryHashStatsGet", addr(out))
        return out

    nq = property(lambda self: int(self._read()[0]), doc="Queries searched.")
    n0 = property(lambda self: int(self._read()[1]), doc="Buckets probed that were empty.")
    nlist = property(lambda self: int(self._read()[2]), doc="Non-empty buckets visited.")
    ndis = property(lambda self: int(self._read()[3]), doc="Codes compared.")

    def reset(self) -> None:
        """Set every counter to 0."""
        _bridge.call("BinaryHashStatsReset")

    def __repr__(self) -> str:
        return f"IndexBinaryHashStats(nq={self.nq}, n0={self.n0}, nlist={self.nlist}, ndis={self.ndis})"


class IndexPQStats:
    """Counters of the IndexPQ searches since the last reset (faiss: ``IndexPQStats``).

    ``cvar.indexPQ_stats``: nq, ncode (codes considered) and n_hamming_pass
    (codes that passed a polysemous filter), from the Go core.
    """

    def _read(self):
        out = np.zeros(3, np.int64)
        _bridge.call("PQStatsGet", addr(out))
        return out

    nq = property(lambda self: int(self._read()[0]), doc="Queries searched.")
    ncode = property(lambda self: int(self._read()[1]), doc="Codes compared.")
    n_hamming_pass = property(lambda self: int(self._read()[2]), doc="Codes that passed the polysemous Hamming filter.")

    def reset(self) -> None:
        """Set every counter to 0."""
        _bridge.call("PQStatsReset")

    def __repr__(self) -> str:
        return f"IndexPQStats(nq={self.nq}, ncode={self.ncode}, n_hamming_pass={self.n_hamming_pass})"


class PanoramaStats:
    """Counters of the Panorama searches since the last reset (faiss: ``PanoramaStats``).

    ``cvar.indexPanorama_stats``: total_dims (of the vectors Panorama
    searches considered), total_dims_scanned (those measured before a vector
    was dropped or kept) and their ratio, from the Go core.
    """

    def _read(self):
        out = np.zeros(2, np.int64)
        _bridge.call("PanoramaStatsGet", addr(out))
        return out

    total_dims = property(lambda self: int(self._read()[0]), doc="Dimensions that a full scan would have read.")
    total_dims_scanned = property(lambda self: int(self._read()[1]), doc="Dimensions read.")

    @property
    def ratio_dims_scanned(self) -> Any:
        """total_dims_scanned / total_dims (1 when nothing was scanned)."""
        total, scanned = self._read()
        return float(scanned) / float(total) if total else 1.0

    def reset(self) -> None:
        """Set every counter to 0."""
        _bridge.call("PanoramaStatsReset")

    def __repr__(self) -> str:
        return f"PanoramaStats(total_dims={self.total_dims}, total_dims_scanned={self.total_dims_scanned})"


_BLAS_KNOBS = {
    "distance_compute_blas_threshold": 20,
    "distance_compute_blas_query_bs": 4096,
    "distance_compute_blas_database_bs": 1024,
    "distance_compute_min_k_reservoir": 100,
    # bucket_sort's progress printing (metalfaiss's sorts print nothing)
    "bucket_sort_verbose": 0,
}


class _GlobalVariables:
    """The object behind ``faiss.cvar``."""

    def __init__(self) -> None:
        object.__setattr__(self, "indexIVF_stats", IndexIVFStats())
        object.__setattr__(self, "hnsw_stats", HNSWStats())
        object.__setattr__(self, "indexBinaryHash_stats", IndexBinaryHashStats())
        object.__setattr__(self, "indexPQ_stats", IndexPQStats())
        object.__setattr__(self, "indexPanorama_stats", PanoramaStats())
        object.__setattr__(self, "_knobs", dict(_BLAS_KNOBS))

    def __getattr__(self, name):
        knobs = object.__getattribute__(self, "_knobs")
        if name in knobs:
            return knobs[name]
        raise AttributeError(f"faiss.cvar has no variable {name!r} in metalfaiss")

    def __setattr__(self, name, value):
        if name not in self._knobs:
            raise AttributeError(f"faiss.cvar.{name} cannot be set in metalfaiss")
        value = as_int(value, f"cvar.{name}", name)
        if value < 0:
            raise InvalidArgumentError(f"cvar.{name} must be >= 0, got {value}")
        self._knobs[name] = value

    def __dir__(self):
        return ["indexIVF_stats", "hnsw_stats", "indexBinaryHash_stats", "indexPQ_stats", "indexPanorama_stats",
                *self._knobs]


cvar = _GlobalVariables()
