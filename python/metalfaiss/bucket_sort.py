"""faiss's sorting helpers from its building blocks: ``bucket_sort`` (the
positions of each value of a table, grouped by value), its in-place
matrix form, and ``MapLong2Long`` (an int64 -> int64 map searched many keys
at a time). numpy's stable sorts do the work."""

from __future__ import annotations

import numpy as np

from ._arrays import as_int
from .errors import InputTypeError, InvalidArgumentError
from ._typing import Any, ArrayLike, Int64Array, Optional


def _table(tab, op, ndim):
    tab = np.asarray(tab)
    if tab.ndim != ndim or not np.issubdtype(tab.dtype, np.integer):
        raise InputTypeError(f"{op}: expected a {ndim}-D integer array, got {tab.ndim}-D {tab.dtype}")
    return tab


def _nbucket(tab, nbucket, op):
    if nbucket is None:
        return int(tab.max()) + 1 if tab.size else 0
    nbucket = as_int(nbucket, op, "nbucket")
    if tab.size and int(tab.max()) >= nbucket:
        raise InvalidArgumentError(f"{op}: the table holds {int(tab.max())}, outside 0..nbucket-1={nbucket - 1}")
    return nbucket


def bucket_sort(tab: ArrayLike, nbucket: Optional[int] = None, nt: int = 0) -> tuple[Int64Array, Int64Array]:
    """The positions of each value of an integer array, grouped by value (faiss: ``bucket_sort``).

    Parameters
    ----------
    tab : (n,) integer array
        Values; those below 0 are left out.
    nbucket : int, optional
        Number of buckets (default max(tab) + 1).
    nt : int
        faiss's thread count (accepted; changes nothing).

    Returns
    -------
    lims : (nbucket + 1,) int64 ndarray
        Bucket b's positions are perm[lims[b]:lims[b + 1]].
    perm : int64 ndarray
        The positions of tab holding each value, in increasing order.

    Raises
    ------
    InputTypeError
        tab is not a 1-d integer array.
    InvalidArgumentError
        A value at or above nbucket.
    """
    op = "bucket_sort"
    tab = _table(tab, op, 1)
    nbucket = _nbucket(tab, nbucket, op)
    as_int(nt, op, "nt")
    keep = np.flatnonzero(tab >= 0)
    perm = keep[np.argsort(tab[keep], kind="stable")].astype(np.int64)
    lims = np.searchsorted(tab[perm], np.arange(nbucket + 1), side="left").astype(np.int64)
    return lims, perm


def matrix_bucket_sort_inplace(tab: Any, nbucket: Optional[int] = None, nt: int = 0) -> Any:
    """Group a table's rows by the values they hold, in place (faiss: ``matrix_bucket_sort_inplace``).

    The (nrow, ncol) table is overwritten (flattened) with the rows holding
    each value, bucket after bucket; values below 0 are left out (the tail is
    then -1).

    Parameters
    ----------
    tab : (nrow, ncol) integer ndarray
        The table, C-contiguous and writable.
    nbucket : int, optional
        Number of buckets (default max + 1).
    nt : int
        faiss's thread count (accepted).

    Returns
    -------
    (nbucket + 1,) int64 ndarray
        The rows of bucket b are tab.ravel()[lims[b]:lims[b + 1]].

    Raises
    ------
    InputTypeError
        tab is not a 2-d integer array.
    InvalidArgumentError
        tab is not writable and contiguous, or holds a value at or above
        nbucket.
    """
    op = "matrix_bucket_sort_inplace"
    tab = _table(tab, op, 2)
    if not tab.flags.c_contiguous or not tab.flags.writeable:
        raise InvalidArgumentError(f"{op}: the table must be a writable C-contiguous array")
    nbucket = _nbucket(tab, nbucket, op)
    lims, perm = bucket_sort(tab.ravel(), nbucket, nt)
    flat = tab.reshape(-1)
    rows = perm // tab.shape[1]
    flat[:rows.shape[0]] = rows
    flat[rows.shape[0]:] = -1
    return lims


class _SortedMap:
    """int64 keys to int64 values, kept as sorted arrays: a batch of keys
    is looked up with one binary search (-1 for the absent ones)."""

    def __init__(self) -> None:
        self._keys = np.zeros(0, dtype=np.int64)
        self._vals = np.zeros(0, dtype=np.int64)

    def _add(self, keys, vals, op):
        keys, vals = np.asarray(keys, dtype=np.int64).ravel(), np.asarray(vals, dtype=np.int64).ravel()
        if keys.shape != vals.shape:
            raise InvalidArgumentError(f"{op}: {keys.shape[0]} keys for {vals.shape[0]} values")
        # later values win, as in a hash table: keep each key's last
        allk, allv = np.concatenate([self._keys, keys]), np.concatenate([self._vals, vals])
        rev = np.argsort(allk[::-1], kind="stable")
        uk, first = np.unique(allk[::-1][rev], return_index=True)
        self._keys, self._vals = uk, allv[::-1][rev][first]

    def _lookup(self, keys):
        keys = np.asarray(keys, dtype=np.int64).ravel()
        at = np.minimum(np.searchsorted(self._keys, keys), max(self._keys.shape[0] - 1, 0))
        if self._keys.shape[0] == 0:
            return np.full(keys.shape[0], -1, dtype=np.int64)
        return np.where(self._keys[at] == keys, self._vals[at], -1).astype(np.int64)


class MapLong2Long(_SortedMap):
    """An int64 -> int64 map searched many keys at a time (faiss: ``MapLong2Long``).

    ``add(keys, vals)``, ``search(key)`` (-1 when absent) and
    ``search_multiple(keys)``.
    """

    def add(self, keys: ArrayLike, vals: ArrayLike) -> None:
        """Insert the key -> value pairs (keys, vals)."""
        self._add(keys, vals, "MapLong2Long.add")

    def search(self, key: int) -> int:
        """The value of key (-1 where absent)."""
        return int(self._lookup([as_int(key, "MapLong2Long.search", "key")])[0])

    def search_multiple(self, keys: ArrayLike) -> Any:
        """The value of each key (-1 where absent)."""
        return self._lookup(keys)


class MapInt64ToInt64(_SortedMap):
    """A map of at most capacity int64 keys (faiss: ``MapInt64ToInt64``).

    ``add(keys, vals)``, ``lookup(keys)`` (-1 for absent keys).

    Parameters
    ----------
    capacity : int
        Most keys.
    """

    def __init__(self, capacity: Any) -> None:
        super().__init__()
        self.capacity = as_int(capacity, "MapInt64ToInt64", "capacity")
        if self.capacity <= 0:
            raise InvalidArgumentError(f"MapInt64ToInt64: capacity must be positive, got {self.capacity}")

    def add(self, keys: ArrayLike, vals: ArrayLike) -> None:
        """Insert the key -> value pairs (keys, vals)."""
        before = (self._keys, self._vals)
        self._add(keys, vals, "MapInt64ToInt64.add")
        if self._keys.shape[0] > self.capacity:
            n = self._keys.shape[0]
            self._keys, self._vals = before
            raise InvalidArgumentError(f"MapInt64ToInt64.add: {n} keys exceed the capacity {self.capacity}")

    def lookup(self, keys: ArrayLike) -> Any:
        """The value of each key (-1 where absent)."""
        return self._lookup(keys)
