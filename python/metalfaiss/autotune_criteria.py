"""faiss's autotuning criteria: how good a search result is against a
ground truth, as ParameterSpace explorations score operating points.
``OneRecallAtRCriterion(nq, R)``: the share of queries whose true nearest
neighbour is among the first R results; ``IntersectionCriterion(nq, R)``:
the share of the true R nearest found among the first R results."""

from __future__ import annotations

import numpy as np

from ._arrays import as_int
from .errors import DimensionMismatchError, InvalidArgumentError
from .vectors import Float32Vector, Int64Vector
from ._typing import Any, ArrayLike


class AutoTuneCriterion:
    """How good a search's results are against the ground truth (faiss: ``AutoTuneCriterion``).

    ``set_groundtruth(gt_D, gt_I)`` (gt_D may be None), then ``evaluate(D,
    I)`` of a search of the nq queries (arrays, or faiss's swig_ptr pointers
    to nq x R results). ParameterSpace.explore uses one.

    Parameters
    ----------
    nq : int
        Number of queries.
    nnn : int
        Results per query that are evaluated (R).

    Raises
    ------
    InvalidArgumentError
        nq or nnn below 1.
    """

    def __init__(self, nq: int, nnn: Any) -> None:
        op = type(self).__name__
        self.nq, self.nnn = as_int(nq, op, "nq"), as_int(nnn, op, "nnn")
        if self.nq <= 0 or self.nnn <= 0:
            raise InvalidArgumentError(f"{op}: nq and R must be positive, got {self.nq}, {self.nnn}")
        self.gt_nnn = 0
        self.gt_D, self.gt_I = Float32Vector(), Int64Vector()

    def set_groundtruth(self, gt_D: Any, gt_I: Any) -> None:
        """Give the true results: gt_I (nq, gt_nnn) ids (gt_D, the distances, may be None)."""
        op = f"{type(self).__name__}.set_groundtruth"
        gt_I = np.asarray(gt_I, dtype=np.int64)
        if gt_I.ndim != 2 or gt_I.shape[0] != self.nq:
            raise DimensionMismatchError(f"{op}: gt_I must have nq={self.nq} rows, got shape {gt_I.shape}")
        self.gt_nnn = gt_I.shape[1]
        self.gt_I._assign(gt_I)
        self.gt_D._assign(np.zeros(0, np.float32) if gt_D is None else np.asarray(gt_D, dtype=np.float32))

    def _results(self, D, I):
        op = f"{type(self).__name__}.evaluate"
        if self.gt_nnn == 0:
            raise InvalidArgumentError(f"{op}: set the ground truth first")
        from .swig_pointers import SwigPtr, region

        if isinstance(I, SwigPtr):  # faiss's form: pointers to nq x R results
            I = region(I, np.int64, self.nq * self.nnn, op, "I").reshape(self.nq, self.nnn)
        I = np.asarray(I, dtype=np.int64)
        if I.ndim != 2 or I.shape[0] != self.nq or I.shape[1] < self.nnn:
            raise DimensionMismatchError(f"{op}: I must be ({self.nq}, >= {self.nnn}), got {I.shape}")
        return I[:, :self.nnn], self.gt_I._a.reshape(self.nq, self.gt_nnn)


class OneRecallAtRCriterion(AutoTuneCriterion):
    """Share of queries whose true nearest is in the first R (faiss: ``OneRecallAtRCriterion``).

    Parameters
    ----------
    nq : int
        Number of queries.
    nnn : int
        R.

    Raises
    ------
    InvalidArgumentError
        nq or R below 1.
    """

    def evaluate(self, D: ArrayLike, I: ArrayLike) -> float:
        """The criterion's value for search results (D, I) of the nq queries."""
        I, gt = self._results(D, I)
        return float((I == gt[:, :1]).any(axis=1).mean())


class IntersectionCriterion(AutoTuneCriterion):
    """Mean share of the R true nearest in the first R (faiss: ``IntersectionCriterion``).

    Parameters
    ----------
    nq : int
        Number of queries.
    nnn : int
        R.

    Raises
    ------
    InvalidArgumentError
        nq or R below 1.
    """

    def evaluate(self, D: ArrayLike, I: ArrayLike) -> Any:
        """The criterion's value for search results (D, I) of the nq queries."""
        I, gt = self._results(D, I)
        if self.gt_nnn < self.nnn:
            raise InvalidArgumentError(f"IntersectionCriterion.evaluate: the ground truth has {self.gt_nnn} "
                                       f"neighbours, R={self.nnn}")
        hits = sum(len(np.intersect1d(I[q], gt[q, :self.nnn])) for q in range(self.nq))
        return hits / float(self.nq * self.nnn)
