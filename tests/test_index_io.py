"""Index files: faiss's format both ways, byte for byte, and a reader that
refuses damaged files with a clear error."""

import io
import os
import pickle

import faiss
import numpy as np
import pytest

import metalfaiss as mf

METRICS = [("L2", None), ("INNER_PRODUCT", None), ("L1", None), ("Linf", None), ("Lp", 3.0), ("Canberra", None)]


def flat_pair(rng, metric, arg, n=200, d=12):
    x = rng.random((n, d), dtype=np.float32)
    m = getattr(faiss, "METRIC_" + metric)
    ours, theirs = mf.IndexFlat(d, m), faiss.IndexFlat(d, m)
    if arg is not None:
        ours.metric_arg = theirs.metric_arg = arg
    ours.add(x)
    theirs.add(x)
    return ours, theirs, x


@pytest.mark.parametrize("metric,arg", METRICS)
def test_flat_files_are_faiss_files_both_ways(rng, metric, arg):
    ours, theirs, x = flat_pair(rng, metric, arg)
    ours_bytes, theirs_bytes = mf.serialize_index(ours), faiss.serialize_index(theirs)
    assert ours_bytes.dtype == np.uint8
    np.testing.assert_array_equal(ours_bytes, theirs_bytes)  # faiss's writer is deterministic
    from_faiss = mf.deserialize_index(theirs_bytes)
    to_faiss = faiss.deserialize_index(ours_bytes)
    D, I = theirs.search(x[:20], 5)
    for index in (from_faiss, to_faiss):
        D2, I2 = index.search(x[:20], 5)
        np.testing.assert_array_equal(I2, I)
        np.testing.assert_allclose(D2, D, rtol=1e-5, atol=1e-5)  # L2 of a vector with itself: 0 or 1e-6
    assert from_faiss.metric_type == theirs.metric_type
    assert from_faiss.metric_arg == pytest.approx(theirs.metric_arg)
    if metric == "L2":
        assert type(from_faiss) is mf.IndexFlatL2
    elif metric == "INNER_PRODUCT":
        assert type(from_faiss) is mf.IndexFlatIP


@pytest.mark.parametrize("two", [False, True])
def test_id_maps_round_trip_with_faiss(rng, two):
    x = rng.random((50, 8), dtype=np.float32)
    ids = rng.permutation(1000)[:50].astype(np.int64)
    ours = (mf.IndexIDMap2 if two else mf.IndexIDMap)(mf.IndexFlatL2(8))
    theirs = (faiss.IndexIDMap2 if two else faiss.IndexIDMap)(faiss.IndexFlatL2(8))
    ours.add_with_ids(x, ids)
    theirs.add_with_ids(x, ids)
    np.testing.assert_array_equal(mf.serialize_index(ours), faiss.serialize_index(theirs))
    back = mf.deserialize_index(faiss.serialize_index(theirs))
    assert type(back) is type(ours) and type(back.index) is mf.IndexFlatL2
    np.testing.assert_array_equal(back.id_map, ids)
    np.testing.assert_array_equal(back.search(x[:5], 3)[1], theirs.search(x[:5], 3)[1])
    if two:
        np.testing.assert_array_equal(back.reconstruct(int(ids[7])), x[7])


def test_write_and_read_paths_and_files_atomically(rng, tmp_path):
    ours, theirs, x = flat_pair(rng, "L2", None)
    path = tmp_path / "index.faiss"
    mf.write_index(ours, str(path))
    assert faiss.read_index(str(path)).ntotal == 200
    faiss.write_index(theirs, str(tmp_path / "theirs.faiss"))
    for flags in (0, mf.IO_FLAG_READ_ONLY, mf.IO_FLAG_MMAP):
        back = mf.read_index(tmp_path / "theirs.faiss", flags)
        np.testing.assert_array_equal(back.reconstruct_n(0, 200), x)
    buf = io.BytesIO()
    mf.write_index(ours, buf)
    buf.seek(0)
    assert mf.read_index(buf).ntotal == 200
    # A write that fails leaves the old file whole and no temporary behind.
    before = path.read_bytes()
    bigger = mf.IndexFlatL2(12)
    bigger.add(x[:10])
    real_replace = os.replace

    def crash(*args):
        raise OSError("disk full")

    os.replace = crash
    try:
        with pytest.raises(OSError, match="disk full"):
            mf.write_index(bigger, path)
    finally:
        os.replace = real_replace
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.faiss", "theirs.faiss"]
    with pytest.raises(mf.InvalidArgumentError, match="io_flags"):
        mf.read_index(path, 1)  # IO_FLAG_SKIP_STORAGE


