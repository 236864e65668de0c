"""The additive-quantizer fast-scan indexes (IndexResidualQuantizerFastScan
and its local-search and product forms) against faiss-cpu: files both
ways byte for byte, the same search results from the same file (the norm
scale included), indexes packed from an IndexAdditiveQuantizer, training
quality, factory strings and bad input."""

import numpy as np
import pytest

import metalfaiss as mf
from test_additive import anisotropic

faiss = pytest.importorskip("faiss")
if faiss.__version__ != "1.15.1":
    # the oracle's files and kernels; faiss-cpu 1.13 (Python 3.9's) aborts
    # the process on some of these calls instead of raising
    pytest.skip("compared against faiss-cpu 1.15.1", allow_module_level=True)


@pytest.fixture(scope="module")
def data():
    x = anisotropic(4100, 16)
    return x[:3000], x[3000:4000], x[4000:]


def same_results(D1, I1, D2, I2):
    """Distances agree: all but a few exactly (the float tables are summed
    in another order than faiss's sgemm, and an entry rounded the other way
    moves a key by one quantization step), all within 1%; and in rows that
    agree, so do the ids ranked clearly inside the top k (equal keys may
    come in either order)."""
    close = np.abs(D2 - D1) <= 1e-4 + 1e-5 * np.abs(D1)
    assert close.mean() >= 0.99, close.mean()
    np.testing.assert_allclose(D2, D1, rtol=0.01, atol=0.01)
    for d1, i1, i2, ok in zip(D1, I1, I2, close.all(1)):
        inside = np.abs(d1 - d1[-1]) > 1e-4 + 1e-5 * abs(d1[-1])
        if ok:
            assert set(i1[inside]) == set(i2[inside])


# (factory string, metric, norm scale: 0 keeps what training estimated).
# With M odd (M + 2 fields) and a scale above 1 faiss's kernels scale the
# wrong fields (see test_odd_m_scales_both_norm_codes); those are apart.
CASES = [
    ("RQ4x4fs_Nrq2x4", faiss.METRIC_L2, 1),
    ("RQ3x4fs_Nrq2x4", faiss.METRIC_L2, 1),
    ("RQ6x4fs_64_Nrq2x4", faiss.METRIC_L2, 2),
    ("LSQ4x4fs_Nlsq2x4", faiss.METRIC_L2, 0),
    ("LSQ6x4fs_Nrq2x4", faiss.METRIC_L2, 4),
    ("PRQ2x2x4fs_Nrq2x4", faiss.METRIC_L2, 2),
    ("PLSQ2x2x4fs_Nlsq2x4", faiss.METRIC_L2, 0),
    ("RQ4x4fs", faiss.METRIC_INNER_PRODUCT, 1),
    ("PRQ2x3x4fs_64", faiss.METRIC_INNER_PRODUCT, 1),
    ("IVF16,RQ4x4fsr_Nrq2x4", faiss.METRIC_L2, 0),
    ("IVF16,RQ4x4fs_Nrq2x4", faiss.METRIC_L2, 3),
    ("IVF16,LSQ3x4fsr_Nlsq2x4", faiss.METRIC_L2, 1),
    ("IVF16,PRQ2x2x4fsr_64_Nrq2x4", faiss.METRIC_L2, 2),
    ("IVF16,PLSQ2x3x4fsr", faiss.METRIC_INNER_PRODUCT, 1),
    ("IVF16,RQ4x4fs", faiss.METRIC_INNER_PRODUCT, 1),
]


