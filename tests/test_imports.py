"""No import cycles among verify's modules.

Every `import verify...` and `from verify... import ...` statement is an edge, wherever it
sits: at module level, and inside functions too. An import put off into a function still
runs, only later, and a cycle through one still means two modules that need each other (the
units <-> crosslang cycle was one). Only imports under `if TYPE_CHECKING:` are left out: they
never run. `from verify.a import b` is an edge to the module verify.a.b when b is a module,
else to verify.a. A package's `__init__` is an edge only when it is imported by name (the
parent packages Python imports on the way to a module are not).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "verify"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking(node.test):
            for child in node.orelse:
                yield from _imports(ast.Module(body=[child], type_ignores=[]))
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from _imports(node)


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    is_package = MODULES[module].name == "__init__.py"
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(module: str) -> set[str]:
    tree = ast.parse(MODULES[module].read_text("utf-8"))
    found: set[str] = set()
    for node in _imports(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            source = _resolve(module, node)
            names = [
                f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source
                for alias in node.names
            ]
        found.update(name for name in names if name in MODULES and name != module)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph[node]):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_walk_sees_the_imports() -> None:
    # a walk that found nothing would pass the cycle test vacuously
    graph = {m: imports_of(m) for m in MODULES}
    assert "verify.http.semantics" in graph["verify.http.warc"]
    assert "verify.matching.crosslang" in graph["verify.matching.claims"]  # inside a function
    assert "verify.http.cache" not in graph["verify.http.client"]  # under TYPE_CHECKING
    assert "verify.settings_schema" in graph["verify.models"]  # Options' checks
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_of_verify_imports_itself_back() -> None:
    graph = {m: imports_of(m) for m in MODULES}
    assert cycles(graph) == []
