"""The packages depend on each other one way only (DESIGN.md, "The four packages"):

    crafter_oo  <-  worldmodel  <-  onelife, planners (side by side)  <-  onelife_cli

The import graph is read from the source (every ``import``, at module level or inside a
function), so a cycle or an import against the layers fails here, not in a user's hands.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("crafter_oo", "worldmodel", "onelife", "planners", "onelife_cli")
# What each package may import from the others (itself always allowed).
ALLOWED: dict[str, set[str]] = {
    "crafter_oo": set(),
    "worldmodel": {"crafter_oo"},
    "onelife": {"crafter_oo", "worldmodel"},
    "planners": {"crafter_oo", "worldmodel"},
    "onelife_cli": {"crafter_oo", "worldmodel", "onelife", "planners"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_imports(tree: ast.AST, module: str) -> list[tuple[str, bool]]:
    """(imported project module, imported inside a function) for every import in ``tree``."""
    found = []
    inside = {id(node) for fn in ast.walk(tree) if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
              for node in ast.walk(fn) if isinstance(node, (ast.Import, ast.ImportFrom))}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{module}: the project uses absolute imports only"
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] in PACKAGES:
                found.append((name, id(node) in inside))
    return found


def source_modules() -> dict[str, ast.AST]:
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            modules[module_name(path)] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return modules


MODULES = source_modules()


def import_graph() -> nx.DiGraph:
    """Module -> every project module it imports (names resolved to the longest existing module)."""
    graph = nx.DiGraph()
    graph.add_nodes_from(MODULES)
    for module, tree in MODULES.items():
        for name, _ in project_imports(tree, module):
            while name not in MODULES and "." in name:
                name = name.rsplit(".", 1)[0]
            if name in MODULES and name != module:
                graph.add_edge(module, name)
    return graph


def test_every_package_is_found() -> None:
    assert all(any(m == p or m.startswith(p + ".") for m in MODULES) for p in PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_follow_the_layers(package: str) -> None:
    against = sorted((module, name) for module, tree in MODULES.items() if module.split(".")[0] == package
                     for name, _ in project_imports(tree, module)
                     if name.split(".")[0] not in ALLOWED[package] | {package})
    assert not against, f"{package} may import only {sorted(ALLOWED[package])}; found {against}"


@pytest.mark.parametrize("module", ["planners.iwocs", "planners.subpo", "planners.doc", "planners.small_problems"])
def test_the_agents_algorithms_stand_on_the_interface_alone(module: str) -> None:
    """Each agent's algorithm (and the papers' problems) reaches no Crafter, directly or through
    other modules: Crafter enters only through its ``*_crafter`` adapter."""
    graph = import_graph()
    planners = graph.subgraph(m for m in graph if m.split(".")[0] == "planners")
    reached = {module} | nx.descendants(planners, module)
    crafter = sorted((m, n) for m in reached for n in graph.successors(m)
                     if n.split(".")[0] == "crafter_oo" or n.endswith("_crafter"))
    assert not crafter, f"{module} reaches Crafter through (module, import): {crafter}"


def test_no_import_cycle() -> None:
    cycles = list(nx.simple_cycles(import_graph()))
    assert not cycles, f"import cycles: {sorted(cycles, key=len)[:5]}"


def test_no_project_import_inside_a_function() -> None:
    inner = sorted((module, name) for module, tree in MODULES.items()
                   for name, in_function in project_imports(tree, module) if in_function)
    assert not inner, f"imports inside functions (to dodge a cycle?): {inner}"


def _strings_outside_docstrings(tree: ast.AST) -> list[str]:
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_library_and_tests_never_load_benchmarks() -> None:
    """Benchmarks use the library; nothing under the packages or tests imports or names a
    file of benchmarks/ (the way a test would load a benchmark script)."""
    offenders = set()
    for path in [*(ROOT / p for p in PACKAGES), ROOT / "tests"]:
        for source in sorted(path.rglob("*.py")):
            tree = ast.parse(source.read_text(encoding="utf-8"))
            imported = [a.name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                        for a in node.names] + [node.module or "" for node in ast.walk(tree)
                                                if isinstance(node, ast.ImportFrom)]
            if source.name == "test_layers.py":
                continue  # this checker names the folder it guards
            if any(name.split(".")[0] in ("benchmarks", "common") for name in imported) or any(
                    part == "benchmarks" for text in _strings_outside_docstrings(tree)
                    for part in text.replace("\\", "/").split("/")):
                offenders.add(str(source.relative_to(ROOT)))
    assert not offenders, f"these reach into benchmarks/: {sorted(offenders)}"
