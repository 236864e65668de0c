"""The steps of faiss's additive quantizers that scripts call one at a
time, with faiss's pointer arguments (``faiss.swig_ptr(array)``) or
arrays: pack_codes, knn_centroids_*, the codebook tables and
beam_search_encode_step_tab; and LocalSearchQuantizer's
compute_binary_terms, compute_unary_terms, icm_encode_step and
update_codebooks."""

from __future__ import annotations

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from .errors import InvalidArgumentError
from .swig_pointers import SwigPtr, region
from ._typing import Any, ArrayLike


def _buf(v, dtype, count, op, name, writable=False):
    """A pointer's or an array's first count values as a flat view."""
    if isinstance(v, SwigPtr):
        return region(v, dtype, count, op, name, writable)
    if not isinstance(v, np.ndarray) or v.dtype != np.dtype(dtype) or not v.flags.c_contiguous:
        raise InvalidArgumentError(f"{op}: {name} must be a C-contiguous {np.dtype(dtype).name} array or pointer")
    if v.size < count:
        raise InvalidArgumentError(f"{op}: {name} holds {v.size} values, need {count}")
    return v.reshape(-1)[:count]


class AQSteps:
    """An additive quantizer's exposed steps (faiss: ``AdditiveQuantizer`` methods).

    The steps and tables faiss exposes, mixed into the additive
    quantizers: ``pack_codes``,
    ``knn_centroids_inner_product``, ``knn_centroids_L2``,
    ``compute_codebook_tables``, ``codebook_cross_products``,
    ``centroid_norms``, as faiss's.
    """

    def pack_codes(self, n: int, codes: ArrayLike, packed_codes: Any, ld_codes: Any = -1) -> None:
        """faiss's ``pack_codes(n, codes, packed_codes, ld_codes=-1)``: n
        rows of M int32 codebook indices (``ld_codes`` apart) into n codes
        of ``code_size`` bytes, with the norms the search type stores."""
        op = self._op("pack_codes")
        n, ld = as_int(n, op, "n"), as_int(ld_codes, op, "ld_codes")
        row = ld if ld > 0 else self.M
        src = _buf(codes, np.int32, max(0, (n - 1) * row + self.M) if n else 0, op, "codes")
        dst = _buf(packed_codes, np.uint8, n * self.code_size, op, "packed_codes", True)
        _bridge.call("AQPackCodes", self._handle, n, addr(src), ld, addr(dst))

    def _knn(self, op, n, x, k, distances, labels, norms, metric):
        n, k = as_int(n, op, "n"), as_int(k, op, "k")
        xs = _buf(x, np.float32, n * self.d, op, "x")
        D = _buf(distances, np.float32, n * k, op, "distances", True)
        L = _buf(labels, np.int64, n * k, op, "labels", True)
        nv = 0 if norms is None else addr(_buf(norms, np.float32, 1 << self.tot_bits, op, "centroid_norms"))
        _bridge.call("AQKnnCentroids", self._handle, n, addr(xs), k, addr(D), addr(L), nv, metric)

    def knn_centroids_inner_product(self, n: int, xq: ArrayLike, k: int, distances: Any, labels: ArrayLike) -> None:
        """The k centroids (sums of one entry per codebook) of largest inner
        product with each of the n queries at xq, from look-up tables."""
        self._knn(self._op("knn_centroids_inner_product"), n, xq, k, distances, labels, None, 0)

    def knn_centroids_L2(self, n: int, xq: ArrayLike, k: int, distances: Any, labels: ArrayLike,
                         centroid_norms: Any = None) -> None:
        """The k nearest centroids by L2, with the centroids' squared norms
        (2^tot_bits values, as compute_centroid_norms writes them)."""
        self._knn(self._op("knn_centroids_L2"), n, xq, k, distances, labels, centroid_norms, 1)

    def _table(self, which, build=False):
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("AQTables", self._handle, build, which, -1, addr(out))
        t = np.zeros(int(out[0]), dtype=np.float32)
        if t.size:
            _bridge.call("AQTables", self._handle, False, which, t.size, addr(t))
        return t

    def compute_codebook_tables(self) -> None:
        """Build ``codebook_cross_products`` and ``centroid_norms`` now."""
        self._table(0, build=True)

    @property
    def codebook_cross_products(self) -> Any:
        """faiss's layout: for m = 1..M-1, the inner products of every entry
        of codebooks 0..m-1 (rows) with each entry of codebook m; empty
        until the tables are built (a search or compute_codebook_tables)."""
        return self._table(0)

    @property
    def centroid_norms(self) -> Any:
        """|entry|^2 of every codebook entry (total_codebook_size); empty
        until the tables are built."""
        return self._table(1)


