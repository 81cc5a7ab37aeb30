"""Rollout values, strategy ranking and the agreement measures of the ranking benchmark."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crafter_oo import edit
from planners.baselines import RandomAgent
from crafter_oo.skills.options import Collect, Craft, Place, Wait
from planners.rewards import achievement_reward, crafter_reward, survival_reward
from planners.rollouts import (
    Estimate,
    best_pick_credit,
    mean_and_stderr,
    pairwise_agreement,
    rank_strategies,
    rollout_value,
    run,
    standard_error,
)
from worldmodel import NullModel, TrueModel


def woodland():
    state = edit.blank_world(area=(12, 12), player_pos=(6, 6))
    for pos in [(9, 9), (9, 10), (2, 3)]:
        state = edit.place_material(state, pos, "tree")
    return state


PICKAXE = (Collect("tree"), Collect("tree"), Collect("tree"), Place("table"), Craft("wood_pickaxe"))


def test_a_pickaxe_strategy_earns_its_three_achievements() -> None:
    estimate = rollout_value(TrueModel(resample_chance=True), woodland(), PICKAXE, 40, 4, seed=0)
    assert estimate.values == (3.0,) * 4 and estimate.mean == 3.0 and estimate.stderr == 0.0


def test_rollouts_are_reproducible_from_the_seed() -> None:
    state = edit.add_creature(woodland(), "zombie", (3, 9))
    first = rollout_value(TrueModel(resample_chance=True), state, [Wait(steps=30)], 30, 6, 5, survival_reward)
    again = rollout_value(TrueModel(resample_chance=True), state, [Wait(steps=30)], 30, 6, 5, survival_reward)
    assert first == again
    assert first.mean == pytest.approx(np.mean(first.values))


def test_ranking_orders_by_mean_and_shares_random_numbers() -> None:
    strategies = {"wait": [Wait()], "pickaxe": PICKAXE, "wood": [Collect("tree")], "wait again": [Wait()]}
    ranking = rank_strategies(TrueModel(resample_chance=True), woodland(), strategies, 40, 3, 1, crafter_reward)
    assert [e.name for e in ranking] == ["pickaxe", "wood", "wait", "wait again"]
    assert ranking[2].values == ranking[3].values


def test_a_run_stops_when_the_player_dies() -> None:
    state = edit.set_vitals(edit.set_inventory(edit.blank_world(), health=1, drink=0), recover=-15.0)
    result = run(TrueModel(), state, Wait(steps=50), 50, np.random.default_rng(0), survival_reward)
    assert not result.alive and result.steps == 1 and result.value == 0.0


def test_a_run_waits_after_the_policy_ends_unless_told_to_stop() -> None:
    state = edit.blank_world()
    waited = run(TrueModel(), state, Wait(steps=2), 10, np.random.default_rng(0))
    stopped = run(TrueModel(), state, Wait(steps=2), 10, np.random.default_rng(0), then=None)
    assert (waited.steps, stopped.steps) == (10, 2)


def test_agents_that_never_stop_run_the_full_length() -> None:
    result = run(TrueModel(), edit.blank_world(), RandomAgent(3), 25, np.random.default_rng(0), then=None)
    assert result.steps == 25 and result.state.step == 25


def test_bad_budgets_are_rejected() -> None:
    with pytest.raises(ValueError, match="horizon"):
        rollout_value(NullModel(), edit.blank_world(), [Wait()], 0, 3, 0)
    with pytest.raises(ValueError, match="no strategies"):
        rank_strategies(NullModel(), edit.blank_world(), {}, 5, 3, 0)


def estimates(**means: float) -> list[Estimate]:
    return [Estimate(name, mean, 0.0, (mean,)) for name, mean in means.items()]


def test_best_pick_credit_splits_ties() -> None:
    truth = estimates(a=1.0, b=0.0, c=0.5)
    assert best_pick_credit(truth, estimates(a=2.0, b=1.0, c=0.0)) == 1.0
    assert best_pick_credit(truth, estimates(a=0.0, b=1.0, c=0.0)) == 0.0
    assert best_pick_credit(truth, estimates(a=0.0, b=0.0, c=0.0)) == pytest.approx(1 / 3)
    assert best_pick_credit(estimates(a=1.0, b=1.0, c=0.0), estimates(a=0.0, b=0.0, c=1.0)) == 0.0


def test_pairwise_agreement_counts_ordered_pairs() -> None:
    truth = estimates(a=3.0, b=2.0, c=1.0)
    assert pairwise_agreement(truth, estimates(a=3.0, b=2.0, c=1.0)) == 1.0
    assert pairwise_agreement(truth, estimates(a=1.0, b=2.0, c=3.0)) == 0.0
    assert pairwise_agreement(truth, estimates(a=0.0, b=0.0, c=0.0)) == 0.5
    assert math.isnan(pairwise_agreement(estimates(a=1.0, b=1.0), estimates(a=0.0, b=1.0)))
    with pytest.raises(ValueError, match="different strategies"):
        pairwise_agreement(truth, estimates(a=1.0, b=2.0))


@given(st.lists(st.floats(-100, 100), min_size=2, max_size=30))
def test_standard_error_is_the_spread_of_the_mean(values) -> None:
    assert standard_error(values) == pytest.approx(np.std(values, ddof=1) / math.sqrt(len(values)), abs=1e-9)
    assert standard_error(values[:1]) == 0.0
    mean, stderr = mean_and_stderr(values)
    assert mean == pytest.approx(np.mean(values), abs=1e-9) and stderr == standard_error(values)
    assert mean_and_stderr(values[:1]) == (values[0], 0.0)


@given(st.dictionaries(st.sampled_from("abcde"), st.integers(-3, 3), min_size=2))
def test_a_ranking_agrees_perfectly_with_itself(means) -> None:
    ranking = estimates(**{k: float(v) for k, v in means.items()})
    assert best_pick_credit(ranking, ranking) == 1.0
    agreement = pairwise_agreement(ranking, ranking)
    assert agreement == 1.0 or (math.isnan(agreement) and len(set(means.values())) == 1)


def test_the_goal_reward_only_pays_for_its_achievement() -> None:
    estimate = rollout_value(TrueModel(resample_chance=True), woodland(), PICKAXE, 40, 2, 0,
                             achievement_reward("make_wood_pickaxe"))
    assert estimate.mean == 1.0
