"""The MetalFaiss / SwiftFaiss face: its published values, and every face
class returning exactly what its faiss-named twin returns."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf
from metalfaiss.index import AnyIndex, FlatIndex, SearchRangeResult, SearchResult


def _data(n, d, seed):
    return np.random.default_rng(seed).standard_normal((n, d)).astype(np.float32)


def test_swiftfaiss_published_flat_values():
    index = FlatIndex(4, mf.MetricType.L2)
    index.add([[1, 2, 3, 4], [10, 20, 30, 40], [2, 4, 6, 8]])
    result = index.search([[1, 2, 3, 4]], 10)  # k clamps to the 3 vectors
    assert isinstance(result, SearchResult)
    np.testing.assert_array_equal(result.distances, [[0, 30, 2430]])
    np.testing.assert_array_equal(result.labels, [[0, 2, 1]])
    D, I = result
    assert D.dtype == np.float32 and I.dtype == np.int64
    assert index.count == 3 and index.d == 4 and index.is_trained and index.metric_type == mf.METRIC_L2


D = 16
XB, XQ = _data(2000, D, 1), _data(25, D, 2)

# (face factory, metalfaiss twin factory, the same index in real faiss,
# recall@7 floor against exact search)
PAIRS = [
    (lambda: mf.FlatIndex(D), lambda: mf.IndexFlatL2(D), lambda: faiss.IndexFlatL2(D), 1.0),
    (lambda: mf.FlatIndex(D, mf.MetricType.INNER_PRODUCT), lambda: mf.IndexFlatIP(D),
     lambda: faiss.IndexFlatIP(D), 1.0),
    (lambda: mf.IVFFlatIndex(mf.FlatIndex(D), D, 16), lambda: mf.IndexIVFFlat(mf.IndexFlatL2(D), D, 16),
     lambda: faiss.IndexIVFFlat(faiss.IndexFlatL2(D), D, 16), 0.2),
    (lambda: mf.IVFPQIndex(mf.FlatIndex(D), D, 16, 4, 6), lambda: mf.IndexIVFPQ(mf.IndexFlatL2(D), D, 16, 4, 6),
     lambda: faiss.IndexIVFPQ(faiss.IndexFlatL2(D), D, 16, 4, 6), 0.1),
    (lambda: mf.IVFScalarQuantizerIndex(mf.FlatIndex(D), mf.QuantizerType.QT_8bit, D, 16),
     lambda: mf.IndexIVFScalarQuantizer(mf.IndexFlatL2(D), D, 16, mf.ScalarQuantizer.QT_8bit),
     lambda: faiss.IndexIVFScalarQuantizer(faiss.IndexFlatL2(D), D, 16, faiss.ScalarQuantizer.QT_8bit), 0.2),
    (lambda: mf.ScalarQuantizerIndex(D, "QT_fp16"), lambda: mf.IndexScalarQuantizer(D, mf.ScalarQuantizer.QT_fp16),
     lambda: faiss.IndexScalarQuantizer(D, faiss.ScalarQuantizer.QT_fp16), 0.95),
    (lambda: mf.ProductQuantizerIndex(D, 4, 6), lambda: mf.IndexPQ(D, 4, 6), lambda: faiss.IndexPQ(D, 4, 6), 0.2),
    (lambda: mf.HNSWIndex(D, 8), lambda: mf.IndexHNSWFlat(D, 8), lambda: faiss.IndexHNSWFlat(D, 8), 0.8),
    (lambda: mf.LSHIndex(D, 32), lambda: mf.IndexLSH(D, 32), lambda: faiss.IndexLSH(D, 32), 0.05),
    (lambda: mf.PreTransformIndex(mf.PCAMatrixTransform(D, 8), mf.FlatIndex(8)),
     lambda: mf.IndexPreTransform(mf.PCAMatrix(D, 8), mf.IndexFlatL2(8)),
     lambda: faiss.IndexPreTransform(faiss.PCAMatrix(D, 8), faiss.IndexFlatL2(8)), 0.15),  # observed 0.19, as faiss
    (lambda: mf.RefineFlatIndex(mf.ProductQuantizerIndex(D, 4, 6)), lambda: mf.IndexRefineFlat(mf.IndexPQ(D, 4, 6)),
     lambda: faiss.IndexRefineFlat(faiss.IndexPQ(D, 4, 6)), 0.4),  # observed 0.49, as faiss
]


def _recall(I, truth):
    return np.mean([len(set(a) & set(b)) / len(b) for a, b in zip(I, truth)])


@pytest.mark.parametrize("make_face,make_twin,make_faiss,floor", PAIRS, ids=[f"pair{i}" for i in range(len(PAIRS))])
def test_face_class_returns_what_its_twin_and_faiss_return(make_face, make_twin, make_faiss, floor):
    mf.omp_set_num_threads(1)  # HNSW builds are deterministic on one thread
    try:
        face, twin, theirs = make_face(), make_twin(), make_faiss()
        assert isinstance(face, AnyIndex)
        for index in (face, twin, theirs):
            index.train(XB)
            index.add(XB)
        r = face.search(XQ, 7)
        Dt, It = twin.search(XQ, 7)
        np.testing.assert_array_equal(r.labels, It)
        np.testing.assert_array_equal(r.distances, Dt)
        assert face.count == twin.ntotal == theirs.ntotal
        np.testing.assert_array_equal(face.assign(XQ, 3), twin.assign(XQ, 3))
        # What faiss answers: the same quality (the same ids where the
        # index is exact), so a face and its twin cannot be wrong together.
        Df, If = theirs.search(XQ, 7)
        truth = faiss.knn(XQ, XB, 7, faiss.METRIC_INNER_PRODUCT if face.metric_type == 0 else faiss.METRIC_L2)[1]
        ours_recall, faiss_recall = _recall(r.labels, truth), _recall(If, truth)
        assert ours_recall >= floor and ours_recall >= faiss_recall - 0.05, (ours_recall, faiss_recall)
        if floor == 1.0:
            np.testing.assert_array_equal(r.labels, If)
            np.testing.assert_allclose(r.distances, Df, rtol=1e-5, atol=1e-4)
    finally:
        mf.omp_set_num_threads(2)


def test_any_index_conversions():
    ivf = AnyIndex(D, mf.MetricType.L2, "IVF16,PQ4x6")
    assert isinstance(ivf, mf.IVFPQIndex) and isinstance(ivf, mf.IndexIVFPQ)
    assert ivf.to_flat() is None and ivf.to_ivf_flat() is None and ivf.to_hnsw() is None
    assert ivf.to_ivf() is ivf and ivf.to_ivf_pq() is ivf
    flat = AnyIndex(D, "L2", "Flat")
    assert flat.to_flat() is flat and flat.to_ivf() is None
    hsq = AnyIndex(D, "L2", "HNSW8_SQ8")
    view = hsq.to_hnsw()
    assert isinstance(view, mf.HNSWIndex) and isinstance(hsq, AnyIndex)
    hsq.train(XB)
    hsq.add(XB[:300])
    assert view.count == 300  # the same Go index
    view.close()
    assert hsq.count == 300  # closing a view leaves the index alive
    idmap = AnyIndex(D, "L2", "IDMap2,Flat")
    assert isinstance(idmap, mf.IDMap2) and idmap.to_id_map() is not None and idmap.to_id_map2() is idmap


def test_face_members():
    index = mf.IDMap(mf.FlatIndex(D))
    ids = np.arange(100, 300, dtype=np.int64)
    index.add(XB[:200], ids=ids)
    np.testing.assert_array_equal(index.id_map(), ids)
    assert index.remove_ids(range(100, 150)) == 50 and index.count == 150
    assert index.remove_ids([150, 151, 9999]) == 2
    r = index.search_range(XQ[:3], 30.0)
    assert isinstance(r, SearchRangeResult) and len(r.labels) == 3 and len(r.distances) == 3
    lims, Dr, Ir = index.range_search(XQ[:3], 30.0)
    for q in range(3):
        np.testing.assert_array_equal(r.labels[q], Ir[lims[q]:lims[q + 1]])
        np.testing.assert_array_equal(r.distances[q], Dr[lims[q]:lims[q + 1]])
    index.reset()
    assert index.count == 0


def test_save_load_and_clone(tmp_path):
    index = mf.IVFFlatIndex(mf.FlatIndex(D), D, 8)
    index.train(XB)
    index.add(XB)
    path = str(tmp_path / "ivf.index")
    index.save_to_file(path)
    back = mf.IVFFlatIndex.load_from_file(path)
    assert isinstance(back, mf.IVFFlatIndex) and back.count == index.count
    np.testing.assert_array_equal(back.search(XQ, 5).labels, index.search(XQ, 5).labels)
    anyback = AnyIndex.load_from_file(path, mf.IOFlag.READ_ONLY)
    assert isinstance(anyback, mf.IVFFlatIndex)
    with pytest.raises(ValueError, match="not a FlatIndex"):
        mf.FlatIndex.load_from_file(path)
    # faiss reads the file too
    theirs = faiss.read_index(path)
    np.testing.assert_array_equal(theirs.search(XQ, 5)[1], index.search(XQ, 5).labels)
    copy = index.clone()
    assert isinstance(copy, mf.IVFFlatIndex)
    copy.reset()
    assert index.count == len(XB)


def test_enums_and_transform_names():
    assert str(mf.QuantizerType.QT_6bit) == "QT_6bit"
    assert mf.QuantizerType.parse("fp16") is mf.QuantizerType.QT_fp16
    assert mf.QuantizerType.parse(5) is mf.QuantizerType.QT_8bit_direct
    assert int(mf.QuantizerType.QT_8bit_uniform) == faiss.ScalarQuantizer.QT_8bit_uniform
    with pytest.raises(ValueError):
        mf.QuantizerType.parse("QT_3bit")
    opq = mf.OPQMatrixTransform(8, 2)
    assert opq.d_out == 8 and not opq.is_trained and isinstance(opq, mf.OPQMatrix)


def _abs_equal(a, b):
    # PCA components are defined up to their sign.
    np.testing.assert_allclose(np.abs(a), np.abs(b), rtol=1e-3, atol=1e-4)


def _close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("make_face,make_twin,make_faiss,same", [
    (lambda: mf.PCAMatrixTransform(8, 4), lambda: mf.PCAMatrix(8, 4), lambda: faiss.PCAMatrix(8, 4), _abs_equal),
    (lambda: mf.RandomRotationMatrixTransform(8, 8), lambda: mf.RandomRotationMatrix(8, 8),
     lambda: faiss.RandomRotationMatrix(8, 8), _close),
    (lambda: mf.ITQMatrixTransform(8), lambda: mf.ITQMatrix(8), None, None),
], ids=["pca", "rotation", "itq"])
def test_face_transforms_are_their_twins_and_match_faiss(make_face, make_twin, make_faiss, same):
    x = _data(500, 8, 3)
    x -= x.mean(0)
    face, twin = make_face(), make_twin()
    assert isinstance(face, type(twin)) and type(face) is not type(twin)
    face.train(x)
    twin.train(x)
    assert (face.d_in, face.d_out, face.is_trained) == (twin.d_in, twin.d_out, True)
    np.testing.assert_array_equal(face.apply(x[:5]), twin.apply(x[:5]))
    if make_faiss is not None:
        theirs = make_faiss()
        theirs.train(x)
        same(face.apply(x[:5]), theirs.apply(x[:5]))
    else:  # ITQ: a rotation (faiss's differs by its LAPACK's signs)
        A = face.A.reshape(8, 8)
        np.testing.assert_allclose(A @ A.T, np.eye(8), atol=1e-4)
