"""faiss's per-call search parameters."""

from __future__ import annotations

import numpy as np

from ._arrays import as_int
from .errors import InputTypeError, InvalidArgumentError
from .selectors import IDSelector
from ._typing import Any, Optional


class SearchParameters:
    """Settings of one search call (faiss: ``SearchParameters``).

    Pass as ``index.search(x, k, params=...)``; the index's own settings are
    unchanged. The subclasses add each index family's settings.

    Parameters
    ----------
    sel : IDSelector, optional
        Only the ids it selects may be returned.

    Raises
    ------
    InputTypeError
        sel is not an IDSelector.
    """

    def __init__(self, sel: Optional[IDSelector] = None) -> None:
        if sel is not None and not isinstance(sel, IDSelector):
            raise InputTypeError(f"{type(self).__name__}: sel must be an IDSelector, got {type(sel).__name__}")
        self.sel = sel

    def _nprobe(self):
        return 0


class SearchParametersIVF(SearchParameters):
    """IVF search settings for one call (faiss: ``SearchParametersIVF``).

    Parameters
    ----------
    sel : IDSelector, optional
        Only these ids may be returned.
    nprobe : int
        Lists to visit.
    max_codes : int
        At most this many codes scanned per query (0: no bound); the last
        list is cut short.
    quantizer_params : SearchParameters, optional
        For the coarse quantizer's search (an HNSW quantizer's efSearch, for
        one).
    ensure_topk_full : bool
        With max_codes, scan lists whole and stop only once k results
        passed the filter.
    max_lists_num : int
        At most this many lists (0: no bound).
    max_empty_result_buckets : int
        A range search stops after this many consecutive lists without a
        hit (0: never).
    """

    def __init__(self, sel: Optional[IDSelector] = None, nprobe: int = 1, max_codes: int = 0,
                 quantizer_params: Optional[SearchParameters] = None, ensure_topk_full: bool = False,
                 max_lists_num: int = 0, max_empty_result_buckets: int = 0) -> None:
        super().__init__(sel)
        self.nprobe = nprobe
        self.max_codes = max_codes
        self.quantizer_params = quantizer_params
        self.ensure_topk_full = ensure_topk_full
        self.max_lists_num = max_lists_num
        self.max_empty_result_buckets = max_empty_result_buckets
        self._ivf_block()  # check now

    def _nprobe(self):
        return self._ivf_block()[0]

    def _bounded(self):
        """Whether the call needs the full parameter block."""
        b = self._ivf_block()
        return bool(b[1] or b[2] or b[3] or b[4] or b[5])

    def _ivf_block(self):
        """The int64[12] block pyapi's IVF searches read."""
        op = type(self).__name__
        nprobe = as_int(self.nprobe, op, "nprobe")
        if nprobe <= 0:
            raise InvalidArgumentError(f"{op}: nprobe must be positive, got {nprobe}")
        counts = [as_int(getattr(self, n), op, n) for n in ("max_codes", "max_lists_num", "max_empty_result_buckets")]
        if min(counts) < 0:
            raise InvalidArgumentError(f"{op}: max_codes, max_lists_num and max_empty_result_buckets must be >= 0, "
                                       f"got {counts}")
        q, kind, qa, qb, qc = self.quantizer_params, 0, 0, 0, 0
        if isinstance(q, SearchParametersIVF):
            kind, qa = 1, q._nprobe()
        elif isinstance(q, SearchParametersHNSW):
            kind, qa, qb, qc = 2, q.efSearch, int(q.check_relative_distance), int(q.bounded_queue)
        elif isinstance(q, SearchParametersResidualCoarseQuantizer):
            kind, qa = 3, int(np.float64(q.beam_factor).view(np.int64))
        elif q is not None:
            raise InputTypeError(f"{op}: quantizer_params must be SearchParametersIVF, SearchParametersHNSW or "
                                 f"SearchParametersResidualCoarseQuantizer, got {type(q).__name__}")
        if q is not None and q.sel is not None:
            raise InvalidArgumentError(f"{op}: quantizer_params cannot carry a selector")
        return np.array([nprobe, counts[0], int(bool(self.ensure_topk_full)), counts[1], counts[2], kind, qa, qb, qc,
                         self._polysemous_ht(), *self._rabitq()], dtype=np.int64)

    def _polysemous_ht(self):
        return -1  # the index's own

    def _rabitq(self):
        return -1, 0  # the index's own query bits


