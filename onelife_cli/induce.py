"""The ``onelife induce`` and ``onelife learn`` commands: laws induced from one life, written
as ``.law`` files by topic, or induced and fitted into a model file in one go."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from tqdm import tqdm

from onelife.induction.files import write_law_files
from onelife.induction.induce import induce_documented
from onelife.induction.assemble import InducedLaw
from onelife.model import LawModel
from onelife.modelfile import save_model
from onelife.trajectory import Trajectory, TrajectoryFormatError
from onelife_cli.life import fit_with_progress


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``induce`` and ``learn`` on the ``onelife`` command line."""
    induce = subparsers.add_parser("induce", help="induce readable laws from one life's trajectory")
    induce.add_argument("trajectory", help="a trajectory.jsonl written by 'onelife explore'")
    induce.add_argument("--out", required=True, help="folder for the induced .law files (one per topic)")
    induce.set_defaults(run=_induce)
    learn = subparsers.add_parser("learn", help="induce laws from one life and fit them: a model file")
    learn.add_argument("trajectory", help="a trajectory.jsonl written by 'onelife explore'")
    learn.add_argument("--out", required=True, help="where to write the fitted model (JSON)")
    learn.add_argument("--method", choices=("map", "posterior"), default="posterior",
                       help="posterior (default: values with intervals) or map (point values only)")
    learn.add_argument("--fit-seed", type=int, default=0, help="seed of the fitting's Monte Carlo draws")
    learn.set_defaults(run=_learn)


def _load(command: str, path: str) -> Trajectory:
    try:
        trajectory = Trajectory.load(path)
    except TrajectoryFormatError as error:
        raise SystemExit(f"onelife {command}: {error}")
    if trajectory.note:
        print(f"note: {trajectory.note}")
    if not trajectory.actions:
        raise SystemExit(f"onelife {command}: {path}: the trajectory has no steps to learn from")
    return trajectory


def induced_laws(trajectory: Trajectory) -> list[InducedLaw]:
    """The trajectory's laws, with a progress bar over the attributes and kinds examined."""
    with tqdm(desc="induce", unit="attribute") as bar:
        def progress(what: str) -> None:
            bar.set_postfix_str(what, refresh=False)
            bar.update(1)
        return induce_documented(trajectory.transitions, progress)


def _induce(args: argparse.Namespace) -> int:
    trajectory = _load("induce", args.trajectory)
    started = time.perf_counter()
    laws = induced_laws(trajectory)
    files = write_law_files(laws, args.out, f"{args.trajectory} ({len(trajectory.actions)} transitions)")
    print(f"{len(laws)} laws induced in {time.perf_counter() - started:.1f} s, written to "
          + ", ".join(str(f) for f in files))
    return 0


def _learn(args: argparse.Namespace) -> int:
    trajectory = _load("learn", args.trajectory)
    started = time.perf_counter()
    model = LawModel([induced.law for induced in induced_laws(trajectory)])
    fit_with_progress(model, trajectory, args.method, None, args.fit_seed)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    save_model(model, args.out)
    print(f"model: {args.out} ({len(model.laws)} induced laws, {len(trajectory.actions)} transitions, "
          f"induced and fitted in {time.perf_counter() - started:.1f} s)")
    return 0
