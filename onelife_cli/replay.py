"""The ``onelife replay`` subcommand: watch a life as a GIF and as an HTML page that steps through it.

    onelife replay LIFE.jsonl --out DIR [--model MODEL.json]
    onelife replay runs/life0/trajectory.jsonl --out runs/life0/replay --model runs/life0/model.json

Writes ``OUT/life.gif`` (the game's view with step, vitals and inventory beside it) and
``OUT/life.html`` (one file: each step's view, action, vitals, inventory and the laws that
fired, from MODEL or, without one, the unfitted Crafter law library).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from onelife.library import default_model
from onelife.modelfile import load_model
from onelife.replay import replay_steps, write_gif, write_page
from onelife.trajectory import Trajectory
from onelife_cli.helptext import help_text
from onelife_cli.outputs import check_new, locked, prepare_folder
from onelife_cli.progress import progress_bar


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``replay`` on the ``onelife`` command's subparsers."""
    parser = subparsers.add_parser("replay", help="watch a life: a GIF and an HTML page stepping through it",
                                   description=help_text(__doc__), formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trajectory", help="a trajectory.jsonl written by 'onelife explore'")
    parser.add_argument("--out", required=True, help="directory for life.gif and life.html")
    parser.add_argument("--model", help="a model file whose laws the page shows (default: the unfitted "
                                        "Crafter law library)")
    parser.add_argument("--fps", type=float, default=8.0, help="GIF frames per second (default 8)")
    parser.add_argument("--force", action="store_true", help="replace a replay already in --out")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Handle ``onelife replay`` (a bad file is an ``InputError``: ``main`` prints it in one line)."""
    if args.fps <= 0:
        print(f"onelife replay: --fps must be positive, got {args.fps}", file=sys.stderr)
        return 2
    out = prepare_folder(Path(args.out))
    gif_path, page_path = out / "life.gif", out / "life.html"
    for path in (gif_path, page_path):
        check_new(path, args.force)
    life = Trajectory.load(args.trajectory)
    model = load_model(args.model) if args.model is not None else default_model()
    if life.note:
        print(f"note: {life.note}")
    model_name = args.model if args.model is not None else "the Crafter law library (unfitted)"
    states = len(life.states)
    with progress_bar(len(life.actions), "laws per step", "step") as bar:
        steps = replay_steps(life, model, bar.update)
    with locked(page_path):
        with progress_bar(states, "page frames", "frame") as bar:
            page = write_page(life, steps, model_name, page_path, bar.update)
        with progress_bar(states, "GIF frames", "frame") as bar:
            gif = write_gif(life, gif_path, args.fps, bar.update)
    print(f"{len(life.actions)} steps of seed {life.seed}'s life ({life.policy}), laws from {model_name}")
    print(f"wrote {gif} ({_size(gif)})")
    print(f"wrote {page} ({_size(page)}; open it in a browser)")
    return 0


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB"
