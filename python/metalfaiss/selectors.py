"""ID selectors (faiss's IDSelectorRange and IDSelectorBatch)."""

from ._arrays import as_ids, as_int


class IDSelectorRange:
    """Selects the ids imin <= id < imax."""

    def __init__(self, imin, imax):
        self.imin = as_int(imin, "IDSelectorRange", "imin")
        self.imax = as_int(imax, "IDSelectorRange", "imax")

    def is_member(self, i):
        return self.imin <= i < self.imax


class IDSelectorBatch:
    """Selects the ids of a list. Accepts faiss's ``(n, ids)`` form too."""

    def __init__(self, *args):
        if len(args) not in (1, 2):
            raise TypeError(f"IDSelectorBatch: expected (ids) or (n, ids), got {len(args)} arguments")
        self.ids = as_ids(args[-1], "IDSelectorBatch")
        self._set = None

    def is_member(self, i):
        if self._set is None:
            self._set = set(self.ids.tolist())
        return i in self._set
