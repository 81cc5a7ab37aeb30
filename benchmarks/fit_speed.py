"""Wall time of exploring and fitting one life (issue 4: target under 2 minutes).

Usage: ``python benchmarks/fit_speed.py [--seed 0] [--steps 2000] [--policy learning]
[--method posterior] [--fit-steps N] [--laws DIR]``.

Times, in this run: (1) ``onelife.explore`` playing one life; (2) the reference,
``crafter_oo.step`` replaying the same actions from the same start with no policy; (3)
loading a model and fitting it to the life's transitions (``onelife.default_model()``, or
the laws under ``--laws``). Prints the life's summary (every mechanic seen), then one
JSON object with the times, the explore/reference ratio, the total and whether it is
under the target.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import replay_seconds  # noqa: E402  (the sibling benchmark helpers)
from onelife.explore import POLICIES, explore  # noqa: E402
from onelife.analysis import summary  # noqa: E402
from onelife.library import default_model  # noqa: E402
from onelife.model import LawModel  # noqa: E402
from onelife.parser import load_laws  # noqa: E402

TARGET_SECONDS = 120.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--policy", choices=POLICIES, default="learning")
    parser.add_argument("--method", choices=("map", "posterior"), default="posterior")
    parser.add_argument("--fit-steps", type=int, default=None)
    parser.add_argument("--laws", default=None, help="a law file or directory instead of the Crafter library")
    args = parser.parse_args()

    start = time.perf_counter()
    life = explore(args.seed, args.steps, args.policy)
    explore_seconds = time.perf_counter() - start

    reference_seconds = replay_seconds(life)

    start = time.perf_counter()
    if args.laws is None:
        model, laws = default_model(), "default_model()"
    else:
        model, laws = LawModel(load_laws(args.laws)), args.laws
    model.fit(life.transitions, method=args.method, steps=args.fit_steps)
    fit_seconds = time.perf_counter() - start

    print(summary(life))
    total = explore_seconds + fit_seconds
    print(json.dumps({
        "seed": args.seed, "policy": args.policy, "steps_survived": life.steps_survived,
        "laws": laws, "method": args.method, "transitions": len(life.transitions),
        "explore_seconds": round(explore_seconds, 2),
        "reference_crafter_oo_seconds": round(reference_seconds, 2),
        "explore_over_reference": round(explore_seconds / reference_seconds, 1),
        "fit_seconds": round(fit_seconds, 2),
        "total_seconds": round(total, 2), "target_seconds": TARGET_SECONDS,
        "under_target": total < TARGET_SECONDS,
    }, indent=1))


if __name__ == "__main__":
    main()
