"""Charts of benchmark results, written as PNG beside the printed tables.

matplotlib is a benchmark-only dependency (``make bench`` installs it); a
script that cannot import it prints its tables and says that it drew no
chart. Every chart names the machine in its title (timing.cpu_line), since
a ratio measured on one CPU is not a claim about another.
"""

import datetime
import os

from timing import cpu_line


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        return None
    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt

    return plt


def machine():
    """The CPU model and core count, short enough for a title."""
    model = cpu_line().removeprefix("cpu: ").split(" (family")[0].split(",")[0]
    return f"{model}, {os.cpu_count()} cores, {datetime.date.today().isoformat()}"


def _save(plt, fig, path):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    print(f"chart: {path}")


LINESTYLES = ("-", "--", ":", "-.")


def recall_qps(path, title, curves):
    """Recall on x, queries per second (log scale) on y: one curve per
    library, curves = {library: [(recall, qps), ...]}. A key may also be
    (index, library), for charts of several indexes: one colour per index,
    one line style per library. Returns the path, or None without
    matplotlib."""
    plt = _pyplot()
    if plt is None:
        print("chart: matplotlib is not installed; no chart drawn")
        return None
    fig, ax = plt.subplots(figsize=(7, 4.5))
    indexes = list(dict.fromkeys(key[0] for key in curves if isinstance(key, tuple)))
    libraries = list(dict.fromkeys(key[1] for key in curves if isinstance(key, tuple)))
    for key, points in curves.items():
        points = sorted(points)
        style = {}
        if isinstance(key, tuple):
            style = dict(color=f"C{indexes.index(key[0]) % 10}",
                         linestyle=LINESTYLES[libraries.index(key[1]) % len(LINESTYLES)])
            key = f"{key[0]}, {key[1]}"
        ax.plot([r for r, _ in points], [q for _, q in points], marker="o", markersize=3, label=key, **style)
    ax.set_yscale("log")
    ax.set_xlabel("recall@10")
    ax.set_ylabel("queries per second")
    ax.set_title(f"{title}\n{machine()}", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7 if len(curves) > 6 else None)
    _save(plt, fig, path)
    return path


def time_size(path, title, sizes, series, ylabel="seconds"):
    """Time (log scale) against problem size: sizes are the x labels in
    order, series = {library: [seconds per size, None where not run]}."""
    plt = _pyplot()
    if plt is None:
        print("chart: matplotlib is not installed; no chart drawn")
        return None
    fig, ax = plt.subplots(figsize=(7, 4.5))
    xs = list(range(len(sizes)))
    for name, values in series.items():
        pts = [(x, v) for x, v in zip(xs, values) if v is not None]
        ax.plot([x for x, _ in pts], [v for _, v in pts], marker="o", label=name)
    ax.set_xticks(xs, sizes)
    ax.set_yscale("log")
    ax.set_xlabel("size")
    ax.set_ylabel(ylabel)
    ax.set_title(f"{title}\n{machine()}", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    _save(plt, fig, path)
    return path
