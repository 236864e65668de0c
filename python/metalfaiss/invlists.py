"""faiss's inverted-list objects. ``InvertedLists`` is what they share:
nlist lists of entries, each an int64 id and a code of ``code_size`` bytes
(for IVFFlat, the vector's float32 bytes). ``ArrayInvertedLists`` holds
lists in memory, to fill entry by entry and give to an index with
``replace_invlists`` or ivflib's ``set_invlist_range``; ``SliceInvertedLists``,
``VStackInvertedLists`` and ``HStackInvertedLists`` are read-only views
combining others. An index's own lists are ``index.invlists``.

An index given lists by ``replace_invlists`` copies them: later edits of
the ArrayInvertedLists do not reach it (faiss's index would refer to them)."""

from __future__ import annotations

import numpy as np

from ._arrays import as_int
from .errors import DimensionMismatchError, InputTypeError, InvalidArgumentError, UnsupportedOperationError
from ._typing import Any, ArrayLike, Int64Array, Optional, UInt8Array


def entry_arrays(op: Any, n: int, ids: ArrayLike, codes: ArrayLike, code_size: int) -> Any:
    """Inverted-list entries from pointers or arrays, checked (metalfaiss only; internal).

    n ids (int64) and n*code_size code bytes (uint8) from swig_ptr
    pointers or numpy arrays, checked to hold that many.

    Parameters
    ----------
    op : str
        The operation, for error messages.
    n : int
        Entries.
    ids : swig_ptr or int64 array
        Their ids.
    codes : swig_ptr or uint8 array
        Their codes.
    code_size : int
        Bytes per code.

    Returns
    -------
    ids, codes
        int64 and uint8 arrays of n and n * code_size values.
    """
    from .swig_pointers import SwigPtr, as_bytes, region

    n = as_int(n, op, "n_entry")
    if n < 0:
        raise InvalidArgumentError(f"{op}: n_entry must be >= 0, got {n}")
    if isinstance(ids, SwigPtr):
        ids = region(ids, np.int64, n, op, "ids")
    ids = np.asarray(ids)
    if ids.dtype != np.int64 or ids.ndim > 1 or ids.size < n:
        raise InvalidArgumentError(f"{op}: ids must hold {n} int64 values, got {ids.size} of {ids.dtype}")
    if isinstance(codes, SwigPtr):
        codes = as_bytes(codes, op, "code")
    elif isinstance(codes, np.ndarray):
        codes = np.ascontiguousarray(codes).reshape(-1).view(np.uint8)
    else:
        raise InputTypeError(f"{op}: code must be a swig_ptr or a numpy array, got {type(codes).__name__}")
    if codes.size < n * code_size:
        raise InvalidArgumentError(f"{op}: code must hold {n * code_size} bytes ({n} codes of {code_size}), "
                                   f"it holds {codes.size}")
    return np.ascontiguousarray(ids[:n]), np.ascontiguousarray(codes[:n * code_size])


