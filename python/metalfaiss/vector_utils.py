"""faiss's low-level vector functions, called with ``swig_ptr`` pointers:
``fvec_*`` distances and arithmetic, ``knn_L2sqr`` / ``knn_inner_product``,
``pairwise_L2sqr`` and the indexed pairs, ``ranklist_intersection_size``.
Sizes are checked against the arrays behind the pointers; outputs are
written in place, as in faiss."""

from __future__ import annotations

from typing import TYPE_CHECKING
import numpy as np

from ._arrays import as_float, as_int
from .distances import knn, pairwise_distances
from .errors import InputTypeError, InvalidArgumentError
from .metric import METRIC_INNER_PRODUCT, METRIC_L2
from .swig_pointers import SwigPtr, region
from ._typing import Any, ArrayLike, Optional

if TYPE_CHECKING:
    from .selectors import IDSelector

_F32 = np.float32


def _rows(ptr, n, d, op, name, writable=False):
    """n rows of d float32 values behind ptr, as an (n, d) view."""
    return region(ptr, _F32, n * d, op, name, writable).reshape(n, d)


def _sizes(op, **sizes):
    """The named sizes as non-negative ints."""
    out = []
    for name, v in sizes.items():
        v = as_int(v, op, name)
        if v < 0:
            raise InvalidArgumentError(f"{op}: {name} must be >= 0, got {v}")
        out.append(v)
    return out


