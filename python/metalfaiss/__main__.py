"""``python -m metalfaiss``: the version, the CPU kernels, the GPU and how
the extension was built (for bug reports)."""

from __future__ import annotations

from . import __version__, gpu_info, kernel_set
from .errors import GpuUnavailableError
from .system import build_info


def main() -> None:
    """Print the version, kernels, GPU and build information (metalfaiss only: python -m metalfaiss)."""
    print(f"metalfaiss {__version__}")
    print(f"CPU kernels: {kernel_set()}")
    try:
        info = gpu_info()
        print(f"GPU: {info.get('name')} ({info.get('driver')}, {info.get('kind')})")
    except GpuUnavailableError as e:
        print(f"GPU: none ({e})")
    for key, value in build_info().items():
        print(f"build {key}: {value}")


if __name__ == "__main__":
    main()
