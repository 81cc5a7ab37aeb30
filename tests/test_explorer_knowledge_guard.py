"""The learning explorer knows the game's schema and no rule (issue 17's guard).

Read from the source (``ast``): the explorer package may import from ``crafter_oo.rules``
only the schema's names, from ``crafter_oo.state`` only its types, from
``crafter_oo.geometry`` only the grid's generic relations (no rule lives there), nothing
else of ``crafter_oo`` (no ``step``, no world generation, no editing, no skills: it never
looks ahead and plans only on what it learned), and
nothing of ``onelife`` or ``planners`` outside itself. Only the perception module reads a
``WorldState``: anywhere else the name may appear only as the annotation of a parameter
that is handed, untouched, to ``perceive``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from source_imports import game_imports_beyond, imports, source_tree

PACKAGE = Path(__file__).resolve().parent.parent / "onelife" / "explorer"
SCHEMA = {"ACTIONS", "ITEMS", "VITALS", "MATERIALS", "MOVE_DIRECTION", "DIRECTIONS"}
STATE_TYPES = {"Pos", "WorldState"}
GEOMETRY = {"Pos", "Room", "MOVE_ACTION", "ahead", "distance", "neighbours"}
MODULES = sorted(PACKAGE.glob("*.py"))


def test_the_package_has_modules_to_check() -> None:
    assert {path.name for path in MODULES} >= {"perception.py", "policy.py", "effects.py", "memory.py"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_only_the_schema_is_imported_from_the_game(path: Path) -> None:
    assert not game_imports_beyond(path, {"crafter_oo.rules": SCHEMA, "crafter_oo.state": STATE_TYPES,
                                          "crafter_oo.geometry": GEOMETRY})
    for module, _ in imports(source_tree(path)):
        assert module == "onelife.explorer" or module.startswith("onelife.explorer.") \
            or not module.startswith(("onelife", "planners")), f"{path.name} imports {module}"


def _annotated_parameters(tree: ast.Module, name: str) -> list[tuple[ast.FunctionDef, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for arg in node.args.args + node.args.kwonlyargs:
                if isinstance(arg.annotation, ast.Name) and arg.annotation.id == name:
                    found.append((node, arg.arg))
    return found


@pytest.mark.parametrize("path", [p for p in MODULES if p.name != "perception.py"], ids=lambda p: p.name)
def test_only_perception_reads_a_world_state(path: Path) -> None:
    tree = source_tree(path)
    annotations = {id(arg.annotation) for node in ast.walk(tree) if isinstance(node, ast.arguments)
                   for arg in node.args + node.kwonlyargs if arg.annotation is not None}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "WorldState":
            assert id(node) in annotations, f"{path.name}:{node.lineno} uses WorldState beyond annotating a parameter"
    for function, parameter in _annotated_parameters(tree, "WorldState"):
        uses = [n for n in ast.walk(function) if isinstance(n, ast.Name) and n.id == parameter]
        handed = [call for call in ast.walk(function) if isinstance(call, ast.Call)
                  and isinstance(call.func, ast.Name) and call.func.id == "perceive"
                  and any(isinstance(a, ast.Name) and a.id == parameter for a in call.args)]
        assert uses and len(uses) == len(handed), \
            f"{path.name}: {function.name} does more with its state than hand it to perceive()"


def test_perception_is_the_one_module_importing_the_state() -> None:
    readers = [path.name for path in MODULES
               if any(module == "crafter_oo.state" and "WorldState" in names
                      for module, names in imports(source_tree(path)))]
    assert set(readers) <= {"perception.py", "policy.py"}  # policy.py: only for its __call__'s annotation (above)
