"""faiss's I/O objects with write_index / read_index: callbacks, memory,
files, buffering, streams holding several objects, pipes; the null index;
write/read_ProductQuantizer; index.codes."""

import io
import os
from multiprocessing.pool import ThreadPool

import faiss
import numpy as np
import pytest

import metalfaiss as mf

X = faiss.rand((500, 16), 1)


def _index(lib=mf, key="IVF8,SQ8"):
    index = lib.index_factory(16, key)
    index.train(X)
    index.add(X)
    return index


@pytest.mark.parametrize("bsz", [0, 7, 1000])
def test_callbacks_and_buffers_round_trip_and_read_faiss_bytes(bsz):
    index = _index()
    f = io.BytesIO()
    writer = mf.PyCallbackIOWriter(f.write, 100)
    if bsz:
        writer = mf.BufferedIOWriter(writer, bsz)
    mf.write_index(index, writer)
    del writer  # flushes
    assert f.getvalue() == mf.serialize_index(index).tobytes()
    theirs = faiss.deserialize_index(np.frombuffer(f.getvalue(), dtype=np.uint8))
    f.seek(0)
    reader = mf.PyCallbackIOReader(f.read, 64)
    if bsz:
        reader = mf.BufferedIOReader(reader, bsz)
    back = mf.read_index(reader)
    np.testing.assert_array_equal(back.search(X[:5], 3)[1], theirs.search(X[:5], 3)[1])
    with pytest.raises(TypeError, match="callable"):
        mf.write_index(index, mf.PyCallbackIOWriter("blabla"))
    with pytest.raises(TypeError, match="callable"):
        mf.read_index(mf.PyCallbackIOReader("blabla"))


def test_a_stream_of_several_objects_and_the_null_index():
    writer = mf.VectorIOWriter()
    a, b = _index(), _index(key="Flat")
    mf.write_index(a, writer)
    mf.write_index(None, writer)
    mf.write_index(b, writer)
    reader = mf.VectorIOReader()
    mf.copy_array_to_vector(mf.vector_to_array(writer.data), reader.data)
    first, none, last = mf.read_index(reader), mf.read_index(reader), mf.read_index(reader)
    assert none is None and first.ntotal == 500 and last.ntotal == 500
    assert type(last).__name__ == "IndexFlatL2"
    with pytest.raises(ValueError):
        mf.read_index(reader)  # nothing left


def test_a_pipe_is_not_read_past_the_index():
    index = _index(key="Flat")
    rf, wf = os.pipe()
    try:
        with ThreadPool(1) as pool:
            fut = pool.apply_async(lambda: mf.read_index(mf.PyCallbackIOReader(lambda n: os.read(rf, n))))
            mf.write_index(index, mf.PyCallbackIOWriter(lambda b: os.write(wf, b)))
            back = fut.get(timeout=60)  # the writer end is still open
    finally:
        os.close(wf)
        os.close(rf)
    np.testing.assert_array_equal(back.search(X[:3], 2)[1], index.search(X[:3], 2)[1])


def test_files_and_raw_reads(tmp_path):
    path = str(tmp_path / "x.index")
    writer = mf.FileIOWriter(path)
    mf.write_index(_index(), writer)
    writer.close()
    assert mf.read_index(mf.BufferedIOReader(mf.FileIOReader(path), 100)).ntotal == 500
    x = np.random.default_rng(0).random(20)
    x.tofile(str(tmp_path / "raw"))
    reader = mf.BufferedIOReader(mf.FileIOReader(str(tmp_path / "raw")), 13)
    y = np.zeros_like(x)
    assert reader(mf.swig_ptr(y), y.nbytes, 1) == 1
    np.testing.assert_array_equal(x, y)
    half = tmp_path / "half.index"
    half.write_bytes(open(path, "rb").read()[:300])
    with pytest.raises(ValueError, match="half.index"):
        mf.read_index(str(half))


def test_product_quantizer_files_are_faiss_files(tmp_path):
    pq = faiss.ProductQuantizer(16, 4, 6)
    pq.train(X)
    faiss.write_ProductQuantizer(pq, str(tmp_path / "theirs"))
    ours = mf.read_ProductQuantizer(str(tmp_path / "theirs"))
    np.testing.assert_array_equal(ours.compute_codes(X), pq.compute_codes(X))
    mf.write_ProductQuantizer(ours, str(tmp_path / "ours"))
    assert (tmp_path / "ours").read_bytes() == (tmp_path / "theirs").read_bytes()
    (tmp_path / "bad").write_bytes(b"\x01" * 40)
    with pytest.raises(ValueError, match="not a product quantizer"):
        mf.read_ProductQuantizer(str(tmp_path / "bad"))


@pytest.mark.parametrize("key", ["Flat", "SQ8", "PQ4"])
def test_codes_are_faiss_codes_and_can_be_replaced(key):
    ours = _index(key=key)
    theirs = faiss.deserialize_index(mf.serialize_index(ours))
    np.testing.assert_array_equal(mf.vector_to_array(ours.codes), faiss.vector_to_array(theirs.codes))
    other = mf.deserialize_index(mf.serialize_index(ours))
    other.reset()
    mf.copy_array_to_vector(mf.vector_to_array(ours.codes)[:10 * ours.sa_code_size()], other.codes)
    assert other.ntotal == 10
    np.testing.assert_array_equal(other.reconstruct_n(0, 10), ours.reconstruct_n(0, 10))


def test_raw_io_calls_check_their_pointers():
    data = np.arange(10, dtype=np.float32)
    writer = mf.VectorIOWriter()
    assert writer(mf.swig_ptr(data), 4, 10) == 10
    reader = mf.VectorIOReader()
    reader.data.swap(writer.data)
    back = np.zeros(10, np.float32)
    assert reader(mf.swig_ptr(back), 4, 10) == 10
    np.testing.assert_array_equal(back, data)
    with pytest.raises(TypeError, match="swig_ptr"):
        writer(data, 4, 10)
    with pytest.raises(ValueError, match="44 bytes"):
        writer(mf.swig_ptr(data), 4, 11)
