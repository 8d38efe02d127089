"""The package's architecture, held: layers by folder, imports only downward, no circle, small modules.

Read from the source with ``ast``: every ``import`` counts, module-level or inside a function; those under
``if TYPE_CHECKING:`` count for the direction of imports but not for circles, since they never run.
"""

from __future__ import annotations

import ast
import pathlib
import re
from typing import Dict, List, Set, Tuple

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "rfdetr_config"

# Lowest first: a module may import its own layer and the layers before it, never one after it.
LAYERS: Tuple[Tuple[str, ...], ...] = (
    ("core",),
    ("checks",),
    ("releases",),
    ("migration",),
    ("files",),
    ("integrations",),
    ("", "strategies", "_hypothesis_plugin"),  # the package itself: its public face
    ("cli", "__main__"),
)
MAX_FLAT = 8
MAX_LINES = 600


def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> Dict[str, pathlib.Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _layer(module: str) -> int:
    inside = module.split(".")[1:]
    head = inside[0] if inside else ""
    for index, names in enumerate(LAYERS):
        if head in names:
            return index
    raise AssertionError(f"{module} is in no layer: add its folder to LAYERS in {__name__}")


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(module: str, path: pathlib.Path, known: Set[str]) -> List[Tuple[str, bool]]:
    """Each package module ``module`` imports, and whether the import runs (not under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: List[Tuple[str, bool]] = []

    def target(name: str) -> None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name:
            found.append((name, runs))

    def visit(node: ast.AST) -> None:
        nonlocal runs
        if isinstance(node, ast.If) and _is_type_checking(node):
            before, runs = runs, False
            for child in node.body:
                visit(child)
            runs = before
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                target(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join([*base, node.module] if node.module else base)
            else:
                stem = node.module or ""
            for alias in node.names:
                full = f"{stem}.{alias.name}"
                target(full if full in known else stem)
        for child in ast.iter_child_nodes(node):
            visit(child)

    runs = True
    visit(tree)
    return [(name, running) for name, running in found if name != module]


def _graph() -> Dict[str, List[Tuple[str, bool]]]:
    modules = _modules()
    known = set(modules)
    return {module: _imports(module, path, known) for module, path in modules.items()}


def test_every_module_belongs_to_a_layer() -> None:
    for module in _modules():
        _layer(module)


def test_nothing_imports_a_higher_layer() -> None:
    upward = [
        f"{module} (layer {_layer(module)}) imports {imported} (layer {_layer(imported)})"
        for module, imports in _graph().items()
        for imported, _ in imports
        if _layer(imported) > _layer(module)
    ]
    assert not upward, "\n".join(upward)


def test_no_import_circle() -> None:
    graph = {module: sorted({i for i, runs in imports if runs}) for module, imports in _graph().items()}
    state: Dict[str, int] = {}
    stack: List[str] = []

    def walk(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for imported in graph[module]:
            if state.get(imported) == 1:
                circle = [*stack[stack.index(imported) :], imported]
                pytest.fail("import circle: " + " -> ".join(circle))
            if imported not in state:
                walk(imported)
        stack.pop()
        state[module] = 2

    for module in graph:
        if module not in state:
            walk(module)


def test_no_module_reaches_into_sys_modules_for_the_package() -> None:
    reach = re.compile(r"sys\.modules(\.get\(|\[)\s*[\"']rfdetr_config")
    found = [str(path.relative_to(ROOT)) for path in PACKAGE.rglob("*.py") if reach.search(path.read_text())]
    assert not found, f"look the module up in the release registry or import it instead: {found}"


def test_few_modules_stand_flat_in_the_package() -> None:
    flat = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(flat) <= MAX_FLAT, flat


def test_modules_are_small() -> None:
    declarations = PACKAGE / "releases" / "declarations"
    long = {
        str(path.relative_to(ROOT)): count
        for path in PACKAGE.rglob("*.py")
        if declarations not in path.parents and (count := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not long, long
