"""The result loops that every search entry point shares: k-NN results
written into (n, k) arrays block by block, and range results fetched from
Go per block and joined."""

import numpy as np

from . import _bridge
from ._arrays import addr, check_result_size, out_array
from ._interrupt import in_blocks, range_in_blocks


def knn_results(op, n, k, D, I, call, pace, dist_dtype=np.float32):
    """Fill (or allocate) D (n, k) and I (n, k); call(lo, hi, D_addr, I_addr)
    runs queries lo..hi-1 in Go."""
    check_result_size(op, n, k)
    D = out_array(D, (n, k), dist_dtype, op, "D")
    I = out_array(I, (n, k), np.int64, op, "I")
    in_blocks(n, lambda lo, hi: call(lo, hi, addr(D[lo:]), addr(I[lo:])), pace)
    return D, I


def range_results(n, call, pace, fetch="RangeResultFetch", dist_dtype=np.float32):
    """(lims as uint64, D, I) of a range search; call(lo, hi, out_addr) runs
    queries lo..hi-1 in Go and leaves (result handle, total) in out."""

    def run(lo, hi):
        out = np.zeros(2, dtype=np.int64)
        call(lo, hi, addr(out))
        total = int(out[1])
        return _bridge.fetch(int(out[0]), fetch, hi - lo,
                             (hi - lo + 1, np.int64), (total, dist_dtype), (total, np.int64))

    lims, D, I = range_in_blocks(n, run, pace)
    return lims.view(np.uint64), D, I  # faiss returns lims as uint64
