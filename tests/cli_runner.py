"""Run the ``onelife`` command as a user does: the installed console script, started outside the
checkout, so a test of the command exercises what ``pip install`` put in the environment."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ONELIFE = Path(sys.executable).with_name("onelife")


def run_onelife(*args: str, timeout: float = 300, cwd: Path | None = None,
                columns: int | None = None) -> subprocess.CompletedProcess:
    """Run ``onelife ARGS`` from a scratch folder (or ``cwd``) and capture its output as text;
    ``columns``: the terminal width the command is told (``COLUMNS``)."""
    if not ONELIFE.is_file():
        raise FileNotFoundError(f"{ONELIFE}: the onelife console script is not installed in this "
                                f"environment; install the project (pip install '.[dev]') first")
    environment = None if columns is None else {**os.environ, "COLUMNS": str(columns)}
    return subprocess.run([str(ONELIFE), *args], capture_output=True, text=True, timeout=timeout,
                          cwd=cwd or tempfile.gettempdir(), env=environment)
