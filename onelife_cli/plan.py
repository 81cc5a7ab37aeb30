"""The ``onelife plan`` subcommand: play Crafter with MCTS planning in a model, acting in the real
game, beside two baselines: the same planner in the true game, and random actions.

    onelife plan runs/life0/model.json --seed 3 --steps 300 --episodes 3

MODEL is a model file (read with ``onelife.load_model``) or one of the reference models
``true`` (the game itself, chance resampled so the planner cannot foresee it) and ``null``
(nothing ever changes). Each agent plays the same ``--episodes`` worlds (seeds SEED,
SEED + 1, ...); the table gives each one's return (the game's reward: achievements unlocked
and health changes) as mean ± standard deviation over the episodes.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from crafter_oo.game import new_game
from crafter_oo.rules import ACTIONS
from onelife import load_model
from onelife_cli.arguments import natural, positive
from onelife_cli.helptext import help_text
from onelife_cli.progress import progress_bar
from planners.baselines import RandomAgent
from planners.mcts import MCTS
from planners.rollouts import Agent, Run, run
from worldmodel import NullModel, TrueModel, WorldModel

REFERENCE_MODELS = ("true", "null")


def load_planning_model(spec: str) -> WorldModel:
    """``true`` or ``null`` for a reference model, anything else is a model file path."""
    if spec == "true":
        return TrueModel(resample_chance=True)
    if spec == "null":
        return NullModel()
    return load_model(spec)


def add_mcts_arguments(parser: argparse.ArgumentParser) -> None:
    """The MCTS budget options shared by the CLI and the benchmark."""
    parser.add_argument("--simulations", type=positive, default=24, help="searches per decision (default 24)")
    parser.add_argument("--depth", type=positive, default=2, help="choices deep per search (default 2)")
    parser.add_argument("--horizon", type=positive, default=40, help="primitive steps per search (default 40)")
    parser.add_argument("--primitive", action="store_true",
                        help="search over the 17 primitive actions instead of options")


def mcts_from_arguments(model: WorldModel, args: argparse.Namespace, seed: int) -> MCTS:
    """An MCTS agent with the budget given on the command line."""
    return MCTS(model, choices=ACTIONS if args.primitive else None, simulations=args.simulations,
                depth=args.depth, horizon=args.horizon, seed=seed)


@dataclass(frozen=True, slots=True)
class Contender:
    """An agent ``onelife plan`` plays: its name and how to make it for an episode's seed."""

    name: str
    agent: Callable[[int], Agent]


def _describe(spec: str) -> str:
    return {"true": "the true game", "null": "the null model"}.get(spec, spec)


def _plan(args: argparse.Namespace) -> int:
    try:
        model = load_planning_model(args.model)
    except ValueError as error:  # ModelFileError: the message names the file and the problem
        print(f"onelife plan: {error}", file=sys.stderr)
        return 2
    contenders = [Contender(f"MCTS in {_describe(args.model)}", lambda seed: mcts_from_arguments(model, args, seed))]
    if not args.no_baselines:
        if args.model != "true":
            truth = load_planning_model("true")
            contenders.append(Contender("MCTS in the true game", lambda seed: mcts_from_arguments(truth, args, seed)))
        contenders.append(Contender("random actions", RandomAgent))
    seeds = range(args.seed, args.seed + args.episodes)
    print(f"{args.episodes} episode(s) of up to {args.steps} steps in crafter_oo, seeds {seeds[0]}-{seeds[-1]}; "
          f"MCTS: {args.simulations} simulations, depth {args.depth}, horizon {args.horizon}", flush=True)
    runs: dict[str, list[Run]] = {c.name: [] for c in contenders}
    with progress_bar(len(contenders) * len(seeds) * args.steps, "plan", "step") as bar:
        for contender in contenders:
            for seed in seeds:
                bar.set_postfix_str(f"{contender.name}, seed {seed}", refresh=False)
                result = run(TrueModel(), new_game(seed), contender.agent(seed), args.steps,
                             np.random.default_rng(seed), on_step=lambda *_: bar.update(1))
                bar.update(args.steps - result.steps)  # a death ends the episode early
                runs[contender.name].append(result)
    print(_table(runs))
    first = runs[contenders[0].name]
    for seed, result in zip(seeds, first):
        unlocked = ", ".join(sorted(result.state.unlocked)) or "none"
        print(f"  seed {seed}: {result.steps} steps, {'alive' if result.alive else 'died'}, "
              f"return {result.value:.1f}; achievements: {unlocked}")
    return 0


def _table(runs: dict[str, list[Run]]) -> str:
    """Each agent's return, steps survived and achievements as mean ± std over its episodes."""
    width = max(len("agent (mean ± std over episodes)"), *(len(name) for name in runs)) + 2
    lines = [f"{'agent (mean ± std over episodes)':<{width}}" + "".join(f"{h:>12}    " for h in
                                                                      ("return", "steps", "achievements"))]
    for name, results in runs.items():
        columns = ([r.value for r in results], [r.steps for r in results],
                   [len(r.state.unlocked) for r in results])
        lines.append((f"{name:<{width}}" + "".join(f"{np.mean(c):>9.1f} ± {np.std(c):<4.1f}"
                                                   for c in columns)).rstrip())
    return "\n".join(lines)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``plan`` on the ``onelife`` command's subparsers."""
    parser = subparsers.add_parser("plan", help="play with MCTS planning in a model, acting in crafter_oo",
                                   description=help_text(__doc__), formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", metavar="MODEL",
                        help="model file (onelife.load_model), or 'true' / 'null' for a reference model")
    parser.add_argument("--seed", type=natural, default=0, help="world and planner seed (default 0)")
    parser.add_argument("--steps", type=positive, default=300, help="steps per episode (default 300)")
    parser.add_argument("--episodes", type=positive, default=3,
                        help="episodes per agent, seeds SEED, SEED + 1, ... (default 3)")
    parser.add_argument("--no-baselines", action="store_true",
                        help="play only the planner in MODEL (no true-game planner, no random actions)")
    add_mcts_arguments(parser)
    parser.set_defaults(run=_plan)
    return parser
