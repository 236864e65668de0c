"""IndexIVF.search_and_return_codes: the codes of the results, with their
list numbers sa_decode reads, against faiss-cpu."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf

XT, XB, XQ = faiss.rand((3000, 16), 81), faiss.rand((1000, 16), 82), faiss.rand((10, 16), 83)


@pytest.mark.parametrize("key", ["IVF20,PQ4x4np", "IVF20,SQ8", "IVF300,Flat"])
def test_codes_decode_to_the_result_distances(key):
    index = mf.index_factory(16, key)
    index.train(XT)
    index.add(XB)
    index.nprobe = 10
    Dref, Iref = index.search(XQ, 10)
    D, I, codes = index.search_and_return_codes(XQ, 10, include_listnos=True)
    np.testing.assert_array_equal(I, Iref)
    assert codes.shape == (10, 10, index.sa_code_size())
    for q in range(len(XQ)):
        rec = index.sa_decode(codes[q])
        np.testing.assert_allclose(((XQ[q] - rec) ** 2).sum(1), D[q], rtol=1e-4, atol=1e-5)
    _, _, bare = index.search_and_return_codes(XQ, 10)
    np.testing.assert_array_equal(bare, codes[:, :, index.coarse_code_size():])


def test_same_codes_as_faiss():
    results = []
    for lib in (mf, faiss):
        index = lib.index_factory(16, "IVF20,PQ4x4np")
        index.train(XT)
        index.add(XB)
        index.nprobe = 5
        if not hasattr(index, "search_and_return_codes"):
            return  # older faiss
        results.append(index.search_and_return_codes(XQ, 5, include_listnos=True))
    np.testing.assert_array_equal(results[0][1], results[1][1])
    np.testing.assert_array_equal(results[0][2], results[1][2])


def test_missing_results_get_ff_bytes():
    index = mf.index_factory(16, "IVF4,SQ8")
    index.train(XT)
    index.add(XB[:3])
    D, I, codes = index.search_and_return_codes(XQ[:1], 5)
    assert (I[0, 3:] == -1).all() and (codes[0, 3:] == 0xff).all()
