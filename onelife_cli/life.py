"""The ``onelife explore`` and ``onelife fit`` commands: play one life, then learn from it.

``explore`` plays one life and writes ``OUT/trajectory.jsonl`` line by line (an
interrupted run keeps what it played), then prints what happened. ``fit`` fits a world
model to a trajectory and prints its parameters with 90% intervals.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

import numpy as np
from tqdm import tqdm

from crafter_oo import Rules
from crafter_oo.state import WorldState
from onelife.analysis import summary
from onelife.atomic import write_text_atomically
from onelife.explore import POLICIES, explore
from onelife.explorer import LearningPolicy
from onelife.library import default_model
from onelife.model import LawModel
from onelife.modelfile import save_model
from onelife.parser import LawSyntaxError, load_laws
from onelife.trajectory import Trajectory, TrajectoryFormatError
from onelife_cli.arguments import natural, positive
from onelife_cli.outputs import INTERRUPTED, check_new, locked, prepare_folder
from onelife_cli.rules import add_rules_argument

TRAJECTORY = "trajectory.jsonl"  # what ``explore`` writes into its folder
BELIEFS = "beliefs.txt"  # ... and, after a learning life, what the explorer came to believe
INTERVAL = (0.05, 0.95)  # the quantiles of the printed posterior intervals
INTERVAL_SAMPLES = 400


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``explore`` and ``fit`` on the ``onelife`` command line."""
    play = subparsers.add_parser("explore", help="play one life without goals and record it")
    play.add_argument("--seed", type=natural, default=0, help="world and player seed (default 0)")
    play.add_argument("--steps", type=positive, default=2000, help="step limit of the life (default 2000)")
    play.add_argument("--policy", choices=POLICIES, default="learning",
                      help="how the player chooses actions: learning (learns the rules as it lives; the "
                           "default), novelty (the older curious player) or random")
    play.add_argument("--out", required=True, help="directory for trajectory.jsonl")
    replace = play.add_mutually_exclusive_group()
    replace.add_argument("--force", action="store_true", help="replace a life already in --out")
    replace.add_argument("--resume", action="store_true",
                         help="continue the interrupted life in --out (same seed, steps, policy and rules)")
    add_rules_argument(play, "the life is played under")
    play.set_defaults(run=_explore)
    fit = subparsers.add_parser("fit", help="fit a world model to one life's trajectory")
    fit.add_argument("trajectory", help="a trajectory.jsonl written by 'onelife explore'")
    fit.add_argument("--out", required=True, help="where to write the fitted model (JSON)")
    fit.add_argument("--method", choices=("map", "posterior"), default="posterior",
                     help="posterior (default: values with intervals) or map (point values only)")
    fit.add_argument("--laws", help="a .law file or a directory of them "
                                    "(default: the Crafter law library, onelife.default_model())")
    fit.add_argument("--fit-steps", type=positive, default=None,
                     help="optimiser iterations (default: LawModel.fit's)")
    fit.add_argument("--fit-seed", type=natural, default=0, help="seed of the fitting's Monte Carlo draws")
    fit.add_argument("--force", action="store_true", help="replace an existing model file at --out")
    fit.set_defaults(run=_fit)


def _explore(args: argparse.Namespace) -> int:
    out = prepare_folder(Path(args.out))
    path = out / TRAJECTORY
    with locked(path):
        played = Trajectory.load(path) if args.resume else None
        if not args.resume:
            check_new(path, args.force, " or --resume to continue it")
        done = 0 if played is None else len(played.actions)
        with tqdm(total=args.steps, initial=done, desc=f"life {args.seed}", unit="step") as bar:
            try:
                trajectory, player = explore_into(out, args.seed, args.steps, args.policy, args.rules,
                                                  progress=lambda done, state: bar.update(1), resume=played)
            except KeyboardInterrupt:
                bar.close()
                kept = Trajectory.load(path)
                print(f"onelife explore: interrupted; {path} keeps the {len(kept.actions)} steps played: "
                      f"continue with --resume", file=sys.stderr)
                return INTERRUPTED
    print(summary(trajectory))
    print(f"trajectory: {path}")
    if isinstance(player, LearningPolicy):
        print(f"what the explorer came to believe: {out / BELIEFS}")
    return 0


