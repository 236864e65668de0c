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


def _style(key, curves):
    """The label and line style of a curve: a key (what, library) gets one
    colour per what and one line style per library; a plain key, matplotlib's
    next colour."""
    if not isinstance(key, tuple):
        return key, {}
    whats = list(dict.fromkeys(k[0] for k in curves if isinstance(k, tuple)))
    libraries = list(dict.fromkeys(k[1] for k in curves if isinstance(k, tuple)))
    return f"{key[0]}, {key[1]}", dict(color=f"C{whats.index(key[0]) % 10}",
                                       linestyle=LINESTYLES[libraries.index(key[1]) % len(LINESTYLES)])


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
    for key, points in curves.items():
        points = sorted(points)
        label, style = _style(key, curves)
        ax.plot([r for r, _ in points], [q for _, q in points], marker="o", markersize=3, label=label, **style)
    ax.set_yscale("log")
    ax.set_xlabel("recall@10")
    ax.set_ylabel("queries per second")
    ax.set_title(f"{title}\n{machine()}", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7 if len(curves) > 6 else None)
    _save(plt, fig, path)
    return path


def time_size(path, title, sizes, series, ylabel="seconds", machine_name=None, xlabel="size"):
    """Time (log scale) against problem size: sizes are the x labels in
    order, series = {library: [seconds per size, None where not run]} (a key
    may be (what, library), styled as in recall_qps). machine_name replaces
    this machine's name in the title (a chart drawn from another machine's
    figures); xlabel names the x axis (the sizes may be settings)."""
    plt = _pyplot()
    if plt is None:
        print("chart: matplotlib is not installed; no chart drawn")
        return None
    fig, ax = plt.subplots(figsize=(7, 4.5))
    xs = list(range(len(sizes)))
    for name, values in series.items():
        pts = [(x, v) for x, v in zip(xs, values) if v is not None]
        label, style = _style(name, series)
        ax.plot([x for x, _ in pts], [v for _, v in pts], marker="o", label=label, **style)
    ax.set_xticks(xs, sizes)
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    where = f"{machine_name}, {datetime.date.today().isoformat()}" if machine_name else machine()
    ax.set_title(f"{title}\n{where}", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7 if len(series) > 6 else None)
    _save(plt, fig, path)
    return path
