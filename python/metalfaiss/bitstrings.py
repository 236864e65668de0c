"""faiss's BitstringWriter and BitstringReader: values of 1 to 64 bits
packed back to back into a byte buffer, least significant bit first (the
layout of faiss's PQ codes and hash-index files)."""

from __future__ import annotations

from ._arrays import as_int
from .errors import InvalidArgumentError
from ._typing import Any, ArrayLike


def _buffer(code, code_size, op, writable):
    from .swig_pointers import region

    n = as_int(code_size, op, "code_size")
    if n < 0:
        raise InvalidArgumentError(f"{op}: code_size must be >= 0, got {n}")
    return region(code, "uint8", n, op, "code", writable=writable)


def _nbit(nbit, op):
    nbit = as_int(nbit, op, "nbit")
    if not 0 <= nbit <= 64:
        raise InvalidArgumentError(f"{op}: nbit must be in 0..64, got {nbit}")
    return nbit


class _Bitstring:
    def _span(self, nbit, op):
        nbit = _nbit(nbit, op)
        if self.i + nbit > 8 * self.code_size:
            raise InvalidArgumentError(f"{op}: {nbit} bits at bit {self.i} pass the end of the "
                                       f"{self.code_size}-byte buffer")
        lo, hi = self.i // 8, (self.i + nbit + 7) // 8
        return nbit, lo, hi, self.i % 8


class BitstringWriter(_Bitstring):
    """Writes bit fields into a byte buffer, lowest bit first (faiss: ``BitstringWriter``).

    ``write(x, nbit)`` stores the low nbit bits of x at the current bit and
    moves on. The buffer is zeroed first, as faiss's writer does.

    Parameters
    ----------
    code : swig_ptr (uint8)
        The buffer.
    code_size : int
        Its size in bytes.

    Raises
    ------
    InvalidArgumentError
        code_size below 0 or beyond the buffer; a write past its end.
    """

    def __init__(self, code: Any, code_size: int) -> None:
        self._buf = _buffer(code, code_size, "BitstringWriter", True)
        self._buf[:] = 0
        self.code_size = self._buf.shape[0]
        self.i = 0

    def write(self, x: ArrayLike, nbit: int) -> None:
        """Append the nbit low bits of x."""
        nbit, lo, hi, shift = self._span(nbit, "BitstringWriter.write")
        x = as_int(x, "BitstringWriter.write", "x") & ((1 << nbit) - 1)
        word = int.from_bytes(self._buf[lo:hi].tobytes(), "little") | (x << shift)
        self._buf[lo:hi] = list(word.to_bytes(hi - lo, "little"))
        self.i += nbit


class BitstringReader(_Bitstring):
    """Reads bit fields from a byte buffer, lowest bit first (faiss: ``BitstringReader``).

    ``read(nbit)`` returns the next nbit bits as an int.

    Parameters
    ----------
    code : swig_ptr (uint8)
        The buffer.
    code_size : int
        Its size in bytes.

    Raises
    ------
    InvalidArgumentError
        code_size below 0 or beyond the buffer; a read past its end.
    """

    def __init__(self, code: Any, code_size: int) -> None:
        self._buf = _buffer(code, code_size, "BitstringReader", False)
        self.code_size = self._buf.shape[0]
        self.i = 0

    def read(self, nbit: int) -> Any:
        """The next nbit bits, as an int."""
        nbit, lo, hi, shift = self._span(nbit, "BitstringReader.read")
        word = int.from_bytes(self._buf[lo:hi].tobytes(), "little")
        self.i += nbit
        return (word >> shift) & ((1 << nbit) - 1)