class InvertedLists:
    """The read interface of every inverted-list object (faiss: ``InvertedLists``).

    ``list_size(l)``, ``get_ids(l)`` (int64), ``get_codes(l)`` (uint8,
    list_size * code_size), ``get_single_id`` / ``get_single_code``,
    ``compute_ntotal()``, ``imbalance_factor()``; the writable kinds add
    ``add_entries``, ``update_entries``, ``resize``. An IVF index's
    ``invlists`` is one; ``replace_invlists`` gives an index others.

    Attributes
    ----------
    nlist : int
        Number of lists.
    code_size : int
        Bytes per entry's code.
    """

    nlist = 0
    code_size = 0

    def _check(self, list_no, method):
        l = as_int(list_no, f"{type(self).__name__}.{method}", "list_no")
        if not 0 <= l < self.nlist:
            raise InvalidArgumentError(f"{type(self).__name__}.{method}: list {l} is outside 0..{self.nlist - 1}")
        return l

    def get_ids(self, list_no: int) -> Int64Array:
        """The ids of a list (int64, a copy, in the order added)."""
        return self._list(self._check(list_no, "get_ids"))[0]

    def get_codes(self, list_no: int) -> UInt8Array:
        """The codes of a list, list_size * code_size bytes (uint8, a copy)."""
        return self._list(self._check(list_no, "get_codes"))[1]

    def get_single_id(self, list_no: int, offset: int) -> int:
        """The id of entry offset of list list_no."""
        ids = self.get_ids(list_no)
        return int(ids[self._offset(offset, ids.shape[0], "get_single_id")])

    def get_single_code(self, list_no: int, offset: int) -> UInt8Array:
        """The code of entry offset of list list_no (code_size uint8)."""
        codes = self.get_codes(list_no).reshape(-1, self.code_size)
        return codes[self._offset(offset, codes.shape[0], "get_single_code")].copy()

    def _offset(self, offset, size, method):
        o = as_int(offset, f"{type(self).__name__}.{method}", "offset")
        if not 0 <= o < size:
            raise InvalidArgumentError(f"{type(self).__name__}.{method}: offset {o} is outside the list's {size} entries")
        return o

    def compute_ntotal(self) -> int:
        """Entries over all lists."""
        return sum(self.list_size(l) for l in range(self.nlist))

    def imbalance_factor(self) -> float:
        """nlist * sum(size^2) / ntotal^2: 1 when the lists are equally full."""
        sizes = np.array([self.list_size(l) for l in range(self.nlist)], dtype=np.float64)
        tot = sizes.sum()
        return 0.0 if tot == 0 else float((sizes ** 2).sum() * self.nlist / tot ** 2)

    def prefetch_lists(self, list_nos: Any, nlist: Optional[int] = None) -> None:
        """Nothing to prefetch: the lists are in memory or mapped."""

    def _read_only(self, method):
        raise UnsupportedOperationError(f"{type(self).__name__}.{method}: these lists are read-only")

    def add_entries(self, list_no: int, n_entry: int, ids: Any, code: Any) -> int:
        """Append n_entry entries (ids, codes) to list list_no; return the offset of the first."""
        self._read_only("add_entries")

    def update_entries(self, list_no: int, offset: int, n_entry: int, ids: Any, code: Any) -> None:
        """Overwrite n_entry entries of list list_no from offset on."""
        self._read_only("update_entries")

    def resize(self, list_no: int, new_size: int) -> None:
        """Cut list list_no to new_size entries, or grow it (new entries undefined)."""
        self._read_only("resize")

    def add_entry(self, list_no: int, theid: int, code: ArrayLike) -> int:
        """Append one entry; returns its offset."""
        return self.add_entries(list_no, 1, np.array([theid], dtype=np.int64), code)

    def update_entry(self, list_no: int, offset: int, id: Any, code: Any) -> None:
        """Overwrite entry offset of list list_no."""
        self.update_entries(list_no, offset, 1, np.array([id], dtype=np.int64), code)

    def reset(self) -> None:
        """Empty every list."""
        for l in range(self.nlist):
            self.resize(l, 0)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} nlist={self.nlist} code_size={self.code_size}>"


