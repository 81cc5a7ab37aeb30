"""Step and reset speed of crafter_oo against the reference ``crafter.Env``, in one run.

The reference steps with its pixel observation replaced by a stub that only makes the
random draws night-time rendering makes (crafter-spec §3.6), so both sides do the same game
work. Both sides play the same seeded random actions from the same worlds; resets after a
death are excluded from step timing. Prints one JSON line with both figures and the ratios.

    python benchmarks/step_speed.py [--steps 3000] [--resets 3]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

import crafter_oo
from crafter_oo.game import new_game
from crafter_oo.reference import DeterministicCrafter
from common import median_seconds  # the sibling benchmark helpers


def reference_steps_per_second(seed: int, actions: np.ndarray) -> float:
    env = DeterministicCrafter(seed=seed)
    env.reset()
    elapsed = 0.0
    for action in actions:
        start = time.perf_counter()
        _, _, done, _ = env.step(int(action))
        elapsed += time.perf_counter() - start
        if done:
            env.reset()
    return len(actions) / elapsed


def our_steps_per_second(seed: int, actions: np.ndarray) -> float:
    state, episode = new_game(seed), 1
    elapsed = 0.0
    for action in actions:
        start = time.perf_counter()
        result = crafter_oo.step(state, int(action))
        elapsed += time.perf_counter() - start
        state = result.state
        if result.done:
            episode += 1
            state = new_game(seed, episode)
    return len(actions) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--resets", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    actions = np.random.RandomState(args.seed).randint(0, len(crafter_oo.ACTIONS), args.steps)
    reference_sps = reference_steps_per_second(args.seed, actions)
    ours_sps = our_steps_per_second(args.seed, actions)
    reference_env = DeterministicCrafter(seed=args.seed)
    reference_reset = median_seconds(reference_env.reset, args.resets)
    episodes = iter(range(1, 10**6))
    ours_reset = median_seconds(lambda: new_game(args.seed, next(episodes)), args.resets * 5)
    print(json.dumps({
        "steps": args.steps,
        "reference_steps_per_second": round(reference_sps, 1),
        "crafter_oo_steps_per_second": round(ours_sps, 1),
        "step_speedup": round(ours_sps / reference_sps, 2),
        "reference_reset_seconds": round(reference_reset, 4),
        "crafter_oo_reset_seconds": round(ours_reset, 4),
        "reset_speedup": round(reference_reset / ours_reset, 1),
    }))


if __name__ == "__main__":
    main()