@pytest.mark.parametrize("desc,metric,scale", CASES)
def test_faiss_files_read_write_and_search_the_same(data, desc, metric, scale):
    xt, xb, xq = data
    ref = faiss.index_factory(16, desc, metric)
    ref.train(xt)
    ref.add(xb)
    if scale:
        ref.norm_scale = scale
    if desc.startswith("IVF"):
        ref.nprobe = 4
    buf = faiss.serialize_index(ref)
    ix = mf.deserialize_index(buf)
    assert type(ix).__name__ == type(ref).__name__
    assert bytes(mf.serialize_index(ix)) == bytes(buf)
    assert ix.norm_scale == ref.norm_scale and ix.M == ref.M and ix.bbs == ref.bbs
    implems = (0, 12, 14) if ref.bbs == 32 else (0, 14)
    if desc.startswith("IVF"):  # faiss's IVF kernels 12-15 need bbs 32
        implems = (0, 10, 12, 14) if ref.bbs == 32 else (0, 10)
    for implem in implems:
        ref.implem = ix.implem = implem
        for k in (1, 10, 20):
            Dr, Ir = ref.search(xq, k)
            D, I = ix.search(xq, k)
            same_results(Dr, Ir, D, I)
    # the file faiss reads back from us searches the same
    back = faiss.deserialize_index(mf.serialize_index(ix))
    back.implem = ix.implem = 0
    Dr, Ir = back.search(xq, 5)
    D, I = ix.search(xq, 5)
    same_results(Dr, Ir, D, I)


@pytest.mark.parametrize("desc", ["LSQ5x4fs_Nlsq2x4", "IVF16,RQ3x4fsr_Nrq2x4"])
def test_odd_m_scales_both_norm_codes(data, desc):
    """faiss's kernels multiply the last packed pair back by norm_scale:
    with an odd M that is the second norm code and the padding, so the
    first norm code's table stays divided and distances are wrong (its
    code-by-code search scales both). Here both are scaled in every search:
    on faiss's own file, the kernels agree with the code-by-code sums, and
    recall is at least faiss's (observed 0.44 against faiss's 0.22 for
    LSQ5x4fs at scale 2 on other data)."""
    xt, xb, xq = data
    ref = faiss.index_factory(16, desc)
    ref.train(xt)
    ref.add(xb)
    ref.norm_scale = 3
    if desc.startswith("IVF"):
        ref.nprobe = 4
    ix = mf.deserialize_index(faiss.serialize_index(ref))
    assert ix.M % 2 == 1 and ix.norm_scale == 3
    gt = mf.knn(xq, xb, 10)[1]

    def recall(index):
        _, I = index.search(xq, 10)
        return np.mean([len(set(a) & set(b)) / 10 for a, b in zip(I, gt)])

    assert recall(ix) >= recall(ref) - 0.01
    ix.implem = 0
    D, I = ix.search(xq, 10)
    ix.implem = 2 if desc.startswith("IVF") else 4
    Dc, Ic = ix.search(xq, 10)
    same_results(Dc, Ic, D, I)


@pytest.mark.parametrize("metric", [faiss.METRIC_L2, faiss.METRIC_INNER_PRODUCT])
def test_packed_from_an_additive_index_as_faiss(data, metric):
    xt, xb, xq = data
    st = "_Nrq2x4" if metric == faiss.METRIC_L2 else ""
    fref = faiss.index_factory(16, "RQ8x4" + st, metric)
    fref.train(xt)
    fref.add(xb)
    src = mf.deserialize_index(faiss.serialize_index(fref))
    ffs, fs = faiss.IndexAdditiveQuantizerFastScan(fref), mf.IndexAdditiveQuantizerFastScan(src)
    assert fs.ntotal == ffs.ntotal and fs.norm_scale == 1
    np.testing.assert_array_equal(fs.reconstruct_n(0, 50), ffs.reconstruct_n(0, 50))
    np.testing.assert_array_equal(fs.reconstruct_n(0, 50), src.reconstruct_n(0, 50))
    for implem in (0, 2, 3, 4, 12, 14):
        ffs.implem = fs.implem = implem
        Dr, Ir = ffs.search(xq, 10)
        D, I = fs.search(xq, 10)
        same_results(Dr, Ir, D, I)
    assert fs.aq.M == 8 and isinstance(fs.aq, mf.ResidualQuantizer)
    # the quantizer is shared: the source's codes decode the same
    np.testing.assert_array_equal(fs.sa_decode(src.sa_encode(xq)), src.sa_decode(src.sa_encode(xq)))


