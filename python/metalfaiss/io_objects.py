"""faiss's I/O objects, which write_index / read_index (and the transform
and binary variants) accept in place of a file name: callbacks
(PyCallbackIOWriter / PyCallbackIOReader), memory (VectorIOWriter /
VectorIOReader, ZeroCopyIOReader), files (FileIOWriter / FileIOReader) and
buffering (BufferedIOWriter / BufferedIOReader). Readers hand back what an
object did not use, so several objects can follow each other in one
stream; read_index parses as the bytes arrive, so that a reader fed by a
pipe is not read past the index."""

from __future__ import annotations

import os

import numpy as np

from ._arrays import as_int
from .errors import InputTypeError, InvalidArgumentError
from .swig_pointers import as_bytes
from .vectors import UInt8Vector
from ._typing import Any

_DEFAULT_BLOCK = 1 << 20


class IOWriter:
    """Something index bytes are written to (faiss: ``IOWriter``).

    ``write_index(index, writer)`` writes through one; ``writer(ptr, size,
    nitems)`` writes size * nitems bytes from a swig_ptr, as faiss's does.
    The subclasses say where the bytes go.
    """

    def __call__(self, ptr: Any, size: int, nitems: Any) -> Any:
        n = as_int(size, "IOWriter", "size") * as_int(nitems, "IOWriter", "nitems")
        data = as_bytes(ptr, "IOWriter", "ptr")
        if n > data.shape[0]:
            raise InvalidArgumentError(f"IOWriter: {n} bytes asked from a buffer of {data.shape[0]}")
        self._write(data[:n].tobytes())
        return nitems


class IOReader:
    """Something index bytes are read from (faiss: ``IOReader``).

    ``read_index(reader)`` reads through one; ``reader(ptr, size, nitems)``
    fills size * nitems bytes at a swig_ptr and returns the items read. The
    subclasses say where the bytes come from.
    """

    def __init__(self) -> None:
        self._pending = b""

    # Each kind defines _more(n): up to n new bytes (fewer when fewer are
    # ready; b"" at the end).

    def _some(self, n):
        """Up to n bytes: those handed back first, else new ones."""
        if self._pending:
            out, self._pending = self._pending[:n], self._pending[n:]
            return out
        return self._more(n)

    def _unread(self, data):
        self._pending = bytes(data) + self._pending

    def _exactly(self, n):
        parts, got = [], 0
        while got < n:
            part = self._some(n - got)
            if not part:
                break
            parts.append(part)
            got += len(part)
        return b"".join(parts)

    def _rest(self):
        """Everything left."""
        parts = []
        while True:
            part = self._some(_DEFAULT_BLOCK)
            if not part:
                return b"".join(parts)
            parts.append(part)

    def __call__(self, ptr: Any, size: int, nitems: Any) -> Any:
        size, nitems = as_int(size, "IOReader", "size"), as_int(nitems, "IOReader", "nitems")
        out = as_bytes(ptr, "IOReader", "ptr", True)
        if size * nitems > out.shape[0]:
            raise InvalidArgumentError(f"IOReader: {size * nitems} bytes asked for a buffer of {out.shape[0]}")
        data = self._exactly(size * nitems)
        whole = len(data) // size if size else 0
        out[:whole * size] = np.frombuffer(data[:whole * size], dtype=np.uint8)
        self._unread(data[whole * size:])
        return whole


def _check_callback(callback, op):
    if not callable(callback):
        raise InputTypeError(f"{op}: the callback must be callable, got {type(callback).__name__}")


class PyCallbackIOWriter(IOWriter):
    """An IOWriter that hands the bytes to a Python callable (faiss: ``PyCallbackIOWriter``).

    Parameters
    ----------
    callback : callable
        Called as callback(bytes) with blocks of at most bs bytes.
    bs : int
        Block size in bytes (default 1 MiB).

    Raises
    ------
    InputTypeError
        bs is not an integer (a callback that is not callable raises at the
        first write).
    """

    def __init__(self, callback: Any, bs: int = _DEFAULT_BLOCK) -> None:
        self.callback, self.bs = callback, max(1, as_int(bs, "PyCallbackIOWriter", "bs"))

    def _write(self, data):
        _check_callback(self.callback, "PyCallbackIOWriter")
        for i in range(0, len(data), self.bs):
            self.callback(data[i:i + self.bs])


class PyCallbackIOReader(IOReader):
    """An IOReader that takes the bytes from a Python callable (faiss: ``PyCallbackIOReader``).

    Parameters
    ----------
    callback : callable
        Called as callback(n); returns up to n bytes (fewer when fewer are
        ready, b"" at the end).
    bs : int
        Most bytes asked for at once (default 1 MiB).

    Raises
    ------
    InputTypeError
        bs is not an integer.
    """

    def __init__(self, callback: Any, bs: int = _DEFAULT_BLOCK) -> None:
        super().__init__()
        self.callback, self.bs = callback, max(1, as_int(bs, "PyCallbackIOReader", "bs"))

    def _more(self, n):
        _check_callback(self.callback, "PyCallbackIOReader")
        data = self.callback(min(n, self.bs))
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise InputTypeError(f"PyCallbackIOReader: the callback returned {type(data).__name__}, not bytes")
        return bytes(data)


