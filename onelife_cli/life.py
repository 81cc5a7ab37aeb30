"""The ``onelife explore`` and ``onelife fit`` commands: play one life, then learn from it.

``explore`` plays one life and writes ``OUT/trajectory.jsonl`` line by line (an
interrupted run keeps what it played), then prints what happened. ``fit`` fits a world
model to a trajectory and prints its parameters with 90% intervals.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from tqdm import tqdm

from onelife.analysis import summary
from onelife.atomic import write_text_atomically
from onelife.explore import POLICIES, explore
from onelife.explorer import LearningPolicy
from onelife.library import default_model
from onelife.model import LawModel
from onelife.modelfile import save_model
from onelife.parser import LawSyntaxError, load_laws
from onelife.trajectory import Trajectory, TrajectoryFormatError
from onelife_cli.rules import add_rules_argument

INTERVAL = (0.05, 0.95)  # the quantiles of the printed posterior intervals
INTERVAL_SAMPLES = 400


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``explore`` and ``fit`` on the ``onelife`` command line."""
    play = subparsers.add_parser("explore", help="play one life without goals and record it")
    play.add_argument("--seed", type=int, default=0, help="world and player seed (default 0)")
    play.add_argument("--steps", type=int, default=2000, help="step limit of the life (default 2000)")
    play.add_argument("--policy", choices=POLICIES, default="learning",
                      help="how the player chooses actions: learning (learns the rules as it lives; the "
                           "default), novelty (the older curious player) or random")
    play.add_argument("--out", required=True, help="directory for trajectory.jsonl")
    add_rules_argument(play, "the life is played under")
    play.set_defaults(run=_explore)
    fit = subparsers.add_parser("fit", help="fit a world model to one life's trajectory")
    fit.add_argument("trajectory", help="a trajectory.jsonl written by 'onelife explore'")
    fit.add_argument("--out", required=True, help="where to write the fitted model (JSON)")
    fit.add_argument("--method", choices=("map", "posterior"), default="posterior",
                     help="posterior (default: values with intervals) or map (point values only)")
    fit.add_argument("--laws", help="a .law file or a directory of them, e.g. written by 'onelife induce' "
                                    "(default: the Crafter law library, onelife.default_model())")
    fit.add_argument("--fit-steps", type=int, default=None,
                     help="optimiser iterations (default: LawModel.fit's)")
    fit.add_argument("--fit-seed", type=int, default=0, help="seed of the fitting's Monte Carlo draws")
    fit.set_defaults(run=_fit)


def _explore(args: argparse.Namespace) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "trajectory.jsonl"
    player = LearningPolicy() if args.policy == "learning" else args.policy
    with tqdm(total=args.steps, desc=f"life {args.seed}", unit="step") as bar:
        trajectory = explore(args.seed, args.steps, player,
                             progress=lambda done, state: bar.update(1), out=path, rules=args.rules)
    print(summary(trajectory))
    print(f"trajectory: {path}")
    if isinstance(player, LearningPolicy):
        beliefs = write_text_atomically(out / "beliefs.txt", player.describe() + "\n")
        print(f"what the explorer came to believe: {beliefs}")
    return 0


def _fit(args: argparse.Namespace) -> int:
    try:
        trajectory = Trajectory.load(args.trajectory)
    except TrajectoryFormatError as error:
        raise SystemExit(f"onelife fit: {error}")
    if trajectory.note:
        print(f"note: {trajectory.note}")
    model = _model(args.laws)
    fit_with_progress(model, trajectory, args.method, args.fit_steps, args.fit_seed)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    save_model(model, args.out)
    print(parameter_table(model, np.random.default_rng(args.fit_seed)))
    print(f"model: {args.out} ({len(trajectory.transitions)} transitions)")
    return 0


def fit_with_progress(model: LawModel, trajectory: Trajectory, method: str, steps: int | None, seed: int) -> None:
    """Fit ``model`` to the trajectory in place, with a progress bar."""
    # L-BFGS decides itself how many evaluations it needs, so the bar counts them without a total.
    with tqdm(desc=f"fit ({method})", unit="eval") as bar:
        def progress(iteration: int, loss: float) -> None:
            bar.set_postfix(loss=f"{loss:.1f}", refresh=False)
            bar.update(1)
        model.fit(trajectory.transitions, method=method, steps=steps, seed=seed, progress=progress)


def _model(laws: str | None) -> LawModel:
    """The model to fit: the Crafter law library, or the laws under ``laws``."""
    if laws is None:
        return default_model()
    try:
        return LawModel(load_laws(laws))
    except LawSyntaxError as error:
        raise SystemExit(f"onelife fit: {error}")


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
