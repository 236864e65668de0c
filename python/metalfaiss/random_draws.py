"""faiss's random arrays: rand, randn, randint (lrand) and
rand_smooth_vectors give the same values as faiss for the same seed
(rand_smooth_vectors to float32 rounding: faiss sums with BLAS)."""

from __future__ import annotations

import operator

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from .errors import InputTypeError, InvalidArgumentError
from ._typing import ArrayLike, Float32Array, Int64Array, Optional


def _empty(shape, dtype, op):
    """An uninitialised array of shape (an int or a tuple of ints)."""
    dims = (shape,) if np.ndim(shape) == 0 else tuple(shape)
    dims = tuple(as_int(n, op, "n") for n in dims)
    if any(n < 0 for n in dims):
        raise InvalidArgumentError(f"{op}: sizes must be >= 0, got {dims}")
    return np.empty(dims, dtype=dtype)


def rand(n: int | tuple[int, ...], seed: int = 12345) -> Float32Array:
    """Uniform random float32 values in [0, 1] (faiss: ``rand``, ``float_rand``).

    faiss's generator and seed, so faiss's values.

    Parameters
    ----------
    n : int or tuple of int
        A size or a shape.
    seed : int
        Seed (default 12345).

    Returns
    -------
    float32 ndarray
        Of shape n.

    Raises
    ------
    InvalidArgumentError
        A negative size.
    """
    out = _empty(n, np.float32, "rand")
    _bridge.call("FloatRand", addr(out), out.size, as_int(seed, "rand", "seed"))
    return out


def randn(n: int | tuple[int, ...], seed: int = 12345) -> Float32Array:
    """Standard normal float32 values (faiss: ``randn``, ``float_randn``).

    faiss's generator and seed, so faiss's values.

    Parameters
    ----------
    n : int or tuple of int
        A size or a shape.
    seed : int
        Seed (default 12345).

    Returns
    -------
    float32 ndarray
        Of shape n.

    Raises
    ------
    InvalidArgumentError
        A negative size.
    """
    out = _empty(n, np.float32, "randn")
    _bridge.call("FloatRandn", addr(out), out.size, as_int(seed, "randn", "seed"))
    return out


def randint(n: int | tuple[int, ...], seed: int = 12345, vmax: Optional[int] = None) -> Int64Array:
    """Random int64 values (faiss: ``randint``, ``int64_rand``, ``lrand``).

    Parameters
    ----------
    n : int or tuple of int
        A size or a shape.
    seed : int
        Seed (default 12345).
    vmax : int, optional
        Values are drawn in [0, vmax) (faiss's int64_rand_max); without it
        in [0, 2^62).

    Returns
    -------
    int64 ndarray
        Of shape n.

    Raises
    ------
    InputTypeError
        vmax is not an integer.
    InvalidArgumentError
        A negative size, or vmax outside [1, 2^64).
    """
    out = _empty(n, np.int64, "randint")
    bound = 0
    if vmax is not None:
        if isinstance(vmax, (bool, np.bool_)) or not hasattr(vmax, "__index__"):
            raise InputTypeError(f"randint: vmax must be an integer, got {type(vmax).__name__}")
        bound = operator.index(vmax)  # an unsigned 64-bit bound, as faiss's
        if not 0 < bound < 1 << 64:
            raise InvalidArgumentError(f"randint: vmax must be in [1, 2^64), got {bound}")
    _bridge.call("Int64Rand", addr(out), out.size, bound, as_int(seed, "randint", "seed"))
    return out


lrand = randint


def rand_smooth_vectors(n: int, d: int, seed: int = 1234) -> Float32Array:
    """Vectors on a smooth 10-dimensional manifold, faiss's test data (faiss: ``rand_smooth_vectors``).

    Equal to faiss's up to float32 rounding (faiss sums with BLAS).

    Parameters
    ----------
    n : int
        Number of vectors.
    d : int
        Dimension.
    seed : int
        Seed (default 1234).

    Returns
    -------
    (n, d) float32 ndarray
        The vectors.

    Raises
    ------
    InvalidArgumentError
        n below 0 or d below 1.
    """
    n, d = as_int(n, "rand_smooth_vectors", "n"), as_int(d, "rand_smooth_vectors", "d")
    if n < 0 or d <= 0:
        raise InvalidArgumentError(f"rand_smooth_vectors: need n >= 0 and d > 0, got n={n}, d={d}")
    out = np.empty((n, d), dtype=np.float32)
    _bridge.call("RandSmoothVectors", addr(out), n, d, as_int(seed, "rand_smooth_vectors", "seed"))
    return out


