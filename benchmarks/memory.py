"""Memory and size of what lives long (issue 21): loaded models, trajectory files, a fit.

Usage: ``python benchmarks/memory.py [--steps 20000] [--loads 100] [--seed 0]
[--fit-steps N] [--out results/memory] [--fit-only LIFE]``. Prints one table and writes
``results/memory/memory.json``; with ``--fit-only``, measures only item 3 on the trajectory
``LIFE`` (e.g. the long life an earlier run wrote) and prints its row.

1. ``load_model`` growth: resident memory after ``--loads`` rounds of loading the default
   model from its file and scoring one transition with it (which compiles every law),
   minus after the first round.
2. Bytes per transition of one long life written in trajectory format version 1 (the
   generator's full state on every line, written here by ``version_1_line`` as the old
   writer did) and version 2 (``onelife.trajectory``, draw counts), and the time
   ``Trajectory.load`` takes for each.
3. ``onelife fit`` (the default law library, its default method) on the version 2 file, in a
   child process: its wall time and peak resident memory (``ru_maxrss`` of the child).

The long life: an explorer's life in Crafter ends within a few hundred steps, so this one is
played under rules whose vitals never drain (``hunger``, ``thirst`` and ``fatigue`` grow at
rate 0 awake and asleep; everything else is Crafter's), from ``new_game(seed)`` with no
episode length, by a seeded uniformly random policy, with the player walled in by
``crafter_oo.edit``: a 3 x 3 grass room (creatures in it removed) ringed by stone. No
creature can come within reach (zombies attack at distance 1 and spawn 6 or more away,
further than any cell of the room), and without wood there is no pickaxe to dig out, so the
player lives all ``--steps`` steps while the world around it (creatures, day and night,
chunk balancing) runs on the real step function, ``crafter_oo.step``.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import write_json  # noqa: E402  (the sibling benchmark helpers)
import crafter_oo  # noqa: E402
from crafter_oo.edit import place_material, remove_creature  # noqa: E402
from crafter_oo.game import new_game  # noqa: E402
from crafter_oo.rules import ACTIONS  # noqa: E402
from crafter_oo.state import WorldState  # noqa: E402
from onelife.library import default_model  # noqa: E402
from onelife.modelfile import load_model, save_model  # noqa: E402
from onelife.trajectory import FORMAT, Trajectory, TrajectoryWriter, state_change  # noqa: E402

NEVER_DRAINING = {"vitals": {"hunger": {"awake": 0.0, "asleep": 0.0}, "thirst": {"awake": 0.0, "asleep": 0.0},
                             "fatigue": {"awake": 0.0}}}
ROOM_RADIUS = 1  # the room is the cells within this Chebyshev distance of the player; the wall is one further
POLICY = "random, walled in, vitals never drain"


def resident_mb() -> float:
    """This process's resident memory now (VmRSS), in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 1e6


def load_model_growth(folder: Path, loads: int) -> dict[str, float]:
    """Resident memory growth over ``loads`` rounds of ``load_model`` + one ``log_prob``."""
    path = folder / "default_model.json"
    save_model(default_model(), path)
    state = new_game(0)
    after = crafter_oo.step(state, "noop").state

    def round_trip() -> None:
        load_model(path).log_prob(state, "noop", after)

    round_trip()
    gc.collect()
    before = resident_mb()
    for _ in tqdm(range(loads), desc="load_model"):
        round_trip()
    gc.collect()
    return {"loads": loads, "rss_growth_mb": round(resident_mb() - before, 1)}


def walled_in(state: WorldState) -> WorldState:
    """``state`` with the player in a grass room of radius ``ROOM_RADIUS`` ringed by stone."""
    px, py = state.player.pos
    wall = ROOM_RADIUS + 1
    for oid, obj in list(state.creatures()):
        if max(abs(obj.pos[0] - px), abs(obj.pos[1] - py)) <= wall:
            state = remove_creature(state, oid)
    for dx in range(-wall, wall + 1):
        for dy in range(-wall, wall + 1):
            ring = max(abs(dx), abs(dy)) == wall
            state = place_material(state, (px + dx, py + dy), "stone" if ring else "grass")
    return state


def version_1_line(step: int, action: str, before: dict[str, Any], after: dict[str, Any]) -> str:
    """A transition line as trajectory format version 1 wrote it (the generator in the change)."""
    return json.dumps({"step": step, "action": action, "next": state_change(before, after)},
                      separators=(",", ":")) + "\n"


