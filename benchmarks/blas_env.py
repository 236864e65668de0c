"""Call restart() first: re-runs the benchmark without OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE, which this workplace sets and which would hold faiss's
OpenBLAS to another CPU's kernels and cache size (OpenBLAS reads them when
it loads, so they must be gone before numpy or faiss is imported)."""

import os
import sys

_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")



def restart():
    """Re-run this process without the overrides, if any is set."""
    if any(v in os.environ for v in _VARS):
        env = {k: v for k, v in os.environ.items() if k not in _VARS}
        os.execve(sys.executable, [sys.executable] + sys.argv, env)
