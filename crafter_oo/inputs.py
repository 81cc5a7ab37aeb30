"""Bad input, named: the base of every error a user's file or argument can cause, and the one
way the project opens an input file (regular files only, so a FIFO or a device cannot hang a
reader; UTF-8 text, with errors that name the file)."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class InputError(ValueError):
    """Input a user gave (a file, a field in it, an argument) that cannot be used. The message
    names where (the file with its line or JSON path, the field), the bad value and what was
    expected; each kind of input has its own subclass."""


def _file_kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "directory"), (stat.S_ISFIFO, "named pipe (FIFO)"),
                       (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device")):
        if test(mode):
            return name
    return "special file"


def read_input_text(path: str | os.PathLike[str], what: str,
                    error: type[InputError] = InputError) -> str:
    """The UTF-8 text of the input file ``path`` (a ``what`` file, e.g. "trajectory"); any
    problem raises ``error`` naming the file."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise error(f"{path}: no such {what} file") from None
    except OSError as problem:
        raise error(f"{path}: cannot read the {what} file: {problem.strerror}") from None
    if not stat.S_ISREG(mode):
        raise error(f"{path}: expected a regular {what} file, got a {_file_kind(mode)}")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as problem:
        raise error(f"{path}: byte {problem.start}: expected UTF-8 text in a {what} file") from None
    except OSError as problem:
        raise error(f"{path}: cannot read the {what} file: {problem.strerror}") from None
