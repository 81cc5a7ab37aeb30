"""Seeded random play of ``crafter_oo.step`` for counting the instructions a step costs.

Wall-clock speed on a shared machine swings with the load; the number of instructions a
process executes does not. Run this twice under valgrind with two step counts and take the
difference, e.g.::

    for n in 10 600; do valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \\
        python benchmarks/step_instructions.py --steps $n 2>&1 | grep "I *refs"; done

(instructions per step = (I refs at 600 - I refs at 10) / 590). Plays the same actions as
``step_speed.py``: random actions seeded by ``--seed`` from ``new_game(seed)``, a new
episode after each death.
"""

from __future__ import annotations

import argparse

import numpy as np

import crafter_oo
from crafter_oo.game import new_game


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    actions = np.random.RandomState(args.seed).randint(0, len(crafter_oo.ACTIONS), args.steps)
    state, episode = new_game(args.seed), 1
    for action in actions:
        result = crafter_oo.step(state, int(action))
        state = result.state
        if result.done:
            episode += 1
            state = new_game(args.seed, episode)
    print(f"{args.steps} steps, {episode} episodes, last at step {state.step}")


if __name__ == "__main__":
    main()
