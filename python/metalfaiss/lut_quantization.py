"""faiss's look-up-table quantization for fast-scan (quantize_lut):
float tables become uint8 tables whose uint16 sums stand for distances
as sum / a + b. Pointers are faiss.swig_ptr(array) values (or None where
faiss takes nullptr); a and b go to one-float arrays."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr
from .errors import InputTypeError
from .swig_pointers import SwigPtr, region
from ._typing import Any

_F32 = np.float32


def _ptr(ptr, dtype, n, op, name, writable=False):
    """The address behind an optional pointer (0 for None), its array
    checked to hold n values of dtype."""
    if ptr is None:
        return 0
    return addr(region(ptr, dtype, n, op, name, writable))


def _write_scalars(out, a_out, b_out, op):
    for ptr, v, name in ((a_out, out[0], "a_out"), (b_out, out[1], "b_out")):
        if ptr is not None:
            region(ptr, _F32, 1, op, name, True)[0] = v


def quantize_LUT_and_bias(nprobe: int, M: int, ksub: int, lut_is_3d: Any, LUT: Any, bias: Any, LUTq: Any, M2: int,
                          biasq: Any, a_out: Any, b_out: Any) -> None:
    """Quantize fast-scan tables and biases (faiss: ``quantize_LUT_and_bias``).

    faiss's arithmetic, step by step; every buffer is ``swig_ptr(array)``.

    Parameters
    ----------
    nprobe : int
        Tables (with lut_is_3d) and biases.
    M : int
        Sub-quantizers.
    ksub : int
        Entries per sub-quantizer table.
    lut_is_3d : bool
        LUT holds nprobe tables (else one shared).
    LUT : swig_ptr (float32)
        M x ksub values (nprobe x M x ksub with lut_is_3d).
    bias : swig_ptr (float32) or None
        nprobe biases.
    LUTq : swig_ptr (uint8)
        Receives the quantized tables, M2 x ksub each.
    M2 : int
        Rows of a quantized table (M rounded up; the extra rows are zero).
    biasq : swig_ptr (uint16) or None
        Receives the quantized biases.
    a_out : swig_ptr (float32) or None
        Receives a, with distance = sum / a + b.
    b_out : swig_ptr (float32) or None
        Receives b.

    Raises
    ------
    InputTypeError
        A size that is not an integer, or a missing LUT.
    InvalidArgumentError
        Sizes out of range (M2 below M, ...), or a buffer too small.
    """
    op = "quantize_LUT_and_bias"
    for name, v in (("nprobe", nprobe), ("M", M), ("ksub", ksub), ("M2", M2)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise InputTypeError(f"{op}: {name} must be an integer, got {type(v).__name__}")
    nprobe, M, ksub, M2, lut3d = int(nprobe), int(M), int(ksub), int(M2), bool(lut_is_3d)
    tables = nprobe if lut3d else 1
    out = np.zeros(2, dtype=_F32)
    if nprobe >= 0 and M > 0 and ksub > 0 and M2 >= M:
        args = (_ptr(LUT, _F32, tables * M * ksub, op, "LUT"), _ptr(bias, _F32, nprobe, op, "bias"),
                _ptr(LUTq, np.uint8, tables * M2 * ksub, op, "LUTq", True), M2,
                _ptr(biasq, np.uint16, nprobe, op, "biasq", True))
        if LUT is None:
            raise InputTypeError(f"{op}: LUT must be a pointer from faiss.swig_ptr(array), got None")
    else:
        args = (0, 0, 0, M2, 0)  # Go reports the sizes
    _bridge.call("QuantizeLUTAndBias", nprobe, M, ksub, lut3d, args[0], args[1], args[2], args[3], args[4], addr(out))
    _write_scalars(out, a_out, b_out, op)


def round_uint8_per_column(tab: Any, n: int, d: int, a_out: Any = None, b_out: Any = None) -> None:
    """Round a float table to 0..255 in place (faiss: ``round_uint8_per_column``).

    One scale for all rows; each row is shifted by its own minimum.

    Parameters
    ----------
    tab : swig_ptr (float32)
        The n x d table, changed in place.
    n : int
        Rows.
    d : int
        Columns.
    a_out : swig_ptr (float32), optional
        Receives the scale a.
    b_out : swig_ptr (float32), optional
        Receives the offset b.

    Raises
    ------
    InputTypeError
        tab is not a float32 pointer.
    """
    round_uint8_per_column_multi(tab, 1, n, d, a_out, b_out)


def round_uint8_per_column_multi(tab: Any, m: Any, n: int, d: int, a_out: Any = None, b_out: Any = None) -> None:
    """round_uint8_per_column over m tables of n rows (faiss: ``round_uint8_per_column_multi``).

    tab is m x n x d; row i's minimum and span are taken over the m tables.

    Parameters
    ----------
    tab : swig_ptr (float32)
        The m x n x d tables, changed in place.
    m : int
        Tables.
    n : int
        Rows.
    d : int
        Columns.
    a_out : swig_ptr (float32), optional
        Receives the scale a.
    b_out : swig_ptr (float32), optional
        Receives the offset b.

    Raises
    ------
    InputTypeError
        tab is not a float32 pointer.
    """
    op = "round_uint8_per_column_multi"
    if not isinstance(tab, SwigPtr):
        raise InputTypeError(f"{op}: tab must be a pointer from faiss.swig_ptr(array), got {type(tab).__name__}")
    m, n, d = (int(v) for v in (m, n, d))
    out = np.zeros(2, dtype=_F32)
    t = region(tab, _F32, max(0, m * n * d), op, "tab", True)
    _bridge.call("RoundUint8PerColumn", addr(t) if t.size else 0, m, n, d, addr(out))
    _write_scalars(out, a_out, b_out, op)