def _fill(op, bridge, ptr, dtype, n, seed, *extra):
    from .swig_pointers import region

    out = region(ptr, dtype, as_int(n, op, "n"), op, "x", True)
    _bridge.call(bridge, addr(out), out.shape[0], *extra, as_int(seed, op, "seed"))


def float_rand(x: ArrayLike, n: int, seed: int) -> None:
    """Fill n float32 values with faiss's uniform draws in [0, 1] (faiss: ``float_rand``).

    faiss's generator, so faiss's values for the same seed.

    Parameters
    ----------
    x : swig_ptr (float32)
        Receives the n values.
    n : int
        Number of values.
    seed : int
        Seed.

    Raises
    ------
    InvalidArgumentError
        n below 0, or a buffer smaller than n values.
    InputTypeError
        A buffer of another dtype.
    """
    _fill("float_rand", "FloatRand", x, np.float32, n, seed)


def float_randn(x: ArrayLike, n: int, seed: int) -> None:
    """Fill n float32 values with faiss's standard normal draws (faiss: ``float_randn``).

    faiss's generator, so faiss's values for the same seed.

    Parameters
    ----------
    x : swig_ptr (float32)
        Receives the n values.
    n : int
        Number of values.
    seed : int
        Seed.

    Raises
    ------
    InvalidArgumentError
        n below 0, or a buffer smaller than n values.
    InputTypeError
        A buffer of another dtype.
    """
    _fill("float_randn", "FloatRandn", x, np.float32, n, seed)


def int64_rand(x: ArrayLike, n: int, seed: int) -> None:
    """Fill n int64 values with faiss's draws in [0, 2^62) (faiss: ``int64_rand``).

    faiss's generator, so faiss's values for the same seed.

    Parameters
    ----------
    x : swig_ptr (int64)
        Receives the n values.
    n : int
        Number of values.
    seed : int
        Seed.

    Raises
    ------
    InvalidArgumentError
        n below 0, or a buffer smaller than n values.
    InputTypeError
        A buffer of another dtype.
    """
    _fill("int64_rand", "Int64Rand", x, np.int64, n, seed, 0)


def int64_rand_max(x: ArrayLike, n: int, max: int, seed: int) -> None:
    """Fill n int64 values with faiss's draws in [0, max) (faiss: ``int64_rand_max``).

    faiss's generator, so faiss's values for the same seed.

    Parameters
    ----------
    x : swig_ptr (int64)
        Receives the n values.
    n : int
        Number of values.
    max : int
        Exclusive bound, in [1, 2^64).
    seed : int
        Seed.

    Raises
    ------
    InvalidArgumentError
        n below 0, or a buffer smaller than n values.
    InputTypeError
        A buffer of another dtype.
    """
    bound = as_int(max, "int64_rand_max", "max")
    if not 0 < bound < 1 << 64:
        raise InvalidArgumentError(f"int64_rand_max: max must be in [1, 2^64), got {bound}")
    _fill("int64_rand_max", "Int64Rand", x, np.int64, n, seed, bound)


def byte_rand(x: ArrayLike, n: int, seed: int) -> None:
    """Fill n uint8 values with faiss's random bytes (faiss: ``byte_rand``).

    faiss's generator, so faiss's values for the same seed.

    Parameters
    ----------
    x : swig_ptr (uint8)
        Receives the n values.
    n : int
        Number of values.
    seed : int
        Seed.

    Raises
    ------
    InvalidArgumentError
        n below 0, or a buffer smaller than n values.
    InputTypeError
        A buffer of another dtype.
    """
    _fill("byte_rand", "ByteRand", x, np.uint8, n, seed)


def rand_perm(perm: ArrayLike, n: int, seed: int) -> None:
    """Write faiss's random permutation of 0..n-1 (faiss: ``rand_perm``).

    faiss's generator, so faiss's values for the same seed.

    Parameters
    ----------
    perm : swig_ptr (int32)
        Receives the n values.
    n : int
        Number of values.
    seed : int
        Seed.

    Raises
    ------
    InvalidArgumentError
        n below 0, or a buffer smaller than n values.
    InputTypeError
        A buffer of another dtype.
    """
    _fill("rand_perm", "RandPerm", perm, np.int32, n, seed)
