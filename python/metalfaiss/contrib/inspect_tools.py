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
    """(ids, codes) of inverted list l: the codes as (list_size, code_size)
    uint8, or for block lists (fast-scan) as (blocks, block_size /
    n_per_block, n_per_block), as faiss reshapes them."""
    ids = invlists.get_ids(l)
    codes = invlists.get_codes(l)
    npb = getattr(invlists, "n_per_block", None)
    if npb:
        return ids, codes.reshape(-1, invlists.block_size // npb, npb)
    return ids, codes.reshape(len(ids), invlists.code_size)


def get_invlist_sizes(invlists: Any) -> Int64Array:
    """The sizes of the nlist inverted lists, as an int64 array."""
    return np.array([invlists.list_size(i) for i in range(invlists.nlist)], dtype="int64")


def print_object_fields(obj: Any) -> None:
    """Print the public fields of obj with their values."""
    for name in sorted(dir(obj)):
        if name.startswith("_"):
            continue
        value = getattr(obj, name)
        if not callable(value):
            print(f"{name} = {value}")


def get_pq_centroids(pq: Any) -> Float32Array:
    """A product quantizer's centroids as an (M, ksub, dsub) array."""
    return np.asarray(pq.centroids).reshape(pq.M, pq.ksub, pq.dsub)


def get_LinearTransform_matrix(pca: Any) -> tuple[Float32Array, Float32Array]:
    """(A, b) of any linear transform (PCA, OPQ, rotations...): A as a
    (d_out, d_in) matrix."""
    return np.asarray(pca.A).reshape(pca.d_out, pca.d_in), np.asarray(pca.b)


def make_LinearTransform_matrix(A: ArrayLike, b: Optional[ArrayLike] = None) -> LinearTransform:
    """A trained LinearTransform x -> A x (+ b); set_params sets
    is_orthonormal as faiss's set_is_orthonormal does."""
    A = np.asarray(A, dtype="float32")
    d_out, d_in = A.shape
    if b is not None and np.shape(b) != (d_out,):
        raise ValueError(f"make_LinearTransform_matrix: b has shape {np.shape(b)}, expected ({d_out},)")
    lt = LinearTransform(d_in, d_out, b is not None)
    lt.set_params(A, b)
    return lt


def get_additive_quantizer_codebooks(aq: Any) -> list[Float32Array]:
    """An additive quantizer's codebooks: a list of M (K_m, d) arrays, cut
    from its stacked codebooks at its codebook_offsets."""
    codebooks = np.asarray(aq.codebooks).reshape(-1, aq.d)
    offsets = np.asarray(aq.codebook_offsets)
    return [codebooks[offsets[m]:offsets[m + 1]] for m in range(aq.M)]


def get_flat_data(index: Index) -> Float32Array:
    """The (ntotal, d) float32 vectors of an IndexFlat, copied."""
    return index.reconstruct_n(0, index.ntotal)
