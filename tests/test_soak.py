"""A short soak (the full one is benchmarks/soak.py): create / add / search
/ free cycles and index-file round trips keep resident memory and the
number of live Go handles flat."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "benchmarks"))
import soak  # noqa: E402


@pytest.mark.parametrize("cycles,file_cycles", [(20_000, 0), (0, 2_000)], ids=["indexes", "files"])
def test_memory_and_handles_stay_flat(cycles, file_cycles):
    (name, _, rss0, rss1, h0, h1, _), = soak.run(cycles, file_cycles, report=lambda line: None)
    assert h1 == h0, f"{name}: live handles {h0} -> {h1}"
    assert rss1 <= rss0 * 1.10, f"{name}: resident memory {rss0} -> {rss1} bytes"


def test_get_mem_usage_kb_follows_allocations():
    import numpy as np

    import metalfaiss as faiss

    before = faiss.get_mem_usage_kb()
    block = np.ones(64 * 2**20 // 8)  # 64 MiB, touched
    grown = faiss.get_mem_usage_kb() - before
    del block
    assert 60 * 1024 <= grown <= 80 * 1024, grown
