"""SubPO on Crafter: the objectives read the game correctly and the trainer runs on a WorldModel."""

from __future__ import annotations

import numpy as np
import pytest

import crafter_oo
from crafter_oo import edit
from crafter_oo.rules import MATERIALS
from planners import TrueModel, subpo
from planners import subpo_crafter as sc


def play(state, actions):
    states = [state]
    for action in actions:
        states.append(crafter_oo.step(states[-1], action).state)
    return states


def seen_by_hand(state) -> set[tuple[int, int]]:
    """The map cells within 4 columns and 3 rows of the player (crafter's 9x7 map view)."""
    (px, py), (w, h) = state.player.pos, state.config.area
    return {(x, y) for x in range(w) for y in range(h) if abs(x - px) <= 4 and abs(y - py) <= 3}


@pytest.mark.parametrize("pos", [(7, 7), (0, 0), (14, 2), (3, 14)])
def test_cells_in_view_are_the_nine_by_seven_map_view_clipped_to_the_map(pos) -> None:
    state = edit.blank_world(area=(15, 15), player_pos=pos)
    height = state.config.area[1]
    got = {(int(i) // height, int(i) % height) for i in sc.cells_in_view(state)}
    assert got == seen_by_hand(state)
    assert len(sc.cells_in_view(state)) == len(got)  # no cell listed twice


def test_walking_into_new_ground_reveals_one_column_or_row_per_step() -> None:
    state = edit.blank_world(area=(21, 21), player_pos=(10, 10))
    states = play(state, ["move_right", "move_right", "move_left", "move_down", "noop"])
    objective = sc.cells_seen((21, 21))
    assert objective.marginal_gains(states).tolist() == [7.0, 7.0, 0.0, 9.0, 0.0]
    assert objective.value(states) == 63 + 7 + 7 + 9


def test_resources_count_collections_up_to_their_demands() -> None:
    state = edit.blank_world(area=(9, 9), player_pos=(4, 4), facing=(0, -1))
    state = edit.place_material(state, (4, 3), "water")
    states = play(state, ["do", "do", "do"])
    assert [s.player.achievements["collect_drink"] for s in states] == [0, 1, 2, 3]
    objective = sc.resources_collected({"drink": 2, "wood": 1})
    assert objective.marginal_gains(states).tolist() == [1.0, 1.0, 0.0]
    assert objective.modular_rewards(states).tolist() == [1.0, 1.0, 1.0]  # PG's view: repeats pay
    with pytest.raises(ValueError, match=r"unknown resources \['gold'\]"):
        sc.resources_collected({"gold": 1})


def test_features_describe_block_neighbours_facing_material_and_collections() -> None:
    state = edit.blank_world(area=(8, 8), player_pos=(5, 2), facing=(1, 0))
    state = edit.place_material(state, (6, 2), "tree")
    state = edit.place_material(state, (5, 1), "water")
    state = edit.set_achievements(state, collect_wood=5)
    features = sc.CrafterFeatures((8, 8), block=4)
    phi = features(state)
    assert phi.shape == (features.size,)
    assert phi[:4].tolist() == [0, 0, 1, 0]  # block (1, 0) of the 2x2 blocks
    assert phi[4:8].tolist() == [1, 0, 0, 1]  # left and down are walkable; tree right, water up
    assert phi[8 + MATERIALS.index("tree")] == 1 and phi[8:8 + len(MATERIALS)].sum() == 1
    assert phi[-len(sc.RESOURCES) + sc.RESOURCES.index("wood")] == 1.0  # capped at 3 of 3
    with pytest.raises(ValueError, match="area"):
        features(edit.blank_world(area=(9, 9)))


def test_a_dead_player_is_absorbing_and_start_areas_must_agree() -> None:
    state = edit.set_inventory(edit.blank_world(area=(9, 9)), health=0)
    env = sc.crafter_environment(TrueModel(), [state], horizon=3)
    assert env.step(state, sc.ACTIONS.index("move_left"), np.random.default_rng(0)) is state
    with pytest.raises(ValueError, match="one map area"):
        sc.crafter_environment(TrueModel(), [state, edit.blank_world(area=(12, 12))], horizon=3)


def test_subpo_trained_in_a_world_model_covers_more_than_a_random_agent() -> None:
    start = edit.blank_world(area=(17, 17), player_pos=(8, 8))
    env = sc.crafter_environment(TrueModel(resample_chance=True), [start], horizon=6,
                                 actions=sc.ACTIONS[:5])
    objective = sc.cells_seen((17, 17))
    trained = subpo.train(env, objective, epochs=25, batch=8, lr=0.1, seed=0)
    random_agent = subpo.Policy.for_env(env)
    trained_value = subpo.evaluate(trained, env, objective, episodes=16, seed=1)
    random_value = subpo.evaluate(random_agent, env, objective, episodes=16, seed=1)
    assert trained_value > random_value + 5
