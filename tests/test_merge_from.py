"""merge_from on the indexes that are not IVF (flat, PQ, SQ, LSH,
pre-transformed, id maps), IndexIVFPQ.pq taken from another index, and
IndexIDMap2.check_consistency, against faiss-cpu."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf

D = 32
XT, XB, XQ = faiss.rand((600, D), 41), faiss.rand((300, D), 42), faiss.rand((30, D), 43)
IDS = np.random.RandomState(4).choice(10000, 300, replace=False).astype(np.int64)


def _merged(lib, key, with_ids):
    index = lib.index_factory(D, key)
    index.train(XT)
    other = lib.clone_index(index)
    if with_ids:
        index.add_with_ids(XB[:100], IDS[:100])
        other.add_with_ids(XB[100:], IDS[100:])
    else:
        index.add(XB[:100])
        other.add(XB[100:])
    index.merge_from(other)
    assert index.ntotal == 300
    if lib is mf:  # faiss's IndexPreTransform keeps its ntotal
        assert other.ntotal == 0
    return index


@pytest.mark.parametrize("key,with_ids", [("Flat", False), ("PQ8np", False), ("LSHr", False), ("SQ4", False),
                                          ("PCA16,SQ4", False), ("Flat,IDMap", True), ("Flat,IDMap2", True)])
def test_merged_index_searches_like_faiss_and_like_one_index(key, with_ids):
    ours, theirs = _merged(mf, key, with_ids), _merged(faiss, key, with_ids)
    Do, Io = ours.search(XQ, 5)
    Df, If = theirs.search(XQ, 5)
    assert (Io == If).mean() > 0.97  # codecs trained alike; ties may order apart
    whole = mf.index_factory(D, key)
    whole.train(XT)
    whole.add_with_ids(XB, IDS) if with_ids else whole.add(XB)
    np.testing.assert_array_equal(whole.search(XQ, 5)[1], Io)
    if key.endswith("IDMap2"):
        ours.check_consistency()
        np.testing.assert_array_equal(ours.reconstruct(int(IDS[150])), XB[150])


def test_merging_what_cannot_merge_raises_and_changes_nothing():
    flat = mf.IndexFlatL2(D)
    flat.add(XB[:10])
    pq = mf.index_factory(D, "PQ8np")
    pq.train(XT)
    pq.add(XB[:5])
    with pytest.raises(mf.InvalidArgumentError, match="cannot merge"):
        flat.merge_from(pq)
    with pytest.raises(mf.InvalidArgumentError, match="add_id"):
        flat.merge_from(mf.IndexFlatL2(D), add_id=5)
    with pytest.raises(mf.InvalidArgumentError, match="d and metric"):
        flat.merge_from(mf.IndexFlatIP(D))
    with pytest.raises(mf.InvalidArgumentError, match="itself"):
        flat.merge_from(flat)
    with pytest.raises(mf.InputTypeError):
        flat.merge_from(XB)
    assert flat.ntotal == 10 and pq.ntotal == 5


def test_ivfpq_takes_another_index_pq():
    q = mf.IndexFlatL2(D)
    master = mf.IndexIVFPQ(q, D, 8, 4, 8)
    master.train(XT)
    master.add(XB)
    part = mf.IndexIVFPQ(q, D, 8, 4, 8)
    part.pq = master.pq
    assert part.is_trained
    part.add(XB)
    np.testing.assert_array_equal(part.search(XQ, 5)[1], master.search(XQ, 5)[1])
    with pytest.raises(mf.DimensionMismatchError, match="M=8"):
        part.pq = mf.ProductQuantizer(D, 8, 8)
