"""Docstrings: every public class and module-level function of the
installed package has one, and the core API's are numpy style: a
Parameters section where there are parameters, Returns where something
is returned, the errors raised, and the faiss counterpart named."""

import ast
import importlib
import inspect
import pathlib

import pytest

import metalfaiss
from metalfaiss.clustering import AnyClustering
from metalfaiss.distributed import build_index

PACKAGE = pathlib.Path(metalfaiss.__file__).resolve().parent

# The calls a faiss user makes first and the index classes of every family
# the guides cover: numpy-style docstrings with shapes, dtypes and errors.
CORE = [
    metalfaiss.Index.train, metalfaiss.Index.add, metalfaiss.Index.add_with_ids, metalfaiss.Index.search,
    metalfaiss.Index.assign, metalfaiss.Index.range_search, metalfaiss.Index.reconstruct,
    metalfaiss.Index.reconstruct_n, metalfaiss.Index.reconstruct_batch, metalfaiss.Index.search_and_reconstruct,
    metalfaiss.Index.remove_ids, metalfaiss.Index.merge_from, metalfaiss.Index.sa_encode,
    metalfaiss.Index.sa_decode, metalfaiss.Index.add_sa_codes, metalfaiss.index_factory, metalfaiss.knn,
    metalfaiss.pairwise_distances, metalfaiss.normalize_L2, metalfaiss.write_index, metalfaiss.read_index,
    metalfaiss.Kmeans, metalfaiss.Kmeans.train, build_index, metalfaiss.IndexFlat, metalfaiss.IndexFlatL2,
    metalfaiss.IndexFlatIP, metalfaiss.IndexIVFFlat, metalfaiss.IndexIVFPQ, metalfaiss.IndexIVFScalarQuantizer,
    metalfaiss.IndexHNSWFlat, metalfaiss.IndexPQ, metalfaiss.IndexScalarQuantizer, metalfaiss.IndexIDMap,
    metalfaiss.IndexBinaryFlat, metalfaiss.IndexBinaryIVF, metalfaiss.IndexNSGFlat, metalfaiss.PCAMatrix,
    metalfaiss.index_cpu_to_gpu, metalfaiss.index_gpu_to_cpu, metalfaiss.serialize_index, metalfaiss.deserialize_index,
    metalfaiss.clone_index, metalfaiss.SearchParametersIVF, metalfaiss.SearchParametersHNSW, metalfaiss.IDSelectorRange,
    AnyClustering, AnyClustering.train, AnyClustering.centroids, AnyClustering.assign, metalfaiss.IndexRefineFlat,
    metalfaiss.IndexPreTransform, metalfaiss.IndexLSH, metalfaiss.OPQMatrix, metalfaiss.GpuIndexFlat,
    metalfaiss.IndexIVF.add_preassigned, metalfaiss.IndexIVF.search_preassigned, metalfaiss.IndexIVF.update_vectors,
    metalfaiss.IndexIVF.copy_subset_to, metalfaiss.IndexIVF.search_and_return_codes,
    # the other index families of the guides
    metalfaiss.IndexHNSW, metalfaiss.IndexHNSWSQ, metalfaiss.IndexHNSWPQ, metalfaiss.IndexHNSW2Level,
    metalfaiss.IndexHNSWFlatPanorama, metalfaiss.IndexHNSWCagra, metalfaiss.IndexResidualQuantizer,
    metalfaiss.IndexLocalSearchQuantizer, metalfaiss.IndexProductResidualQuantizer,
    metalfaiss.IndexProductLocalSearchQuantizer, metalfaiss.IndexIVFResidualQuantizer,
    metalfaiss.IndexIVFLocalSearchQuantizer, metalfaiss.IndexIVFProductResidualQuantizer,
    metalfaiss.IndexIVFProductLocalSearchQuantizer, metalfaiss.ResidualCoarseQuantizer, metalfaiss.IndexPQFastScan,
    metalfaiss.IndexIVFPQFastScan, metalfaiss.IndexRaBitQ, metalfaiss.IndexIVFRaBitQ, metalfaiss.IndexRaBitQFastScan,
    metalfaiss.IndexIVFRaBitQFastScan, metalfaiss.IndexNSGPQ, metalfaiss.IndexNSGSQ, metalfaiss.IndexNNDescentFlat,
    metalfaiss.IndexRefine, metalfaiss.IndexShards, metalfaiss.IndexReplicas, metalfaiss.IndexIDMap2,
    metalfaiss.IndexBinaryHNSW, metalfaiss.IndexBinaryIDMap, metalfaiss.IndexBinaryFromFloat, metalfaiss.IndexBinaryHash,
    metalfaiss.IndexBinaryMultiHash, metalfaiss.IndexIVFPQR, metalfaiss.Index2Layer, metalfaiss.GpuIndexIVFFlat,
    metalfaiss.GpuIndexIVFPQ, metalfaiss.GpuIndexIVFScalarQuantizer, metalfaiss.GpuIndexFlatL2, metalfaiss.GpuIndexFlatIP,
    metalfaiss.ProductQuantizer, metalfaiss.ScalarQuantizer, metalfaiss.RandomRotationMatrix, metalfaiss.ITQMatrix,
    metalfaiss.ITQTransform, metalfaiss.NormalizationTransform, metalfaiss.HadamardRotation,
    metalfaiss.CenteringTransform, metalfaiss.RemapDimensionsTransform, metalfaiss.Clustering,
    metalfaiss.MultiIndexQuantizer, metalfaiss.MultiIndexQuantizer2, metalfaiss.ResidualQuantizer,
    metalfaiss.LocalSearchQuantizer, metalfaiss.ProductResidualQuantizer, metalfaiss.ProductLocalSearchQuantizer,
    metalfaiss.LocalSearchCoarseQuantizer, metalfaiss.IndexAdditiveQuantizerFastScan,
    metalfaiss.IndexIVFAdditiveQuantizerFastScan, metalfaiss.IndexResidualQuantizerFastScan,
    metalfaiss.IndexIVFLocalSearchQuantizerFastScan, metalfaiss.IndexIVFFlatDedup, metalfaiss.IndexIVFFlatPanorama,
    metalfaiss.IndexFlatPanorama, metalfaiss.IndexFlatL2Panorama, metalfaiss.IndexFlatIPPanorama,
    metalfaiss.IndexRowwiseMinMax, metalfaiss.IndexRowwiseMinMaxFP16, metalfaiss.IndexRandom, metalfaiss.IndexFlat1D,
    metalfaiss.IndexShardsIVF, metalfaiss.IndexBinaryIDMap2, metalfaiss.IndexBinaryShards, metalfaiss.IndexBinaryReplicas,
    metalfaiss.IndexRefinePanorama, metalfaiss.IndexIVFSpectralHash, metalfaiss.IndexIVFIndependentQuantizer,
    # module functions
    metalfaiss.search_with_parameters, metalfaiss.range_search_with_parameters, metalfaiss.merge_into,
    metalfaiss.check_compatible_for_merge, metalfaiss.search_centroid, metalfaiss.search_and_return_centroids,
    metalfaiss.get_invlist_range, metalfaiss.set_invlist_range, metalfaiss.shard_ivf_index_centroids,
    metalfaiss.shard_binary_ivf_index_centroids,
    metalfaiss.extract_index_ivf, metalfaiss.downcast_index, metalfaiss.reverse_index_factory,
    metalfaiss.index_binary_factory, metalfaiss.read_index_binary, metalfaiss.write_index_binary,
    metalfaiss.serialize_index_binary, metalfaiss.deserialize_index_binary, metalfaiss.read_VectorTransform,
    metalfaiss.write_VectorTransform, metalfaiss.rand, metalfaiss.randn, metalfaiss.randint,
    metalfaiss.rand_smooth_vectors, metalfaiss.kernel_set, metalfaiss.omp_set_num_threads, metalfaiss.gpu_info,
    metalfaiss.get_num_gpus, metalfaiss.index_cpu_to_all_gpus, metalfaiss.index_cpu_to_gpus_list, metalfaiss.knn_L2sqr,
    metalfaiss.knn_inner_product, metalfaiss.merge_knn_results, metalfaiss.eval_intersection, metalfaiss.bucket_sort,
    # search parameters and selectors
    metalfaiss.SearchParameters, metalfaiss.SearchParametersResidualCoarseQuantizer, metalfaiss.SearchParametersPQ,
    metalfaiss.IVFPQSearchParameters, metalfaiss.RaBitQSearchParameters, metalfaiss.IVFRaBitQSearchParameters,
    metalfaiss.IndexRefineSearchParameters, metalfaiss.IDSelectorBatch, metalfaiss.IDSelectorArray,
    metalfaiss.IDSelectorNot, metalfaiss.IDSelectorAnd, metalfaiss.IDSelectorOr, metalfaiss.IDSelectorXOr,
    metalfaiss.IDSelectorBitmap, metalfaiss.IDSelectorTranslated, metalfaiss.IDSelectorAll,
    # GPU settings
    metalfaiss.StandardGpuResources, metalfaiss.GpuIndexFlatConfig, metalfaiss.GpuClonerOptions,
    metalfaiss.GpuMultipleClonerOptions, metalfaiss.GpuIndexIVFConfig, metalfaiss.GpuIndexIVFFlatConfig,
    metalfaiss.GpuIndexIVFScalarQuantizerConfig, metalfaiss.GpuIndexIVFPQConfig,
    # faiss's pointer-style vector utilities
    *(getattr(metalfaiss, name) for name in (
        "fvec_L2sqr", "fvec_inner_product", "fvec_L1", "fvec_Linf", "fvec_norm_L2sqr", "fvec_L2sqr_ny",
        "fvec_inner_products_ny", "fvec_norms_L2", "fvec_norms_L2sqr", "fvec_renorm_L2", "fvec_madd",
        "fvec_madd_and_argmin", "fvec_add", "fvec_sub", "pairwise_indexed_L2sqr", "pairwise_indexed_inner_product",
        "float_rand", "float_randn", "int64_rand", "int64_rand_max", "byte_rand", "rand_perm", "hammings",
        "hammings_knn_mc", "hammings_knn_hc", "generalized_hammings_knn_hc", "hamming_count_thres",
        "crosshamming_count_thres", "match_hamming_thres", "pack_bitstrings_c", "unpack_bitstrings_c", "bitvec_shuffle",
        "pack_bitstrings", "unpack_bitstrings")),
    # the MetalFaiss / SwiftFaiss face
    *(getattr(metalfaiss, name) for name in (
        "FlatIndex", "IVFFlatIndex", "IVFPQIndex", "IVFScalarQuantizerIndex", "ScalarQuantizerIndex",
        "ProductQuantizerIndex", "HNSWIndex", "PreTransformIndex", "RefineFlatIndex", "IDMap", "IDMap2")),
    # contrib
    *(getattr(importlib.import_module("metalfaiss.contrib." + module), name) for module, names in (
        ("vecs_io", ("ivecs_read", "fvecs_read", "ivecs_mmap", "fvecs_mmap", "bvecs_mmap", "ivecs_write", "fvecs_write",
                     "bvecs_iter", "bvecs_iter_chunked")),
        ("inspect_tools", ("get_invlist", "get_invlist_sizes", "print_object_fields", "get_pq_centroids",
                           "get_LinearTransform_matrix", "make_LinearTransform_matrix",
                           "get_additive_quantizer_codebooks", "get_flat_data")),
        ("ivf_tools", ("add_preassigned", "search_preassigned", "range_search_preassigned", "permute_invlists",
                       "sort_invlists_by_size", "replace_ivf_quantizer")),
        ("evaluation", ("knn_intersection_measure", "filter_range_results", "range_PR", "counts_to_PR",
                        "sort_range_res_2", "sort_range_res_1", "range_PR_multiple_thresholds",
                        "check_ref_knn_with_draws", "check_ref_range_results", "OperatingPoints",
                        "OperatingPointsWithRanges", "TimerIter", "RepeatTimer")),
        ("exhaustive_search", ("knn_ground_truth", "range_search_gpu", "range_ground_truth", "threshold_radius_nres",
                               "threshold_radius", "apply_maxres", "range_search_max_results",
                               "exponential_query_iterator")),
        ("clustering", ("print_nop", "two_level_clustering", "train_ivf_index_with_2level", "imbalance_factor",
                        "balanced_assignment_with_penalties", "DatasetAssign", "DatasetAssignGPU",
                        "sparse_assign_to_dense", "sparse_assign_to_dense_blocks", "DatasetAssignSparse",
                        "check_if_torch", "reassign_centroids", "kmeans")),
        ("datasets", ("Dataset", "SyntheticDataset", "set_dataset_basedir", "sanitize", "DatasetSIFT1M", "DatasetBigANN",
                      "DatasetDeep1B", "DatasetGIST1M", "DatasetGlove", "DatasetMusic100",
                      "dataset_from_name"))) for name in names),
    # system and SWIG-pointer helpers
    metalfaiss.omp_get_max_threads, metalfaiss.check_openmp, metalfaiss.get_mem_usage_kb, metalfaiss.get_compile_options,
    metalfaiss.downcast_IndexBinary, metalfaiss.downcast_VectorTransform, metalfaiss.downcast_Quantizer,
    metalfaiss.downcast_AdditiveQuantizer, metalfaiss.swig_ptr, metalfaiss.rev_swig_ptr,
    metalfaiss.ParameterSpace, metalfaiss.LSHIndex, metalfaiss.IndexIVFStats, metalfaiss.HNSWStats,
    metalfaiss.float_maxheap_array_t, metalfaiss.int_maxheap_array_t, metalfaiss.RaBitQuantizer,
    metalfaiss.round_nonnegative_to_uint8, metalfaiss.round_nonnegative_to_uint16, metalfaiss.round_clamped_to_uint8,
    metalfaiss.AlignedTableUint8, metalfaiss.AlignedTableFloat32, metalfaiss.copy_array_to_AlignedTable,
    metalfaiss.array_to_AlignedTable, metalfaiss.AlignedTable_to_array, metalfaiss.CMax_float_partition_fuzzy,
    metalfaiss.CMin_float_partition_fuzzy, metalfaiss.CMax_uint16_partition_fuzzy, metalfaiss.CMin_uint16_partition_fuzzy,
    metalfaiss.simd_histogram_8, metalfaiss.simd_histogram_16, metalfaiss.pairwise_L2sqr,
    metalfaiss.ranklist_intersection_size, metalfaiss.imbalance_factor, metalfaiss.quantize_LUT_and_bias,
    metalfaiss.round_uint8_per_column, metalfaiss.round_uint8_per_column_multi,
    metalfaiss.ProgressiveDimClusteringParameters, metalfaiss.GpuProgressiveDimIndexFactory,
    metalfaiss.ProgressiveDimClustering, metalfaiss.BitstringWriter, metalfaiss.BitstringReader, metalfaiss.MatrixStats,
    metalfaiss.PolysemousTraining, metalfaiss.SIMDConfig, metalfaiss.ClusteringInitialization, metalfaiss.VisitedTable,
    metalfaiss.PyCallbackIDSelector, metalfaiss.vector_to_array, metalfaiss.copy_array_to_vector,
    # inverted lists
    metalfaiss.InvertedLists, metalfaiss.ArrayInvertedLists, metalfaiss.SliceInvertedLists,
    metalfaiss.VStackInvertedLists, metalfaiss.HStackInvertedLists, metalfaiss.StopWordsInvertedLists,
    metalfaiss.CappedInvertedLists, metalfaiss.downcast_InvertedLists,
    # base classes and settings
    metalfaiss.IndexIVF, metalfaiss.VectorTransform, metalfaiss.LinearTransform, metalfaiss.ClusteringParameters,
    metalfaiss.Float32Vector, metalfaiss.Int64Vector, metalfaiss.UInt8Vector, metalfaiss.MetalFaissError,
    metalfaiss.InvalidArgumentError, metalfaiss.DimensionMismatchError, metalfaiss.NotTrainedError,
    metalfaiss.AutoTuneCriterion, metalfaiss.OneRecallAtRCriterion, metalfaiss.IntersectionCriterion, metalfaiss.CodeSet,
    metalfaiss.ResultHeap, metalfaiss.TimeoutGuard, metalfaiss.OperatingPoint, metalfaiss.ParameterRange,
    metalfaiss.Clustering1D,
]


