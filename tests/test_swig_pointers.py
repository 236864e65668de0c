"""faiss's low-level functions called through swig_ptr, against faiss-cpu
on the same inputs: the same values (float sums to a tolerance), the same
draws for the same seeds, and clear errors where faiss would read or write
past an array."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf

RNG = np.random.default_rng(7)
X = RNG.standard_normal((30, 12)).astype(np.float32)
Y = RNG.standard_normal((50, 12)).astype(np.float32)


def both(name, *arrays_and_scalars):
    """Call faiss's and ours with fresh copies of the arrays (as pointers);
    return (our result, our arrays, faiss's result, faiss's arrays)."""
    out = []
    for lib in (mf, faiss):
        copies = [a.copy() if isinstance(a, np.ndarray) else a for a in arrays_and_scalars]
        args = [lib.swig_ptr(a) if isinstance(a, np.ndarray) else a for a in copies]
        out.append((getattr(lib, name)(*args), [a for a in copies if isinstance(a, np.ndarray)]))
    return out[0][0], out[0][1], out[1][0], out[1][1]


@pytest.mark.parametrize("name", ["fvec_L2sqr", "fvec_inner_product", "fvec_L1", "fvec_Linf"])
def test_pair_functions(name):
    ours, _, theirs, _ = both(name, X[0], Y[0], 12)
    assert ours == pytest.approx(theirs, rel=1e-5)
    assert mf.fvec_norm_L2sqr(mf.swig_ptr(X[1]), 12) == pytest.approx(faiss.fvec_norm_L2sqr(faiss.swig_ptr(X[1]), 12))


@pytest.mark.parametrize("call", [
    ("fvec_L2sqr_ny", np.zeros(50, np.float32), X[0], Y, 12, 50),
    ("fvec_inner_products_ny", np.zeros(50, np.float32), X[0], Y, 12, 50),
    ("fvec_norms_L2", np.zeros(30, np.float32), X, 12, 30),
    ("fvec_norms_L2sqr", np.zeros(30, np.float32), X, 12, 30),
    ("fvec_renorm_L2", 12, 30, X),
    ("fvec_madd", 12, X[0], 0.5, Y[0], np.zeros(12, np.float32)),
    ("fvec_madd_and_argmin", 12, X[0], -1.5, Y[0], np.zeros(12, np.float32)),
    ("fvec_sub", 12, X[0], Y[0], np.zeros(12, np.float32)),
    ("fvec_add", 12, X[0], Y[0], np.zeros(12, np.float32)),
    ("pairwise_L2sqr", 12, 30, X, 50, Y, np.zeros((30, 50), np.float32)),
    ("pairwise_L2sqr", 6, 30, X, 50, Y, np.zeros((30, 50), np.float32), 12, 12, 50),
    ("pairwise_indexed_L2sqr", 12, 4, X, np.array([0, 3, 3, 29]), Y, np.array([49, 0, 1, 2]), np.zeros(4, np.float32)),
    ("pairwise_indexed_inner_product", 12, 2, X, np.array([5, 1]), Y, np.array([7, 7]), np.zeros(2, np.float32)),
])
def test_array_functions_write_what_faiss_writes(call):
    ours, our_arrays, theirs, their_arrays = both(*call)
    assert ours == theirs
    for a, b in zip(our_arrays, their_arrays):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", ["knn_L2sqr", "knn_inner_product"])
def test_knn_functions(name):
    ours, (_, _, D, I), theirs, (_, _, Dt, It) = both(
        name, X, Y, 12, 30, 50, 5, np.zeros(150, np.float32), np.zeros(150, np.int64))
    np.testing.assert_allclose(D, Dt, rtol=1e-5)
    np.testing.assert_array_equal(I, It)
    sel = np.arange(0, 50, 3)
    D, I = np.zeros(150, np.float32), np.zeros(150, np.int64)
    getattr(mf, name)(mf.swig_ptr(X), mf.swig_ptr(Y), 12, 30, 50, 5, mf.swig_ptr(D), mf.swig_ptr(I),
                      sel=mf.IDSelectorBatch(sel))
    assert np.isin(I, sel).all()


@pytest.mark.parametrize("name,dtype,extra", [
    ("float_rand", np.float32, ()), ("float_randn", np.float32, ()), ("int64_rand", np.int64, ()),
    ("int64_rand_max", np.int64, (1000,)), ("byte_rand", np.uint8, ()), ("rand_perm", np.int32, ()),
])
@pytest.mark.parametrize("n", [10, 5000])
def test_random_fills_match_faiss(name, dtype, extra, n):
    _, (ours,), _, (theirs,) = both(name, np.zeros(n, dtype), n, *extra, 1234)
    np.testing.assert_array_equal(ours, theirs)


def test_ranklist_intersection_size():
    a = np.array([1, 1, 2, -1, 2**61], np.int64)
    b = np.array([2, 2**61, -1, 7], np.int64)
    assert both("ranklist_intersection_size", 5, a, 4, b)[0] == 2


CODES_A = RNG.integers(0, 256, (20, 8), dtype=np.uint8)
CODES_B = RNG.integers(0, 256, (90, 8), dtype=np.uint8)


def test_hamming_functions_match_faiss():
    _, (_, _, dis), _, (_, _, dis_t) = both("hammings", CODES_A, CODES_B, 20, 90, 8, np.zeros((20, 90), np.int32))
    np.testing.assert_array_equal(dis, dis_t)
    for name in ("hamming_count_thres",):
        _, (_, _, c), _, (_, _, ct) = both(name, CODES_A, CODES_B, 20, 90, 28, 8, np.zeros(1, np.uint64))
        assert c[0] == ct[0] > 0
    # faiss before 1.15 counted the cross pairs differently: the reference is
    # the definition (pairs i < j at distance <= ht)
    c = np.zeros(1, np.uint64)
    mf.crosshamming_count_thres(mf.swig_ptr(CODES_B), 90, 28, 8, mf.swig_ptr(c))
    full = np.unpackbits(CODES_B[:, None] ^ CODES_B[None], axis=2).sum(2)
    assert c[0] == np.triu(full <= 28, k=1).sum() > 0
    n, (_, _, idx, d), nt, (_, _, idx_t, d_t) = both(
        "match_hamming_thres", CODES_A, CODES_B, 20, 90, 28, 8, np.zeros(2000, np.int64), np.zeros(1000, np.int32))
    assert n == nt > 0
    pairs = sorted(zip(idx[:2 * n:2], idx[1:2 * n:2], d[:n]))
    assert pairs == sorted(zip(idx_t[:2 * n:2], idx_t[1:2 * n:2], d_t[:n]))
    _, (_, _, D, I), _, (_, _, Dt, It) = both(
        "hammings_knn_mc", CODES_A, CODES_B, 20, 90, 5, 8, np.zeros(100, np.int32), np.zeros(100, np.int64))
    np.testing.assert_array_equal(D, Dt)
    full = (np.unpackbits(CODES_A[:, None] ^ CODES_B[None], axis=2).sum(2))
    np.testing.assert_array_equal(np.take_along_axis(full, I.reshape(20, 5), 1), D.reshape(20, 5))


@pytest.mark.parametrize("lib_name", ["hammings_knn_hc", "generalized_hammings_knn_hc"])
def test_heap_array_searches_match_faiss(lib_name):
    results = []
    for lib in (mf, faiss):
        D, I = np.zeros((20, 4), np.int32), np.zeros((20, 4), np.int64)
        heap = lib.int_maxheap_array_t()
        heap.nh, heap.k, heap.ids, heap.val = 20, 4, lib.swig_ptr(I), lib.swig_ptr(D)
        getattr(lib, lib_name)(heap, lib.swig_ptr(CODES_A), lib.swig_ptr(CODES_B), 90, 8, True)
        results.append(D)
    np.testing.assert_array_equal(*results)


def test_heap_array_addn_keeps_the_best_like_faiss():
    vals = RNG.standard_normal((3, 40)).astype(np.float32)
    results = []
    for lib in (mf, faiss):
        for kind in ("float_maxheap_array_t", "float_minheap_array_t"):
            D, I = np.zeros((3, 6), np.float32), np.zeros((3, 6), np.int64)
            heap = getattr(lib, kind)()
            heap.nh, heap.k, heap.ids, heap.val = 3, 6, lib.swig_ptr(I), lib.swig_ptr(D)
            heap.heapify()
            heap.addn(20, lib.swig_ptr(np.ascontiguousarray(vals[:, :20])), 0)
            heap.addn(20, lib.swig_ptr(np.ascontiguousarray(vals[:, 20:])), 20)
            heap.reorder()
            results.append((D, I))
    for (D, I), (Dt, It) in zip(results[:2], results[2:]):
        np.testing.assert_array_equal(D, Dt)
        np.testing.assert_array_equal(I, It)


@pytest.mark.parametrize("nbit", [5, [3, 9, 1, 14]])
def test_pack_bitstrings_match_faiss(nbit):
    widths = np.full(4, nbit) if np.ndim(nbit) == 0 else np.array(nbit)
    a = (RNG.integers(0, 1 << 30, (7, 4)) % (1 << widths)).astype(np.int32)
    b = mf.pack_bitstrings(a, nbit)
    np.testing.assert_array_equal(b, faiss.pack_bitstrings(a, nbit))
    back = mf.unpack_bitstrings(b, 4, nbit) if np.ndim(nbit) == 0 else mf.unpack_bitstrings(b, nbit)
    np.testing.assert_array_equal(back, a)


def test_bitvec_shuffle_matches_faiss():
    order = RNG.permutation(64)[:40].astype(np.int32)
    _, (_, _, out), _, (_, _, out_t) = both("bitvec_shuffle", 20, 64, 40, order, CODES_A, np.zeros((20, 5), np.uint8))
    np.testing.assert_array_equal(out, out_t)


def test_swig_ptr_round_trip_and_bad_pointers():
    for dtype in (np.float32, np.float64, np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64,
                  np.uint64):
        a = np.arange(12).astype(dtype)
        np.testing.assert_array_equal(mf.rev_swig_ptr(mf.swig_ptr(a), 12), a)
    with pytest.raises(TypeError, match="numpy array"):
        mf.swig_ptr([1.0, 2.0])
    with pytest.raises(ValueError, match="contiguous"):
        mf.swig_ptr(X[:, ::2])
    with pytest.raises(TypeError, match="float32"):
        mf.fvec_L2sqr(mf.swig_ptr(X[0].astype(np.float64)), mf.swig_ptr(Y[0]), 12)
    with pytest.raises(ValueError, match="must hold 13 values"):
        mf.fvec_L2sqr(mf.swig_ptr(X[0]), mf.swig_ptr(Y[0]), 13)
    with pytest.raises(TypeError, match="swig_ptr"):
        mf.fvec_norm_L2sqr(X[0], 12)
    with pytest.raises(ValueError, match="read-only"):
        ro = np.zeros(50, np.float32)
        ro.flags.writeable = False
        mf.fvec_L2sqr_ny(mf.swig_ptr(ro), mf.swig_ptr(X[0]), mf.swig_ptr(Y), 12, 50)


def test_pointer_index_methods_equal_the_array_methods():
    index = mf.IndexFlatL2(12)
    index.train_c(50, mf.swig_ptr(Y))
    index.add_c(50, mf.swig_ptr(Y))
    D, I = np.zeros((30, 4), np.float32), np.zeros((30, 4), np.int64)
    index.search_c(30, mf.swig_ptr(X), 4, mf.swig_ptr(D), mf.swig_ptr(I))
    Dr, Ir = index.search(X, 4)
    np.testing.assert_array_equal(D, Dr)
    np.testing.assert_array_equal(I, Ir)
    labels = np.zeros(30, np.int64)
    index.assign_c(30, mf.swig_ptr(X), mf.swig_ptr(labels))
    np.testing.assert_array_equal(labels, Ir[:, 0])
    rec = np.zeros((3, 12), np.float32)
    index.reconstruct_n_c(5, 3, mf.swig_ptr(rec))
    np.testing.assert_array_equal(rec, Y[5:8])
    index.reconstruct_c(9, mf.swig_ptr(rec))
    np.testing.assert_array_equal(rec[0], Y[9])
    np.testing.assert_array_equal(mf.rev_swig_ptr(index.get_xb(), 50 * 12).reshape(50, 12), Y)
    with pytest.raises(ValueError, match="must hold"):
        index.search_c(31, mf.swig_ptr(X), 4, mf.swig_ptr(D), mf.swig_ptr(I))
    assert index.ntotal == 50

    ids = np.arange(100, 150, dtype=np.int64)
    idmap = mf.IndexIDMap(mf.IndexFlatL2(12))
    idmap.add_with_ids_c(50, mf.swig_ptr(Y), mf.swig_ptr(ids))
    assert idmap.search(Y[:1], 1)[1][0, 0] == 100
    sel = mf.IDSelectorBatch(10, mf.swig_ptr(ids))
    assert sel.is_member(109) and not sel.is_member(110)

    binary = mf.IndexBinaryFlat(64)
    binary.add_c(90, mf.swig_ptr(CODES_B))
    Db, Ib = np.zeros((20, 3), np.int32), np.zeros((20, 3), np.int64)
    binary.search_c(20, mf.swig_ptr(CODES_A), 3, mf.swig_ptr(Db), mf.swig_ptr(Ib))
    np.testing.assert_array_equal(Ib, binary.search(CODES_A, 3)[1])
