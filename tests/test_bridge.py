"""The gopy rules of DESIGN.md §5 that the Python layer enforces."""

import gc

import numpy as np

import metalfaiss as mf
from metalfaiss import _bridge


def test_gopy_gc_hook_is_removed():
    # gopy runs a full Go GC on every Python GC pass unless we remove it.
    assert not [cb for cb in gc.callbacks if getattr(cb, "__name__", "") == "_gopy_gc_cb"]


def _open_handles():
    gc.collect()  # objects of earlier tests may still wait for collection
    return int(_bridge.call("OpenHandles"))


def test_many_indexes_can_be_created_and_freed():
    before = _open_handles()
    for _ in range(200):
        with mf.IndexFlatL2(8) as index:
            index.add(np.ones((3, 8), np.float32))
            assert index.ntotal == 3
            assert _open_handles() == before + 1
    assert _open_handles() == before, "closing frees the Go index"
    index = mf.IndexFlatIP(4)
    assert _open_handles() == before + 1
    del index  # freed by __del__
    gc.collect()
    assert _open_handles() == before, "garbage collection frees the Go index"


def test_composites_free_their_parts():
    before = _open_handles()
    ivf = mf.index_factory(8, "IDMap2,IVF4,Flat")
    back = mf.deserialize_index(mf.serialize_index(ivf))  # parts wrapped: more handles
    assert _open_handles() > before
    del ivf, back
    gc.collect()
    assert _open_handles() == before


def test_kernel_set_is_named():
    import metalfaiss

    assert metalfaiss.kernel_set() in ("avx512+avx2", "avx2+fma", "neon", "go")
