"""Index2Layer against faiss-cpu: the codes of an IVF-PQ (list number and
residual code), from faiss's files and from our training, files both
ways, reconstruction, transfer_to_IVFPQ, the factory and bad input."""

import numpy as np
import pytest

import metalfaiss as mf

faiss = pytest.importorskip("faiss")

D = 48


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(5)
    centres = rng.standard_normal((40, D)) * 2
    x = centres[rng.integers(0, 40, 6000)] + rng.standard_normal((6000, D))
    return x[:5000].astype(np.float32), x[5000:].astype(np.float32)


@pytest.mark.parametrize("desc", ["Residual64,PQ8", "Residual2x4,PQ6", "Residual300,PQ12x4"])
def test_codes_files_and_recons_match_faiss(data, desc):
    xt, x = data
    theirs = faiss.index_factory(D, desc)
    theirs.train(xt)
    ours = mf.deserialize_index(faiss.serialize_index(theirs))
    assert type(ours) is mf.Index2Layer and mf.reverse_index_factory(ours) == desc
    assert (ours.code_size_1, ours.code_size_2, ours.code_size) == (theirs.code_size_1, theirs.code_size_2, theirs.code_size)
    # faiss gives the mode as a one-character string (a C char)
    assert ours.q1.nlist == theirs.q1.nlist and ours.q1.quantizer_trains_alone == ord(theirs.q1.quantizer_trains_alone)
    codes = theirs.sa_encode(x)
    assert np.array_equal(ours.sa_encode(x), codes)
    np.testing.assert_allclose(ours.sa_decode(codes), theirs.sa_decode(codes), rtol=1e-6, atol=1e-6)
    theirs.add(x)
    ours.add(x)
    assert np.array_equal(mf.serialize_index(ours), faiss.serialize_index(theirs))
    np.testing.assert_allclose(ours.reconstruct_n(0, 50), theirs.reconstruct_n(0, 50), rtol=1e-6, atol=1e-6)
    back = faiss.deserialize_index(mf.serialize_index(ours))
    assert back.ntotal == len(x)


@pytest.mark.parametrize("ivf_desc,desc", [("IVF64,PQ8np", "Residual64,PQ8"), ("IMI2x4,PQ6np", "Residual2x4,PQ6")])
def test_our_training_gives_the_ivfpq_codes(data, ivf_desc, desc):
    """Trained here, the codes equal our IVF-PQ's sa_encode (the same level-1
    training and residual codebooks), and the reconstruction error is
    faiss's (observed within 1%)."""
    xt, x = data
    ours = mf.index_factory(D, desc)
    assert not ours.is_trained
    ours.train(xt)
    ivf = mf.index_factory(D, ivf_desc)
    ivf.train(xt)
    assert np.array_equal(ours.sa_encode(x), ivf.sa_encode(x))
    theirs = faiss.index_factory(D, desc)
    theirs.train(xt)
    err = [float(((i.sa_decode(i.sa_encode(x)) - x) ** 2).sum(1).mean()) for i in (ours, theirs)]
    assert err[0] <= 1.02 * err[1], err


def test_transfer_to_ivfpq(data):
    xt, x = data
    two = mf.index_factory(D, "Residual64,PQ8")
    two.train(xt)
    two.add(x)
    ivf = mf.IndexIVFPQ(two.q1.quantizer, D, 64, 8, 8)
    ivf.pq = two.pq
    assert ivf.is_trained
    two.transfer_to_IVFPQ(ivf)
    assert ivf.ntotal == len(x)
    ivf.nprobe = 64
    ivf.make_direct_map()
    np.testing.assert_allclose(ivf.reconstruct_n(0, 20), two.reconstruct_n(0, 20), rtol=1e-5, atol=1e-5)
    # the search over decoded codes ranks as the exhaustive IVF-PQ does
    D1, I1 = two.search(x[:20], 5)
    D2, I2 = ivf.search(x[:20], 5)
    np.testing.assert_allclose(D1, D2, rtol=1e-4, atol=1e-3)
    with pytest.raises(mf.MetalFaissError, match="empty"):
        two.transfer_to_IVFPQ(ivf)
    with pytest.raises(mf.MetalFaissError, match="nlist"):
        two.transfer_to_IVFPQ(mf.IndexIVFPQ(mf.IndexFlatL2(D), D, 32, 8, 8))


def test_constructor_and_bad_input(data):
    xt, x = data
    q = mf.IndexFlatL2(D)
    ix = mf.Index2Layer(q, 300, 12, 4)
    assert ix.q1.quantizer is q and ix.code_size_1 == 2 and ix.code_size_2 == 6 and ix.pq.M == 12
    ix.q1.quantizer_trains_alone = 2
    assert ix.q1.quantizer_trains_alone == 2
    with pytest.raises(mf.MetalFaissError, match="train"):
        ix.add(x)
    with pytest.raises(mf.MetalFaissError, match="train"):
        ix.sa_encode(x)
    with pytest.raises(mf.MetalFaissError, match="divide|multiple"):
        mf.Index2Layer(q, 16, 7)
    with pytest.raises(mf.MetalFaissError, match="nlist"):
        mf.Index2Layer(q, 0, 8)
    with pytest.raises(mf.MetalFaissError, match="0, 1 or 2"):
        ix.q1.quantizer_trains_alone = 5
    with pytest.raises(TypeError):
        mf.Index2Layer("flat", 16, 8)
    with pytest.raises(ValueError, match="2 layer|PQ"):
        mf.index_factory(D, "Residual64,SQ8")
    with pytest.raises(ValueError, match="Residual"):
        mf.index_factory(D, "Residual64")
    ix.train(xt)
    bad = ix.sa_encode(x[:2])
    bad[0, :2] = 255  # list 65535 of 300
    with pytest.raises(mf.MetalFaissError, match="names list"):
        ix.sa_decode(bad)


def test_parts_set_by_hand_as_faiss_scripts_do(data):
    """faiss's recipe: give a Residual index an IVF-PQ's trained pq and
    quantizer, mark it trained, and get the IVF-PQ's codes."""
    xt, x = data
    ref = mf.index_factory(D, "IVF64,PQ8np")
    ref.train(xt)
    two = mf.index_factory(D, "Residual64,PQ8")
    with pytest.raises(mf.MetalFaissError, match="after"):
        two.is_trained = True
    two.pq = ref.pq
    old = two.q1.quantizer
    assert old.this.own() is True and old.this.own(False) is True and old.this.own() is False
    two.q1.own_fields = False
    two.q1.quantizer = ref.quantizer
    assert two.q1.quantizer is ref.quantizer
    two.is_trained = True
    assert two.is_trained
    assert np.array_equal(two.sa_encode(x), ref.sa_encode(x))
    with pytest.raises(mf.MetalFaissError, match="d=48"):
        two.q1.quantizer = mf.IndexFlatL2(8)
