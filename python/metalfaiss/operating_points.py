"""faiss's OperatingPoints (autotune): experiments as (performance, time,
key), of which the Pareto-optimal ones are kept: no other point is at
least as accurate and at least as fast."""

from __future__ import annotations

from .faiss_clustering import _StatsVector
from ._typing import Any, PathLike


class OperatingPoint:
    """One experiment of a parameter search (faiss: ``OperatingPoint``).

    Parameters
    ----------
    perf : float
        Its performance (higher is better).
    t : float
        Its time in seconds.
    key : str
        Its parameters as text.
    cno : int
        A caller's number (default 0).
    """

    def __init__(self, perf: float, t: float, key: str, cno: int = 0) -> None:
        self.perf, self.t, self.key, self.cno = float(perf), float(t), str(key), int(cno)

    def __repr__(self) -> str:
        return f"OperatingPoint(perf={self.perf:g}, t={self.t:g}, key={self.key!r})"


class OperatingPoints:
    """Experiments and their Pareto-optimal subset (faiss: ``OperatingPoints``).

    ``all_pts`` holds every experiment added; ``optimal_pts`` the
    Pareto-optimal ones by increasing performance (and time), starting with
    doing nothing (perf 0, t 0, key "").
    """

    def __init__(self) -> None:
        self.all_pts = _StatsVector()
        self.optimal_pts = _StatsVector([OperatingPoint(0, 0, "")])

    def add(self, perf: Any, t: Any, key: int, cno: Any = 0) -> bool:
        """Record an experiment; True if it joins the optimal points (those
        it beats, at least as slow and no more accurate, leave them)."""
        op = OperatingPoint(perf, t, key, cno)
        self.all_pts.append(op)
        if op.perf <= 0 or any(p.perf >= op.perf and p.t <= op.t for p in self.optimal_pts):
            return False  # doing nothing, or beaten by a point already kept
        origin, rest = self.optimal_pts[0], self.optimal_pts[1:]
        keep = [origin] + [p for p in rest if not (p.perf <= op.perf and p.t >= op.t)] + [op]
        keep.sort(key=lambda p: (p.perf, p.t))
        self.optimal_pts = _StatsVector(keep)
        return True

    def merge_with(self, other: OperatingPoints, prefix: str = '') -> Any:
        """Add every point of other, keys prefixed; returns how many joined
        the optimal points."""
        return sum(self.add(p.perf, p.t, prefix + p.key, p.cno) for p in other.all_pts)

    def clear(self) -> None:
        """Forget every operating point."""
        self.__init__()

    def t_for_perf(self, perf: Any) -> Any:
        """The least time of an optimal point reaching perf (1e50 if none)."""
        times = [p.t for p in self.optimal_pts if p.perf >= perf]
        return min(times) if times else 1e50

    def display(self, only_optimal: Any = True) -> None:
        """Print the optimal (or all) operating points."""
        pts = self.optimal_pts if only_optimal else self.all_pts
        print(f"Tested {len(self.all_pts)} operating points, {len(self.optimal_pts)} ones are optimal:")
        for p in pts:
            print(f"cno={p.cno} key={p.key} perf={p.perf:.4f} t={p.t:.3f}")

    def _gnuplot(self, fname, pts):
        with open(fname, "w") as f:
            for p in pts:
                f.write(f"{p.perf} {p.t} {p.key}\n")

    def all_to_gnuplot(self, fname: PathLike) -> None:
        """Write every operating point to fname, gnuplot's format."""
        self._gnuplot(fname, self.all_pts)

    def optimal_to_gnuplot(self, fname: PathLike) -> None:
        """Write the optimal operating points to fname, gnuplot's format."""
        self._gnuplot(fname, self.optimal_pts)
