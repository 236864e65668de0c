"""faiss's Hamming utilities on packed binary codes, called with
``swig_ptr`` pointers: ``hammings``, ``hammings_knn_hc`` / ``_mc``,
``hamming_count_thres``, ``match_hamming_thres``,
``crosshamming_count_thres``, ``generalized_hammings_knn_hc``, and the bit
helpers ``pack_bitstrings`` / ``unpack_bitstrings`` (on arrays, and their
pointer forms ``*_c``) and ``bitvec_shuffle``.
Distances come from the Go core's popcount kernels."""

from __future__ import annotations

from typing import TYPE_CHECKING
import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from .errors import InvalidArgumentError
from .heap_arrays import int_maxheap_array_t
from .selectors import selector_args, selector_program
from .swig_pointers import SwigPtr, region
from .vector_utils import _sizes
from ._typing import Any, ArrayLike, Int32Array, Optional

if TYPE_CHECKING:
    from .selectors import IDSelector

_U8 = np.uint8

# Pairs per block when all-pairs distances are only counted or filtered,
# so that the distance matrix never has to exist whole.
_BLOCK_PAIRS = 1 << 22


def _codes(ptr, n, cs, op, name):
    return region(ptr, _U8, n * cs, op, name).reshape(n, cs)


def _distances(a, b):
    """The (len(a), len(b)) int32 Hamming distances of two code matrices."""
    dis = np.empty((a.shape[0], b.shape[0]), dtype=np.int32)
    if dis.size:
        a, b = np.ascontiguousarray(a), np.ascontiguousarray(b)
        _bridge.call("Hammings", a.shape[0], addr(a), b.shape[0], addr(b), a.shape[1], addr(dis))
    return dis