class LSQSteps:
    """The steps of LSQ++ that faiss's LocalSearchQuantizer exposes (faiss: ``LocalSearchQuantizer`` methods).

    ``compute_binary_terms``, ``compute_unary_terms``, ``icm_encode_step``,
    ``update_codebooks``, on arrays as faiss's take them.
    """

    def _codebooks3(self):
        return self.codebooks.reshape(self.M, self.K, self.d)

    def compute_binary_terms(self, binaries: Any) -> None:
        """Writes 2 <c(m1, k1), c(m2, k2)> at binaries[m1, m2, k1, k2]
        (M x M x K x K float32)."""
        op = self._op("compute_binary_terms")
        M, K = self.M, self.K
        out = _buf(binaries, np.float32, M * M * K * K, op, "binaries", True).reshape(M, M, K, K)
        cb = self._codebooks3()
        for m1 in range(M):
            for m2 in range(M):
                out[m1, m2] = 2 * (cb[m1] @ cb[m2].T)

    def compute_unary_terms(self, x: ArrayLike, unaries: Any, n: int) -> None:
        """Writes |c(m, k)|^2 - 2 <x_i, c(m, k)> at unaries[m, i, k] (M x n
        x K float32) for the n vectors at x."""
        op = self._op("compute_unary_terms")
        M, K, d = self.M, self.K, self.d
        n = as_int(n, op, "n")
        xs = _buf(x, np.float32, n * d, op, "x").reshape(n, d)
        out = _buf(unaries, np.float32, M * n * K, op, "unaries", True).reshape(M, n, K)
        cb = self._codebooks3()
        norms = (cb * cb).sum(2)
        for m in range(M):
            out[m] = norms[m] - 2 * (xs @ cb[m].T)

    def icm_encode_step(self, codes: ArrayLike, unaries: Any, binaries: Any, n: int, n_iters: Any) -> None:
        """faiss's icm_encode_step: n_iters sweeps; in each, codebook m's
        index of every vector becomes the first minimum of its unary term
        plus the binary terms with the other indices (codes: n x M int32,
        updated in place)."""
        op = self._op("icm_encode_step")
        M, K = self.M, self.K
        n, iters = as_int(n, op, "n"), as_int(n_iters, op, "n_iters")
        c = _buf(codes, np.int32, n * M, op, "codes", True).reshape(n, M)
        u = _buf(unaries, np.float32, M * n * K, op, "unaries").reshape(M, n, K)
        b = _buf(binaries, np.float32, M * M * K * K, op, "binaries").reshape(M, M, K, K)
        if n and (c.min() < 0 or c.max() >= K):
            raise InvalidArgumentError(f"{op}: codes must lie in 0..{K - 1}")
        for _ in range(iters):
            for m in range(M):
                objs = u[m].copy()
                for o in range(M):  # faiss's order of the sums
                    if o != m:
                        objs += b[m, o][:, c[:, o]].T
                c[:, m] = np.argmin(objs, axis=1)

    def update_codebooks(self, x: ArrayLike, codes: ArrayLike, n: int) -> None:
        """faiss's update_codebooks: the codebooks that fit the n vectors at
        x best under their codes (n x M int32), by the ridge solve of
        training (``lambd``, ``update_codebooks_with_double``)."""
        op = self._op("update_codebooks")
        n = as_int(n, op, "n")
        xs = _buf(x, np.float32, n * self.d, op, "x")
        cs = _buf(codes, np.int32, n * self.M, op, "codes")
        _bridge.call("LSQUpdateCodebooks", self._handle, n, addr(xs), addr(cs))


