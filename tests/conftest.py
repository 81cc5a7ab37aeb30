"""Which copy of the project the tests exercise: the header names it, and where CI asks for the
installed package (``ONELIFE_TEST_INSTALLED=1``) a session that would import the checkout's
folders instead is refused before any test runs. Also the README's main job, run once per
session for the tests of what users see (``main_job``)."""

from __future__ import annotations

import importlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from cli_runner import run_onelife

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


# The README's main job, as its set-up command runs it (after installing); run once per session
# by the ``main_job`` fixture for the tests of what users see (tests/test_cli_output.py, notebooks).
MAIN_JOB: tuple[tuple[str, ...], ...] = (
    ("explore", "--seed", "0", "--steps", "2000", "--out", "runs/life0"),
    ("fit", "runs/life0/trajectory.jsonl", "--out", "runs/life0/model.json"),
    ("evaluate", "runs/life0/model.json", "--out", "runs/life0/eval"),
)
TERMINAL_COLUMNS = 100


@dataclass(frozen=True)
class MainJob:
    """Where the main job ran (``runs/life0`` lies under ``root``) and what each command printed."""

    root: Path
    outputs: dict[str, subprocess.CompletedProcess]

    @property
    def run_dir(self) -> Path:
        return self.root / "runs" / "life0"


@pytest.fixture(scope="session")
def main_job(tmp_path_factory: pytest.TempPathFactory) -> MainJob:
    """The README's main job (explore, fit, evaluate seed 0's life), run once in a fresh folder on
    a terminal of 100 columns."""
    root = tmp_path_factory.mktemp("main_job")
    outputs = {}
    for arguments in MAIN_JOB:
        result = run_onelife(*arguments, timeout=1200, cwd=root, columns=TERMINAL_COLUMNS)
        assert result.returncode == 0, f"onelife {' '.join(arguments)} failed:\n{result.stderr}"
        outputs[arguments[0]] = result
    return MainJob(root, outputs)
