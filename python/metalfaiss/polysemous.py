"""Polysemous codes: PolysemousTraining renumbers the centroids of a
product quantizer so that the Hamming distance between two codes follows
the distance between what they stand for; IndexPQ and IndexIVFPQ can then
skip, by Hamming distance, the codes a query need not measure
(``polysemous_ht``). Renumbering changes the codes, not the distances
between them, so search results stay the same."""

from __future__ import annotations

import math

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from .errors import InputTypeError, InvalidArgumentError
from ._typing import Any


class PolysemousTraining:
    """How a product quantizer's centroids are renumbered for polysemous search (faiss: ``PolysemousTraining``).

    With its SimulatedAnnealingParameters: the fields and defaults of faiss.
    metalfaiss offers OT_None and OT_ReproduceDistances_affine (the default);
    the annealing draws from faiss's generator with ``seed``. Set it as
    ``index.polysemous_training`` before ``train`` with
    ``do_polysemous_training``.
    """

    OT_None = 0
    OT_ReproduceDistances_affine = 1
    OT_Ranking_weighted_diff = 2

    _FIELDS = ("optimization_type", "ntrain_permutation", "dis_weight_factor", "max_memory", "init_temperature",
               "temperature_decay", "n_iter", "n_redo", "seed", "only_bit_flips", "init_random")

    def __init__(self) -> None:
        self.optimization_type = self.OT_ReproduceDistances_affine
        self.ntrain_permutation = 0
        self.dis_weight_factor = math.log(2)
        self.max_memory = 20 * 1024 ** 3
        self.init_temperature = 0.7
        self.temperature_decay = 0.9 ** (1 / 500)
        self.n_iter = 500000
        self.n_redo = 2
        self.seed = 123
        self.verbose = 0
        self.only_bit_flips = False
        self.init_random = False
        self.log_pattern = ""

    def _block(self, op):
        values = []
        for name in self._FIELDS:
            v = getattr(self, name)
            if isinstance(v, (bool, np.bool_)):
                v = int(v)
            if not isinstance(v, (int, float, np.integer, np.floating)):
                raise InputTypeError(f"{op}: polysemous_training.{name} must be a number, got {type(v).__name__}")
            values.append(float(v))
        if values[0] not in (0, 1):
            raise InvalidArgumentError(f"{op}: optimization_type {values[0]:g}: metalfaiss has OT_None (0) and "
                                       f"OT_ReproduceDistances_affine (1)")
        return np.array(values, dtype=np.float64)

    def memory_usage_per_thread(self, pq: Any) -> Any:
        """Bytes the renumbering's optimisation needs per thread for pq."""
        return 0 if self.optimization_type == self.OT_None else pq.ksub * pq.ksub * 8 * 3

    def __repr__(self) -> str:
        return "PolysemousTraining(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in self._FIELDS) + ")"


class PolysemousMixin:
    """Polysemous settings of IndexPQ and IndexIVFPQ (faiss: their ``polysemous_*`` fields).

    do_polysemous_training, polysemous_training and polysemous_ht on
    IndexPQ and IndexIVFPQ; the settings reach the Go core at train.
    """

    _default_training = True  # IndexPQ holds one; faiss's IndexIVFPQ holds None (defaults used)

    @property
    def do_polysemous_training(self) -> bool:
        """Renumber the PQ centroids at train time for polysemous search."""
        return bool(getattr(self, "_do_polysemous", False))

    @do_polysemous_training.setter
    def do_polysemous_training(self, value: Any) -> None:
        self._do_polysemous = bool(value)

    @property
    def polysemous_training(self) -> Any:
        """The PolysemousTraining settings train uses (None: faiss's defaults)."""
        if "_polysemous" not in self.__dict__:
            self._polysemous = PolysemousTraining() if self._default_training else None
        return self._polysemous

    @polysemous_training.setter
    def polysemous_training(self, pt: Any) -> None:
        if pt is not None and not isinstance(pt, PolysemousTraining):
            raise InputTypeError(f"{self._op('polysemous_training')}: expected a PolysemousTraining, "
                                 f"got {type(pt).__name__}")
        self._polysemous = pt

    def _send_polysemous(self):
        op = self._op("train")
        pt = self.polysemous_training or PolysemousTraining()
        _bridge.call("PQSetPolysemous", self._h("train"), self.do_polysemous_training, addr(pt._block(op)))

    def _search_settings(self, search_type=-1, ht=-1):
        out = np.zeros(2, dtype=np.int64)
        _bridge.call("PQSearchSettings", self._h("polysemous_ht"), search_type, ht, addr(out))
        return out

    @property
    def polysemous_ht(self) -> int:
        """The Hamming threshold of polysemous search: codes at this
        Hamming distance from the query's code or more are skipped (0:
        none)."""
        return int(self._search_settings()[1])

    @polysemous_ht.setter
    def polysemous_ht(self, value: Any) -> None:
        op = self._op("polysemous_ht")
        value = as_int(value, op, "polysemous_ht")
        if value < 0:
            raise InvalidArgumentError(f"{op}: polysemous_ht must be >= 0, got {value}")
        self._search_settings(ht=value)
