"""The ``onelife calibration`` subcommand: a fitted model's 90% intervals against the game's
true values, and the share that cover them (``onelife.calibration``).

    onelife calibration runs/life0/model.json [--life runs/life0/trajectory.jsonl] [--json calibration.json]
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from onelife.atomic import write_text_atomically
from onelife.calibration import DRAWS, calibration_rows, coverage, format_calibration
from onelife.evaluation.one_life import activations
from onelife.modelfile import load_model
from onelife.trajectory import Trajectory
from onelife_cli.arguments import natural, positive
from onelife_cli.rules import add_rules_argument


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``calibration`` on the ``onelife`` command line."""
    command = subparsers.add_parser("calibration", help="check a fitted model's 90%% intervals against the game's "
                                                        "true values")
    command.add_argument("model", metavar="MODEL", help="a model file written by 'onelife fit' (with its posterior)")
    command.add_argument("--life", help="the trajectory the model was fitted to: adds each law's evidence "
                                        "(how often it applied)")
    command.add_argument("--json", help="also write the rows and the coverage to this JSON file")
    command.add_argument("--draws", type=positive, default=DRAWS, help=f"posterior draws (default {DRAWS})")
    command.add_argument("--seed", type=natural, default=0, help="seed of the posterior draws (default 0)")
    add_rules_argument(command, "whose values are the truth")
    command.set_defaults(run=_calibration)


def _calibration(args: argparse.Namespace) -> int:
    model = load_model(args.model)
    if model.posterior is None:
        print(f"onelife calibration: {args.model} has no posterior (fitted with --method map); "
              "refit it with 'onelife fit' (the default method, posterior)", file=sys.stderr)
        return 1
    evidence = activations(model, Trajectory.load(args.life).transitions) if args.life else None
    rows = calibration_rows(model, np.random.default_rng(args.seed), args.rules, evidence, args.draws)
    print(format_calibration(rows))
    if args.json:
        covered, counted = coverage(rows)
        data = {"model": args.model, "draws": args.draws, "seed": args.seed, "covered": covered,
                "counted": counted, "rows": [row.to_dict() for row in rows]}
        written = write_text_atomically(args.json, json.dumps(data, indent=2) + "\n")
        print(f"wrote {written}")
    return 0
