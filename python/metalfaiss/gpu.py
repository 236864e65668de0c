"""faiss's GPU names, on metalfaiss's GPU backend (Metal on macOS, Vulkan
elsewhere), so that faiss GPU code runs unchanged.

There is one device (``get_num_gpus()`` is 1 with a GPU, else 0). Memory is
managed by the driver, so ``StandardGpuResources``' settings are accepted
and have no effect. Searches with k up to 2048 (faiss's GPU limit) run on
the GPU; larger k, and metrics other than L2 and inner product, run on the
CPU copy that every GPU index keeps. L2 answers of GpuIndexFlat are
measured again on the host by direct differences, so distances equal the
CPU's; the IVF indexes are in gpu_ivf.py.
"""

from __future__ import annotations

import numpy as np

from . import _backend, _bridge
from ._arrays import addr, as_int
from ._handle import wrap
from .errors import InputTypeError, InvalidArgumentError
from .index import Index
from .index_flat import IndexFlat
from .metric import METRIC_INNER_PRODUCT, METRIC_L2, MetricType
from ._typing import Any, Optional, Sequence


def gpu_info() -> dict[str, Any]:
    """Which device and driver run GPU work, and the limits read from it (metalfaiss only).

    Returns
    -------
    dict
        ``driver`` ("metal" or "vulkan"), ``name``, ``kind`` ("discrete",
        "integrated", "cpu" for software drivers such as lavapipe) and
        ``max_*`` limits; ``{"driver": None, "reason": ...}`` without a GPU
        (never raises).
    """
    try:
        return _backend.info()
    except Exception as e:  # GpuUnavailableError, or a bad METALFAISS_BACKEND
        return {"driver": None, "reason": str(e)}


def get_num_gpus() -> int:
    """The number of GPUs metalfaiss can use (faiss: ``get_num_gpus``).

    Returns
    -------
    int
        1 when a GPU can be used (Metal on Apple Silicon, Vulkan elsewhere),
        else 0.
    """
    return 1 if _backend.available() else 0


class StandardGpuResources:
    """Per-GPU resources, accepted for faiss's code (faiss: ``StandardGpuResources``).

    The driver manages memory and streams, so the settings
    (``noTempMemory``, ``setTempMemory``, ``setPinnedMemory``, ...) are
    accepted for compatibility and change nothing.
    """

    def noTempMemory(self) -> None:
        """faiss's setting (accepted; the driver manages memory)."""
        pass

    def setTempMemory(self, size: int) -> None:
        """faiss's setting (accepted; the driver manages memory)."""
        pass

    def setPinnedMemory(self, size: int) -> None:
        """faiss's setting (accepted; the driver manages memory)."""
        pass

    def setDefaultNullStreamAllDevices(self) -> None:
        """faiss's setting (accepted; the driver manages streams)."""
        pass

    def setLogMemoryAllocations(self, enable: bool) -> None:
        """faiss's setting (accepted; nothing is logged)."""
        pass


class GpuIndexFlatConfig:
    """Settings of a GPU flat index (faiss: ``GpuIndexFlatConfig``).

    Attributes
    ----------
    device : int
        The GPU (must be 0: metalfaiss drives one).
    useFloat16 : bool
        Store the vectors as float16 (half the memory and bandwidth; the
        kernels still compute in float32, and reconstruct returns the rounded
        vectors). Default False.
    """

    def __init__(self) -> None:
        self.device = 0
        self.useFloat16 = False


class GpuClonerOptions:
    """Options of ``index_cpu_to_gpu`` (faiss: ``GpuClonerOptions``).

    Attributes
    ----------
    useFloat16 : bool
        Store the copy's vectors (flat) or lists (IVF-Flat) as float16.
        Default False.
    """

    def __init__(self) -> None:
        self.useFloat16 = False


