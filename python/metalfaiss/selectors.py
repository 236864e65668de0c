"""ID selectors: faiss's IDSelectorRange, IDSelectorBatch, IDSelectorArray,
IDSelectorBitmap, IDSelectorNot, IDSelectorAnd, IDSelectorOr, IDSelectorXOr,
IDSelectorAll, IDSelectorTranslated and PyCallbackIDSelector, for
``remove_ids`` and as search filters
(``SearchParameters(sel=...)``)."""

from __future__ import annotations

from typing import TYPE_CHECKING
import numpy as np

from ._arrays import as_ids, as_int
from .errors import InputTypeError
from .swig_pointers import SwigPtr, region
from ._typing import Any, Callable, Int64Array, Optional

if TYPE_CHECKING:
    from .index import Index

# Opcodes of the selector program sent to Go (pyapi/selectors.go).
_RANGE, _BATCH, _ARRAY, _NOT, _ALL, _AND, _OR, _XOR, _BITMAP = range(9)


class IDSelector:
    """Which ids a search may return, or remove_ids removes (faiss: ``IDSelector``).

    The base class: ``is_member(id)``. The subclasses are compiled into a
    small program that the Go core evaluates, so a selector costs no Python
    call per id (PyCallbackIDSelector aside).
    """

    def is_member(self, i: int) -> bool:
        """Whether id i is selected."""
        raise NotImplementedError

    def _program(self, index=None):
        raise NotImplementedError


class IDSelectorRange(IDSelector):
    """Selects the ids imin <= id < imax (faiss: ``IDSelectorRange``).

    Parameters
    ----------
    imin : int
    imax : int
    assume_sorted : bool
        faiss's hint that list ids are sorted (accepted; results are the
        same either way).
    """

    def __init__(self, imin: int, imax: int, assume_sorted: bool = False) -> None:
        self.imin = as_int(imin, "IDSelectorRange", "imin")
        self.imax = as_int(imax, "IDSelectorRange", "imax")
        self.assume_sorted = bool(assume_sorted)

    def is_member(self, i: int) -> bool:
        return self.imin <= i < self.imax

    def find_sorted_ids_bounds(self, list_size: int, ids: Any, jmin: Any, jmax: Any) -> None:
        """For list_size sorted ids (a swig_ptr to int64), write to jmin
        and jmax (swig_ptrs to one uint64 each) the bounds of the ids in
        range: ids[jmin:jmax] (jmin >= jmax when none is)."""
        op = "IDSelectorRange.find_sorted_ids_bounds"
        values = region(ids, np.int64, as_int(list_size, op, "list_size"), op, "ids")
        lo = int(np.searchsorted(values, self.imin, side="left"))
        hi = int(np.searchsorted(values, self.imax, side="left"))
        region(jmin, np.uint64, 1, op, "jmin", True)[0] = lo
        region(jmax, np.uint64, 1, op, "jmax", True)[0] = hi

    def _program(self, index=None):
        return [_RANGE, self.imin, self.imax]


class _IDList(IDSelector):
    """A selector of listed ids, made from (ids), (n, ids) or (n, swig_ptr(ids))."""

    _code = None

    def __init__(self, *args: Any) -> None:
        name = type(self).__name__
        if len(args) not in (1, 2):
            raise TypeError(f"{name}: expected (ids) or (n, ids), got {len(args)} arguments")
        if len(args) == 2 and isinstance(args[1], SwigPtr):  # faiss's (n, swig_ptr(ids))
            args = (args[0], region(args[1], np.int64, as_int(args[0], name, "n"), name, "ids"))
        ids = as_ids(args[-1], name)
        if len(args) == 2:
            n = as_int(args[0], name, "n")
            if not 0 <= n <= ids.shape[0]:
                raise InputTypeError(f"{name}: n={n} but {ids.shape[0]} ids were given")
            ids = ids[:n]
        self.ids = ids
        self._set = None

    def is_member(self, i: int) -> bool:
        if self._set is None:
            self._set = set(self.ids.tolist())
        return i in self._set

    def _program(self, index=None):
        return [self._code, self.ids.shape[0], *self.ids.tolist()]


class IDSelectorBatch(_IDList):
    """Selects the ids of a list (faiss: ``IDSelectorBatch``).

    Pass it as ``params=SearchParameters(sel=...)`` to search, or to
    ``remove_ids``. faiss filters with a Bloom filter first; the selection is
    the same.

    Parameters
    ----------
    *args
        ``ids`` (int64-convertible, (n,)) or faiss's ``n, ids`` form (ids
        may be ``swig_ptr(ids)``; the first n are used).

    Raises
    ------
    InputTypeError
        ids is not integer, or n exceeds the ids given.
    """

    _code = _BATCH