def fvec_L2sqr(x: ArrayLike, y: ArrayLike, d: int) -> float:
    """Squared L2 distance of two d-vectors (faiss: ``fvec_L2sqr``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an array of
    the stated dtype.

    Parameters
    ----------
    x : swig_ptr (float32)
        The input vector(s), float32.
    y : swig_ptr (float32)
        The other vector(s), float32.
    d : int
        Dimension.

    Returns
    -------
    float
        The distance.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    (d,) = _sizes("fvec_L2sqr", d=d)
    diff = region(x, _F32, d, "fvec_L2sqr", "x") - region(y, _F32, d, "fvec_L2sqr", "y")
    return float(np.dot(diff, diff))


def fvec_inner_product(x: ArrayLike, y: ArrayLike, d: int) -> float:
    """Inner product of two d-vectors (faiss: ``fvec_inner_product``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an array of
    the stated dtype.

    Parameters
    ----------
    x : swig_ptr (float32)
        The input vector(s), float32.
    y : swig_ptr (float32)
        The other vector(s), float32.
    d : int
        Dimension.

    Returns
    -------
    float
        The inner product.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    (d,) = _sizes("fvec_inner_product", d=d)
    return float(np.dot(region(x, _F32, d, "fvec_inner_product", "x"), region(y, _F32, d, "fvec_inner_product", "y")))


def fvec_L1(x: ArrayLike, y: ArrayLike, d: int) -> float:
    """L1 distance of two d-vectors (faiss: ``fvec_L1``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an array of
    the stated dtype.

    Parameters
    ----------
    x : swig_ptr (float32)
        The input vector(s), float32.
    y : swig_ptr (float32)
        The other vector(s), float32.
    d : int
        Dimension.

    Returns
    -------
    float
        The distance.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    (d,) = _sizes("fvec_L1", d=d)
    return float(np.abs(region(x, _F32, d, "fvec_L1", "x") - region(y, _F32, d, "fvec_L1", "y")).sum(dtype=_F32))


def fvec_Linf(x: ArrayLike, y: ArrayLike, d: int) -> float:
    """L-infinity distance of two d-vectors (faiss: ``fvec_Linf``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an array of
    the stated dtype.

    Parameters
    ----------
    x : swig_ptr (float32)
        The input vector(s), float32.
    y : swig_ptr (float32)
        The other vector(s), float32.
    d : int
        Dimension.

    Returns
    -------
    float
        The distance.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    (d,) = _sizes("fvec_Linf", d=d)
    diff = np.abs(region(x, _F32, d, "fvec_Linf", "x") - region(y, _F32, d, "fvec_Linf", "y"))
    return float(diff.max()) if d else 0.0


def fvec_norm_L2sqr(x: ArrayLike, d: int) -> float:
    """Squared L2 norm of a d-vector (faiss: ``fvec_norm_L2sqr``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an array of
    the stated dtype.

    Parameters
    ----------
    x : swig_ptr (float32)
        The input vector(s), float32.
    d : int
        Dimension.

    Returns
    -------
    float
        The squared norm.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    (d,) = _sizes("fvec_norm_L2sqr", d=d)
    v = region(x, _F32, d, "fvec_norm_L2sqr", "x")
    return float(np.dot(v, v))


def fvec_L2sqr_ny(dis: ArrayLike, x: ArrayLike, y: ArrayLike, d: int, ny: int) -> None:
    """Squared L2 distances of one vector to ny others: dis[j] = |x - y_j|^2 (faiss: ``fvec_L2sqr_ny``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an array of
    the stated dtype.

    Parameters
    ----------
    dis : swig_ptr (float32)
        Receives the ny distances.
    x : swig_ptr (float32)
        The input vector(s), float32.
    y : swig_ptr (float32)
        The other vector(s), float32.
    d : int
        Dimension.
    ny : int
        Number of vectors at y.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    op = "fvec_L2sqr_ny"
    d, ny = _sizes(op, d=d, ny=ny)
    diff = _rows(y, ny, d, op, "y") - region(x, _F32, d, op, "x")
    region(dis, _F32, ny, op, "dis", True)[:] = np.einsum("ij,ij->i", diff, diff)


def fvec_inner_products_ny(ip: Any, x: ArrayLike, y: ArrayLike, d: int, ny: int) -> None:
    """Inner products of one vector with ny others: ip[j] = <x, y_j> (faiss: ``fvec_inner_products_ny``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an array of
    the stated dtype.

    Parameters
    ----------
    ip : swig_ptr (float32)
        Receives the ny inner products.
    x : swig_ptr (float32)
        The input vector(s), float32.
    y : swig_ptr (float32)
        The other vector(s), float32.
    d : int
        Dimension.
    ny : int
        Number of vectors at y.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    op = "fvec_inner_products_ny"
    d, ny = _sizes(op, d=d, ny=ny)
    region(ip, _F32, ny, op, "ip", True)[:] = _rows(y, ny, d, op, "y") @ region(x, _F32, d, op, "x")


def fvec_norms_L2(norms: Any, x: ArrayLike, d: int, nx: int) -> None:
    """L2 norms of nx vectors: norms[i] = |x_i| (faiss: ``fvec_norms_L2``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an array of
    the stated dtype.

    Parameters
    ----------
    norms : swig_ptr (float32)
        Receives the nx norms.
    x : swig_ptr (float32)
        The input vector(s), float32.
    d : int
        Dimension.
    nx : int
        Number of vectors at x.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    op = "fvec_norms_L2"
    d, nx = _sizes(op, d=d, nx=nx)
    region(norms, _F32, nx, op, "norms", True)[:] = np.linalg.norm(_rows(x, nx, d, op, "x"), axis=1)


def fvec_norms_L2sqr(norms: Any, x: ArrayLike, d: int, nx: int) -> None:
    """Squared L2 norms of nx vectors: norms[i] = |x_i|^2 (faiss: ``fvec_norms_L2sqr``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an array of
    the stated dtype.

    Parameters
    ----------
    norms : swig_ptr (float32)
        Receives the nx norms.
    x : swig_ptr (float32)
        The input vector(s), float32.
    d : int
        Dimension.
    nx : int
        Number of vectors at x.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    op = "fvec_norms_L2sqr"
    d, nx = _sizes(op, d=d, nx=nx)
    rows = _rows(x, nx, d, op, "x")
    region(norms, _F32, nx, op, "norms", True)[:] = np.einsum("ij,ij->i", rows, rows)


def fvec_renorm_L2(d: int, nx: int, x: ArrayLike) -> None:
    """Scale nx vectors to unit L2 norm in place (zero rows stay) (faiss: ``fvec_renorm_L2``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an array of
    the stated dtype.

    Parameters
    ----------
    d : int
        Dimension.
    nx : int
        Number of vectors at x.
    x : swig_ptr (float32)
        The nx vectors, changed in place.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    op = "fvec_renorm_L2"
    d, nx = _sizes(op, d=d, nx=nx)
    rows = _rows(x, nx, d, op, "x", True)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    np.divide(rows, norms, out=rows, where=norms > 0)


def fvec_madd(n: int, a: ArrayLike, bf: Any, b: Any, c: Any) -> None:
    """c = a + bf * b over n values (faiss: ``fvec_madd``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an array of
    the stated dtype.

    Parameters
    ----------
    n : int
        Number of values (or rows).
    a : swig_ptr (float32)
        First operand, n values.
    bf : float
        Factor of b.
    b : swig_ptr (float32)
        Second operand, n values.
    c : swig_ptr (float32)
        Receives the n results.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    op = "fvec_madd"
    (n,) = _sizes(op, n=n)
    bf = _F32(as_float(bf, op, "bf"))
    region(c, _F32, n, op, "c", True)[:] = region(a, _F32, n, op, "a") + bf * region(b, _F32, n, op, "b")


def fvec_madd_and_argmin(n: int, a: ArrayLike, bf: float, b: ArrayLike, c: Any) -> int:
    """c = a + bf * b over n values, and the position of the smallest (faiss: ``fvec_madd_and_argmin``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an array of
    the stated dtype.

    Parameters
    ----------
    n : int
        Number of values (or rows).
    a : swig_ptr (float32)
        First operand, n values.
    bf : float
        Factor of b.
    b : swig_ptr (float32)
        Second operand, n values.
    c : swig_ptr
        ``swig_ptr`` of a float32 array that receives the n results.

    Returns
    -------
    int
        The position of c's smallest value (-1 when n is 0).

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    fvec_madd(n, a, bf, b, c)
    return int(np.argmin(c.array[:n])) if n else -1


def fvec_add(d: int, a: ArrayLike, b: Any, c: Any) -> None:
    """c = a + b over d values (b a vector or a float added to each) (faiss: ``fvec_add``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an array of
    the stated dtype.

    Parameters
    ----------
    d : int
        Dimension.
    a : swig_ptr (float32)
        First operand, d values.
    b : swig_ptr or float
        Second operand: d values, or one value added to each.
    c : swig_ptr (float32)
        Receives the d results.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    op = "fvec_add"
    (d,) = _sizes(op, d=d)
    rhs = region(b, _F32, d, op, "b") if isinstance(b, SwigPtr) else _F32(as_float(b, op, "b"))
    region(c, _F32, d, op, "c", True)[:] = region(a, _F32, d, op, "a") + rhs


def fvec_sub(d: int, a: ArrayLike, b: Any, c: Any) -> None:
    """c = a - b over d values (faiss: ``fvec_sub``).

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an array of
    the stated dtype.

    Parameters
    ----------
    d : int
        Dimension.
    a : swig_ptr (float32)
        First operand, d values.
    b : swig_ptr (float32)
        Second operand, d values.
    c : swig_ptr (float32)
        Receives the d results.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    op = "fvec_sub"
    (d,) = _sizes(op, d=d)
    region(c, _F32, d, op, "c", True)[:] = region(a, _F32, d, op, "a") - region(b, _F32, d, op, "b")


def _knn(op, metric, x, y, d, nx, ny, k, vals, ids, sel):
    d, nx, ny, k = _sizes(op, d=d, nx=nx, ny=ny, k=k)
    xs, ys = _rows(x, nx, d, op, "x"), _rows(y, ny, d, op, "y")
    out_d = region(vals, _F32, nx * k, op, "vals", True)
    out_i = region(ids, np.int64, nx * k, op, "ids", True)
    if sel is None:
        D, I = knn(xs, ys, k, metric)
    else:
        from .index_flat import IndexFlat
        from .search_params import SearchParameters

        index = IndexFlat(d, metric)
        index.add(ys)
        D, I = index.search(xs, k, params=SearchParameters(sel=sel))
    out_d[:], out_i[:] = D.reshape(-1), I.reshape(-1)


def knn_L2sqr(x: ArrayLike, y: ArrayLike, d: int, nx: int, ny: int, k: int, vals: ArrayLike, ids: ArrayLike,
              y_norm2: Any = None, sel: Optional[IDSelector] = None) -> None:
    """Exact k nearest neighbours by squared L2, faiss's pointer form (faiss: ``knn_L2sqr``).

    For arrays, ``metalfaiss.knn(x, y, k)`` is the simpler call.

    Parameters
    ----------
    x : swig_ptr (float32)
        The nx query vectors, nx * d float32 values.
    y : swig_ptr (float32)
        The ny database vectors, ny * d float32 values.
    d : int
        Dimension.
    nx : int
        Number of queries.
    ny : int
        Number of database vectors.
    k : int
        Results per query.
    vals : swig_ptr (float32)
        Receives nx * k distances, nearest first.
    ids : swig_ptr (int64)
        Receives nx * k ids (-1 where ny < k).
    y_norm2 : swig_ptr (float32), optional
        faiss may use the ny squared norms of y; checked and not needed.
    sel : IDSelector, optional
        Only the database vectors it selects are considered.

    Raises
    ------
    InvalidArgumentError
        A buffer smaller than its size says, or k below 1.
    InputTypeError
        A buffer of the wrong dtype.
    """
    if y_norm2 is not None:
        region(y_norm2, _F32, as_int(ny, "knn_L2sqr", "ny"), "knn_L2sqr", "y_norm2")
    _knn("knn_L2sqr", METRIC_L2, x, y, d, nx, ny, k, vals, ids, sel)


def knn_inner_product(x: ArrayLike, y: ArrayLike, d: int, nx: int, ny: int, k: int, vals: ArrayLike, ids: ArrayLike,
                      sel: Optional[IDSelector] = None) -> None:
    """Exact k largest inner products, faiss's pointer form (faiss: ``knn_inner_product``).

    For arrays, ``metalfaiss.knn(x, y, k, metric=METRIC_INNER_PRODUCT)`` is
    the simpler call.

    Parameters
    ----------
    x : swig_ptr (float32)
        The nx query vectors, nx * d float32 values.
    y : swig_ptr (float32)
        The ny database vectors, ny * d float32 values.
    d : int
        Dimension.
    nx : int
        Number of queries.
    ny : int
        Number of database vectors.
    k : int
        Results per query.
    vals : swig_ptr (float32)
        Receives nx * k inner products, largest first.
    ids : swig_ptr (int64)
        Receives nx * k ids (-1 where ny < k).
    sel : IDSelector, optional
        Only the database vectors it selects are considered.

    Raises
    ------
    InvalidArgumentError
        A buffer smaller than its size says, or k below 1.
    InputTypeError
        A buffer of the wrong dtype.
    """
    _knn("knn_inner_product", METRIC_INNER_PRODUCT, x, y, d, nx, ny, k, vals, ids, sel)


def _strided_rows(ptr, n, d, ld, op, name, writable=False):
    """n rows of d float32 values ld apart behind ptr (ld = -1: d)."""
    ld = d if ld == -1 else as_int(ld, op, "ld" + name)
    if ld < d:
        raise InvalidArgumentError(f"{op}: the stride of {name} ({ld}) is below its row length {d}")
    buf = region(ptr, _F32, (n - 1) * ld + d if n else 0, op, name, writable)
    if n == 0:
        return buf.reshape(0, d)
    return np.lib.stride_tricks.as_strided(buf, (n, d), (ld * 4, 4), writeable=writable)


def pairwise_L2sqr(d: int, nq: int, xq: ArrayLike, nb: int, xb: ArrayLike, dis: ArrayLike, ldq: Any = -1,
                   ldb: Any = -1, ldd: Any = -1) -> None:
    """All squared L2 distances of two sets of rows (faiss: ``pairwise_L2sqr``).

    For arrays, ``pairwise_distances(xq, xb)`` is the simpler call.

    Parameters
    ----------
    d : int
        Dimension.
    nq : int
        Query rows.
    xq : swig_ptr (float32)
        The queries.
    nb : int
        Base rows.
    xb : swig_ptr (float32)
        The base rows.
    dis : swig_ptr (float32)
        Receives dis[i, j], the distance of query i to base row j.
    ldq : int
        Values between query rows (-1: d, packed).
    ldb : int
        Values between base rows (-1: d).
    ldd : int
        Values between rows of dis (-1: nb).

    Raises
    ------
    InvalidArgumentError
        A stride below its row length, or a buffer too small.
    InputTypeError
        A buffer that is not a float32 pointer.
    """
    op = "pairwise_L2sqr"
    d, nq, nb = _sizes(op, d=d, nq=nq, nb=nb)
    q = np.ascontiguousarray(_strided_rows(xq, nq, d, ldq, op, "q"))
    b = np.ascontiguousarray(_strided_rows(xb, nb, d, ldb, op, "b"))
    out = _strided_rows(dis, nq, nb, ldd, op, "d", True)
    if nq and nb:
        out[:] = pairwise_distances(q, b, METRIC_L2)


def _indexed(op, d, n, x, ix, y, iy, dis):
    d, n = _sizes(op, d=d, n=n)
    _require_pointer(x, op, "x")
    _require_pointer(y, op, "y")
    xs = region(x, _F32, x.array.shape[0] - x.array.shape[0] % max(d, 1), op, "x").reshape(-1, max(d, 1))
    ys = region(y, _F32, y.array.shape[0] - y.array.shape[0] % max(d, 1), op, "y").reshape(-1, max(d, 1))
    i = region(ix, np.int64, n, op, "ix")
    j = region(iy, np.int64, n, op, "iy")
    for name, idx, rows in (("ix", i, xs), ("iy", j, ys)):
        if n and (idx.min() < 0 or idx.max() >= rows.shape[0]):
            raise InvalidArgumentError(f"{op}: {name} holds rows outside 0..{rows.shape[0] - 1}")
    return xs[i], ys[j], region(dis, _F32, n, op, "dis", True)


def pairwise_indexed_L2sqr(d: int, n: int, x: ArrayLike, ix: Any, y: ArrayLike, iy: Any, dis: ArrayLike) -> None:
    """Squared L2 distances of n chosen pairs of rows (faiss: ``pairwise_indexed_L2sqr``).

    dis[j] = |x[ix[j]] - y[iy[j]]|^2.

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an array of
    the stated dtype.

    Parameters
    ----------
    d : int
        Dimension.
    n : int
        Number of pairs.
    x : swig_ptr (float32)
        The input vector(s), float32.
    ix : swig_ptr (int64)
        Row of x for each of the n pairs.
    y : swig_ptr (float32)
        The other vector(s), float32.
    iy : swig_ptr (int64)
        Row of y for each of the n pairs.
    dis : swig_ptr (float32)
        Receives the n values.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    a, b, out = _indexed("pairwise_indexed_L2sqr", d, n, x, ix, y, iy, dis)
    diff = a - b
    out[:] = np.einsum("ij,ij->i", diff, diff)


def pairwise_indexed_inner_product(d: int, n: int, x: ArrayLike, ix: Any, y: ArrayLike, iy: Any, dis: ArrayLike
                                  ) -> None:
    """Inner products of n chosen pairs of rows (faiss: ``pairwise_indexed_inner_product``).

    dis[j] = <x[ix[j]], y[iy[j]]>.

    faiss's pointer form: every buffer is ``swig_ptr(array)`` of an array of
    the stated dtype.

    Parameters
    ----------
    d : int
        Dimension.
    n : int
        Number of pairs.
    x : swig_ptr (float32)
        The input vector(s), float32.
    ix : swig_ptr (int64)
        Row of x for each of the n pairs.
    y : swig_ptr (float32)
        The other vector(s), float32.
    iy : swig_ptr (int64)
        Row of y for each of the n pairs.
    dis : swig_ptr (float32)
        Receives the n values.

    Raises
    ------
    InvalidArgumentError
        A size below 0, or a buffer smaller than its size says.
    InputTypeError
        A buffer of another dtype.
    """
    a, b, out = _indexed("pairwise_indexed_inner_product", d, n, x, ix, y, iy, dis)
    out[:] = np.einsum("ij,ij->i", a, b)


def ranklist_intersection_size(k1: Any, v1: Any, k2: Any, v2: Any) -> int:
    """Ids two ranked lists share (faiss: ``ranklist_intersection_size``).

    Parameters
    ----------
    k1 : int
        Length of the first list.
    v1 : swig_ptr (int64)
        The first list (ids below 0 are left out).
    k2 : int
        Length of the second list.
    v2 : swig_ptr (int64)
        The second list.

    Returns
    -------
    int
        The size of the intersection.
    """
    op = "ranklist_intersection_size"
    k1, k2 = _sizes(op, k1=k1, k2=k2)
    a, b = region(v1, np.int64, k1, op, "v1"), region(v2, np.int64, k2, op, "v2")
    return int(np.intersect1d(a[a >= 0], b[b >= 0]).shape[0])


def _require_pointer(p, op, name):
    if not isinstance(p, SwigPtr):
        raise InputTypeError(f"{op}: {name} must be a pointer from faiss.swig_ptr(array), got {type(p).__name__}")


def imbalance_factor(n: int, k: int, assign: ArrayLike) -> float:
    """Imbalance of an assignment, pointer form (faiss: ``imbalance_factor``).

    k * sum(size^2) / n^2 over the sizes of the k clusters: 1 when every
    cluster is the same size.

    Parameters
    ----------
    n : int
        Number of points.
    k : int
        Number of clusters.
    assign : swig_ptr (int64)
        The cluster of each point, in 0..k-1.

    Returns
    -------
    float
        The factor (0 for no points).

    Raises
    ------
    InvalidArgumentError
        An assignment outside 0..k-1.
    """
    op = "imbalance_factor"
    n, k = _sizes(op, n=n, k=k)
    a = region(assign, np.int64, n, op, "assign")
    if n and (a.min() < 0 or a.max() >= k):
        raise InvalidArgumentError(f"{op}: assignments must be in 0..{k - 1}")
    sizes = np.bincount(a, minlength=k).astype(np.float64)
    return float(k * (sizes ** 2).sum() / (n * n)) if n else 0.0