def test_every_public_class_and_function_has_a_docstring():
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if any(part.startswith("_") and part not in ("__init__.py", "__main__.py") for part in rel.parts):
            continue
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, (ast.ClassDef, ast.FunctionDef)) or node.name.startswith("_"):
                continue
            overload = any(isinstance(d, ast.Name) and d.id == "overload" for d in getattr(node, "decorator_list", []))
            if not overload and ast.get_docstring(node) is None:
                missing.append(f"{rel}:{node.lineno} {node.name}")
    assert not missing, "no docstring:\n" + "\n".join(missing)


def _public_definitions():
    """(module path, node) of every public class and module-level function
    of the installed package's public modules (overload stubs left out)."""
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if any(part.startswith("_") and part not in ("__init__.py", "__main__.py") for part in rel.parts):
            continue
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, (ast.ClassDef, ast.FunctionDef)) or node.name.startswith("_"):
                continue
            if any(isinstance(d, ast.Name) and d.id == "overload" for d in getattr(node, "decorator_list", [])):
                continue
            yield rel, node


def test_every_public_class_and_function_is_numpy_style():
    """Every public class and function names its faiss counterpart (or says
    it is metalfaiss's own), and describes each of its parameters (a
    class: its constructor's) in a Parameters section."""
    problems = []
    for rel, node in _public_definitions():
        doc = ast.get_docstring(node) or ""
        where = f"{rel}:{node.lineno} {node.name}"
        if "(faiss: " not in doc and "(metalfaiss only" not in doc:
            problems.append(f"{where}: names no counterpart")
        fn = node if isinstance(node, ast.FunctionDef) else next(
            (b for b in node.body if isinstance(b, ast.FunctionDef) and b.name == "__init__"), None)
        if fn is None:
            continue
        a = fn.args
        names = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs if x.arg not in ("self", "cls")]
        names += [f"*{a.vararg.arg}"] if a.vararg else []
        names += [f"**{a.kwarg.arg}"] if a.kwarg else []
        if not names:
            continue
        if "Parameters\n----------" not in doc:
            problems.append(f"{where}: no Parameters section")
            continue
        described = doc.split("Parameters\n----------")[1]
        problems += [f"{where}: {name} is not described" for name in names if name.lstrip("*") not in described]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("fn", CORE, ids=lambda f: f.__qualname__)
