"""Vector transforms and IndexPreTransform in faiss's file format, both
ways: faiss's bytes read back to the same bytes and the same outputs."""

import io

import faiss
import numpy as np
import pytest

import metalfaiss as mf


def _data(n=3000, d=24, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n, d)) @ rng.standard_normal((d, d)) + 1).astype(np.float32)


def _faiss_bytes(vt):
    w = faiss.VectorIOWriter()
    faiss.write_VectorTransform(vt, w)
    return faiss.vector_to_array(w.data).tobytes()


def _faiss_read(data):
    r = faiss.VectorIOReader()
    faiss.copy_array_to_vector(np.frombuffer(data, dtype=np.uint8), r.data)
    return faiss.read_VectorTransform(r)


def _ours_bytes(vt):
    f = io.BytesIO()
    mf.write_VectorTransform(vt, f)
    return f.getvalue()


FAISS_TRANSFORMS = [
    ("PCAMatrix", lambda: faiss.PCAMatrix(24, 8, -0.5, True), "PCAMatrix"),
    ("RandomRotationMatrix", lambda: faiss.RandomRotationMatrix(24, 16), "RandomRotationMatrix"),
    ("ITQMatrix", lambda: faiss.ITQMatrix(24), "ITQMatrix"),
    ("ITQTransform", lambda: faiss.ITQTransform(24, 8, True), "ITQTransform"),
    ("OPQMatrix", lambda: faiss.OPQMatrix(24, 4), "LinearTransform"),  # faiss reads OPQ back as a LinearTransform
    ("NormalizationTransform", lambda: faiss.NormalizationTransform(24, 2.0), "NormalizationTransform"),
    ("CenteringTransform", lambda: faiss.CenteringTransform(24), "CenteringTransform"),
    ("RemapDimensionsTransform", lambda: faiss.RemapDimensionsTransform(24, 30, True), "RemapDimensionsTransform"),
]


@pytest.mark.parametrize("name,make,cls", FAISS_TRANSFORMS, ids=[t[0] for t in FAISS_TRANSFORMS])
def test_faiss_transform_files_round_trip(name, make, cls):
    x = _data()
    theirs = make()
    if name == "OPQMatrix":
        theirs.niter = 2
    theirs.train(x)
    data = _faiss_bytes(theirs)
    ours = mf.read_VectorTransform(io.BytesIO(data))
    assert type(ours).__name__ == cls
    assert ours.is_trained and (ours.d_in, ours.d_out) == (theirs.d_in, theirs.d_out)
    np.testing.assert_allclose(ours.apply(x[:50]), theirs.apply(x[:50]), rtol=1e-5, atol=1e-5)
    assert _ours_bytes(ours) == data
    back = _faiss_read(_ours_bytes(ours))
    np.testing.assert_allclose(back.apply(x[:50]), theirs.apply(x[:50]), rtol=1e-6, atol=1e-6)


def test_untrained_and_our_transforms_round_trip(tmp_path):
    x = _data()
    for t in (mf.PCAMatrix(24, 6), mf.CenteringTransform(24), mf.OPQMatrix(24, 4)):
        path = tmp_path / "vt"
        mf.write_VectorTransform(t, str(path))
        assert not mf.read_VectorTransform(str(path)).is_trained
    p = mf.PCAMatrix(24, 6)
    p.train(x)
    theirs = _faiss_read(_ours_bytes(p))
    np.testing.assert_allclose(theirs.apply(x[:20]), p.apply(x[:20]), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(faiss.vector_to_array(theirs.eigenvalues), p.eigenvalues)


def test_damaged_transform_files_fail_cleanly():
    t = faiss.PCAMatrix(24, 8)
    t.train(_data())
    data = _faiss_bytes(t)
    for cut in (0, 3, 4, 20, len(data) // 2, len(data) - 1):
        with pytest.raises(mf.MetalFaissError, match="offset"):
            mf.read_VectorTransform(io.BytesIO(data[:cut]))
    with pytest.raises(mf.MetalFaissError, match="unknown or unsupported transform"):
        mf.read_VectorTransform(io.BytesIO(b"XXXX" + data[4:]))
    with pytest.raises(mf.MetalFaissError, match="more bytes"):
        mf.read_VectorTransform(io.BytesIO(data + b"\0"))


@pytest.mark.parametrize("desc", ["PCA16,IVF32,Flat", "OPQ4_16,IVF16,PQ4np", "L2norm,PCAR12,Flat", "RR24,HNSW8"])
def test_pretransform_index_files_both_ways(desc):
    x = _data(4000)
    theirs = faiss.index_factory(24, desc)
    if desc.startswith("OPQ"):
        faiss.downcast_VectorTransform(theirs.chain.at(0)).niter = 2
    theirs.train(x)
    theirs.add(x)
    data = faiss.serialize_index(theirs)
    ours = mf.deserialize_index(data)
    assert isinstance(ours, mf.IndexPreTransform) and ours.ntotal == theirs.ntotal
    assert len(ours.chain) == theirs.chain.size()
    np.testing.assert_array_equal(mf.serialize_index(ours), data)
    D, I = ours.search(x[:30], 5)
    Dt, It = theirs.search(x[:30], 5)
    np.testing.assert_array_equal(I, It)
    np.testing.assert_allclose(D, Dt, rtol=1e-4, atol=1e-5 * np.abs(Dt).max())
    back = faiss.deserialize_index(mf.serialize_index(ours))
    np.testing.assert_array_equal(back.search(x[:30], 5)[1], It)


def test_our_pretransform_index_reads_in_faiss(tmp_path):
    x = _data(4000)
    ours = mf.index_factory(24, "PCA12,IVF16,SQ8")
    ours.train(x)
    ours.add(x)
    path = str(tmp_path / "pt.index")
    mf.write_index(ours, path)
    theirs = faiss.read_index(path)
    D, I = ours.search(x[:30], 5)
    Dt, It = theirs.search(x[:30], 5)
    np.testing.assert_array_equal(I, It)
    np.testing.assert_allclose(D, Dt, rtol=1e-4, atol=1e-5 * np.abs(Dt).max())
    again = mf.read_index(path)
    assert mf.reverse_index_factory(again) == "PCA12,IVF16,SQ8"