class IDSelectorArray(_IDList):
    """Selects the ids of a list (faiss: ``IDSelectorArray``).

    faiss scans the list; the result is the same as IDSelectorBatch's.

    Parameters
    ----------
    *args
        ``ids`` (int64-convertible, (n,)) or faiss's ``n, ids`` form (ids
        may be ``swig_ptr(ids)``; the first n are used).

    Raises
    ------
    InputTypeError
        ids is not integer, or n exceeds the ids given.
    """

    _code = _ARRAY


class IDSelectorNot(IDSelector):
    """Selects the ids that another selector does not (faiss: ``IDSelectorNot``).

    Parameters
    ----------
    sel : IDSelector
        The selector to negate.

    Raises
    ------
    InputTypeError
        sel is not an IDSelector.
    """

    def __init__(self, sel: IDSelector) -> None:
        if not isinstance(sel, IDSelector):
            raise InputTypeError(f"IDSelectorNot: expected an IDSelector, got {type(sel).__name__}")
        self.sel = sel

    def is_member(self, i: int) -> bool:
        return not self.sel.is_member(i)

    def _program(self, index=None):
        return [_NOT, *self.sel._program(index)]


class _Pair(IDSelector):
    _code = None

    def __init__(self, lhs: IDSelector, rhs: IDSelector) -> None:
        for side in (lhs, rhs):
            if not isinstance(side, IDSelector):
                raise InputTypeError(f"{type(self).__name__}: expected two IDSelectors, got {type(side).__name__}")
        self.lhs, self.rhs = lhs, rhs

    def _program(self, index=None):
        return [self._code, *self.lhs._program(index), *self.rhs._program(index)]


class IDSelectorAnd(_Pair):
    """Selects the ids both selectors select (faiss: ``IDSelectorAnd``).

    Parameters
    ----------
    lhs : IDSelector
        One selector.
    rhs : IDSelector
        The other.

    Raises
    ------
    InputTypeError
        An argument is not an IDSelector.
    """

    _code = _AND

    def is_member(self, i: int) -> bool:
        return self.lhs.is_member(i) and self.rhs.is_member(i)


class IDSelectorOr(_Pair):
    """Selects the ids either selector selects (faiss: ``IDSelectorOr``).

    Parameters
    ----------
    lhs : IDSelector
        One selector.
    rhs : IDSelector
        The other.

    Raises
    ------
    InputTypeError
        An argument is not an IDSelector.
    """

    _code = _OR

    def is_member(self, i: int) -> bool:
        return self.lhs.is_member(i) or self.rhs.is_member(i)


class IDSelectorXOr(_Pair):
    """Selects the ids exactly one of two selectors selects (faiss: ``IDSelectorXOr``).

    Parameters
    ----------
    lhs : IDSelector
        One selector.
    rhs : IDSelector
        The other.

    Raises
    ------
    InputTypeError
        An argument is not an IDSelector.
    """

    _code = _XOR

    def is_member(self, i: int) -> bool:
        return self.lhs.is_member(i) != self.rhs.is_member(i)


