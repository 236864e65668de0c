"""search_and_reconstruct, reconstruct_batch and IVF reconstruct_n without
a direct map, against faiss-cpu."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf

XT, XB, XQ = faiss.rand((2000, 16), 1), faiss.rand((800, 16), 2), faiss.rand((30, 16), 3)


@pytest.mark.parametrize("key", ["Flat", "IVF16,Flat", "IVF16,PQ4np", "IVF16,SQ8", "IDMap,Flat"])
def test_search_and_reconstruct_equals_faiss(key):
    pair = []
    for lib in (mf, faiss):
        index = lib.index_factory(16, key)
        index.train(XT)
        if key.startswith("IDMap"):
            index.add_with_ids(XB, np.arange(5000, 5800))
        else:
            index.add(XB)
        if "IVF" in key:
            lib.extract_index_ivf(index).nprobe = 4
        pair.append(index)
    ours, theirs = pair
    D, I, R = ours.search_and_reconstruct(XQ, 5)
    if key.startswith("IDMap"):  # faiss's IDMap cannot reconstruct; ours can
        Dt, It = theirs.search(XQ, 5)
        Rt = XB[It - 5000]
    else:
        Dt, It, Rt = theirs.search_and_reconstruct(XQ, 5)
    np.testing.assert_array_equal(I, It)
    np.testing.assert_allclose(D, Dt, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(R, Rt, atol=1e-5)
    if not key.startswith("IDMap"):
        np.testing.assert_allclose(ours.reconstruct_n(0, 800), theirs.reconstruct_n(0, 800), atol=1e-5)
        if "IVF" in key:  # as in faiss, reconstruct_batch needs a direct map
            with pytest.raises(RuntimeError, match="direct map not initialized"):
                ours.reconstruct_batch(I[0])
            mf.extract_index_ivf(ours).make_direct_map()
        np.testing.assert_allclose(ours.reconstruct_batch(I[0]), R[0])


def test_through_a_pretransform_the_results_are_measured_from_r():
    index = mf.index_factory(16, "PCA8,IVF16,SQ8")
    index.train(XT)
    index.add(XB)
    mf.extract_index_ivf(index).nprobe = 4
    D, I, R = index.search_and_reconstruct(XQ, 5)
    pca = index.chain.at(0)
    q, r = pca.apply(XQ), pca.apply(R.reshape(-1, 16)).reshape(30, 5, 8)
    np.testing.assert_allclose(((q[:, None, :] - r) ** 2).sum(-1), D, rtol=1e-3, atol=1e-4)


def test_missing_results_and_unknown_ids():
    index = mf.index_factory(16, "IVF16,Flat")
    index.train(XT)
    index.nprobe = 16
    index.add(XB[:3])
    D, I, R = index.search_and_reconstruct(XQ[:1], 5)
    assert (I[0, 3:] == -1).all() and np.isnan(R[0, 3:]).all()
    np.testing.assert_array_equal(R[0, :3], XB[:3][I[0, :3]])
    rows = index.reconstruct_n(0, 5)
    assert np.isnan(rows[3:]).all()  # ids 3 and 4 are in no list
    index.make_direct_map()
    with pytest.raises(ValueError, match="id 77"):
        index.reconstruct_batch([0, 77])