class SearchParametersHNSW(SearchParameters):
    """HNSW search settings for one call (faiss: ``SearchParametersHNSW``).

    Parameters
    ----------
    sel : IDSelector, optional
        Only these ids may be returned.
    efSearch : int
        Candidate list size (raised to k when below it).
    check_relative_distance : bool
        faiss's early stop of the level-0 walk.
    bounded_queue : bool
        faiss's bounded candidate queue.
    """

    def __init__(self, sel: Optional[IDSelector] = None, efSearch: int = 16, check_relative_distance: bool = True,
                 bounded_queue: bool = True) -> None:
        super().__init__(sel)
        self.efSearch = as_int(efSearch, "SearchParametersHNSW", "efSearch")
        if self.efSearch <= 0:
            raise InvalidArgumentError(f"SearchParametersHNSW: efSearch must be positive, got {self.efSearch}")
        self.check_relative_distance = bool(check_relative_distance)
        self.bounded_queue = bool(bounded_queue)


class SearchParametersResidualCoarseQuantizer(SearchParameters):
    """A ResidualCoarseQuantizer's beam, for one call (faiss: ``SearchParametersResidualCoarseQuantizer``).

    Used directly or as an IVF index's ``quantizer_params``.

    Parameters
    ----------
    sel : IDSelector, optional
        Only the ids it selects may be returned.
    beam_factor : float
        The beam is k * beam_factor entries (default 4; below 0: exhaustive
        search).

    Raises
    ------
    InputTypeError
        beam_factor is not a number, or sel not an IDSelector.
    """

    def __init__(self, sel: Optional[IDSelector] = None, beam_factor: float = 4.0) -> None:
        super().__init__(sel)
        try:
            self.beam_factor = float(beam_factor)
        except (TypeError, ValueError):
            raise InputTypeError(f"SearchParametersResidualCoarseQuantizer: beam_factor must be a number, "
                                 f"got {type(beam_factor).__name__}") from None


class SearchParametersPQ(SearchParameters):
    """IndexPQ's search type and polysemous threshold, for one call (faiss: ``SearchParametersPQ``).

    A selector applies to ST_PQ.

    Parameters
    ----------
    sel : IDSelector, optional
        Only the ids it selects may be returned.
    search_type : int
        IndexPQ.ST_PQ (0, default), ST_HE, ST_generalized_hamming, ST_SDC,
        ST_polysemous, ST_polysemous_generalize.
    polysemous_ht : int
        Hamming threshold of polysemous search (0: every code passes).

    Raises
    ------
    InvalidArgumentError
        search_type out of 0..5 or polysemous_ht below 0.
    """

    ST_PQ = 0

    def __init__(self, sel: Optional[IDSelector] = None, search_type: int = 0, polysemous_ht: int = 0) -> None:
        super().__init__(sel)
        self.search_type = as_int(search_type, "SearchParametersPQ", "search_type")
        self.polysemous_ht = as_int(polysemous_ht, "SearchParametersPQ", "polysemous_ht")
        if not 0 <= self.search_type <= 5 or self.polysemous_ht < 0:
            raise InvalidArgumentError(f"SearchParametersPQ: search_type must be 0..5 and polysemous_ht >= 0, "
                                       f"got {self.search_type} and {self.polysemous_ht}")


