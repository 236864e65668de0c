"""What the GPU tests share: a fixture that gives the GPU or skips, and the
rule that `make test` (METALFAISS_REQUIRE_GPU=1) fails instead of skipping,
since CI installs lavapipe so that every kernel runs."""

import os

import pytest

import metalfaiss as mf


@pytest.fixture
def gpu():
    info = mf.gpu_info()
    if info["driver"] is None:
        if os.environ.get("METALFAISS_REQUIRE_GPU") == "1" and os.environ.get("METALFAISS_BACKEND", "") != "cpu":
            pytest.fail(f"METALFAISS_REQUIRE_GPU=1 but no GPU: {info['reason']}")
        pytest.skip(f"no GPU: {info['reason']}")
    return info
