"""IWOCS on Crafter: which strategy to commit to when night falls with zombies about.

The decision problem: a random 16x16 night (``night_start``), the strategies a player can
follow for the next stretch of steps (``night_strategies``: fight, flee, fight then sleep,
sleep; chains of ``crafter_oo.skills.options``), run as the actions of an ``OptionModel`` so a
decision costs a few dozen rollouts instead of a search over 17 primitive actions. The
score is survival: +1 per step alive (``planners.option_model.steps_survived``).

``compare`` chooses a strategy per start with IWOCS (over posterior samples of a model,
and optionally a ``planners.iwocs.Box`` of posterior coordinates) and with the nominal
policy (the model's own point values), and scores both choices on held-out posterior
samples and in crafter_oo itself (``TrueModel(resample_chance=True)``), with common random
numbers across models and policies. ``sensitivity`` shows which posterior coordinates
decide the choice: a robust planner is only as good as its uncertainty set, and when the
game behaves like a model outside the set the robust choice can lose in the game while
winning on every plausible model. ``benchmarks/iwocs_crafter.py`` and
``benchmarks/night_sensitivity.py`` run them on a fitted model.

Standard errors: the worst case over held-out models is the lowest model's mean return,
with that mean's standard error; 5th percentiles use a bootstrap (over held-out models,
or over episodes in the true game).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from tqdm import tqdm

from crafter_oo import edit
from crafter_oo.geometry import distance
from crafter_oo.step import night_step
from crafter_oo.state import Pos, WorldState
from planners import iwocs
from planners.option_model import OptionModel, steps_survived
from crafter_oo.skills.options import Attack, Chain, Flee, Option, Sleep, Wait
from planners.rewards import player_dead
from planners.rollouts import mean_and_stderr, standard_error
from worldmodel import HasPosteriorCoordinates, Sampler, TrueModel

AREA: Pos = (16, 16)
CENTRE: Pos = (8, 8)
BOOTSTRAP = 1000
TERRAIN = (("tree", 0.06), ("stone", 0.06), ("water", 0.03))  # share of cells, scattered


def night_start(seed: int) -> WorldState:
    """A random 16x16 night: scattered trees, stone and water; 1-3 zombies 2-6 cells away;
    the player at 3-7 health, tired, with a wooden sword half the time."""
    rng = np.random.default_rng([seed, 7])
    state = edit.blank_world(area=AREA, player_pos=CENTRE, seed=seed)
    cells = [(x, y) for x in range(AREA[0]) for y in range(AREA[1]) if distance((x, y), CENTRE) > 1]
    for pos in cells:
        draw, floor = rng.random(), 0.0
        for material, share in TERRAIN:
            if floor <= draw < floor + share:
                state = edit.place_material(state, pos, material)
            floor += share
    grass = [pos for pos in cells if 2 <= distance(pos, CENTRE) <= 6 and state.material(pos) == "grass"]
    for index in rng.choice(len(grass), size=int(rng.integers(1, 4)), replace=False):
        state = edit.add_creature(state, "zombie", grass[index])
    state = edit.set_inventory(state, health=int(rng.integers(3, 8)), energy=int(rng.integers(1, 4)),
                               wood_sword=int(rng.integers(0, 2)))
    return edit.set_step(state, night_step(state.config.rules.day_length))


def night_strategies() -> dict[str, Option]:
    """What a player can do when night falls with zombies about, by name."""
    fight = (Attack("zombie"), Attack("zombie"), Attack("zombie"))
    keep_away = tuple(option for _ in range(12) for option in (Flee("zombie", distance=6), Wait(steps=3)))
    return {"fight": Chain(fight), "flee": Chain(keep_away), "fight, then sleep": Chain((*fight, Sleep())),
            "sleep": Sleep()}


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
    return {"mean": float(means.mean()), "mean_se": standard_error(means),
            "worst_case": float(means[worst]), "worst_case_se": standard_error(returns[worst]),
            "p5": fifth_percentile(means), "p5_se": bootstrap_se(means, fifth_percentile, rng)}


def summarise_episodes(returns: np.ndarray, rng: np.random.Generator) -> dict[str, float]:
    """Mean, worst episode and 5th percentile of episode returns in one world, with SEs."""
    return {"mean": float(returns.mean()), "mean_se": standard_error(returns),
            "worst_episode": float(returns.min()),
            "p5": fifth_percentile(returns), "p5_se": bootstrap_se(returns, fifth_percentile, rng)}


def strategy_returns(model: Sampler, start: WorldState, strategy: int, n_episodes: int,
                     seed: int) -> np.ndarray:
    """Survival returns of following ``strategy`` from ``start``; episode e draws from (seed, e)."""
    return np.array([steps_survived(start, strategy, model.sample(start, strategy, np.random.default_rng([seed, e])))
                     for e in range(n_episodes)])


def box_sites(model: HasPosteriorCoordinates, laws: list[str]) -> tuple[str, ...]:
    """The parameter sites (not the weights) of the named laws: what a box may move."""
    sites = model.coordinate_sizes()
    unknown = sorted(set(laws) - {name.split(".")[0] for name in sites})
    if unknown:
        raise ValueError(f"box: the model has no law {unknown}")
    return tuple(name for name in sites if name.split(".")[0] in laws and not name.endswith(".weight"))


def compare(model: Sampler, starts: list[WorldState], strategies: dict[str, Option], horizon: int,
            n_models: int, n_held_out: int, n_episodes: int, n_game: int, rollouts: int, n_eval: int,
            seed: int, score_all: bool = False, box: iwocs.Box | None = None,
            max_models: int | None = None) -> dict:
    """Choose a strategy per start with IWOCS and with the nominal model; score both choices on
    held-out posterior samples and in the true game (every strategy in the game, and on the
    held-out models too if ``score_all``)."""
    if n_held_out < 2 or n_episodes < 2 or n_game < 2:
        raise ValueError(f"standard errors need at least 2 held-out models, episodes and game episodes, "
                         f"got {n_held_out}, {n_episodes}, {n_game}")
    names = list(strategies)
    macro = OptionModel(model, list(strategies.values()), horizon)
    held_out = macro.posterior_samples(n_held_out, np.random.default_rng([seed, 1]))  # never seen by IWOCS
    game = OptionModel(TrueModel(resample_chance=True), macro.strategies, horizon)
    solver = iwocs.plan_once(iwocs.rollout_solver(rollouts, depth=1), seed)
    nominal = iwocs.nominal_policy(macro, steps_survived, 1, solver, actions=macro.actions,
                                   is_terminal=player_dead)
    held: dict[tuple[int, int], np.ndarray] = {}  # (start, strategy) -> returns [models, episodes]
    in_game = np.array([[strategy_returns(game, start, k, n_game, seed + i) for k in macro.actions]
                        for i, start in enumerate(starts)])  # [starts, strategies, episodes]
    choices: dict[str, list[int]] = {"iwocs": [], "nominal": []}
    plans = []
    for i, start in enumerate(tqdm(starts, desc="night starts")):
        plan = iwocs.solve(macro, start, steps_survived, 1, n_models, solver, seed=seed + i,
                           actions=macro.actions, is_terminal=player_dead, n_eval=n_eval, box=box,
                           max_models=max_models)
        picks = {"iwocs": plan.policy(start, 1, np.random.default_rng(0)),
                 "nominal": nominal(start, 1, np.random.default_rng(0))}
        plans.append({"bounds": plan.bounds, "models": plan.models, "choice": names[picks["iwocs"]],
                      "nominal_choice": names[picks["nominal"]],
                      "box_models": {str(j): where for j, where in plan.box_coordinates.items()}})
        for policy, pick in picks.items():
            choices[policy].append(pick)
        for k in (macro.actions if score_all else sorted(set(picks.values()))):
            held[i, k] = np.array([strategy_returns(m, start, k, n_episodes, seed + i)
                                   for m in tqdm(held_out, desc=f"{names[k]} on held-out models", leave=False)])
    rng = np.random.default_rng([seed, 2])

    def scored(picked: list[int], at: list[int]) -> dict[str, dict[str, float]]:
        return {"held_out": summarise_models(np.hstack([held[i, picked[i]] for i in at]), rng),
                "game": summarise_episodes(np.concatenate([in_game[i, picked[i]] for i in at]), rng)}

    every = list(range(len(starts)))
    differ = [i for i in every if choices["iwocs"][i] != choices["nominal"][i]]
    policies = {policy: {"choices": [names[k] for k in picked], **scored(picked, every)}
                for policy, picked in choices.items()}
    # Elsewhere both follow the same strategy from the same start and score the same.
    where_they_differ = {"starts": differ, **({policy: scored(picked, differ) for policy, picked in choices.items()}
                                              if differ else {})}
    per_strategy = {name: {"game": summarise_episodes(in_game[:, k].ravel(), rng),
                           "game_per_start": in_game[:, k].mean(axis=1).tolist()} for k, name in enumerate(names)}
    if score_all:
        for k, name in enumerate(names):
            per_strategy[name]["held_out"] = summarise_models(np.hstack([held[i, k] for i in range(len(starts))]), rng)
            per_strategy[name]["held_out_per_start"] = [float(held[i, k].mean()) for i in range(len(starts))]
            per_strategy[name]["held_out_worst_per_start"] = [float(held[i, k].mean(axis=1).min())
                                                              for i in range(len(starts))]
    return {"settings": {"horizon": horizon, "n_models": n_models, "held_out": n_held_out,
                         "episodes_per_start": n_episodes, "game_episodes_per_start": n_game,
                         "starts": len(starts), "rollouts": rollouts, "n_eval": n_eval, "seed": seed,
                         "max_models": max_models if max_models is not None else n_models,
                         "box": None if box is None else {"sites": list(box.sites), "radius": box.radius,
                                                          "generations": box.generations}},
            "iwocs_plans": plans, **policies, "where_they_differ": where_they_differ, "strategies": per_strategy}


def report_comparison(result: dict) -> list[str]:
    """The printed summary of ``compare``: both policies, then every strategy, then the IWOCS bounds."""
    lines = []
    for name in ("iwocs", "nominal"):
        held, game = result[name]["held_out"], result[name]["game"]
        lines.append(f"{name:8s} held-out models: worst case {held['worst_case']:.2f} ± {held['worst_case_se']:.2f}, "
                     f"5th percentile {held['p5']:.2f} ± {held['p5_se']:.2f}, mean {held['mean']:.2f} ± {held['mean_se']:.2f}")
        lines.append(f"{name:8s} crafter_oo:      worst episode {game['worst_episode']:.0f}, "
                     f"5th percentile {game['p5']:.2f} ± {game['p5_se']:.2f}, mean {game['mean']:.2f} ± {game['mean_se']:.2f}")
        lines.append(f"{name:8s} choices per start: {', '.join(result[name]['choices'])}")
    differ = result["where_they_differ"]
    lines.append(f"the two choose differently at {len(differ['starts'])} of {len(result['iwocs_plans'])} starts "
                 f"{differ['starts']}:" if differ["starts"] else
                 "the two choose the same strategy at every start, so they score the same")
    for name in ("iwocs", "nominal") if differ["starts"] else ():
        held, game = differ[name]["held_out"], differ[name]["game"]
        lines.append(f"  {name:8s} there: held-out worst case {held['worst_case']:.2f} ± {held['worst_case_se']:.2f}, "
                     f"5th percentile {held['p5']:.2f} ± {held['p5_se']:.2f}; crafter_oo worst episode "
                     f"{game['worst_episode']:.0f}, 5th percentile {game['p5']:.2f} ± {game['p5_se']:.2f}, "
                     f"mean {game['mean']:.2f} ± {game['mean_se']:.2f}")
    lines.append("every strategy, crafter_oo 5th percentile / mean [mean per start] "
                 "(| held-out worst case / 5th percentile / mean, with --score-all):")
    for name, score in result["strategies"].items():
        game = score["game"]
        line = (f"  {name:18s} {game['p5']:6.2f} / {game['mean']:6.2f} "
                f"[{' '.join(f'{v:.0f}' for v in score['game_per_start'])}]")
        if "held_out" in score:
            held = score["held_out"]
            line += f" | {held['worst_case']:6.2f} / {held['p5']:6.2f} / {held['mean']:6.2f}"
        lines.append(line)
    if all("held_out_worst_per_start" in score for score in result["strategies"].values()):
        lines.append("held-out worst case per start and strategy (the robust choice is the row's best):")
        for i, plan in enumerate(result["iwocs_plans"]):
            worst = {name: score["held_out_worst_per_start"][i] for name, score in result["strategies"].items()}
            cells = "  ".join(f"{name} {value:5.1f}" for name, value in worst.items())
            lines.append(f"  start {i}: {cells} | best {max(worst, key=worst.get)}; "
                         f"IWOCS {plan['choice']}, nominal {plan['nominal_choice']}")
    for i, plan in enumerate(result["iwocs_plans"]):
        bounds = ", ".join(f"({upper:.1f}, {lower:.1f})" for upper, lower in plan["bounds"])
        found = f"; found in the box: {sorted(map(int, plan['box_models']))}" if plan["box_models"] else ""
        lines.append(f"start {i}: IWOCS bounds (upper, lower) {bounds}; models {plan['models']}{found}")
    return lines


# --------------------------------------------------------------------------------------
# Which posterior coordinates decide the night choice, and where does the real game sit?
# --------------------------------------------------------------------------------------

CENTRE_VARIANT = "posterior centre"
GAME_VARIANT = "crafter_oo"


def parse_coordinates(text: str) -> dict[str, list[float]]:
    """``SITE=Z[,SITE=Z...]`` as posterior coordinates (one-dimensional sites only)."""
    coordinates = {}
    for part in text.split(","):
        site, _, value = part.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = None
        if not site.strip() or number is None:
            raise ValueError(f"posterior coordinates {text!r}: expected SITE=Z[,SITE=Z...] with Z a number, "
                             f"got {part!r}")
        coordinates[site.strip()] = [number]
    return coordinates


def sensitivity(model: HasPosteriorCoordinates, starts: list[int], moves: dict[str, dict[str, list[float]]],
                episodes: int, horizon: int, seed: int) -> dict:
    """Per variant (the centre, each move, the game) and start: every strategy's mean ± SE return,
    and for each model variant the values its moved sites take."""
    strategies = night_strategies()
    variants = {CENTRE_VARIANT: model.at_coordinates({}),
                **{name: model.at_coordinates(where) for name, where in moves.items()}}
    result: dict = {"values": {name: {site: variant.parameters()[site] for where in moves.values() for site in where}
                               for name, variant in variants.items()},
                    "returns": {}}
    variants[GAME_VARIANT] = TrueModel(resample_chance=True)
    for name, base in variants.items():
        macro = OptionModel(base, list(strategies.values()), horizon)
        result["returns"][name] = {
            str(start): {strategy: mean_and_stderr(strategy_returns(macro, night_start(start), k, episodes, seed))
                         for k, strategy in enumerate(strategies)}
            for start in starts}
    return result


def report_sensitivity(result: dict) -> list[str]:
    """The printed summary of ``sensitivity``: one line per variant and start, each strategy's mean ± SE."""
    lines = []
    for name, per_start in result["returns"].items():
        values = result["values"].get(name, {})
        shown = ", ".join(f"{site} {value:.2f}" for site, value in values.items())
        lines.append(f"{name}" + (f" ({shown})" if shown else ""))
        for start, returns in per_start.items():
            cells = "  ".join(f"{strategy} {mean:5.1f} ± {se:4.1f}" for strategy, (mean, se) in returns.items())
            lines.append(f"  start {start:>3s}: {cells}")
    return lines
