"""Measuring search results (contrib.evaluation): k-NN intersection,
precision and recall of range search, comparisons with a reference that
allow ties, Pareto-optimal operating points and a repeat timer."""

from __future__ import annotations

import time

import numpy as np

from metalfaiss import omp_get_max_threads, omp_set_num_threads
from .._typing import Any, ArrayLike

############################################################################
# k-NN results


def knn_intersection_measure(I1: Any, I2: Any) -> Any:
    """Share of result ids two searches share (faiss: ``contrib.evaluation.knn_intersection_measure``).

    Parameters
    ----------
    I1 : (nq, k) int64 ndarray
        Ids of one search.
    I2 : (nq, k) int64 ndarray
        Ids of the other.

    Returns
    -------
    float
        The ids of I1 found in the same row of I2, over nq * k.

    Raises
    ------
    ValueError
        I1 and I2 differ in shape.
    """
    nq, k = I1.shape
    if I2.shape != (nq, k):
        raise ValueError(f"knn_intersection_measure: I1 {I1.shape} and I2 {I2.shape} differ in shape")
    common = sum(np.intersect1d(a, b).size for a, b in zip(I1, I2))
    return common / I1.size


############################################################################
# Range-search results: precision and recall


def _slices(lims):
    lims = np.asarray(lims, dtype="int64")
    return zip(lims[:-1], lims[1:])


def filter_range_results(lims: ArrayLike, D: ArrayLike, I: ArrayLike, thresh: float) -> Any:
    """Range results less those at or above a distance (faiss: ``contrib.evaluation.filter_range_results``).

    Parameters
    ----------
    lims : (nq + 1,) int64 ndarray
        Query i's results are at lims[i]:lims[i + 1].
    D : float32 ndarray
        Distances.
    I : int64 ndarray
        Ids.
    thresh : float
        Results with distances below it are kept.

    Returns
    -------
    lims, D, I
        The kept results, in the same layout.
    """
    mask = D < thresh
    kept = np.concatenate([[0], np.cumsum(mask)])
    new_lims = np.zeros_like(lims)
    new_lims[:] = kept[np.asarray(lims, dtype="int64")]
    return new_lims, D[mask], I[mask]


def range_PR(lims_ref: Any, Iref: Any, lims_new: Any, Inew: Any, mode: str = 'overall') -> Any:
    """Precision and recall of range-search ids against a reference (faiss: ``contrib.evaluation.range_PR``).

    Distances are not looked at.

    Parameters
    ----------
    lims_ref : (nq + 1,) int64 ndarray
        The reference's limits.
    Iref : int64 ndarray
        The reference's ids.
    lims_new : (nq + 1,) int64 ndarray
        The new results' limits.
    Inew : int64 ndarray
        The new results' ids.
    mode : str
        "overall" (from the totals) or "average" (the mean over queries).

    Returns
    -------
    precision : float
    recall : float

    Raises
    ------
    ValueError
        The two have different numbers of queries, or an unknown mode.
    """
    nq = lims_ref.size - 1
    if lims_new.size - 1 != nq:
        raise ValueError(f"range_PR: {nq} reference queries, {lims_new.size - 1} new ones")
    common = np.array([np.intersect1d(Iref[a:b], Inew[c:d]).size
                       for (a, b), (c, d) in zip(_slices(lims_ref), _slices(lims_new))], dtype="int64")
    return counts_to_PR(np.diff(lims_ref).astype("int64"), np.diff(lims_new).astype("int64"), common, mode=mode)


