"""The inducer knows the state's schema and generic relations, no rule (issue 18's guard).

Read from the source (``ast``): ``onelife.induction`` imports from ``crafter_oo.rules``
only names of things (actions, items, materials, kinds), from ``crafter_oo.state`` only
types, nothing else of ``crafter_oo``; nothing of the law library (``onelife.library``,
``laws/``), of the references that know the rules (``onelife.novelty``, ``onelife.evaluation``,
``worldmodel``), of the explorer or of the planners; and it names no law file.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from source_imports import game_imports_beyond, imports, source_tree

PACKAGE = Path(__file__).resolve().parent.parent / "onelife" / "induction"
NAMES = {"ACTIONS", "ITEMS", "MATERIALS", "CREATURE_KINDS"}
STATE_TYPES = {"WorldState"}
FORBIDDEN = ("onelife.library", "onelife.novelty", "onelife.evaluation", "onelife.explore", "onelife.explorer",
             "onelife.modelfile", "worldmodel", "planners", "laws")
MODULES = sorted(PACKAGE.glob("*.py"))


def test_the_package_has_modules_to_check() -> None:
    assert {path.name for path in MODULES} >= {"induce.py", "literals.py", "search.py", "rules.py"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_only_names_are_imported_from_the_game(path: Path) -> None:
    assert not game_imports_beyond(path, {"crafter_oo.rules": NAMES, "crafter_oo.state": STATE_TYPES})
    for module, _ in imports(source_tree(path)):
        assert not any(module == f or module.startswith(f + ".") for f in FORBIDDEN), f"{path.name} imports {module}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_law_file_is_named(path: Path) -> None:
    tree = source_tree(path)
    strings = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    paths = [s for s in strings if not any(c.isspace() for c in s)]  # docstrings and messages are prose
    named = [s for s in paths if (s.endswith(".law") and s not in ("*.law", ".law")) or "laws/" in s or s == "laws"]
    assert not named, f"{path.name} names a law file or the library's folder: {named}"
