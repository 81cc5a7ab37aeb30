"""Step and reset speed of crafter_oo against the reference ``crafter.Env``, timed interleaved.

The reference steps with its pixel observation replaced by a stub that only makes the
random draws night-time rendering makes (crafter-spec §3.6), so both sides do the same game
work. Both sides play the same seeded random actions from the same worlds (so, the game
being the same, the same trajectory) in alternating blocks of ``--block`` steps, ours then
the reference's, in one process: load on a shared machine falls on both alike. Resets after
a death are excluded from step timing; resets are timed alternately as well. Prints one
JSON line with both figures, the ratio over all steps and the median ratio of block pairs.

    python benchmarks/step_speed.py [--steps 3000] [--block 100] [--resets 3]
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Protocol

import numpy as np

import crafter_oo
from crafter_oo.game import new_game
from crafter_oo.reference import DeterministicCrafter
from common import median_seconds  # the sibling benchmark helpers


class Game(Protocol):
    """One side of the comparison: steps an action, starts the next episode on demand."""

    def step(self, action: int) -> bool: ...

    def next_episode(self) -> None: ...


class ReferenceGame:
    """The deterministic, pixel-free reference game."""

    def __init__(self, seed: int) -> None:
        self.env = DeterministicCrafter(seed=seed)
        self.env.reset()

    def step(self, action: int) -> bool:
        """Step the reference; True when the episode is over."""
        return bool(self.env.step(action)[2])

    def next_episode(self) -> None:
        self.env.reset()


class OurGame:
    """crafter_oo, holding the current state between steps."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.state = new_game(seed)

    def step(self, action: int) -> bool:
        """Step crafter_oo; True when the episode is over."""
        result = crafter_oo.step(self.state, action)
        self.state = result.state
        return result.done

    def next_episode(self) -> None:
        self.state = new_game(self.seed, self.state.episode + 1)


def step_seconds(game: Game, actions: np.ndarray) -> float:
    """Time spent in ``game.step`` over ``actions``, starting a new episode after each end."""
    elapsed = 0.0
    for action in actions.tolist():
        start = time.perf_counter()
        done = game.step(action)
        elapsed += time.perf_counter() - start
        if done:
            game.next_episode()
    return elapsed


def interleaved_step_seconds(seed: int, actions: np.ndarray, block: int) -> tuple[list[float], list[float]]:
    """Seconds per block for crafter_oo and for the reference, blocks taken alternately."""
    ours, reference = OurGame(seed), ReferenceGame(seed)
    our_blocks, reference_blocks = [], []
    for start in range(0, len(actions), block):
        chunk = actions[start:start + block]
        our_blocks.append(step_seconds(ours, chunk))
        reference_blocks.append(step_seconds(reference, chunk))
    return our_blocks, reference_blocks


def interleaved_reset_seconds(seed: int, rounds: int, ours_per_round: int) -> tuple[float, float]:
    """Median reset seconds of crafter_oo and of the reference, one reference reset then
    ``ours_per_round`` of ours in each round (ours is too quick to time singly)."""
    reference_env = DeterministicCrafter(seed=seed)
    episodes = iter(range(1, 10**6))
    our_times, reference_times = [], []
    for _ in range(rounds):
        reference_times.append(median_seconds(reference_env.reset, 1))
        our_times.append(median_seconds(lambda: new_game(seed, next(episodes)), ours_per_round))
    return float(np.median(our_times)), float(np.median(reference_times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--block", type=int, default=100, help="steps per block of one side")
    parser.add_argument("--resets", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    actions = np.random.RandomState(args.seed).randint(0, len(crafter_oo.ACTIONS), args.steps)
    our_blocks, reference_blocks = interleaved_step_seconds(args.seed, actions, args.block)
    ours_sps, reference_sps = args.steps / sum(our_blocks), args.steps / sum(reference_blocks)
    block_ratios = [theirs / mine for mine, theirs in zip(our_blocks, reference_blocks)]
    ours_reset, reference_reset = interleaved_reset_seconds(args.seed, args.resets, 5)
    print(json.dumps({
        "steps": args.steps,
        "block": args.block,
        "interleaved": True,
        "reference_steps_per_second": round(reference_sps, 1),
        "crafter_oo_steps_per_second": round(ours_sps, 1),
        "step_speedup": round(ours_sps / reference_sps, 2),
        "step_speedup_median_block": round(float(np.median(block_ratios)), 2),
        "reference_reset_seconds": round(reference_reset, 4),
        "crafter_oo_reset_seconds": round(ours_reset, 4),
        "reset_speedup": round(reference_reset / ours_reset, 1),
    }))


if __name__ == "__main__":
    main()
