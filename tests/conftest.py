"""Which copy of the project the tests exercise: the header names it, and where CI asks for the
installed package (``ONELIFE_TEST_INSTALLED=1``) a session that would import the checkout's
folders instead is refused before any test runs."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest

PACKAGES = ("crafter_oo", "worldmodel", "onelife", "onelife_cli", "planners", "laws")
CHECKOUT = Path(__file__).resolve().parents[1]


def _origins() -> dict[str, Path]:
    """Where each project package is imported from."""
    return {name: Path(importlib.import_module(name).__file__).resolve().parent for name in PACKAGES}


def pytest_report_header(config: pytest.Config) -> str:
    folders = sorted({str(folder.parent) for folder in _origins().values()})
    return f"onelife packages imported from: {', '.join(folders)}"


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("ONELIFE_TEST_INSTALLED") != "1":
        return
    from_checkout = [name for name, folder in _origins().items() if folder == CHECKOUT / name]
    if from_checkout:
        raise pytest.UsageError(
            f"ONELIFE_TEST_INSTALLED=1 but {', '.join(from_checkout)} would be imported from the "
            f"checkout {CHECKOUT}: install the package (not editable) and run 'pytest', "
            f"not 'python -m pytest' (which puts the current folder first on sys.path)")
