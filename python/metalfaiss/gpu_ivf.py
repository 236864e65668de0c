"""faiss's GPU IVF indexes on metalfaiss's GPU backend.

``GpuIndexIVFFlat`` (and ``GpuIndexIVFScalarQuantizer``, QT_8bit,
QT_8bit_uniform and QT_fp16 codes, decoded in the scan, and
``GpuIndexIVFPQ``, 8-bit codes, each query's distance table built per
probed list on the device) keeps an IVF index on the host (training, adds,
list edits, reconstruct, range search and what ``index_gpu_to_cpu``
copies) with a ``GpuIndexFlat`` coarse quantizer, so that training runs
k-means on the GPU and adds assign there, and mirrors its lists on the
device, where k-NN search runs: each probed list is read once for all the
queries of a batch that probe it. After a change to the lists the device
copy is sent again at the next search. Searches with k above 2048, with an
ID selector or early-stop limits (``SearchParametersIVF`` max_codes and
the like), polysemous_ht > 0, nprobe above 2048 (which faiss's GPU
refuses), and metrics other than L2 and inner product run on the host
copy. ``index_cpu_to_gpu`` with ``GpuClonerOptions.useFloat16`` stores
the lists as float16 (the host copy's vectors rounded alike).
"""

from __future__ import annotations

import numpy as np

from . import _backend, _bridge
from ._arrays import addr, as_int
from .errors import InputTypeError, InvalidArgumentError
from .gpu import GpuIndexFlatConfig, _check_config, _check_resources, _copy_to_gpu, _on_gpu
from .index import Index
from .index_ivf import IndexIVFFlat, IndexIVFPQ, IndexIVFScalarQuantizer
from .metric import METRIC_L2, MetricType
from ._typing import Any

INDICES_CPU, INDICES_IVF, INDICES_32_BIT, INDICES_64_BIT = 0, 1, 2, 3


class GpuIndexIVFConfig:
    """Settings shared by the GPU IVF indexes (faiss: ``GpuIndexIVFConfig``).

    Float16 lists come from ``index_cpu_to_gpu`` with
    ``GpuClonerOptions.useFloat16``.

    Attributes
    ----------
    device : int
        The GPU (0).
    indicesOptions : int
        faiss's id storage option; ids are kept as 64-bit on the host
        whatever it says.
    flatConfig : GpuIndexFlatConfig
        The coarse quantizer's settings.
    """

    def __init__(self) -> None:
        self.device = 0
        self.indicesOptions = INDICES_64_BIT
        self.flatConfig = GpuIndexFlatConfig()


class GpuIndexIVFFlatConfig(GpuIndexIVFConfig):
    """Settings of a GpuIndexIVFFlat (faiss: ``GpuIndexIVFFlatConfig``).

    Attributes
    ----------
    interleavedLayout : bool
        Accepted (the device layout is the kernel's own).
    """

    def __init__(self) -> None:
        super().__init__()
        self.interleavedLayout = True


