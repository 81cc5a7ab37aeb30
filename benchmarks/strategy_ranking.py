"""Strategy ranking: do a model's rollouts rank strategies the way the true game does?

For every decision situation of ``planners.strategies`` the strategies are ranked by
rollouts in the true simulator (``TrueModel(resample_chance=True)``, so rollouts average
over the game's chance) and in each candidate model. A candidate scores, per situation,
the credit for picking a truly best strategy (its ties split evenly) and the share of
strategy pairs it orders like the truth. Candidates: the true simulator again with
independent seeds (the noise floor of the benchmark), the null model, and every
``--model`` given (a model file for ``onelife.load_model``).

    python benchmarks/strategy_ranking.py [--model runs/life0/model.json] [--n 16] [--seed 0]
        [--out results/strategy_ranking.json]

Prints one line per situation and candidate and a summary; writes all numbers as JSON.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from onelife_cli.plan import load_planning_model
from planners.rollouts import Estimate, best_pick_credit, pairwise_agreement, rank_strategies
from planners.strategies import Situation, situations
from worldmodel import Sampler, TrueModel
from common import write_json  # the sibling benchmark helpers

INDEPENDENT_SEED_OFFSET = 10_000


def rank(model: Sampler, situation: Situation, n: int, seed: int) -> list[Estimate]:
    return rank_strategies(model, situation.state, situation.strategies, situation.horizon, n, seed,
                           situation.reward)


def describe(ranking: list[Estimate]) -> str:
    return " > ".join(f"{e.name} {e.mean:.2f}±{e.stderr:.2f}" for e in ranking)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", action="append", default=[],
                        help="a model file to rank with (repeatable); 'true' and 'null' always run")
    parser.add_argument("--n", type=int, default=16, help="rollouts per strategy (default 16)")
    parser.add_argument("--seed", type=int, default=0, help="rollout seed (default 0)")
    parser.add_argument("--out", type=Path, default=Path("results/strategy_ranking.json"))
    args = parser.parse_args()

    candidates: dict[str, tuple[Sampler, int]] = {
        "true (independent seeds)": (TrueModel(resample_chance=True), args.seed + INDEPENDENT_SEED_OFFSET),
        "null": (load_planning_model("null"), args.seed),
    }
    for spec in args.model:
        candidates[spec] = (load_planning_model(spec), args.seed)

    truth_model = TrueModel(resample_chance=True)
    rows: list[dict[str, Any]] = []
    all_situations = situations()
    for situation in tqdm(all_situations, desc="situations"):
        truth = rank(truth_model, situation, args.n, args.seed)
        row: dict[str, Any] = {"situation": situation.name, "question": situation.question,
                               "truth": [vars_of(e) for e in truth], "candidates": {}}
        print(f"\n{situation.name}: {situation.question}\n  true game: {describe(truth)}")
        for name, (model, seed) in candidates.items():
            ranking = rank(model, situation, args.n, seed)
            credit, pairs = best_pick_credit(truth, ranking), pairwise_agreement(truth, ranking)
            row["candidates"][name] = {"ranking": [vars_of(e) for e in ranking],
                                       "best_pick": credit, "pairwise": pairs}
            print(f"  {name}: {describe(ranking)}  [best pick {credit:.2f}, pairs {pairs:.2f}]")
        rows.append(row)

    summary = {name: summarise([row["candidates"][name] for row in rows]) for name in candidates}
    print(f"\nsummary over {len(rows)} situations ({args.n} rollouts per strategy):")
    for name, numbers in summary.items():
        print(f"  {name}: picks the truly best strategy in {numbers['best_pick']:.0%} of situations, "
              f"orders {numbers['pairwise']:.0%} of strategy pairs like the true game")
    write_json(args.out, {"n": args.n, "seed": args.seed, "situations": rows, "summary": summary})
    print(f"wrote {args.out}")


def vars_of(estimate: Estimate) -> dict[str, Any]:
    return {"name": estimate.name, "mean": estimate.mean, "stderr": estimate.stderr}


def summarise(results: list[dict[str, Any]]) -> dict[str, float]:
    pairs = [r["pairwise"] for r in results if not math.isnan(r["pairwise"])]
    return {"best_pick": float(np.mean([r["best_pick"] for r in results])),
            "pairwise": float(np.mean(pairs)) if pairs else math.nan}


if __name__ == "__main__":
    main()
