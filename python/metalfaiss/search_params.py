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


class SearchParametersPQ(SearchParameters):
    """``SearchParametersPQ(sel=None, search_type=ST_PQ, polysemous_ht=0)``
    for IndexPQ. metalfaiss scans PQ codes by their distance tables (ST_PQ);
    polysemous filtering is not built, so polysemous_ht must stay 0."""

    ST_PQ = 0

    def __init__(self, sel=None, search_type=0, polysemous_ht=0):
        super().__init__(sel)
        self.search_type = as_int(search_type, "SearchParametersPQ", "search_type")
        self.polysemous_ht = as_int(polysemous_ht, "SearchParametersPQ", "polysemous_ht")
        if self.search_type != self.ST_PQ or self.polysemous_ht != 0:
            raise InvalidArgumentError("SearchParametersPQ: only search_type=ST_PQ with polysemous_ht=0 is supported "
                                       "(polysemous filtering is not built)")


class IVFPQSearchParameters(SearchParametersIVF):
    """``IVFPQSearchParameters(sel=None, nprobe=1, max_codes=0,
    scan_table_threshold=0, polysemous_ht=0)``: SearchParametersIVF for
    IVFPQ; the PQ-specific fields must keep faiss's defaults (0), as the
    table-scan threshold and polysemous filtering are not built."""

    def __init__(self, sel=None, nprobe=1, max_codes=0, scan_table_threshold=0, polysemous_ht=0):
        super().__init__(sel, nprobe, max_codes)
        self.scan_table_threshold = as_int(scan_table_threshold, "IVFPQSearchParameters", "scan_table_threshold")
        self.polysemous_ht = as_int(polysemous_ht, "IVFPQSearchParameters", "polysemous_ht")
        if self.scan_table_threshold or self.polysemous_ht:
            raise InvalidArgumentError("IVFPQSearchParameters: scan_table_threshold and polysemous_ht must be 0")


class IndexRefineSearchParameters(SearchParameters):
    """``IndexRefineSearchParameters(sel=None, k_factor=1,
    base_index_params=None)`` for IndexRefine: the base index returns
    k_factor * k candidates for this call, searched with
    base_index_params (their nprobe and selector)."""

    def __init__(self, sel=None, k_factor=1, base_index_params=None):
        super().__init__(sel)
        self.k_factor = float(k_factor)
        if not self.k_factor >= 1:
            raise InvalidArgumentError(f"IndexRefineSearchParameters: k_factor must be at least 1, got {k_factor}")
        if base_index_params is not None and not isinstance(base_index_params, SearchParameters):
            raise InputTypeError("IndexRefineSearchParameters: base_index_params must be SearchParameters, got "
                                 f"{type(base_index_params).__name__}")
        self.base_index_params = base_index_params

    def _nprobe(self):
        return self.base_index_params._nprobe() if self.base_index_params is not None else 0

    def _selector(self):
        """The selector for the base: the base parameters' own, else this one."""
        if self.base_index_params is not None and self.base_index_params.sel is not None:
            return self.base_index_params.sel
        return self.sel
