"""faiss's SIMDConfig and SIMDLevel_* constants, mapped onto metalfaiss's
kernel sets: NONE is pure Go, AVX2 and AVX512 the amd64 assembly, ARM_NEON
the arm64 one. The other levels faiss names exist here as numbers and are
never available."""

from __future__ import annotations

from . import _bridge
from ._arrays import as_int
from .errors import InvalidArgumentError
from ._typing import Any

SIMDLevel_NONE = 0
SIMDLevel_AVX2 = 1
SIMDLevel_AVX512 = 2
SIMDLevel_AVX512_SPR = 3
SIMDLevel_ARM_NEON = 4
SIMDLevel_ARM_SVE = 5
SIMDLevel_RISCV_RVV = 6
SIMDLevel_AVX512_VPOPCNT = 7
SIMDLevel_COUNT = 8

_KERNELS = {SIMDLevel_NONE: "go", SIMDLevel_AVX2: "avx2", SIMDLevel_AVX512: "avx512", SIMDLevel_ARM_NEON: "neon"}
_LEVELS = {name: level for level, name in _KERNELS.items()}
_NAMES = {SIMDLevel_NONE: "NONE", SIMDLevel_AVX2: "AVX2", SIMDLevel_AVX512: "AVX512",
          SIMDLevel_AVX512_SPR: "AVX512_SPR", SIMDLevel_ARM_NEON: "ARM_NEON", SIMDLevel_ARM_SVE: "ARM_SVE",
          SIMDLevel_RISCV_RVV: "RISCV_RVV", SIMDLevel_AVX512_VPOPCNT: "AVX512_VPOPCNT"}


def _available():
    return [_LEVELS[name] for name in _bridge.call("KernelLevels").split(",")]


class SIMDConfig:
    """Which CPU kernels run (faiss: ``SIMDConfig``).

    ``set_level(SIMDLevel_NONE)`` switches every kernel to pure Go (to
    compare results across levels, as faiss's tests do),
    ``set_level(get_dispatched_level())`` back to the best;
    ``get_level()``, ``supported_simd_levels()``,
    ``is_simd_level_available(level)``. As in faiss, switching while a
    search runs is not supported.
    """

    @staticmethod
    def is_simd_level_available(level: int) -> bool:
        """Whether this CPU and build run that SIMD level."""
        return as_int(level, "SIMDConfig.is_simd_level_available", "level") in _available()

    @staticmethod
    def supported_simd_levels() -> Any:
        """The available levels, lowest first."""
        return _available()

    @staticmethod
    def get_level() -> Any:
        """The SIMD level the kernels use now."""
        return _LEVELS[_bridge.call("KernelLevel")]

    @staticmethod
    def get_dispatched_level() -> Any:
        """The best level this machine runs (what is chosen at start-up
        unless METALFAISS_KERNELS caps it)."""
        return _available()[-1]

    auto_detect_simd_level = get_dispatched_level

    @staticmethod
    def set_level(level: int) -> None:
        """Make the kernels use that SIMD level (one this CPU has)."""
        level = as_int(level, "SIMDConfig.set_level", "level")
        if level not in _available():
            raise InvalidArgumentError(f"SIMDConfig.set_level: {get_level_name(level)} is not available here "
                                       f"(available: {[get_level_name(v) for v in _available()]})")
        _bridge.call("SetKernelLevel", _KERNELS[level])

    @staticmethod
    def get_level_name(level: int) -> str:
        """faiss's name of a SIMD level number ("NONE", "AVX2", ...)."""
        return get_level_name(level)

    @staticmethod
    def has_dynamic_dispatch() -> bool:
        """Kernels are chosen when the program starts, and set_level switches."""
        return True


def get_level_name(level: int) -> str:
    """faiss's name of a SIMD level number (faiss: ``SIMDConfig::get_level_name``).

    Parameters
    ----------
    level : int
        A SIMDLevel_* number.

    Returns
    -------
    str
        "NONE", "AVX2", "AVX512", "ARM_NEON", ... or "UNKNOWN(n)".
    """
    return _NAMES.get(as_int(level, "SIMDConfig.get_level_name", "level"), f"UNKNOWN({level})")
