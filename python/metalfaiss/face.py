"""The MetalFaiss / SwiftFaiss index face: the class names and members that
code written against MetalFaiss (or learnt from SwiftFaiss) uses, as thin
subclasses of the faiss-named classes. Nothing here computes: every call
goes to the same Go index as its faiss twin's."""

from __future__ import annotations

from typing import TYPE_CHECKING
import enum
from typing import NamedTuple

import numpy as np

from . import _bridge
from ._arrays import addr, as_count, as_ids
from .errors import InvalidArgumentError
from .factory import index_factory
from .index import Index
from .index_flat import IndexFlat, IndexFlatIP, IndexFlatL2
from .index_hnsw import IndexHNSW, IndexHNSWFlat
from .index_idmap import IndexIDMap, IndexIDMap2
from .index_io import IO_FLAG_MMAP, IO_FLAG_READ_ONLY, clone_index, read_index, write_index
from .index_ivf import IndexIVFFlat, IndexIVFPQ, IndexIVFScalarQuantizer
from .index_lsh import IndexLSH
from .index_pq import IndexPQ, IndexScalarQuantizer
from .index_pretransform import IndexPreTransform
from .index_refine import IndexRefineFlat
from .metric import MetricType
from .quantizers import ScalarQuantizer
from .selectors import IDSelector, IDSelectorRange
from .transforms import ITQMatrix, OPQMatrix, PCAMatrix, RandomRotationMatrix
from ._typing import Any, ArrayLike, Optional, PathLike

if TYPE_CHECKING:
    from .search_params import SearchParameters


class _QuantizerTypeBase(enum.IntEnum):
    """Scalar quantizer types, faiss's ScalarQuantizer.QT_* values; ``str``
    gives the name, ``QuantizerType.parse`` reads a member, an int or a
    name (``"QT_8bit"``, ``"8bit"``, ``"fp16"``)."""

    def __str__(self) -> str:
        return self.name

    @classmethod
    def parse(cls, value: Any) -> Any:
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            key = value.strip()
            key = key if key.startswith("QT_") else "QT_" + key
            for m in cls:
                if m.name.lower() == key.lower():
                    return m
            raise InvalidArgumentError(f"QuantizerType: unknown name {value!r}")
        try:
            return cls(int(value))
        except (TypeError, ValueError):
            raise InvalidArgumentError(f"QuantizerType: expected a quantizer type, got {value!r}") from None


# The members are ScalarQuantizer's QT_* constants, in number order.
QuantizerType = _QuantizerTypeBase(
    "QuantizerType",
    sorted(((n, getattr(ScalarQuantizer, n)) for n in vars(ScalarQuantizer) if n.startswith("QT_")),
           key=lambda kv: kv[1]),
    module=__name__)
QuantizerType.__doc__ = _QuantizerTypeBase.__doc__


class IOFlag(enum.IntFlag):
    """Flags of load_from_file (faiss: ``IO_FLAG_*``, by MetalFaiss's name).

    NONE, READ_ONLY, MMAP.
    """

    NONE = 0
    READ_ONLY = IO_FLAG_READ_ONLY
    MMAP = IO_FLAG_MMAP


class SearchResult(NamedTuple):
    """The k nearest of each query, as MetalFaiss returns them (faiss: the ``(D, I)`` pair of ``search``).

    ``distances`` (n, k) float32 and ``labels`` (n, k) int64; unpacks as
    ``D, I = result``, like faiss.
    """

    distances: np.ndarray
    labels: np.ndarray


class SearchRangeResult(NamedTuple):
    """A range search, as MetalFaiss returns it (faiss: the ``(lims, D, I)`` of ``range_search``).

    ``lims`` (n + 1) and, per query, its ``distances`` and ``labels`` (lists
    of arrays: query i's matches are ``distances[i]``, ``labels[i]``).
    """

    lims: np.ndarray
    distances: list
    labels: list


def _view(cls, index):
    """A ``cls`` object over the same Go index as ``index``, with a handle
    of its own (so either can be closed or collected first) and the same
    Python-side parts (quantizer, storage, chain, ...)."""
    out = np.zeros(1, dtype=np.int64)
    _bridge.call("NewHandle", index._h("view"), addr(out))
    obj = cls.__new__(cls)
    obj.__dict__.update(index.__dict__)
    obj._handle = int(out[0])
    return obj


