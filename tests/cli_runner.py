"""Run the ``onelife`` command as a user does: the installed console script, started outside the
checkout, so a test of the command exercises what ``pip install`` put in the environment."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ONELIFE = Path(sys.executable).with_name("onelife")


def run_onelife(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``onelife ARGS`` from a scratch folder and capture its output as text."""
    if not ONELIFE.is_file():
        raise FileNotFoundError(f"{ONELIFE}: the onelife console script is not installed in this "
                                f"environment; install the project (pip install '.[dev]') first")
    return subprocess.run([str(ONELIFE), *args], capture_output=True, text=True, timeout=timeout,
                          cwd=tempfile.gettempdir())
