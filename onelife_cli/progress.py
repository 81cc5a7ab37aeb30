"""The progress bars of the ``onelife`` commands: labelled, with a total, on standard error, and
never wider than the terminal (``COLUMNS`` when standard error is not a terminal)."""

from __future__ import annotations

import shutil
import sys

from tqdm import tqdm


def progress_bar(total: int, desc: str, unit: str, initial: int = 0) -> tqdm:
    """A bar counting ``total`` ``unit``s under the label ``desc`` (``initial`` done already),
    fitted to the terminal's width."""
    columns = shutil.get_terminal_size(fallback=(100, 24)).columns
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, ncols=columns, initial=initial)
