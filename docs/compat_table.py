"""Builds docs/COMPATIBILITY.md: every public name of the installed faiss
(faiss-cpu, pinned by the Makefile) and of faiss.contrib, marked supported
(metalfaiss has it), not applicable (SWIG plumbing, C++ pointer casts, the
modules faiss imports) or not yet, with a note where metalfaiss behaves
differently; then the MetalFaiss / SwiftFaiss and ClassKit names.

    .venv/bin/python docs/compat_table.py          # rewrite the table
    .venv/bin/python docs/compat_table.py --check  # exit 1 if it is stale

tests/test_compatibility_table.py runs the check in `make test`. (The
script lives in docs/ because the project's top-level layout is fixed.)
"""

import ast
import importlib
import inspect
import pathlib
import pkgutil
import sys

HERE = pathlib.Path(__file__).resolve().parent
TABLE = HERE / "COMPATIBILITY.md"

# Where metalfaiss behaves differently from faiss under the same name.
NOTES = {
    "swig_ptr": "a view of a numpy array (SwigPtr), taken wherever faiss takes a pointer",
    "rev_swig_ptr": "reads back what swig_ptr made",
    "StandardGpuResources": "one device, through Vulkan (NVIDIA, AMD, lavapipe) or Metal (Apple)",
    "index_cpu_to_gpu": "Vulkan or Metal, not CUDA: flat, IVF-Flat, IVF-SQ and IVF-PQ",
    "get_num_gpus": "counts Vulkan / Metal devices",
    "omp_set_num_threads": "sets the Go core's worker count",
    "IndexResidualQuantizerFastScan": "odd M with norm_scale > 1: both norm codes scaled (faiss's kernels "
                                      "scale the second one and the padding)",
    "IndexIVFAdditiveQuantizerFastScan": "built from an index, keeps its by_residual (faiss turns it on)",
    "IndexHNSW": "refuses a storage that already holds vectors",
    "read_index": "IO_FLAG_MMAP maps the file read-only; damaged files raise an error naming the offset",
    "write_index": "writes a temporary file, then renames it",
}

# Not applicable: SWIG's machinery, casts of C++ pointers, faiss's imports.
NOT_APPLICABLE_PREFIXES = ("new_", "delete_", "cast_integer_to_", "swig")
NOT_APPLICABLE = {
    "SwigPyIterator": "SWIG's iterator",
    "SHARED_PTR_DISOWN": "SWIG ownership flag",
    "vector_name_map": "SWIG vector type table",
    "deprecated_name_map": "faiss's SWIG alias table",
    "weakref": "module faiss imports",
}


def faiss_names(faiss):
    """(name, status, note) for every public name of the faiss module."""
    import metalfaiss

    rows = []
    for name in sorted(n for n in dir(faiss) if not n.startswith("_")):
        obj = getattr(faiss, name)
        if inspect.ismodule(obj):
            status, note = "not applicable", "a module faiss imports"
        elif name.endswith("_swigregister") or name.startswith(NOT_APPLICABLE_PREFIXES):
            status, note = "not applicable", "SWIG plumbing"
        elif name in NOT_APPLICABLE:
            status, note = "not applicable", NOT_APPLICABLE[name]
        elif hasattr(metalfaiss, name):
            status, note = "supported", NOTES.get(name, "")
        else:
            status, note = "not yet", ""
        rows.append((name, status, note))
    return rows


def public_defs(path):
    """The public top-level functions and classes a module file defines."""
    tree = ast.parse(path.read_text())
    return sorted(n.name for n in tree.body
                  if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_"))


def contrib_names(faiss):
    """(module.name, status) for faiss.contrib's modules, read from their
    source (importing some needs torch or a network)."""
    import faiss.contrib as fc

    rows = []
    # torch_utils is left out: what metalfaiss defines there depends on
    # whether torch is installed
    for mod in sorted((m for m in pkgutil.iter_modules(fc.__path__) if m.name != "torch_utils"), key=lambda m: m.name):
        base = pathlib.Path(fc.__path__[0]) / mod.name
        files = sorted(base.glob("*.py")) if mod.ispkg else [base.with_suffix(".py")]
        try:
            ours = importlib.import_module("metalfaiss.contrib." + mod.name)
        except ImportError:
            ours = None
        for f in files:
            prefix = mod.name if not mod.ispkg or f.stem == "__init__" else f"{mod.name}.{f.stem}"
            sub = ours
            if mod.ispkg and f.stem != "__init__" and ours is not None:
                try:
                    sub = importlib.import_module(f"metalfaiss.contrib.{mod.name}.{f.stem}")
                except ImportError:
                    sub = None
            for name in public_defs(f):
                # defined in the module's source, even where an optional
                # import (torch) leaves it out at run time
                ok = sub is not None and (hasattr(sub, name) or f"{name} " in pathlib.Path(sub.__file__).read_text() or f"{name}(" in pathlib.Path(sub.__file__).read_text())
                rows.append((f"{prefix}.{name}", "supported" if ok else "not yet"))
    return rows


def face_names():
    """The MetalFaiss / SwiftFaiss names and the ClassKit clustering ones."""
    import metalfaiss
    import metalfaiss.clustering
    import metalfaiss.face

    face = sorted(n for n, v in vars(metalfaiss.face).items()
                  if not n.startswith("_") and inspect.isclass(v) and v.__module__ == "metalfaiss.face"
                  and hasattr(metalfaiss, n))
    return face, sorted(metalfaiss.clustering.__all__)


def render():
    import faiss

    rows = faiss_names(faiss)
    contrib = contrib_names(faiss)
    face, classkit = face_names()
    count = {s: sum(1 for r in rows if r[1] == s) for s in ("supported", "not yet", "not applicable")}
    ccount = sum(1 for r in contrib if r[1] == "supported")
    out = [
        "# Compatibility with faiss",
        "",
        "Generated by `docs/compat_table.py` from faiss-cpu " + faiss.__version__ + " (the version the",
        "Makefile installs); `make test` fails when this file is stale. \"Supported\" means",
        "`metalfaiss` has the name (`import metalfaiss as faiss`); the suite under",
        "`../shared/faiss-suite` (docs/FAISS_SUITE.md) measures how much faiss code runs",
        "unchanged.",
        "",
        f"faiss module: {count['supported']} supported, {count['not yet']} not yet, "
        f"{count['not applicable']} not applicable. faiss.contrib: {ccount} of {len(contrib)} supported.",
        "",
        "## faiss",
        "",
        "| name | status | note |",
        "|---|---|---|",
    ]
    out += [f"| `{n}` | {s} | {note} |" for n, s, note in rows]
    out += ["", "## faiss.contrib", "", "| name | status |", "|---|---|"]
    out += [f"| `{n}` | {s} |" for n, s in contrib]
    out += ["", "## MetalFaiss / SwiftFaiss names", "",
            "Classes under the names MetalFaiss and SwiftFaiss code uses, each a thin face of its faiss",
            "twin (`metalfaiss.face`):", ""]
    out += [f"- `{n}`" for n in face]
    out += ["", "## ClassKit names", "", "`from metalfaiss.clustering import ...`:", ""]
    out += [f"- `{n}`" for n in classkit]
    return "\n".join(out) + "\n"


def main(argv):
    text = render()
    if "--check" in argv:
        if not TABLE.exists() or TABLE.read_text() != text:
            print(f"{TABLE} is stale: run .venv/bin/python docs/compat_table.py", file=sys.stderr)
            return 1
        return 0
    TABLE.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
