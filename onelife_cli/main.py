"""The ``onelife`` command: one entry point, one subcommand per job."""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import version
from typing import Sequence

import numpy as np

import crafter_oo
from crafter_oo.game import new_game
from crafter_oo.inputs import InputError
from onelife.builtins import LawError
from onelife_cli.arguments import natural, positive
from onelife_cli.calibration import add_parser as add_calibration_parser
from onelife_cli.evaluate import add_parser as add_evaluate_parser
from onelife_cli.helptext import help_text
from onelife_cli.induce import add_parser as add_induce_parser
from onelife_cli.life import add_parser as add_life_parser
from onelife_cli.outputs import INTERRUPTED
from onelife_cli.plan import add_parser as add_plan_parser
from onelife_cli.replay import add_parser as add_replay_parser
from onelife_cli.rules import add_parser as add_variants_parser
from onelife_cli.sweep.command import add_parser as add_sweep_parser


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
    parser = argparse.ArgumentParser(prog="onelife", description=help_text(__doc__))
    parser.add_argument("--version", action="version", version=f"onelife {version('onelife')}")
    parser.add_argument("--debug", action="store_true",
                        help="on an error, show the Python traceback instead of one line")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    play = commands.add_parser("play", help="run a random agent in crafter_oo")
    play.add_argument("--seed", type=natural, default=0, help="world and agent seed (default 0)")
    play.add_argument("--steps", type=positive, default=1000, help="total steps over all episodes")
    play.add_argument("--length", type=positive, default=10000, help="episode length limit")
    play.set_defaults(run=_play)
    add_life_parser(commands)
    add_induce_parser(commands)
    add_evaluate_parser(commands)
    add_calibration_parser(commands)
    add_plan_parser(commands)
    add_replay_parser(commands)
    add_variants_parser(commands)
    add_sweep_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except KeyboardInterrupt:
        if args.debug:
            raise
        print(f"onelife {args.command}: interrupted", file=sys.stderr)
        return INTERRUPTED
    except (InputError, LawError) as error:
        if args.debug:
            raise
        print(f"onelife {args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
