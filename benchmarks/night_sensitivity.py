"""Which posterior coordinates decide the night choice, and where does the real game sit?

For chosen night starts of ``benchmarks/iwocs_crafter.py``, the survival return of every
night strategy in the fitted model at its posterior's centre, in the model moved to
chosen posterior coordinates (``--at SITE=Z[,SITE=Z...]``, Z in posterior standard
deviations: ``onelife.WorldModel.at_coordinates``), and in crafter_oo. A robust planner
is only as good as its uncertainty set: when the game behaves like a model outside the
set, the robust choice can lose in the game while winning on every plausible model.
Episodes use common random numbers across the models; returns are means ± standard error.

    python benchmarks/night_sensitivity.py --model PATH --starts 15 21 22
        [--at zombie_strikes.p_rests=3 ...] [--episodes 12] [--horizon 60] [--seed 7]
        [--out night_sensitivity.json]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from planners.option_model import OptionModel
from worldmodel import HasPosteriorCoordinates, TrueModel
from common import mean_and_stderr, write_json  # the sibling benchmark helpers
from iwocs_crafter import night_start, night_strategies, strategy_returns

CENTRE = "posterior centre"
GAME = "crafter_oo"


def parse_at(text: str) -> dict[str, list[float]]:
    """``SITE=Z[,SITE=Z...]`` as posterior coordinates (one-dimensional sites only)."""
    coordinates = {}
    for part in text.split(","):
        site, _, value = part.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = None
        if not site.strip() or number is None:
            raise ValueError(f"--at {text!r}: expected SITE=Z[,SITE=Z...] with Z a number, got {part!r}")
        coordinates[site.strip()] = [number]
    return coordinates


def sensitivity(model: HasPosteriorCoordinates, starts: list[int], moves: dict[str, dict[str, list[float]]],
                episodes: int, horizon: int, seed: int) -> dict:
    """Per variant (the centre, each move, the game) and start: every strategy's mean ± SE return,
    and for each model variant the values its moved sites take."""
    strategies = night_strategies()
    variants = {CENTRE: model.at_coordinates({}),
                **{name: model.at_coordinates(where) for name, where in moves.items()}}
    result: dict = {"values": {name: {site: variant.parameters()[site] for where in moves.values() for site in where}
                               for name, variant in variants.items()},
                    "returns": {}}
    variants[GAME] = TrueModel(resample_chance=True)
    for name, base in variants.items():
        macro = OptionModel(base, list(strategies.values()), horizon)
        result["returns"][name] = {
            str(start): {strategy: mean_and_stderr(strategy_returns(macro, night_start(start), k, episodes, seed))
                         for k, strategy in enumerate(strategies)}
            for start in starts}
    return result


def report(result: dict) -> list[str]:
    """One line per variant and start: each strategy's mean ± SE."""
    lines = []
    for name, per_start in result["returns"].items():
        values = result["values"].get(name, {})
        shown = ", ".join(f"{site} {value:.2f}" for site, value in values.items())
        lines.append(f"{name}" + (f" ({shown})" if shown else ""))
        for start, returns in per_start.items():
            cells = "  ".join(f"{strategy} {mean:5.1f} ± {se:4.1f}" for strategy, (mean, se) in returns.items())
            lines.append(f"  start {start:>3s}: {cells}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="a model file with a posterior (onelife.load_model)")
    parser.add_argument("--starts", type=int, nargs="+", required=True, help="night start seeds")
    parser.add_argument("--at", action="append", default=[], help="SITE=Z[,SITE=Z...] posterior coordinates")
    parser.add_argument("--episodes", type=int, default=12)
    parser.add_argument("--horizon", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("night_sensitivity.json"))
    args = parser.parse_args()
    try:
        moves = {text: parse_at(text) for text in args.at}
    except ValueError as error:
        parser.error(str(error))

    from onelife import load_model
    from worldmodel import single_threaded
    model = load_model(args.model)
    with single_threaded():
        result = sensitivity(model, args.starts, moves, args.episodes, args.horizon, args.seed)
    result["settings"] = {"model": str(args.model), "starts": args.starts, "at": args.at,
                          "episodes": args.episodes, "horizon": args.horizon, "seed": args.seed}
    write_json(args.out, result)
    print("\n".join(report(result)))
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
