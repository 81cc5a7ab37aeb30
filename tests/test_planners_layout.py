"""Each agent's algorithm stands on the model interface alone; Crafter enters only through its adapter."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PLANNERS = Path(__file__).resolve().parent.parent / "planners"
ALGORITHMS = ("iwocs", "subpo", "doc")
CRAFTER_FREE = (*ALGORITHMS, "small_problems")  # the papers' problems need no Crafter either


def imported_modules(module: str) -> set[str]:
    """The absolute module names that ``planners.<module>`` imports (``from planners import x`` counts as
    ``planners.x`` when x is a module of the package)."""
    names = set()
    for node in ast.walk(ast.parse((PLANNERS / f"{module}.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names
                      if node.module == "planners" and (PLANNERS / f"{alias.name}.py").exists()}
    return names


def planners_closure(module: str) -> set[str]:
    """``module`` and every planners module it reaches by imports."""
    seen, todo = set(), [module]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo += [name.removeprefix("planners.") for name in imported_modules(current)
                 if name.startswith("planners.")]
    return seen


@pytest.mark.parametrize("module", CRAFTER_FREE)
def test_the_algorithms_and_the_papers_problems_import_no_crafter(module):
    for reached in planners_closure(module):
        crafter = sorted(name for name in imported_modules(reached)
                         if name.split(".")[0] == "crafter_oo" or name.endswith("_crafter"))
        assert not crafter, f"planners.{reached} (reached from planners.{module}) imports {crafter}"


def test_the_closure_follows_imports_into_the_package():
    # The check above is only as good as its import graph: the option model reaches Crafter through options.
    reached = planners_closure("option_model")
    assert {"option_model", "options", "rewards", "rollouts"} <= reached
    assert "crafter_oo.state" in imported_modules("options")