class GpuMultipleClonerOptions(GpuClonerOptions):
    """Options of ``index_cpu_to_all_gpus`` (faiss: ``GpuMultipleClonerOptions``).

    With one device, sharding and replicating both make one copy.

    Attributes
    ----------
    useFloat16 : bool
        As in GpuClonerOptions.
    shard : bool
        Split the database over the GPUs (else replicate it).
    common_ivf_quantizer : bool
        Share one coarse quantizer between shards (accepted).
    """

    def __init__(self) -> None:
        super().__init__()
        self.shard = False
        self.common_ivf_quantizer = False


def _check_device(device, op):
    device = as_int(device, op, "device")
    n = get_num_gpus()
    if not 0 <= device < max(n, 1):
        raise InvalidArgumentError(f"{op}: device {device} does not exist (there are {n} GPUs)")
    return device


def _check_resources(res, op):
    if res is not None and not isinstance(res, StandardGpuResources):
        raise InputTypeError(f"{op}: resources must be a StandardGpuResources, got {type(res).__name__}")


def _check_config(config, op):
    """The config's device must exist; returns whether it asks for float16
    storage."""
    if config is None:
        return False
    _check_device(getattr(config, "device", 0), op)
    return bool(getattr(config, "useFloat16", False))


def _new_gpu_flat(d, metric, half):
    out = np.zeros(1, dtype=np.int64)
    _bridge.call("GpuIndexFlatNew", d, int(metric), half, addr(out))
    return int(out[0])


class GpuIndexFlat(Index):
    """Exact search on the GPU (faiss: ``GpuIndexFlat``).

    ``GpuIndexFlat(res, d, metric=METRIC_L2, config=None)``, or
    ``GpuIndexFlat(res, cpu_flat_index, config=None)`` for a copy of a CPU
    flat index. Same methods as IndexFlat. Memory: 4 * d bytes a vector of
    device memory (2 * d with ``config.useFloat16``).

    Parameters
    ----------
    res : StandardGpuResources or None
        faiss's resources object.
    d_or_index : int or IndexFlat
        The dimension, or the CPU index to copy.
    *args
        ``metric`` (with a dimension; the L2 and IP subclasses fix it), then
        ``config`` (a GpuIndexFlatConfig).

    Raises
    ------
    GpuUnavailableError
        No usable GPU (``gpu_info()`` says why).
    InvalidArgumentError
        A copied index of another metric than the subclass's.
    """

    _go_type = "GpuIndexFlat"
    _metric = None  # fixed by the L2 / IP subclasses

    @classmethod
    def _from_handle(cls, handle):
        obj = super()._from_handle(handle)
        obj.__class__ = _GPU_CLASS.get(obj.metric_type, obj.__class__)
        return obj

    def __init__(self, res: Optional[StandardGpuResources], d_or_index: int | Index, *args: Any) -> None:
        op = type(self).__name__
        _check_resources(res, op)
        args = list(args)
        if isinstance(d_or_index, IndexFlat) or (isinstance(d_or_index, Index) and _on_gpu(d_or_index)):
            config = args.pop(0) if args else None
            half = _check_config(config, op)
            src = d_or_index
            if self._metric is not None and src.metric_type != self._metric:
                raise InvalidArgumentError(f"{op}: the index has metric {src.metric_type}, not {int(self._metric)}")
            handle = _copy_to_gpu(src, op, half)
        else:
            metric = self._metric if self._metric is not None else (args.pop(0) if args else METRIC_L2)
            config = args.pop(0) if args else None
            if args:
                raise TypeError(f"{op}: too many arguments")
            half = _check_config(config, op)
            _backend.resolve(True, op)
            handle = _new_gpu_flat(as_int(d_or_index, op, "d"), MetricType.parse(metric), half)
        super().__init__(handle)

    def copyFrom(self, index: Index) -> None:
        """Replace the contents with those of a CPU flat index."""
        if index.d != self.d or index.metric_type != self.metric_type:
            raise InvalidArgumentError(f"{self._op('copyFrom')}: the index has d={index.d}, metric "
                                       f"{index.metric_type}; this one d={self.d}, metric {self.metric_type}")
        x = index.reconstruct_n(0, index.ntotal) if index.ntotal else None
        self.reset()
        if x is not None:
            self.add(x)

    def copyTo(self, index: Index) -> None:
        """Replace the contents of a CPU flat index with this one's."""
        if index.d != self.d or index.metric_type != self.metric_type:
            raise InvalidArgumentError(f"{self._op('copyTo')}: the index has d={index.d}, metric "
                                       f"{index.metric_type}; this one d={self.d}, metric {self.metric_type}")
        index.reset()
        if self.ntotal:
            index.add(self.reconstruct_n(0, self.ntotal))


