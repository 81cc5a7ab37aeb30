"""Independent tasks run in this process one after another, or as Ray tasks on a local Ray or a
cluster: one executor for the sweep and the long benchmarks.

``serial()`` is the reference: each task called in order in this process. ``on_ray(address,
cpus)`` joins the Ray cluster at ``address`` (or ``RAY_ADDRESS``), or with neither starts a
local Ray on ``cpus`` of this machine's cores (no dashboard, a small object store, workers'
output not copied to this terminal). A Ray task whose worker dies is retried up to
``retries`` times. Both yield an ``Outcome`` per task as it finishes: its value, or the error
it raised (one task's failure never stops the others). Tasks must be module-level functions
whose arguments and results pickle; a task's result must not depend on which process runs it.
"""

from __future__ import annotations

import argparse
import importlib
import os
import traceback
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Protocol, Sequence

# Ray's smallest object store (75 MiB) and a little more: tasks exchange small results only.
OBJECT_STORE_BYTES = 100 * 1024 * 1024
RETRIES = 3


@dataclass(frozen=True, slots=True)
class Task:
    """One call to run: ``function(*arguments)``, known by ``key``."""

    key: str
    function: Callable[..., Any]
    arguments: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """A finished task: its value, or ``error`` (one line) and ``details`` (the traceback)."""

    key: str
    value: Any = None
    error: str | None = None
    details: str | None = None


class Executor(Protocol):
    """Runs tasks and yields their outcomes as they finish."""

    def map(self, tasks: Sequence[Task]) -> Iterator[Outcome]:
        """Every task's outcome, as each finishes."""
        ...


class SerialExecutor:
    """Every task in this process, in order: the reference the Ray executor must agree with."""

    def map(self, tasks: Sequence[Task]) -> Iterator[Outcome]:
        """Each task's outcome, in the tasks' order."""
        for task in tasks:
            try:
                value = task.function(*task.arguments)
            except Exception as error:  # a task's failure is its outcome; the others go on
                yield Outcome(task.key, error=f"{type(error).__name__}: {error}",
                              details="".join(traceback.format_exception(error)))
            else:
                yield Outcome(task.key, value)


class RayExecutor:
    """Tasks as Ray tasks (one CPU each), retried when their worker dies."""

    def __init__(self, ray: Any, retries: int) -> None:
        self.ray = ray
        self.retries = retries

    def map(self, tasks: Sequence[Task]) -> Iterator[Outcome]:
        """Submit every task, then yield each outcome as its task finishes."""
        ray = self.ray
        remote: dict[Callable[..., Any], Any] = {}
        pending: dict[Any, str] = {}
        for task in tasks:
            if task.function not in remote:
                remote[task.function] = ray.remote(num_cpus=1, max_retries=self.retries)(task.function)
            pending[remote[task.function].remote(*task.arguments)] = task.key
        while pending:
            finished, _ = ray.wait(list(pending), num_returns=1)
            for reference in finished:
                key = pending.pop(reference)
                try:
                    yield Outcome(key, ray.get(reference))
                except ray.exceptions.RayError as error:
                    cause = getattr(error, "cause", None) or error
                    first = str(cause).strip().splitlines()
                    yield Outcome(key, error=f"{type(cause).__name__}: {first[0] if first else ''}",
                                  details=str(error))


@contextmanager
def serial() -> Iterator[Executor]:
    """The serial executor (a context manager, like ``on_ray``)."""
    yield SerialExecutor()


@contextmanager
def on_ray(address: str | None = None, cpus: int | None = None, retries: int = RETRIES) -> Iterator[Executor]:
    """A Ray executor: joined to the cluster at ``address`` or ``RAY_ADDRESS``, or on a local Ray
    started on ``cpus`` cores (default: all of them); Ray is shut down on leaving."""
    try:
        ray = importlib.import_module("ray")
    except ImportError:
        raise SystemExit("Ray is not installed: pip install -e \".[ray]\" (or run without Ray)") from None
    address = address or os.environ.get("RAY_ADDRESS") or None
    if address is not None:
        ray.init(address=address, log_to_driver=False, logging_level="WARNING")
    else:
        ray.init(address="local", num_cpus=cpus or os.cpu_count() or 1, include_dashboard=False,
                 object_store_memory=OBJECT_STORE_BYTES, log_to_driver=False, logging_level="WARNING")
    try:
        yield RayExecutor(ray, retries)
    finally:
        ray.shutdown()


def add_arguments(parser: argparse.ArgumentParser, what: str) -> None:
    """``--ray``, ``--address`` and ``--cpus``: run ``what`` as Ray tasks instead of one after another."""
    parser.add_argument("--ray", action="store_true", help=f"run {what} as Ray tasks (a local Ray unless "
                                                           f"--address or RAY_ADDRESS names a cluster)")
    parser.add_argument("--address", help="with --ray: the Ray cluster to join")
    parser.add_argument("--cpus", type=int, help="with --ray: cores of the local Ray (default: all)")


def from_arguments(args: argparse.Namespace) -> AbstractContextManager[Executor]:
    """The executor chosen by ``add_arguments``' options: on Ray with ``--ray``, else serial."""
    return on_ray(args.address, args.cpus) if args.ray else serial()


def values(outcomes: Iterator[Outcome]) -> dict[str, Any]:
    """Every task's value by key, for callers that need them all: a failed task stops it with its error."""
    found = {}
    for outcome in outcomes:
        if outcome.error is not None:
            raise RuntimeError(f"task {outcome.key} failed: {outcome.details or outcome.error}")
        found[outcome.key] = outcome.value
    return found