def test_pickle_and_clone_make_independent_copies(rng):
    ours, _, x = flat_pair(rng, "INNER_PRODUCT", None)
    for copy in (pickle.loads(pickle.dumps(ours)), mf.clone_index(ours)):
        assert type(copy) is mf.IndexFlatIP
        np.testing.assert_array_equal(copy.search(x[:3], 4)[1], ours.search(x[:3], 4)[1])
        copy.add(x[:5])
        assert copy.ntotal == 205 and ours.ntotal == 200
    m = mf.IndexIDMap2(mf.IndexFlatL2(12))
    m.add_with_ids(x[:4], np.array([9, 8, 7, 6]))
    again = pickle.loads(pickle.dumps(m))
    np.testing.assert_array_equal(again.id_map, [9, 8, 7, 6])


def test_damaged_files_raise_clear_errors(rng):
    ours, _, _ = flat_pair(rng, "L2", None, n=3, d=4)
    good = bytes(mf.serialize_index(ours))
    for cut in (0, 3, 10, 40, len(good) - 1):
        with pytest.raises(mf.MetalFaissError, match="offset"):
            mf.deserialize_index(good[:cut])
    with pytest.raises(mf.MetalFaissError, match="IxZZ"):
        mf.deserialize_index(b"IxZZ" + good[4:])
    lying = bytearray(good)
    lying[37:45] = (2**60).to_bytes(8, "little")  # the vector count
    with pytest.raises(mf.MetalFaissError, match="offset 37"):
        mf.deserialize_index(bytes(lying))
    with pytest.raises(mf.MetalFaissError, match="more bytes"):
        mf.deserialize_index(good + b"\0")
    with pytest.raises(TypeError):
        mf.deserialize_index("not bytes")
    with pytest.raises(TypeError):
        mf.serialize_index(faiss.IndexFlatL2(4))


CODED = {
    "PQ4x8": (lambda lib: lib.IndexPQ(16, 4, 8)),
    "SQ8": (lambda lib: lib.IndexScalarQuantizer(16, lib.ScalarQuantizer.QT_8bit)),
    "SQ4_uniform": (lambda lib: lib.IndexScalarQuantizer(16, lib.ScalarQuantizer.QT_4bit_uniform)),
    "SQfp16": (lambda lib: lib.IndexScalarQuantizer(16, lib.ScalarQuantizer.QT_fp16)),
    "HNSW8": (lambda lib: lib.IndexHNSWFlat(16, 8)),
    "HNSW8_IP": (lambda lib: lib.IndexHNSWFlat(16, 8, lib.METRIC_INNER_PRODUCT)),
    "HNSW8_SQ8": (lambda lib: lib.IndexHNSWSQ(16, lib.ScalarQuantizer.QT_8bit, 8)),
    "HNSW8_PQ4": (lambda lib: lib.IndexHNSWPQ(16, 4, 8)),
}


@pytest.mark.parametrize("kind", sorted(CODED))
def test_coded_and_graph_indexes_round_trip_with_faiss(kind):
    rng = np.random.default_rng(5)
    x = rng.random((3000, 16), dtype=np.float32)
    theirs, ours = CODED[kind](faiss), CODED[kind](mf)
    for index in (theirs, ours):
        index.train(x)
        index.add(x)
    # faiss's file read here and written back is the same file, and the
    # index answers as faiss's does.
    data = faiss.serialize_index(theirs)
    back = mf.deserialize_index(data)
    assert type(back).__name__ == type(theirs).__name__
    np.testing.assert_array_equal(mf.serialize_index(back), data)
    D, I = theirs.search(x[:40], 5)
    D2, I2 = back.search(x[:40], 5)
    np.testing.assert_array_equal(I2, I)
    np.testing.assert_allclose(D2, D, rtol=1e-4, atol=1e-4)
    # Ours, read by faiss, answers as ours does.
    D3, I3 = faiss.deserialize_index(mf.serialize_index(ours)).search(x[:40], 5)
    D4, I4 = ours.search(x[:40], 5)
    assert (I3 == I4).mean() > 0.99
    if hasattr(back, "hnsw"):
        assert back.hnsw.efSearch == theirs.hnsw.efSearch
        np.testing.assert_array_equal(back.hnsw.levels, faiss.vector_to_array(theirs.hnsw.levels))
        back.add(x[:10])  # a graph read from a file takes more vectors
        assert back.ntotal == 3010


def test_damaged_graph_files_are_refused(rng):
    index = faiss.IndexHNSWFlat(8, 4)
    index.add(rng.random((50, 8), dtype=np.float32))
    data = bytearray(faiss.serialize_index(index))
    neighbors = faiss.vector_to_array(index.hnsw.neighbors)
    # Point one link past the last node: the file is refused, not searched.
    at = bytes(data).find(neighbors[:4].tobytes())
    data[at:at + 4] = (10**6).to_bytes(4, "little")
    with pytest.raises(mf.MetalFaissError, match="links to 1000000"):
        mf.deserialize_index(bytes(data))


