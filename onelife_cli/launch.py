"""The ``onelife`` console script's entry: Ctrl-C while the command starts (loading torch and
Pyro takes seconds) ends it quietly with one line, like Ctrl-C during the work does, instead
of a traceback from inside an import. Once loaded, ``main`` handles interruptions itself."""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType


def _stop_starting(signum: int, frame: FrameType | None) -> None:
    """Nothing has been done yet, so there is nothing to keep: say so and leave."""
    sys.stderr.write("onelife: interrupted while starting\n")
    os._exit(130)


signal.signal(signal.SIGINT, _stop_starting)
from onelife_cli.main import main as run  # noqa: E402 - loaded under the start-up handler on purpose
signal.signal(signal.SIGINT, signal.default_int_handler)


def main() -> int:
    """Run the ``onelife`` command line (see ``onelife_cli.main``)."""
    return run()
