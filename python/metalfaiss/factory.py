"""faiss's index_factory for the index types metalfaiss has, and its
inverse, reverse_index_factory (faiss.contrib.factory_tools' strings)."""

from __future__ import annotations

import re

from ._arrays import as_int
from .errors import InvalidArgumentError, MetalFaissError
from .index import Index
from .index_flat import IndexFlat
from .index_idmap import IndexIDMap, IndexIDMap2
from .multi_index import MultiIndexQuantizer
from .index_2layer import Index2Layer
from .index_ivfpqr import IndexIVFPQR
from .index_ivf_spectral_hash import IndexIVFSpectralHash
from .index_rowwise_minmax import IndexRowwiseMinMax, IndexRowwiseMinMaxBase, IndexRowwiseMinMaxFP16
from .index_hnsw import IndexHNSW, IndexHNSWFlat, IndexHNSWFlatPanorama, IndexHNSWPQ, IndexHNSWSQ
from .index_flat_panorama import IndexFlatIPPanorama, IndexFlatL2Panorama
from .index_nsg import IndexNSG, IndexNSGFlat, IndexNSGPQ, IndexNSGSQ
from .index_ivf import IndexIVFFlat, IndexIVFFlatDedup, IndexIVFFlatPanorama, IndexIVFPQ, IndexIVFScalarQuantizer
from .index_additive import (
    IndexIVFLocalSearchQuantizer, IndexIVFProductLocalSearchQuantizer, IndexIVFProductResidualQuantizer,
    IndexIVFResidualQuantizer, IndexLocalSearchQuantizer, IndexProductLocalSearchQuantizer,
    IndexProductResidualQuantizer, IndexResidualQuantizer, ResidualCoarseQuantizer,
)
from .index_fastscan import IndexPQFastScan
from .index_additive_fastscan import (
    IndexIVFLocalSearchQuantizerFastScan, IndexIVFProductLocalSearchQuantizerFastScan,
    IndexIVFProductResidualQuantizerFastScan, IndexIVFResidualQuantizerFastScan, IndexLocalSearchQuantizerFastScan,
    IndexProductLocalSearchQuantizerFastScan, IndexProductResidualQuantizerFastScan, IndexResidualQuantizerFastScan,
)
from .index_ivf_fastscan import IndexIVFPQFastScan
from .index_rabitq import IndexIVFRaBitQ, IndexIVFRaBitQFastScan, IndexRaBitQ, IndexRaBitQFastScan
from .index_pq import IndexPQ, IndexScalarQuantizer
from .index_lsh import IndexLSH
from .index_pretransform import IndexPreTransform
from .index_refine import IndexRefine, IndexRefineFlat
from .metric import METRIC_L2, MetricType
from .quantizers import ScalarQuantizer
from .transforms import (
    ITQTransform,
    HadamardRotation,
    NormalizationTransform,
    OPQMatrix,
    PCAMatrix,
    RandomRotationMatrix,
    RemapDimensionsTransform,
)
from ._typing import MetricLike

# IVF{n}[k|M][_HNSW{M}] or IVF{n}(<quantizer description>); HNSW without
# M: faiss's 32; k and M multiply nlist by 1024 and 1024^2
_IVF = re.compile(r"IVF(\d+)([kM]?)(?:_HNSW(\d*)|\((.+)\))?")
_HNSW = re.compile(r"HNSW(\d*)(?:_(.+))?")
# Flat{L2|IP}Panorama{n_levels}[_{batch_size}]: exact search in Panorama's layout.
_FLAT_PANORAMA = re.compile(r"Flat(L2|IP)Panorama(\d+)(?:_(\d+))?")
# NSG{R}[_codes] or NSG{R},codes (R 32 by default): flat, PQ or SQ codes.
_NSG = re.compile(r"NSG(\d*)(?:_(.+))?")
# "np": no polysemous training. Without it, as in faiss, IndexPQ and
# IndexIVFPQ renumber their centroids at train for Hamming filtering
# (polysemous_ht); the search results are the same either way.
_PQ = re.compile(r"PQ(\d+)(?:x(\d+))?(np)?")
# 4-bit fast-scan PQ: "r" (IVF only) encodes residuals, "_{bbs}" the block size
_PQFS = re.compile(r"PQ(\d+)x4fs(r?)(?:_(\d+))?")
_RABITQ = re.compile(r"RaBitQ(\d+)?")
# additive quantizers: groups of M x nbits codebooks, then how codes store
# norms (faiss's aq_search_type; none given: decompress for L2, look-up
# tables for inner product)
_AQ_N = r"(_N(?:none|float|qint8|qint4|cqint8|cqint4|lsq2x4|rq2x4))?"
_AQ = re.compile(r"(RQ|RCQ)(\d+x\d+(?:_\d+x\d+)*)" + _AQ_N)
_PAQ = re.compile(r"(PRQ|PLSQ)(\d+)x(\d+)x(\d+)" + _AQ_N)
_LSQ = re.compile(r"LSQ(\d+)x(\d+)" + _AQ_N)
_AQ_NORM = {"_Nnone": 1, "_Nfloat": 3, "_Nqint8": 4, "_Nqint4": 5, "_Ncqint8": 6, "_Ncqint4": 7,
            "_Nlsq2x4": 8, "_Nrq2x4": 9}
