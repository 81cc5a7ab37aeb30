"""Wall time of a full evaluation (every scenario, 5 trials, one model) against a reference
in the same run: the true simulator generating the same scenario transitions.

Three evaluations are timed: the model alone; the true-distribution ceiling alone (its
draws); and the whole of what ``onelife evaluate`` runs, the model beside every reference
(the ceiling's draws included), which the budget of 120 s is for. The ratio says how much
the whole evaluation costs over just playing the scenarios. The model is the true
simulator by default, or a model file (``onelife.load_model``) with ``--model``. Prints
one JSON line.

    python benchmarks/eval_speed.py [--model runs/life0/model.json] [--trials 5] [--published]
"""

from __future__ import annotations

import argparse
import json
import time

from onelife.evaluation import SCENARIOS, evaluate
from onelife.evaluation.references import REFERENCE_NAMES
from onelife.evaluation.runner import trial_run
from worldmodel import TrueModel, WorldModel

BUDGET_SECONDS = 120.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", help="a model file; default: the true simulator")
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--published", action="store_true")
    args = parser.parse_args()
    if args.model is None:
        model, label = TrueModel(), "true simulator"
    else:
        from onelife import load_model
        model, label = load_model(args.model), args.model

    start = time.perf_counter()
    transitions = 0
    for scenario in SCENARIOS.values():
        for trial in range(args.trials):
            run, _ = trial_run(scenario, args.seed, trial)
            transitions += len(run.evaluated)
    simulate = time.perf_counter() - start

    def seconds(evaluated: WorldModel | None, references: tuple[str, ...]) -> float:
        start = time.perf_counter()
        evaluate(evaluated, trials=args.trials, seed=args.seed, published=args.published, references=references)
        return time.perf_counter() - start

    alone = seconds(model, ())
    ceiling = seconds(None, ("ceiling",))
    full = seconds(model, REFERENCE_NAMES)

    print(json.dumps({"model": label, "scenarios": len(SCENARIOS), "trials": args.trials,
                      "published": args.published, "evaluated_transitions": transitions,
                      "model_alone_seconds": round(alone, 2), "ceiling_alone_seconds": round(ceiling, 2),
                      "evaluation_seconds": round(full, 2), "references": list(REFERENCE_NAMES),
                      "simulation_seconds": round(simulate, 2),
                      "ratio_evaluation_over_simulation": round(full / simulate, 1),
                      "budget_seconds": BUDGET_SECONDS, "within_budget": full < BUDGET_SECONDS}))


if __name__ == "__main__":
    main()
