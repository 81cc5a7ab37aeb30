"""The ``onelife explore``, ``onelife fit`` and ``onelife laws`` commands: play one life, learn
from it, read what was learned.

``explore`` plays one life and writes ``OUT/trajectory.jsonl`` line by line (an
interrupted run keeps what it played), then prints what happened. ``fit`` fits a world
model to a trajectory and prints the laws' weights and parameters with 90% intervals, grouped
by topic (``onelife.lawreport``); ``laws`` prints the same report from a saved model.
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
from onelife.lawreport import law_report
from onelife.modelfile import load_model, save_model
from onelife.parser import LawSyntaxError, load_laws
from onelife.trajectory import Trajectory, TrajectoryFormatError
from onelife_cli.arguments import natural, positive
from onelife_cli.outputs import INTERRUPTED, check_new, interrupt_between_steps, locked, prepare_folder
from onelife_cli.progress import progress_bar
from onelife_cli.rules import add_rules_argument

TRAJECTORY = "trajectory.jsonl"  # what ``explore`` writes into its folder
BELIEFS = "beliefs.txt"  # ... and, after a learning life, what the explorer came to believe


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
    add_fit_arguments(fit)
    fit.add_argument("--laws", help="a .law file or a directory of them, e.g. written by 'onelife induce' "
                                    "(default: the Crafter law library, onelife.default_model())")
    fit.add_argument("--fit-steps", type=positive, default=None,
                     help="optimiser iterations (default: LawModel.fit's)")
    fit.set_defaults(run=_fit)
    laws = subparsers.add_parser("laws", help="print a saved model's laws: weights and parameters by topic")
    laws.add_argument("model", metavar="MODEL", help="a model file written by 'onelife fit'")
    laws.add_argument("--seed", type=natural, default=0, help="seed of the posterior draws behind the intervals")
    laws.set_defaults(run=_laws)


def add_fit_arguments(command: argparse.ArgumentParser) -> None:
    """What every command that fits a model to a life takes: the life, the model file to write
    (replaced only with ``--force``), the method and the seed of its draws."""
    command.add_argument("trajectory", help="a trajectory.jsonl written by 'onelife explore'")
    command.add_argument("--out", required=True, help="where to write the fitted model (JSON)")
    command.add_argument("--method", choices=("map", "posterior"), default="posterior",
                         help="posterior (default: values with intervals) or map (point values only)")
    command.add_argument("--fit-seed", type=natural, default=0, help="seed of the fitting's Monte Carlo draws")
    command.add_argument("--force", action="store_true", help="replace an existing model file at --out")


def _explore(args: argparse.Namespace) -> int:
    out = prepare_folder(Path(args.out))
    path = out / TRAJECTORY
    with locked(path):
        played = Trajectory.load(path) if args.resume else None
        if not args.resume:
            check_new(path, args.force, " or --resume to continue it")
        done = 0 if played is None else len(played.actions)
        with progress_bar(args.steps, f"life of seed {args.seed}", "step", initial=done) as bar, \
                interrupt_between_steps() as check:
            def step_done(done: int, state: WorldState) -> None:
                bar.update(1)
                check()
            try:
                trajectory, player = explore_into(out, args.seed, args.steps, args.policy, args.rules,
                                                  progress=step_done, resume=played)
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
    bars = PhaseBars()
    try:
        fit_into(model, trajectory, out, args.method, args.fit_steps, args.fit_seed, bars.advance, bars.start)
    finally:
        bars.close()
    print(law_report(model, np.random.default_rng(args.fit_seed), len(trajectory.transitions)))
    print(f"wrote the model to {args.out} ({len(trajectory.transitions)} transitions)")
    print(f"'onelife laws {args.out}' prints this report again")
    return 0


def _laws(args: argparse.Namespace) -> int:
    print(law_report(load_model(args.model), np.random.default_rng(args.seed)))
    return 0


class PhaseBars:
    """One labelled progress bar per fitting phase, each with the most evaluations it may take
    (L-BFGS stops sooner when it converges), the loss beside it."""

    def __init__(self) -> None:
        self.bar: tqdm | None = None
        self.phase = 0

    def start(self, name: str, most: int) -> None:
        """Close the previous phase's bar and open this one's."""
        self.close()
        self.phase += 1
        self.bar = progress_bar(most, f"fit {self.phase}: {name}", "eval")

    def advance(self, evaluation: int, loss: float) -> None:
        """Count one loss evaluation and show the loss."""
        if self.bar is not None:
            self.bar.set_postfix(loss=f"{loss:.1f}", refresh=False)
            self.bar.update(1)

    def close(self) -> None:
        """End the current bar; one that stopped short (L-BFGS converged) ends at what it did."""
        if self.bar is not None:
            if self.bar.n < self.bar.total:
                self.bar.total = self.bar.n
                self.bar.set_postfix_str(f"{self.bar.postfix}, converged", refresh=True)
            self.bar.close()
            self.bar = None


def _laws_model(laws: str) -> LawModel:
    """A model of the laws under ``laws``, which must hold at least one."""
    found = load_laws(laws)
    if not found:
        raise LawSyntaxError(f"{laws}: no laws in it (only definitions or comments); expected at least one law")
    return LawModel(found)


def fit_into(model: LawModel, trajectory: Trajectory, out: Path, method: str, steps: int | None, seed: int,
             progress: Callable[[int, float], None] | None = None,
             on_phase: Callable[[str, int], None] | None = None) -> LawModel:
    """Fit ``model`` to the life's transitions and write it to ``out`` (under its lock) as
    ``onelife fit`` does."""
    model.fit(trajectory.transitions, method=method, steps=steps, seed=seed, progress=progress, on_phase=on_phase)
    with locked(out):
        save_model(model, out)
    return model