class GpuIndexFlatL2(GpuIndexFlat):
    """Exact L2 search on the GPU (faiss: ``GpuIndexFlatL2``).

    GpuIndexFlat with squared Euclidean distance: ``GpuIndexFlatL2(res, d,
    config=None)`` or ``GpuIndexFlatL2(res, cpu_index_flat_l2, config=None)``
    (a copy). Memory per vector on the device: 4 * d bytes (2 * d with
    ``config.useFloat16``).

    Parameters
    ----------
    res : StandardGpuResources or None
        faiss's resources object.
    d_or_index : int or IndexFlatL2
        The dimension, or the CPU index to copy.
    *args
        ``config`` (a GpuIndexFlatConfig).

    Raises
    ------
    GpuUnavailableError
        No usable GPU (``gpu_info()`` says why).
    InvalidArgumentError
        A copied index of another metric.
    """

    _metric = METRIC_L2


class GpuIndexFlatIP(GpuIndexFlat):
    """Exact inner-product search on the GPU (faiss: ``GpuIndexFlatIP``).

    GpuIndexFlat with inner-product similarity: ``GpuIndexFlatIP(res, d,
    config=None)`` or ``GpuIndexFlatIP(res, cpu_index_flat_ip, config=None)``
    (a copy). Memory per vector on the device: 4 * d bytes (2 * d with
    ``config.useFloat16``).

    Parameters
    ----------
    res : StandardGpuResources or None
        faiss's resources object.
    d_or_index : int or IndexFlatIP
        The dimension, or the CPU index to copy.
    *args
        ``config`` (a GpuIndexFlatConfig).

    Raises
    ------
    GpuUnavailableError
        No usable GPU (``gpu_info()`` says why).
    InvalidArgumentError
        A copied index of another metric.
    """

    _metric = METRIC_INNER_PRODUCT


def _on_gpu(index):
    return _bridge.call("IndexOnGpu", index._h("on_gpu")) == "1"


def _copy_to_gpu(index, op, half=False):
    _backend.resolve(True, op)
    out = np.zeros(1, dtype=np.int64)
    if _on_gpu(index):  # a copy of a GPU index: through its host copy
        _bridge.call("GpuIndexToCPU", index._h(op), addr(out))
        with wrap(int(out[0]), Index, op) as cpu:
            _bridge.call("GpuIndexFromCPU", cpu._h(op), half, addr(out))
    else:
        _bridge.call("GpuIndexFromCPU", index._h(op), half, addr(out))
    return int(out[0])


_GPU_CLASS = {int(METRIC_L2): GpuIndexFlatL2, int(METRIC_INNER_PRODUCT): GpuIndexFlatIP}


def index_cpu_to_gpu(res: Optional[StandardGpuResources], device: int, index: Index,
                     options: Optional[GpuClonerOptions] = None) -> Index:
    """A GPU copy of a CPU index (faiss: ``index_cpu_to_gpu``).

    A flat index gives a GpuIndexFlat, an IVF-Flat, IVF-SQ or IVF-PQ one its
    GpuIndexIVF*; the CPU index is unchanged.

    Parameters
    ----------
    res : StandardGpuResources or None
        faiss's resources object (accepted; the driver manages memory).
    device : int
        The GPU (0: there is one).
    index : Index
        The CPU index.
    options : GpuClonerOptions, optional
        ``useFloat16``: float16 storage for flat and IVF-Flat.

    Returns
    -------
    Index
        The GPU index.

    Raises
    ------
    GpuUnavailableError
        No usable GPU (``gpu_info()`` says why).
    UnsupportedOperationError
        An index kind the GPU does not run.
    """
    op = "index_cpu_to_gpu"
    _check_resources(res, op)
    _check_device(device, op)
    if not isinstance(index, Index):
        raise InputTypeError(f"{op}: expected a metalfaiss index, got {type(index).__name__}")
    half = bool(getattr(options, "useFloat16", False)) if options is not None else False
    return wrap(_copy_to_gpu(index, op, half), Index, op)