@pytest.mark.parametrize("desc", ["RQ4x4fs_Nrq2x4", "LSQ4x4fs_Nlsq2x4", "PRQ2x2x4fs_Nrq2x4", "IVF16,RQ4x4fsr_Nrq2x4",
                                  "IVF16,LSQ4x4fsr_Nrq2x4", "IVF16,PLSQ2x2x4fs_Nlsq2x4"])
def test_training_and_recall_close_to_faiss(data, desc):
    xt, xb, _ = data
    xq = anisotropic(1000, 16, seed=7)  # 1000 queries: recall to 0.001
    gt = mf.knn(xq, xb, 10)[1]
    recalls = []
    for lib in (faiss, mf):
        ix = lib.index_factory(16, desc)
        ix.train(xt)
        ix.add(xb)
        assert ix.norm_scale >= 1
        if desc.startswith("IVF"):
            ix.nprobe = 4
            ix.make_direct_map(True)
        _, I = ix.search(xq, 10)
        recalls.append(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(I, gt)]))
        err = ((ix.reconstruct_n(0, ix.ntotal) - xb) ** 2).sum(1).mean()
        recalls.append(err)
    # recall@10 at most 0.01 below faiss-cpu 1.15.1's (observed -0.008 ..
    # +0.005 over these six; other faiss versions train otherwise: 0.02),
    # reconstruction error within 5%
    slack = 0.01 if faiss.__version__ == "1.15.1" else 0.02
    assert recalls[2] >= recalls[0] - slack, recalls
    assert recalls[3] <= recalls[1] * 1.05, recalls


def test_factory_fields_merge_and_io_of_trained_indexes(data):
    xt, xb, xq = data
    ix = mf.index_factory(16, "LSQ6x4fs_64_Nrq2x4")
    ref = faiss.index_factory(16, "LSQ6x4fs_64_Nrq2x4")
    assert isinstance(ix, mf.IndexLocalSearchQuantizerFastScan)
    assert (ix.bbs, ix.M, ix.M2, ix.code_size, ix.max_train_points) == (ref.bbs, ref.M, ref.M2, ref.code_size,
                                                                       ref.max_train_points)
    assert ix.lsq.search_type == mf.AdditiveQuantizer.ST_norm_rq2x4 and ix.rescale_norm
    p = mf.index_factory(16, "PLSQ2x3x4fs_Nlsq2x4")
    assert p.aq.nsplits == 2 and p.aq.subquantizer(0).M == 3
    assert mf.downcast_Quantizer(p.aq) is p.aq
    # (LSQ's codes depend on the batch they are encoded in: RQ's do not)
    ix = mf.index_factory(16, "RQ6x4fs_64_Nrq2x4")
    ix.train(xt)
    ix.add(xb[:500])
    other = mf.deserialize_index(mf.serialize_index(ix))
    other.reset()
    other.add(xb[500:])
    ix.merge_from(other)
    assert ix.ntotal == 1000 and other.ntotal == 0
    whole = mf.deserialize_index(mf.serialize_index(ix))
    whole.reset()
    whole.add(xb)
    np.testing.assert_array_equal(ix.search(xq, 5)[1], whole.search(xq, 5)[1])
    assert ix.remove_ids(np.arange(10, dtype=np.int64)) == 10 and ix.ntotal == 990
    np.testing.assert_array_equal(ix.reconstruct(0), whole.reconstruct(10))


