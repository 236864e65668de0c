"""Looking inside indexes and transforms (contrib.inspect_tools): their
arrays and inverted lists as numpy, and linear transforms made from a
matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING
import numpy as np

from metalfaiss import LinearTransform
from .._typing import Any, ArrayLike, Float32Array, Int64Array, Optional, UInt8Array

if TYPE_CHECKING:
    from ..index import Index


def get_invlist(invlists: Any, l: int) -> tuple[Int64Array, UInt8Array]:
    """The ids and codes of one inverted list (faiss: ``contrib.inspect_tools.get_invlist``).

    Parameters
    ----------
    invlists : InvertedLists
        An IVF index's ``invlists``.
    l : int
        The list number.

    Returns
    -------
    ids : (list_size,) int64 ndarray
        The ids.
    codes : uint8 ndarray
        (list_size, code_size), or for block lists (fast-scan) (blocks,
        block_size / n_per_block, n_per_block), as faiss reshapes them.
    """
    ids = invlists.get_ids(l)
    codes = invlists.get_codes(l)
    npb = getattr(invlists, "n_per_block", None)
    if npb:
        return ids, codes.reshape(-1, invlists.block_size // npb, npb)
    return ids, codes.reshape(len(ids), invlists.code_size)


def get_invlist_sizes(invlists: Any) -> Int64Array:
    """The sizes of all the inverted lists (faiss: ``contrib.inspect_tools.get_invlist_sizes``).

    Parameters
    ----------
    invlists : InvertedLists
        An IVF index's ``invlists``.

    Returns
    -------
    (nlist,) int64 ndarray
        The number of entries of each list.
    """
    return np.array([invlists.list_size(i) for i in range(invlists.nlist)], dtype="int64")


def print_object_fields(obj: object) -> None:
    """Print the public fields of an object with their values (faiss: ``contrib.inspect_tools.print_object_fields``).

    Parameters
    ----------
    obj : object
        Any metalfaiss object (index, quantizer, parameters, ...).
    """
    for name in sorted(dir(obj)):
        if name.startswith("_"):
            continue
        value = getattr(obj, name)
        if not callable(value):
            print(f"{name} = {value}")


def get_pq_centroids(pq: Any) -> Float32Array:
    """A product quantizer's centroids (faiss: ``contrib.inspect_tools.get_pq_centroids``).

    Parameters
    ----------
    pq : ProductQuantizer
        A trained product quantizer (``index.pq``).

    Returns
    -------
    (M, ksub, dsub) float32 ndarray
        Centroid j of sub-space m is [m, j].
    """
    return np.asarray(pq.centroids).reshape(pq.M, pq.ksub, pq.dsub)


def get_LinearTransform_matrix(pca: Any) -> tuple[Float32Array, Float32Array]:
    """The matrix and bias of a linear transform (faiss: ``contrib.inspect_tools.get_LinearTransform_matrix``).

    Parameters
    ----------
    pca : LinearTransform
        PCAMatrix, OPQMatrix, RandomRotationMatrix, ... (trained).

    Returns
    -------
    A : (d_out, d_in) float32 ndarray
        The matrix.
    b : float32 ndarray
        The bias, as the transform holds it.
    """
    return np.asarray(pca.A).reshape(pca.d_out, pca.d_in), np.asarray(pca.b)


def make_LinearTransform_matrix(A: ArrayLike, b: Optional[ArrayLike] = None) -> LinearTransform:
    """A trained LinearTransform x -> A x (+ b) (faiss: ``contrib.inspect_tools.make_LinearTransform_matrix``).

    ``set_params`` marks it orthonormal when A is, as faiss's
    set_is_orthonormal does.

    Parameters
    ----------
    A : (d_out, d_in) float32-convertible
        The matrix.
    b : (d_out,) float32-convertible, optional
        The bias.

    Returns
    -------
    LinearTransform
        The transform, ready to apply.

    Raises
    ------
    ValueError
        b is not of shape (d_out,).
    """
    A = np.asarray(A, dtype="float32")
    d_out, d_in = A.shape
    if b is not None and np.shape(b) != (d_out,):
        raise ValueError(f"make_LinearTransform_matrix: b has shape {np.shape(b)}, expected ({d_out},)")
    lt = LinearTransform(d_in, d_out, b is not None)
    lt.set_params(A, b)
    return lt


def get_additive_quantizer_codebooks(aq: Any) -> list[Float32Array]:
    """An additive quantizer's codebooks (faiss: ``contrib.inspect_tools.get_additive_quantizer_codebooks``).

    Parameters
    ----------
    aq : AdditiveQuantizer
        A trained residual, local-search or product quantizer.

    Returns
    -------
    list of (K_m, d) float32 ndarray
        Codebook m, cut from the stacked codebooks at its codebook_offsets.
    """
    codebooks = np.asarray(aq.codebooks).reshape(-1, aq.d)
    offsets = np.asarray(aq.codebook_offsets)
    return [codebooks[offsets[m]:offsets[m + 1]] for m in range(aq.M)]


def get_flat_data(index: Index) -> Float32Array:
    """The vectors of a flat index, copied (faiss: ``contrib.inspect_tools.get_flat_data``).

    Parameters
    ----------
    index : IndexFlat
        The index.

    Returns
    -------
    (ntotal, d) float32 ndarray
        Its vectors.
    """
    return index.reconstruct_n(0, index.ntotal)