def beam_search_encode_step_tab(K: int, n: int, beam_size: Any, codebook_cross_norms: Any, ldc: Any,
                                codebook_offsets: Any, query_cp: Any, ldqc: Any, cent_norms_i: Any, m: Any,
                                codes: ArrayLike, distances: Any, new_beam_size: Any, new_codes: Any,
                                new_distances: Any) -> None:
    """One step of the table-based beam search of residual quantization (faiss: ``beam_search_encode_step_tab``).

    For each of the n points and each of its beam_size entries, the K
    candidates of codebook m are scored at distance + |c|^2 - 2 <x, c> + 2
    <c, the entry's codewords> from the cross-norm tables; the
    new_beam_size best go to new_codes (m + 1 indices per entry) and
    new_distances. Buffers are ``swig_ptr(array)`` or arrays.

    Parameters
    ----------
    K : int
        Entries of codebook m.
    n : int
        Points.
    beam_size : int
        Entries per point's beam.
    codebook_cross_norms : float32 buffer
        <c_i, c_j> between codebooks, rows codebook_offsets[j] + code of
        codebooks j < m, ldc apart.
    ldc : int
        Row stride of codebook_cross_norms.
    codebook_offsets : int64 buffer
        Where each codebook's rows start.
    query_cp : float32 buffer
        <x, c> of each point and codeword, rows ldqc apart.
    ldqc : int
        Row stride of query_cp.
    cent_norms_i : float32 buffer
        |c|^2 of codebook m's entries.
    m : int
        The codebook being added.
    codes : int32 buffer
        n x beam_size x m indices.
    distances : float32 buffer
        n x beam_size distances.
    new_beam_size : int
        Entries kept per point.
    new_codes : int32 buffer
        Receives n x new_beam_size x (m + 1) indices.
    new_distances : float32 buffer
        Receives n x new_beam_size distances.

    Raises
    ------
    InvalidArgumentError
        Sizes that do not fit the buffers.
    """
    op = "beam_search_encode_step_tab"
    K, n, beam, m, nb = (as_int(v, op, name) for v, name in
                         ((K, "K"), (n, "n"), (beam_size, "beam_size"), (m, "m"), (new_beam_size, "new_beam_size")))
    ldc, ldqc = as_int(ldc, op, "ldc"), as_int(ldqc, op, "ldqc")
    if nb > beam * K or nb <= 0 or K <= 0:
        raise InvalidArgumentError(f"{op}: need 0 < new_beam_size <= beam_size * K, got {nb}, {beam} x {K}")
    offs = _buf(codebook_offsets, np.uint64, m + 1, op, "codebook_offsets").astype(np.int64) if m else np.zeros(1, int)
    rows = int(offs[m]) if m else 0
    cross = _buf(codebook_cross_norms, np.float32, rows * ldc, op, "codebook_cross_norms").reshape(-1, ldc)[:, :K] \
        if rows else np.zeros((0, K), dtype=np.float32)
    qcp = _buf(query_cp, np.float32, (n - 1) * ldqc + K if n else 0, op, "query_cp")
    norms = _buf(cent_norms_i, np.float32, K, op, "cent_norms_i")
    c = _buf(codes, np.int32, n * beam * m, op, "codes").reshape(n, beam, m)
    dist = _buf(distances, np.float32, n * beam, op, "distances").reshape(n, beam)
    out_c = _buf(new_codes, np.int32, n * nb * (m + 1), op, "new_codes", True).reshape(n, nb, m + 1)
    out_d = _buf(new_distances, np.float32, n * nb, op, "new_distances", True).reshape(n, nb)
    for i in range(n):
        q = qcp[i * ldqc:i * ldqc + K]
        cd = dist[i][:, None] + norms[None, :] - 2 * q[None, :]
        if m:
            dp = np.zeros((beam, K), dtype=np.float32)
            for j in range(m):
                dp += cross[offs[j] + c[i, :, j]]
            cd = cd + 2 * dp
        flat = cd.ravel()
        best = np.argsort(flat, kind="stable")[:nb]
        out_c[i, :, :m] = c[i, best // K]
        out_c[i, :, m] = best % K
        out_d[i] = flat[best]
