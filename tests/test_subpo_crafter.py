"""SubPO on Crafter: the objectives read the game correctly and the trainer runs on a WorldModel."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import torch

import crafter_oo
from crafter_oo import edit
from crafter_oo.rules import MATERIALS
from planners import subpo
from planners import subpo_crafter as sc
from worldmodel import TrueModel


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


def test_nearest_sources_point_towards_the_closest_visible_source_of_each_resource() -> None:
    state = edit.blank_world(area=(15, 15), player_pos=(7, 7))
    for pos, material in [((9, 7), "tree"), ((3, 7), "tree"), ((6, 5), "water"), ((7, 12), "stone")]:
        state = edit.place_material(state, pos, material)
    directions = sc.nearest_sources(state)  # rows: sources; columns: left, right, up, down
    assert directions.shape == (len(sc.SOURCES), 4)
    assert directions[sc.SOURCES.index("tree")].tolist() == [0, 1, 0, 0]  # (9, 7) beats (3, 7)
    assert directions[sc.SOURCES.index("water")].tolist() == [1, 0, 1, 0]
    assert directions[sc.SOURCES.index("stone")].sum() == 0  # 5 rows down: out of the 9x7 view
    features, size = sc.CrafterFeatures((15, 15)), directions.size * sc.COUNT_LEVELS

    def gated(state) -> np.ndarray:  # [source, collected level, direction]
        phi = features(state)
        start = phi.size - len(sc.RESOURCES) - size
        return phi[start:start + size].reshape(len(sc.SOURCES), sc.COUNT_LEVELS, 4)

    assert np.array_equal(gated(state)[:, 0], directions) and not gated(state)[:, 1:].any()
    after_two_wood = gated(edit.set_achievements(state, collect_wood=2))
    tree = sc.SOURCES.index("tree")
    assert after_two_wood[tree].tolist() == [[0] * 4, [0] * 4, [0, 1, 0, 0], [0] * 4]
    assert np.array_equal(np.delete(after_two_wood, tree, 0), np.delete(gated(state), tree, 0))


@settings(max_examples=60, deadline=None)
@given(player=st.tuples(st.integers(0, 12), st.integers(0, 12)),
       placed=st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12), st.sampled_from(sc.SOURCES)),
                       max_size=12))
def test_nearest_sources_name_a_nearest_visible_cell_of_each_source(player, placed) -> None:
    state = edit.blank_world(area=(13, 13), player_pos=player)
    for x, y, material in placed:
        if (x, y) != player:
            state = edit.place_material(state, (x, y), material)
    visible = {(int(i) // 13, int(i) % 13) for i in sc.cells_in_view(state)}
    for source, (left, right, up, down) in zip(sc.SOURCES, sc.nearest_sources(state)):
        cells = [c for c in visible if state.material(c) == source]
        if not cells:
            assert left == right == up == down == 0
            continue
        distance = min(abs(x - player[0]) + abs(y - player[1]) for x, y in cells)
        dx, dy = (right - left), (down - up)  # the signs of one nearest cell's offset
        assert any(abs(x - player[0]) + abs(y - player[1]) == distance
                   and np.sign(x - player[0]) == dx and np.sign(y - player[1]) == dy for x, y in cells)


def test_a_count_that_a_model_lets_fall_is_no_collection() -> None:
    before = edit.set_achievements(edit.blank_world(area=(9, 9)), collect_stone=7)
    after = edit.set_achievements(before, collect_stone=0, collect_wood=1)
    objective = sc.resources_collected({"stone": 1, "wood": 3})
    assert objective.marginal_gains([before, after]).tolist() == [1.0]


def test_a_dead_player_is_absorbing_and_start_areas_must_agree() -> None:
    state = edit.set_inventory(edit.blank_world(area=(9, 9)), health=0)
    env = sc.crafter_environment(TrueModel(), [state], horizon=3)
    assert env.step(state, sc.FORAGING_ACTIONS.index("move_left"), np.random.default_rng(0)) is state
    with pytest.raises(ValueError, match="one map area"):
        sc.crafter_environment(TrueModel(), [state, edit.blank_world(area=(12, 12))], horizon=3)


def test_subpo_trained_in_a_world_model_covers_more_than_a_random_agent() -> None:
    start = edit.blank_world(area=(17, 17), player_pos=(8, 8))
    env = sc.crafter_environment(TrueModel(resample_chance=True), [start], horizon=6,
                                 actions=sc.FORAGING_ACTIONS[:5])
    objective = sc.cells_seen((17, 17))
    trained = subpo.train(env, objective, epochs=25, batch=8, lr=0.1, seed=0)
    random_agent = subpo.SoftmaxPolicy.for_env(env)
    trained_value = subpo.evaluate(trained, env, objective, episodes=16, seed=1)
    random_value = subpo.evaluate(random_agent, env, objective, episodes=16, seed=1)
    assert trained_value > random_value + 5


def test_subpo_collects_a_diverse_set_where_modular_pg_repeats_the_nearest_resource() -> None:
    start = edit.blank_world(area=(11, 11), player_pos=(5, 5), facing=(1, 0))
    for pos, material in [((6, 5), "water"), ((5, 3), "tree"), ((3, 5), "tree"), ((5, 7), "tree"), ((4, 3), "tree")]:
        start = edit.place_material(start, pos, material)
    env = sc.crafter_environment(TrueModel(resample_chance=True), [start], horizon=12)
    objective = sc.resources_collected({"drink": 1, "wood": 3})
    values = {estimator: subpo.evaluate(subpo.train(env, objective, epochs=20, batch=12, lr=0.1, seed=0,
                                                    estimator=estimator, stationary=True),
                                        env, objective, episodes=32, seed=1)
              for estimator in ("reward_to_go", "modular")}
    # Drinking pays the modular reward every step, so modular PG stays at the water.
    assert values["reward_to_go"] >= values["modular"] + 1.0
    assert values["modular"] <= 1.5


def test_a_stationary_policy_plays_the_same_way_at_every_step() -> None:
    policy = subpo.SoftmaxPolicy(n_features=3, n_actions=4, horizon=5, stationary=True)
    with torch.no_grad():
        policy.weight.normal_(generator=torch.Generator().manual_seed(0))
    inputs = torch.ones(5, 2, 3, dtype=torch.float64)
    log_probs = policy(inputs)
    assert policy.weight.shape == (1, 4, 3)
    assert torch.allclose(log_probs, log_probs[:1].expand(5, -1, -1))
    assert not torch.allclose(log_probs[0, 0], torch.full((4,), -np.log(4), dtype=torch.float64))
