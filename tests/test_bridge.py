"""The gopy rules of DESIGN.md §5 that the Python layer enforces."""

import gc

import numpy as np

import metalfaiss as mf


def test_gopy_gc_hook_is_removed():
    # gopy runs a full Go GC on every Python GC pass unless we remove it.
    assert not [cb for cb in gc.callbacks if getattr(cb, "__name__", "") == "_gopy_gc_cb"]


def test_many_indexes_can_be_created_and_freed():
    for _ in range(200):
        with mf.IndexFlatL2(8) as index:
            index.add(np.ones((3, 8), np.float32))
            assert index.ntotal == 3
    index = mf.IndexFlatIP(4)
    del index  # freed by __del__
    gc.collect()


def test_kernel_set_is_named():
    import metalfaiss

    assert metalfaiss.kernel_set() in ("avx512+avx2", "avx2+fma", "neon", "go")
