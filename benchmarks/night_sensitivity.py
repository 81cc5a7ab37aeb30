"""Which posterior coordinates decide the night choice, and where does the real game sit?

For chosen night starts (``planners.iwocs_crafter.night_start``), the survival return of every
night strategy in the fitted model at its posterior's centre, in the model moved to
chosen posterior coordinates (``--at SITE=Z[,SITE=Z...]``, Z in posterior standard
deviations: ``onelife.LawModel.at_coordinates``), and in crafter_oo. A robust planner
is only as good as its uncertainty set: when the game behaves like a model outside the
set, the robust choice can lose in the game while winning on every plausible model.
Episodes use common random numbers across the models; returns are means ± standard error.
The analysis is ``planners.iwocs_crafter.sensitivity``; this script runs it on a model file.

    python benchmarks/night_sensitivity.py --model PATH --starts 15 21 22
        [--at zombie_strikes.p_rests=3 ...] [--episodes 12] [--horizon 60] [--seed 7]
        [--out results/night_sensitivity.json]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from onelife import load_model
from planners.iwocs_crafter import parse_coordinates, report_sensitivity, sensitivity
from worldmodel import single_threaded
from common import write_json  # the sibling benchmark helpers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="a model file with a posterior (onelife.load_model)")
    parser.add_argument("--starts", type=int, nargs="+", required=True, help="night start seeds")
    parser.add_argument("--at", action="append", default=[], help="SITE=Z[,SITE=Z...] posterior coordinates")
    parser.add_argument("--episodes", type=int, default=12)
    parser.add_argument("--horizon", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("results/night_sensitivity.json"))
    args = parser.parse_args()
    try:
        moves = {text: parse_coordinates(text) for text in args.at}
    except ValueError as error:
        parser.error(str(error))

    model = load_model(args.model)
    with single_threaded():
        result = sensitivity(model, args.starts, moves, args.episodes, args.horizon, args.seed)
    result["settings"] = {"model": str(args.model), "starts": args.starts, "at": args.at,
                          "episodes": args.episodes, "horizon": args.horizon, "seed": args.seed}
    write_json(args.out, result)
    print("\n".join(report_sensitivity(result)))
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