_RABITQFS = re.compile(r"RaBitQfs(\d+)?(?:_(\d+))?")
# additive quantizers of 4-bit codebooks for the fast-scan kernels: "r"
# (IVF) encodes residuals, "_{bbs}" the block size
_AQFS = re.compile(r"(RQ|LSQ)(\d+)x4fs(r?)(?:_(\d+))?" + _AQ_N)
_PAQFS = re.compile(r"(PRQ|PLSQ)(\d+)x(\d+)x4fs(r?)(?:_(\d+))?" + _AQ_N)
# faiss's factory names of scalar quantizer types.
_SQ = {
    "SQ8": ScalarQuantizer.QT_8bit, "SQ4": ScalarQuantizer.QT_4bit, "SQ6": ScalarQuantizer.QT_6bit,
    "SQfp16": ScalarQuantizer.QT_fp16, "SQ8_direct": ScalarQuantizer.QT_8bit_direct,
    "SQbf16": ScalarQuantizer.QT_bf16, "SQ8_direct_signed": ScalarQuantizer.QT_8bit_direct_signed,
    "SQ0": ScalarQuantizer.QT_0bit,
    "SQtqmse1": ScalarQuantizer.QT_1bit_tqmse, "SQtqmse2": ScalarQuantizer.QT_2bit_tqmse,
    "SQtqmse3": ScalarQuantizer.QT_3bit_tqmse, "SQtqmse4": ScalarQuantizer.QT_4bit_tqmse,
    "SQtqmse8": ScalarQuantizer.QT_8bit_tqmse,
    "SQtq2": ScalarQuantizer.QT_2bit_tq, "SQtq3": ScalarQuantizer.QT_3bit_tq,
    "SQtq4": ScalarQuantizer.QT_4bit_tq, "SQtq5": ScalarQuantizer.QT_5bit_tq,
}
# reverse_index_factory names the uniform types too (faiss's factory does
# not read them back).
_SQ_NAME = {v: k for k, v in _SQ.items()} | {ScalarQuantizer.QT_8bit_uniform: "SQ8u",
                                              ScalarQuantizer.QT_4bit_uniform: "SQ4u"}
_REFINE = ("RFlat", "Refine(Flat)")

# Parts of faiss's grammar that name index types metalfaiss does not have
# yet: told apart from typos so that the error can say so.
_LSH = re.compile(r"LSH(\d*)(r?)(t?)")
_NOT_YET = re.compile(r"(BIVF.*|.*fs)")
# IVF...,FlatPanorama[{n_levels}][_{batch_size}]: IndexIVFFlatPanorama.
_IVF_PANORAMA = re.compile(r"FlatPanorama(\d*)(?:_(\d+))?")
# The inverted multi-index's coarse part: 2^(2 nbits) lists.
_IMI = re.compile(r"IMI2x(\d+)")
# Index2Layer's coarse part: a flat quantizer of n lists, or a multi-index
# of M x nbits; its codes are "PQ{M}[x{nbits}]".
_RESIDUAL = re.compile(r"Residual(\d+)(?:x(\d+))?")
_RESIDUAL_PQ = re.compile(r"PQ(\d+)(?:x(\d+))?")
# IndexIVFPQR's codes: PQ{M}[x{nbits}]+{M_refine} (8-bit refine codes).
_PQR = re.compile(r"PQ(\d+)(?:x(\d+))?\+(\d+)")
# IndexIVFSpectralHash's codes: a transform to b bits, then SH[period][g|c|m].
_SH_VT = re.compile(r"(ITQ|PCA|PCAR)(\d+)?")
_SH = re.compile(r"SH([-0-9.e]+)?([gcm])?")
# Vector transforms that may precede the index, as faiss's factory reads
# them: each maps (d, match) to (transform, d_out).
_TRANSFORMS = [
    (re.compile(r"PCA(W?)(R?)(\d+)"), lambda d, m: (
        PCAMatrix(d, int(m[3]), -0.5 if m[1] else 0.0, bool(m[2])), int(m[3]))),
    (re.compile(r"OPQ(\d+)(?:_(\d+))?"), lambda d, m: (
        OPQMatrix(d, int(m[1]), int(m[2]) if m[2] else d), int(m[2]) if m[2] else d)),
    # faiss reads "HR{n}" and ignores n: the output is the next power of two
    (re.compile(r"HR(\d*)"), lambda d, m: _hadamard(d)),
    (re.compile(r"RR(\d*)"), lambda d, m: (RandomRotationMatrix(d, int(m[1] or d)), int(m[1] or d))),
    (re.compile(r"ITQ(\d+)?"), lambda d, m: (
        ITQTransform(d, int(m[1]) if m[1] else d, m[1] is not None), int(m[1]) if m[1] else d)),
    (re.compile(r"Pad(\d+)"), lambda d, m: (RemapDimensionsTransform(d, int(m[1]), False), int(m[1]))),
    (re.compile(r"L2[nN]orm"), lambda d, m: (NormalizationTransform(d, 2.0), d)),
]