def counts_to_PR(ngt: Any, nres: Any, ninter: Any, mode: str = 'overall') -> Any:
    """Precision and recall from per-query counts (faiss: ``contrib.evaluation.counts_to_PR``).

    An empty reference and an empty answer count as perfect.

    Parameters
    ----------
    ngt : (nq,) int ndarray
        Reference results per query.
    nres : (nq,) int ndarray
        Results found per query.
    ninter : (nq,) int ndarray
        Results found that are in the reference.
    mode : str
        "overall" (from the totals) or "average" (the mean over queries).

    Returns
    -------
    precision : float
    recall : float

    Raises
    ------
    ValueError
        An unknown mode, or a query with no results but correct ones.
    """
    if mode == "overall":
        ngt, nres, ninter = ngt.sum(), nres.sum(), ninter.sum()
        precision = ninter / nres if nres > 0 else 1.0
        recall = ninter / ngt if ngt > 0 else float(nres == 0)
        return precision, recall
    if mode == "average":
        ngt, nres, ninter = (np.asarray(a).copy() for a in (ngt, nres, ninter))
        no_gt, no_res = ngt == 0, nres == 0
        if (ninter[no_res] != 0).any():
            raise ValueError("counts_to_PR: a query with no results has correct results")
        recalls = np.where(no_gt, no_res.astype(float), ninter / np.maximum(ngt, 1))
        precisions = np.where(no_res, 1.0, ninter / np.maximum(nres, 1))
        return precisions.mean(), recalls.mean()
    raise ValueError(f"counts_to_PR: mode must be 'overall' or 'average', got {mode!r}")


def sort_range_res_2(lims: ArrayLike, D: ArrayLike, I: ArrayLike) -> Any:
    """Range results with each query's sorted by distance (faiss: ``contrib.evaluation.sort_range_res_2``).

    Parameters
    ----------
    lims : (nq + 1,) int64 ndarray
        The limits.
    D : float32 ndarray
        Distances.
    I : int64 ndarray
        Ids.

    Returns
    -------
    I, D
        Sorted copies (note faiss's order: ids first).
    """
    I2, D2 = np.empty_like(I), np.empty_like(D)
    for lo, hi in _slices(lims):
        order = D[lo:hi].argsort()
        I2[lo:hi], D2[lo:hi] = I[lo:hi][order], D[lo:hi][order]
    return I2, D2


def sort_range_res_1(lims: ArrayLike, I: ArrayLike) -> Any:
    """Range-result ids with each query's sorted (faiss: ``contrib.evaluation.sort_range_res_1``).

    Parameters
    ----------
    lims : (nq + 1,) int64 ndarray
        The limits.
    I : int64 ndarray
        Ids.

    Returns
    -------
    int64 ndarray
        A sorted copy.
    """
    I2 = I.copy()
    for lo, hi in _slices(lims):
        I2[lo:hi].sort()
    return I2


def range_PR_multiple_thresholds(lims_ref: Any, Iref: Any, lims_new: Any, Dnew: Any, Inew: Any, thresholds: Any,
                                 mode: str = 'overall', do_sort: Any = 'ref,new') -> Any:
    """Precision-recall curve of range results (faiss: ``contrib.evaluation.range_PR_multiple_thresholds``).

    Parameters
    ----------
    lims_ref : (nq + 1,) int64 ndarray
        The reference's limits.
    Iref : int64 ndarray
        The reference's ids.
    lims_new : (nq + 1,) int64 ndarray
        The new results' limits.
    Dnew : float32 ndarray
        The new results' distances.
    Inew : int64 ndarray
        The new results' ids.
    thresholds : sequence of float
        Distance thresholds, increasing.
    mode : str
        "overall" or "average", as in range_PR.
    do_sort : str
        What still needs sorting: "ref" (the reference by id), "new" (the
        new results by distance), both by default.

    Returns
    -------
    precisions : (len(thresholds),) ndarray
    recalls : (len(thresholds),) ndarray

    Raises
    ------
    ValueError
        The two have different numbers of queries.
    """
    if "ref" in do_sort:
        Iref = sort_range_res_1(lims_ref, Iref)
    if "new" in do_sort:
        Inew, Dnew = sort_range_res_2(lims_new, Dnew, Inew)
    nq = lims_ref.size - 1
    if lims_new.size - 1 != nq:
        raise ValueError(f"range_PR_multiple_thresholds: {nq} reference queries, {lims_new.size - 1} new ones")
    thresholds = np.asarray(thresholds)
    counts = np.zeros((nq, len(thresholds), 3), dtype="int64")  # gt, found, correct
    for q, ((a, b), (c, d)) in enumerate(zip(_slices(lims_ref), _slices(lims_new))):
        gt, ids, dis = Iref[a:b], Inew[c:d], Dnew[c:d]
        counts[q, :, 0] = len(gt)
        if len(dis) == 0:
            continue
        found = np.searchsorted(dis, thresholds)
        counts[q, :, 1] = found
        if len(gt) == 0:
            continue
        at = np.minimum(np.searchsorted(gt, ids), len(gt) - 1)
        correct = np.concatenate([[0], np.cumsum(gt[at] == ids)])
        counts[q, :, 2] = correct[found]
    pr = [counts_to_PR(counts[:, t, 0], counts[:, t, 1], counts[:, t, 2], mode=mode) for t in range(len(thresholds))]
    return np.array([p for p, _ in pr]), np.array([r for _, r in pr])


