"""What the running library uses."""

from . import _bridge


def kernel_set():
    """The CPU kernels in use: "avx2+fma", "neon" or "go" (no SIMD)."""
    return _bridge.call_text("KernelSet")