def play_long_life(seed: int, steps: int, version_2: Path, version_1: Path) -> None:
    """Play the long life (module docstring), writing it in both formats as it goes."""
    rules = crafter_oo.Rules.crafter().replace(NEVER_DRAINING)
    state = walled_in(new_game(seed, rules=rules, length=None))
    policy = np.random.default_rng(seed)
    previous = state.to_dict()
    with TrajectoryWriter(version_2, seed, POLICY, steps, state) as writer, \
            version_1.open("w", encoding="utf-8") as old:
        old.write(json.dumps({"format": FORMAT, "version": 1, "seed": seed, "policy": POLICY,
                              "step_limit": steps, "first": previous}, separators=(",", ":")) + "\n")
        for step in tqdm(range(1, steps + 1), desc="long life"):
            action = ACTIONS[int(policy.integers(len(ACTIONS)))]
            result = crafter_oo.step(state, action)
            if result.done:
                raise RuntimeError(f"the walled-in player died at step {step}; the room does not protect it")
            state = result.state
            writer.add(action, state)
            current = state.to_dict()
            old.write(version_1_line(step, action, previous, current))
            previous = current
        writer.finish("step limit")
        old.write(json.dumps({"end": "step limit"}) + "\n")


def per_transition(path: Path, steps: int) -> float:
    """Bytes per transition of a trajectory file: everything after the header line."""
    with path.open("rb") as file:
        header = len(file.readline())
    return (path.stat().st_size - header) / steps


def timed_load(path: Path, steps: int) -> float:
    """Seconds ``Trajectory.load`` takes on ``path`` (checking it holds every step)."""
    start = time.perf_counter()
    life = Trajectory.load(path)
    seconds = time.perf_counter() - start
    assert len(life.actions) == steps and life.ended == "step limit"
    return seconds


def fit_in_child(life: Path, model: Path, fit_steps: int | None) -> dict[str, float]:
    """Wall time and peak resident memory of ``onelife fit`` on ``life`` in a child process."""
    command = [sys.executable, "-m", "onelife_cli", "fit", str(life), "--out", str(model)]
    if fit_steps is not None:
        command += ["--fit-steps", str(fit_steps)]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux: kilobytes
    return {"fit_seconds": round(seconds, 1), "fit_peak_rss_mb": round(peak_kb / 1e3, 1),
            "command": " ".join(["onelife", *command[3:]])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=20000)
    parser.add_argument("--loads", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fit-steps", type=int, default=None, help="optimiser iterations (default: fit's)")
    parser.add_argument("--out", type=Path, default=Path("results/memory"))
    parser.add_argument("--fit-only", type=Path, default=None, help="measure only the fit, of this trajectory")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.fit_only is not None:
        fit = fit_in_child(args.fit_only, args.out / "fit_only.model.json", args.fit_steps)
        print(f"{fit['command']}\n| onelife fit: wall time | {fit['fit_seconds']} s |\n"
              f"| onelife fit: peak resident memory | {fit['fit_peak_rss_mb']} MB |")
        return

    results: dict[str, Any] = {"load_model": load_model_growth(args.out, args.loads)}
    version_2, version_1 = args.out / "long_life.v2.jsonl", args.out / "long_life.v1.jsonl"
    play_long_life(args.seed, args.steps, version_2, version_1)
    results["life"] = {"steps": args.steps, "seed": args.seed,
                       "v1_bytes_per_transition": round(per_transition(version_1, args.steps)),
                       "v2_bytes_per_transition": round(per_transition(version_2, args.steps)),
                       "v1_mb": round(version_1.stat().st_size / 1e6, 1),
                       "v2_mb": round(version_2.stat().st_size / 1e6, 1),
                       "v1_load_seconds": round(timed_load(version_1, args.steps), 1),
                       "v2_load_seconds": round(timed_load(version_2, args.steps), 1)}
    results["fit"] = fit_in_child(version_2, args.out / "long_life.model.json", args.fit_steps)
    write_json(args.out / "memory.json", results)

    life, fit = results["life"], results["fit"]
    rows = [
        ("load_model + log_prob, growth over the loads", f"{results['load_model']['rss_growth_mb']} MB "
         f"({args.loads} loads)", "< 20 MB"),
        ("bytes per transition, version 1", f"{life['v1_bytes_per_transition']} B ({life['v1_mb']} MB)", ""),
        ("bytes per transition, version 2", f"{life['v2_bytes_per_transition']} B ({life['v2_mb']} MB)", "<= 2048 B"),
        ("Trajectory.load, version 1", f"{life['v1_load_seconds']} s", ""),
        ("Trajectory.load, version 2", f"{life['v2_load_seconds']} s", "< 10 s"),
        ("onelife fit: wall time", f"{fit['fit_seconds']} s", ""),
        ("onelife fit: peak resident memory", f"{fit['fit_peak_rss_mb']} MB", "< 1000 MB"),
    ]
    print(f"\n{args.steps}-step life, seed {args.seed}; fit: {fit['command']}")
    print("| measure | value | target |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
