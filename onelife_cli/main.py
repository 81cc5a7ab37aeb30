"""The ``onelife`` command: one entry point, one subcommand per job."""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import version
from typing import Sequence

import numpy as np

import crafter_oo
from crafter_oo.game import new_game
from onelife_cli.evaluate import add_parser as add_evaluate_parser
from onelife_cli.induce import add_parser as add_induce_parser
from onelife_cli.life import add_parser as add_life_parser
from onelife_cli.plan import add_parser as add_plan_parser
from onelife_cli.rules import add_parser as add_variants_parser


def _play(args: argparse.Namespace) -> int:
    """Run a uniformly random agent in crafter_oo and summarise each episode in one line."""
    rng = np.random.default_rng(args.seed)
    episode, steps_left = 1, args.steps
    while steps_left > 0:
        state = new_game(args.seed, episode, length=args.length)
        total, done, steps = 0.0, False, 0
        while not done and steps_left > 0:
            result = crafter_oo.step(state, int(rng.integers(len(crafter_oo.ACTIONS))))
            state, done = result.state, result.done
            total += result.reward
            steps += 1
            steps_left -= 1
        ending = ("died" if state.player.health <= 0 else
                  "reached the length limit" if done else "stopped (step budget)")
        unlocked = ", ".join(sorted(state.unlocked)) or "none"
        print(f"episode {episode}: {steps} steps, {ending}, return {total:.1f}, "
              f"achievements: {unlocked}", flush=True)
        episode += 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="onelife", description=__doc__)
    parser.add_argument("--version", action="version", version=f"onelife {version('onelife')}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    play = commands.add_parser("play", help="run a random agent in crafter_oo")
    play.add_argument("--seed", type=int, default=0, help="world and agent seed (default 0)")
    play.add_argument("--steps", type=int, default=1000, help="total steps over all episodes")
    play.add_argument("--length", type=int, default=10000, help="episode length limit")
    play.set_defaults(run=_play)
    add_life_parser(commands)
    add_induce_parser(commands)
    add_evaluate_parser(commands)
    add_plan_parser(commands)
    add_variants_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if getattr(args, "steps", 1) < 1:
        parser.error("--steps must be at least 1")
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
