"""Index files in faiss's format: write_index / read_index, serialize_index
/ deserialize_index, clone_index, and pickling of indexes."""

from __future__ import annotations

import os
import tempfile
from typing import TYPE_CHECKING, BinaryIO, Union

import numpy as np

from . import _bridge
from ._arrays import addr, as_int
from ._handle import wrap
from ._serial import deserialize, serialize
from .errors import InputTypeError, InvalidArgumentError, MetalFaissError
from .index import Index
from .index_binary import IndexBinary
from .io_objects import IOReader, IOWriter
from .transforms import VectorTransform
from ._typing import ArrayLike, Optional, UInt8Array

if TYPE_CHECKING:
    from .quantizers import ProductQuantizer

# Where an index is written (a path, a binary file object or an IOWriter)
# or read from.
WriteTarget = Union[str, "os.PathLike[str]", BinaryIO, IOWriter]
ReadSource = Union[str, "os.PathLike[str]", BinaryIO, IOReader]

# faiss's io_flags. With IO_FLAG_MMAP a file is mapped privately instead of
# read: vectors (where aligned in the file) and codes stay in the mapping,
# and changes to the index copy what they touch, never writing the file.
# READ_ONLY holds either way.
IO_FLAG_SKIP_STORAGE = 1
IO_FLAG_READ_ONLY = 2
IO_FLAG_ONDISK_SAME_DIR = 4
IO_FLAG_SKIP_IVF_DATA = 8
IO_FLAG_SKIP_PRECOMPUTE_TABLE = 16
IO_FLAG_PQ_SKIP_SDC_TABLE = 32
IO_FLAG_MMAP = IO_FLAG_SKIP_IVF_DATA | 0x646F0000
# faiss 1.15's mapping of flat codes in place: here IO_FLAG_MMAP maps every
# index type's vectors and codes, so the two flags read a file alike.
IO_FLAG_MMAP_IFC = 1 << 9
_ACCEPTED_FLAGS = (IO_FLAG_READ_ONLY | IO_FLAG_MMAP | IO_FLAG_SKIP_PRECOMPUTE_TABLE | IO_FLAG_PQ_SKIP_SDC_TABLE |
                   IO_FLAG_ONDISK_SAME_DIR | IO_FLAG_MMAP_IFC)


def serialize_index(index: Index, io_flags: int = 0) -> UInt8Array:
    """The index in faiss's file format, as bytes in a numpy array (faiss: ``serialize_index``).

    Parameters
    ----------
    index : Index
    io_flags : int
        ``IO_FLAG_SKIP_STORAGE`` leaves out graph indexes' storage.

    Returns
    -------
    (nbytes,) uint8
    """
    if not isinstance(index, Index):
        raise InputTypeError(f"serialize_index: expected a metalfaiss index, got {type(index).__name__}")
    return serialize(index._h("serialize_index"), "IndexSerialize", as_int(io_flags, "serialize_index", "io_flags"))


def deserialize_index(data: ArrayLike) -> Index:
    """The index that bytes in faiss's file format hold (faiss: ``deserialize_index``).

    Parameters
    ----------
    data : bytes or (nbytes,) uint8-convertible

    Returns
    -------
    Index

    Raises
    ------
    InvalidArgumentError
        Damaged or unknown data, naming the offset and what was expected
        there.
    """
    return wrap(deserialize(data, "IndexDeserialize", "deserialize_index"), Index, "deserialize_index")


def write_index(index: Optional[Index], f: WriteTarget, io_flags: int = 0) -> None:
    """Write an index in faiss's file format (faiss: ``write_index``).

    Parameters
    ----------
    index : Index or None
        The index; None writes faiss's null index, which ``read_index``
        gives back as None.
    f : str, os.PathLike, binary file object or IOWriter
        A path is written to a temporary file in the same folder, then
        renamed over the target, so that a crash never leaves half a file.
    io_flags : int
        ``IO_FLAG_SKIP_STORAGE`` leaves out graph indexes' storage.

    Raises
    ------
    InputTypeError
        index is not a metalfaiss index, or f is not writable.
    OSError
        The file cannot be written.
    """
    data = np.frombuffer(_NULL, dtype=np.uint8) if index is None else serialize_index(index, io_flags)
    _write_bytes(data, f, "write_index")


