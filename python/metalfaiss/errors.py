"""Exceptions raised by metalfaiss.

Every failure is a ``MetalFaissError`` (a ``RuntimeError``, as faiss raises),
and also the built-in class a Python caller would expect: bad values are
``ValueError``, wrong types ``TypeError``, unsupported operations
``NotImplementedError``.
"""

from __future__ import annotations
from ._typing import Any


class MetalFaissError(RuntimeError):
    """Base class of every metalfaiss error.

    (metalfaiss only: a RuntimeError, as faiss's C++ errors are, and the
    built-in classes in its bases; see the module doc.)
    """


class InvalidArgumentError(MetalFaissError, ValueError):
    """An argument has a value the operation cannot take.

    (metalfaiss only: a RuntimeError, as faiss's C++ errors are, and the
    built-in classes in its bases; see the module doc.)
    """


class CountError(InvalidArgumentError, AssertionError):
    """A count (k, n) that is not positive. Also an AssertionError, which is
    what faiss's Python layer raises for it (``assert k > 0``).

    (metalfaiss only: a RuntimeError, as faiss's C++ errors are, and the
    built-in classes in its bases; see the module doc.)
    """


class DimensionMismatchError(InvalidArgumentError):
    """Vector sizes disagree with the index or with each other.

    (metalfaiss only: a RuntimeError, as faiss's C++ errors are, and the
    built-in classes in its bases; see the module doc.)
    """


class InputTypeError(MetalFaissError, TypeError):
    """An argument has a type the operation cannot take.

    (metalfaiss only: a RuntimeError, as faiss's C++ errors are, and the
    built-in classes in its bases; see the module doc.)
    """


class NotTrainedError(MetalFaissError):
    """The index must be trained before this operation.

    (metalfaiss only: a RuntimeError, as faiss's C++ errors are, and the
    built-in classes in its bases; see the module doc.)
    """


class UnsupportedOperationError(MetalFaissError, NotImplementedError):
    """This index cannot do this operation.

    (metalfaiss only: a RuntimeError, as faiss's C++ errors are, and the
    built-in classes in its bases; see the module doc.)
    """


class ClosedIndexError(InvalidArgumentError):
    """The index was closed (or freed) and cannot be used any more.

    (metalfaiss only: a RuntimeError, as faiss's C++ errors are, and the
    built-in classes in its bases; see the module doc.)
    """


class ResultTooLargeError(InvalidArgumentError, MemoryError):
    """A call's result (n queries x k) cannot fit in memory; refused before
    anything is allocated.

    (metalfaiss only: a RuntimeError, as faiss's C++ errors are, and the
    built-in classes in its bases; see the module doc.)
    """


class OperationInterruptedError(MetalFaissError):
    """Ctrl-C stopped a long add or train; the index is as it was before the
    call. (Under Python's default SIGINT handler the caller sees the
    KeyboardInterrupt, raised while this one was being raised.)

    (metalfaiss only: a RuntimeError, as faiss's C++ errors are, and the
    built-in classes in its bases; see the module doc.)
    """


class InternalError(MetalFaissError):
    """A bug in metalfaiss (a recovered panic or a broken invariant): please
    report it with the message.

    (metalfaiss only: a RuntimeError, as faiss's C++ errors are, and the
    built-in classes in its bases; see the module doc.)
    """


class ForkedProcessError(MetalFaissError):
    """The Go runtime does not survive fork(); the child cannot use it.

    (metalfaiss only: a RuntimeError, as faiss's C++ errors are, and the
    built-in classes in its bases; see the module doc.)
    """


class GpuUnavailableError(MetalFaissError):
    """No usable GPU: no driver or device, or METALFAISS_BACKEND=cpu.

    (metalfaiss only: a RuntimeError, as faiss's C++ errors are, and the
    built-in classes in its bases; see the module doc.)
    """


class GpuError(MetalFaissError):
    """The GPU failed: a kernel did not compile, memory ran out, ...

    (metalfaiss only: a RuntimeError, as faiss's C++ errors are, and the
    built-in classes in its bases; see the module doc.)
    """


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
    """The exception a failed Go call's status stands for (metalfaiss only; internal).

    Turn a non-empty ``"<kind>|<message>"`` status into an exception.

    Parameters
    ----------
    status : str
        "<kind>|<message>".

    Returns
    -------
    MetalFaissError
        The exception of that kind (not raised).
    """
    kind, _, message = status.partition("|")
    return _BY_KIND.get(kind, MetalFaissError)(message or status)


class MetalFaissWarning(UserWarning):
    """A warning from metalfaiss (metalfaiss only: faiss prints these to stderr)."""