def _fail(part, description, why="could not parse"):
    raise InvalidArgumentError(f"index_factory: {why} {part!r} in {description!r}")


def _unknown(part, description):
    if _NOT_YET.fullmatch(part):
        _fail(part, description, "metalfaiss does not have this index type yet:")
    _fail(part, description)


def index_factory(d: int, description: str, metric: MetricLike = METRIC_L2) -> Index:
    """Build an index from faiss's description string (faiss: ``index_factory``).

    Understood: ``Flat``, ``PQ{M}[x{nbits}]``,
    ``SQ8|SQ4|SQ6|SQfp16|SQbf16|SQ8_direct|SQ8_direct_signed``,
    ``IVF{nlist},<Flat|PQ..|SQ..>``, ``HNSW{M}[,Flat]``, ``HNSW{M}_<PQ..|SQ..>``,
    ``IVF{nlist}_HNSW{M},<codes>`` (an HNSW coarse quantizer), an ``IDMap`` or
    ``IDMap2`` prefix or suffix, a ``MinMax`` or ``MinMaxFP16`` prefix
    (IndexRowwiseMinMax over the rest), ``IMI2x{b},<codes>`` (an IVF over a
    MultiIndexQuantizer), ``Residual{n},PQ{M}`` and ``Residual{M}x{b},PQ{M}``
    (Index2Layer), ``IVF{n},PQ{M}+{M_refine}`` (IndexIVFPQR), vector transforms
    before the index (``PCA{d}``, ``PCAR{d}``, ``PCAW{d}``, ``PCAWR{d}``,
    ``OPQ{M}[_{d}]``, ``RR{d}``, ``ITQ[{d}]``, ``Pad{d}``, ``L2norm``: an
    IndexPreTransform) and a ``,RFlat`` or ``,Refine(<description>)`` suffix
    (``Refine(SQ8)``: an IndexRefine whose refine index the description
    builds); the graph, additive, fast-scan and RaBitQ strings of faiss 1.15
    too (see docs/guide).

    Parameters
    ----------
    d : int
        Dimension of the vectors.
    description : str
        The description, e.g. ``"IVF1024,PQ16"``.
    metric : int or str
        ``METRIC_L2`` (default), ``METRIC_INNER_PRODUCT``, ... or a name.

    Returns
    -------
    Index
        The index, of the class faiss would build (untrained where it needs
        training).

    Raises
    ------
    InvalidArgumentError (a ValueError)
        A string that does not parse, naming the part; d < 1.
    """
    d = as_int(d, "index_factory", "d")
    if not isinstance(description, str):
        raise InvalidArgumentError(f"index_factory: the description must be a string, got {type(description).__name__}")
    metric = MetricType.parse(metric)
    refine = None
    parts = _split_top(description)
    if len(parts) > 1 and parts[-1].startswith("Refine(") and parts[-1].endswith(")"):
        # Refine(<description>): the refine index is any index the factory builds
        refine = parts.pop()[len("Refine("):-1].strip()
    wrap = None
    if parts[0] in ("IDMap", "IDMap2"):
        wrap = IndexIDMap2 if parts[0] == "IDMap2" else IndexIDMap
        parts = parts[1:]
    elif len(parts) > 1 and parts[-1] in ("IDMap", "IDMap2"):  # faiss accepts the suffix too
        wrap = IndexIDMap2 if parts[-1] == "IDMap2" else IndexIDMap
        parts = parts[:-1]
    if wrap is not None:
        if not parts:
            raise InvalidArgumentError(f"index_factory: {description!r} names no index for the IDMap to wrap")
    if parts[0] in ("MinMax", "MinMaxFP16") and refine is None:
        # MinMax[FP16],<description>: the rest codes the scaled vectors
        if len(parts) == 1:
            raise InvalidArgumentError(f"index_factory: {description!r} names no index after {parts[0]}")
        minmax = IndexRowwiseMinMaxFP16 if parts[0] == "MinMaxFP16" else IndexRowwiseMinMax
        index = minmax(index_factory(d, ",".join(parts[1:]), metric))
        index.own_fields = True
        return wrap(index) if wrap else index
    if refine is None and len(parts) > 1 and parts[-1] in _REFINE:
        refine = parts.pop()
    # Transforms come first; a refinement ranks by the untransformed
    # vectors, so it wraps the whole pre-transformed index, as in faiss.
    transforms, dt = [], d
    while len(parts) > 1:
        t = _transform(dt, parts[0], description)
        if t is None:
            break
        transforms.append(t[0])
        dt = t[1]
        parts = parts[1:]
    index = _build(dt, parts, metric, description)
    if transforms:
        index = _pretransformed(transforms, index)
    if refine == "RFlat":
        index = IndexRefineFlat(index)
    elif refine in _REFINE or refine == "Flat":
        index = IndexRefine(index, IndexFlat(d, metric))
    elif refine:
        index = IndexRefine(index, index_factory(d, refine, metric))
    return wrap(index) if wrap else index


