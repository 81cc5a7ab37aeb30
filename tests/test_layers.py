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


def test_no_import_cycle() -> None:
    cycles = list(nx.simple_cycles(import_graph()))
    assert not cycles, f"import cycles: {sorted(cycles, key=len)[:5]}"


def test_no_project_import_inside_a_function() -> None:
    inner = sorted((module, name) for module, tree in MODULES.items()
                   for name, in_function in project_imports(tree, module) if in_function)
    assert not inner, f"imports inside functions (to dodge a cycle?): {inner}"


def test_library_and_tests_never_load_benchmarks() -> None:
    """Benchmarks use the library; nothing under the packages or tests reaches into benchmarks/."""
    offenders = []
    for path in [*(ROOT / p for p in PACKAGES), ROOT / "tests"]:
        for source in sorted(path.rglob("*.py")):
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                    if any(n.split(".")[0] in ("benchmarks", "common") for n in names):
                        offenders.append(str(source.relative_to(ROOT)))
                elif isinstance(node, ast.Call) and any(
                        isinstance(arg, ast.Constant) and isinstance(arg.value, str) and "benchmarks" in arg.value
                        for arg in ast.walk(node) if arg is not node):
                    func = ast.unparse(node.func)
                    if any(word in func for word in ("spec_from_file_location", "import_module", "path.insert",
                                                      "path.append", "run_path")):
                        offenders.append(str(source.relative_to(ROOT)))
    assert not offenders, f"these load code from benchmarks/: {sorted(set(offenders))}"
