"""Binary indexes with search parameters: SearchParametersHNSW on a binary
HNSW, SearchParametersIVF's max_codes / quantizer_params on a binary IVF,
and ParameterSpace's efSearch / efConstruction / quantizer_efSearch,
against faiss-cpu."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf

# faiss takes search parameters on binary indexes from 1.15 on
FAISS_115 = tuple(int(v) for v in faiss.__version__.split(".")[:2]) >= (1, 15)
LIBS = (mf, faiss) if FAISS_115 else (mf,)

RS = np.random.RandomState(123)
XB = RS.randint(256, size=(1000, 8), dtype=np.uint8)
XQ = RS.randint(256, size=(20, 8), dtype=np.uint8)


def test_binary_hnsw_efsearch_per_call_equals_the_setting():
    for lib in LIBS:
        index = lib.IndexBinaryHNSW(64, 32)
        index.add(XB)
        D4, I4 = index.search(XQ, 5, params=lib.SearchParametersHNSW(efSearch=4))
        D16, I16 = index.search(XQ, 5, params=lib.SearchParametersHNSW(efSearch=16))
        assert not np.all(I4 == I16)
        lib.ParameterSpace().set_index_parameter(index, "efSearch", 4)
        np.testing.assert_array_equal(index.search(XQ, 5)[1], I4)
    with pytest.raises(mf.InvalidArgumentError):
        mf.SearchParametersHNSW(efSearch=0)


def test_binary_ivf_max_codes_and_hnsw_quantizer():
    index = mf.IndexBinaryIVF(mf.IndexBinaryFlat(64), 64, 32)
    index.train(XB)
    index.add(XB)
    D0, I0 = index.search(XQ, 10, params=mf.SearchParametersIVF(nprobe=8))
    for budget in (20, 60):
        mf.cvar.indexIVF_stats.reset()
        index.search(XQ, 10, params=mf.SearchParametersIVF(nprobe=8, max_codes=budget))
        assert mf.cvar.indexIVF_stats.ndis <= budget * len(XQ)
    np.testing.assert_array_equal(index.search(XQ, 10, params=mf.SearchParametersIVF(nprobe=8, max_codes=10**6))[1], I0)
    results = []
    for lib in LIBS:
        hq = lib.IndexBinaryIVF(lib.IndexBinaryHNSW(64, 32), 64, 32)
        hq.train(XB)
        hq.add(XB)
        p = lib.SearchParametersIVF(nprobe=10, quantizer_params=lib.SearchParametersHNSW(efSearch=5))
        got = hq.search(XQ, 5, params=p)[1]
        lib.ParameterSpace().set_index_parameters(hq, "nprobe=10,quantizer_efSearch=5")
        np.testing.assert_array_equal(hq.search(XQ, 5)[1], got)
        results.append(got)
    if FAISS_115:
        assert (results[0] == results[1]).mean() > 0.9
