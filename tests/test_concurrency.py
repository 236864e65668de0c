"""Sharing indexes between Python threads: a composite and its members lock
together, searches run side by side, and no interleaving corrupts a result."""

import threading

import numpy as np
import pytest

import metalfaiss as faiss
from metalfaiss import _bridge

D = 16


def _data(n, seed):
    return np.random.default_rng(seed).standard_normal((n, D)).astype(np.float32)


def _family(index):
    out = np.zeros(1, dtype=np.int64)
    _bridge.call("HandleFamily", index._handle, out.ctypes.data)
    return int(out[0])


def _run_threads(workers):
    """Run each callable on its own thread; re-raise the first failure."""
    errors = []

    def wrap(fn):
        try:
            fn()
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=wrap, args=(fn,)) for fn in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def _check_results(Dist, I, ntotal_max):
    assert ((I >= -1) & (I < ntotal_max)).all()
    # Within each row the valid results come first and are sorted.
    for drow, irow in zip(Dist, I):
        n = int((irow >= 0).sum())
        assert (irow[:n] >= 0).all()
        assert (np.diff(drow[:n]) >= 0).all()


def test_members_join_their_composites_lock():
    quantizer = faiss.IndexFlatL2(D)
    ivf = faiss.IndexIVFFlat(quantizer, D, 4)
    assert _family(ivf) == _family(quantizer)
    idmap = faiss.IndexIDMap(faiss.IndexFlatL2(D))
    assert _family(idmap) == _family(idmap.index)
    hnsw = faiss.IndexHNSWFlat(D, 8)
    assert _family(hnsw) == _family(hnsw.storage)
    a, b = faiss.IndexFlatL2(D), faiss.IndexFlatL2(D)
    assert _family(a) != _family(b)
    shards = faiss.IndexShards(D)
    shards.add_shard(a)
    shards.add_shard(b)
    assert _family(a) == _family(b) == _family(shards)
    pre = faiss.IndexPreTransform(faiss.PCAMatrix(D, 8), faiss.IndexFlatL2(8))
    assert _family(pre) == _family(pre.index)
    read_back = faiss.deserialize_index(faiss.serialize_index(ivf))
    assert _family(read_back.quantizer) == _family(read_back) != _family(ivf)


def test_threads_search_composites_while_others_write_through_members():
    xb, xq = _data(2000, 1), _data(50, 2)
    # IVF: searches and adds through the index, reads through its quantizer.
    quantizer = faiss.IndexFlatL2(D)
    ivf = faiss.IndexIVFFlat(quantizer, D, 16)
    ivf.train(xb)
    ivf.add(xb[:500])
    ivf.nprobe = 4
    # Shards: searched as a set, each member added to through its own handle.
    members = [faiss.IndexFlatL2(D) for _ in range(2)]
    shards = faiss.IndexShards(D, True, True)
    for m in members:
        shards.add_shard(m)
    # A wrapper searched while its wrapped index grows.
    inner = faiss.IndexFlatL2(D)
    wrapper = faiss.IndexPreTransform(faiss.RandomRotationMatrix(D, D), inner)
    wrapper.train(xb)

    def search(index, rounds=40):
        def run():
            for _ in range(rounds):
                Dist, I = index.search(xq, 5)
                _check_results(Dist, I, 10_000)
        return run

    def add(index, rows, rounds=20):
        def run():
            for r in range(rounds):
                index.add(rows[r % len(rows): r % len(rows) + 25])
        return run

    def read_quantizer():
        for _ in range(200):
            assert quantizer.ntotal == 16
            quantizer.search(xq[:2], 1)

    _run_threads([
        search(ivf), search(ivf), add(ivf, xb[500:]), read_quantizer,
        search(shards), search(shards), add(members[0], xb), add(members[1], xb),
        search(wrapper), add(inner, xb), add(wrapper, xb),
    ])
    assert ivf.ntotal == 500 + 20 * 25
    assert shards.ntotal == sum(m.ntotal for m in members) == 2 * 20 * 25
    assert inner.ntotal == 2 * 20 * 25
    # Results after the storm equal a fresh single-threaded index's.
    fresh = faiss.IndexFlatL2(D)
    for m in members:
        fresh.add(m.reconstruct_n(0, m.ntotal))
    Dref, _ = fresh.search(xq, 5)
    Dsh, _ = shards.search(xq, 5)
    np.testing.assert_allclose(Dsh, Dref, rtol=1e-5)


def test_a_set_cannot_hold_itself_or_an_ancestor():
    inner, outer = faiss.IndexShards(D, False, True), faiss.IndexShards(D, False, True)
    with pytest.raises(ValueError, match="cannot hold itself"):
        inner.add_shard(inner)
    outer.add_shard(inner)
    with pytest.raises(ValueError, match="cannot hold itself"):
        inner.add_shard(outer)
    wrapped = faiss.IndexIDMap(outer)
    with pytest.raises(ValueError, match="cannot hold itself"):
        inner.add_shard(wrapped)
    replicas = faiss.IndexReplicas(D)
    with pytest.raises(ValueError, match="cannot hold itself"):
        replicas.add_replica(replicas)
    # Both sets still work.
    flat = faiss.IndexFlatL2(D)
    inner.add_shard(flat)
    outer.add(_data(10, 3))
    _, I = outer.search(_data(1, 3)[:1], 1)
    assert I[0, 0] >= 0


def test_freed_handle_raises_closed_index_error_from_go():
    index = faiss.IndexFlatL2(D)
    # Free the Go object behind the index's back: the next call finds the
    # handle closed in Go and says so with the closed-index class.
    _bridge.call("Free", index._handle)
    with pytest.raises(faiss.ClosedIndexError, match="closed"):
        index.search(_data(1, 0), 1)
    index._handle = None  # already freed


def test_a_map_out_of_step_with_its_index_says_so():
    # Writing to a member through its own handle is allowed (and locked);
    # an IDMap whose index grew behind its back refuses to misnumber.
    inner = faiss.IndexFlatL2(D)
    idmap = faiss.IndexIDMap(inner)
    idmap.add_with_ids(_data(3, 0), np.array([10, 11, 12]))
    inner.add(_data(2, 1))
    with pytest.raises(ValueError, match="the index holds 5 vectors but the map 3 ids"):
        idmap.search(_data(1, 2), 3)
    with pytest.raises(ValueError, match="added to or removed from the wrapped index directly"):
        idmap.range_search(_data(1, 2), 10.0)
