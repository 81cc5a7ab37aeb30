"""How a uniformly random agent fares in Crafter and in each shipped rule variant.

Usage: ``python benchmarks/variant_play.py [--seeds 8] [--steps 1000] [--out variant_play.json]``.

For every rule set (``crafter_oo.variants()``) and seeds 0..N-1, plays one life of random
actions (seeded by the seed) in ``new_game(seed, rules=...)`` until death or ``--steps`` and
prints one row per rule set: mean ± standard error of the steps survived, how many lives
reached the step limit, the mean number of achievements unlocked, night steps lived, and
the steps per second of ``crafter_oo.step``. A random agent shows that every world plays
(nothing raises, nothing stalls) and how much harsher a world is for an agent that learns
nothing; it says nothing about what a careful player can survive. With ``--out``, the rows
are also written as JSON (atomically).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import crafter_oo  # noqa: E402
from common import mean_and_stderr, write_json  # noqa: E402  (the sibling benchmark helpers)


def random_life(rules: crafter_oo.Rules, seed: int, steps: int) -> dict[str, Any]:
    """One random-action life: steps survived, achievements unlocked, night steps lived."""
    state = crafter_oo.new_game(seed, rules=rules)
    actions = np.random.RandomState(seed).randint(0, len(crafter_oo.ACTIONS), steps)
    night = 0
    for action in actions:
        result = crafter_oo.step(state, int(action))
        state = result.state
        night += state.daylight < 0.5
        if result.info["dead"]:
            break
    return {"steps": state.step, "alive": state.player.health > 0, "night_steps": night,
            "achievements": sum(count > 0 for count in state.player.achievements.values())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rows = []
    print(f"{'rules':<20} {'steps survived':>16} {'alive':>6} {'achievements':>13} {'night':>6} {'steps/s':>8}")
    for name, _ in crafter_oo.variants():
        rules = crafter_oo.variant(name)
        start = time.perf_counter()
        lives = [random_life(rules, seed, args.steps) for seed in range(args.seeds)]
        seconds = time.perf_counter() - start
        steps, stderr = mean_and_stderr([life["steps"] for life in lives])
        row = {"rules": name, "steps_mean": steps, "steps_stderr": stderr,
               "alive_at_limit": sum(life["alive"] for life in lives),
               "achievements_mean": float(np.mean([life["achievements"] for life in lives])),
               "night_steps_mean": float(np.mean([life["night_steps"] for life in lives])),
               "steps_per_second": sum(life["steps"] for life in lives) / seconds, "lives": lives}
        rows.append(row)
        print(f"{name:<20} {steps:>9.1f} ± {stderr:>4.1f} {row['alive_at_limit']:>6} "
              f"{row['achievements_mean']:>13.2f} {row['night_steps_mean']:>6.1f} {row['steps_per_second']:>8.0f}")
    if args.out:
        write_json(args.out, {"seeds": args.seeds, "step_limit": args.steps, "rows": rows})


if __name__ == "__main__":
    main()