############################################################################
# Comparing with a reference, for tests


def _cluster_tables_with_tolerance(tab1, tab2, thr):
    """Group the values of two tables into clusters of values less than thr
    apart; the cluster number of each element of each table."""
    values = np.sort(np.concatenate([tab1, tab2]))
    starts = values[np.concatenate([[True], np.diff(values) > thr])]
    return (np.searchsorted(starts, tab1, side="right") - 1, np.searchsorted(starts, tab2, side="right") - 1)


def check_ref_knn_with_draws(Dref: Any, Iref: Any, Dnew: Any, Inew: Any, rtol: Any = 1e-05, atol: Any = 0) -> None:
    """Check k-NN results, ties in any order (faiss: ``contrib.evaluation.check_ref_knn_with_draws``).

    Distances must match to the tolerance, ids exactly except that ids at
    equal distances may come in any order (the last group of ties may hold
    different ids, since the cut at k falls inside it).

    Parameters
    ----------
    Dref : (nq, k) ndarray
        Reference distances.
    Iref : (nq, k) int64 ndarray
        Reference ids.
    Dnew : (nq, k) ndarray
        New distances.
    Inew : (nq, k) int64 ndarray
        New ids.
    rtol : float
        Relative tolerance of distances (1e-5).
    atol : float
        Absolute tolerance of distances (0).

    Raises
    ------
    AssertionError
        The results differ beyond that.
    """
    np.testing.assert_allclose(Dref, Dnew, rtol=rtol, atol=atol)
    for row in range(len(Iref)):
        if np.array_equal(Iref[row], Inew[row]):
            continue
        tol = rtol * Dref[row].max() + atol
        groups, _ = _cluster_tables_with_tolerance(Dref[row], Dnew[row], tol)
        for group in np.unique(groups):
            if group == groups[-1]:
                continue
            mask = groups == group
            ref_ids, new_ids = set(Iref[row, mask].tolist()), set(Inew[row, mask].tolist())
            if ref_ids != new_ids:
                raise AssertionError(f"query {row}: ids {sorted(new_ids)} where the reference has {sorted(ref_ids)} "
                                     f"at distance {Dref[row, mask][0]}")


def check_ref_range_results(Lref: Any, Dref: Any, Iref: Any, Lnew: Any, Dnew: Any, Inew: Any) -> None:
    """Check range results against a reference (faiss: ``contrib.evaluation.check_ref_range_results``).

    The same counts, the same ids per query in any order, and distances to 5
    decimals.

    Parameters
    ----------
    Lref : (nq + 1,) int64 ndarray
        Reference limits.
    Dref : ndarray
        Reference distances.
    Iref : int64 ndarray
        Reference ids.
    Lnew : (nq + 1,) int64 ndarray
        New limits.
    Dnew : ndarray
        New distances.
    Inew : int64 ndarray
        New ids.

    Raises
    ------
    AssertionError
        The results differ.
    """
    np.testing.assert_array_equal(Lref, Lnew)
    for lo, hi in _slices(Lref):
        ref_i, new_i, ref_d, new_d = Iref[lo:hi], Inew[lo:hi], Dref[lo:hi], Dnew[lo:hi]
        if not np.array_equal(ref_i, new_i):
            o_ref, o_new = ref_i.argsort(), new_i.argsort()
            ref_i, ref_d, new_i, new_d = ref_i[o_ref], ref_d[o_ref], new_i[o_new], new_d[o_new]
            np.testing.assert_array_equal(ref_i, new_i)
        np.testing.assert_array_almost_equal(ref_d, new_d, decimal=5)


