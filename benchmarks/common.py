"""Helpers shared by the benchmark scripts: timing (of any call, of replaying a life) and atomic JSON.

The scripts import it as a sibling module (``from common import ...``), which works when a
script is run as ``python benchmarks/NAME.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

import crafter_oo
from crafter_oo.game import new_game

if TYPE_CHECKING:
    from onelife.trajectory import Trajectory


def median_seconds(run: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``run()`` over ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def write_json(path: str | os.PathLike[str], data: dict[str, Any]) -> None:
    """Write ``data`` as JSON atomically: a temporary file beside ``path``, then a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(temporary, path)


def replay_seconds(life: "Trajectory") -> float:
    """Wall time of ``crafter_oo.step`` replaying the life's actions from its start."""
    start = time.perf_counter()
    state = new_game(life.seed, rules=life.states[0].config.rules)
    for action in life.actions:
        state = crafter_oo.step(state, action).state
    seconds = time.perf_counter() - start
    assert state == life.states[-1], "the replay must reach the life's last state"
    return seconds


def seeds(text: str) -> list[int]:
    """``"0-15"`` or ``"0,3,5"`` as a list of seeds."""
    try:
        if "-" in text:
            low, high = (int(part) for part in text.split("-"))
            return list(range(low, high + 1))
        return [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seeds: expected 'A-B' or 'A,B,...' with integers, got {text!r}") from None
