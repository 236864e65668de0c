"""The installed package is typed (PEP 561): it ships py.typed, and every
public function and method (module level, or in a class, properties
included) annotates each parameter and its return, so that mypy checks
calls into it and editors complete them. tests/test_guides.py runs
mypy --strict over code that uses it."""

import ast
import pathlib

import metalfaiss

PACKAGE = pathlib.Path(metalfaiss.__file__).resolve().parent
# Dunder methods users call (through syntax) whose types matter to them.
PUBLIC_DUNDERS = {"__init__", "__call__", "__getitem__", "__iter__", "__enter__", "__exit__", "__len__",
                  "__contains__"}


def public_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if any(part.startswith("_") and part not in ("__init__.py", "__main__.py") for part in rel.parts):
            continue
        yield rel, ast.parse(path.read_text())


def unannotated(fn, in_class):
    """What fn leaves unannotated: parameter names, and "return"."""
    a = fn.args
    params = a.posonlyargs + a.args + a.kwonlyargs
    if in_class and params and params[0].arg in ("self", "cls"):
        params = params[1:]
    params += [p for p in (a.vararg, a.kwarg) if p is not None]
    missing = [p.arg for p in params if p.annotation is None]
    return missing + (["return"] if fn.returns is None else [])


def is_public(name):
    return not name.startswith("_") or name in PUBLIC_DUNDERS


def test_package_ships_py_typed():
    assert (PACKAGE / "py.typed").is_file()


def test_every_public_callable_is_annotated():
    gaps = []
    for rel, tree in public_modules():
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and is_public(node.name):
                if unannotated(node, False):
                    gaps.append(f"{rel}:{node.lineno} {node.name}: {', '.join(unannotated(node, False))}")
            elif isinstance(node, ast.ClassDef):  # private bases too: their methods are inherited
                for sub in node.body:
                    if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)) and is_public(sub.name):
                        if unannotated(sub, True):
                            gaps.append(f"{rel}:{sub.lineno} {node.name}.{sub.name}: "
                                        f"{', '.join(unannotated(sub, True))}")
    assert not gaps, "public callables without annotations:\n" + "\n".join(gaps)


def test_the_checker_sees_a_gap():
    """The check above fails on an unannotated method (so that its pass means something)."""
    tree = ast.parse("class A:\n    def f(self, x):\n        return x\n    def g(self, x: int) -> int:\n        return x\n")
    f, g = tree.body[0].body
    assert unannotated(f, True) == ["x", "return"]
    assert unannotated(g, True) == []