class VectorIOWriter(IOWriter):
    """An IOWriter into ``data``, a UInt8Vector (faiss: ``VectorIOWriter``)."""

    def __init__(self) -> None:
        self.data = UInt8Vector()

    def _write(self, data):
        self.data._extend(np.frombuffer(data, dtype=np.uint8))


class VectorIOReader(IOReader):
    """An IOReader of ``data`` (a UInt8Vector) from position ``rp`` (faiss: ``VectorIOReader``)."""

    def __init__(self) -> None:
        super().__init__()
        self.data = UInt8Vector()
        self.rp = 0

    def _more(self, n):
        out = self.data._a[self.rp:self.rp + n].tobytes()
        self.rp += len(out)
        return out

    def _unread(self, data):
        self.rp -= len(data)  # the bytes are still in data


class ZeroCopyIOReader(IOReader):
    """An IOReader of memory, without a copy (faiss: ``ZeroCopyIOReader``).

    Parameters
    ----------
    ptr : swig_ptr
        The memory (of a uint8 array).
    size : int
        Bytes to read.

    Raises
    ------
    InputTypeError
        ptr is not a pointer, or size not an integer.
    """

    def __init__(self, ptr: Any, size: int) -> None:
        super().__init__()
        self._buf = as_bytes(ptr, "ZeroCopyIOReader", "ptr")[:as_int(size, "ZeroCopyIOReader", "size")]
        self.rp = 0

    def _more(self, n):
        out = self._buf[self.rp:self.rp + n].tobytes()
        self.rp += len(out)
        return out

    def _unread(self, data):
        self.rp -= len(data)


class FileIOWriter(IOWriter):
    """An IOWriter to a file (faiss: ``FileIOWriter``).

    Parameters
    ----------
    f : str, os.PathLike or writable binary file object
        A path (opened here, and closed when the writer is) or an open file.

    Raises
    ------
    OSError
        The path cannot be opened.
    """

    def __init__(self, f: Any) -> None:
        self._own = isinstance(f, (str, bytes, os.PathLike))
        self.f = open(f, "wb") if self._own else f

    def _write(self, data):
        self.f.write(data)

    def close(self) -> None:
        """Close the file, if this writer opened it."""
        if self._own and not self.f.closed:
            self.f.close()

    def __del__(self) -> None:
        self.close()


class FileIOReader(IOReader):
    """An IOReader of a file (faiss: ``FileIOReader``).

    Parameters
    ----------
    f : str, os.PathLike or readable binary file object
        A path (opened here, and closed when the reader is) or an open file.

    Raises
    ------
    OSError
        The path cannot be opened.
    """

    def __init__(self, f: Any) -> None:
        super().__init__()
        self._own = isinstance(f, (str, bytes, os.PathLike))
        self.f = open(f, "rb") if self._own else f

    def _more(self, n):
        return self.f.read(n)

    def close(self) -> None:
        """Close the file, if this reader opened it."""
        if self._own and not self.f.closed:
            self.f.close()

    def __del__(self) -> None:
        self.close()


class BufferedIOWriter(IOWriter):
    """An IOWriter that collects writes into blocks for another (faiss: ``BufferedIOWriter``).

    The rest goes out on ``flush()`` or when it is deleted.

    Parameters
    ----------
    writer : IOWriter
        Where the blocks go.
    bsz : int
        Block size in bytes (default 1 MiB).

    Raises
    ------
    InputTypeError
        writer is not an IOWriter.
    """

    def __init__(self, writer: Any, bsz: Any = _DEFAULT_BLOCK) -> None:
        if not isinstance(writer, IOWriter):
            raise InputTypeError(f"BufferedIOWriter: expected an IOWriter, got {type(writer).__name__}")
        self.writer, self.bsz, self._buf = writer, max(1, as_int(bsz, "BufferedIOWriter", "bsz")), bytearray()

    def _write(self, data):
        self._buf += data
        while len(self._buf) >= self.bsz:
            self.writer._write(bytes(self._buf[:self.bsz]))
            del self._buf[:self.bsz]

    def flush(self) -> None:
        """Write what is buffered to the underlying writer."""
        if self._buf:
            self.writer._write(bytes(self._buf))
            self._buf.clear()

    def __del__(self) -> None:
        self.flush()


class BufferedIOReader(IOReader):
    """An IOReader that reads another a block at a time (faiss: ``BufferedIOReader``).

    Parameters
    ----------
    reader : IOReader
        Where the bytes come from.
    bsz : int
        Block size in bytes (default 1 MiB).

    Raises
    ------
    InputTypeError
        reader is not an IOReader.
    """

    def __init__(self, reader: Any, bsz: Any = _DEFAULT_BLOCK) -> None:
        super().__init__()
        if not isinstance(reader, IOReader):
            raise InputTypeError(f"BufferedIOReader: expected an IOReader, got {type(reader).__name__}")
        self.reader, self.bsz = reader, max(1, as_int(bsz, "BufferedIOReader", "bsz"))

    def _more(self, n):
        block = self.reader._some(max(n, self.bsz))
        self._unread(block[n:])
        return block[:n]