class GpuIndexIVFFlat(IndexIVFFlat):
    """IVF-Flat search on the GPU (faiss: ``GpuIndexIVFFlat``).

    ``GpuIndexIVFFlat(res, d, nlist, metric=METRIC_L2, config=None)``,
    ``GpuIndexIVFFlat(res, quantizer, d, nlist, metric=METRIC_L2,
    config=None)`` (a trained flat quantizer's centroids are copied to the
    index's GPU quantizer) or ``GpuIndexIVFFlat(res, cpu_ivf_flat,
    config=None)`` (a copy). Same methods and fields as IndexIVFFlat; the
    lists live on the device (float16 with ``config.useFloat16``) and a batch
    scans each probed list once for all the queries that probe it. Memory
    per vector on the device: 4 * d bytes (2 * d in float16) and an 8-byte
    id.

    Parameters
    ----------
    res : StandardGpuResources or None
        faiss's resources object (accepted; the driver manages memory).
    *args
        ``d, nlist, metric, config``; or ``quantizer, d, nlist, metric,
        config``; or ``cpu_index, config`` (an IndexIVFFlat to copy). config
        is a GpuIndexIVFFlatConfig.

    Raises
    ------
    GpuUnavailableError
        No usable GPU.
    InvalidArgumentError
        nlist below 1, an unsupported metric, or k above the GPU's limit at
        search.
    """

    _go_type = "GpuIndexIVFFlat"

    def __init__(self, res: Any, *args: Any) -> None:
        _init_gpu_ivf(self, res, args, IndexIVFFlat, ["nlist"], self._new)

    @staticmethod
    def _new(d, nlist, metric=METRIC_L2, config=None):
        _check_config(config, "GpuIndexIVFFlat")
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("GpuIndexIVFFlatNew", d, nlist, int(MetricType.parse(metric)), addr(out))
        return int(out[0])

    def copyFrom(self, index: Index) -> None:
        """Replace everything with a copy of a CPU IndexIVFFlat."""
        if not isinstance(index, IndexIVFFlat) or _on_gpu(index):
            raise InputTypeError(f"{self._op('copyFrom')}: expected a CPU IndexIVFFlat, got {type(index).__name__}")
        fresh = _copy_to_gpu(index, self._op("copyFrom"))
        old, self._handle = self._handle, None
        self._adopt(fresh)
        _bridge.call("Free", old)


def _init_gpu_ivf(index, res, args, cpu_type, required, new):
    """faiss's three constructor forms: (res, cpu_index, config=None) copies;
    (res, [quantizer,] d, *required, ...) makes a new index through new(d,
    *ints, *rest), a trained quantizer's centroids then copied in."""
    op = type(index).__name__
    _check_resources(res, op)
    args = list(args)
    if args and isinstance(args[0], cpu_type):
        if len(args) > 2:
            raise TypeError(f"{op}: too many arguments")
        _check_config(args[1] if len(args) > 1 else None, op)
        index._adopt(_copy_to_gpu(args[0], op))
        return
    quantizer = args.pop(0) if args and isinstance(args[0], Index) else None
    if len(args) < 1 + len(required):
        raise TypeError(f"{op}: expected d and {', '.join(required)} (after an optional quantizer), or a {cpu_type.__name__}")
    ints = [as_int(v, op, name) for v, name in zip(args, ["d"] + required)]
    rest = args[len(ints):]
    _backend.resolve(True, op)
    index._adopt(new(*ints, *rest))
    if quantizer is not None:
        _take_centroids(index, op, quantizer, ints[1])


def _take_centroids(index, op, quantizer, nlist):
    """A trained flat quantizer's centroids become the index's (faiss uses
    the quantizer object itself; its GPU copy here is the index's own)."""
    if quantizer.d != index.d:
        raise InvalidArgumentError(f"{op}: the quantizer has d={quantizer.d}, the index d={index.d}")
    if quantizer.ntotal == 0:
        return  # trained with the index
    if quantizer.ntotal != nlist:
        raise InvalidArgumentError(f"{op}: the quantizer holds {quantizer.ntotal} centroids, nlist is {nlist}")
    index.quantizer.add(quantizer.reconstruct_n(0, nlist))


class GpuIndexIVFScalarQuantizerConfig(GpuIndexIVFConfig):
    """Settings of a GpuIndexIVFScalarQuantizer (faiss: ``GpuIndexIVFScalarQuantizerConfig``).

    Attributes
    ----------
    interleavedLayout : bool
        Accepted (the device keeps the codes as the host stores them).
    """

    def __init__(self) -> None:
        super().__init__()
        self.interleavedLayout = True


