"""IndexBinaryFlat against faiss-cpu: Hamming distances are exact, so the
results must be identical, ties included."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf


@pytest.mark.parametrize("d,high", [(64, 256), (256, 256), (136, 4)])  # high=4: few bits, many ties
def test_binary_flat_equals_faiss(d, high):
    rng = np.random.default_rng(d)
    xb = rng.integers(0, high, (3000, d // 8), dtype=np.uint8)
    xq = rng.integers(0, high, (25, d // 8), dtype=np.uint8)
    ours, theirs = mf.IndexBinaryFlat(d), faiss.IndexBinaryFlat(d)
    ours.add(xb)
    theirs.add(xb)
    assert ours.ntotal == theirs.ntotal and ours.code_size == theirs.code_size
    for k in (1, 10, 3001):
        D, I = ours.search(xq, k)
        Dt, It = theirs.search(xq, k)
        assert D.dtype == np.int32 and I.dtype == np.int64
        np.testing.assert_array_equal(D, Dt)
        np.testing.assert_array_equal(I, It)
    radius = int(np.median(theirs.search(xq, 50)[0]))
    for a, b in zip(ours.range_search(xq, radius), theirs.range_search(xq, radius)):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ours.reconstruct(17), xb[17])
    ours.reset()
    assert ours.ntotal == 0


def test_binary_flat_bad_input():
    with pytest.raises(ValueError, match="multiple of 8"):
        mf.IndexBinaryFlat(12)
    index = mf.IndexBinaryFlat(16)
    with pytest.raises(TypeError, match="uint8"):
        index.add(np.zeros((3, 2), dtype=np.float32))
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        index.add(np.zeros((3, 3), dtype=np.uint8))
    with pytest.raises(ValueError):
        index.search(np.zeros((1, 2), dtype=np.uint8), 0)
    with pytest.raises(ValueError):
        index.reconstruct(0)
    assert index.ntotal == 0


def _clustered_codes(n, d, seed, nclusters=40, flip=0.1):
    """Codes near nclusters random centres, the same for every seed (each
    bit flipped with p=flip)."""
    centres = np.random.default_rng(d).integers(0, 256, (nclusters, d // 8), dtype=np.uint8)
    rng = np.random.default_rng(seed)
    bits = np.unpackbits(centres[rng.integers(0, nclusters, n)], axis=1, bitorder="little")
    bits ^= (rng.random(bits.shape) < flip).astype(np.uint8)
    return np.packbits(bits, axis=1, bitorder="little")


@pytest.mark.parametrize("d", [64, 128, 200])
def test_binary_ivf_equals_faiss(d):
    xb, xq = _clustered_codes(8000, d, d), _clustered_codes(60, d, d + 1)
    ours, theirs = mf.index_binary_factory(d, "BIVF32"), faiss.index_binary_factory(d, "BIVF32")
    assert not ours.is_trained
    ours.train(xb)
    theirs.train(xb)
    # the same k-means on the +-1 vectors gives the same binary centroids
    tq = faiss.downcast_IndexBinary(theirs.quantizer)
    for c in (0, 7, 31):
        np.testing.assert_array_equal(ours.quantizer.reconstruct(c), tq.reconstruct(c))
    ours.add(xb)
    theirs.add(xb)
    for nprobe in (1, 4, 32):
        ours.nprobe = theirs.nprobe = nprobe
        for k in (1, 10, 200):
            D, I = ours.search(xq, k)
            Dt, It = theirs.search(xq, k)
            assert D.dtype == np.int32
            np.testing.assert_array_equal(D, Dt)
            np.testing.assert_array_equal(I, It)
    ours.nprobe = theirs.nprobe = 4
    radius = int(np.median(theirs.search(xq, 20)[0]))
    for a, b in zip(ours.range_search(xq, radius), theirs.range_search(xq, radius)):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
    ours.reset()
    assert ours.ntotal == 0 and ours.is_trained


def test_binary_ivf_with_ids_and_hnsw_quantizer():
    d = 64
    xb, xq = _clustered_codes(4000, d, 5), _clustered_codes(30, d, 6)
    ours = mf.index_binary_factory(d, "BIVF16_HNSW8")
    assert isinstance(ours.quantizer, mf.IndexBinaryHNSW)
    ours.train(xb)
    ids = np.arange(len(xb), dtype=np.int64) * 3 + 7
    ours.add_with_ids(xb, ids)
    ours.nprobe = 16  # every list: exact
    D, I = ours.search(xq, 5)
    flat = mf.IndexBinaryFlat(d)
    flat.add(xb)
    np.testing.assert_array_equal(D, flat.search(xq, 5)[0])
    assert set(I.ravel().tolist()) <= set(ids.tolist())
    with pytest.raises(mf.UnsupportedOperationError):
        mf.IndexBinaryFlat(d).add_with_ids(xb[:2], [1, 2])


def _recall(I, gt):
    return np.mean([len(set(a) & set(b)) / len(b) for a, b in zip(I, gt)])


def test_binary_hnsw_recall_like_faiss():
    d = 128
    xb, xq = _clustered_codes(20000, d, 11, nclusters=200, flip=0.2), _clustered_codes(500, d, 12, nclusters=200, flip=0.2)
    flat = faiss.IndexBinaryFlat(d)
    flat.add(xb)
    kth = flat.search(xq, 10)[0][:, -1:]
    ours, theirs = mf.IndexBinaryHNSW(d, 16), faiss.IndexBinaryHNSW(d, 16)
    # One worker: a parallel build's graph depends on how the workers
    # interleave (recall at ef=16 ranged 0.961-0.983 over runs), a flaky
    # measure; one worker's is reproducible (0.971 here, faiss's 0.982).
    threads, their_threads = mf.omp_get_max_threads(), faiss.omp_get_max_threads()
    mf.omp_set_num_threads(1)
    faiss.omp_set_num_threads(1)  # faiss's parallel build varies as well (0.982-0.992 at ef=16)
    try:
        ours.add(xb)
        theirs.add(xb)
    finally:
        mf.omp_set_num_threads(threads)
        faiss.omp_set_num_threads(their_threads)
    assert ours.hnsw.M == 16 and ours.storage.ntotal == len(xb)
    np.testing.assert_array_equal(ours.hnsw.levels, faiss.vector_to_array(theirs.hnsw.levels))
    for ef in (16, 64):
        ours.hnsw.efSearch = theirs.hnsw.efSearch = ef
        D, I = ours.search(xq, 10)
        Dt, It = theirs.search(xq, 10)
        # Hamming distances tie often, so ids are not a fair recall: a
        # result counts when it is within the true 10th distance.
        ours_recall, their_recall = np.mean(D <= kth), np.mean(Dt <= kth)
        assert ours_recall >= their_recall - 0.02, (ef, ours_recall, their_recall)
        exact = np.unpackbits(xq[:, None, :] ^ xb[I], axis=2).sum(2)
        np.testing.assert_array_equal(D, exact)
    lims, Dr, Ir = ours.range_search(xq[:5], 30)
    fl = flat.range_search(xq[:5], 30)
    np.testing.assert_array_equal(lims, fl[0])
    np.testing.assert_array_equal(Ir, fl[2])
    np.testing.assert_array_equal(ours.reconstruct(3), xb[3])


def test_binary_factory_and_bad_input():
    assert isinstance(mf.index_binary_factory(64, "BFlat"), mf.IndexBinaryFlat)
    assert isinstance(mf.index_binary_factory(64, "BHNSW8"), mf.IndexBinaryHNSW)
    with pytest.raises(ValueError, match="could not parse"):
        mf.index_binary_factory(64, "BIVF")
    with pytest.raises(ValueError, match="multiple of 8"):
        mf.index_binary_factory(60, "BFlat")
    q = mf.IndexBinaryFlat(64)
    with pytest.raises(mf.DimensionMismatchError):
        mf.IndexBinaryIVF(q, 128, 4)
    ivf = mf.IndexBinaryIVF(q, 64, 4)
    with pytest.raises(mf.NotTrainedError):
        ivf.add(np.zeros((2, 8), np.uint8))
    with pytest.raises(ValueError, match="at least as many"):
        ivf.train(np.zeros((2, 8), np.uint8))
    assert ivf.ntotal == 0 and not ivf.is_trained
    with pytest.raises(ValueError, match="nprobe"):
        ivf.nprobe = 0
    with pytest.raises(mf.InvalidArgumentError, match="direct map not initialized"):
        ivf.reconstruct(0)


@pytest.mark.parametrize("desc", ["BFlat", "BIVF16", "BHNSW8"])
def test_binary_files_both_ways(desc, tmp_path):
    d = 64
    xb, xq = _clustered_codes(3000, d, 21), _clustered_codes(20, d, 22)
    theirs = faiss.index_binary_factory(d, desc)
    theirs.train(xb)
    theirs.add(xb)
    data = faiss.serialize_index_binary(theirs)
    ours = mf.deserialize_index_binary(data)
    assert type(ours).__name__ == type(theirs).__name__ and ours.ntotal == theirs.ntotal
    np.testing.assert_array_equal(mf.serialize_index_binary(ours), data)
    D, I = ours.search(xq, 5)
    Dt, It = theirs.search(xq, 5)
    np.testing.assert_array_equal(D, Dt)
    np.testing.assert_array_equal(I, It)
    path = str(tmp_path / "b.index")
    mf.write_index_binary(ours, path)
    back = faiss.read_index_binary(path)
    np.testing.assert_array_equal(back.search(xq, 5)[1], It)
    again = mf.read_index_binary(path)
    np.testing.assert_array_equal(again.search(xq, 5)[1], It)
    for cut in (0, 4, 20, len(data) // 2, len(data) - 1):
        with pytest.raises(mf.MetalFaissError, match="offset"):
            mf.deserialize_index_binary(data[:cut])


def test_binary_ivf_subsampled_training_equals_faiss():
    # 8000 codes for 8 lists: k-means keeps 8 * 256 of them, picked before
    # the codes are widened to floats; the centroids stay faiss's.
    d = 128
    xb = _clustered_codes(8000, d, 3)
    ours, theirs = mf.index_binary_factory(d, "BIVF8"), faiss.index_binary_factory(d, "BIVF8")
    ours.train(xb)
    theirs.train(xb)
    tq = faiss.downcast_IndexBinary(theirs.quantizer)
    for c in range(8):
        np.testing.assert_array_equal(ours.quantizer.reconstruct(c), tq.reconstruct(c))


def test_binary_search_with_a_selector_equals_faiss():
    """faiss filters IndexBinaryFlat searches; IndexBinaryIVF takes a
    selector too here (faiss refuses one), and probing every list it finds
    what the filtered flat search finds."""
    d = 64
    xb, xq = _clustered_codes(4000, d, 1), _clustered_codes(20, d, 2)
    subset = np.random.default_rng(3).choice(4000, 700, replace=False)
    theirs = faiss.IndexBinaryFlat(d)
    theirs.add(xb)
    Dt, It = theirs.search(xq, 10, params=faiss.SearchParameters(sel=faiss.IDSelectorBatch(subset)))
    lims_t, RDt, RIt = theirs.range_search(xq, 12, params=faiss.SearchParameters(sel=faiss.IDSelectorBatch(subset)))
    flat = mf.IndexBinaryFlat(d)
    ivf = mf.IndexBinaryIVF(mf.IndexBinaryFlat(d), d, 16)
    ivf.train(xb)
    for ours, params in ((flat, mf.SearchParameters(sel=mf.IDSelectorBatch(subset))),
                         (ivf, mf.SearchParametersIVF(sel=mf.IDSelectorBatch(subset), nprobe=16))):
        ours.add(xb)
        D, I = ours.search(xq, 10, params=params)
        np.testing.assert_array_equal(D, Dt)
        assert np.isin(I[I >= 0], subset).all()
        lims, RD, RI = ours.range_search(xq, 12, params=params)
        np.testing.assert_array_equal(lims, lims_t)
        for q in range(len(xq)):
            got = sorted(zip(RD[lims[q]:lims[q + 1]], RI[lims[q]:lims[q + 1]]))
            want = sorted(zip(RDt[lims_t[q]:lims_t[q + 1]], RIt[lims_t[q]:lims_t[q + 1]]))
            assert got == want
    np.testing.assert_array_equal(flat.search(xq, 10, params=mf.SearchParameters(sel=mf.IDSelectorBatch(subset)))[1],
                                  It)
    with pytest.raises(TypeError, match="sel must be an IDSelector"):
        flat.search(xq, 3, params=mf.SearchParameters(sel=subset))