############################################################################
# Operating points: the Python counterpart of faiss's AutoTune bookkeeping


class OperatingPoints:
    """Pareto-optimal experiments (faiss: ``contrib.evaluation.OperatingPoints``).

    ``operating_points`` keeps the Pareto-optimal ones (no other is both at
    least as good and at least as fast), ``suboptimal_points`` the rest.
    Subclasses order keys (``compare_keys``).
    """

    def __init__(self) -> None:
        self.operating_points = []
        self.suboptimal_points = []

    def compare_keys(self, k1: Any, k2: Any) -> None:
        """1 if k1 >= k2 (slower and better), -1 if k2 >= k1, else 0."""
        raise NotImplementedError(f"{type(self).__name__} does not order its keys")

    def do_nothing_key(self) -> None:
        """The key of the experiment that does nothing (0 time, 0 performance)."""
        raise NotImplementedError(f"{type(self).__name__} has no do-nothing key")

    def is_pareto_optimal(self, perf_new: Any, t_new: Any) -> bool:
        """Whether no recorded point is at least as good and as fast."""
        return not any(perf >= perf_new and t <= t_new for _, perf, t in self.operating_points)

    def predict_bounds(self, key: Any) -> Any:
        """(best possible performance, least possible time) of key, from the
        experiments it is comparable with."""
        max_perf, min_time = 1.0, 0.0
        for other, perf, t in self.operating_points + self.suboptimal_points:
            order = self.compare_keys(key, other)
            if order > 0:
                min_time = max(min_time, t)
            elif order < 0:
                max_perf = min(max_perf, perf)
        return max_perf, min_time

    def should_run_experiment(self, key: Any) -> Any:
        """Whether the experiment at key could be Pareto-optimal, by its predicted bounds."""
        return self.is_pareto_optimal(*self.predict_bounds(key))

    def add_operating_point(self, key: Any, perf: Any, t: Any) -> bool:
        """Record an experiment; True if it is Pareto-optimal (the points it
        beats become suboptimal)."""
        if not self.is_pareto_optimal(perf, t):
            self.suboptimal_points.append((key, perf, t))
            return False
        beaten = [p for p in self.operating_points if perf >= p[1] and t <= p[2]]
        self.operating_points = [p for p in self.operating_points if not (perf >= p[1] and t <= p[2])]
        self.suboptimal_points.extend(beaten)
        self.operating_points.append((key, perf, t))
        return True


