"""The .fvecs / .ivecs / .bvecs files of the classic ANN benchmarks: each
row is its dimension d as an int32, then d values (float32, int32 or uint8).
The *_read functions load a file, the *_mmap ones map it, the *_write ones
write a matrix."""

from __future__ import annotations

import os

import numpy as np

from metalfaiss.errors import InvalidArgumentError
from .._typing import ArrayLike, Float32Array, Int32Array, Iterator, PathLike, UInt8Array


def _rows(flat, fname, width_of_d=1):
    """View a file's int32 (or byte) words as rows, checking that every row
    has the dimension the first one states."""
    if flat.size == 0:
        return flat.reshape(0, 0)
    d = int(flat[:width_of_d].view(np.int32)[0])
    row = d + width_of_d
    if d <= 0 or flat.size % row:
        raise InvalidArgumentError(f"vecs_io: {fname} is not a vecs file (dimension {d}, {flat.size} words)")
    rows = flat.reshape(-1, row)
    if not (rows[:, :width_of_d].copy().view(np.int32) == d).all():
        raise InvalidArgumentError(f"vecs_io: {fname} has rows of several dimensions")
    return rows[:, width_of_d:]


def ivecs_read(fname: PathLike) -> Int32Array:
    """Load an .ivecs file (faiss: ``contrib.vecs_io.ivecs_read``).

    Parameters
    ----------
    fname : str or os.PathLike
        The .ivecs file.

    Returns
    -------
    (n, d) int32 ndarray
        A copy of its rows.

    Raises
    ------
    InvalidArgumentError
        The file is not a vecs file of that kind (rows of different dimensions, a
        size that is not whole rows).
    OSError
        The file cannot be read.
    """
    return _rows(np.fromfile(fname, dtype=np.int32), fname).copy()


def fvecs_read(fname: PathLike) -> Float32Array:
    """Load an .fvecs file (faiss: ``contrib.vecs_io.fvecs_read``).

    Parameters
    ----------
    fname : str or os.PathLike
        The .fvecs file.

    Returns
    -------
    (n, d) float32 ndarray
        A copy of its rows.

    Raises
    ------
    InvalidArgumentError
        The file is not a vecs file of that kind (rows of different dimensions, a
        size that is not whole rows).
    OSError
        The file cannot be read.
    """
    return ivecs_read(fname).view(np.float32)


def ivecs_mmap(fname: PathLike) -> Int32Array:
    """Map an .ivecs file read-only (faiss: ``contrib.vecs_io.ivecs_mmap``).

    Parameters
    ----------
    fname : str or os.PathLike
        The .ivecs file.

    Returns
    -------
    (n, d) int32 ndarray
        A view of the mapped file (only the rows used are read).

    Raises
    ------
    InvalidArgumentError
        The file is not a vecs file of that kind (rows of different dimensions, a
        size that is not whole rows).
    OSError
        The file cannot be read.
    """
    if os.path.getsize(fname) == 0:
        return np.zeros((0, 0), dtype=np.int32)
    return _rows(np.memmap(fname, dtype=np.int32, mode="r"), fname)


def fvecs_mmap(fname: PathLike) -> Float32Array:
    """Map an .fvecs file read-only (faiss: ``contrib.vecs_io.fvecs_mmap``).

    Parameters
    ----------
    fname : str or os.PathLike
        The .fvecs file.

    Returns
    -------
    (n, d) float32 ndarray
        A view of the mapped file (only the rows used are read).

    Raises
    ------
    InvalidArgumentError
        The file is not a vecs file of that kind (rows of different dimensions, a
        size that is not whole rows).
    OSError
        The file cannot be read.
    """
    return ivecs_mmap(fname).view(np.float32)


def bvecs_mmap(fname: PathLike) -> UInt8Array:
    """Map a .bvecs file read-only (faiss: ``contrib.vecs_io.bvecs_mmap``).

    Parameters
    ----------
    fname : str or os.PathLike
        The .bvecs file.

    Returns
    -------
    (n, d) uint8 ndarray
        A view of the mapped file (only the rows used are read).

    Raises
    ------
    InvalidArgumentError
        The file is not a vecs file of that kind (rows of different dimensions, a
        size that is not whole rows).
    OSError
        The file cannot be read.
    """
    if os.path.getsize(fname) == 0:
        return np.zeros((0, 0), dtype=np.uint8)
    return _rows(np.memmap(fname, dtype=np.uint8, mode="r"), fname, width_of_d=4)


