"""contrib.torch_utils: index methods and knn taking and giving torch
tensors (CPU), against the numpy results and faiss-cpu. torch mode is
switched on for this module only: it changes what methods return."""

import faiss
import numpy as np
import pytest

import metalfaiss as mf

torch = pytest.importorskip("torch")

D = 16


@pytest.fixture(autouse=True, scope="module")
def torch_mode():
    from metalfaiss.contrib import torch_utils

    yield
    torch_utils._unpatch()


def _flat():
    index = mf.IndexFlatL2(D)
    xb = torch.rand(500, D, generator=torch.Generator().manual_seed(1))
    index.add(xb)
    return index, xb


def test_search_gives_tensors_equal_to_the_numpy_results():
    index, xb = _flat()
    xq = torch.rand(10, D, generator=torch.Generator().manual_seed(2))
    Dt, It = index.search(xq, 5)
    assert torch.is_tensor(Dt) and It.dtype == torch.int64
    Dn, In = index.search(xq.numpy(), 5)
    assert isinstance(Dn, np.ndarray)
    np.testing.assert_array_equal(Dt.numpy(), Dn)
    np.testing.assert_array_equal(It.numpy(), In)
    # outputs given by position (faiss's torch mode), as tensors or arrays
    Do, Io = torch.zeros(10, 5), torch.zeros(10, 5, dtype=torch.int64)
    r = index.search(xq, 5, Do, Io)
    assert r[0] is Do and r[1] is Io
    np.testing.assert_array_equal(Io.numpy(), In)
    Dn2, In2 = np.zeros((10, 5), np.float32), np.zeros((10, 5), np.int64)
    index.search(xq.numpy(), 5, Dn2, In2)
    np.testing.assert_array_equal(In2, In)


def test_reconstruct_and_assign_give_tensors():
    index, xb = _flat()
    y = index.reconstruct(7)
    assert torch.is_tensor(y) and torch.equal(y, xb[7])
    assert torch.equal(index.reconstruct_n(10, 5), xb[10:15])
    out = np.empty(D, np.float32)
    assert index.reconstruct(8, out) is out  # a numpy output keeps numpy
    t = torch.empty(5, D)
    assert index.reconstruct_n(20, 5, t) is t and torch.equal(t, xb[20:25])
    labels = index.assign(xb[:4], 1)
    assert torch.equal(labels.view(-1), torch.arange(4))


def test_ivf_train_add_with_ids_range_search_update_vectors():
    xb = torch.rand(1000, D, generator=torch.Generator().manual_seed(3))
    ids = torch.arange(1000, 2000, dtype=torch.int64)
    index = mf.IndexIVFFlat(mf.IndexFlatL2(D), D, 5)
    index.set_direct_map_type(mf.DirectMap.Hashtable)
    index.train(xb)
    index.add_with_ids(xb, ids)
    _, I = index.search(xb[10:20], 1)
    assert torch.equal(I.view(10), ids[10:20])
    lims, Dr, Ir = index.range_search(xb[:3], 0.5)
    ref = index.range_search(xb[:3].numpy(), 0.5)
    for t, a in zip((lims, Dr, Ir), ref):
        np.testing.assert_array_equal(t.numpy(), a)
    new = torch.rand(2, D, generator=torch.Generator().manual_seed(4))
    index.update_vectors(ids[:2], new)
    assert torch.equal(index.reconstruct(1001), new[1])
    with pytest.raises(AssertionError, match="numpy"):
        index.remove_ids(torch.tensor([1005]))
    assert index.remove_ids(np.array([1005])) == 1


def test_codes_search_and_reconstruct_and_knn():
    xb = torch.rand(800, D, generator=torch.Generator().manual_seed(5))
    index = mf.IndexScalarQuantizer(D, mf.ScalarQuantizer.QT_8bit)
    index.train(xb)
    index.add(xb)
    codes = index.sa_encode(xb[:10])
    assert codes.dtype == torch.uint8
    np.testing.assert_array_equal(codes.numpy(), index.sa_encode(xb[:10].numpy()))
    dec = index.sa_decode(codes)
    np.testing.assert_array_equal(dec.numpy(), index.sa_decode(codes.numpy()))
    Dt, It, Rt = index.search_and_reconstruct(xb[:5], 3)
    np.testing.assert_array_equal(Rt.numpy(), index.search_and_reconstruct(xb[:5].numpy(), 3)[2])
    Dk, Ik = mf.knn(xb[:5], xb, 3)
    assert torch.equal(Ik[:, 0], torch.arange(5))
    Dn, In = mf.knn(xb[:5].numpy(), xb.numpy(), 3)
    np.testing.assert_array_equal(Ik.numpy(), In)


def test_non_contiguous_tensors_are_refused():
    index = mf.IndexFlatL2(D)
    with pytest.raises(AssertionError, match="contiguous"):
        index.add(torch.rand(D, 100).t())
    assert index.ntotal == 0


def test_same_results_as_faiss():
    xb = torch.rand(300, D, generator=torch.Generator().manual_seed(6))
    xq = torch.rand(7, D, generator=torch.Generator().manual_seed(7))
    ours = mf.IndexFlatL2(D)
    ours.add(xb)
    theirs = faiss.IndexFlatL2(D)  # numpy mode: faiss's torch mode would leak into other tests
    theirs.add(xb.numpy())
    Dt, It = ours.search(xq, 4)
    Df, If = theirs.search(xq.numpy(), 4)
    np.testing.assert_array_equal(It.numpy(), If)
    np.testing.assert_allclose(Dt.numpy(), Df, rtol=1e-5, atol=1e-5)

