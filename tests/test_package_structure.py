"""The package's shape: no import circles (top-level or deferred imports;
those only type checkers read do not run), and one table from Go types to
Python classes that every reader uses."""

import ast
import pathlib

import numpy as np
import pytest

import metalfaiss as faiss
from metalfaiss import _handle

PACKAGE = pathlib.Path(faiss.__file__).parent


def _module_name(path):
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = ["metalfaiss", *rel.parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _run_time_nodes(tree):
    """Every node of tree except those under ``if TYPE_CHECKING:``: imports
    that only type checkers read never run, so they make no circle."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and isinstance(child.test, ast.Name) and child.test.id == "TYPE_CHECKING":
                stack.extend(child.orelse)
                continue
            stack.append(child)


def _imports(path, name):
    """The metalfaiss modules that module ``name`` imports when it runs,
    anywhere in it."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in _run_time_nodes(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = name.split(".") if is_package else name.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
            if node.module is None:
                found.update(f"{target}.{a.name}" for a in node.names)
            else:
                found.add(target)
                found.update(f"{target}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("metalfaiss"))
    return found


def _graph():
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py") if "_native" not in p.parts}
    return {name: sorted(m for m in _imports(path, name) if m in modules and m != name)
            for name, path in modules.items()}


def _cycle(graph):
    """One import circle as a list of modules, or None."""
    state = {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for nxt in graph[node]:
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt, stack)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None

    for node in graph:
        if node not in state:
            found = visit(node, [])
            if found:
                return found
    return None


def test_the_package_has_no_import_circle():
    # The package __init__ imports everything by design; circles among the
    # modules below it are what make import order fragile.
    graph = _graph()
    graph = {k: [m for m in v if m != "metalfaiss"] for k, v in graph.items()}
    assert "metalfaiss.index_io" in graph and graph["metalfaiss.index_io"], "the graph was read"
    assert _cycle(graph) is None, " -> ".join(_cycle(graph))


def test_the_cycle_finder_finds_circles():
    assert _cycle({"a": ["b"], "b": ["c"], "c": ["a"]}) == ["a", "b", "c", "a"]
    assert _cycle({"a": ["b"], "b": [], "c": ["a"]}) is None


SPECS = ["Flat", "IDMap2,Flat", "PQ4", "SQ8", "HNSW8", "HNSW8_SQ8", "HNSW8_PQ4", "IVF8,Flat", "IVF8,PQ4",
         "IVF8,SQ8", "LSH", "PCA8,Flat", "IVF8,Flat,RFlat"]


@pytest.mark.parametrize("spec", SPECS)
def test_every_read_back_index_has_its_registered_class(spec):
    x = np.random.default_rng(0).standard_normal((400, 16)).astype(np.float32)
    index = faiss.index_factory(16, spec)
    index.train(x)
    if isinstance(index, faiss.IndexIDMap):
        index.add_with_ids(x, np.arange(len(x)) * 3)
    else:
        index.add(x)
    back = faiss.deserialize_index(faiss.serialize_index(index))
    assert isinstance(back, type(index)), spec  # faiss reads "Flat" back as IndexFlatL2
    assert _handle._CLASSES[_handle.go_type(back._handle)] in type(back).__mro__
    assert faiss.downcast_index(back) is back
    np.testing.assert_array_equal(back.search(np.zeros((1, 16), np.float32), 3)[1],
                                  index.search(np.zeros((1, 16), np.float32), 3)[1])


def test_downcast_rebuilds_a_view_under_its_own_class():
    index = faiss.IndexLSH(8, 16)  # CPU under every backend
    index.add(np.eye(8, dtype=np.float32))
    view = faiss.Index.__new__(faiss.Index)
    view._handle = index._handle
    try:
        down = faiss.downcast_index(view)
        assert type(down) is faiss.IndexLSH and down.ntotal == 8
        assert down._handle != index._handle
    finally:
        view._handle = None  # it borrowed index's handle
    with pytest.raises(TypeError):
        faiss.downcast_index(np.zeros(3))


def test_a_class_cannot_take_a_registered_go_type():
    with pytest.raises(TypeError, match="already wrapped"):
        type("Again", (faiss.Index,), {"_go_type": "IndexFlat"})
