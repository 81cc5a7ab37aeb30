"""The ``onelife evaluate`` subcommand: score a model file (or a reference model) on the
scenarios, print a summary (every figure with ``--full``), write ``results.json`` and ``mrr.png``.

    onelife evaluate runs/life0/model.json --out runs/life0/eval [--published] [--trials 5]
    onelife evaluate --model true --out runs/true_eval
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import Any, Callable, Sequence

from crafter_oo import Rules
from onelife import load_model
from onelife.evaluation import EvaluationResult
from onelife.evaluation.references import REFERENCE_NAMES, reference_model
from onelife.evaluation.report import format_summary, format_table, plot_mrr, write_results
from onelife.evaluation.runner import evaluate
from onelife.evaluation.scenarios import SCENARIOS, scenarios_for
from onelife_cli.arguments import natural, positive
from onelife_cli.helptext import help_text
from onelife_cli.outputs import check_new, locked, prepare_folder
from onelife_cli.progress import progress_bar
from onelife_cli.rules import add_rules_argument
from worldmodel import WorldModel

MODEL_CHOICES: tuple[str, ...] = ("ceiling", "true", "null")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``evaluate`` on the ``onelife`` command's subparsers."""
    scenario_list = textwrap.fill(", ".join(SCENARIOS), 79, initial_indent="  ", subsequent_indent="  ")
    parser = subparsers.add_parser("evaluate", help="score a world model on the evaluation scenarios",
                                   description=help_text(__doc__), formatter_class=argparse.RawDescriptionHelpFormatter,
                                   epilog=f"scenarios ({len(SCENARIOS)}, in Crafter's rules):\n{scenario_list}")
    parser.add_argument("model_file", nargs="?", metavar="MODEL", help="a model file (onelife.load_model)")
    parser.add_argument("--model", choices=MODEL_CHOICES, help="evaluate a reference model alone instead")
    parser.add_argument("--out", required=True, help="output directory for results.json and mrr.png")
    parser.add_argument("--trials", type=positive, default=5, help="trials per scenario (default 5)")
    parser.add_argument("--seed", type=natural, default=42, help="evaluation seed (default 42)")
    parser.add_argument("--force", action="store_true", help="replace an evaluation already in --out")
    parser.add_argument("--published", action="store_true",
                        help="mutate the current state, no temporal distractors (the published protocol)")
    parser.add_argument("--scenarios", help=f"comma-separated scenario names (default: all {len(SCENARIOS)} "
                                            f"that the world's rules allow)")
    parser.add_argument("--full", action="store_true",
                        help="print every figure: one table per metric, a row per scenario")
    add_rules_argument(parser, "the scenarios are built and played in")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Handle ``onelife evaluate``."""
    if (args.model_file is None) == (args.model is None):
        print("onelife evaluate: give either a MODEL file or --model true|null, not both or neither",
              file=sys.stderr)
        return 2
    names = None if args.scenarios is None else [n.strip() for n in args.scenarios.split(",") if n.strip()]
    playable, left_out = scenarios_for(args.rules)
    unknown = [n for n in names or () if n not in playable]
    if names is not None and (unknown or not names):
        reasons = "; ".join(f"{n}: {left_out[n]}" for n in unknown if n in left_out)
        print(f"onelife evaluate: --scenarios: unknown {', '.join(unknown) or '(none given)'}"
              f"{' (' + reasons + ')' if reasons else ''}; 'onelife evaluate --help' lists them", file=sys.stderr)
        return 2
    out = prepare_folder(Path(args.out))
    check_new(out / "results.json", args.force)
    if args.model is not None:
        model, name, references = reference_model(args.model, args.seed), args.model, ()
    else:
        model, name, references = load_model(args.model_file), "model", REFERENCE_NAMES
    total = (len(names) if names is not None else len(playable)) * args.trials
    with progress_bar(total, "evaluate", "trial") as bar:
        def advance(scenario: str, trial: int) -> None:
            bar.set_postfix_str(scenario, refresh=False)
            bar.update(1)
        result, results_path, chart_path = evaluate_into(model, name, references, out, names,
                                                         args.trials, args.seed, args.published, args.rules,
                                                         advance)
    print(format_table(result) if args.full else format_summary(result))
    print(f"wrote {results_path} and {chart_path}")
    return 0


def evaluate_into(model: WorldModel | None, name: str, references: Sequence[str], out: Path,
                  names: Sequence[str] | None, trials: int, seed: int, published: bool, rules: Rules,
                  progress: Callable[[str, int], None] | None = None) -> tuple[EvaluationResult, Path, Path]:
    """Evaluate ``model`` beside the ``references`` and write ``results.json`` and ``mrr.png`` into
    ``out`` (under the lock of ``results.json``) as ``onelife evaluate`` does; the result and the two paths."""
    result = evaluate(model, names, trials, seed, published, references, name, progress, rules=rules)
    out.mkdir(parents=True, exist_ok=True)
    with locked(out / "results.json"):
        return result, write_results(result, out), plot_mrr(result, out)