class IVFPQSearchParameters(SearchParametersIVF):
    """SearchParametersIVF for IVF-PQ (faiss: ``IVFPQSearchParameters``).

    As in faiss 1.15, the search keeps the index's own ``polysemous_ht``
    whatever these parameters say (faiss's IVFPQ scan reads the index's
    field); the value is checked and kept.

    Parameters
    ----------
    sel : IDSelector, optional
        Only the ids it selects may be returned.
    nprobe : int
        Lists to visit.
    max_codes : int
        At most this many codes scanned per query (0: no bound).
    scan_table_threshold : int
        Must keep faiss's default 0 (metalfaiss picks its table scans
        itself).
    polysemous_ht : int
        Checked (>= 0) and kept.

    Raises
    ------
    InvalidArgumentError
        scan_table_threshold other than 0, or polysemous_ht below 0.
    """

    def __init__(self, sel: Optional[IDSelector] = None, nprobe: int = 1, max_codes: int = 0,
                 scan_table_threshold: int = 0, polysemous_ht: int = 0) -> None:
        self.scan_table_threshold = as_int(scan_table_threshold, "IVFPQSearchParameters", "scan_table_threshold")
        self.polysemous_ht = as_int(polysemous_ht, "IVFPQSearchParameters", "polysemous_ht")
        if self.scan_table_threshold or self.polysemous_ht < 0:
            raise InvalidArgumentError("IVFPQSearchParameters: scan_table_threshold must be 0 and polysemous_ht >= 0")
        super().__init__(sel, nprobe, max_codes)

    def _polysemous_ht(self):
        as_int(self.polysemous_ht, "IVFPQSearchParameters", "polysemous_ht")
        return -1  # the index's, as faiss's scan does

    def _bounded(self):
        return True  # the threshold travels in the full block


def _query_bits(params, op):
    """RaBitQ's (qb, centered) of params, checked."""
    qb = as_int(params.qb, op, "qb")
    if not 0 <= qb <= 8:
        raise InvalidArgumentError(f"{op}: qb must be 0..8, got {qb}")
    return qb, int(bool(params.centered))


class RaBitQSearchParameters(SearchParameters):
    """IndexRaBitQ's query quantization, for one call (faiss: ``RaBitQSearchParameters``).

    Parameters
    ----------
    sel : IDSelector, optional
        Only the ids it selects may be returned.
    qb : int
        Bits of the query's scalar quantization, 0 (the float query) to 8
        (default 4).
    centered : bool
        Quantize around zero (faiss's centred mode).

    Raises
    ------
    InvalidArgumentError
        qb out of 0..8.
    """

    def __init__(self, sel: Optional[IDSelector] = None, qb: int = 4, centered: bool = False) -> None:
        super().__init__(sel)
        self.qb = qb
        self.centered = centered
        _query_bits(self, "RaBitQSearchParameters")


class IVFRaBitQSearchParameters(SearchParametersIVF):
    """SearchParametersIVF for IndexIVFRaBitQ, with RaBitQ's query quantization (faiss: ``IVFRaBitQSearchParameters``).

    Parameters
    ----------
    sel : IDSelector, optional
        Only the ids it selects may be returned.
    nprobe : int
        Lists to visit.
    qb : int
        Bits of the query's scalar quantization, 0 to 8 (default 4).
    centered : bool
        Quantize around zero (faiss's centred mode).
    **ivf_fields
        The other SearchParametersIVF settings (max_codes, quantizer_params,
        ...).

    Raises
    ------
    InvalidArgumentError
        qb out of 0..8 (at search).
    """

    def __init__(self, sel: Optional[IDSelector] = None, nprobe: int = 1, qb: int = 4, centered: bool = False,
                 **ivf_fields: Any) -> None:
        self.qb = qb
        self.centered = centered
        super().__init__(sel, nprobe, **ivf_fields)

    def _rabitq(self):
        return _query_bits(self, "IVFRaBitQSearchParameters")

    def _bounded(self):
        return True  # the query bits travel in the full block


class IndexRefineSearchParameters(SearchParameters):
    """IndexRefine's candidate count and base-index settings, for one call (faiss: ``IndexRefineSearchParameters``).

    Parameters
    ----------
    sel : IDSelector, optional
        Only the ids it selects may be returned.
    k_factor : float
        The base index returns k_factor * k candidates (at least 1).
    base_index_params : SearchParameters, optional
        For the base index's search (its nprobe and selector).

    Raises
    ------
    InvalidArgumentError
        k_factor below 1.
    InputTypeError
        base_index_params is not SearchParameters.
    """

    def __init__(self, sel: Optional[IDSelector] = None, k_factor: float = 1,
                 base_index_params: Optional[SearchParameters] = None) -> None:
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
