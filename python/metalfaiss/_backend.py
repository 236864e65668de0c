"""Which device runs what: ``METALFAISS_BACKEND`` and the GPU's presence.

``METALFAISS_BACKEND=cpu`` switches the GPU off everywhere (GPU classes raise
GpuUnavailableError); ``=gpu`` puts flat indexes (L2 and inner product) and
k-means on the GPU wherever they are created, so the whole test suite runs
there; unset, the CPU runs everything except what asks for the GPU
(``GpuIndexFlat*``, ``index_cpu_to_gpu``, ``Kmeans(gpu=True)``) and
``AnyClustering``, which uses a hardware GPU when there is one.
"""

import os

from . import _bridge
from .errors import GpuUnavailableError, InvalidArgumentError

ENV = "METALFAISS_BACKEND"

_info = None


def setting():
    """"cpu", "gpu" or "" (unset), from METALFAISS_BACKEND."""
    value = os.environ.get(ENV, "").strip().lower()
    if value not in ("", "cpu", "gpu"):
        raise InvalidArgumentError(f"{ENV}={value!r}: expected 'cpu' or 'gpu'")
    return value


def info():
    """The device's description (a dict), or raise GpuUnavailableError."""
    global _info
    if setting() == "cpu":
        raise GpuUnavailableError(f"{ENV}=cpu switches the GPU off")
    if _info is None:
        text = _bridge.call("GpuInfo")
        _info = {}
        for line in text.splitlines():
            key, _, value = line.partition("=")
            _info[key] = int(value) if value.isdigit() else value
    return dict(_info)


def available():
    """Whether a GPU can be used (a software one such as lavapipe counts)."""
    try:
        info()
        return True
    except GpuUnavailableError:
        return False


def hardware_available():
    """Whether a GPU that is real hardware can be used."""
    return available() and info()["kind"] != "cpu"


def default_gpu():
    """Whether objects that may run on either device start on the GPU."""
    return setting() == "gpu"


def resolve(requested, op):
    """The device for a caller's choice: True requires the GPU, False the
    CPU, None follows METALFAISS_BACKEND (and otherwise prefers hardware
    GPUs). Returns True for the GPU."""
    if requested is None:
        if setting() == "gpu":
            return True
        return setting() != "cpu" and hardware_available()
    if requested:
        try:
            info()
        except GpuUnavailableError as e:
            raise GpuUnavailableError(f"{op}: the GPU was asked for: {e}") from None
        return True
    return False
