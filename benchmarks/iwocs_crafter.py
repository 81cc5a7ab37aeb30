"""IWOCS against the nominal policy on Crafter at night, with a fitted model's posterior.

The uncertainty set is ``--n-models`` posterior samples of the model in ``--model``
(loaded with ``onelife.load_model``); the nominal policy plans in the model's own point
values (for a posterior fit: the posterior median of every parameter). Both policies
plan with the same rollout solver and are scored by survival return (+1 per step alive)
from the same night-time starts (a damaged player with zombies close by), on
``--held-out`` fresh posterior samples that IWOCS never saw, and in crafter_oo itself
(``TrueModel(resample_chance=True)``). Every rollout uses common random numbers across
models and policies. Prints and writes (``--out``, atomically) the worst-case and
5th-percentile survival return with standard errors.

    python benchmarks/iwocs_crafter.py --model PATH [--seed 0] [--n-models 8] [--held-out 20]
        [--horizon 30] [--episodes 8] [--rollouts 2] [--depth 6] [--out iwocs_crafter.json]

Standard errors: the worst case over held-out models is the lowest model's mean return,
with that mean's standard error; 5th percentiles use a bootstrap (over held-out models,
or over episodes in the true game).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Callable

import numpy as np
from tqdm import tqdm

from crafter_oo.edit import add_creature, set_inventory, set_step
from crafter_oo.game import new_game
from crafter_oo.state import WorldState
from planners import TrueModel, WorldModel, iwocs, survival_reward
from common import mean_and_stderr, write_json  # the sibling benchmark helpers

NIGHT_STEP = 200  # deep in the night window (steps 148-272 of every 300)
BOOTSTRAP = 1000


def night_start(seed: int, health: int, zombies: int) -> WorldState:
    """A fresh world at night, the player at ``health``, ``zombies`` zombies on the nearest free grass."""
    state = set_inventory(set_step(new_game(seed), NIGHT_STEP), health=health)
    px, py = state.player.pos
    near = sorted(((dx, dy) for dx in range(-4, 5) for dy in range(-4, 5) if abs(dx) + abs(dy) >= 2),
                  key=lambda d: (abs(d[0]) + abs(d[1]), d))
    for dx, dy in near:
        if zombies == 0:
            break
        pos = (px + dx, py + dy)
        inside = 0 <= pos[0] < state.config.area[0] and 0 <= pos[1] < state.config.area[1]
        if inside and state.material(pos) == "grass" and state.object_at(pos) is None:
            state = add_creature(state, "zombie", pos)
            zombies -= 1
    if zombies:
        raise ValueError(f"world seed {seed}: not enough free grass near the player for the zombies")
    return state


def player_dead(state: WorldState) -> bool:
    """The episode ends when the player's health reaches 0."""
    return state.player.health <= 0


def bootstrap_se(values: np.ndarray, statistic: Callable[[np.ndarray], float],
                 rng: np.random.Generator) -> float:
    """Standard error of ``statistic`` by resampling ``values`` with replacement."""
    draws = [statistic(rng.choice(values, size=len(values))) for _ in range(BOOTSTRAP)]
    return float(np.std(draws, ddof=1))


def fifth_percentile(values: np.ndarray) -> float:
    """The 5th percentile: the bad tail a robust policy should lift."""
    return float(np.percentile(values, 5))


def summarise_models(returns: np.ndarray, rng: np.random.Generator) -> dict[str, float]:
    """Mean, worst case and 5th percentile of per-model mean returns ([models, episodes]), with SEs."""
    means = returns.mean(axis=1)
    worst = int(np.argmin(means))
    return {"mean": float(means.mean()), "mean_se": mean_and_stderr(means)[1],
            "worst_case": float(means[worst]), "worst_case_se": mean_and_stderr(returns[worst])[1],
            "p5": fifth_percentile(means), "p5_se": bootstrap_se(means, fifth_percentile, rng)}


def summarise_episodes(returns: np.ndarray, rng: np.random.Generator) -> dict[str, float]:
    """Mean, worst episode and 5th percentile of episode returns in one world, with SEs."""
    return {"mean": float(returns.mean()), "mean_se": mean_and_stderr(returns)[1],
            "worst_episode": float(returns.min()),
            "p5": fifth_percentile(returns), "p5_se": bootstrap_se(returns, fifth_percentile, rng)}