class ArrayInvertedLists(InvertedLists):
    """Inverted lists held in memory (faiss: ``ArrayInvertedLists``).

    Writable: ``add_entries``, ``update_entries``, ``resize``,
    ``permute_invlists``.

    Parameters
    ----------
    nlist : int
        Number of lists (empty at first).
    code_size : int
        Bytes per entry's code.

    Raises
    ------
    InvalidArgumentError
        nlist below 0 or code_size below 1.
    """

    def __init__(self, nlist: int, code_size: int) -> None:
        op = "ArrayInvertedLists"
        self.nlist, self.code_size = as_int(nlist, op, "nlist"), as_int(code_size, op, "code_size")
        if self.nlist < 0 or self.code_size <= 0:
            raise InvalidArgumentError(f"{op}: need nlist >= 0 and code_size > 0, got {self.nlist}, {self.code_size}")
        # per list: ids and codes with spare room, and how many are used
        self._ids = [np.zeros(0, dtype=np.int64) for _ in range(self.nlist)]
        self._codes = [np.zeros(0, dtype=np.uint8) for _ in range(self.nlist)]
        self._sizes = np.zeros(self.nlist, dtype=np.int64)

    def list_size(self, list_no: int) -> int:
        """Entries in list list_no."""
        return int(self._sizes[self._check(list_no, "list_size")])

    def _list(self, l):
        n = int(self._sizes[l])
        return self._ids[l][:n].copy(), self._codes[l][:n * self.code_size].copy()

    def _reserve(self, l, n):
        """Room for n entries in list l, doubling so that adding one entry
        at a time stays linear."""
        if n <= self._ids[l].shape[0]:
            return
        cap = max(n, 2 * self._ids[l].shape[0], 8)
        ids, codes = np.zeros(cap, dtype=np.int64), np.zeros(cap * self.code_size, dtype=np.uint8)
        ids[:self._ids[l].shape[0]] = self._ids[l]
        codes[:self._codes[l].shape[0]] = self._codes[l]
        self._ids[l], self._codes[l] = ids, codes

    def add_entries(self, list_no: int, n_entry: int, ids: Any, code: Any) -> int:
        """Append n_entry entries (ids: int64, code: n_entry * code_size
        bytes; pointers or arrays) to a list; returns the first's offset."""
        op = "ArrayInvertedLists.add_entries"
        l = self._check(list_no, "add_entries")
        ids, codes = entry_arrays(op, n_entry, ids, code, self.code_size)
        o = int(self._sizes[l])
        n = ids.shape[0]
        self._reserve(l, o + n)
        self._ids[l][o:o + n] = ids
        self._codes[l][o * self.code_size:(o + n) * self.code_size] = codes
        self._sizes[l] = o + n
        return o

    def update_entries(self, list_no: int, offset: int, n_entry: int, ids: Any, code: Any) -> None:
        """Overwrite n_entry entries of list list_no from offset on."""
        op = "ArrayInvertedLists.update_entries"
        l = self._check(list_no, "update_entries")
        ids, codes = entry_arrays(op, n_entry, ids, code, self.code_size)
        o, n = as_int(offset, op, "offset"), ids.shape[0]
        if o < 0 or o + n > self._sizes[l]:
            raise InvalidArgumentError(f"{op}: entries {o}..{o + n - 1} are outside list {l}, "
                                       f"which holds {int(self._sizes[l])}")
        self._ids[l][o:o + n] = ids
        self._codes[l][o * self.code_size:(o + n) * self.code_size] = codes

    def resize(self, list_no: int, new_size: int) -> None:
        """Truncate a list, or pad it with entries of id -1 and zero codes."""
        op = "ArrayInvertedLists.resize"
        l = self._check(list_no, "resize")
        n = as_int(new_size, op, "new_size")
        if n < 0:
            raise InvalidArgumentError(f"{op}: new_size must be >= 0, got {n}")
        old = int(self._sizes[l])
        self._reserve(l, n)
        if n > old:
            self._ids[l][old:n] = -1
            self._codes[l][old * self.code_size:n * self.code_size] = 0
        self._sizes[l] = n

    def permute_invlists(self, perm: ArrayLike) -> None:
        """The new list i is the old perm[i]."""
        perm = np.asarray(perm, dtype=np.int64).reshape(-1)
        if sorted(perm.tolist()) != list(range(self.nlist)):
            raise InvalidArgumentError("ArrayInvertedLists.permute_invlists: perm is not a permutation of 0..nlist-1")
        self._ids = [self._ids[p] for p in perm]
        self._codes = [self._codes[p] for p in perm]
        self._sizes = self._sizes[perm]


class SliceInvertedLists(InvertedLists):
    """A read-only range of another object's lists (faiss: ``SliceInvertedLists``).

    Parameters
    ----------
    il : InvertedLists
        The lists.
    i0 : int
        First list.
    i1 : int
        One past the last list.

    Raises
    ------
    InputTypeError
        il is not inverted lists.
    InvalidArgumentError
        The range is not within 0..il.nlist.
    """

    def __init__(self, il: Any, i0: int, i1: Any) -> None:
        op = "SliceInvertedLists"
        _check_lists(op, [il])
        self.il, self.i0, self.i1 = il, as_int(i0, op, "i0"), as_int(i1, op, "i1")
        if not 0 <= self.i0 <= self.i1 <= il.nlist:
            raise InvalidArgumentError(f"{op}: need 0 <= i0 <= i1 <= nlist={il.nlist}, got {self.i0}, {self.i1}")
        self.nlist, self.code_size = self.i1 - self.i0, il.code_size

    def list_size(self, list_no: int) -> int:
        """Entries in list list_no of the slice (list i0 + list_no of the source)."""
        return self.il.list_size(self._check(list_no, "list_size") + self.i0)

    def _list(self, l):
        return self.il.get_ids(l + self.i0), self.il.get_codes(l + self.i0)