def _split_top(description):
    """The comma-separated parts of a description, commas inside
    parentheses kept (IVF32(PQ15), Refine(ITQ,LSH))."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(description):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                raise InvalidArgumentError(f"index_factory: unbalanced parentheses in {description!r}")
        elif c == "," and depth == 0:
            parts.append(description[start:i].strip())
            start = i + 1
    if depth:
        raise InvalidArgumentError(f"index_factory: unbalanced parentheses in {description!r}")
    parts.append(description[start:].strip())
    return parts


def _transform(d, part, description):
    """(transform, d_out) for a transform part of the description, or None."""
    for pattern, make in _TRANSFORMS:
        m = pattern.fullmatch(part)
        if m:
            try:
                return make(d, m)
            except MetalFaissError as e:
                _fail(part, description, f"{e}: in")
    return None


def _pretransformed(transforms, index):
    """An IndexPreTransform applying transforms in order before index."""
    pre = IndexPreTransform(transforms[-1], index)
    for t in reversed(transforms[:-1]):
        pre.prepend_transform(t)
    return pre


def _codes(d, part, description):
    """(kind, args) of a codes description: Flat, PQ or SQ."""
    if part == "Flat":
        return "Flat", ()
    if part == "FlatDedup":
        return "FlatDedup", ()
    m = _IVF_PANORAMA.fullmatch(part)
    if m:  # faiss's defaults: 8 levels in batches of 1024
        return "FlatPanorama", (int(m[1] or 8), int(m[2] or 1024))
    m = _PQFS.fullmatch(part)
    if m:
        if int(m[1]) <= 0:
            _fail(part, description, "M must be positive in")
        return "PQfs", (int(m[1]), int(m[3] or 32), m[2] == "r")
    m = _PQ.fullmatch(part)
    if m:
        M, nbits = int(m.group(1)), int(m.group(2) or 8)
        if M <= 0:
            _fail(part, description, "M must be positive in")
        return "PQ", (M, nbits, m.group(3) is None)
    if part in _SQ:
        return "SQ", (_SQ[part],)
    m = _RABITQ.fullmatch(part)
    if m:
        return "RaBitQ", (int(m[1] or 1),)
    m = _RABITQFS.fullmatch(part)
    if m:
        return "RaBitQfs", (int(m[1] or 1), int(m[2] or 32))
    m = _AQFS.fullmatch(part)
    if m:
        return m[1] + "fs", ((1, int(m[2])), int(m[4] or 32), m[3] == "r", _AQ_NORM.get(m[5]))
    m = _PAQFS.fullmatch(part)
    if m:
        return m[1] + "fs", ((int(m[2]), int(m[3])), int(m[5] or 32), m[4] == "r", _AQ_NORM.get(m[6]))
    m = _AQ.fullmatch(part)
    if m:
        nbits = []
        for group in m[2].split("_"):
            M, b = (int(v) for v in group.split("x"))
            nbits += [b] * M
        return m[1], (nbits, _AQ_NORM.get(m[3]))
    m = _PAQ.fullmatch(part)
    if m:
        return m[1], ((int(m[2]), int(m[3]), int(m[4])), _AQ_NORM.get(m[5]))
    m = _LSQ.fullmatch(part)
    if m:
        return "LSQ", ((int(m[1]), int(m[2])), _AQ_NORM.get(m[3]))
    _unknown(part, description)


# the additive indexes by factory kind, flat and IVF
_FLAT_AQ = {"PRQ": IndexProductResidualQuantizer, "LSQ": IndexLocalSearchQuantizer,
            "PLSQ": IndexProductLocalSearchQuantizer}
_FLAT_AQFS = {"RQfs": IndexResidualQuantizerFastScan, "LSQfs": IndexLocalSearchQuantizerFastScan,
              "PRQfs": IndexProductResidualQuantizerFastScan, "PLSQfs": IndexProductLocalSearchQuantizerFastScan}
_IVF_AQFS = {"RQfs": IndexIVFResidualQuantizerFastScan, "LSQfs": IndexIVFLocalSearchQuantizerFastScan,
             "PRQfs": IndexIVFProductResidualQuantizerFastScan,
             "PLSQfs": IndexIVFProductLocalSearchQuantizerFastScan}
_IVF_AQ = {"PRQ": IndexIVFProductResidualQuantizer, "LSQ": IndexIVFLocalSearchQuantizer,
           "PLSQ": IndexIVFProductLocalSearchQuantizer}


def _aq_search_type(st, metric):
    if st is not None:
        return st
    return 0 if MetricType.parse(metric) == METRIC_L2 else 1


def _spectral_hash(d, quantizer, nlist, vt_match, sh, description):
    """IndexIVFSpectralHash from "ITQ{b},SH{period}{g|c|m}" as faiss's factory
    makes it: the transform replaces the rotation; no period means -1e10
    (the bit is the sign)."""
    nbit = int(vt_match[2]) if vt_match[2] else d
    kind = vt_match[1]
    if kind == "ITQ":
        vt = ITQTransform(d, nbit, d != nbit)
    else:
        vt = PCAMatrix(d, nbit, 0.0, kind == "PCAR")
    try:
        period = float(sh[1]) if sh[1] else -1e10
    except ValueError:
        _fail(sh[0], description, "could not parse the period in")
    index = IndexIVFSpectralHash(quantizer, d, nlist, nbit, period)
    index.replace_vt(vt, True)
    if sh[2]:
        index.threshold_type = {"g": 0, "c": 1, "m": 3}[sh[2]]
    return index


def _two_layer(d, m, parts, description):
    """Index2Layer from "Residual{n},PQ{M}" or "Residual{M}x{b},PQ{M}", in
    L2 as faiss's factory makes it."""
    if len(parts) != 2:
        _fail(parts[0], description, "a Residual coarse part needs one 'PQ{M}' after it in")
    code = _RESIDUAL_PQ.fullmatch(parts[1])
    if not code:
        _fail(parts[1], description, "could not parse 2 layer code description")
    if m[2] is not None:
        mi_m, mi_bits = int(m[1]), int(m[2])
        if not 1 <= mi_bits <= 16 or mi_m * mi_bits > 62:
            _fail(parts[0], description, "the multi-index takes M x nbits of 1..16 bits, 62 bits in all, in")
        quantizer, nlist = MultiIndexQuantizer(d, mi_m, mi_bits), 1 << (mi_m * mi_bits)
    else:
        nlist = int(m[1])
        quantizer = IndexFlat(d, METRIC_L2)
    return Index2Layer(quantizer, nlist, int(code[1]), int(code[2] or 8))