# faiss's file of no index (write_index(None)).
_NULL = b"null"


def _write_bytes(data, f, op):
    """Write a serialized object to a path (atomically), a file object or
    an IOWriter."""
    if isinstance(f, IOWriter):
        f._write(data.tobytes())
        return
    if isinstance(f, (str, bytes, os.PathLike)):
        path = os.fsdecode(f)
        folder = os.path.dirname(os.path.abspath(path))
        try:
            fd, tmp = tempfile.mkstemp(prefix=".metalfaiss-", dir=folder)
        except OSError as e:
            raise _os_error(e, op, path) from None
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data.tobytes())
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, _file_mode(path))
            os.replace(tmp, path)
        except BaseException as e:
            if os.path.exists(tmp):
                os.unlink(tmp)
            if isinstance(e, OSError):
                # A full disk or a quota: the old file is untouched.
                raise _os_error(e, op, path) from None
            raise
        return
    if not hasattr(f, "write"):
        raise InputTypeError(f"{op}: expected a path or a binary file, got {type(f).__name__}")
    f.write(data.tobytes())


# Read once at import: os.umask can only be read by setting it, which is
# not safe while other threads create files.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def _os_error(e, op, path):
    """The same OSError subclass and errno, with the operation and path."""
    return type(e)(e.errno, f"{op}: cannot write {path!r}: {e.strerror or e}")