@pytest.mark.parametrize("desc", ["IVF16,Flat", "IVF16,PQ4np", "IVF16,SQ8", "IVF256,Flat", "IVF16_HNSW8,Flat",
                                  "IDMap2,IVF16,SQ4", "IVF16,SQfp16"])
def test_ivf_files_round_trip_with_faiss(desc):
    rng = np.random.default_rng(6)
    x = rng.random((3000, 16), dtype=np.float32)
    theirs, ours = faiss.index_factory(16, desc), mf.index_factory(16, desc)
    for index in (theirs, ours):
        index.train(x)
        if desc.startswith("IDMap"):
            index.add_with_ids(x[:300], np.arange(300, dtype=np.int64) * 3)
        else:
            index.add(x[:300])  # IVF256: most lists empty, written sparse
    faiss.extract_index_ivf(theirs).nprobe = 4
    data = faiss.serialize_index(theirs)
    back = mf.deserialize_index(data)
    np.testing.assert_array_equal(mf.serialize_index(back), data)
    assert type(back).__name__ == type(theirs).__name__
    ivf = back.index if desc.startswith("IDMap") else back
    assert ivf.nprobe == 4 and ivf.nlist == faiss.extract_index_ivf(theirs).nlist
    D, I = theirs.search(x[:40], 5)
    D2, I2 = back.search(x[:40], 5)
    np.testing.assert_array_equal(I2, I)
    np.testing.assert_allclose(D2, D, rtol=1e-4, atol=1e-4)
    # Ours, read by faiss, answers as ours does.
    I3 = faiss.deserialize_index(mf.serialize_index(ours)).search(x[:40], 5)[1]
    assert (I3 == ours.search(x[:40], 5)[1]).mean() > 0.99


@pytest.mark.parametrize("kind", [mf.DirectMap.Array, mf.DirectMap.Hashtable])
def test_ivf_direct_maps_are_kept(kind):
    rng = np.random.default_rng(7)
    x = rng.random((500, 8), dtype=np.float32)
    theirs = faiss.IndexIVFFlat(faiss.IndexFlatL2(8), 8, 8)
    theirs.train(x)
    if kind == mf.DirectMap.Hashtable:
        theirs.set_direct_map_type(faiss.DirectMap.Hashtable)
        theirs.add_with_ids(x, np.arange(500, dtype=np.int64) * 7)
    else:
        theirs.add(x)
        theirs.make_direct_map()
    back = mf.deserialize_index(faiss.serialize_index(theirs))
    key = 21 if kind == mf.DirectMap.Hashtable else 3
    np.testing.assert_array_equal(back.reconstruct(key), x[3])
    again = faiss.deserialize_index(mf.serialize_index(back))
    np.testing.assert_array_equal(again.reconstruct(key), x[3])
    if kind == mf.DirectMap.Array:
        np.testing.assert_array_equal(mf.serialize_index(back), faiss.serialize_index(theirs))


def test_refine_flat_round_trips_with_faiss(rng):
    x = rng.random((2000, 16), dtype=np.float32)
    theirs = faiss.IndexRefineFlat(faiss.index_factory(16, "PQ4np"))
    theirs.train(x)
    theirs.add(x[:500])
    theirs.k_factor = 4
    data = faiss.serialize_index(theirs)
    back = mf.deserialize_index(data)
    assert type(back) is mf.IndexRefineFlat and type(back.base_index) is mf.IndexPQ
    assert back.k_factor == 4
    np.testing.assert_array_equal(mf.serialize_index(back), data)
    np.testing.assert_array_equal(back.search(x[:30], 5)[1], theirs.search(x[:30], 5)[1])
    assert type(faiss.deserialize_index(mf.serialize_index(back))).__name__ == "IndexRefineFlat"


def test_mmap_reads_leave_the_file_alone(rng, tmp_path):
    x = rng.random((1000, 16), dtype=np.float32)
    theirs = faiss.index_factory(16, "IVF8,SQ8")
    theirs.train(x)
    theirs.add(x)
    path = tmp_path / "ivf.faiss"
    faiss.write_index(theirs, str(path))
    before = path.read_bytes()
    mapped = mf.read_index(path, mf.IO_FLAG_MMAP | mf.IO_FLAG_READ_ONLY)
    mapped.nprobe = theirs.nprobe = 3
    np.testing.assert_array_equal(mapped.search(x[:20], 4)[1], theirs.search(x[:20], 4)[1])
    mapped.add(x[:10])
    mapped.remove_ids(mf.IDSelectorRange(0, 5))
    assert mapped.ntotal == 1005
    assert path.read_bytes() == before
    with pytest.raises(FileNotFoundError):
        mf.read_index(tmp_path / "missing.faiss")