def index_cpu_to_all_gpus(index: Index, co: Optional[GpuClonerOptions] = None, ngpu: int = -1) -> Index:
    """A GPU copy of a CPU index on every GPU (faiss: ``index_cpu_to_all_gpus``).

    metalfaiss drives one device, so this is ``index_cpu_to_gpu`` on it.

    Parameters
    ----------
    index : Index
        The CPU index (flat, IVF-Flat, IVF-SQ or IVF-PQ).
    co : GpuClonerOptions or GpuMultipleClonerOptions, optional
        ``useFloat16``: float16 storage for flat and IVF-Flat.
    ngpu : int
        Accepted for faiss's signature (-1: all, which is one).

    Returns
    -------
    Index
        The GPU index.

    Raises
    ------
    GpuUnavailableError
        No usable GPU (``gpu_info()`` says why).
    UnsupportedOperationError
        An index kind the GPU does not run.
    """
    return index_cpu_to_gpu(None, 0, index, co)


def index_cpu_to_gpus_list(index: Index, co: Optional[GpuClonerOptions] = None, gpus: Optional[Sequence[int]] = None,
                           ngpu: int = -1) -> Index:
    """A GPU copy of a CPU index on the listed GPUs (faiss: ``index_cpu_to_gpus_list``).

    metalfaiss drives one device, so this is ``index_cpu_to_gpu`` on the
    first listed.

    Parameters
    ----------
    index : Index
        The CPU index (flat, IVF-Flat, IVF-SQ or IVF-PQ).
    co : GpuClonerOptions or GpuMultipleClonerOptions, optional
        ``useFloat16``: float16 storage for flat and IVF-Flat.
    gpus : sequence of int, optional
        Device numbers (0 is the one there is).
    ngpu : int
        Accepted for faiss's signature.

    Returns
    -------
    Index
        The GPU index.

    Raises
    ------
    GpuUnavailableError
        No usable GPU (``gpu_info()`` says why).
    InvalidArgumentError
        A device other than 0.
    UnsupportedOperationError
        An index kind the GPU does not run.
    """
    device = (gpus or [0])[0]
    return index_cpu_to_gpu(None, device, index, co)


def index_gpu_to_cpu(index: Index) -> Index:
    """A CPU copy of a GPU index (faiss: ``index_gpu_to_cpu``).

    Parameters
    ----------
    index : Index
        A GPU index (a CPU index is copied as it is).

    Returns
    -------
    Index
        The CPU index, with the same vectors, lists and settings.
    """
    op = "index_gpu_to_cpu"
    if not isinstance(index, Index):
        raise InputTypeError(f"{op}: expected a metalfaiss index, got {type(index).__name__}")
    out = np.zeros(1, dtype=np.int64)
    if _on_gpu(index):
        _bridge.call("GpuIndexToCPU", index._h(op), addr(out))
        return wrap(int(out[0]), Index, op)
    cpu = IndexFlat(index.d, index.metric_type)
    if index.ntotal:
        cpu.add(index.reconstruct_n(0, index.ntotal))
    return cpu


def _plant_broken_kernel(name):
    """Tests only: replace a kernel with a damaged copy until _restore_kernels()."""
    _bridge.call("GpuPlantBrokenKernel", name)


def _restore_kernels():
    _bridge.call("GpuRestoreKernels")
