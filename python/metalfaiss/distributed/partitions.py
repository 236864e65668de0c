"""The data of a distributed build, cut into partitions that tasks load.

A partition is an (n, d) matrix given as a numpy array, a file (.fvecs,
.npy, .parquet), a callable returning an array, or one block of a Ray
Dataset. Each is loaded inside the task that needs it, checked, and
turned into float32 rows; a partition that is not a matrix of d numeric
columns fails the build with its number and name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
import os

import numpy as np

from ..errors import DimensionMismatchError, InputTypeError
from .._typing import Any, ArrayLike, Float32Array, Optional, Sequence

if TYPE_CHECKING:
    from ..index import Index


class Partition:
    """One partition of the data a distributed build reads (metalfaiss only: the Ray build).

    One partition: what loads it (a picklable value) and a name for
    errors.

    Parameters
    ----------
    index : int
        The partition's number.
    source : object
        What loads it (an array, a path, a callable, a Ray block reference).
    name : str
        How errors name it.
    """

    def __init__(self, index: Index, source: Any, name: str) -> None:
        self.index = index
        self.source = source
        self.name = name

    def load(self, op: Any, d: Optional[int] = None) -> Float32Array:
        """The partition's rows as a C-contiguous float32 matrix; d, when
        given, is the dimension the build expects."""
        x = _materialise(self.source)
        where = f"{op}: partition {self.index} ({self.name})"
        if not isinstance(x, np.ndarray):
            x = np.asarray(x)
        if x.dtype.kind not in "fiu":
            raise InputTypeError(f"{where} has dtype {x.dtype}, not a numeric one")
        if x.ndim != 2:
            raise DimensionMismatchError(f"{where} has shape {x.shape}, not (n, d)")
        if d is not None and x.shape[1] != d:
            raise DimensionMismatchError(f"{where} has dimension {x.shape[1]}, the build has {d}")
        return np.ascontiguousarray(x, dtype=np.float32)


def _materialise(source):
    """The array behind a partition's source, in the task that loads it."""
    if callable(source):
        return source()
    if isinstance(source, (str, os.PathLike)):
        return _read_file(os.fspath(source))
    if isinstance(source, dict):  # a Ray Dataset block: one column of rows
        if len(source) != 1:
            raise InputTypeError(f"a dataset block has columns {sorted(source)}: pass column= to pick one")
        (col,) = source.values()
        return np.stack(col) if col.dtype == object else col
    return source


def _read_file(path):
    if path.endswith(".fvecs"):
        from ..contrib.vecs_io import fvecs_read

        return fvecs_read(path)
    if path.endswith(".npy"):
        return np.load(path, mmap_mode="r")
    if path.endswith(".parquet"):
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        if table.num_columns != 1:
            raise InputTypeError(f"{path} has columns {table.column_names}; one column of vectors is expected")
        return np.stack(table.column(0).to_numpy(zero_copy_only=False))
    raise InputTypeError(f"{path}: expected a .fvecs, .npy or .parquet file")


def partitions_of(data: ArrayLike, op: Any, column: Any = None) -> Any:
    """The partitions of a distributed build's data (metalfaiss only: the Ray build).

    data as a list of Partitions: a Ray Dataset (one partition a block)
    or a list of arrays, paths and callables.

    Parameters
    ----------
    data : Ray Dataset or list
        The data: a Ray Dataset (one partition a block) or a list of arrays,
        paths and callables.
    op : str
        The operation, for error messages.
    column : str, optional
        The Dataset's vector column.

    Returns
    -------
    list of Partition
        The partitions.
    """
    if hasattr(data, "to_numpy_refs"):  # a ray.data.Dataset
        refs = data.to_numpy_refs(column=column) if column else data.to_numpy_refs()
        return [Partition(i, r, f"dataset block {i}") for i, r in enumerate(refs)]
    if isinstance(data, np.ndarray) or not isinstance(data, (list, tuple)):
        raise InputTypeError(f"{op}: data must be a Ray Dataset or a list of partitions "
                             f"(arrays, .fvecs/.npy/.parquet paths, callables), got {type(data).__name__}")
    if not data:
        raise InputTypeError(f"{op}: no partitions given")
    return [Partition(i, s, _name(s)) for i, s in enumerate(data)]


def _name(source):
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    if isinstance(source, np.ndarray):
        return f"array {source.shape} {source.dtype}"
    return getattr(source, "__name__", type(source).__name__)


def bottom_sample(x: ArrayLike, seed: int, part: Any, size: int) -> Any:
    """A partition's share of the uniform training sample (metalfaiss only: the Ray build).

    Up to size rows of x with their sampling keys, the smallest of a
    uniform draw seeded by (seed, part): merging every partition's by key
    gives a uniform sample of the whole data that does not depend on how
    many tasks ran or in which order.

    Parameters
    ----------
    x : (n, d) float32 array
        A partition's rows.
    seed : int
        The sample's seed.
    part : int
        The partition's number.
    size : int
        Rows wanted in all.

    Returns
    -------
    keys, rows
        Up to size rows with their sampling keys.
    """
    keys = np.random.default_rng([seed, part]).random(len(x))
    if len(x) > size:
        pick = np.argpartition(keys, size - 1)[:size]
        pick.sort()
    else:
        pick = np.arange(len(x))
    return keys[pick], x[pick]


def merge_samples(keyed: Any, size: int) -> Any:
    """The training sample from every partition's share (metalfaiss only: the Ray build).

    The size rows of smallest key among partitions' bottom_sample
    answers [(keys, rows), ...], in partition and row order.

    Parameters
    ----------
    keyed : list of (keys, rows)
        Every partition's bottom_sample answer.
    size : int
        Rows wanted.

    Returns
    -------
    (size, d) ndarray
        The rows of smallest key.
    """
    keys = np.concatenate([k for k, _ in keyed])
    rows = np.concatenate([r for _, r in keyed])
    pick = np.sort(np.argsort(keys, kind="stable")[:size])
    return np.ascontiguousarray(rows[pick])


def draw_sample(arrays: Sequence[ArrayLike], seed: int, size: int) -> Float32Array:
    """The training sample, drawn in one process (metalfaiss only: the Ray build).

    The sample build_index trains on, drawn here from in-memory
    partitions (for one-process comparisons).

    Parameters
    ----------
    arrays : sequence of (n_i, d) arrays
        The partitions.
    seed : int
        The sample's seed.
    size : int
        Rows wanted.

    Returns
    -------
    (size, d) float32 ndarray
        The sample.
    """
    return merge_samples([bottom_sample(x, seed, i, size) for i, x in enumerate(arrays)], size)