class GpuIndexIVFScalarQuantizer(IndexIVFScalarQuantizer):
    """IVF scalar-quantizer search on the GPU (faiss: ``GpuIndexIVFScalarQuantizer``).

    ``GpuIndexIVFScalarQuantizer(res, d, nlist, qtype, metric=METRIC_L2,
    encodeResidual=True, config=None)``, the same after a ``quantizer``
    first argument (a trained flat quantizer's centroids are copied), or
    ``GpuIndexIVFScalarQuantizer(res, cpu_ivf_sq, config=None)`` (a copy).
    qtype is QT_8bit, QT_8bit_uniform or QT_fp16. Same methods and fields
    as IndexIVFScalarQuantizer. Memory per vector on the device: d bytes
    (2 * d for QT_fp16) and an 8-byte id.

    Parameters
    ----------
    res : StandardGpuResources or None
        faiss's resources object (accepted; the driver manages memory).
    *args
        ``d, nlist, qtype, metric, encodeResidual, config``; the same after
        a ``quantizer``; or ``cpu_index, config`` (an
        IndexIVFScalarQuantizer to copy). config is a
        GpuIndexIVFScalarQuantizerConfig.

    Raises
    ------
    GpuUnavailableError
        No usable GPU.
    UnsupportedOperationError
        Another qtype.
    InvalidArgumentError
        nlist below 1.
    """

    _go_type = "GpuIndexIVFScalarQuantizer"

    def __init__(self, res: Any, *args: Any) -> None:
        _init_gpu_ivf(self, res, args, IndexIVFScalarQuantizer, ["nlist", "qtype"], self._new)

    @staticmethod
    def _new(d, nlist, qtype, metric=METRIC_L2, encodeResidual=True, config=None):
        _check_config(config, "GpuIndexIVFScalarQuantizer")
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("GpuIndexIVFSQNew", d, nlist, qtype, int(MetricType.parse(metric)), bool(encodeResidual), addr(out))
        return int(out[0])


class GpuIndexIVFPQConfig(GpuIndexIVFConfig):
    """Settings of a GpuIndexIVFPQ (faiss: ``GpuIndexIVFPQConfig``).

    Attributes
    ----------
    usePrecomputedTables : bool
        Accepted: the device builds each query's table whole, so this
        changes no result.
    useFloat16LookupTables : bool
        Accepted: tables stay float32 here.
    interleavedLayout : bool
        Accepted.
    useMMCodeDistance : bool
        Accepted.
    """

    def __init__(self) -> None:
        super().__init__()
        self.usePrecomputedTables = False
        self.useFloat16LookupTables = False
        self.interleavedLayout = True
        self.useMMCodeDistance = False


class GpuIndexIVFPQ(IndexIVFPQ):
    """IVF-PQ search on the GPU (faiss: ``GpuIndexIVFPQ``).

    ``GpuIndexIVFPQ(res, d, nlist, M, nbitsPerIdx=8, metric=METRIC_L2,
    config=None)``, the same after a ``quantizer`` first argument (a
    trained flat quantizer's centroids are copied), or
    ``GpuIndexIVFPQ(res, cpu_ivf_pq, config=None)`` (a copy). Codes of 8
    bits; same methods and fields as IndexIVFPQ. Memory per vector on the
    device: M bytes and an 8-byte id.

    Parameters
    ----------
    res : StandardGpuResources or None
        faiss's resources object (accepted; the driver manages memory).
    *args
        ``d, nlist, M, nbitsPerIdx, metric, config``; the same after a
        ``quantizer``; or ``cpu_index, config`` (an IndexIVFPQ to copy).
        config is a GpuIndexIVFPQConfig.

    Raises
    ------
    GpuUnavailableError
        No usable GPU.
    UnsupportedOperationError
        nbitsPerIdx other than 8.
    InvalidArgumentError
        M does not divide d, or nlist below 1.
    """

    _go_type = "GpuIndexIVFPQ"

    def __init__(self, res: Any, *args: Any) -> None:
        _init_gpu_ivf(self, res, args, IndexIVFPQ, ["nlist", "M"], self._new)

    @staticmethod
    def _new(d, nlist, M, nbitsPerIdx=8, metric=METRIC_L2, config=None):
        op = "GpuIndexIVFPQ"
        _check_config(config, op)
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("GpuIndexIVFPQNew", d, nlist, M, as_int(nbitsPerIdx, op, "nbitsPerIdx"),
                     int(MetricType.parse(metric)), addr(out))
        return int(out[0])
