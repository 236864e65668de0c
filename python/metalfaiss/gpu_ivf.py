"""faiss's GPU IVF indexes on metalfaiss's GPU backend.

``GpuIndexIVFFlat`` keeps an IVF-Flat index on the host (training, adds,
list edits, reconstruct, range search and what ``index_gpu_to_cpu``
copies) with a ``GpuIndexFlat`` coarse quantizer, so that training runs
k-means on the GPU and adds assign there, and mirrors its lists on the
device, where k-NN search runs: each probed list is read once for all the
queries of a batch that probe it. After a change to the lists the device
copy is sent again at the next search. Searches with k above 2048, with an
ID selector or early-stop limits (``SearchParametersIVF`` max_codes and
the like), and metrics other than L2 and inner product run on the host
copy. ``index_cpu_to_gpu`` with ``GpuClonerOptions.useFloat16`` stores the
lists as float16 (the host copy's vectors rounded alike).
"""

import numpy as np

from . import _backend, _bridge
from ._arrays import addr, as_int
from .errors import InputTypeError, InvalidArgumentError
from .gpu import GpuIndexFlatConfig, _check_config, _check_resources, _copy_to_gpu, _on_gpu
from .index import Index
from .index_ivf import IndexIVFFlat
from .metric import METRIC_L2, MetricType

INDICES_CPU, INDICES_IVF, INDICES_32_BIT, INDICES_64_BIT = 0, 1, 2, 3


class GpuIndexIVFConfig:
    """faiss's IVF config: ``device`` (0), ``indicesOptions`` (ids are
    kept as 64-bit on the host whatever it says), ``flatConfig`` (the
    quantizer's config). Float16 lists come from index_cpu_to_gpu with
    ``GpuClonerOptions.useFloat16``."""

    def __init__(self):
        self.device = 0
        self.indicesOptions = INDICES_64_BIT
        self.flatConfig = GpuIndexFlatConfig()


class GpuIndexIVFFlatConfig(GpuIndexIVFConfig):
    """faiss's GpuIndexIVFFlat config; ``interleavedLayout`` is accepted
    (the device layout is the kernel's own)."""

    def __init__(self):
        super().__init__()
        self.interleavedLayout = True


class GpuIndexIVFFlat(IndexIVFFlat):
    """IVF-Flat search on the GPU, as faiss spells it:
    ``GpuIndexIVFFlat(res, d, nlist, metric=METRIC_L2, config=None)``,
    ``GpuIndexIVFFlat(res, quantizer, d, nlist, metric=METRIC_L2,
    config=None)`` (a trained flat quantizer's centroids are copied to the
    index's GPU quantizer) or ``GpuIndexIVFFlat(res, cpu_ivf_flat,
    config=None)`` (a copy). Same methods and fields as IndexIVFFlat."""

    _go_type = "GpuIndexIVFFlat"

    def __init__(self, res, *args):
        op = type(self).__name__
        _check_resources(res, op)
        if not args:
            raise TypeError(f"{op}: expected d and nlist, a quantizer, d and nlist, or an IndexIVFFlat")
        args = list(args)
        first = args.pop(0)
        if isinstance(first, IndexIVFFlat):
            config = args.pop(0) if args else None
            _check_args(op, args, config)
            self._adopt(_copy_to_gpu(first, op))
            return
        quantizer = None
        if isinstance(first, Index):
            quantizer, first = first, (args.pop(0) if args else None)
        d = as_int(first, op, "d")
        if not args:
            raise TypeError(f"{op}: nlist is required")
        nlist = as_int(args.pop(0), op, "nlist")
        metric = MetricType.parse(args.pop(0) if args else METRIC_L2)
        config = args.pop(0) if args else None
        _check_args(op, args, config)
        _backend.resolve(True, op)
        out = np.zeros(1, dtype=np.int64)
        _bridge.call("GpuIndexIVFFlatNew", d, nlist, int(metric), addr(out))
        self._adopt(int(out[0]))
        if quantizer is not None:
            self._take_centroids(op, quantizer, nlist)

    def _take_centroids(self, op, quantizer, nlist):
        if quantizer.d != self.d:
            raise InvalidArgumentError(f"{op}: the quantizer has d={quantizer.d}, the index d={self.d}")
        if quantizer.ntotal == 0:
            return  # trained with the index
        if quantizer.ntotal != nlist:
            raise InvalidArgumentError(f"{op}: the quantizer holds {quantizer.ntotal} centroids, nlist is {nlist}")
        self.quantizer.add(quantizer.reconstruct_n(0, nlist))

    def copyFrom(self, index):
        """Replace everything with a copy of a CPU IndexIVFFlat."""
        if not isinstance(index, IndexIVFFlat) or _on_gpu(index):
            raise InputTypeError(f"{self._op('copyFrom')}: expected a CPU IndexIVFFlat, got {type(index).__name__}")
        fresh = _copy_to_gpu(index, self._op("copyFrom"))
        old, self._handle = self._handle, None
        self._adopt(fresh)
        _bridge.call("Free", old)


def _check_args(op, rest, config):
    if rest:
        raise TypeError(f"{op}: too many arguments")
    _check_config(config, op)
