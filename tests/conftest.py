"""Fixtures shared by test modules: the README's main job, run once per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

# The README's main job, as its set-up command runs it (after installing).
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


def run_onelife(arguments: tuple[str, ...], cwd: Path) -> subprocess.CompletedProcess:
    """``onelife ARGUMENTS`` in ``cwd`` on a terminal of 100 columns, its output captured."""
    environment = {**os.environ, "COLUMNS": str(TERMINAL_COLUMNS)}
    return subprocess.run([sys.executable, "-m", "onelife_cli", *arguments], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=1200)


@pytest.fixture(scope="session")
def main_job(tmp_path_factory: pytest.TempPathFactory) -> MainJob:
    """The README's main job (explore, fit, evaluate seed 0's life), run once in a fresh directory."""
    root = tmp_path_factory.mktemp("main_job")
    outputs = {}
    for arguments in MAIN_JOB:
        result = run_onelife(arguments, root)
        assert result.returncode == 0, f"onelife {' '.join(arguments)} failed:\n{result.stderr}"
        outputs[arguments[0]] = result
    return MainJob(root, outputs)
