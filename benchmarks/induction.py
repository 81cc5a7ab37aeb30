"""Law induction against the hand-written library (issue 18): is a model whose laws were
induced from one life, with no rulebook, as good as the library fitted to the same life?

Usage: ``python benchmarks/induction.py [--seeds 0] [--steps 2000] [--held-out 5]
[--trials 3] [--samples 400] [--policy learning] [--rules NAME|FILE] [--out results/induction.json]``.

For each seed (in Crafter, or with ``--rules`` in a rule variant, where the library stays
Crafter's and the inducer sees only the variant's life):

1. Plays one life (the learning explorer), induces laws from it and fits them (MAP), timing
   induction plus fit; fits the library (MAP) to the same life.
2. Held-out mean log-likelihood per transition on the lives of seeds seed+1 ... seed+N for
   the induced model, the library and the null model (no laws, only frame rates fitted).
3. The evaluation (all scenarios, ``--trials`` trials, seed 42), unpublished and published
   modes: overall MRR and rank@1 for both models and the null reference (``--trials 0``
   leaves it out).
4. Recall of the rulebook (``onelife.evaluation.recall``): per mechanic, the total variation
   between each model's and the game's outcomes on the mechanic's probe (``--samples`` draws
   each); recalled if at most 0.1.

Prints the tables and writes the JSON report atomically.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crafter_oo import Rules  # noqa: E402
from onelife.evaluation import evaluate  # noqa: E402
from onelife.evaluation.one_life import EVALUATION_SEED, life, mean_log_likelihood  # noqa: E402
from onelife.evaluation.recall import probes, recall  # noqa: E402
from onelife.explore import POLICIES  # noqa: E402
from onelife.induction import induce  # noqa: E402
from onelife.library import default_model  # noqa: E402
from onelife.model import LawModel  # noqa: E402
from onelife_cli.rules import add_rules_argument  # noqa: E402
from worldmodel import NullModel  # noqa: E402
from common import seeds, write_json  # noqa: E402  (the sibling benchmark helpers)

MODES = {"unpublished": False, "published": True}


def evaluation(models: dict[str, LawModel], trials: int, rules: Rules) -> dict[str, Any]:
    """Overall MRR and rank@1 per model (and the null reference) in both modes."""
    figures: dict[str, Any] = {}
    for mode, published in MODES.items():
        for name, model in models.items():
            with_null = name == "induced"  # the null reference once per mode
            result = evaluate(model, trials=trials, seed=EVALUATION_SEED, published=published,
                              references=("null",) if with_null else (), rules=rules)
            figures.setdefault(name, {})[mode] = _mrr_and_rank1(result.overall["model"])
            if with_null:
                figures.setdefault("null", {})[mode] = _mrr_and_rank1(result.overall["null"])
    return figures


def _mrr_and_rank1(overall: dict[str, Any]) -> dict[str, float]:
    return {"mrr": overall["mrr"]["mean"], "rank1": overall["rank1"]["mean"]}


def seed_report(seed: int, steps: int, held_out: int, trials: int, samples: int, rules: Rules,
                policy: str = "learning") -> dict[str, Any]:
    """Items 1-4 for one seed; every random choice flows from ``seed``."""
    train = life(seed, steps, policy, rules)
    started = time.perf_counter()
    laws = induce(train)
    induced = LawModel(laws).fit(train, method="map")
    seconds = time.perf_counter() - started
    library = default_model().fit(train, method="map")
    null = LawModel([]).fit(train, method="map")
    lives = [life(seed + k, steps, policy, rules) for k in range(1, held_out + 1)]
    models = {"induced": induced, "library": library}
    report: dict[str, Any] = {
        "seed": seed, "policy": policy, "steps": len(train), "laws": len(laws), "induce_and_fit_seconds": round(seconds, 1),
        "held_out_transitions": sum(map(len, lives)),
        "held_out_log_likelihood": {name: mean_log_likelihood(m, lives) for name, m in
                                    (*models.items(), ("null", null))} if lives else {},
        "induced_laws": [str(law) for law in laws]}
    if trials:
        report["evaluation"] = evaluation(models, trials, rules)
    found, left_out = probes(rules, EVALUATION_SEED)
    rng = np.random.default_rng(seed)
    report["recall"] = {name: recall(model, found, samples, rng)
                        for name, model in (*models.items(), ("null", NullModel()))}
    report["probes_left_out"] = left_out
    return report


def print_report(report: dict[str, Any]) -> None:
    print(f"seed {report['seed']}: a {report['policy']} life of {report['steps']} steps; {report['laws']} laws induced; "
          f"induction + fit {report['induce_and_fit_seconds']} s")
    print(f"held-out mean log-likelihood per transition ({report['held_out_transitions']} transitions): "
          + ", ".join(f"{name} {value:.3f}" for name, value in report["held_out_log_likelihood"].items()))
    if "evaluation" in report:
        print(f"{'evaluation':12}" + "".join(f"{mode + ' ' + figure:>22}" for mode in MODES for figure in ("MRR", "rank@1")))
        for name, modes in report["evaluation"].items():
            print(f"{name:12}" + "".join(f"{modes[mode][figure]:22.3f}" for mode in MODES for figure in ("mrr", "rank1")))
    names = list(report["recall"])
    print(f"{'mechanic':28}" + "".join(f"{name + ' TV':>14}" for name in names))
    for i, row in enumerate(report["recall"][names[0]]):
        print(f"{row['mechanic']:28}" + "".join(
            f"{report['recall'][n][i]['tv']:10.3f} {'yes' if report['recall'][n][i]['recalled'] else ' no'}"
            for n in names))
    print(f"{'recall':28}" + "".join(f"{recall_share(report, n):14.1%}" for n in names))


def recall_share(report: dict[str, Any], name: str) -> float:
    rows = report["recall"][name]
    return sum(r["recalled"] for r in rows) / len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=seeds, default=[0], help="seeds of the lives learned from (default 0)")
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--held-out", type=int, default=5, help="held-out lives (0: no held-out likelihood)")
    parser.add_argument("--policy", choices=POLICIES, default="learning", help="who lives (default learning)")
    parser.add_argument("--trials", type=int, default=3, help="evaluation trials per scenario (0: no evaluation)")
    parser.add_argument("--samples", type=int, default=400, help="draws per model and probe for the recall table")
    add_rules_argument(parser, "the lives are played, the probes built and the truths read in")
    parser.add_argument("--out", type=Path, default=Path("results/induction.json"))
    args = parser.parse_args()
    torch.set_num_threads(1)
    reports = []
    for seed in tqdm(args.seeds, desc="lives", unit="life"):
        report = seed_report(seed, args.steps, args.held_out, args.trials, args.samples, args.rules, args.policy)
        print_report(report)
        reports.append(report)
    if len(reports) > 1:
        print("mean recall over seeds " + ", ".join(
            f"{name} {np.mean([recall_share(r, name) for r in reports]):.1%}" for name in reports[0]["recall"]))
    write_json(args.out, {"rules": args.rules.to_dict(), "reports": reports})
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
