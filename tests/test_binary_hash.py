"""IndexBinaryHash, IndexBinaryMultiHash and IndexBinaryFromFloat against
faiss-cpu. A hash index scans its buckets in faiss's order, so its results
are faiss's, ids included; a multi-hash measures the same candidates (faiss
in its hash set's order, we in id order), so distances agree and ids may
differ among equal distances."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf


def codes(d, seed=5):
    rs = np.random.RandomState(seed)
    xb = rs.randint(256, size=(3000, d // 8)).astype("uint8")
    xq = rs.randint(256, size=(40, d // 8)).astype("uint8")
    xb[:, 0] &= 0x0F  # few distinct keys: full buckets and many ties
    xq[:, 0] &= 0x0F
    xq[0] = xb[11]
    return xb, xq


def pair(args):
    cls = "IndexBinaryHash" if len(args) == 2 else "IndexBinaryMultiHash"
    return getattr(mf, cls)(*args), getattr(faiss, cls)(*args)


def same_range(a, b):
    np.testing.assert_array_equal(a[0], b[0])
    for q in range(a[0].shape[0] - 1):
        lo, hi = a[0][q], a[0][q + 1]
        assert sorted(zip(a[2][lo:hi], a[1][lo:hi])) == sorted(zip(b[2][lo:hi], b[1][lo:hi]))


@pytest.mark.parametrize("args", [(64, 6), (64, 3, 6), (128, 10), (128, 2, 7)])
@pytest.mark.parametrize("nflip", [0, 1, 3])
def test_hash_indexes_equal_faiss(args, nflip):
    xb, xq = codes(args[0])
    ours, theirs = pair(args)
    for ix in ours, theirs:
        ix.add(xb)
        ix.nflip = nflip
    assert (ours.b, ours.nflip, ours.ntotal, ours.hashtable_size()) == \
        (theirs.b, theirs.nflip, theirs.ntotal, theirs.hashtable_size())
    D, I = ours.search(xq, 10)
    Dt, It = theirs.search(xq, 10)
    assert D.dtype == np.int32
    np.testing.assert_array_equal(D, Dt)
    if len(args) == 2:
        np.testing.assert_array_equal(I, It)
    else:
        assert ours.nhash == theirs.nhash
        assert np.all(D[:, 1:] >= D[:, :-1])
        assert (D[0, 0], I[0, 0]) == (0, 11)

    stats, results = [], []
    for lib, ix in (mf, ours), (faiss, theirs):
        lib.cvar.indexBinaryHash_stats.reset()
        results.append(ix.range_search(xq, 26))
        s = lib.cvar.indexBinaryHash_stats
        stats.append((s.nq, s.n0, s.nlist, s.ndis))
    same_range(*results)
    assert stats[0] == stats[1] and stats[0][0] == xq.shape[0]


@pytest.mark.parametrize("args", [(64, 5), (64, 4, 5)])
def test_hash_files_read_both_ways(tmp_path, args):
    xb, xq = codes(args[0], seed=9)
    ours, theirs = pair(args)
    for ix in ours, theirs:
        ix.add(xb)
        ix.nflip = 2
    from_faiss = mf.deserialize_index_binary(faiss.serialize_index_binary(theirs))
    assert type(from_faiss) is type(ours) and from_faiss.nflip == 2 and from_faiss.ntotal == 3000
    np.testing.assert_array_equal(from_faiss.search(xq, 5)[0], theirs.search(xq, 5)[0])
    path = str(tmp_path / "hash.index")
    mf.write_index_binary(ours, path)
    to_faiss = faiss.read_index_binary(path)
    np.testing.assert_array_equal(to_faiss.search(xq, 5)[0], ours.search(xq, 5)[0])
    same_range(to_faiss.range_search(xq, 24), ours.range_search(xq, 24))
    again = mf.read_index_binary(path)
    np.testing.assert_array_equal(again.search(xq, 5)[1], ours.search(xq, 5)[1])


def test_multihash_of_one_code_reads_back():
    """One code fills every bucket: faiss's id width (0 bits) could not
    hold the bucket's size, so the file widens it and still reads in
    faiss."""
    x = np.arange(8, dtype=np.uint8).reshape(1, 8)
    ours = mf.IndexBinaryMultiHash(64, 2, 4)
    ours.add(x)
    buf = mf.serialize_index_binary(ours)
    for back in mf.deserialize_index_binary(buf), faiss.deserialize_index_binary(buf):
        D, I = back.search(x, 1)
        assert (D[0, 0], I[0, 0]) == (0, 0)


def test_hash_storage_reset_and_bad_input():
    xb, xq = codes(64)
    mh = mf.IndexBinaryMultiHash(64, 2, 8)
    mh.add(xb)
    assert isinstance(mh.storage, mf.IndexBinaryFlat) and mh.storage.ntotal == 3000
    mh.reset()
    assert mh.ntotal == 0 and mh.hashtable_size() == 0
    D, I = mh.search(xq, 3)
    assert (I == -1).all() and (D == np.iinfo(np.int32).max).all()

    h = mf.IndexBinaryHash(64, 8)
    with pytest.raises(mf.InvalidArgumentError, match="b=65"):
        mf.IndexBinaryHash(64, 65)
    with pytest.raises(mf.InvalidArgumentError, match="nhash=3"):
        mf.IndexBinaryMultiHash(64, 3, 22)
    with pytest.raises(mf.InvalidArgumentError, match="nflip"):
        h.nflip = -1
    with pytest.raises(mf.MetalFaissError):
        h.add(np.zeros((3, 5), dtype=np.uint8))
    with pytest.raises(mf.MetalFaissError):
        h.search(xq, 0)
    assert h.ntotal == 0 and h.nflip == 0


@pytest.mark.parametrize("desc,cls,fields", [
    ("BHash12", "IndexBinaryHash", {"b": 12}),
    ("BHash5x6", "IndexBinaryMultiHash", {"b": 6, "nhash": 5}),
    ("BIVF10", "IndexBinaryIVF", {"nlist": 10}),
    ("BIVF16_HNSW8", "IndexBinaryIVF", {"nlist": 16}),
    ("BFlat", "IndexBinaryFlat", {}),
    ("BHNSW16", "IndexBinaryHNSW", {}),
])
def test_binary_factory_builds_faiss_types(desc, cls, fields):
    ix = mf.index_binary_factory(256, desc)
    assert type(ix).__name__ == cls == type(faiss.index_binary_factory(256, desc)).__name__
    for name, value in fields.items():
        assert getattr(ix, name) == value


def test_binary_factory_id_maps_and_prefixes():
    for desc, cls in [("IDMap2,BFlat", mf.IndexBinaryIDMap2), ("BFlat,IDMap2", mf.IndexBinaryIDMap2),
                      ("IDMap,BHash8", mf.IndexBinaryIDMap)]:
        ix = mf.index_binary_factory(16, desc)
        assert type(ix) is cls and ix.index.code_size == 2
    # faiss reads the forms with sscanf, a prefix match: this is BIVF1024
    # over a flat quantizer there too
    ix = mf.index_binary_factory(256, "BIVF1024_BHNSW32")
    assert ix.nlist == 1024 and isinstance(ix.quantizer, mf.IndexBinaryFlat)
    assert isinstance(ix.invlists, mf.InvertedLists) and ix.invlists.nlist == 1024
    for bad in ("BFlatx", " BFlat", "BHNSW", "IDMap,IDMap2,BFlat"):
        with pytest.raises(mf.InvalidArgumentError, match="index_binary_factory"):
            mf.index_binary_factory(64, bad)


def binary_to_float(x):
    return (2.0 * ((x.reshape(-1, 1) >> np.arange(8)) & 1) - 1).astype("float32").reshape(x.shape[0], -1)


def test_binary_from_float_equals_faiss():
    xb, xq = codes(256)
    ours = mf.IndexBinaryFromFloat(mf.IndexFlatL2(256))
    theirs = faiss.IndexBinaryFromFloat(faiss.IndexFlatL2(256))
    for ix in ours, theirs:
        ix.add(xb)
    assert ours.ntotal == 3000 and ours.is_trained and ours.index.ntotal == 3000
    D, I = ours.search(xq, 10)
    np.testing.assert_array_equal(D, theirs.search(xq, 10)[0])
    ref = mf.IndexBinaryFlat(256)
    ref.add(xb)
    np.testing.assert_array_equal(D, ref.search(xq, 10)[0])
    flat = mf.IndexFlatL2(256)
    flat.add(binary_to_float(xb))
    np.testing.assert_array_equal(D, np.round(flat.search(binary_to_float(xq), 10)[0] / 4).astype(np.int32))
    back = mf.deserialize_index_binary(faiss.serialize_index_binary(theirs))
    assert type(back) is mf.IndexBinaryFromFloat and isinstance(back.index, mf.IndexFlat)
    np.testing.assert_array_equal(back.search(xq, 10)[0], D)
    to_faiss = faiss.deserialize_index_binary(mf.serialize_index_binary(ours))
    np.testing.assert_array_equal(to_faiss.search(xq, 10)[0], D)
    with pytest.raises(mf.MetalFaissError, match="IndexBinaryFromFloat"):
        mf.IndexBinaryFromFloat(mf.IndexFlatL2(12))
    with pytest.raises(mf.InputTypeError):
        mf.IndexBinaryFromFloat(mf.IndexBinaryFlat(16))


def test_binary_ivf_over_a_float_quantizer_equals_plain():
    xb, xq = codes(256)
    xt = xb[:600]
    plain = mf.IndexBinaryIVF(mf.IndexBinaryFlat(256), 256, 8)
    wrapped = mf.IndexBinaryIVF(mf.IndexBinaryFromFloat(mf.IndexFlatL2(256)), 256, 8)
    theirs = faiss.IndexBinaryIVF(faiss.IndexBinaryFromFloat(faiss.IndexFlatL2(256)), 256, 8)
    for ix in plain, wrapped, theirs:
        ix.train(xt)
        ix.add(xb)
        ix.nprobe = 8  # every list: exact, whatever the assignment
    D = wrapped.search(xq, 10)[0]
    np.testing.assert_array_equal(D, plain.search(xq, 10)[0])
    np.testing.assert_array_equal(D, theirs.search(xq, 10)[0])


def test_binary_ivf_clustering_index():
    xb, _ = codes(256, seed=3)
    xb[:, 0] = np.random.RandomState(0).randint(256, size=xb.shape[0])

    def centroids(clustering_index):
        ix = mf.index_binary_factory(256, "BIVF10")
        if clustering_index is not None:
            ix.clustering_index = clustering_index
            assert ix.clustering_index is clustering_index
        ix.train(xb)
        return mf.vector_to_array(mf.downcast_IndexBinary(ix.quantizer).xb).reshape(-1, 32)

    ref = centroids(None)
    np.testing.assert_array_equal(ref, centroids(mf.IndexFlatL2(256)))
    assert not np.array_equal(ref, centroids(mf.IndexLSH(256, 16)))
    ix = mf.index_binary_factory(256, "BIVF10")
    with pytest.raises(mf.MetalFaissError, match="d=64"):
        ix.clustering_index = mf.IndexFlatL2(64)
    with pytest.raises(mf.InputTypeError):
        ix.clustering_index = "flat"
    assert ix.clustering_index is None
