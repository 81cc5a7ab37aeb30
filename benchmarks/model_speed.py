"""How fast the world model scores and fits: prints one JSON object.

Usage: ``python benchmarks/model_speed.py [--transitions 2000] [--seed 0]``. Transitions are
sampled from the sample rulebook (``onelife/examples``) on a 16 x 16 hand-built world with
a cow, two zombies, a skeleton and a plant, with random actions.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crafter_oo.rules import ACTIONS  # noqa: E402
from crafter_oo.state import Cow, Plant, Player, Skeleton, Zombie  # noqa: E402
from onelife import WorldModel, load_laws  # noqa: E402
from onelife.attributes import FAMILIES  # noqa: E402
from onelife.toyworld import toy_world  # noqa: E402

ROWS = ["................",
        ".....TT.........",
        "..~~............",
        "..~~......____..",
        "..........____..",
        ".........t......"] + ["................"] * 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--transitions", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    laws = load_laws(Path(__file__).resolve().parents[1] / "onelife" / "examples")
    truth = WorldModel(laws, {f"frame.{f}": 1e-4 for f in FAMILIES})
    rng = np.random.default_rng(args.seed)
    state = toy_world(ROWS, [Player((8, 8)), Cow((3, 12)), Zombie((12, 12)), Zombie((1, 1)),
                             Skeleton((11, 4)), Plant((6, 6))])
    transitions = []
    start = time.perf_counter()
    for _ in range(args.transitions):
        action = ACTIONS[int(rng.integers(len(ACTIONS)))]
        next_state = truth.sample(state, action, rng)
        transitions.append((state, action, next_state))
        state = next_state
    sample_seconds = time.perf_counter() - start

    start = time.perf_counter()
    truth.log_prob_batch(transitions)
    batch_seconds = time.perf_counter() - start
    single = transitions[:200]
    start = time.perf_counter()
    for transition in single:
        truth.log_prob(*transition)
    single_seconds = time.perf_counter() - start

    model = WorldModel(laws)
    start = time.perf_counter()
    model.fit(transitions, method="map")
    fit_seconds = time.perf_counter() - start
    print(json.dumps({
        "laws": len(laws),
        "transitions": len(transitions),
        "scored_per_second_batched": round(len(transitions) / batch_seconds, 1),
        "scored_per_second_one_by_one": round(len(single) / single_seconds, 1),
        "sampled_per_second": round(len(transitions) / sample_seconds, 1),
        "map_fit_seconds": round(fit_seconds, 2),
    }))


if __name__ == "__main__":
    main()
