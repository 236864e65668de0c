"""faiss's OnDiskInvertedLists: the inverted lists of an IVF index kept in
a file of their own, in faiss's layout (list l at its offset: capacity
codes, then capacity int64 ids), so that an index larger than memory is
searched with its lists mapped from disk. ``merge_from_multiple`` writes
such a file from the lists of several indexes (contrib.ondisk.merge_ondisk
builds one index from many shards this way); ``IndexIVF.replace_invlists``
gives an index those lists, and ``write_index`` then stores a reference to
the file (faiss's "ilod" block), which ``read_index`` (faiss's too) maps.

An index whose lists come from such a file keeps them mapped privately:
adding or removing entries changes memory, and the file is rewritten with
the new lists when the index is next written (faiss writes it at each
change; the pair on disk is the same once the index is written). New,
empty OnDiskInvertedLists need no file until then."""

from __future__ import annotations

import os

import numpy as np

from ._arrays import as_int
from .errors import DimensionMismatchError, InputTypeError, InvalidArgumentError
from .invlists import InvertedLists
from ._typing import Any, PathLike

_ENTRY_ID_BYTES = 8


class OnDiskInvertedLists(InvertedLists):
    """Inverted lists in a file, filled by merging indexes (faiss: ``OnDiskInvertedLists``).

    ``OnDiskInvertedLists(nlist, code_size, filename)``: nlist empty
    lists of code_size-byte entries, to be filled by merge_from_multiple,
    which writes filename.

    Parameters
    ----------
    nlist : int
        Number of lists.
    code_size : int
        Bytes per entry's code.
    filename : str
        The file the lists are written to.
    """

    def __init__(self, nlist: int, code_size: int, filename: PathLike) -> None:
        op = "OnDiskInvertedLists"
        self.nlist, self.code_size = as_int(nlist, op, "nlist"), as_int(code_size, op, "code_size")
        if self.nlist <= 0 or self.code_size <= 0:
            raise InvalidArgumentError(f"{op}: nlist and code_size must be positive, got {self.nlist}, "
                                       f"{self.code_size}")
        if not isinstance(filename, (str, bytes, os.PathLike)):
            raise InputTypeError(f"{op}: filename must be a path, got {type(filename).__name__}")
        self.filename = os.fsdecode(filename)
        # (size, capacity, offset) of each list; free (offset, capacity) slots
        self.lists = np.zeros((self.nlist, 3), dtype=np.int64)
        self.slots = np.zeros((0, 2), dtype=np.int64)
        self.totsize = 0

    def list_size(self, list_no: int) -> int:
        """Entries in list list_no."""
        return int(self.lists[self._number(list_no, "list_size"), 0])

    def _number(self, list_no, method):
        l = as_int(list_no, f"OnDiskInvertedLists.{method}", "list_no")
        if not 0 <= l < self.nlist:
            raise InvalidArgumentError(f"OnDiskInvertedLists.{method}: list {l} is outside 0..{self.nlist - 1}")
        return l

    def _read(self, first, count, dtype):
        with open(self.filename, "rb") as f:
            f.seek(first)
            return np.fromfile(f, dtype=dtype, count=count)

    def get_codes(self, list_no: int) -> Any:
        """The codes of a list (uint8, list_size * code_size), read from the file."""
        l = self._number(list_no, "get_codes")
        size, _, offset = (int(v) for v in self.lists[l])
        return self._read(offset, size * self.code_size, np.uint8)

    def _list(self, l):
        return self.get_ids(l), self.get_codes(l)

    def get_ids(self, list_no: int) -> Any:
        """The ids of a list (int64), read from the file."""
        l = self._number(list_no, "get_ids")
        size, capacity, offset = (int(v) for v in self.lists[l])
        return self._read(offset + capacity * self.code_size, size, np.int64)

    def merge_from_multiple(self, ils: Any, n_il: Any = None, shift_ids: bool = False, verbose: bool = False) -> int:
        """Write, for every list, the entries of that list in each of the
        inverted lists ils (in order) to the file, and return how many
        entries there are in all. With shift_ids, the ids of ils[i] are
        moved up by the entries of ils[0..i-1], so that shards numbered
        from 0 each get distinct ids."""
        op = "OnDiskInvertedLists.merge_from_multiple"
        ils = list(ils)
        if n_il is not None:
            ils = ils[:as_int(n_il, op, "n_il")]
        if self.totsize:
            raise InvalidArgumentError(f"{op}: the lists already hold entries; merge into new lists")
        for i, il in enumerate(ils):
            if il.nlist != self.nlist or il.code_size != self.code_size:
                raise DimensionMismatchError(f"{op}: input {i} has nlist={il.nlist}, code_size={il.code_size}; "
                                             f"these lists have nlist={self.nlist}, code_size={self.code_size}")
        sizes = np.array([[il.list_size(l) for il in ils] for l in range(self.nlist)], dtype=np.int64).reshape(
            self.nlist, len(ils))
        shifts = np.zeros(len(ils), dtype=np.int64)
        if shift_ids:
            shifts[1:] = np.cumsum(sizes.sum(axis=0))[:-1]
        per_list = sizes.sum(axis=1)
        entry = self.code_size + _ENTRY_ID_BYTES
        offsets = np.concatenate([[0], np.cumsum(per_list * entry)[:-1]]).astype(np.int64)
        total_bytes = int((per_list * entry).sum())
        with open(self.filename, "wb") as f:
            for l in range(self.nlist):
                if verbose and l % 1000 == 0:
                    print(f"merging list {l}/{self.nlist}", end="\r", flush=True)
                if per_list[l] == 0:
                    continue
                f.seek(int(offsets[l]))
                for il in ils:
                    if il.list_size(l):
                        f.write(np.ascontiguousarray(il.get_codes(l), dtype=np.uint8).tobytes())
                for i, il in enumerate(ils):
                    if il.list_size(l):
                        f.write((np.asarray(il.get_ids(l), dtype=np.int64) + shifts[i]).tobytes())
            f.truncate(total_bytes)
        self.lists = np.stack([per_list, per_list, offsets], axis=1).astype(np.int64)
        # faiss records the whole file as one free slot after a merge; kept
        # so that the files are alike
        self.slots = np.array([[0, total_bytes]] if total_bytes else [], dtype=np.int64).reshape(-1, 2)
        self.totsize = total_bytes
        return int(per_list.sum())

    def __repr__(self) -> str:
        return f"OnDiskInvertedLists(nlist={self.nlist}, code_size={self.code_size}, filename={self.filename!r})"


class InvertedListsPtrVector(list):
    """A vector of inverted lists, for merge_from_multiple (faiss: ``InvertedListsPtrVector``).

    faiss's vector of inverted lists, for scripts that build one to pass
    to merge_from_multiple: push_back, size, at, and data (itself).
    """

    def push_back(self, il: Any) -> None:
        """Append inverted lists."""
        self.append(il)

    def size(self) -> int:
        """Number of inverted lists held."""
        return len(self)

    def at(self, i: int) -> Any:
        """The i-th inverted lists."""
        return self[i]

    def data(self) -> Any:
        """The vector itself (faiss passes data() to merge_from_multiple)."""
        return self