def compare(model: WorldModel, starts: list[WorldState], horizon: int, n_models: int, n_held_out: int,
            n_episodes: int, solver: iwocs.Solver, seed: int, n_eval: int) -> dict:
    """Plan IWOCS and nominal policies from each start; score both on held-out models and the game."""
    if n_held_out < 2 or n_episodes < 2:
        raise ValueError(f"standard errors need --held-out >= 2 and --episodes >= 2, "
                         f"got {n_held_out}, {n_episodes}")
    rng = np.random.default_rng(seed)
    held_out = model.posterior_samples(n_held_out, np.random.default_rng([seed, 1]))  # never seen by IWOCS
    game = TrueModel(resample_chance=True)
    problem = iwocs.make_problem(survival_reward, horizon, None, player_dead)
    nominal = iwocs.nominal_policy(model, survival_reward, horizon, solver, None, player_dead)
    scores = {"iwocs": {"held_out": [], "game": []}, "nominal": {"held_out": [], "game": []}}
    iwocs_bounds = []
    for i, start in enumerate(tqdm(starts, desc="starts")):
        plan = iwocs.solve(model, start, survival_reward, horizon, n_models, solver, seed=seed + i,
                           is_terminal=player_dead, n_eval=n_eval)
        iwocs_bounds.append(plan.bounds)
        for name, policy in (("iwocs", plan.policy), ("nominal", nominal)):
            per_model = [iwocs.rollout_returns(policy, m, start, problem, n_episodes, seed + i)
                         for m in tqdm(held_out, desc=f"{name} on held-out models", leave=False)]
            scores[name]["held_out"].append(np.array(per_model))
            in_game = iwocs.rollout_returns(policy, game, start, problem, n_episodes, seed + i)
            scores[name]["game"].append(in_game)
    results = {name: {"held_out": summarise_models(np.concatenate(by_place["held_out"], axis=1), rng),
                      "game": summarise_episodes(np.concatenate(by_place["game"]), rng)}
               for name, by_place in scores.items()}  # held-out returns: [models, starts x episodes]
    return {"settings": {"horizon": horizon, "n_models": n_models, "held_out": n_held_out,
                         "episodes_per_start": n_episodes, "starts": len(starts), "seed": seed},
            "iwocs_bounds": iwocs_bounds, **results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="a model file written by onelife (onelife.load_model)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--starts", type=int, default=3, help="night-time start worlds (seeds seed..seed+n-1)")
    parser.add_argument("--health", type=int, default=3)
    parser.add_argument("--zombies", type=int, default=2)
    parser.add_argument("--n-models", type=int, default=8, help="posterior samples in the IWOCS set")
    parser.add_argument("--held-out", type=int, default=20)
    parser.add_argument("--horizon", type=int, default=30)
    parser.add_argument("--episodes", type=int, default=8, help="scored episodes per start and model")
    parser.add_argument("--n-eval", type=int, default=4, help="IWOCS worst-case search rollouts per candidate")
    parser.add_argument("--rollouts", type=int, default=2, help="solver rollouts per action")
    parser.add_argument("--depth", type=int, default=6, help="solver rollout depth")
    parser.add_argument("--out", type=Path, default=Path("iwocs_crafter.json"))
    args = parser.parse_args()

    from onelife import load_model
    model = load_model(args.model)
    starts = [night_start(args.seed + i, args.health, args.zombies) for i in range(args.starts)]
    result = compare(model, starts, args.horizon, args.n_models, args.held_out, args.episodes,
                     iwocs.rollout_solver(args.rollouts, args.depth), args.seed, args.n_eval)
    result["settings"]["model"] = str(args.model)
    write_json(args.out, result)
    for name in ("iwocs", "nominal"):
        held, game = result[name]["held_out"], result[name]["game"]
        print(f"{name:8s} held-out models: worst case {held['worst_case']:.2f} ± {held['worst_case_se']:.2f}, "
              f"5th percentile {held['p5']:.2f} ± {held['p5_se']:.2f}, "
              f"mean {held['mean']:.2f} ± {held['mean_se']:.2f}")
        print(f"{name:8s} crafter_oo:      worst episode {game['worst_episode']:.0f}, "
              f"5th percentile {game['p5']:.2f} ± {game['p5_se']:.2f}, "
              f"mean {game['mean']:.2f} ± {game['mean_se']:.2f}")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