def _check_lists(op, ils):
    for il in ils:
        if not all(hasattr(il, a) for a in ("nlist", "code_size", "list_size", "get_ids", "get_codes")):
            raise InputTypeError(f"{op}: expected inverted lists, got {type(il).__name__}")
    if len({il.code_size for il in ils}) > 1:
        raise DimensionMismatchError(f"{op}: the lists have code sizes {[il.code_size for il in ils]}")


def _stack_args(op, n, ils):
    if ils is None:  # VStackInvertedLists(ils)
        n, ils = None, n
    ils = list(ils)
    if n is not None:
        ils = ils[:as_int(n, op, "nil")]
    if not ils:
        raise InvalidArgumentError(f"{op}: no inverted lists given")
    _check_lists(op, ils)
    return ils


class VStackInvertedLists(InvertedLists):
    """Several objects' lists one after another (faiss: ``VStackInvertedLists``).

    ``VStackInvertedLists(nil, ils)`` (faiss's form) or
    ``VStackInvertedLists(ils)``: the lists of ils[0], then those of ils[1],
    ...; nlist is their sum.

    Parameters
    ----------
    nil : int or sequence of InvertedLists
        How many of ils to use, or ils itself.
    ils : sequence of InvertedLists, optional
        The objects (with the same code size).

    Raises
    ------
    InputTypeError
        An element is not inverted lists.
    DimensionMismatchError
        The code sizes differ.
    """

    def __init__(self, nil: Any, ils: Any = None) -> None:
        self.ils = _stack_args("VStackInvertedLists", nil, ils)
        self.code_size = self.ils[0].code_size
        self.starts = np.cumsum([0] + [il.nlist for il in self.ils])
        self.nlist = int(self.starts[-1])

    def _locate(self, l):
        i = int(np.searchsorted(self.starts, l, side="right")) - 1
        return self.ils[i], l - int(self.starts[i])

    def list_size(self, list_no: int) -> int:
        """Entries in list list_no, found in the stacked lists by range."""
        il, l = self._locate(self._check(list_no, "list_size"))
        return il.list_size(l)

    def _list(self, l):
        il, l = self._locate(l)
        return il.get_ids(l), il.get_codes(l)


class HStackInvertedLists(InvertedLists):
    """Each list joined across several objects (faiss: ``HStackInvertedLists``).

    ``HStackInvertedLists(nil, ils)`` or ``HStackInvertedLists(ils)``: list
    l is list l of ils[0], then of ils[1], ... (all with the same nlist).

    Parameters
    ----------
    nil : int or sequence of InvertedLists
        How many of ils to use, or ils itself.
    ils : sequence of InvertedLists, optional
        The objects (with the same nlist and code size).

    Raises
    ------
    InputTypeError
        An element is not inverted lists.
    DimensionMismatchError
        The nlist or code sizes differ.
    """

    def __init__(self, nil: Any, ils: Any = None) -> None:
        op = "HStackInvertedLists"
        self.ils = _stack_args(op, nil, ils)
        if len({il.nlist for il in self.ils}) > 1:
            raise DimensionMismatchError(f"{op}: the lists have nlist {[il.nlist for il in self.ils]}")
        self.nlist, self.code_size = self.ils[0].nlist, self.ils[0].code_size

    def list_size(self, list_no: int) -> int:
        """Entries of list list_no over all stacked lists."""
        l = self._check(list_no, "list_size")
        return sum(il.list_size(l) for il in self.ils)

    def _list(self, l):
        return (np.concatenate([np.asarray(il.get_ids(l), dtype=np.int64) for il in self.ils]),
                np.concatenate([np.asarray(il.get_codes(l), dtype=np.uint8) for il in self.ils]))


