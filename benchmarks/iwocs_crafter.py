"""IWOCS against the nominal policy on Crafter at night, with a fitted model's posterior.

The decision: at nightfall, in a small world with zombies close by, which strategy to
follow for the next ``--horizon`` steps (fight, flee, fight then sleep, sleep).
Strategies are chains of options (``crafter_oo.skills.options``) run by
``planners.option_model.OptionModel``, so a decision costs a few dozen rollouts instead of a
search over 17 primitive actions. The score is survival: +1 per step alive. The problem
and the comparison are ``planners.iwocs_crafter``; this script runs them on a model file.

The uncertainty set is ``--n-models`` posterior samples of the model in ``--model``
(loaded with ``onelife.load_model``) and, with ``--box LAW ...``, every model whose
parameters of those laws lie within ``--box-radius`` posterior standard deviations of
the posterior's centre (searched by CMA-ES in each worst-case step). The nominal policy
plans in the model's own point values (for a posterior fit: the posterior median of
every parameter). Both plan with the same rollout solver (``--rollouts`` per strategy,
committed once per start) and are scored from the same random night starts on
``--held-out`` fresh posterior samples that IWOCS never saw, and in crafter_oo itself
(``TrueModel(resample_chance=True)``). Rollouts use common random numbers across models
and policies. Prints and writes (``--out``, atomically) the worst-case and
5th-percentile survival return with standard errors, over all starts and over the
starts where the two policies choose differently (elsewhere they score the same), and
the return of every strategy, so a tie or a loss can be explained.

    python benchmarks/iwocs_crafter.py --model PATH [--seed 0 [40 ...]] [--starts 40] [--n-models 8]
        [--held-out 20] [--horizon 60] [--episodes 4] [--game-episodes 200] [--rollouts 6]
        [--n-eval 4] [--box LAW ...] [--box-radius 1.645] [--box-generations 4]
        [--max-models N] [--score-all] [--out results/iwocs_crafter.json]
        [--ray [--address HOST:6379] [--cpus N]]

Several seeds are independent comparisons (each its own starts and posterior samples); with
``--ray`` they run as Ray tasks (``onelife_cli.executor``: a local Ray, or the cluster at
``--address``), each giving exactly what it gives alone. One seed writes its comparison to
``--out``; several write ``{"per_seed": {seed: comparison}}``.

Standard errors: the worst case over held-out models is the lowest model's mean return,
with that mean's standard error; 5th percentiles use a bootstrap (over held-out models,
or over episodes in the true game).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from onelife import load_model
from onelife_cli import executor
from planners import iwocs
from planners.iwocs_crafter import box_sites, compare, night_start, night_strategies, report_comparison
from worldmodel import single_threaded
from common import write_json  # the sibling benchmark helpers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="a model file written by onelife (onelife.load_model)")
    parser.add_argument("--seed", type=int, nargs="+", default=[0], dest="seeds",
                        help="one comparison per seed (default 0); several run as tasks with --ray")
    parser.add_argument("--starts", type=int, default=40, help="random night starts (seeds seed..seed+n-1)")
    parser.add_argument("--n-models", type=int, default=8, help="posterior samples in the IWOCS set")
    parser.add_argument("--held-out", type=int, default=20)
    parser.add_argument("--horizon", type=int, default=60, help="steps a chosen strategy is followed")
    parser.add_argument("--episodes", type=int, default=4, help="scored episodes per start and held-out model")
    parser.add_argument("--game-episodes", type=int, default=200, help="scored episodes per start in crafter_oo")
    parser.add_argument("--rollouts", type=int, default=6, help="solver rollouts per strategy")
    parser.add_argument("--n-eval", type=int, default=4, help="IWOCS worst-case search rollouts per candidate")
    parser.add_argument("--box", nargs="+", metavar="LAW", default=None,
                        help="also search a box over these laws' parameters (e.g. zombie_strikes zombie_spawns)")
    parser.add_argument("--box-radius", type=float, default=1.645, help="box half-width in posterior sds")
    parser.add_argument("--box-generations", type=int, default=4, help="CMA-ES generations per worst-case search")
    parser.add_argument("--max-models", type=int, default=None,
                        help="IWOCS iterations at most (default --n-models)")
    parser.add_argument("--score-all", action="store_true",
                        help="also score every strategy on the held-out models (about 2x slower)")
    parser.add_argument("--out", type=Path, default=Path("results/iwocs_crafter.json"))
    executor.add_arguments(parser, "the seeds' comparisons")
    args = parser.parse_args()

    settings = {name: getattr(args, name) for name in SETTINGS}
    tasks = [executor.Task(str(seed), seed_comparison, (str(args.model), seed, settings)) for seed in args.seeds]
    with executor.from_arguments(args) as runner:
        results = executor.values(runner.map(tasks))
    for seed in args.seeds:
        result = results[str(seed)]
        if len(args.seeds) > 1:
            print(f"seed {seed}:")
        print("\n".join(report_comparison(result)))
        print(f"wall time {result['seconds']:.0f} s")
    write_json(args.out, results[str(args.seeds[0])] if len(args.seeds) == 1 else {"per_seed": results})
    print(f"written to {args.out}")


SETTINGS = ("starts", "n_models", "held_out", "horizon", "episodes", "game_episodes", "rollouts", "n_eval",
            "box", "box_radius", "box_generations", "max_models", "score_all")


def seed_comparison(model_path: str, seed: int, settings: dict) -> dict:
    """IWOCS against the nominal policy from one seed's night starts (a task of the executor)."""
    began = time.perf_counter()
    model = load_model(model_path)
    s = settings
    starts = [night_start(seed + i) for i in range(s["starts"])]
    box = (None if s["box"] is None else
           iwocs.Box(box_sites(model, s["box"]), radius=s["box_radius"], generations=s["box_generations"]))
    with single_threaded():
        result = compare(model, starts, night_strategies(), s["horizon"], s["n_models"], s["held_out"], s["episodes"],
                         s["game_episodes"], s["rollouts"], s["n_eval"], seed, s["score_all"], box, s["max_models"])
    result["settings"]["model"] = model_path
    result["seconds"] = time.perf_counter() - began
    return result


if __name__ == "__main__":
    main()
