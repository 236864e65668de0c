"""faiss's MatrixStats: statistics of a dataset, and comments on what in
it may hurt an index (NaNs, null or repeated vectors, constant dimensions,
means large against their spread, normalised vectors)."""

from __future__ import annotations

import hashlib

import numpy as np

from ._arrays import as_matrix
from ._typing import Any

# A dimension whose mean exceeds its standard deviation this many times
# loses precision in float32 L2 distances.
_MEAN_TO_STDDEV = 1e4


class PerDimStats:
    """Statistics of one dimension over the finite rows (faiss: ``MatrixStats::PerDimStats``).

    n, n_nan, n_inf, n0 (zeros), min, max, sum, sum2, mean, stddev.

    Parameters
    ----------
    column : (n,) ndarray
        The dimension's values.
    """

    def __init__(self, column: Any) -> None:
        finite = column[np.isfinite(column)]
        self.n = int(column.shape[0])
        self.n_nan = int(np.isnan(column).sum())
        self.n_inf = int(np.isinf(column).sum())
        self.n0 = int((finite == 0).sum())
        self.min = float(finite.min()) if finite.size else float("inf")
        self.max = float(finite.max()) if finite.size else float("-inf")
        wide = finite.astype(np.float64)
        self.sum, self.sum2 = float(wide.sum()), float((wide ** 2).sum())
        self.mean = float(wide.mean()) if finite.size else float("nan")
        self.stddev = float(wide.std()) if finite.size else float("nan")


class MatrixStats:
    """A readable report on a matrix: NaNs, zeros, duplicates, norms, per-dimension ranges (faiss: ``MatrixStats``).

    ``MatrixStats(x)`` (or faiss's ``(n, d, x)``): ``comments`` is the
    report; the figures are attributes (n, d, n_valid, n0, n_collision,
    min_norm2, max_norm2, per_dim_stats, occurrences, hash_value).

    Parameters
    ----------
    *args
        ``x`` ((n, d) float32-convertible) or ``n, d, x``.
    """

    def __init__(self, *args: Any) -> None:
        x = args[-1]
        x = as_matrix(x, "MatrixStats") if len(args) == 1 else as_matrix(x, "MatrixStats", int(args[1]))[:int(args[0])]
        self.n, self.d = x.shape
        self.hash_value = int.from_bytes(hashlib.blake2b(x.tobytes(), digest_size=8).digest(), "little")
        lines = [f"analyzing {self.n} vectors of size {self.d}"]
        finite_rows = np.isfinite(x).all(axis=1)
        self.n_valid = int(finite_rows.sum())
        if self.n_valid < self.n:
            lines.append(f"{self.n - self.n_valid} vectors contain NaN or Inf values")
        valid = x[finite_rows]
        norms2 = np.einsum("ij,ij->i", valid.astype(np.float64), valid.astype(np.float64))
        self.n0 = int((norms2 == 0).sum())
        self.min_norm2 = float(norms2.min()) if norms2.size else float("nan")
        self.max_norm2 = float(norms2.max()) if norms2.size else float("nan")
        if self.n0:
            lines.append(f"{self.n0} null vectors (norm 0)")
        self.occurrences = {}
        if valid.shape[0]:
            rows, first, counts = np.unique(valid, axis=0, return_index=True, return_counts=True)
            self.n_collision = int(valid.shape[0] - rows.shape[0])
            self.occurrences = {int(i): int(c) for i, c in zip(first, counts) if c > 1}
            if self.n_collision:
                top = int(np.argmax(counts))
                lines.append(f"{rows.shape[0]} vectors are distinct ({100 * rows.shape[0] / valid.shape[0]:.2f}%)")
                lines.append(f"vector {int(first[top])} has {int(counts[top])} copies")
        else:
            self.n_collision = 0
        if norms2.size and np.allclose(norms2, 1, atol=1e-4):
            lines.append("vectors are normalized")
        self.per_dim_stats = [PerDimStats(valid[:, j]) for j in range(self.d)]
        constant = sum(1 for s in self.per_dim_stats if s.n and s.max == s.min)
        if constant:
            lines.append(f"{constant} dimensions are constant: they can be removed")
        rogue = sum(1 for s in self.per_dim_stats
                    if s.stddev > 0 and abs(s.mean) > _MEAN_TO_STDDEV * s.stddev)
        if rogue:
            lines.append(f"{rogue} dimensions are too large wrt. their variance, may lose precision in IndexFlatL2 "
                         "(use CenteringTransform)")
        self.comments = "\n".join(lines) + "\n"