class _ListView(InvertedLists):
    """Lists seen through a limit (the base of StopWordsInvertedLists and
    CappedInvertedLists): reads are limited, writes go to il itself. Given
    to an index by replace_invlists, a view of the index's own lists
    limits its searches and stays linked to them (adds reach both); a
    view of other lists copies them in first."""

    _kind = 0

    def __init__(self, il: Any, limit: Any, op: Any) -> None:
        _check_lists(op, [il])
        self.il, self.limit = il, as_int(limit, op, "limit")
        if self.limit < 0:
            raise InvalidArgumentError(f"{op}: the limit must be >= 0, got {self.limit}")
        self.nlist, self.code_size = il.nlist, il.code_size

    def real_list_size(self, list_no: int) -> int:
        """The size of the list in il (what the view hides included)."""
        return self.il.list_size(self._check(list_no, "real_list_size"))

    def _list(self, l):
        n = self.list_size(l)
        return self.il.get_ids(l)[:n], self.il.get_codes(l)[:n * self.code_size]

    def add_entries(self, list_no: int, n_entry: int, ids: Any, code: Any) -> int:
        return self.il.add_entries(list_no, n_entry, ids, code)

    def update_entries(self, list_no: int, offset: int, n_entry: int, ids: Any, code: Any) -> None:
        self.il.update_entries(list_no, offset, n_entry, ids, code)

    def resize(self, list_no: int, new_size: int) -> None:
        self.il.resize(list_no, new_size)


class StopWordsInvertedLists(_ListView):
    """Lists with the longest seen as empty (faiss: ``StopWordsInvertedLists``).

    The "stop words" of a text index. Reads are limited, writes go to il
    itself. Given to an index by replace_invlists, a view of the index's
    own lists limits its searches and stays linked to them (adds reach
    both); a view of other lists copies them in first.

    Parameters
    ----------
    il : InvertedLists
        The lists.
    maxsize : int
        Lists of this many entries or more are seen as empty.

    Raises
    ------
    InputTypeError
        il is not inverted lists.
    InvalidArgumentError
        maxsize below 0.
    """

    _kind = 1

    def __init__(self, il: Any, maxsize: Any) -> None:
        super().__init__(il, maxsize, "StopWordsInvertedLists")

    @property
    def maxsize(self) -> int:
        """Lists longer than this are seen as empty by searches."""
        return self.limit

    def list_size(self, list_no: int) -> int:
        """Entries of list list_no that searches see (0 above maxsize)."""
        n = self.il.list_size(self._check(list_no, "list_size"))
        return 0 if n >= self.limit else n


class CappedInvertedLists(_ListView):
    """Lists seen up to their first cap entries (faiss: ``CappedInvertedLists``).

    Reads are limited, writes go to il itself (see StopWordsInvertedLists
    for how an index uses such a view).

    Parameters
    ----------
    il : InvertedLists
        The lists.
    cap : int
        Entries of each list that searches see.

    Raises
    ------
    InputTypeError
        il is not inverted lists.
    InvalidArgumentError
        cap below 0.
    """

    _kind = 2

    def __init__(self, il: Any, cap: Any) -> None:
        super().__init__(il, cap, "CappedInvertedLists")

    @property
    def cap(self) -> int:
        """The most entries of a list that searches see."""
        return self.limit

    def list_size(self, list_no: int) -> int:
        """Entries of list list_no that searches see (at most cap)."""
        return min(self.il.list_size(self._check(list_no, "list_size")), self.limit)


def downcast_InvertedLists(il: InvertedLists) -> InvertedLists:
    """Inverted lists as their most specific class (faiss: ``downcast_InvertedLists``).

    They already are of their own class: the object itself is returned.

    Parameters
    ----------
    il : InvertedLists
        The lists.

    Returns
    -------
    InvertedLists
        il.

    Raises
    ------
    InputTypeError
        il is not inverted lists.
    """
    if not isinstance(il, InvertedLists):
        raise InputTypeError(f"downcast_InvertedLists: expected inverted lists, got {type(il).__name__}")
    return il
