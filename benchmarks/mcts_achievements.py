"""Achievements per episode: MCTS planning in a model vs. the same MCTS in the null model vs. random.

Every agent plays the same worlds (``new_game(seed)`` for ``--seeds`` seeds) in the real
game for at most ``--steps`` steps (or until it dies) and scores the number of distinct
achievements it unlocked. The planning model is ``--model``: a model file for
``onelife.load_model``, or ``true`` (the game itself with chance resampled, so the planner
cannot foresee the world's dice). Prints means and standard errors; writes JSON.

    python benchmarks/mcts_achievements.py [--model true] [--seeds 10] [--steps 150]
        [--simulations 24] [--depth 2] [--horizon 40] [--out results/mcts_achievements.json]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Callable

import numpy as np
from tqdm import tqdm

from crafter_oo.game import new_game
from planners.baselines import RandomAgent
from onelife_cli.plan import add_mcts_arguments, load_planning_model, mcts_from_arguments
from planners.rollouts import Agent, run, standard_error
from worldmodel import NullModel, TrueModel
from common import write_json  # the sibling benchmark helpers


def achievements(agent: Agent, seed: int, steps: int) -> int:
    """Distinct achievements ``agent`` unlocks in world ``seed`` within ``steps`` steps."""
    result = run(TrueModel(), new_game(seed), agent, steps, np.random.default_rng(seed))
    return len(result.state.unlocked)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="true", help="planning model: a model file, or 'true' (default)")
    parser.add_argument("--seeds", type=int, default=10, help="worlds (episodes) per agent (default 10)")
    parser.add_argument("--first-seed", type=int, default=0, help="first world seed (default 0)")
    parser.add_argument("--steps", type=int, default=150, help="step limit per episode (default 150)")
    parser.add_argument("--out", type=Path, default=Path("results/mcts_achievements.json"))
    add_mcts_arguments(parser)
    args = parser.parse_args()

    model = load_planning_model(args.model)
    agents: dict[str, Callable[[int], Agent]] = {
        "random": RandomAgent,
        "mcts in null model": lambda seed: mcts_from_arguments(NullModel(), args, seed),
        f"mcts in {args.model}": lambda seed: mcts_from_arguments(model, args, seed),
    }
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    scores: dict[str, list[int]] = {name: [] for name in agents}
    with tqdm(total=len(agents) * len(seeds), desc="episodes") as progress:
        for name, make_agent in agents.items():
            for seed in seeds:
                scores[name].append(achievements(make_agent(seed), seed, args.steps))
                progress.update()

    summary = {name: {"mean": float(np.mean(values)), "stderr": standard_error(values), "per_seed": values}
               for name, values in scores.items()}
    print(f"achievements per episode over seeds {seeds[0]}..{seeds[-1]}, at most {args.steps} steps, "
          f"MCTS: {args.simulations} simulations, depth {args.depth}, "
          f"{'primitive actions' if args.primitive else 'options'}:")
    for name, numbers in summary.items():
        print(f"  {name}: {numbers['mean']:.2f} ± {numbers['stderr']:.2f}  {numbers['per_seed']}")
    write_json(args.out, {"arguments": {k: str(v) for k, v in vars(args).items()}, "seeds": seeds,
                          "agents": summary})
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
