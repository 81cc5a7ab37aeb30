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
from onelife.law import Law
from onelife.model import LawModel
from onelife.parser import load_laws
from onelife.trajectory import Trajectory, TrajectoryFormatError, Transition
from onelife_cli.life import PhaseBars, add_fit_arguments, fit_into
from onelife_cli.outputs import check_new, locked, prepare_folder


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``induce`` and ``learn`` on the ``onelife`` command line."""
    induce = subparsers.add_parser("induce", help="induce readable laws from one life's trajectory")
    induce.add_argument("trajectory", nargs="+", help="trajectory.jsonl files written by 'onelife explore' "
                                                      "(several lives are learned from together)")
    induce.add_argument("--out", required=True, help="folder for the induced .law files (one per topic)")
    induce.add_argument("--refine", metavar="DIR", help="laws of an earlier induction (e.g. the --out of an earlier "
                                                        "run) to refine: they guide the search and keep their names")
    induce.add_argument("--force", action="store_true", help="replace law files already in --out")
    induce.set_defaults(run=_induce)
    learn = subparsers.add_parser("learn", help="induce laws from one life and fit them: a model file")
    add_fit_arguments(learn)
    learn.set_defaults(run=_learn)


def _load(path: str) -> Trajectory:
    trajectory = Trajectory.load(path)
    if trajectory.note:
        print(f"note: {trajectory.note}")
    if not trajectory.actions:
        raise TrajectoryFormatError(f"{path}: the trajectory has no steps to learn from")
    return trajectory


def induced_laws(transitions: list[Transition], earlier: list[Law]) -> list[InducedLaw]:
    """The transitions' laws, with a progress bar over the attributes and kinds examined."""
    with tqdm(desc="induce", unit="attribute") as bar:
        def progress(what: str) -> None:
            bar.set_postfix_str(what, refresh=False)
            bar.update(1)
        return induce_documented(transitions, progress, earlier)


def _induce(args: argparse.Namespace) -> int:
    out = prepare_folder(Path(args.out))
    for existing in sorted(out.glob("*.law"))[:1]:
        check_new(existing, args.force)
    earlier = [] if args.refine is None else load_laws(args.refine)
    transitions = [t for path in args.trajectory for t in _load(path).transitions]
    started = time.perf_counter()
    laws = induced_laws(transitions, earlier)
    with locked(out / "laws"):
        files = write_law_files(laws, out, f"{', '.join(args.trajectory)} ({len(transitions)} transitions)")
    kept = len({law.name for law in earlier} & {induced.law.name for induced in laws})
    if earlier:
        print(f"{kept} of the {len(earlier)} earlier laws kept their names")
    print(f"{len(laws)} laws induced in {time.perf_counter() - started:.1f} s, written to "
          + ", ".join(str(f) for f in files))
    return 0


def _learn(args: argparse.Namespace) -> int:
    out = Path(args.out)
    prepare_folder(out.parent)
    check_new(out, args.force)
    trajectory = _load(args.trajectory)
    started = time.perf_counter()
    model = LawModel([induced.law for induced in induced_laws(trajectory.transitions, [])])
    bars = PhaseBars()
    try:
        fit_into(model, trajectory, out, args.method, None, args.fit_seed, bars.advance, bars.start)
    finally:
        bars.close()
    print(f"model: {args.out} ({len(model.laws)} induced laws, {len(trajectory.actions)} transitions, "
          f"induced and fitted in {time.perf_counter() - started:.1f} s)")
    return 0