def _blocks(a, b):
    """(row offset, distances) for blocks of rows of a against all of b."""
    step = max(1, _BLOCK_PAIRS // max(1, b.shape[0]))
    for i in range(0, a.shape[0], step):
        yield i, _distances(a[i:i + step], b)


def hammings(a: ArrayLike, b: Any, na: Any, nb: int, nbytespercode: Any, dis: ArrayLike) -> None:
    """All Hamming distances between two sets of codes (faiss: ``hammings``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an
    array of the stated dtype. dis[i, j] is the distance of code i of a
    to code j of b.

    Parameters
    ----------
    a : swig_ptr (uint8)
        The first codes, row after row.
    b : swig_ptr (uint8)
        The second codes.
    na : int
        Codes at a.
    nb : int
        Codes at b.
    nbytespercode : int
        Bytes per code.
    dis : swig_ptr (int32)
        Receives the na * nb distances.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    op = "hammings"
    na, nb, cs = _sizes(op, na=na, nb=nb, nbytespercode=nbytespercode)
    out = region(dis, np.int32, na * nb, op, "dis", True)
    out[:] = _distances(_codes(a, na, cs, op, "a"), _codes(b, nb, cs, op, "b")).reshape(-1)


def _knn(op, a, b, na, nb, k, cs, dist, labels, sel):
    A, B = _codes(a, na, cs, op, "a"), _codes(b, nb, cs, op, "b")
    prog = selector_program(sel, op)
    if na and k:
        A, B = np.ascontiguousarray(A), np.ascontiguousarray(B)
        _bridge.call("HammingsKNN", na, addr(A), nb, addr(B), cs, k, addr(dist), addr(labels), *selector_args(prog))


def hammings_knn_mc(a: ArrayLike, b: Any, na: Any, nb: int, k: int, ncodes: int, distances: Any, labels: ArrayLike,
                    sel: Optional[IDSelector] = None) -> None:
    """The k nearest codes by Hamming distance, ties by id (faiss: ``hammings_knn_mc``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an
    array of the stated dtype.

    Parameters
    ----------
    a : swig_ptr (uint8)
        The query codes, row after row.
    b : swig_ptr (uint8)
        The database codes.
    na : int
        Query codes.
    nb : int
        Database codes.
    k : int
        Results per query.
    ncodes : int
        Bytes per code.
    distances : swig_ptr (int32)
        Receives na * k distances.
    labels : swig_ptr (int64)
        Receives na * k ids (-1 where nb < k).
    sel : IDSelector, optional
        Only the database codes it selects are considered.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    op = "hammings_knn_mc"
    na, nb, k, cs = _sizes(op, na=na, nb=nb, k=k, ncodes=ncodes)
    dist = region(distances, np.int32, na * k, op, "distances", True)
    lab = region(labels, np.int64, na * k, op, "labels", True)
    _knn(op, a, b, na, nb, k, cs, dist, lab, sel)


def hammings_knn_hc(ha: Any, a: ArrayLike, b: Any, nb: int, ncodes: int, ordered: Any = True,
                    approx_topk_mode: Any = 0, sel: Optional[IDSelector] = None) -> None:
    """The k nearest codes by Hamming distance, into a heap array (faiss: ``hammings_knn_hc``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an
    array of the stated dtype.

    Parameters
    ----------
    ha : int_maxheap_array_t
            Its nh, k, val and ids say how many queries and results, and receive
        them (sorted).
    a : swig_ptr (uint8)
        The ha.nh query codes, row after row.
    b : swig_ptr (uint8)
        The database codes.
    nb : int
        Database codes.
    ncodes : int
        Bytes per code.
    ordered : bool
        Accepted (the results are sorted either way).
    approx_topk_mode : int
        Accepted (the search is exact).
    sel : IDSelector, optional
        Only the database codes it selects are considered.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    op = "hammings_knn_hc"
    nh, k, dist, lab = _heap_outputs(ha, np.int32, op)
    nb, cs = _sizes(op, nb=nb, ncodes=ncodes)
    _knn(op, a, b, nh, nb, k, cs, dist, lab, sel)


def _heap_outputs(ha, dtype, op):
    if not isinstance(ha, int_maxheap_array_t):
        raise InvalidArgumentError(f"{op}: ha must be an int_maxheap_array_t, got {type(ha).__name__}")
    nh, k = _sizes(op, nh=ha.nh, k=ha.k)
    return (nh, k, region(ha.val, dtype, nh * k, op, "ha.val", True),
            region(ha.ids, np.int64, nh * k, op, "ha.ids", True))


def generalized_hammings_knn_hc(ha: Any, a: ArrayLike, b: Any, nb: int, code_size: int, ordered: Any = True) -> None:
    """The k nearest codes by generalized Hamming distance (faiss: ``generalized_hammings_knn_hc``).

    The generalized Hamming distance counts the bytes in which two codes differ.

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an
    array of the stated dtype.

    Parameters
    ----------
    ha : int_maxheap_array_t
            Its nh, k, val and ids say how many queries and results, and receive
        them (sorted).
    a : swig_ptr (uint8)
        The ha.nh query codes, row after row.
    b : swig_ptr (uint8)
        The database codes.
    nb : int
        Database codes.
    code_size : int
        Bytes per code.
    ordered : bool
        Accepted (the results are sorted either way).

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    op = "generalized_hammings_knn_hc"
    nh, k, dist, lab = _heap_outputs(ha, np.int32, op)
    nb, cs = _sizes(op, nb=nb, code_size=code_size)
    A, B = _codes(a, nh, cs, op, "a"), _codes(b, nb, cs, op, "b")
    dist, lab = dist.reshape(nh, k), lab.reshape(nh, k)
    dist[:], lab[:] = np.iinfo(np.int32).max, -1
    kk = min(k, nb)
    for i in range(nh):
        d = (A[i] != B).sum(axis=1).astype(np.int32)
        best = np.lexsort((np.arange(nb), d))[:kk]  # by distance, then id
        dist[i, :kk], lab[i, :kk] = d[best], best


def hamming_count_thres(bs1: Any, bs2: Any, n1: Any, n2: Any, ht: int, ncodes: int, nptr: Any) -> None:
    """The number of pairs of codes within a Hamming distance (faiss: ``hamming_count_thres``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an
    array of the stated dtype.

    Parameters
    ----------
    bs1 : swig_ptr (uint8)
        The first codes.
    bs2 : swig_ptr (uint8)
        The second codes.
    n1 : int
        Codes at bs1.
    n2 : int
        Codes at bs2.
    ht : int
        The distance bound (inclusive).
    ncodes : int
        Bytes per code.
    nptr : swig_ptr (int64)
        nptr[0] receives the count.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    op = "hamming_count_thres"
    n1, n2, cs = _sizes(op, n1=n1, n2=n2, ncodes=ncodes)
    ht = as_int(ht, op, "ht")
    out = region(nptr, np.uint64, 1, op, "nptr", True)
    A, B = _codes(bs1, n1, cs, op, "bs1"), _codes(bs2, n2, cs, op, "bs2")
    out[0] = sum(int((d <= ht).sum()) for _, d in _blocks(A, B))


def crosshamming_count_thres(dbs: Any, n: int, ht: int, ncodes: int, nptr: Any) -> None:
    """Pairs i < j of one set of codes within a Hamming distance (faiss: ``crosshamming_count_thres``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an
    array of the stated dtype.

    Parameters
    ----------
    dbs : swig_ptr (uint8)
        The codes.
    n : int
        Number of codes.
    ht : int
        The distance bound (inclusive).
    ncodes : int
        Bytes per code.
    nptr : swig_ptr (int64)
        nptr[0] receives the count.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    op = "crosshamming_count_thres"
    n, cs = _sizes(op, n=n, ncodes=ncodes)
    ht = as_int(ht, op, "ht")
    out = region(nptr, np.uint64, 1, op, "nptr", True)
    A = _codes(dbs, n, cs, op, "dbs")
    total = 0
    for i0, d in _blocks(A, A):
        rows = np.arange(i0, i0 + d.shape[0])[:, None]
        total += int(((d <= ht) & (np.arange(n)[None, :] > rows)).sum())
    out[0] = total


def match_hamming_thres(bs1: Any, bs2: Any, n1: Any, n2: Any, ht: int, ncodes: int, idx: Any, dis: ArrayLike) -> int:
    """Every pair of codes within a Hamming distance (faiss: ``match_hamming_thres``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an
    array of the stated dtype. idx and dis must hold them all (count
    them first with hamming_count_thres).

    Parameters
    ----------
    bs1 : swig_ptr (uint8)
        The first codes.
    bs2 : swig_ptr (uint8)
        The second codes.
    n1 : int
        Codes at bs1.
    n2 : int
        Codes at bs2.
    ht : int
        The distance bound (inclusive).
    ncodes : int
        Bytes per code.
    idx : swig_ptr (int64)
        Receives the (i, j) pairs, row by row.
    dis : swig_ptr (int32)
        Receives their distances.

    Returns
    -------
    int
        The number of pairs.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    op = "match_hamming_thres"
    n1, n2, cs = _sizes(op, n1=n1, n2=n2, ncodes=ncodes)
    ht = as_int(ht, op, "ht")
    A, B = _codes(bs1, n1, cs, op, "bs1"), _codes(bs2, n2, cs, op, "bs2")
    found_i, found_j, found_d = [], [], []
    for i0, d in _blocks(A, B):
        i, j = np.nonzero(d <= ht)
        found_i.append(i + i0)
        found_j.append(j)
        found_d.append(d[i, j])
    i, j, d = (np.concatenate(v) if v else np.zeros(0, np.int64) for v in (found_i, found_j, found_d))
    count = i.shape[0]
    pairs = region(idx, np.int64, 2 * count, op, "idx", True)
    pairs[0::2], pairs[1::2] = i, j
    region(dis, np.int32, count, op, "dis", True)[:] = d
    return count


def _bit_matrix(values, nbits):
    """Each value's low nbits bits, lowest first, as a (n, nbits) 0/1 array."""
    return ((values[..., None].astype(np.uint64) >> np.arange(nbits, dtype=np.uint64)) & 1).astype(_U8)


def _widths(nbits, M, op):
    """The bit width of each of the M fields: one for all, or a pointer to M."""
    if isinstance(nbits, SwigPtr):
        widths = region(nbits, np.int32, M, op, "nbits").astype(np.int64)
    else:
        widths = np.full(M, as_int(nbits, op, "nbit"), dtype=np.int64)
    if M and (widths.min() < 0 or widths.max() > 64):
        raise InvalidArgumentError(f"{op}: field widths must be in 0..64, got {widths.tolist()}")
    return widths


def pack_bitstrings_c(n: int, M: int, nbits: int, unpacked: Any, packed: Any, code_size: int) -> None:
    """Pack rows of integer fields into bit strings (faiss: ``pack_bitstrings_c``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an
    array of the stated dtype. Fields are written lowest bit first, as
    faiss's BitstringWriter writes them.

    Parameters
    ----------
    n : int
        Rows.
    M : int
        Fields per row.
    nbits : int or swig_ptr
        Bits per field, or a pointer to M int32 widths.
    unpacked : swig_ptr (int32)
        The n * M fields.
    packed : swig_ptr (uint8)
        Receives n rows of code_size bytes.
    code_size : int
        Bytes per packed row (enough for the fields).

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    op = "pack_bitstrings"
    n, M, cs = _sizes(op, n=n, M=M, code_size=code_size)
    widths = _widths(nbits, M, op)
    if (int(widths.sum()) + 7) // 8 > cs:
        raise InvalidArgumentError(f"{op}: {int(widths.sum())} bits do not fit in code_size={cs} bytes")
    fields = region(unpacked, np.int32, n * M, op, "unpacked").reshape(n, M).astype(np.int64).view(np.uint64)
    bits = np.concatenate([_bit_matrix(fields[:, m], int(w)) for m, w in enumerate(widths)] +
                          [np.zeros((n, 8 * cs - int(widths.sum())), _U8)], axis=1)
    region(packed, _U8, n * cs, op, "packed", True)[:] = np.packbits(bits, axis=1, bitorder="little").reshape(-1)


def unpack_bitstrings_c(n: int, M: int, nbits: int, packed: Any, code_size: int, unpacked: Any) -> None:
    """Unpack bit strings into rows of integer fields (faiss: ``unpack_bitstrings_c``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an
    array of the stated dtype. The inverse of pack_bitstrings_c.

    Parameters
    ----------
    n : int
        Rows.
    M : int
        Fields per row.
    nbits : int or swig_ptr
        Bits per field, or a pointer to M int32 widths.
    packed : swig_ptr (uint8)
        n rows of code_size bytes.
    code_size : int
        Bytes per packed row.
    unpacked : swig_ptr (int32)
        Receives the n * M fields.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    op = "unpack_bitstrings"
    n, M, cs = _sizes(op, n=n, M=M, code_size=code_size)
    widths = _widths(nbits, M, op)
    if (int(widths.sum()) + 7) // 8 > cs:
        raise InvalidArgumentError(f"{op}: {int(widths.sum())} bits do not fit in code_size={cs} bytes")
    bits = np.unpackbits(_codes(packed, n, cs, op, "packed"), axis=1, bitorder="little").astype(np.uint64)
    out = region(unpacked, np.int32, n * M, op, "unpacked", True).reshape(n, M)
    start = 0
    for m, w in enumerate(widths):
        w = int(w)
        out[:, m] = (bits[:, start:start + w] << np.arange(w, dtype=np.uint64)).sum(axis=1).astype(np.int64)
        start += w


def bitvec_shuffle(n: int, da: Any, db: Any, order: Any, a: ArrayLike, b: Any) -> None:
    """Permute the bits of bit vectors (faiss: ``bitvec_shuffle``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an
    array of the stated dtype. Bit j of each output is bit order[j] of
    its input.

    Parameters
    ----------
    n : int
        Number of vectors.
    da : int
        Bits of each input.
    db : int
        Bits of each output.
    order : swig_ptr (int32)
        db input bit numbers, each in 0..da-1.
    a : swig_ptr (uint8)
        The inputs, ceil(da / 8) bytes each.
    b : swig_ptr (uint8)
        Receives the outputs, ceil(db / 8) bytes each.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    InvalidArgumentError
        order names a bit outside 0..da-1.
    """
    op = "bitvec_shuffle"
    n, da, db = _sizes(op, n=n, da=da, db=db)
    perm = region(order, np.int32, db, op, "order")
    if db and (perm.min() < 0 or perm.max() >= da):
        raise InvalidArgumentError(f"{op}: order holds bits outside 0..{da - 1}")
    src = np.unpackbits(_codes(a, n, (da + 7) // 8, op, "a"), axis=1, bitorder="little")
    out = np.zeros((n, 8 * ((db + 7) // 8)), _U8)
    out[:, :db] = src[:, perm]
    region(b, _U8, n * ((db + 7) // 8), op, "b", True)[:] = np.packbits(out, axis=1, bitorder="little").reshape(-1)


def _nbit_form(nbit, M, op):
    """(widths argument for the *_c functions, total bits) of an int or a
    sequence of M widths."""
    if np.ndim(nbit) == 0:
        nbit = as_int(nbit, op, "nbit")
        return nbit, M * nbit
    widths = np.ascontiguousarray(nbit, dtype=np.int32)
    if widths.shape != (M,):
        raise InvalidArgumentError(f"{op}: nbit must hold one width per column ({M}), got shape {widths.shape}")
    return SwigPtr(widths), int(widths.sum())


def pack_bitstrings(a: ArrayLike, nbit: int) -> Any:
    """Pack rows of integer fields into the fewest bytes (faiss: ``pack_bitstrings``).

    Fields are written lowest bit first, as faiss's BitstringWriter writes them.

    Parameters
    ----------
    a : (n, M) int32-convertible
        The fields.
    nbit : int or sequence of M int
        Bits per field, or per column.

    Returns
    -------
    (n, code_size) uint8 ndarray
        The packed rows, code_size being the fewest bytes that hold the fields.

    Raises
    ------
    InvalidArgumentError
        a is not 2-d, or nbit does not have M widths.
    """
    a = np.ascontiguousarray(a, dtype=np.int32)
    if a.ndim != 2:
        raise InvalidArgumentError(f"pack_bitstrings: a must be 2-D, got shape {a.shape}")
    n, M = a.shape
    widths, total = _nbit_form(nbit, M, "pack_bitstrings")
    b = np.empty((n, (total + 7) // 8), dtype=_U8)
    pack_bitstrings_c(n, M, widths, SwigPtr(a.reshape(-1)), SwigPtr(b.reshape(-1)), b.shape[1])
    return b


def unpack_bitstrings(b: Any, M_or_nbits: Any, nbit: Optional[int] = None) -> Int32Array:
    """Unpack bit strings into rows of integer fields (faiss: ``unpack_bitstrings``).

    ``unpack_bitstrings(b, M, nbit)`` for M fields of nbit bits,
    ``unpack_bitstrings(b, nbits)`` for field j of nbits[j] bits.

    Parameters
    ----------
    b : (n, code_size) uint8-convertible
        The packed rows.
    M_or_nbits : int or sequence of int
        M (with nbit), or the widths of the fields.
    nbit : int, optional
        Bits per field, with M.

    Returns
    -------
    (n, M) int32 ndarray
        The fields.

    Raises
    ------
    InvalidArgumentError
        b is not 2-d, or the widths are not given in either form.
    """
    b = np.ascontiguousarray(b, dtype=_U8)
    if b.ndim != 2:
        raise InvalidArgumentError(f"unpack_bitstrings: b must be 2-D, got shape {b.shape}")
    if nbit is None:
        M = int(np.shape(M_or_nbits)[0]) if np.ndim(M_or_nbits) == 1 else -1
        if M < 0:
            raise InvalidArgumentError("unpack_bitstrings: give (b, M, nbit) or (b, nbits) with a sequence nbits")
        widths, total = _nbit_form(M_or_nbits, M, "unpack_bitstrings")
    else:
        M = as_int(M_or_nbits, "unpack_bitstrings", "M")
        widths, total = _nbit_form(nbit, M, "unpack_bitstrings")
    n, cs = b.shape
    a = np.empty((n, M), dtype=np.int32)
    unpack_bitstrings_c(n, M, widths, SwigPtr(b.reshape(-1)), cs, SwigPtr(a.reshape(-1)))
    return a


def popcount64(x: ArrayLike) -> Any:
    """The number of bits set in a 64-bit integer (faiss: ``popcount64``).

    Parameters
    ----------
    x : int
        The integer (taken modulo 2^64).

    Returns
    -------
    int
        Its set bits.
    """
    return bin(as_int(x, "popcount64", "x") & 0xFFFFFFFFFFFFFFFF).count("1")