def _build(d, parts, metric, description):
    first = parts[0]
    m = _LSH.fullmatch(first)
    if m and len(parts) == 1:
        if MetricType.parse(metric) != METRIC_L2:
            _fail(first, description, "LSH takes the L2 metric only, in")
        return IndexLSH(d, int(m[1]) if m[1] else d, bool(m[2]), bool(m[3]))
    m = _RESIDUAL.fullmatch(first)
    if m:
        return _two_layer(d, m, parts, description)
    m, imi = _IVF.fullmatch(first), _IMI.fullmatch(first)
    if m or imi:
        if len(parts) < 2:
            _fail(first, description, "an IVF needs its codes (e.g. ',Flat') after")
        sh = _SH.fullmatch(parts[2]) if len(parts) == 3 and _SH_VT.fullmatch(parts[1]) else None
        if len(parts) > 2 and not sh:
            _unknown(parts[2], description)
        if imi:
            if MetricType.parse(metric) != METRIC_L2:
                _fail(first, description, "the multi-index takes the L2 metric only, in")
            nbits = int(imi[1])
            if not 1 <= nbits <= 16:
                _fail(first, description, "the multi-index takes 1..16 bits a half, in")
            nlist = 1 << (2 * nbits)
        else:
            nlist = int(m.group(1)) * {"": 1, "k": 1024, "M": 1024 * 1024}[m.group(2)]
            if nlist <= 0:
                _fail(first, description, "nlist must be positive in")
        pqr = _PQR.fullmatch(parts[1])
        kind, args = ("PQR", None) if pqr else ("SH", None) if sh else _codes(d, parts[1], description)
        if imi:
            quantizer = MultiIndexQuantizer(d, 2, nbits)
        elif m.group(3) is not None:
            quantizer = IndexHNSWFlat(d, _hnsw_m(m.group(3), first, description), metric)
        elif m.group(4) is not None:  # the quantizer's own description
            quantizer = index_factory(d, m.group(4), metric)
        else:
            quantizer = IndexFlat(d, metric)
        if kind == "SH":
            return _spectral_hash(d, quantizer, nlist, _SH_VT.fullmatch(parts[1]), sh, description)
        if kind == "PQR":
            if MetricType.parse(metric) != METRIC_L2:
                _fail(parts[1], description, "IndexIVFPQR takes the L2 metric only, in")
            return IndexIVFPQR(quantizer, d, nlist, int(pqr[1]), int(pqr[2] or 8), int(pqr[3]), 8)
        if kind == "Flat":
            return IndexIVFFlat(quantizer, d, nlist, metric)
        if kind == "FlatDedup":
            return IndexIVFFlatDedup(quantizer, d, nlist, metric)
        if kind == "FlatPanorama":
            return IndexIVFFlatPanorama(quantizer, d, nlist, args[0], metric, True, args[1])
        if kind == "PQfs":
            index = IndexIVFPQFastScan(quantizer, d, nlist, args[0], 4, metric, args[1])
            index.by_residual = args[2]
            return index
        if kind == "PQ":
            return _polysemous(IndexIVFPQ(quantizer, d, nlist, *args[:2], metric), args[2])
        if kind == "RaBitQ":
            return IndexIVFRaBitQ(quantizer, d, nlist, metric, True, args[0])
        if kind == "RQ":
            return IndexIVFResidualQuantizer(quantizer, d, nlist, args[0], metric, _aq_search_type(args[1], metric))
        if kind in _IVF_AQFS:
            (nsplits, M), bbs, by_residual, st = args
            shape = (M,) if kind in ("RQfs", "LSQfs") else (nsplits, M)
            index = _IVF_AQFS[kind](quantizer, d, nlist, *shape, 4, metric, _aq_search_type(st, metric), bbs)
            index.by_residual = by_residual  # faiss: only with "fsr"
            return index
        if kind in _IVF_AQ:
            return _IVF_AQ[kind](quantizer, d, nlist, *args[0], metric, _aq_search_type(args[1], metric))
        if kind == "RCQ":
            _unknown(parts[1], description)
        if kind == "RaBitQfs":
            return IndexIVFRaBitQFastScan(quantizer, d, nlist, metric, args[1], True, args[0])
        return IndexIVFScalarQuantizer(quantizer, d, nlist, args[0], metric)
    m = _HNSW.fullmatch(first)
    if m:
        M = _hnsw_m(m.group(1), first, description)
        if len(parts) > 2 or (len(parts) == 2 and m.group(2)):
            _unknown(parts[1], description)
        codes = m.group(2) or (parts[1] if len(parts) == 2 else None)  # HNSW32_SQ8 or HNSW32,SQ8
        if codes is None:
            return IndexHNSWFlat(d, M, metric)
        pano = re.fullmatch(r"FlatPanorama(\d*)", codes)
        if pano:  # faiss's default: 8 levels; L2 whatever the metric asked
            return IndexHNSWFlatPanorama(d, M, int(pano[1]) if pano[1] else 8)
        kind, args = _codes(d, codes, description)
        if kind in ("FlatDedup", "FlatPanorama", "PQfs", "RaBitQ", "RaBitQfs", "RQ", "RCQ", "PRQ", "LSQ", "PLSQ") or kind in _FLAT_AQFS:
            _unknown(codes, description)
        if kind == "Flat":
            return IndexHNSWFlat(d, M, metric)
        if kind == "PQ":
            index = IndexHNSWPQ(d, args[0], M, args[1], metric)
            _polysemous(index.storage, args[2])  # faiss sets it on the storage too
            return index
        return IndexHNSWSQ(d, args[0], M, metric)
    m = _NSG.fullmatch(first)
    if m:
        return _nsg(d, m, parts, metric, description)
    m = _FLAT_PANORAMA.fullmatch(first)
    if m and len(parts) == 1:
        return (IndexFlatL2Panorama if m[1] == "L2" else IndexFlatIPPanorama)(d, int(m[2]), int(m[3] or 1024))
    if len(parts) > 1:
        _unknown(parts[1] if first in ("Flat",) or _PQ.fullmatch(first) or first in _SQ else first, description)
    kind, args = _codes(d, first, description)
    if kind in ("FlatDedup", "FlatPanorama") or (kind == "PQfs" and args[2]):
        _unknown(first, description)
    if kind == "PQfs":
        return IndexPQFastScan(d, args[0], 4, metric, args[1])
    if kind in _FLAT_AQFS:
        (nsplits, M), bbs, _, st = args
        shape = (M,) if kind in ("RQfs", "LSQfs") else (nsplits, M)
        return _FLAT_AQFS[kind](d, *shape, 4, metric, _aq_search_type(st, metric), bbs)
    if kind == "RaBitQ":
        return IndexRaBitQ(d, metric, args[0])
    if kind == "RQ":
        return IndexResidualQuantizer(d, args[0], metric, _aq_search_type(args[1], metric))
    if kind in _FLAT_AQ:
        return _FLAT_AQ[kind](d, *args[0], metric, _aq_search_type(args[1], metric))
    if kind == "RCQ":
        if args[1] is not None:
            _unknown(first, description)
        return ResidualCoarseQuantizer(d, args[0], metric)
    if kind == "RaBitQfs":
        return IndexRaBitQFastScan(d, metric, args[1], args[0])
    if kind == "Flat":
        return IndexFlat(d, metric)
    if kind == "PQ":
        return _polysemous(IndexPQ(d, *args[:2], metric), args[2])
    return IndexScalarQuantizer(d, args[0], metric)


