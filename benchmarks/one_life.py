"""One life is enough? Fit the Crafter law library to one curious life and check it (issues 4, 17).

Usage: ``python benchmarks/one_life.py [--seeds 0-4] [--steps 2000] [--policy learning]
[--held-out 5] [--samples 5000] [--trials 5] [--rules NAME|FILE] [--out results/one_life.json]``.

For each seed (in Crafter, or with ``--rules`` in a rule variant, where the truths are the
variant's and the law library is still Crafter's):

1. Plays one life (``onelife.explore``, the learning explorer by default), fits ``default_model()`` to it
   (MAP, then a mean-field posterior) and reports each learned probability with its 90%
   interval, the game's true value and how many law activations gave evidence for it;
   and each wrong competing law's weight over its correct rival's.
2. Held-out likelihood: mean log-likelihood per transition on lives of seeds seed+1 ...
   seed+N for the fitted library, the unfitted library and a baseline that knows only what
   the action obviously does (the movement, collecting, placing and crafting laws, its
   frame rates fitted to the same life).
3. Sampling fidelity: from held-out states, next states drawn from the fitted model and
   from crafter_oo (its generator reseeded per draw) are compared per stochastic mechanic
   (cow and zombie displacement, sapling drop, spawns per chunk) by total variation.
4. The evaluation (``onelife.evaluation.evaluate``, all scenarios, ``--trials`` trials,
   seed 42): the fitted model's overall MRR.

Prints each seed's report, then one row per seed with the overall MRR and the four total
variations against issue 17's targets (MRR at least 0.95, TV at most 0.05), and writes the
JSON report atomically.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from onelife.evaluation.one_life import one_life_report, print_report, targets_table  # noqa: E402
from onelife.explore import POLICIES  # noqa: E402
from onelife_cli.rules import add_rules_argument  # noqa: E402
from common import seeds, write_json  # noqa: E402  (the sibling benchmark helpers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=seeds, default=[0], help="seeds of the lives fitted (default 0)")
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--policy", choices=POLICIES, default="learning", help="who lives (default learning)")
    parser.add_argument("--held-out", type=int, default=5)
    parser.add_argument("--held-out-steps", type=int, default=None, help="default: --steps")
    parser.add_argument("--samples", type=int, default=5000)
    parser.add_argument("--trials", type=int, default=5, help="evaluation trials per scenario (0: no evaluation)")
    add_rules_argument(parser, "the life is played and its truths read in")
    parser.add_argument("--out", type=Path, default=Path("results/one_life.json"))
    args = parser.parse_args()
    torch.set_num_threads(1)
    reports = []
    for seed in tqdm(args.seeds, desc="lives fitted", unit="life"):
        report = one_life_report(seed, args.steps, args.held_out, args.samples,
                                 held_out_steps=args.held_out_steps, policy=args.policy, trials=args.trials,
                                 rules=args.rules)
        print_report(report)
        reports.append(report)
        write_json(args.out, reports[0] if len(args.seeds) == 1 else {"reports": reports})
    print(targets_table(reports))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