class IDSelectorBitmap(IDSelector):
    """Selects id when bit id % 8 of byte id // 8 of a bitmap is set (faiss: ``IDSelectorBitmap``).

    ``np.packbits(mask, bitorder="little")`` packs a boolean mask into such a
    bitmap. Ids beyond the bitmap are not selected.

    Parameters
    ----------
    *args
        ``bitmap`` ((nbytes,) uint8) or faiss's ``n, bitmap`` form, n being
        the number of bytes used.

    Raises
    ------
    InputTypeError
        bitmap is not a 1-d uint8 array, or n exceeds its length.
    """

    def __init__(self, *args: Any) -> None:
        if len(args) not in (1, 2):
            raise TypeError(f"IDSelectorBitmap: expected (bitmap) or (n, bitmap), got {len(args)} arguments")
        bitmap = np.asarray(args[-1])
        if bitmap.ndim != 1 or bitmap.dtype != np.uint8:
            raise InputTypeError(f"IDSelectorBitmap: bitmap must be a 1-D uint8 array, got {bitmap.dtype} "
                                 f"of shape {bitmap.shape}")
        n = bitmap.shape[0] if len(args) == 1 else as_int(args[0], "IDSelectorBitmap", "n")
        if not 0 <= n <= bitmap.shape[0]:
            raise InputTypeError(f"IDSelectorBitmap: n={n} but the bitmap has {bitmap.shape[0]} bytes")
        self.n, self.bitmap = n, bitmap[:n].copy()

    def is_member(self, i: int) -> bool:
        return 0 <= i < 8 * self.n and bool(self.bitmap[i >> 3] >> (i & 7) & 1)

    def _program(self, index=None):
        padded = np.zeros(-(-self.n // 8) * 8, dtype=np.uint8)
        padded[:self.n] = self.bitmap
        return [_BITMAP, self.n, *padded.view("<i8").tolist()]


class IDSelectorAll(IDSelector):
    """Selects every id (faiss: ``IDSelectorAll``)."""

    def is_member(self, i: int) -> bool:
        return True

    def _program(self, index=None):
        return [_ALL]


class IDSelectorTranslated(IDSelector):
    """Selects the IDMap positions whose ids sel selects (faiss: ``IDSelectorTranslated``).

    Position i of an IndexIDMap's sub-index is selected when sel selects
    the id stored there (id_map[i]). Searching the IndexIDMap itself with
    sel is the same (the IDMap translates its selectors already); this is
    for searching its sub-index directly.

    Parameters
    ----------
    index_or_id_map : IndexIDMap or int64 array
        The IDMap (its ``id_map`` is read at each use) or the id map itself.
    sel : IDSelector
        The selector of ids.

    Raises
    ------
    InputTypeError
        sel is not an IDSelector, or the id map is not integer.
    """

    def __init__(self, index_or_id_map: Any, sel: IDSelector) -> None:
        if not isinstance(sel, IDSelector):
            raise InputTypeError(f"IDSelectorTranslated: sel must be an IDSelector, got {type(sel).__name__}")
        self.index = index_or_id_map if hasattr(index_or_id_map, "id_map") else None
        self._id_map = None if self.index is not None else as_ids(index_or_id_map, "IDSelectorTranslated")
        self.sel = sel

    def id_map(self) -> Int64Array:
        """The ids the selector's positions translate to (the wrapped IndexIDMap's id_map)."""
        return self.index.id_map if self.index is not None else self._id_map

    def is_member(self, i: int) -> bool:
        ids = self.id_map()
        return 0 <= i < len(ids) and self.sel.is_member(int(ids[i]))

    def _program(self, index=None):
        if index is not None and index is self.index:
            return self.sel._program(index)  # searched through the IDMap: already external ids
        ids = np.asarray(self.id_map())
        picked = [i for i, v in enumerate(ids.tolist()) if self.sel.is_member(v)]
        return [_BATCH, len(picked), *picked]


class PyCallbackIDSelector(IDSelector):
    """Selects the ids for which a Python callable returns true (faiss: ``PyCallbackIDSelector``).

    Go evaluates selectors without calling back into Python, so the callback
    is asked once for each id the searched index holds, and the ids it
    accepts are sent as a list.

    Parameters
    ----------
    callback : callable
        callback(id) -> bool.

    Raises
    ------
    InputTypeError
        callback is not callable.
    """

    def __init__(self, callback: Callable[[int], bool]) -> None:
        if not callable(callback):
            raise InputTypeError(f"PyCallbackIDSelector: the callback must be callable, got {type(callback).__name__}")
        self.callback = callback

    def is_member(self, i: int) -> bool:
        return bool(self.callback(i))

    def _program(self, index=None):
        if index is None:
            raise InputTypeError("PyCallbackIDSelector: it can only be used where the index is known "
                                 "(search, range_search, remove_ids)")
        picked = [i for i in _index_ids(index).tolist() if self.callback(i)]
        return [_BATCH, len(picked), *picked]


def _index_ids(index):
    """Every id index holds: an IDMap's ids, an IVF's lists' ids, else
    0..ntotal-1."""
    if hasattr(index, "id_map"):
        return np.asarray(index.id_map, dtype=np.int64)
    invlists = getattr(index, "invlists", None)
    if invlists is not None:
        parts = [invlists.get_ids(l) for l in range(invlists.nlist)]
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)
    return np.arange(index.ntotal, dtype=np.int64)


def selector_program(sel: IDSelector, op: Any, index: Optional[Index] = None) -> Any:
    """The int64 program the Go core evaluates for a selector (metalfaiss only; internal).

    Parameters
    ----------
    sel : IDSelector or None
        The selector.
    op : str
        The operation, for error messages.
    index : Index, optional
        The index searched (selectors made from an index or a callback need
        it).

    Returns
    -------
    int64 ndarray or None
        The program (None: no selector).

    Raises
    ------
    InputTypeError
        sel is not an IDSelector.
    """
    if sel is None:
        return None
    if not isinstance(sel, IDSelector):
        raise InputTypeError(f"{op}: sel must be an IDSelector, got {type(sel).__name__}")
    return np.ascontiguousarray(sel._program(index), dtype=np.int64)


def selector_args(prog: Any) -> Any:
    """The (address, length) pair the bridge takes for a selector program (metalfaiss only; internal).

    The caller must hold prog until the call returns.

    Parameters
    ----------
    prog : int64 ndarray or None
        A program from selector_program.

    Returns
    -------
    tuple of int
        (0, 0) for None.
    """
    return (0, 0) if prog is None else (prog.ctypes.data, prog.shape[0])
