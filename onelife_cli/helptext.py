"""Module docstrings shown as ``--help`` text: their double back-ticks become plain quotes."""

from __future__ import annotations


def help_text(docstring: str | None) -> str:
    """``docstring`` as a user reads it in a terminal: ``name`` shown as 'name'."""
    return (docstring or "").replace("``", "'")