def _hadamard(d):
    t = HadamardRotation(d)
    return t, t.d_out


def _polysemous(index, on):
    index.do_polysemous_training = on
    return index


def _nsg(d, m, parts, metric, description):
    R = int(m.group(1)) if m.group(1) else 32  # faiss's default R
    if R < 1:
        _fail(parts[0], description, "NSG needs R >= 1 in")
    if len(parts) > 2 or (len(parts) == 2 and m.group(2)):
        _unknown(parts[-1], description)
    codes = m.group(2) or (parts[1] if len(parts) == 2 else None)  # NSG32_SQ8 or NSG32,SQ8
    if codes is None:
        return IndexNSGFlat(d, R, metric)
    kind, args = _codes(d, codes, description)
    if kind == "Flat":
        return IndexNSGFlat(d, R, metric)
    if kind == "PQ":  # faiss's IndexNSGPQ measures L2, whatever the metric asked
        index = IndexNSGPQ(d, args[0], R, args[1])
        _polysemous(index.storage, args[2])
        return index
    if kind == "SQ":
        return IndexNSGSQ(d, args[0], R, metric)
    _unknown(codes, description)


def _hnsw_m(text, part, description):
    M = int(text) if text else 32  # faiss's default M
    if M < 2:
        _fail(part, description, "HNSW needs M >= 2 in")
    return M


