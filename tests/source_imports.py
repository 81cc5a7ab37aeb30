"""What a Python source file imports, read with ``ast`` (for the knowledge-guard tests)."""

from __future__ import annotations

import ast


def imports(tree: ast.Module) -> list[tuple[str, list[str]]]:
    """(module, imported names) for every import (names empty for ``import x``)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found.append((node.module or "", [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
    return found
