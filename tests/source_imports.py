"""What a Python source file imports, read with ``ast`` (for the knowledge-guard tests)."""

from __future__ import annotations

import ast
from pathlib import Path


def imports(tree: ast.Module) -> list[tuple[str, list[str]]]:
    """(module, imported names) for every import (names empty for ``import x``)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found.append((node.module or "", [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
    return found


def source_tree(path: Path) -> ast.Module:
    """The parsed source of a Python file."""
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def game_imports_beyond(path: Path, allowed: dict[str, set[str]]) -> list[str]:
    """What ``path`` imports from ``crafter_oo`` beyond ``allowed`` (module -> names it may
    import from it; any other ``crafter_oo`` module is refused whole), one message each."""
    beyond = []
    for module, names in imports(source_tree(path)):
        if module in allowed:
            extra = set(names) - allowed[module]
            if extra:
                beyond.append(f"{path.name} imports {extra} from {module}")
        elif module.startswith("crafter_oo"):
            beyond.append(f"{path.name} imports {module}")
    return beyond