def _codes_name(index, what):
    if isinstance(index, IndexIVFFlatDedup):
        return "FlatDedup"
    if isinstance(index, IndexIVFFlatPanorama):
        return f"FlatPanorama{index.n_levels}" + ("" if index.batch_size == 1024 else f"_{index.batch_size}")
    if isinstance(index, (IndexRaBitQFastScan, IndexIVFRaBitQFastScan)):
        nb = index.rabitq.nb_bits
        return "RaBitQfs" + ("" if nb == 1 else str(nb)) + ("" if index.bbs == 32 else f"_{index.bbs}")
    if isinstance(index, (IndexRaBitQ, IndexIVFRaBitQ)):
        nb = index.rabitq.nb_bits
        return "RaBitQ" + ("" if nb == 1 else str(nb))
    if hasattr(type(index), "pq"):
        pq = index.pq
        return f"PQ{pq.M}x{pq.nbits}"
    if hasattr(type(index), "sq"):
        qtype = index.sq.qtype
        if qtype not in _SQ_NAME:
            raise InvalidArgumentError(f"reverse_index_factory: scalar quantizer type {qtype} has no factory string")
        return _SQ_NAME[qtype]
    return "Flat"


def reverse_index_factory(index: Index) -> str:
    """The index_factory string that builds an index of this structure (faiss: ``reverse_index_factory``).

    Parameters
    ----------
    index : Index
        The index to describe (trained or not; the string says nothing of
        its contents).

    Returns
    -------
    str
        A description such that ``index_factory(d, s)`` builds an index of
        the same classes and sizes.

    Raises
    ------
    InvalidArgumentError
        index is not a metalfaiss index, or of a kind the factory cannot
        build.
    """
    if not isinstance(index, Index):
        raise InvalidArgumentError(f"reverse_index_factory: expected a metalfaiss index, got {type(index).__name__}")
    if isinstance(index, IndexPreTransform):
        return ",".join(_transform_name(t) for t in index.chain) + "," + reverse_index_factory(index.index)
    if isinstance(index, IndexIDMap):
        prefix = "IDMap2," if isinstance(index, IndexIDMap2) else "IDMap,"
        return prefix + reverse_index_factory(index.index)
    if isinstance(index, Index2Layer):
        q = index.q1.quantizer
        coarse = f"{q.pq.M}x{q.pq.nbits}" if isinstance(q, MultiIndexQuantizer) else str(index.q1.nlist)
        nbits = "" if index.pq.nbits == 8 else f"x{index.pq.nbits}"
        return f"Residual{coarse},PQ{index.pq.M}{nbits}"
    if isinstance(index, IndexRowwiseMinMaxBase):
        prefix = "MinMaxFP16," if isinstance(index, IndexRowwiseMinMaxFP16) else "MinMax,"
        return prefix + reverse_index_factory(index.index)
    if isinstance(index, IndexRefine):
        return reverse_index_factory(index.base_index) + f",Refine({reverse_index_factory(index.refine_index)})"
    if isinstance(index, IndexIVFPQFastScan):
        fs = f"PQ{index.M}x4fs" + ("r" if index.by_residual else "") + ("" if index.bbs == 32 else f"_{index.bbs}")
        return f"IVF{index.nlist}," + fs
    if isinstance(index, IndexIVFPQR):
        nbits = "" if index.pq.nbits == 8 else f"x{index.pq.nbits}"
        return f"IVF{index.nlist},PQ{index.pq.M}{nbits}+{index.refine_pq.M}"
    if isinstance(index, (IndexIVFFlat, IndexIVFPQ, IndexIVFScalarQuantizer, IndexIVFRaBitQ, IndexIVFRaBitQFastScan)):
        q = index.quantizer
        if type(q) is MultiIndexQuantizer and q.pq.M == 2:
            return f"IMI2x{q.pq.nbits}," + _codes_name(index, "IVF")
        coarse = f"_HNSW{q.hnsw.M}" if isinstance(q, IndexHNSWFlat) else ""
        return f"IVF{index.nlist}{coarse}," + _codes_name(index, "IVF")
    if isinstance(index, IndexHNSWFlatPanorama):
        return f"HNSW{index.hnsw.M}_FlatPanorama{index.num_panorama_levels}"
    if isinstance(index, IndexHNSW):
        codes = _codes_name(index.storage, "HNSW")
        return f"HNSW{index.hnsw.M}" + ("" if codes == "Flat" else "_" + codes)
    if isinstance(index, IndexNSG):
        codes = _codes_name(index.storage, "NSG")
        return f"NSG{index.nsg.R}" + ("" if codes == "Flat" else "_" + codes)
    if isinstance(index, (IndexPQ, IndexScalarQuantizer, IndexRaBitQ, IndexRaBitQFastScan)):
        return _codes_name(index, "flat")
    if isinstance(index, IndexPQFastScan):
        return f"PQ{index.M}x4fs" + ("" if index.bbs == 32 else f"_{index.bbs}")
    if isinstance(index, IndexLSH):
        nbits = "" if index.nbits == index.d else str(index.nbits)
        return f"LSH{nbits}{'r' if index.rotate_data else ''}{'t' if index.train_thresholds else ''}"
    if isinstance(index, IndexFlat) or type(index).__name__.startswith("GpuIndexFlat"):
        return "Flat"
    raise InvalidArgumentError(f"reverse_index_factory: no factory string for {type(index).__name__}")


def _transform_name(t):
    if isinstance(t, PCAMatrix):
        return f"PCA{'W' if t.eigen_power == -0.5 else ''}{'R' if t.random_rotation else ''}{t.d_out}"
    if isinstance(t, OPQMatrix):
        return f"OPQ{t.M}" + (f"_{t.d_out}" if t.d_out != t.d_in else "")
    if isinstance(t, RandomRotationMatrix):
        return f"RR{t.d_out}"
    if isinstance(t, ITQTransform):
        return f"ITQ{t.d_out}" if t.do_pca else "ITQ"
    if isinstance(t, NormalizationTransform):
        return "L2norm"
    if isinstance(t, HadamardRotation):
        return "HR"
    if isinstance(t, RemapDimensionsTransform):
        return f"Pad{t.d_out}"
    raise InvalidArgumentError(f"reverse_index_factory: no factory string for {type(t).__name__}")
