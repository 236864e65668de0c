"""The GPU cases of test_gpu.py, run on macOS, where they must go through
the Metal driver: the first Mac that runs `make test` validates it."""

import sys

import pytest

import metalfaiss as mf

if sys.platform != "darwin":
    pytest.skip("the Metal driver exists on macOS only", allow_module_level=True)

from test_gpu import *  # noqa: E402,F401,F403  (the same cases, collected here too)


def test_metal_is_the_driver(gpu):
    assert mf.gpu_info()["driver"] == "metal"
