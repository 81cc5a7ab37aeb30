"""The ``onelife sweep`` command: every run of a sweep spec as a Ray task (or serially), resumable,
with one progress bar, then ``summary.json``, ``sweep_mrr.png`` and a printed table.

    onelife sweep sweep.toml --out runs/sweep1                 # a local Ray on this machine
    onelife sweep sweep.toml --out runs/sweep1 --address HOST:6379  # a cluster (or RAY_ADDRESS)
    onelife sweep sweep.toml --out runs/sweep1 --serial         # in this process, without Ray

Runs whose folder already holds their finished results are skipped, so running the same
command again after an interruption finishes only the missing runs. A failed run is reported
with its error (its traceback in RUN/error.txt) and the others go on; the exit status is 1
when a run failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tqdm import tqdm

from onelife_cli.arguments import natural, positive
from onelife_cli.executor import RETRIES, Task, on_ray, serial
from onelife_cli.helptext import help_text
from onelife_cli.outputs import INTERRUPTED, locked, prepare_folder
from onelife_cli.sweep.run import complete, perform, store, store_failure
from onelife_cli.sweep.spec import RunSpec, load_spec
from onelife_cli.sweep.summary import SUMMARY, format_table, plot_mrr, summarise, write_summary


def add_parser(subparsers: Any) -> None:
    """Register ``sweep`` on the ``onelife`` command's subparsers."""
    parser = subparsers.add_parser("sweep", help="many lives, variants and pipelines at once, on Ray",
                                   description=help_text(__doc__), formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("spec", metavar="SPEC.toml", help="the sweep spec (see onelife_cli/sweep/spec.py)")
    parser.add_argument("--out", required=True, help="the sweep's folder: a folder per run, summary.json, the plot")
    parser.add_argument("--address", help="a Ray cluster to join (default: RAY_ADDRESS, else a local Ray)")
    parser.add_argument("--cpus", type=positive, help="cores of the local Ray (default: all of this machine's)")
    parser.add_argument("--retries", type=natural, default=RETRIES,
                        help=f"times a run is retried when its worker dies (default {RETRIES})")
    parser.add_argument("--serial", action="store_true", help="run every run in this process, without Ray")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Handle ``onelife sweep``."""
    spec = load_spec(args.spec)  # a bad spec is an InputError: onelife's main prints it, exit status 1
    out = prepare_folder(Path(args.out))
    with locked(out / SUMMARY):  # one sweep at a time in a folder
        return _sweep(spec.runs(), out, args)


def _sweep(runs: list[RunSpec], out: Path, args: argparse.Namespace) -> int:
    """Run what is missing of ``runs`` in ``out``, then summarise every run."""
    markers = {r.name: marker for r in runs if (marker := complete(out / r.name, r)) is not None}
    todo = [r for r in runs if r.name not in markers]
    where = "in this process" if args.serial else "on Ray"
    print(f"sweep: {len(runs)} runs, {len(markers)} already finished (skipped), {len(todo)} to run {where}",
          flush=True)
    failures: dict[str, str] = {}
    if todo:
        try:
            _run_all(todo, out, args, markers, failures)
        except KeyboardInterrupt:
            print(f"\nsweep interrupted: {len(markers)} of {len(runs)} runs finished; the same command "
                  f"finishes the rest", file=sys.stderr)
            return INTERRUPTED
    summary = summarise(runs, markers, failures)
    summary_path = write_summary(summary, out)
    plot_path = plot_mrr(summary, out)
    print(format_table(summary))
    print(f"wrote {summary_path} and {plot_path}")
    return 1 if failures else 0


def _run_all(todo: list[RunSpec], out: Path, args: argparse.Namespace, markers: dict[str, dict[str, Any]],
             failures: dict[str, str]) -> None:
    """Run ``todo`` on the chosen executor, storing each finished run's files as it comes in."""
    executor = serial() if args.serial else on_ray(args.address, args.cpus, args.retries)
    with executor as tasks, tqdm(total=len(todo), desc="sweep", unit="run", file=sys.stderr) as bar:
        bar.set_postfix(finished=0, failed=0)
        finished = 0
        for outcome in tasks.map([Task(r.name, perform, (r,)) for r in todo]):
            if outcome.error is None:
                marker, files = outcome.value
                store(out / outcome.key, marker, files)
                markers[outcome.key] = marker
                finished += 1
            else:
                store_failure(out / outcome.key, outcome.details or outcome.error)
                failures[outcome.key] = outcome.error
                bar.write(f"run {outcome.key} failed: {outcome.error}", file=sys.stderr)
            bar.set_postfix(finished=finished, failed=len(failures), refresh=False)
            bar.update(1)
