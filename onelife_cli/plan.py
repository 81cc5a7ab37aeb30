"""The ``onelife plan`` subcommand: play Crafter with MCTS planning in a model, acting in the real game.

    onelife plan runs/life0/model.json --seed 3 --steps 300

MODEL is a model file (read with ``onelife.load_model``) or one of the reference models
``true`` (the game itself, chance resampled so the planner cannot foresee it) and ``null``
(nothing ever changes). Achievements are printed as they unlock.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import numpy as np

from crafter_oo.game import new_game
from crafter_oo.rules import ACTIONS
from crafter_oo.state import WorldState
from onelife import load_model
from onelife_cli.arguments import natural, positive
from planners.mcts import MCTS
from planners.rollouts import run
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


def _plan(args: argparse.Namespace) -> int:
    try:
        model = load_planning_model(args.model)
    except ValueError as error:  # ModelFileError: the message names the file and the problem
        print(f"onelife plan: {error}", file=sys.stderr)
        return 2
    agent = mcts_from_arguments(model, args, args.seed)
    state = new_game(args.seed)

    def report(before: WorldState, action: Any, after: WorldState) -> None:
        for name in sorted(after.unlocked - before.unlocked):
            print(f"step {after.step}: {name}", flush=True)

    print(f"planning in {model!r}, acting in crafter_oo (seed {args.seed})", flush=True)
    result = run(TrueModel(), state, agent, args.steps, np.random.default_rng(args.seed), on_step=report)
    ending = "alive" if result.alive else "died"
    print(f"{result.steps} steps, {ending}, return {result.value:.1f}, "
          f"{len(result.state.unlocked)} achievements: {', '.join(sorted(result.state.unlocked)) or 'none'}")
    return 0


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``plan`` on the ``onelife`` command's subparsers."""
    parser = subparsers.add_parser("plan", help="play with MCTS planning in a model, acting in crafter_oo")
    parser.add_argument("model", metavar="MODEL",
                        help="model file (onelife.load_model), or 'true' / 'null' for a reference model")
    parser.add_argument("--seed", type=natural, default=0, help="world and planner seed (default 0)")
    parser.add_argument("--steps", type=positive, default=300, help="steps to play (default 300)")
    add_mcts_arguments(parser)
    parser.set_defaults(run=_plan)
    return parser
