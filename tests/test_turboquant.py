"""TurboQuant scalar quantizer types and QT_0bit against faiss 1.15
(faiss 1.13, in CI's Python 3.9 run, has none of them: there our own
properties are checked)."""

import numpy as np
import pytest

import faiss
import metalfaiss as mf

FAISS_115 = tuple(int(v) for v in faiss.__version__.split(".")[:2]) >= (1, 15)
needs_115 = pytest.mark.skipif(not FAISS_115, reason="faiss before 1.15 has no TurboQuant types")

SQ = mf.ScalarQuantizer
MSE = [SQ.QT_1bit_tqmse, SQ.QT_2bit_tqmse, SQ.QT_3bit_tqmse, SQ.QT_4bit_tqmse, SQ.QT_8bit_tqmse]
FULL = [SQ.QT_2bit_tq, SQ.QT_3bit_tq, SQ.QT_4bit_tq, SQ.QT_5bit_tq]


def unit_rows(n, d, seed):
    x = np.random.RandomState(seed).randn(n, d).astype("float32")
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@needs_115
@pytest.mark.parametrize("qtype", MSE + FULL)
@pytest.mark.parametrize("d", [7, 32, 65])
def test_codebook_and_codes_are_faiss(qtype, d):
    x = unit_rows(300, d, d)
    if qtype in FULL:
        x *= np.random.RandomState(1).uniform(0.5, 3, (300, 1)).astype("float32")
    ours, theirs = SQ(d, qtype), faiss.ScalarQuantizer(d, qtype)
    ours.train(x)
    theirs.train(x)
    assert ours.code_size == theirs.code_size
    np.testing.assert_allclose(ours.trained, faiss.vector_to_array(theirs.trained), rtol=0, atol=2e-7)
    c_ours, c_theirs = ours.compute_codes(x), theirs.compute_codes(x)
    if qtype in MSE:
        np.testing.assert_array_equal(c_ours, c_theirs)
    else:
        # level and sign bits equal; norm and gamma within float rounding
        np.testing.assert_array_equal(c_ours[:, :-8], c_theirs[:, :-8])
        f_ours = c_ours[:, -8:].copy().view("float32")
        f_theirs = c_theirs[:, -8:].copy().view("float32")
        np.testing.assert_allclose(f_ours, f_theirs, rtol=1e-6)
    np.testing.assert_allclose(ours.decode(c_theirs), theirs.decode(c_theirs), rtol=0, atol=1e-6)


@needs_115
@pytest.mark.parametrize("key", ["SQtqmse4", "SQtqmse8", "SQtq2", "SQtq3", "SQtq5"])
@pytest.mark.parametrize("metric", [faiss.METRIC_L2, faiss.METRIC_INNER_PRODUCT])
def test_search_matches_faiss(key, metric):
    d = 32
    xb, xq = unit_rows(2000, d, 2), unit_rows(20, d, 3)
    ours, theirs = mf.index_factory(d, key, metric), faiss.index_factory(d, key, metric)
    for ix in (ours, theirs):
        ix.train(xb)
        ix.add(xb)
    D1, I1 = ours.search(xq, 10)
    D2, I2 = theirs.search(xq, 10)
    np.testing.assert_allclose(D1, D2, rtol=1e-4, atol=1e-4)
    assert (I1 == I2).mean() > 0.95  # ties and float rounding may swap neighbours


def test_distances_without_faiss():
    """MSE types: distances to the reconstructions; full types: the
    inner product with the reconstruction (faiss's estimator), and the
    code's norm in L2."""
    d = 24
    xb, xq = unit_rows(200, d, 4), unit_rows(3, d, 5)
    for qtype in MSE + FULL:
        ix = mf.IndexScalarQuantizer(d, qtype)
        assert not ix.is_trained
        ix.train(xb)
        ix.add(xb)
        D, I = ix.search(xq, 5)
        recon = ix.reconstruct_n(0, ix.ntotal)
        for q in range(len(xq)):
            r = recon[I[q]]
            if qtype in MSE:
                want = ((xq[q] - r) ** 2).sum(1)
            else:
                norms = np.linalg.norm(xb[I[q]], axis=1)
                want = (xq[q] ** 2).sum() + norms ** 2 - 2 * r @ xq[q]
            np.testing.assert_allclose(D[q], want, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("key", ["SQtq3", "IVF8,SQtq2", "SQtqmse3", "IVF8,SQtqmse4"])
def test_file_round_trip_both_ways(key, tmp_path):
    d = 32
    xb, xq = unit_rows(500, d, 6), unit_rows(10, d, 7)
    ix = mf.index_factory(d, key)
    ix.train(xb)
    ix.add(xb)
    D, I = ix.search(xq, 5)
    back = mf.deserialize_index(mf.serialize_index(ix))
    D2, I2 = back.search(xq, 5)
    np.testing.assert_array_equal(I, I2)
    np.testing.assert_array_equal(D, D2)
    if FAISS_115:
        fname = str(tmp_path / "tq.index")
        mf.write_index(ix, fname)
        theirs = faiss.read_index(fname)
        D3, I3 = theirs.search(xq, 5)
        assert (I3 == I).mean() > 0.95
        np.testing.assert_allclose(D3, D, rtol=1e-4, atol=1e-4)
        faiss.write_index(theirs, fname)
        D4, I4 = mf.read_index(fname).search(xq, 5)
        np.testing.assert_array_equal(I4, I)


def test_ivf_defaults_and_factory_names():
    d = 16
    q = mf.IndexFlatL2(d)
    for qtype, residual in [(SQ.QT_2bit_tq, False), (SQ.QT_0bit, False), (SQ.QT_4bit_tqmse, True)]:
        ix = mf.IndexIVFScalarQuantizer(q, d, 4, qtype)
        assert ix.by_residual == residual
    for key in ["SQtqmse1", "SQtqmse8", "SQtq2", "SQtq5", "IVF32,SQ0", "IVF32,SQtq3"]:
        assert mf.reverse_index_factory(mf.index_factory(d, key)) == key
    assert mf.reverse_index_factory(mf.IndexScalarQuantizer(d, SQ.QT_8bit_uniform)) == "SQ8u"
    with pytest.raises(mf.InvalidArgumentError, match="QT_0bit stores nothing"):
        mf.IndexScalarQuantizer(d, SQ.QT_0bit)


def test_ivf_0bit_is_at_coarse_distance():
    d = 8
    x = np.random.RandomState(0).rand(200, d).astype("float32")
    ix = mf.index_factory(d, "IVF4,SQ0")
    ix.train(x)
    ix.add(x)
    ix.nprobe = 2
    assert ix.code_size == 0
    D, I = ix.search(x[:3], 5)
    Dq, _ = ix.quantizer.search(x[:3], 1)
    np.testing.assert_array_equal(D, np.repeat(Dq, 5, axis=1))
    if FAISS_115:
        theirs = faiss.index_factory(d, "IVF4,SQ0")
        theirs.train(x)
        theirs.add(x)
        theirs.nprobe = 2
        D2, _ = theirs.search(x[:3], 5)
        np.testing.assert_allclose(D, D2, rtol=1e-5, atol=1e-5)  # coarse distances: another kernel (the GPU flat in CI)
