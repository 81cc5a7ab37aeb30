"""Where a command writes: checked before the work starts, never over a finished result unless
asked (``--force``), and by one writer at a time (a lock file beside the output, naming the
process that holds it)."""

from __future__ import annotations

import fcntl
import os
import signal
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from crafter_oo.inputs import InputError

INTERRUPTED = 130  # the exit status of a command stopped by Ctrl-C (the shell's 128 + SIGINT)


class OutputError(InputError):
    """An output path that cannot or may not be written: names the path and what to do."""


def prepare_folder(folder: Path) -> Path:
    """Make ``folder`` (and its parents) now, so a bad output path fails before the work."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: expected a folder for the output, but it is a file")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{folder}: cannot make the output folder: {error.strerror}") from None
    if not os.access(folder, os.W_OK):
        raise OutputError(f"{folder}: the output folder is not writable")
    return folder


def check_new(path: Path, force: bool, hint: str = "") -> None:
    """Refuse to replace an existing ``path`` unless ``force``."""
    if path.is_dir():
        raise OutputError(f"{path}: expected a file path for the output, but it is a folder")
    if path.exists() and not force:
        raise OutputError(f"{path} exists; pass --force to replace it{hint}")


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path.lock`` while the body runs. The kernel drops the lock
    when its process dies, so a killed run never leaves a stale lock behind."""
    lock = path.with_name(path.name + ".lock")
    while True:
        handle = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(handle, 32).decode(errors="replace").strip() or "unknown"
            os.close(handle)
            raise OutputError(f"{path}: another onelife process (pid {holder}) is writing it; "
                              f"wait for it to finish") from None
        if _same_file(handle, lock):  # else the holder removed it between our open and lock
            break
        os.close(handle)
    os.ftruncate(handle, 0)
    os.write(handle, f"{os.getpid()}\n".encode())
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)
        os.close(handle)


def _same_file(handle: int, path: Path) -> bool:
    try:
        return os.fstat(handle).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


@contextmanager
def interrupt_between_steps() -> Iterator[Callable[[], None]]:
    """Ctrl-C while the body runs is noted, not raised wherever it lands (inside a finaliser it
    would be swallowed and the run would go on); the check it yields raises KeyboardInterrupt
    at the caller's next safe point, e.g. between two steps of a life."""
    pressed: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))

    def check() -> None:
        if pressed:
            raise KeyboardInterrupt
    try:
        yield check
    finally:
        signal.signal(signal.SIGINT, previous)