def _file_mode(path):
    """The mode a plain open() would give (mkstemp's files are 0600): the
    old file's, else 0666 less the umask."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


def _read_bytes(f, op):
    """The bytes of a path, a readable binary file object or an IOReader
    (all it has left), as uint8."""
    if isinstance(f, IOReader):
        return np.frombuffer(f._rest(), dtype=np.uint8)
    if isinstance(f, (str, bytes, os.PathLike)):
        path = os.fsdecode(f)
        if not os.path.isfile(path):
            raise FileNotFoundError(f"{op}: no file {path!r}")
        with open(path, "rb") as src:
            data = src.read()
    elif hasattr(f, "read"):
        data = f.read()
    else:
        raise InputTypeError(f"{op}: expected a path or a binary file, got {type(f).__name__}")
    return np.frombuffer(bytes(data), dtype=np.uint8)


def serialize_index_binary(index: IndexBinary) -> UInt8Array:
    """The binary index in faiss's format, as a uint8 numpy array (faiss: ``serialize_index_binary``).

    Parameters
    ----------
    index : IndexBinary
        The binary index to write.

    Returns
    -------
    (nbytes,) uint8 ndarray
        The bytes ``write_index_binary`` would write.

    Raises
    ------
    InputTypeError
        index is not a binary index.
    """
    if not isinstance(index, IndexBinary):
        raise InputTypeError(f"serialize_index_binary: expected a binary index, got {type(index).__name__}")
    return serialize(index._h("serialize_index_binary"), "BinarySerialize")


def deserialize_index_binary(data: ArrayLike) -> IndexBinary:
    """The binary index that ``data`` holds (faiss: ``deserialize_index_binary``).

    Parameters
    ----------
    data : bytes or (nbytes,) uint8 array
        A binary index in faiss's format.

    Returns
    -------
    IndexBinary
        The index, of the class faiss would read.

    Raises
    ------
    InvalidArgumentError
        The data is not a binary index, is truncated or holds a kind of
        index metalfaiss does not read.
    """
    return wrap(deserialize(data, "BinaryDeserialize", "deserialize_index_binary"), IndexBinary,
                "deserialize_index_binary")


def write_index_binary(index: IndexBinary, f: WriteTarget) -> None:
    """Write a binary index in faiss's format (faiss: ``write_index_binary``).

    Parameters
    ----------
    index : IndexBinary
        The binary index to write.
    f : str, os.PathLike, writable binary file object or IOWriter
        Where to write it; a path is written atomically (a temporary file
        renamed into place).

    Raises
    ------
    InputTypeError
        index is not a binary index.
    OSError
        The file cannot be written.
    """
    _write_bytes(serialize_index_binary(index), f, "write_index_binary")


def read_index_binary(f: ReadSource, io_flags: int = 0) -> IndexBinary:
    """Read a binary index written by ``write_index_binary`` or by faiss (faiss: ``read_index_binary``).

    Parameters
    ----------
    f : str, os.PathLike, readable binary file object or IOReader
        Where the index is.
    io_flags : int
        Accepted for faiss's signature (the file is read whole).

    Returns
    -------
    IndexBinary
        The index, of the class faiss would read.

    Raises
    ------
    InvalidArgumentError
        The data is not a binary index, is truncated or holds a kind of
        index metalfaiss does not read.
    OSError
        The file cannot be opened.
    """
    as_int(io_flags, "read_index_binary", "io_flags")
    return deserialize_index_binary(_read_bytes(f, "read_index_binary"))


def write_VectorTransform(vt: VectorTransform, f: WriteTarget) -> None:
    """Write a vector transform in faiss's format (faiss: ``write_VectorTransform``).

    Parameters
    ----------
    vt : VectorTransform
        The transform (PCAMatrix, OPQMatrix, RandomRotationMatrix, ...).
    f : str, os.PathLike, writable binary file object or IOWriter
        Where to write it.

    Raises
    ------
    InputTypeError
        vt is not a VectorTransform.
    OSError
        The file cannot be written.
    """
    if not isinstance(vt, VectorTransform):
        raise InputTypeError(f"write_VectorTransform: expected a VectorTransform, got {type(vt).__name__}")
    _write_bytes(serialize(vt._h("write_VectorTransform"), "TransformSerialize"), f, "write_VectorTransform")


def read_VectorTransform(f: ReadSource) -> VectorTransform:
    """Read a vector transform written by ``write_VectorTransform`` or faiss (faiss: ``read_VectorTransform``).

    As in faiss, an OPQ matrix comes back as a LinearTransform.

    Parameters
    ----------
    f : str, os.PathLike, readable binary file object or IOReader
        Where the transform is.

    Returns
    -------
    VectorTransform
        The transform, of the class faiss would read.

    Raises
    ------
    InvalidArgumentError
        The data is not a vector transform or is truncated.
    OSError
        The file cannot be opened.
    """
    data = _read_bytes(f, "read_VectorTransform")
    return wrap(deserialize(data, "TransformDeserialize", "read_VectorTransform"), VectorTransform,
                "read_VectorTransform")


def read_index(f: ReadSource, io_flags: int = 0) -> Index:
    """Read an index written by ``write_index`` or by faiss (faiss: ``read_index``).

    Parameters
    ----------
    f : str, os.PathLike, readable binary file object or IOReader
        Where the index is.
    io_flags : int
        ``IO_FLAG_MMAP`` (paths only: map the file rather than read it),
        ``IO_FLAG_READ_ONLY``, ``IO_FLAG_ONDISK_SAME_DIR`` (on-disk lists
        files are looked for beside the index file).

    Returns
    -------
    Index
        The index, of the class faiss would read (None for faiss's null index).

    Raises
    ------
    InvalidArgumentError
        The data is not an index file, is truncated or holds a kind of
        index metalfaiss does not read; nothing is left open.
    OSError
        The file cannot be opened.
    """
    io_flags = as_int(io_flags, "read_index", "io_flags")
    if io_flags & ~_ACCEPTED_FLAGS:
        raise InvalidArgumentError(f"read_index: io_flags {io_flags:#x} are not supported "
                                   f"(IO_FLAG_READ_ONLY, IO_FLAG_MMAP and IO_FLAG_ONDISK_SAME_DIR are)")
    if isinstance(f, IOReader):
        return _read_index_stream(f)
    if isinstance(f, (str, bytes, os.PathLike)):
        path = os.fsdecode(f)
        if not os.path.isfile(path):
            raise FileNotFoundError(f"read_index: no file {path!r}")
        out = np.zeros(1, dtype=np.int64)
        mapped = io_flags & IO_FLAG_MMAP == IO_FLAG_MMAP or bool(io_flags & IO_FLAG_MMAP_IFC)
        _bridge.call("IndexReadFile", path, mapped,
                     bool(io_flags & IO_FLAG_ONDISK_SAME_DIR), addr(out))
        return wrap(int(out[0]), Index, "read_index")
    return deserialize_index(_read_bytes(f, "read_index"))


def _read_index_stream(reader):
    """The index at the reader's position, parsed as its bytes arrive:
    each block read is followed by an attempt to parse, so that nothing
    after the index is asked for (a pipe's writer may be waiting for the
    index before it closes); what follows the index is handed back."""
    buf = bytearray()
    out = np.zeros(3, dtype=np.int64)
    while True:
        more = reader._some(max(1 << 16, len(buf)))
        buf += more
        if buf[:4] == _NULL:
            reader._unread(bytes(buf[4:]))
            return None
        data = np.frombuffer(bytes(buf), dtype=np.uint8)
        try:
            _bridge.call("IndexDeserializePrefix", data.shape[0], addr(data) if data.size else 0, addr(out))
        except MetalFaissError:
            if out[2] and more:  # the stream has not reached the end of the index yet
                continue
            raise
        reader._unread(bytes(buf[int(out[1]):]))
        return wrap(int(out[0]), Index, "read_index")


def clone_index(index: Index) -> Index:
    """A deep copy of the index (faiss: ``clone_index``).

    Made through its serialized form, as faiss's clone_index does for CPU
    indexes.

    Parameters
    ----------
    index : Index

    Returns
    -------
    Index
    """
    return deserialize_index(serialize_index(index))


def write_ProductQuantizer(pq: ProductQuantizer, f: WriteTarget) -> None:
    """Write a product quantizer in faiss's format (faiss: ``write_ProductQuantizer``).

    d, M, nbits (64-bit), then the d * 2^nbits centroids as a vector of
    float32.

    Parameters
    ----------
    pq : ProductQuantizer
        The quantizer.
    f : str, os.PathLike, writable binary file object or IOWriter
        Where to write it.

    Raises
    ------
    InputTypeError
        pq is not a ProductQuantizer.
    OSError
        The file cannot be written.
    """
    from .quantizers import ProductQuantizer

    if not isinstance(pq, ProductQuantizer):
        raise InputTypeError(f"write_ProductQuantizer: expected a ProductQuantizer, got {type(pq).__name__}")
    c = np.ascontiguousarray(pq.centroids, dtype="<f4")
    head = np.array([pq.d, pq.M, pq.nbits, c.shape[0]], dtype="<u8")
    _write_bytes(np.frombuffer(head.tobytes() + c.tobytes(), dtype=np.uint8), f, "write_ProductQuantizer")


def read_ProductQuantizer(f: ReadSource) -> ProductQuantizer:
    """Read a product quantizer written by write_ProductQuantizer or faiss (faiss: ``read_ProductQuantizer``).

    Parameters
    ----------
    f : str, os.PathLike, readable binary file object or IOReader
        Where it is.

    Returns
    -------
    ProductQuantizer
        The quantizer.

    Raises
    ------
    InvalidArgumentError
        The data is not a product quantizer or is truncated.
    OSError
        The file cannot be opened.
    """
    from .quantizers import ProductQuantizer

    op = "read_ProductQuantizer"
    data = _read_bytes(f, op)
    if data.shape[0] < 32:
        raise InvalidArgumentError(f"{op}: {data.shape[0]} bytes are too few for a product quantizer")
    d, M, nbits, n = (int(v) for v in np.frombuffer(data[:32].tobytes(), dtype="<u8"))
    if not (0 < M <= d and d % M == 0 and 0 < nbits <= 16 and n == d << nbits and data.shape[0] == 32 + 4 * n):
        raise InvalidArgumentError(f"{op}: d={d}, M={M}, nbits={nbits} with {n} centroid floats and "
                                   f"{data.shape[0]} bytes is not a product quantizer")
    pq = ProductQuantizer(d, M, nbits)
    pq.set_centroids(np.frombuffer(data[32:].tobytes(), dtype="<f4"))
    return pq
