"""metalfaiss: vector search and clustering with faiss's API, on a Go core.

Use it as faiss::

    import metalfaiss as faiss
    index = faiss.IndexFlatL2(d)
    index.add(xb)
    D, I = index.search(xq, 10)
"""

__version__ = "0.1.0"  # pyproject.toml's version (a test keeps them equal)

from .clustering_parameters import ClusteringParameters
from .distances import knn, normalize_L2, pairwise_distances
from .errors import (
    ClosedIndexError,
    DimensionMismatchError,
    ForkedProcessError,
    GpuError,
    GpuUnavailableError,
    InputTypeError,
    InternalError,
    InvalidArgumentError,
    MetalFaissError,
    MetalFaissWarning,
    NotTrainedError,
    OperationInterruptedError,
    ResultTooLargeError,
    UnsupportedOperationError,
)
from .gpu_ivf import (
    GpuIndexIVFConfig,
    GpuIndexIVFFlat,
    GpuIndexIVFFlatConfig,
    GpuIndexIVFPQ,
    GpuIndexIVFPQConfig,
    GpuIndexIVFScalarQuantizer,
    GpuIndexIVFScalarQuantizerConfig,
)
from .gpu import (
    GpuClonerOptions,
    GpuMultipleClonerOptions,
    GpuIndexFlat,
    GpuIndexFlatConfig,
    GpuIndexFlatIP,
    GpuIndexFlatL2,
    StandardGpuResources,
    get_num_gpus,
    gpu_info,
    index_cpu_to_all_gpus,
    index_cpu_to_gpu,
    index_cpu_to_gpus_list,
    index_gpu_to_cpu,
)
from .index import Index
from .index_idmap import IndexIDMap, IndexIDMap2
from .multi_index import MultiIndexQuantizer, MultiIndexQuantizer2
from .index_2layer import Index2Layer, Level1Quantizer
from .index_ivfpqr import IndexIVFPQR
from .index_ivf_spectral_hash import IndexIVFSpectralHash
from .index_rowwise_minmax import IndexRowwiseMinMax, IndexRowwiseMinMaxBase, IndexRowwiseMinMaxFP16
from .downcast import (
    downcast_AdditiveQuantizer, downcast_index, downcast_IndexBinary, downcast_Quantizer, downcast_VectorTransform,
)
from .index_io import (
    read_ProductQuantizer,
    write_ProductQuantizer,
    IO_FLAG_MMAP,
    IO_FLAG_MMAP_IFC,
    IO_FLAG_ONDISK_SAME_DIR,
    IO_FLAG_PQ_SKIP_SDC_TABLE,
    IO_FLAG_READ_ONLY,
    IO_FLAG_SKIP_PRECOMPUTE_TABLE,
    IO_FLAG_SKIP_STORAGE,
    IO_FLAG_SKIP_IVF_DATA,
    clone_index,
    deserialize_index,
    deserialize_index_binary,
    read_VectorTransform,
    read_index_binary,
    read_index,
    serialize_index,
    serialize_index_binary,
    write_VectorTransform,
    write_index_binary,
    write_index,
)
from .index_ivf import (
    DirectMap,
    IndexIVF,
    IndexIVFFlat,
    IndexIVFFlatDedup,
    IndexIVFFlatPanorama,
    IndexIVFPQ,
    IndexIVFScalarQuantizer,
    InvertedLists,
    extract_index_ivf,
)
from .index_binary import (
    IndexBinary, IndexBinaryFlat, IndexBinaryFromFloat, IndexBinaryHNSW, IndexBinaryIDMap, IndexBinaryIDMap2,
    IndexBinaryIVF,
)
from .index_binary_hash import IndexBinaryHash, IndexBinaryMultiHash
from .index_binary_shards import IndexBinaryReplicas, IndexBinaryShards
from .index_binary_factory import index_binary_factory
from .index_hnsw import HNSW, IndexHNSW, IndexHNSW2Level, IndexHNSWCagra, IndexHNSWFlat, IndexHNSWFlatPanorama, IndexHNSWPQ, IndexHNSWSQ, NumericType
from .index_flat_panorama import IndexFlatIPPanorama, IndexFlatL2Panorama, IndexFlatPanorama
from .index_nsg import (NSG, IndexNNDescent, IndexNNDescentFlat, IndexNSG, IndexNSGFlat, IndexNSGPQ, IndexNSGSQ,
                        NNDescent, VisitedTable, VisitedTableSet, VisitedTableVector)
