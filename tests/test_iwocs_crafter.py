"""planners.iwocs_crafter end to end, with a stand-in for the fitted one-life model.

The stand-in (``night_standins.ZombieBite``) is crafter_oo plus one uncertain mechanic (an extra zombie bite) with a Beta
posterior, so IWOCS over night strategies, the nominal policy and the scoring all run on
real Crafter states (and fast: no learned model is loaded).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from night_standins import ZombieBite
from planners import iwocs
from planners import iwocs_crafter as night
from crafter_oo.geometry import distance
from worldmodel import HasPosterior, WorldModel


@pytest.fixture(scope="module")
def start():
    return night.night_start(0)


def test_stand_in_is_a_world_model_with_a_posterior(start):
    model = ZombieBite(2.0, 2.0)
    assert isinstance(model, WorldModel) and isinstance(model, HasPosterior)
    rng = np.random.default_rng(0)
    for action in range(17):
        s2 = model.sample(start, action, rng)
        assert model.log_prob(start, action, s2) > -math.inf


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000))
def test_night_starts_are_dark_with_one_to_three_zombies_close(seed):
    state = night.night_start(seed)
    assert state == night.night_start(seed) and state != night.night_start(seed + 1)
    assert state.daylight < 0.5 and state.config.area == night.AREA
    assert 3 <= state.player.health <= 7 and state.player.inventory["energy"] <= 3
    zombies = [z for _, z in state.creatures("zombie")]
    assert 1 <= len(zombies) <= 3
    assert all(2 <= distance(z.pos, state.player.pos) <= 6 for z in zombies)
    assert state.material(state.player.pos) == "grass"


def small_run(model, starts, score_all: bool = False, box=None) -> dict:
    return night.compare(model, starts, night.night_strategies(), horizon=8, n_models=3, n_held_out=3,
                         n_episodes=2, n_game=3, rollouts=2, n_eval=2, seed=0, score_all=score_all, box=box)


def test_compare_runs_end_to_end_and_is_deterministic(start):
    model = ZombieBite(2.0, 3.0)
    result = small_run(model, [start])
    assert result == small_run(model, [start])
    names = list(night.night_strategies())
    for name in ("iwocs", "nominal"):
        held, game = result[name]["held_out"], result[name]["game"]
        assert 0 <= held["worst_case"] <= held["p5"] <= held["mean"] + 1e-12 <= 8 + 1e-12
        assert 0 <= game["worst_episode"] <= game["p5"] <= 8
        assert all(np.isfinite(v) and v >= 0 for k, v in {**held, **game}.items() if k.endswith("_se"))
        assert len(result[name]["choices"]) == 1 and result[name]["choices"][0] in names
    (plan,) = result["iwocs_plans"]
    uppers = [upper for upper, _ in plan["bounds"]]
    assert all(0 <= lower <= 8 and 0 <= upper <= 8 for upper, lower in plan["bounds"])
    assert all(later <= earlier for earlier, later in zip(uppers, uppers[1:]))  # min over more models
    assert plan["choice"] == result["iwocs"]["choices"][0]
    assert set(result["strategies"]) == set(names)
    json.dumps(result)  # the benchmark writes it: this raises on numpy scalars or tuple keys
    assert any("IWOCS bounds" in line for line in night.report_comparison(result))
    same = "the two choose the same strategy at every start, so they score the same"
    assert (same in night.report_comparison(result)) == (result["where_they_differ"]["starts"] == [])


def test_the_starts_where_the_policies_differ_are_scored_on_their_own():
    starts = [night.night_start(seed) for seed in (0, 1)]
    result = small_run(ZombieBite(1.0, 1.0), starts)
    differ = result["where_they_differ"]
    assert differ["starts"] == [1]  # this seed's case: nominal fights at start 1, IWOCS flees
    assert result["iwocs"]["choices"][1] != result["nominal"]["choices"][1]
    assert result["iwocs"]["choices"][0] == result["nominal"]["choices"][0]
    for name in ("iwocs", "nominal"):
        chosen = result["strategies"][result[name]["choices"][1]]
        assert differ[name]["game"]["mean"] == pytest.approx(chosen["game_per_start"][1])
    assert any(line.startswith("the two choose differently at 1 of 2 starts [1]:")
               for line in night.report_comparison(result))


def test_each_policy_is_scored_by_the_strategies_it_chose():
    starts = [night.night_start(seed) for seed in (1, 2)]
    result = small_run(ZombieBite(1.0, 1.0), starts, score_all=True)
    for name in ("iwocs", "nominal"):
        picked = result[name]["choices"]
        per_start = [result["strategies"][choice]["held_out_per_start"][i] for i, choice in enumerate(picked)]
        in_game = [result["strategies"][choice]["game_per_start"][i] for i, choice in enumerate(picked)]
        assert result[name]["held_out"]["mean"] == pytest.approx(np.mean(per_start))
        assert result[name]["game"]["mean"] == pytest.approx(np.mean(in_game))
    for score in result["strategies"].values():
        assert all(worst <= mean + 1e-12 for worst, mean in zip(score["held_out_worst_per_start"],
                                                                 score["held_out_per_start"]))
    table = [line for line in night.report_comparison(result) if line.startswith("  start ")]
    assert len(table) == 2 and all(f"IWOCS {plan['choice']}" in line
                                   for line, plan in zip(table, result["iwocs_plans"]))


def test_a_box_joins_the_uncertainty_set_and_is_recorded(start):
    model = ZombieBite(1.0, 3.0)
    assert night.box_sites(model, ["bite"]) == ("bite.p",)
    with pytest.raises(ValueError, match=r"no law \['bark'\]"):
        night.box_sites(model, ["bark"])
    result = small_run(model, [start], box=iwocs.Box(("bite.p",), radius=2.0, generations=2))
    assert result["settings"]["box"] == {"sites": ["bite.p"], "radius": 2.0, "generations": 2}
    for where in result["iwocs_plans"][0]["box_models"].values():
        assert abs(where["bite.p"][0]) <= 2.0


def test_compare_refuses_too_few_held_out_models(start):
    with pytest.raises(ValueError, match="held-out"):
        night.compare(ZombieBite(1.0, 1.0), [start], night.night_strategies(), 2, 1, 1, 2, 2, 1, 1, 0)