class OperatingPointsWithRanges(OperatingPoints):
    """OperatingPoints over ordered parameter lists (faiss: ``contrib.evaluation.OperatingPointsWithRanges``).

    ``add_range(name, values)`` adds a parameter; a key is the array of
    positions in the lists. A larger value is taken to be slower and more
    accurate.
    """

    def __init__(self) -> None:
        super().__init__()
        self.ranges = []  # (name, values)

    def add_range(self, name: str, values: ArrayLike) -> None:
        """Add a parameter and the values to try."""
        self.ranges.append((name, values))

    def compare_keys(self, k1: Any, k2: Any) -> Any:
        if np.all(k1 >= k2):
            return 1
        if np.all(k2 >= k1):
            return -1
        return 0

    def do_nothing_key(self) -> Any:
        return np.zeros(len(self.ranges), dtype=int)

    def num_experiments(self) -> int:
        """Number of parameter combinations."""
        return int(np.prod([len(values) for _, values in self.ranges]))

    def sample_experiments(self, n_autotune: Any, rs: Any = np.random) -> Any:
        """Experiment numbers to run: the cheapest and the most expensive
        first, then the others in a random order (all of them when
        n_autotune is 0, else n_autotune in all). The order is the same as
        faiss's (RandomState(123); rs is unused, as in faiss)."""
        if not (n_autotune == 0 or n_autotune >= 2):
            raise ValueError(f"sample_experiments: n_autotune must be 0 or >= 2, got {n_autotune}")
        total = self.num_experiments()
        state = np.random.RandomState(123)
        if n_autotune == 0 or total < n_autotune:
            middle = state.permutation(total - 2)
        else:
            middle = state.choice(total - 2, size=n_autotune - 2, replace=False)
        return [0, total - 1] + [int(c) + 1 for c in middle]

    def cno_to_key(self, cno: Any) -> Any:
        """Experiment number -> key (mixed-radix digits, first range lowest)."""
        key = np.zeros(len(self.ranges), dtype=int)
        for i, (_, values) in enumerate(self.ranges):
            cno, key[i] = divmod(cno, len(values))
        if cno != 0:
            raise ValueError("cno_to_key: experiment number out of range")
        return key

    def get_parameters(self, k: Any) -> Any:
        """Key -> {parameter name: value}."""
        return {name: values[k[i]] for i, (name, values) in enumerate(self.ranges)}

    def restrict_range(self, name: str, max_val: Any) -> None:
        """Drop the values of range name that are >= max_val."""
        for other, values in self.ranges:
            if other == name:
                values[:] = [v for v in values if v < max_val]
                return
        raise RuntimeError(f"restrict_range: parameter {name} not found")


############################################################################
# Timer


class TimerIter:
    """One pass of a RepeatTimer loop, timing each iteration (faiss: ``contrib.evaluation.TimerIter``).

    Parameters
    ----------
    timer : RepeatTimer
        The timer whose settings (runs, warm-up, threads, time bound) apply.
    """

    def __init__(self, timer: Any) -> None:
        self.timer, self.runs, self.ts = timer, timer.runs, []
        if timer.nt >= 0:
            omp_set_num_threads(timer.nt)

    def __iter__(self) -> Any:
        return self

    def __next__(self):
        timer = self.timer
        self.runs -= 1
        self.ts.append(time.time())
        elapsed = self.ts[-1] - self.ts[0]
        if self.runs == -1 or elapsed > timer.max_secs:
            if timer.nt >= 0:
                omp_set_num_threads(timer.remember_nt)
            times = np.diff(self.ts)
            # all runs done: drop the warm-up ones; stopped by max_secs: keep all
            timer.times = times[timer.warmup:] if len(times) == timer.runs else times
            raise StopIteration


class RepeatTimer:
    """Times an operation over repeated runs (faiss: ``contrib.evaluation.RepeatTimer``).

    ::

        timer = RepeatTimer(warmup=1, nt=1, runs=6)
        for _ in timer:
            ...  # the operation
        print(f"{timer.ms():.1f} +- {timer.ms_std():.1f} ms")

    Parameters
    ----------
    warmup : int
        Runs left out of the statistics (default 0).
    nt : int
        Threads during the runs (-1, default: leave the setting).
    runs : int
        Runs in all (default 1).
    max_secs : float
        Stop after this long (default: no bound); the runs made so far count,
        warm-up ones included.

    Raises
    ------
    ValueError
        warmup is not below runs.
    """

    def __init__(self, warmup: int = 0, nt: int = -1, runs: int = 1, max_secs: float = np.inf) -> None:
        if warmup >= runs:
            raise ValueError(f"RepeatTimer: warmup ({warmup}) must be below runs ({runs})")
        self.warmup, self.nt, self.runs, self.max_secs = warmup, nt, runs, max_secs
        self.remember_nt = omp_get_max_threads()
        self.times = np.zeros(0)

    def __iter__(self) -> Any:
        return TimerIter(self)

    def ms(self) -> Any:
        """Mean milliseconds per timed run."""
        return np.mean(self.times) * 1000

    def ms_std(self) -> Any:
        """Standard deviation of the milliseconds per run (0 for one run)."""
        return np.std(self.times) * 1000 if len(self.times) > 1 else 0.0

    def nruns(self) -> int:
        """Runs actually timed (fewer than runs - warmup after max_secs)."""
        return len(self.times)
