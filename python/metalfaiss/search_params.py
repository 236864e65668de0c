"""faiss's per-call search parameters."""

from ._arrays import as_int
from .errors import InputTypeError, InvalidArgumentError
from .selectors import IDSelector


class SearchParameters:
    """``SearchParameters(sel=None)``: ``sel`` filters the ids a search may
    return (an IDSelector)."""

    def __init__(self, sel=None):
        if sel is not None and not isinstance(sel, IDSelector):
            raise InputTypeError(f"{type(self).__name__}: sel must be an IDSelector, got {type(sel).__name__}")
        self.sel = sel

    def _nprobe(self):
        return 0


class SearchParametersIVF(SearchParameters):
    """``SearchParametersIVF(sel=None, nprobe=1, max_codes=0)`` for IVF
    indexes: how many lists to visit, for this call only."""

    def __init__(self, sel=None, nprobe=1, max_codes=0):
        super().__init__(sel)
        self.nprobe = as_int(nprobe, "SearchParametersIVF", "nprobe")
        if self.nprobe <= 0:
            raise InvalidArgumentError(f"SearchParametersIVF: nprobe must be positive, got {self.nprobe}")
        self.max_codes = as_int(max_codes, "SearchParametersIVF", "max_codes")
        if self.max_codes != 0:
            raise InvalidArgumentError("SearchParametersIVF: max_codes is not supported (it must be 0)")

    def _nprobe(self):
        return self.nprobe


class SearchParametersHNSW(SearchParameters):
    """``SearchParametersHNSW(sel=None, efSearch=16,
    check_relative_distance=True, bounded_queue=True)`` for HNSW indexes,
    for this call only (efSearch below k is raised to k)."""

    def __init__(self, sel=None, efSearch=16, check_relative_distance=True, bounded_queue=True):
        super().__init__(sel)
        self.efSearch = as_int(efSearch, "SearchParametersHNSW", "efSearch")
        if self.efSearch <= 0:
            raise InvalidArgumentError(f"SearchParametersHNSW: efSearch must be positive, got {self.efSearch}")
        self.check_relative_distance = bool(check_relative_distance)
        self.bounded_queue = bool(bounded_queue)
