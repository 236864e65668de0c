"""Torch tensors in and out of metalfaiss (faiss.contrib.torch_utils).

Importing this module lets every index method take torch tensors where it
takes numpy arrays: ``index.add(x)``, ``index.search(xq, k)`` (results as
tensors, or into given ``D``, ``I`` tensors, which may also be given by
position as in faiss's torch mode), ``range_search``, ``assign``,
``train``, ``add_with_ids``, ``reconstruct`` / ``reconstruct_n`` (which
return tensors by default once this module is imported, as faiss's do),
``search_and_reconstruct``, ``sa_encode`` / ``sa_decode``,
``search_preassigned``, ``update_vectors``, and ``metalfaiss.knn``. Numpy
inputs keep their numpy results.

CPU tensors share memory with the arrays the index reads and writes (no
copy). Tensors on another device (metalfaiss computes on its own CPU and
GPU back ends) are copied to the CPU and the results copied back to that
device. Tensors must be contiguous; ``remove_ids`` takes numpy arrays only,
as in faiss."""

from __future__ import annotations

import functools

import numpy as np
import torch

import metalfaiss
from metalfaiss.index import Index
from metalfaiss.index_binary import IndexBinary
from .._typing import Any, ArrayLike, MetricLike, Optional

# method -> (names of the arguments it takes by position, the output
# arguments faiss's torch mode also takes by position after them)
_METHODS = {
    "add": (("x",), ()),
    "add_with_ids": (("x", "ids"), ()),
    "train": (("x",), ()),
    "search": (("x", "k"), ("D", "I")),
    "assign": (("x", "k", "labels"), ()),
    "range_search": (("x", "thresh"), ()),
    "reconstruct": (("key", "x"), ()),
    "reconstruct_n": (("n0", "ni", "x"), ()),
    "search_and_reconstruct": (("x", "k"), ("D", "I", "R")),
    "sa_encode": (("x", "codes"), ()),
    "sa_decode": (("codes", "x"), ()),
    "search_preassigned": (("x", "k", "Iq", "Dq"), ("D", "I")),
    "range_search_preassigned": (("x", "thresh", "Iq", "Dq"), ()),
    "update_vectors": (("keys", "x"), ()),
    "remove_ids": (("x",), ()),
}

# methods that return tensors even without tensor arguments, as faiss's
# torch mode does (a numpy output argument keeps numpy)
_TENSOR_BY_DEFAULT = {"reconstruct", "reconstruct_n"}


def _as_numpy(name, t, op):
    """A numpy view of CPU tensor t (a copy for other devices)."""
    if not t.is_contiguous():
        raise AssertionError(f"{op}: {name} is a non-contiguous tensor; call .contiguous() first")
    return t.detach().cpu().numpy()


class _Call:
    """The tensors of one call: their numpy stand-ins and the device the
    results go to."""

    def __init__(self, op: Any) -> None:
        self.op, self.device, self.outputs = op, None, []

    def convert(self, name: str, v: ArrayLike) -> Any:
        if not torch.is_tensor(v):
            return v
        if self.device is None:
            self.device = v.device
        a = _as_numpy(name, v, self.op)
        self.outputs.append((a, v))
        return a

    def result(self, r: Any, force_tensor: Any = False) -> Any:
        """r with its arrays turned back into tensors: an output tensor that
        was given comes back itself (filled)."""
        if isinstance(r, tuple):
            return tuple(self.result(x, force_tensor) for x in r)
        if not isinstance(r, np.ndarray) or (self.device is None and not force_tensor):
            return r
        for a, t in self.outputs:
            if np.shares_memory(r, a):
                if t.device.type != "cpu":  # the index wrote the CPU copy
                    t.copy_(torch.from_numpy(a))
                return t
        out = torch.from_numpy(r)
        return out if self.device is None else out.to(self.device)


def _torch_method(name, method):
    positional, extra = _METHODS[name]

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        op = f"{type(self).__name__}.{name}"
        if len(args) > len(positional):  # faiss's torch mode takes outputs by position
            names = extra[:len(args) - len(positional)]
            if len(names) < len(args) - len(positional):
                raise TypeError(f"{op}: takes at most {len(positional) + len(extra)} positional arguments")
            kwargs.update(zip(names, args[len(positional):]))
            args = args[:len(positional)]
        call = _Call(op)
        if name == "remove_ids" and any(torch.is_tensor(a) for a in (*args, *kwargs.values())):
            raise AssertionError(f"{op}: torch tensors are not supported here (as in faiss); pass a numpy array")
        args = [call.convert(positional[i], a) for i, a in enumerate(args)]
        kwargs = {k: call.convert(k, v) for k, v in kwargs.items()}
        numpy_output = any(isinstance(v, np.ndarray) for v in kwargs.values()) or \
            any(isinstance(a, np.ndarray) for a in args[1:])
        r = method(self, *args, **kwargs)
        return call.result(r, force_tensor=name in _TENSOR_BY_DEFAULT and not numpy_output)

    wrapper._torch_wrapped = True
    return wrapper


# what was replaced, so that _unpatch can put it back
_REPLACED = []


def _patch_class(cls):
    for name in _METHODS:
        method = cls.__dict__.get(name)
        if method is not None and callable(method) and not getattr(method, "_torch_wrapped", False):
            _REPLACED.append((cls, name, method))
            setattr(cls, name, _torch_method(name, method))


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _patch_all():
    for base in (Index, IndexBinary):
        for cls in (base, *_subclasses(base)):
            _patch_class(cls)


def torch_replacement_knn(xq: ArrayLike, xb: ArrayLike, k: int, metric: MetricLike = metalfaiss.METRIC_L2,
                          D: Optional[ArrayLike] = None, I: Optional[ArrayLike] = None, *, metric_arg: Any = 0.0
                         ) -> Any:
    """metalfaiss.knn for torch tensors (faiss: ``contrib.torch_utils.torch_replacement_knn``).

    numpy arrays pass through to metalfaiss.knn; tensors are copied to the
    CPU, searched, and the results returned as tensors on the inputs'
    device.

    Parameters
    ----------
    xq : (nq, d) tensor or array
        Queries.
    xb : (nb, d) tensor or array
        Database.
    k : int
        Results per query.
    metric : int or str
        ``METRIC_L2`` (default) or another metric knn takes.
    D : (nq, k) tensor, optional
        Filled with the distances.
    I : (nq, k) tensor, optional
        Filled with the ids.
    metric_arg : float
        The metric's argument (Lp's p).

    Returns
    -------
    D, I
        Tensors (or arrays for array inputs).
    """
    call = _Call("knn")
    xq, xb, D, I = (call.convert(n, v) for n, v in (("xq", xq), ("xb", xb), ("D", D), ("I", I)))
    Dr, Ir = _numpy_knn(xq, xb, k, metric, metric_arg)
    if D is not None:
        D[...] = Dr
        Dr = D
    if I is not None:
        I[...] = Ir
        Ir = I
    return call.result((Dr, Ir))


def _unpatch():
    """Undo this module's import (for test suites that must not leak torch
    mode into other tests); importing it again patches again."""
    import sys

    for cls, name, method in reversed(_REPLACED):
        setattr(cls, name, method)
    _REPLACED.clear()
    metalfaiss.knn = _numpy_knn
    sys.modules.pop(__name__, None)


_numpy_knn = metalfaiss.knn
_patch_all()
metalfaiss.knn = torch_replacement_knn
