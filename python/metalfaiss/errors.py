"""Exceptions raised by metalfaiss.

Every failure is a ``MetalFaissError`` (a ``RuntimeError``, as faiss raises),
and also the built-in class a Python caller would expect: bad values are
``ValueError``, wrong types ``TypeError``, unsupported operations
``NotImplementedError``.
"""

from __future__ import annotations
from ._typing import Any


class MetalFaissError(RuntimeError):
    """Base class of every metalfaiss error."""


class InvalidArgumentError(MetalFaissError, ValueError):
    """An argument has a value the operation cannot take."""


class CountError(InvalidArgumentError, AssertionError):
    """A count (k, n) that is not positive. Also an AssertionError, which is
    what faiss's Python layer raises for it (``assert k > 0``)."""


class DimensionMismatchError(InvalidArgumentError):
    """Vector sizes disagree with the index or with each other."""


class InputTypeError(MetalFaissError, TypeError):
    """An argument has a type the operation cannot take."""


class NotTrainedError(MetalFaissError):
    """The index must be trained before this operation."""


class UnsupportedOperationError(MetalFaissError, NotImplementedError):
    """This index cannot do this operation."""


class ClosedIndexError(InvalidArgumentError):
    """The index was closed (or freed) and cannot be used any more."""


class ResultTooLargeError(InvalidArgumentError, MemoryError):
    """A call's result (n queries x k) cannot fit in memory; refused before
    anything is allocated."""


class OperationInterruptedError(MetalFaissError):
    """Ctrl-C stopped a long add or train; the index is as it was before the
    call. (Under Python's default SIGINT handler the caller sees the
    KeyboardInterrupt, raised while this one was being raised.)"""


class InternalError(MetalFaissError):
    """A bug in metalfaiss (a recovered panic or a broken invariant): please
    report it with the message."""


class ForkedProcessError(MetalFaissError):
    """The Go runtime does not survive fork(); the child cannot use it."""


class GpuUnavailableError(MetalFaissError):
    """No usable GPU: no driver or device, or METALFAISS_BACKEND=cpu."""


class GpuError(MetalFaissError):
    """The GPU failed: a kernel did not compile, memory ran out, ..."""


# Kinds sent by the Go side (core.ErrorKind.String) mapped to classes.
_BY_KIND = {
    "invalid": InvalidArgumentError,
    "dimension": DimensionMismatchError,
    "not_trained": NotTrainedError,
    "unsupported": UnsupportedOperationError,
    "closed": ClosedIndexError,
    "internal": InternalError,
    "interrupted": OperationInterruptedError,
    "gpu_unavailable": GpuUnavailableError,
    "gpu": GpuError,
}


def error_from_status(status: Any) -> Any:
    """Turn a non-empty ``"<kind>|<message>"`` status into an exception."""
    kind, _, message = status.partition("|")
    return _BY_KIND.get(kind, MetalFaissError)(message or status)


class MetalFaissWarning(UserWarning):
    """A warning from metalfaiss (faiss prints these to stderr)."""