def explore_into(out: Path, seed: int, steps: int, policy: str, rules: Rules,
                 progress: Callable[[int, WorldState], None] | None = None,
                 resume: Trajectory | None = None) -> tuple[Trajectory, str | LearningPolicy]:
    """Play one life into the folder ``out`` as ``onelife explore`` does: ``trajectory.jsonl`` line
    by line as it is played (continuing ``resume``, if given) and, after a learning life,
    ``beliefs.txt`` (what the explorer came to believe)."""
    player = LearningPolicy() if policy == "learning" else policy
    trajectory = explore(seed, steps, player, progress=progress, out=out / TRAJECTORY, rules=rules, resume=resume)
    if isinstance(player, LearningPolicy):
        write_text_atomically(out / BELIEFS, player.describe() + "\n")
    return trajectory, player


def _fit(args: argparse.Namespace) -> int:
    out = Path(args.out)
    prepare_folder(out.parent)
    check_new(out, args.force)
    trajectory = Trajectory.load(args.trajectory)
    if trajectory.note:
        print(f"note: {trajectory.note}")
    if not trajectory.actions:
        raise TrajectoryFormatError(f"{args.trajectory}: the life has no transitions to fit")
    model = default_model() if args.laws is None else _laws_model(args.laws)
    # L-BFGS decides itself how many evaluations it needs, so the bar counts them without a total.
    with tqdm(desc=f"fit ({args.method})", unit="eval") as bar:
        def progress(iteration: int, loss: float) -> None:
            bar.set_postfix(loss=f"{loss:.1f}", refresh=False)
            bar.update(1)
        fit_into(model, trajectory, out, args.method, args.fit_steps, args.fit_seed, progress)
    print(parameter_table(model, np.random.default_rng(args.fit_seed)))
    print(f"model: {args.out} ({len(trajectory.transitions)} transitions)")
    return 0


def _laws_model(laws: str) -> LawModel:
    """A model of the laws under ``laws``, which must hold at least one."""
    found = load_laws(laws)
    if not found:
        raise LawSyntaxError(f"{laws}: no laws in it (only definitions or comments); expected at least one law")
    return LawModel(found)


def fit_into(model: LawModel, trajectory: Trajectory, out: Path, method: str, steps: int | None, seed: int,
             progress: Callable[[int, float], None] | None = None) -> LawModel:
    """Fit ``model`` to the life's transitions and write it to ``out`` (under its lock) as
    ``onelife fit`` does."""
    model.fit(trajectory.transitions, method=method, steps=steps, seed=seed, progress=progress)
    with locked(out):
        save_model(model, out)
    return model


def parameter_table(model: LawModel, rng: np.random.Generator) -> str:
    """Every fitted value, with its 90% posterior interval when the model has a posterior."""
    values = model.parameters()
    draws = ([m.parameters() for m in model.posterior_samples(INTERVAL_SAMPLES, rng)]
             if model.posterior is not None else None)
    lines = [f"{'parameter':<44}{'value':>10}   90% interval"]
    for name, value in values.items():
        for i, v in enumerate(value if isinstance(value, list) else [value]):
            label = f"{name}[{i}]" if isinstance(value, list) else name
            interval = "(MAP: no posterior)"
            if draws is not None:
                samples = [d[name][i] if isinstance(value, list) else d[name] for d in draws]
                low, high = np.quantile(samples, INTERVAL)
                interval = f"[{low:.4g}, {high:.4g}]"
            lines.append(f"{label:<44}{v:>10.4g}   {interval}")
    return "\n".join(lines)
