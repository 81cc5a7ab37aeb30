"""Calibration over several lives: do the fitted posteriors' 90% intervals cover the game's values?

Usage: ``python benchmarks/calibration.py [--seeds 0-4] [--steps 2000] [--policy learning]
[--out results/calibration.json]``.

For each seed: one life (``onelife.explore``, the learning explorer as in the main job), the
law library fitted to it (MAP, then the mean-field posterior, as ``onelife fit`` does), and
its calibration table (``onelife.calibration``: every parameter whose game value is known
exactly, its posterior median and 90% interval, covered or not). Prints each table, then the
coverage per seed and pooled over the seeds, and writes the rows atomically to ``--out``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from onelife.calibration import calibration_rows, coverage, format_calibration  # noqa: E402
from onelife.evaluation.one_life import activations  # noqa: E402
from onelife.explore import POLICIES, explore  # noqa: E402
from onelife.library import default_model  # noqa: E402
from common import seeds, write_json  # noqa: E402  (the sibling benchmark helpers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=seeds, default=list(range(5)), help="seeds of the lives (default 0-4)")
    parser.add_argument("--steps", type=int, default=2000, help="step limit of each life (default 2000)")
    parser.add_argument("--policy", choices=POLICIES, default="learning", help="who lives (default learning)")
    parser.add_argument("--out", type=Path, default=Path("results/calibration.json"))
    args = parser.parse_args()
    torch.set_num_threads(1)
    per_seed = {}
    pooled = [0, 0]
    for seed in tqdm(args.seeds, desc="lives fitted", unit="life"):
        transitions = explore(seed, args.steps, args.policy).transitions
        model = default_model().fit(transitions, method="posterior")
        rows = calibration_rows(model, np.random.default_rng(seed), evidence=activations(model, transitions))
        covered, counted = coverage(rows)
        pooled[0] += covered
        pooled[1] += counted
        per_seed[seed] = {"steps": len(transitions), "covered": covered, "counted": counted,
                          "rows": [row.to_dict() for row in rows]}
        tqdm.write(f"\nseed {seed}: {len(transitions)} steps\n{format_calibration(rows)}")
    print("\nseed  steps  covered")
    for seed, report in per_seed.items():
        print(f"{seed:>4}  {report['steps']:>5}  {report['covered']:>3} of {report['counted']}"
              f" ({report['covered'] / report['counted']:.0%})")
    print(f"pooled over seeds {', '.join(map(str, args.seeds))}: {pooled[0]} of {pooled[1]} 90% intervals cover "
          f"the truth ({pooled[0] / pooled[1]:.1%})")
    write_json(args.out, {"policy": args.policy, "steps": args.steps, "seeds": per_seed,
                          "pooled": {"covered": pooled[0], "counted": pooled[1]}})
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