from .index_pq import IndexPQ, IndexScalarQuantizer
from .additive_quantizers import (
    AdditiveQuantizer, LocalSearchQuantizer, ProductAdditiveQuantizer, ProductLocalSearchQuantizer,
    ProductResidualQuantizer, ResidualQuantizer, beam_search_encode_step,
)
from .aq_steps import beam_search_encode_step_tab
from .index_additive import (
    AdditiveCoarseQuantizer, IndexAdditiveQuantizer, IndexIVFAdditiveQuantizer, IndexIVFLocalSearchQuantizer,
    IndexIVFProductLocalSearchQuantizer, IndexIVFProductResidualQuantizer, IndexIVFResidualQuantizer,
    IndexLocalSearchQuantizer, IndexProductLocalSearchQuantizer, IndexProductResidualQuantizer,
    IndexResidualQuantizer, LocalSearchCoarseQuantizer, ResidualCoarseQuantizer,
)
from .index_fastscan import CodePackerPQ4, IndexFastScan, IndexPQFastScan
from .index_additive_fastscan import (
    IndexAdditiveQuantizerFastScan, IndexIVFAdditiveQuantizerFastScan, IndexIVFLocalSearchQuantizerFastScan,
    IndexIVFProductLocalSearchQuantizerFastScan, IndexIVFProductResidualQuantizerFastScan,
    IndexIVFResidualQuantizerFastScan, IndexLocalSearchQuantizerFastScan, IndexProductLocalSearchQuantizerFastScan,
    IndexProductResidualQuantizerFastScan, IndexResidualQuantizerFastScan,
)
from .index_rabitq import (
    IndexIVFRaBitQ, IndexIVFRaBitQFastScan, IndexRaBitQ, IndexRaBitQFastScan, RaBitQuantizer, round_clamped_to_uint8,
    round_nonnegative_to_uint8,
    round_nonnegative_to_uint16,
)
from .index_ivf_fastscan import BlockInvertedLists, IndexIVFPQFastScan
from .index_refine import IndexRefine, IndexRefineFlat, IndexRefinePanorama
from .index_pretransform import IndexPreTransform
from .index_lsh import IndexLSH
from .index_shards import IndexReplicas, IndexShards, IndexShardsIVF
from .index_random import IndexRandom
from .index_ivf_independent import IndexIVFIndependentQuantizer
from .transforms import (
    CenteringTransform,
    ITQMatrix,
    ITQTransform,
    LinearTransform,
    HadamardRotation,
    NormalizationTransform,
    OPQMatrix,
    PCAMatrix,
    RandomRotationMatrix,
    RemapDimensionsTransform,
    VectorTransform,
)
from .quantizers import ProductQuantizer, ScalarQuantizer
from .search_params import (
    IndexRefineSearchParameters, IVFPQSearchParameters, IVFRaBitQSearchParameters, RaBitQSearchParameters,
    SearchParameters, SearchParametersHNSW, SearchParametersIVF, SearchParametersPQ,
    SearchParametersResidualCoarseQuantizer,
)
from .factory import index_factory, reverse_index_factory
from .parameter_space import ParameterRange, ParameterSpace
from .autotune_criteria import AutoTuneCriterion, IntersectionCriterion, OneRecallAtRCriterion
from .index_flat import IndexFlat, IndexFlatIP, IndexFlatL2
from .faiss_clustering import Clustering, ClusteringIterationStats
from .clustering_1d import Clustering1D, smawk
from .polysemous import PolysemousTraining
from .distance_computer import DistanceComputer, FlatCodesDistanceComputer, IndexFlatCodes
from .kmeans import Kmeans
from .progressive_dim import (
    GpuProgressiveDimIndexFactory, ProgressiveDimClustering, ProgressiveDimClusteringParameters,
    ProgressiveDimIndexFactory,
)
from .vectors import (
    ByteVector, Float32Vector, Float64Vector, FloatVector, Int8Vector, Int16Vector, Int32Vector, Int64Vector,
    IntVector, LongVector, UInt8Vector, UInt16Vector, UInt32Vector, UInt64Vector, copy_array_to_vector,
    vector_float_to_array, vector_to_array,
)
from .metric import (
    METRIC_INNER_PRODUCT,
    METRIC_L1,
    METRIC_L2,
    METRIC_BrayCurtis,
    METRIC_Canberra,
    METRIC_GOWER,
    METRIC_Jaccard,
    METRIC_JensenShannon,
    METRIC_NaNEuclidean,
    METRIC_Linf,
    METRIC_Lp,
    MetricType,
)
from .random_draws import (
    byte_rand, float_rand, float_randn, int64_rand, int64_rand_max, lrand, rand, rand_perm, rand_smooth_vectors,
    randint, randn,
)
from .swig_pointers import rev_swig_ptr, swig_ptr
from .bitstrings import BitstringReader, BitstringWriter
from .code_set import CodeSet
from .timeout_guard import TimeoutGuard
from .bucket_sort import MapInt64ToInt64, MapLong2Long, bucket_sort, matrix_bucket_sort_inplace
from .aligned_table import (
    AlignedTable_to_array, AlignedTableFloat32, AlignedTableUint8, AlignedTableUint16, array_to_AlignedTable,
    copy_array_to_AlignedTable,
)
from .partition import (
    CMax_float_partition_fuzzy, CMax_uint16_partition_fuzzy, CMin_float_partition_fuzzy, CMin_uint16_partition_fuzzy,
    simd_histogram_8, simd_histogram_16,
)
from .matrix_stats import MatrixStats
from .clustering_init import (
    ClusteringInitialization, ClusteringInitMethod_AFK_MC2, ClusteringInitMethod_KMEANS_PLUS_PLUS,
    ClusteringInitMethod_RANDOM,
)
from .index_flat1d import IndexFlat1D
from .simd import (
    SIMDConfig, SIMDLevel_ARM_NEON, SIMDLevel_ARM_SVE, SIMDLevel_AVX2, SIMDLevel_AVX512, SIMDLevel_AVX512_SPR,
    SIMDLevel_AVX512_VPOPCNT, SIMDLevel_COUNT, SIMDLevel_NONE, SIMDLevel_RISCV_RVV,
)
from .io_objects import (
    BufferedIOReader, BufferedIOWriter, FileIOReader, FileIOWriter, IOReader, IOWriter, PyCallbackIOReader,
    PyCallbackIOWriter, VectorIOReader, VectorIOWriter, ZeroCopyIOReader,
)
from .operating_points import OperatingPoint, OperatingPoints
from .ondisk_invlists import InvertedListsPtrVector, OnDiskInvertedLists
from .ivflib import (
    IVFSearchParameters, check_compatible_for_merge, get_invlist_range, merge_into, range_search_with_parameters,
    search_and_return_centroids, search_centroid, search_with_parameters, set_invlist_range,
    shard_binary_ivf_index_centroids, shard_ivf_index_centroids,
)
from .invlists import (
    ArrayInvertedLists, CappedInvertedLists, HStackInvertedLists, StopWordsInvertedLists, SliceInvertedLists, VStackInvertedLists, downcast_InvertedLists,
)
from .global_stats import HNSWStats, IndexIVFStats, cvar
from .vector_utils import (
    fvec_add, fvec_inner_product, fvec_inner_products_ny, fvec_L1, fvec_L2sqr, fvec_L2sqr_ny, fvec_Linf, fvec_madd,
    fvec_madd_and_argmin, fvec_norm_L2sqr, fvec_norms_L2, fvec_norms_L2sqr, fvec_renorm_L2, fvec_sub,
    knn_inner_product, knn_L2sqr, pairwise_indexed_inner_product, pairwise_indexed_L2sqr, pairwise_L2sqr,
    ranklist_intersection_size, imbalance_factor,
)
from .lut_quantization import quantize_LUT_and_bias, round_uint8_per_column, round_uint8_per_column_multi
from .hamming_utils import (
    bitvec_shuffle, crosshamming_count_thres, generalized_hammings_knn_hc, hamming_count_thres, hammings,
    hammings_knn_hc, hammings_knn_mc, match_hamming_thres, pack_bitstrings, pack_bitstrings_c, unpack_bitstrings,
    popcount64, unpack_bitstrings_c,
)
from .heap_arrays import float_maxheap_array_t, float_minheap_array_t, int_maxheap_array_t, int_minheap_array_t
from .result_heap import ResultHeap, eval_intersection, is_similarity_metric, merge_knn_results
from .selectors import (
    IDSelector, IDSelectorAll, IDSelectorAnd, IDSelectorArray, IDSelectorBatch, IDSelectorBitmap, IDSelectorNot,
    IDSelectorOr, IDSelectorRange, IDSelectorTranslated, IDSelectorXOr, PyCallbackIDSelector,
)
from .system import (
    check_openmp, get_compile_options, get_mem_usage_kb, kernel_set, omp_get_max_threads, omp_set_num_threads,
)
from .face import (
    AnyIndex,
    FlatIndex,
    HNSWIndex,
    IDMap,
    IDMap2,
    IOFlag,
    ITQMatrixTransform,
    IVFFlatIndex,
    IVFPQIndex,
    IVFScalarQuantizerIndex,
    LSHIndex,
    OPQMatrixTransform,
    PCAMatrixTransform,
    PreTransformIndex,
    ProductQuantizerIndex,
    QuantizerType,
    RandomRotationMatrixTransform,
    RefineFlatIndex,
    ScalarQuantizerIndex,
    SearchRangeResult,
    SearchResult,
)
from . import clustering, index_pointer  # noqa: E402  (public submodules)

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "downcast_index", "downcast_IndexBinary", "downcast_Quantizer", "downcast_VectorTransform",
    "AnyIndex", "FlatIndex", "HNSWIndex", "IDMap", "IDMap2", "IOFlag", "ITQMatrixTransform", "IVFFlatIndex",
    "IVFPQIndex", "IVFScalarQuantizerIndex", "LSHIndex", "OPQMatrixTransform", "PCAMatrixTransform",
    "PreTransformIndex", "ProductQuantizerIndex", "QuantizerType", "RandomRotationMatrixTransform", "RefineFlatIndex",
    "ScalarQuantizerIndex", "SearchRangeResult", "SearchResult",
    "Clustering", "ClusteringIterationStats", "Clustering1D", "smawk", "PolysemousTraining", "DistanceComputer",
    "FlatCodesDistanceComputer", "IndexFlatCodes", "GpuProgressiveDimIndexFactory", "ProgressiveDimClustering",
    "ProgressiveDimClusteringParameters", "ProgressiveDimIndexFactory", "ClusteringParameters", "Kmeans", "MetalFaissWarning",
    "check_openmp", "get_compile_options", "get_mem_usage_kb", "kernel_set", "omp_get_max_threads", "omp_set_num_threads", "vector_float_to_array", "vector_to_array",
    "GpuClonerOptions", "GpuMultipleClonerOptions", "GpuError", "GpuIndexFlat", "GpuIndexFlatConfig", "GpuIndexFlatIP", "GpuIndexFlatL2",
    "GpuIndexIVFConfig", "GpuIndexIVFFlat", "GpuIndexIVFFlatConfig", "GpuIndexIVFPQ", "GpuIndexIVFPQConfig",
    "GpuIndexIVFScalarQuantizer",
    "GpuIndexIVFScalarQuantizerConfig",
    "GpuUnavailableError", "StandardGpuResources", "get_num_gpus", "gpu_info", "index_cpu_to_all_gpus",
    "index_cpu_to_gpu", "index_cpu_to_gpus_list", "index_gpu_to_cpu",
    "DirectMap", "IDSelector", "IDSelectorAll", "IDSelectorArray", "IDSelectorNot", "IDSelectorAnd", "IDSelectorOr", "IDSelectorXOr", "IDSelectorBitmap", "IndexIDMap", "IndexIDMap2",
    "IndexIVF", "IndexIVFFlat", "InvertedLists", "SearchParameters", "SearchParametersIVF", "extract_index_ivf",
    "ParameterRange", "ParameterSpace", "AutoTuneCriterion", "IntersectionCriterion", "OneRecallAtRCriterion",
    "index_factory", "reverse_index_factory",
    "IO_FLAG_MMAP", "IO_FLAG_READ_ONLY", "clone_index", "deserialize_index", "read_index", "serialize_index",
    "write_index", "read_VectorTransform", "write_VectorTransform", "deserialize_index_binary", "read_index_binary",
    "serialize_index_binary", "write_index_binary",
    "IndexBinary", "IndexBinaryFlat", "IndexBinaryHNSW", "IndexBinaryIDMap", "IndexBinaryIDMap2", "IndexBinaryIVF",
    "IndexBinaryHash", "IndexBinaryMultiHash", "IndexBinaryFromFloat", "IndexBinaryReplicas", "IndexBinaryShards",
    "index_binary_factory",
    "HNSW", "IndexHNSW", "IndexHNSWFlat", "IndexHNSWPQ", "IndexHNSWSQ", "SearchParametersHNSW",
    "IndexIVFPQ", "IndexIVFScalarQuantizer", "IndexPQ", "IndexScalarQuantizer", "ProductQuantizer",
    "AdditiveQuantizer", "ResidualQuantizer", "AdditiveCoarseQuantizer", "IndexAdditiveQuantizer",
    "IndexIVFAdditiveQuantizer", "IndexIVFResidualQuantizer", "IndexResidualQuantizer", "ResidualCoarseQuantizer",
    "ProductAdditiveQuantizer", "ProductResidualQuantizer", "IndexProductResidualQuantizer",
    "IndexIVFProductResidualQuantizer", "LocalSearchQuantizer", "ProductLocalSearchQuantizer",
    "IndexLocalSearchQuantizer", "IndexIVFLocalSearchQuantizer", "IndexProductLocalSearchQuantizer",
    "IndexIVFProductLocalSearchQuantizer", "LocalSearchCoarseQuantizer", "beam_search_encode_step", "beam_search_encode_step_tab",
    "IndexAdditiveQuantizerFastScan", "IndexResidualQuantizerFastScan", "IndexLocalSearchQuantizerFastScan",
    "IndexProductResidualQuantizerFastScan", "IndexProductLocalSearchQuantizerFastScan",
    "IndexIVFAdditiveQuantizerFastScan", "IndexIVFResidualQuantizerFastScan", "IndexIVFLocalSearchQuantizerFastScan",
    "IndexIVFProductResidualQuantizerFastScan", "IndexIVFProductLocalSearchQuantizerFastScan",
    "downcast_AdditiveQuantizer",
    "CodePackerPQ4", "IndexFastScan", "IndexPQFastScan", "IndexRaBitQ", "IndexIVFRaBitQ", "RaBitQuantizer", "IndexRaBitQFastScan",
    "IndexIVFRaBitQFastScan",
    "RaBitQSearchParameters", "IVFRaBitQSearchParameters", "round_nonnegative_to_uint8", "round_nonnegative_to_uint16",
    "round_clamped_to_uint8", "BlockInvertedLists", "IndexIVFPQFastScan", "ScalarQuantizer",
    "IndexRefine", "IndexRefineFlat", "IndexRefinePanorama", "IndexPreTransform", "IndexLSH", "IndexReplicas", "IndexShards", "IndexShardsIVF",
    "IndexRandom", "IndexIVFIndependentQuantizer", "IndexIVFFlatDedup", "IndexIVFFlatPanorama", "MultiIndexQuantizer", "MultiIndexQuantizer2", "Index2Layer", "Level1Quantizer", "IndexIVFPQR", "IndexIVFSpectralHash", "IndexHNSWCagra", "NumericType", "IndexRowwiseMinMax", "IndexRowwiseMinMaxBase", "IndexRowwiseMinMaxFP16",
    "IndexFlatPanorama", "IndexFlatL2Panorama", "IndexFlatIPPanorama", "IndexHNSWFlatPanorama", "IndexHNSW2Level", "NSG", "IndexNSG", "IndexNSGFlat", "IndexNSGPQ", "IndexNSGSQ", "NNDescent", "IndexNNDescent", "IndexNNDescentFlat",
    "VisitedTable", "VisitedTableSet", "VisitedTableVector",
    "CenteringTransform", "HadamardRotation", "ITQMatrix", "ITQTransform", "LinearTransform", "NormalizationTransform",
    "OPQMatrix",
    "PCAMatrix", "RandomRotationMatrix", "RemapDimensionsTransform", "VectorTransform",
    "ClosedIndexError", "DimensionMismatchError", "ForkedProcessError", "IDSelectorBatch", "IDSelectorRange",
    "Index", "IndexFlat", "IndexFlatIP", "IndexFlatL2", "InputTypeError", "InternalError", "InvalidArgumentError",
    "METRIC_BrayCurtis", "METRIC_Canberra", "METRIC_INNER_PRODUCT", "METRIC_JensenShannon", "METRIC_Jaccard",
    "METRIC_NaNEuclidean", "METRIC_GOWER", "METRIC_L1",
    "METRIC_L2", "METRIC_Linf", "METRIC_Lp", "MetalFaissError", "MetricType", "NotTrainedError", "OperationInterruptedError", "ResultTooLargeError",
    "UnsupportedOperationError", "ResultHeap", "eval_intersection", "is_similarity_metric", "merge_knn_results",
    "lrand", "rand", "rand_smooth_vectors", "randint", "randn", "knn", "normalize_L2", "pairwise_distances",
    "ArrayInvertedLists", "CappedInvertedLists", "HStackInvertedLists", "StopWordsInvertedLists", "SliceInvertedLists", "VStackInvertedLists",
    "downcast_InvertedLists", "get_invlist_range", "set_invlist_range", "shard_ivf_index_centroids",
    "shard_binary_ivf_index_centroids",
    "CodeSet", "TimeoutGuard", "popcount64", "MapInt64ToInt64", "MapLong2Long", "bucket_sort", "matrix_bucket_sort_inplace",
    "AlignedTable_to_array", "AlignedTableFloat32", "AlignedTableUint8", "AlignedTableUint16", "array_to_AlignedTable",
    "copy_array_to_AlignedTable", "CMax_float_partition_fuzzy", "CMax_uint16_partition_fuzzy",
    "CMin_float_partition_fuzzy", "CMin_uint16_partition_fuzzy", "simd_histogram_8", "simd_histogram_16",
    "byte_rand", "float_rand", "float_randn", "int64_rand", "int64_rand_max", "rand_perm", "rev_swig_ptr", "swig_ptr", "BitstringReader", "BitstringWriter",
    "quantize_LUT_and_bias", "round_uint8_per_column", "round_uint8_per_column_multi", "fvec_add", "fvec_inner_product", "fvec_inner_products_ny", "fvec_L1", "fvec_L2sqr", "fvec_L2sqr_ny", "fvec_Linf",
    "fvec_madd", "fvec_madd_and_argmin", "fvec_norm_L2sqr", "fvec_norms_L2", "fvec_norms_L2sqr", "fvec_renorm_L2",
    "fvec_sub", "knn_inner_product", "knn_L2sqr", "pairwise_indexed_inner_product", "pairwise_indexed_L2sqr",
    "pairwise_L2sqr", "ranklist_intersection_size", "bitvec_shuffle", "crosshamming_count_thres",
    "generalized_hammings_knn_hc", "hamming_count_thres", "hammings", "hammings_knn_hc", "hammings_knn_mc",
    "match_hamming_thres", "pack_bitstrings", "pack_bitstrings_c", "unpack_bitstrings", "unpack_bitstrings_c",
    "float_maxheap_array_t", "float_minheap_array_t", "int_maxheap_array_t", "int_minheap_array_t",
    "ByteVector", "Float32Vector", "Float64Vector", "FloatVector", "Int8Vector", "Int16Vector", "Int32Vector",
    "Int64Vector", "IntVector", "LongVector", "UInt8Vector", "UInt16Vector", "UInt32Vector", "UInt64Vector",
    "copy_array_to_vector", "MatrixStats", "ClusteringInitialization", "ClusteringInitMethod_AFK_MC2",
    "ClusteringInitMethod_KMEANS_PLUS_PLUS", "ClusteringInitMethod_RANDOM", "IndexFlat1D", "SIMDConfig", "SIMDLevel_ARM_NEON", "SIMDLevel_ARM_SVE",
    "SIMDLevel_AVX2", "SIMDLevel_AVX512", "SIMDLevel_AVX512_SPR", "SIMDLevel_AVX512_VPOPCNT", "SIMDLevel_COUNT",
    "SIMDLevel_NONE", "SIMDLevel_RISCV_RVV", "IndexRefineSearchParameters", "IVFPQSearchParameters",
    "SearchParametersPQ", "SearchParametersResidualCoarseQuantizer", "IDSelectorTranslated", "PyCallbackIDSelector", "IO_FLAG_MMAP_IFC", "BufferedIOReader", "BufferedIOWriter",
    "FileIOReader", "FileIOWriter", "IOReader", "IOWriter", "PyCallbackIOReader", "PyCallbackIOWriter",
    "VectorIOReader", "VectorIOWriter", "ZeroCopyIOReader", "read_ProductQuantizer", "write_ProductQuantizer", "OperatingPoint", "OperatingPoints",
    "HNSWStats", "IndexIVFStats", "cvar", "imbalance_factor", "InvertedListsPtrVector", "OnDiskInvertedLists",
    "IO_FLAG_ONDISK_SAME_DIR", "IO_FLAG_PQ_SKIP_SDC_TABLE", "IO_FLAG_SKIP_PRECOMPUTE_TABLE", "IO_FLAG_SKIP_STORAGE",
    "IO_FLAG_SKIP_IVF_DATA",
    "IVFSearchParameters", "check_compatible_for_merge", "merge_into", "range_search_with_parameters",
    "search_and_return_centroids", "search_centroid", "search_with_parameters",
]