class _FaceMeta(type):
    """Lets ``AnyIndex(d, metric_type, description)`` return the built
    index under its MetalFaiss class (every one of them an AnyIndex)."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls is AnyIndex:
            return AnyIndex._build(*args, **kwargs)
        return super().__call__(*args, **kwargs)


class AnyIndex(Index, metaclass=_FaceMeta):
    """An index built by the factory, with MetalFaiss's members (faiss: ``index_factory``, by MetalFaiss's name).

    Every index class of this face is an AnyIndex. ``to_flat()``,
    ``to_ivf()``, ``to_ivf_flat()``, ``to_ivf_pq()``, ``to_ivf_sq()``,
    ``to_sq()``, ``to_pq()``, ``to_hnsw()``, ``to_lsh()``,
    ``to_pre_transform()``, ``to_refine_flat()``, ``to_id_map()`` and
    ``to_id_map2()`` return the same index under that class, or None when it
    is of another type.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    metric_type : MetricType, int or str
        ``MetricType.L2`` (default) or ``MetricType.INNER_PRODUCT``.
    description : str
        faiss's index_factory string ("Flat" by default).
    """

    @staticmethod
    def _build(d, metric_type=MetricType.L2, description="Flat"):
        return _as_face(index_factory(d, description, MetricType.parse(metric_type)), AnyIndex, "AnyIndex")

    # -- MetalFaiss members ----------------------------------------------

    @property
    def count(self) -> Any:
        """The number of vectors (faiss's ntotal)."""
        return self.ntotal

    def add(self, xs: ArrayLike, ids: Optional[ArrayLike] = None) -> Any:
        """Add vectors; with ``ids``, under those ids (add_with_ids)."""
        if ids is None:
            return super().add(xs)
        return self.add_with_ids(xs, ids)

    def search(self, xs: ArrayLike, k: int, *, params: Optional[SearchParameters] = None) -> Any:
        """SearchResult of the k nearest of each query; k is clamped to the
        number of vectors (as SwiftFaiss does) when the index holds any."""
        k = as_count(k, f"{type(self).__name__}.search")
        n = self.ntotal
        if 0 < n < k:
            k = n
        D, I = super().search(xs, k, params=params)
        return SearchResult(D, I)

    def search_range(self, xs: ArrayLike, radius: float) -> Any:
        """SearchRangeResult of the vectors within ``radius`` of each query."""
        lims, D, I = self.range_search(xs, radius)
        b = lims.astype(np.int64)
        return SearchRangeResult(lims, [D[i:j] for i, j in zip(b[:-1], b[1:])], [I[i:j] for i, j in zip(b[:-1], b[1:])])

    def remove_ids(self, ids: ArrayLike) -> Any:
        """Remove a ``range`` of ids, an IDSelector, or the given ids;
        returns how many were removed."""
        if isinstance(ids, range):
            if ids.step == 1:
                ids = IDSelectorRange(ids.start, max(ids.start, ids.stop))
            else:
                ids = np.arange(ids.start, ids.stop, ids.step, dtype=np.int64)
        if not isinstance(ids, IDSelector):
            ids = as_ids(ids, f"{type(self).__name__}.remove_ids")
        return super().remove_ids(ids)

    def save_to_file(self, path: PathLike) -> None:
        """Write the index in faiss's format (atomically)."""
        write_index(self, path)

    @classmethod
    def load_from_file(cls, path: PathLike, io_flag: Any = IOFlag.READ_ONLY) -> Any:
        """Read an index file; ``cls`` must fit its type (AnyIndex takes
        any)."""
        return _as_face(read_index(path, int(io_flag)), cls, f"{cls.__name__}.load_from_file")

    def clone(self) -> Any:
        """A deep copy of the index, of the same class."""
        return _as_face(clone_index(self), type(self), f"{type(self).__name__}.clone")

    # -- conversions -----------------------------------------------------

    def _to(self, face):
        if not isinstance(self, _TWIN[face]):
            return None
        return self if isinstance(self, face) else _view(face, self)

    def to_flat(self) -> Any:
        """This index as a FlatIndex (itself, or a view of the same Go index), or None when it is another kind."""
        return self._to(FlatIndex)

    def to_ivf(self) -> Any:
        """This index as an IVF face index (IVFFlat, IVFPQ or IVFSQ), or None when it is another kind."""
        for face in (IVFFlatIndex, IVFPQIndex, IVFScalarQuantizerIndex):
            if isinstance(self, _TWIN[face]):
                return self._to(face)
        return None

    def to_ivf_flat(self) -> Any:
        """This index as an IVFFlatIndex, or None when it is another kind."""
        return self._to(IVFFlatIndex)

    def to_ivf_pq(self) -> Any:
        """This index as an IVFPQIndex, or None when it is another kind."""
        return self._to(IVFPQIndex)

    def to_ivf_sq(self) -> Any:
        """This index as an IVFScalarQuantizerIndex, or None when it is another kind."""
        return self._to(IVFScalarQuantizerIndex)

    def to_sq(self) -> Any:
        """This index as a ScalarQuantizerIndex, or None when it is another kind."""
        return self._to(ScalarQuantizerIndex)

    def to_pq(self) -> Any:
        """This index as a ProductQuantizerIndex, or None when it is another kind."""
        return self._to(ProductQuantizerIndex)

    def to_hnsw(self) -> Any:
        """This index as an HNSW face index, or None when it is another kind."""
        return self._to(HNSWIndex)

    def to_lsh(self) -> Any:
        """This index as an LSHIndex, or None when it is another kind."""
        return self._to(LSHIndex)

    def to_pre_transform(self) -> Any:
        """This index as a PreTransformIndex, or None when it is another kind."""
        return self._to(PreTransformIndex)

    def to_refine_flat(self) -> Any:
        """This index as a RefineFlatIndex, or None when it is another kind."""
        return self._to(RefineFlatIndex)

    def to_id_map(self) -> Any:
        """This index as an IDMapIndex, or None when it is another kind."""
        return self._to(IDMap)

    def to_id_map2(self) -> Any:
        """This index as an IDMap2Index, or None when it is another kind."""
        return self._to(IDMap2)


class FlatIndex(AnyIndex, IndexFlat):
    """Exact search (faiss: ``IndexFlat``, by MetalFaiss's name).

    Memory per vector: 4 * d bytes.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    metric_type : MetricType, int or str
        ``MetricType.L2`` (default) or ``MetricType.INNER_PRODUCT`` (or faiss's numbers or names).
    """

    def __init__(self, d: int, metric_type: Any = MetricType.L2) -> None:
        IndexFlat.__init__(self, d, MetricType.parse(metric_type))


class IVFFlatIndex(AnyIndex, IndexIVFFlat):
    """Inverted lists of full vectors (faiss: ``IndexIVFFlat``, by MetalFaiss's name).

    Memory per vector: 4 * d bytes and an 8-byte id.

    Parameters
    ----------
    quantizer : Index
        The coarse quantizer, of dimension d.
    d : int
        Dimension of the vectors.
    nlist : int
        Number of lists.
    metric_type : MetricType, int or str
        ``MetricType.L2`` (default) or ``MetricType.INNER_PRODUCT`` (or faiss's numbers or names).
    """

    def __init__(self, quantizer: Index, d: int, nlist: int, metric_type: Any = MetricType.L2) -> None:
        IndexIVFFlat.__init__(self, quantizer, d, nlist, MetricType.parse(metric_type))


class IVFPQIndex(AnyIndex, IndexIVFPQ):
    """Inverted lists of product-quantizer codes (faiss: ``IndexIVFPQ``, by MetalFaiss's name).

    Memory per vector: m * nbits / 8 bytes and an 8-byte id.

    Parameters
    ----------
    quantizer : Index
        The coarse quantizer, of dimension d.
    d : int
        Dimension of the vectors (a multiple of m).
    nlist : int
        Number of lists.
    m : int
        Sub-quantizers.
    nbits : int
        Bits per sub-quantizer code (default 8).
    metric_type : MetricType, int or str
        ``MetricType.L2`` (default) or ``MetricType.INNER_PRODUCT`` (or faiss's numbers or names).
    """

    def __init__(self, quantizer: Index, d: int, nlist: int, m: Any, nbits: int = 8, metric_type: Any = MetricType.L2
                ) -> None:
        IndexIVFPQ.__init__(self, quantizer, d, nlist, m, nbits, MetricType.parse(metric_type))


class IVFScalarQuantizerIndex(AnyIndex, IndexIVFScalarQuantizer):
    """Inverted lists of scalar-quantizer codes (faiss: ``IndexIVFScalarQuantizer``).

    MetalFaiss's argument order (quantizer_type before d). Memory per vector:
    the code (d bytes for QT_8bit) and an 8-byte id.

    Parameters
    ----------
    quantizer : Index
        The coarse quantizer, of dimension d.
    quantizer_type : QuantizerType, int or str
        ``QuantizerType.QT_8bit``, ``QT_4bit``, ``QT_fp16``, ... (MetalFaiss's names or faiss's numbers).
    d : int
        Dimension of the vectors.
    nlist : int
        Number of lists.
    metric_type : MetricType, int or str
        ``MetricType.L2`` (default) or ``MetricType.INNER_PRODUCT`` (or faiss's numbers or names).
    encode_residual : bool
        Code x - centroid (default True).
    """

    def __init__(self, quantizer: Index, quantizer_type: Any, d: int, nlist: int, metric_type: Any = MetricType.L2,
                 encode_residual: bool = True) -> None:
        IndexIVFScalarQuantizer.__init__(self, quantizer, d, nlist, int(QuantizerType.parse(quantizer_type)),
                                         MetricType.parse(metric_type), encode_residual)


class ScalarQuantizerIndex(AnyIndex, IndexScalarQuantizer):
    """Scalar-quantizer codes searched exhaustively (faiss: ``IndexScalarQuantizer``).

    Memory per vector: d bytes for QT_8bit, d / 2 for QT_4bit, 2 * d for
    QT_fp16.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    quantizer_type : QuantizerType, int or str
        ``QuantizerType.QT_8bit``, ``QT_4bit``, ``QT_fp16``, ... (MetalFaiss's names or faiss's numbers).
    metric_type : MetricType, int or str
        ``MetricType.L2`` (default) or ``MetricType.INNER_PRODUCT`` (or faiss's numbers or names).
    """

    def __init__(self, d: int, quantizer_type: Any, metric_type: Any = MetricType.L2) -> None:
        IndexScalarQuantizer.__init__(self, d, int(QuantizerType.parse(quantizer_type)), MetricType.parse(metric_type))


class ProductQuantizerIndex(AnyIndex, IndexPQ):
    """Product-quantizer codes searched exhaustively (faiss: ``IndexPQ``, by MetalFaiss's name).

    Memory per vector: m * nbits / 8 bytes.

    Parameters
    ----------
    d : int
        Dimension of the vectors (a multiple of m).
    m : int
        Sub-quantizers.
    nbits : int
        Bits per sub-quantizer code (default 8).
    metric_type : MetricType, int or str
        ``MetricType.L2`` (default) or ``MetricType.INNER_PRODUCT`` (or faiss's numbers or names).
    """

    def __init__(self, d: int, m: Any, nbits: int = 8, metric_type: Any = MetricType.L2) -> None:
        IndexPQ.__init__(self, d, m, nbits, MetricType.parse(metric_type))


class HNSWIndex(AnyIndex, IndexHNSWFlat):
    """HNSW graph over full vectors (faiss: ``IndexHNSWFlat``, by MetalFaiss's name).

    ``to_hnsw()`` also views HNSW indexes over codes. Memory per vector: 4 * d
    bytes and about 2 * m * 4 bytes of links.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    m : int
        Links per node (level 0 keeps 2 * m), default 32.
    metric_type : MetricType, int or str
        ``MetricType.L2`` (default) or ``MetricType.INNER_PRODUCT`` (or faiss's numbers or names).
    """

    def __init__(self, d: int, m: Any = 32, metric_type: Any = MetricType.L2) -> None:
        IndexHNSWFlat.__init__(self, d, m, MetricType.parse(metric_type))


class LSHIndex(AnyIndex, IndexLSH):
    """Binary codes of random projections, searched by Hamming distance (faiss: ``IndexLSH``, by MetalFaiss's name).

    Memory per vector: nbits / 8 bytes.

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    nbits : int
        Bits per code.
    rotate_data : bool
        Project by a random rotation first (default True).
    train_thresholds : bool
        Learn per-bit thresholds by training (default False: 0).
    """


class PreTransformIndex(AnyIndex, IndexPreTransform):
    """A vector transform applied before a sub-index (faiss: ``IndexPreTransform``, by MetalFaiss's name).

    Training trains the transform, then the sub-index on the transformed
    vectors.

    Parameters
    ----------
    vector_transform : VectorTransform
        The transform (PCAMatrixTransform, OPQMatrixTransform, ...).
    sub_index : Index
        The index of the transformed vectors (of the transform's output dimension).
    """

    def __init__(self, vector_transform: Any, sub_index: Index) -> None:
        IndexPreTransform.__init__(self, vector_transform, sub_index)


class RefineFlatIndex(AnyIndex, IndexRefineFlat):
    """A base index's candidates re-ranked by exact distances (faiss: ``IndexRefineFlat``).

    ``k_factor`` (as in faiss) sets how many candidates the base index returns.
    Memory per vector: the base index's and 4 * d bytes.

    Parameters
    ----------
    base_index : Index
        The approximate index that proposes candidates.
    """

    def __init__(self, base_index: Index) -> None:
        IndexRefineFlat.__init__(self, base_index)


class IDMap(AnyIndex, IndexIDMap):
    """Vectors under ids of the caller's choosing (faiss: ``IndexIDMap``, by MetalFaiss's name).

    ``add(xs, ids=...)`` adds them; ``id_map()`` returns the ids in storage
    order. Memory per vector: the sub-index's and an 8-byte id.

    Parameters
    ----------
    sub_index : Index
        The index that stores the vectors (normally empty).
    """

    def __init__(self, sub_index: Index) -> None:
        IndexIDMap.__init__(self, sub_index)

    def id_map(self) -> Any:
        return IndexIDMap.id_map.fget(self)


class IDMap2(AnyIndex, IndexIDMap2):
    """IDMap that also reconstructs by id (faiss: ``IndexIDMap2``, by MetalFaiss's name).

    Memory per vector: the sub-index's and 16 bytes of ids.

    Parameters
    ----------
    sub_index : Index
        The index that stores the vectors (normally empty).
    """

    def __init__(self, sub_index: Index) -> None:
        IndexIDMap2.__init__(self, sub_index)

    def id_map(self) -> Any:
        return IndexIDMap.id_map.fget(self)


# The faiss-named class each face class stands for.
_TWIN = {
    FlatIndex: IndexFlat, IVFFlatIndex: IndexIVFFlat, IVFPQIndex: IndexIVFPQ,
    IVFScalarQuantizerIndex: IndexIVFScalarQuantizer, ScalarQuantizerIndex: IndexScalarQuantizer,
    ProductQuantizerIndex: IndexPQ, HNSWIndex: IndexHNSW, LSHIndex: IndexLSH, PreTransformIndex: IndexPreTransform,
    RefineFlatIndex: IndexRefineFlat, IDMap: IndexIDMap, IDMap2: IndexIDMap2, AnyIndex: Index,
}
# faiss classes that a face stands for besides its twin.
_ALSO = {FlatIndex: (IndexFlatL2, IndexFlatIP), HNSWIndex: (IndexHNSWFlat,)}
_GENERIC = {}


def _face_class(index):
    """The MetalFaiss class for an index: the face of its faiss class, or an
    AnyIndex made for its type (HNSW over codes, GPU indexes, ...)."""
    cls = type(index)
    for face, twin in _TWIN.items():
        if cls is twin or cls in _ALSO.get(face, ()):
            return face
    if cls not in _GENERIC:
        _GENERIC[cls] = _FaceMeta(f"AnyIndex_{cls.__name__}", (AnyIndex, cls), {"__doc__": cls.__doc__})
    return _GENERIC[cls]


def _as_face(index, cls, op):
    """``index`` (just built or read) turned into MetalFaiss class ``cls``
    (AnyIndex: the class its type calls for)."""
    if isinstance(index, AnyIndex) and isinstance(index, cls):
        return index
    face = _face_class(index) if cls is AnyIndex else cls
    if not isinstance(index, _TWIN.get(face, Index)):
        raise InvalidArgumentError(f"{op}: the index is a {type(index).__name__}, not a {cls.__name__}")
    index.__class__ = face
    return index


class PCAMatrixTransform(PCAMatrix):
    """PCAMatrix under MetalFaiss's name (faiss: ``PCAMatrix``)."""


class OPQMatrixTransform(OPQMatrix):
    """OPQMatrix under MetalFaiss's name (faiss: ``OPQMatrix``)."""


class ITQMatrixTransform(ITQMatrix):
    """ITQMatrix under MetalFaiss's name (faiss: ``ITQMatrix``)."""


class RandomRotationMatrixTransform(RandomRotationMatrix):
    """RandomRotationMatrix under MetalFaiss's name (faiss: ``RandomRotationMatrix``)."""


def _publish():
    """MetalFaiss code imports the face from ``metalfaiss.index`` too."""
    from . import index as package

    for name, value in list(globals().items()):
        if not name.startswith("_") and getattr(value, "__module__", None) == __name__:
            setattr(package, name, value)


_publish()