def test_core_docstrings_are_numpy_style(fn):
    doc = inspect.getdoc(fn)
    assert doc, fn
    assert "(faiss: " in doc or "(metalfaiss only" in doc, "names its faiss counterpart"
    target = fn.__init__ if inspect.isclass(fn) else fn
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    # a class whose constructor is Python's own (object's; an exception's, taking a message) has none to describe
    params = [] if inspect.isclass(fn) and not inspect.isfunction(target) else [p for p in inspect.signature(target).parameters.values()
                                                   if p.name not in ("self", "cls")]
    if params:
        assert "Parameters\n----------" in doc
        described = doc.split("Parameters\n----------")[1]
        for p in params:
            assert (f"*{p.name}" if p.kind in variadic else p.name) in described, f"{p.name} is not described"
    if not inspect.isclass(fn) and inspect.signature(fn).return_annotation not in ("None", None):
        assert "Returns\n-------" in doc or "Yields\n------" in doc


def public_classes():
    """Every public class defined in a public module of the package (modules
    whose optional dependency is missing are left out, and so is
    contrib.torch_utils, whose import patches the index classes for torch
    tensors, as faiss's does, for the rest of the process)."""
    import importlib
    import pkgutil

    seen = {}
    for info in pkgutil.walk_packages(metalfaiss.__path__, "metalfaiss."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]) or info.name.endswith(".torch_utils"):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:
            continue
        for name, obj in vars(module).items():
            if not name.startswith("_") and inspect.isclass(obj) and obj.__module__.startswith("metalfaiss"):
                seen[id(obj)] = obj
    return list(seen.values())


def test_every_public_method_and_property_has_a_docstring():
    """What help() and editors show: a method's or property's own docstring
    or the one it overrides (inspect.getdoc); setters share their getter's."""
    missing = []
    for cls in public_classes():
        for attr, value in vars(cls).items():
            if attr.startswith("_"):
                continue
            if isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            if isinstance(value, property):
                doc = value.__doc__ or next((inspect.getdoc(vars(base)[attr]) for base in cls.__mro__[1:]
                                             if attr in vars(base)), None)
            elif inspect.isfunction(value):
                doc = inspect.getdoc(getattr(cls, attr))
            else:
                continue
            if not doc:
                missing.append(f"{cls.__module__}.{cls.__name__}.{attr}")
    assert not missing, "no docstring:\n" + "\n".join(sorted(missing))
