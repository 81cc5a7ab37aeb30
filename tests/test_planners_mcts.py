"""MCTS finds short obvious plans in small hand-made worlds, reproducibly."""

from __future__ import annotations

import math

import numpy as np
import pytest

from crafter_oo import edit
from crafter_oo.rules import ACTIONS
from planners.mcts import MCTS
from crafter_oo.skills.options import Collect, Craft, Wait
from planners.rewards import achievement_reward
from planners.rollouts import run
from worldmodel import NullModel, TrueModel

PICKAXE = achievement_reward("make_wood_pickaxe")


def workshop():
    """A tree three steps away and a table next to the player, no wood yet."""
    state = edit.blank_world(area=(12, 12), player_pos=(6, 6))
    return edit.place_material(edit.place_material(state, (9, 9), "tree"), (5, 6), "table")


@pytest.mark.parametrize("seed", [0, 1])
def test_mcts_with_options_collects_wood_and_crafts_a_pickaxe(seed) -> None:
    agent = MCTS(TrueModel(resample_chance=True), reward=PICKAXE, simulations=30, depth=2, horizon=30, seed=seed)
    result = run(TrueModel(), workshop(), agent, 16, np.random.default_rng(0), PICKAXE)
    assert result.state.player.achievements["make_wood_pickaxe"] == 1


def test_mcts_in_the_null_model_does_not_find_the_plan() -> None:
    agent = MCTS(NullModel(), reward=PICKAXE, simulations=30, depth=2, horizon=30, seed=0,
                 choices=[Wait(steps=3), Craft("wood_pickaxe"), Collect("tree")])
    root = agent.search(workshop())
    assert all(edge.mean == 0.0 for edge in root.edges.values())


def test_mcts_over_primitive_actions_chops_the_tree_it_faces() -> None:
    state = edit.place_material(edit.blank_world(area=(9, 9), player_pos=(4, 4), facing=(1, 0)), (5, 4), "tree")
    agent = MCTS(TrueModel(resample_chance=True), choices=ACTIONS, reward=achievement_reward("collect_wood"),
                 simulations=60, depth=2, horizon=5, seed=0)
    assert agent.plan(state) == "do"


def test_the_search_is_reproducible_from_its_seed() -> None:
    def actions(seed):
        agent = MCTS(TrueModel(resample_chance=True), reward=PICKAXE, simulations=8, depth=2, seed=seed)
        taken = []
        run(TrueModel(), workshop(), agent, 8, np.random.default_rng(0), on_step=lambda s, a, s2: taken.append(a))
        return taken

    assert actions(4) == actions(4)


def test_progressive_widening_bounds_outcomes_per_edge() -> None:
    state = edit.add_creature(workshop(), "cow", (2, 2))
    agent = MCTS(TrueModel(resample_chance=True), simulations=40, depth=2, widening=1.0, widening_power=0.5, seed=2)
    root = agent.search(state)
    assert sum(edge.visits for edge in root.edges.values()) == root.visits == 40
    for edge in root.edges.values():
        assert 1 <= len(edge.outcomes) <= math.ceil(edge.visits ** 0.5)
        assert sum(outcome.count for outcome in edge.outcomes) == edge.visits


def test_bad_settings_are_rejected() -> None:
    with pytest.raises(ValueError, match="neither an Option"):
        MCTS(NullModel(), choices=["fly"])
    with pytest.raises(ValueError, match="simulations"):
        MCTS(NullModel(), simulations=0)
