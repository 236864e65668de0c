"""HNSW indexes written without their storage (IO_FLAG_SKIP_STORAGE) and
given one back, against faiss-cpu's files."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf

XB, XQ = faiss.rand((600, 16), 51), faiss.rand((8, 16), 52)


@pytest.mark.parametrize("writer", ["ours", "faiss"])
def test_graph_without_storage_reads_searches_after_the_storage_returns(writer):
    ours = mf.IndexHNSWFlat(16, 16)
    ours.add(XB)
    Dref, Iref = ours.search(XQ, 5)
    if writer == "ours":
        blob = mf.serialize_index(ours, mf.IO_FLAG_SKIP_STORAGE)
    else:
        theirs = faiss.deserialize_index(mf.serialize_index(ours))
        blob = faiss.serialize_index(theirs, faiss.IO_FLAG_SKIP_STORAGE)
    assert len(blob) < len(mf.serialize_index(ours)) - 600 * 16 * 4 + 100
    bare = mf.deserialize_index(blob)
    assert bare.storage is None and bare.ntotal == 600 and bare.d == 16
    with pytest.raises(RuntimeError, match="no storage"):
        bare.search(XQ, 1)
    with pytest.raises(RuntimeError, match="no storage"):
        bare.add(XQ)
    np.testing.assert_array_equal(mf.serialize_index(mf.deserialize_index(mf.serialize_index(bare))), blob)
    again = faiss.deserialize_index(blob)  # faiss reads ours alike
    assert again.ntotal == 600 and again.storage is None
    with pytest.raises(mf.DimensionMismatchError, match="600 nodes"):
        bare.storage = mf.IndexFlatL2(16)
    bare.storage = mf.clone_index(ours.storage)
    D, I = bare.search(XQ, 5)
    np.testing.assert_array_equal(I, Iref)
    np.testing.assert_array_equal(D, Dref)


def test_the_flag_leaves_other_indexes_whole():
    flat = mf.IndexFlatL2(16)
    flat.add(XB)
    np.testing.assert_array_equal(mf.serialize_index(flat, mf.IO_FLAG_SKIP_STORAGE), mf.serialize_index(flat))