def _write(fname, m, dtype):
    m = np.asarray(m)
    if m.ndim != 2:
        raise InvalidArgumentError(f"vecs_io: expected a matrix, got shape {m.shape}")
    out = np.empty((m.shape[0], m.shape[1] + 1), dtype=np.int32)
    out[:, 0] = m.shape[1]
    out[:, 1:] = np.ascontiguousarray(m, dtype=dtype).view(np.int32)
    out.tofile(fname)


def ivecs_write(fname: PathLike, m: ArrayLike) -> None:
    """Write a matrix as an .ivecs file (int32 values) (faiss: ``contrib.vecs_io.ivecs_write``).

    Parameters
    ----------
    fname : str or os.PathLike
        The file to write.
    m : (n, d) int32-convertible
        The rows.

    Raises
    ------
    InvalidArgumentError
        m is not a matrix.
    OSError
        The file cannot be written.
    """
    _write(fname, m, np.int32)


def fvecs_write(fname: PathLike, m: ArrayLike) -> None:
    """Write a matrix as an .fvecs file (float32 values) (faiss: ``contrib.vecs_io.fvecs_write``).

    Parameters
    ----------
    fname : str or os.PathLike
        The file to write.
    m : (n, d) float32-convertible
        The rows.

    Raises
    ------
    InvalidArgumentError
        m is not a matrix.
    OSError
        The file cannot be written.
    """
    _write(fname, m, np.float32)


def bvecs_iter(filepath: PathLike, batch_size: int = 100000) -> Iterator[UInt8Array]:
    """The rows of a .bvecs file in batches (faiss: ``contrib.vecs_io.bvecs_iter``).

    Parameters
    ----------
    filepath : str or os.PathLike
        The .bvecs file.
    batch_size : int
        Rows per batch (default 100,000; the last may be shorter).

    Yields
    ------
    (batch_size, d) uint8 ndarray
        A view of the mapped file (only the rows used are read).

    Raises
    ------
    InvalidArgumentError
        The file is not a .bvecs file.
    """
    x = bvecs_mmap(filepath)
    for start in range(0, x.shape[0], batch_size):
        yield x[start:start + batch_size]


def _chunk_files(chunk_folder):
    """chunk_0000.bvecs, chunk_0001.bvecs, ... of a folder, checked for gaps."""
    numbered = {}
    for entry in os.scandir(chunk_folder):
        if entry.is_file() and entry.name.startswith("chunk_") and entry.name.endswith(".bvecs"):
            try:
                numbered[int(entry.name[len("chunk_"):-len(".bvecs")])] = entry.path
            except ValueError:
                raise ValueError(f"bvecs_iter_chunked: {entry.name} is not named chunk_<number>.bvecs") from None
    if not numbered:
        raise ValueError(f"bvecs_iter_chunked: no chunk_*.bvecs files in {chunk_folder}")
    missing = sorted(set(range(len(numbered))) - set(numbered))
    if missing:
        raise ValueError(f"bvecs_iter_chunked: chunks {missing} are missing from {chunk_folder} "
                         f"(found {sorted(numbered)})")
    return [numbered[i] for i in range(len(numbered))]


def bvecs_iter_chunked(chunk_folder: PathLike, batch_size: int = 100000) -> Iterator[UInt8Array]:
    """The rows of a folder of .bvecs chunks, in batches (faiss: ``contrib.vecs_io.bvecs_iter_chunked``).

    The files are chunk_<i>.bvecs, read in order of i.

    A batch may span two files.

    Parameters
    ----------
    chunk_folder : str or os.PathLike
        The folder holding chunk_0000.bvecs, chunk_0001.bvecs, ...
    batch_size : int
        Rows per batch (default 100,000; the last may be shorter).

    Yields
    ------
    (batch_size, d) uint8 ndarray
        The next rows.

    Raises
    ------
    ValueError
        No chunk files, a file not named chunk_<number>.bvecs, or a missing
        chunk number.
    """
    pending = []  # rows carried over to the next file
    for path in _chunk_files(chunk_folder):
        x = bvecs_mmap(path)
        start = 0
        if pending:
            have = sum(len(p) for p in pending)
            take = min(batch_size - have, len(x))
            pending.append(x[:take])
            start = take
            if have + take < batch_size:
                continue
            yield np.vstack(pending)
            pending = []
        while start + batch_size <= len(x):
            yield x[start:start + batch_size]
            start += batch_size
        if start < len(x):
            pending = [np.array(x[start:])]
    if pending:
        yield np.vstack(pending)