def test_bad_input_raises_clear_errors(data):
    xt, xb, _ = data
    with pytest.raises(ValueError, match="ST_norm_lsq2x4 or ST_norm_rq2x4"):
        mf.index_factory(16, "RQ4x4fs")  # faiss: L2 needs a 2x4 norm
    with pytest.raises(ValueError, match="ST_LUT_nonorm"):
        mf.IndexResidualQuantizerFastScan(16, 4, 4, mf.METRIC_INNER_PRODUCT, mf.AdditiveQuantizer.ST_norm_rq2x4)
    with pytest.raises(ValueError, match="4 bits"):
        mf.IndexResidualQuantizerFastScan(16, 4, 8)
    with pytest.raises(ValueError, match="bbs"):
        mf.IndexLocalSearchQuantizerFastScan(16, 4, 4, mf.METRIC_L2, mf.AdditiveQuantizer.ST_norm_lsq2x4, 48)
    with pytest.raises(TypeError):
        mf.IndexAdditiveQuantizerFastScan(mf.IndexFlatL2(16))
    ix = mf.IndexResidualQuantizerFastScan(16, 4, 4)
    with pytest.raises(mf.NotTrainedError):
        ix.add(xb[:5])
    with pytest.raises(ValueError, match="16"):
        ix.train(xt[:, :8])
    assert not ix.is_trained
    with pytest.raises(ValueError, match="norm_scale"):
        ix.norm_scale = 70000
    assert ix.norm_scale == 1
    with pytest.raises(ValueError):
        mf.index_factory(16, "IVF16,RQ4x4fs_Nrq2x4x")


def test_ivf_packed_from_an_ivf_additive_index(data):
    xt, xb, xq = data
    ref = faiss.index_factory(16, "IVF16,RQ8x4", faiss.METRIC_INNER_PRODUCT)
    ref.train(xt)
    ref.add(xb)
    ref.nprobe = 16
    src = mf.deserialize_index(faiss.serialize_index(ref))
    ffs, fs = faiss.IndexIVFAdditiveQuantizerFastScan(ref), mf.IndexIVFAdditiveQuantizerFastScan(src)
    assert fs.ntotal == ffs.ntotal and fs.nprobe == 16 and fs.by_residual
    same_results(*ffs.search(xq, 10), *fs.search(xq, 10))
    l2 = mf.index_factory(16, "IVF16,RQ4x4_Nrq2x4")
    l2.train(xt)
    with pytest.raises(ValueError, match="residual"):
        mf.IndexIVFAdditiveQuantizerFastScan(l2)  # faiss refuses it too
    l2.by_residual = False
    l2.add(xb)
    fl2 = mf.IndexIVFAdditiveQuantizerFastScan(l2)
    assert not fl2.by_residual  # faiss turns it on and then mis-searches these codes
    l2.nprobe = fl2.nprobe = 16
    D, I = fl2.search(xq, 10)
    Dr, Ir = l2.search(xq, 10)
    assert np.mean([len(set(a) & set(b)) / 10 for a, b in zip(I, Ir)]) >= 0.9


def test_ivf_factory_and_fields(data):
    ix = mf.index_factory(16, "IVF128,LSQ16x4fsr_64_Nrq2x4")
    ref = faiss.index_factory(16, "IVF128,LSQ16x4fsr_64_Nrq2x4")
    assert isinstance(ix, mf.IndexIVFLocalSearchQuantizerFastScan)
    assert (ix.nlist, ix.bbs, ix.M, ix.M2, ix.by_residual, ix.max_train_points) == (
        ref.nlist, ref.bbs, ref.M, ref.M2, ref.by_residual, ref.max_train_points)
    assert ix.lsq.search_type == mf.AdditiveQuantizer.ST_norm_rq2x4
    assert not mf.index_factory(16, "IVF16,RQ4x4fs_Nrq2x4").by_residual
    p = mf.index_factory(16, "IVF16,PRQ2x3x4fsr_Nlsq2x4")
    assert mf.downcast_AdditiveQuantizer(p.aq).nsplits == 2 and p.aq.subquantizer(0).M == 3
    with pytest.raises(ValueError, match="ST_norm_lsq2x4 or ST_norm_rq2x4"):
        mf.index_factory(16, "IVF16,RQ4x4fs")
    with pytest.raises(ValueError, match="norm_scale"):
        p.norm_scale = 1 << 20
    with pytest.raises(TypeError):
        mf.IndexIVFAdditiveQuantizerFastScan(mf.IndexFlatL2(16))
