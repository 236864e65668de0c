"""IndexIVFFlatDedup against faiss-cpu: duplicates stored once, returned
with their stored twin; files both ways; removal keeps surviving
duplicates."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf


def data():
    rs = np.random.RandomState(0)
    xt, xb, xq = rs.rand(500, 10).astype("float32"), rs.rand(1000, 10).astype("float32"), \
        rs.rand(100, 10).astype("float32")
    xb[500:900:2] = xb[501:901:2]
    xb[901::4] = xb[900::4]
    xb[902::4] = xb[900::4]
    xb[903::4] = xb[900::4]
    xt[201::2] = xt[200::2]
    xq[:10] = xb[900:940:4]  # queries on duplicated vectors
    return xt, xb, xq


def build(lib, xt, xb):
    index = lib.IndexIVFFlatDedup(lib.IndexFlatL2(10), 10, 20)
    index.train(xt)
    index.add(xb)
    index.nprobe = 5
    return index


def same_rows(D, I, Dt, It):
    np.testing.assert_allclose(D, Dt, rtol=1e-5, atol=1e-6)
    for r in range(D.shape[0]):
        # equal distances may come in another order, and the last one may be
        # cut at k differently: the ids clearly below the last must agree
        cut = Dt[r, -1] - 1e-4
        assert set(I[r][D[r] < cut]) == set(It[r][Dt[r] < cut])


def test_dedup_equals_faiss_and_files():
    xt, xb, xq = data()
    ours, theirs = build(mf, xt, xb), build(faiss, xt, xb)
    assert ours.ntotal == theirs.ntotal == 1000
    assert sum(ours.get_list_size(i) for i in range(20)) == sum(theirs.invlists.list_size(i) for i in range(20))
    D, I = ours.search(xq, 20)
    Dt, It = theirs.search(xq, 20)
    same_rows(D, I, Dt, It)
    assert (D[:10, :4] == 0).all()  # a duplicated query finds its 4 copies at distance 0
    back = mf.deserialize_index(faiss.serialize_index(theirs))
    assert type(back) is mf.IndexIVFFlatDedup and back.ntotal == 1000
    same_rows(*back.search(xq, 20), Dt, It)
    to_faiss = faiss.deserialize_index(mf.serialize_index(ours))
    same_rows(*to_faiss.search(xq, 20), D, I)
    assert mf.reverse_index_factory(mf.index_factory(10, "IVF20,FlatDedup")) == "IVF20,FlatDedup"


def test_dedup_remove_and_refusals():
    xt, xb, xq = data()
    ours, theirs = build(mf, xt, xb), build(faiss, xt, xb)
    ids = np.array([900, 901, 500, 3], dtype=np.int64)
    assert ours.remove_ids(ids) == theirs.remove_ids(ids)
    assert ours.ntotal == theirs.ntotal
    same_rows(*ours.search(xq, 20), *theirs.search(xq, 20))
    D, I = ours.search(xb[900:901], 5)
    assert 900 not in I and 901 not in I and {902, 903} <= set(I[0])
    with pytest.raises(mf.UnsupportedOperationError, match="IndexIVFFlatDedup"):
        ours.range_search(xq, 0.5)
    with pytest.raises(mf.UnsupportedOperationError, match="IndexIVFFlatDedup"):
        ours.make_direct_map()
    with pytest.raises(mf.InvalidArgumentError, match="FlatDedup"):
        mf.index_factory(10, "FlatDedup")
