"""Options: navigation agrees with the game's movement, and each option does its one job."""

from __future__ import annotations

from collections import deque

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crafter_oo
from crafter_oo import Rules, edit
from crafter_oo.geometry import distance
from crafter_oo.rules import DIRECTIONS, WALKABLE
from crafter_oo.skills.navigation import facing_cell, material_goal, path_to
from crafter_oo.skills.options import (
    Attack,
    Chain,
    Collect,
    Craft,
    Flee,
    GoTo,
    Place,
    Sleep,
    Wait,
    Walk,
    crafter_options,
)
from planners.rollouts import run
from worldmodel import NullModel, TrueModel


def play(state, option, steps=80):
    """Run an option in the true game until it ends; the final state and the actions taken."""
    actions: list[str] = []
    result = run(TrueModel(), state, option, steps, np.random.default_rng(0), then=None,
                 on_step=lambda s, a, s2: actions.append(a))
    return result.state, actions


def reachable_target(state, material: str) -> bool:
    """Independent check: is some tile of ``material`` next to a cell the player can walk to?"""
    seen, frontier = {state.player.pos}, deque([state.player.pos])
    while frontier:
        x, y = frontier.popleft()
        for dx, dy in DIRECTIONS:
            cell = (x + dx, y + dy)
            if state.material(cell) == material:
                return True
            if cell not in seen and state.material(cell) in WALKABLE:
                seen.add(cell)
                frontier.append(cell)
    return False


cells = st.sampled_from(["grass", "grass", "grass", "stone", "water", "tree"])


@settings(max_examples=40, deadline=None)
@given(st.lists(cells, min_size=49, max_size=49), st.sampled_from(DIRECTIONS))
def test_paths_lead_to_the_target_in_the_real_game(layout, facing) -> None:
    state = edit.blank_world(area=(7, 7), player_pos=(3, 3), facing=facing)
    for i, material in enumerate(layout):
        if (i % 7, i // 7) != (3, 3):
            state = edit.place_material(state, (i % 7, i // 7), material)
    path = path_to(state, material_goal(state, ["tree"], reach=20), reach=20)
    assert (path is not None) == reachable_target(state, "tree")
    if path is not None:
        for action in path:
            state = crafter_oo.step(state, action).state
        assert state.material(facing_cell(state)) == "tree"


def test_paths_are_shortest_and_go_round_walls() -> None:
    state = edit.blank_world(area=(9, 9), player_pos=(1, 4), facing=(0, 1))
    for y in range(0, 8):
        state = edit.place_material(state, (4, y), "stone")
    state = edit.place_material(state, (7, 4), "tree")
    path = path_to(state, material_goal(state, ["tree"], reach=20), reach=20)
    # Down 4 to the gap in the wall, right 6 to x=7, up 3: below the tree, facing it.
    assert path is not None and len(path) == 4 + 6 + 3
    assert path_to(state, material_goal(state, ["tree"], reach=3), reach=3) is None


def test_collect_gathers_one_item_then_finishes() -> None:
    state = edit.place_material(edit.blank_world(area=(9, 9), player_pos=(2, 2)), (6, 6), "tree")
    end, actions = play(state, Collect("tree"))
    assert end.player.inventory["wood"] == 1 and actions[-1] == "do"
    assert actions.count("do") == 1


def test_collect_without_the_tool_tries_until_its_budget_is_spent() -> None:
    state = edit.place_material(edit.blank_world(area=(9, 9), player_pos=(4, 4)), (5, 4), "stone")
    end, actions = play(state, Collect("stone", max_steps=7))
    assert actions == ["do"] * 7 and end.player.inventory["stone"] == 0


def test_attack_kills_its_target_and_stops() -> None:
    state = edit.add_creature(edit.blank_world(area=(12, 12), player_pos=(3, 3)), "cow", (8, 8))
    end, actions = play(state, Attack("cow"))
    assert end.player.achievements["eat_cow"] == 1
    assert not list(end.creatures("cow"))


def test_craft_walks_to_the_table_and_crafts_once() -> None:
    state = edit.blank_world(area=(12, 12), player_pos=(2, 2))
    state = edit.set_inventory(edit.place_material(state, (8, 8), "table"), wood=2)
    end, actions = play(state, Craft("wood_pickaxe"))
    assert end.player.inventory["wood_pickaxe"] == 1 and actions.count("make_wood_pickaxe") == 1
    no_table = edit.set_inventory(edit.blank_world(area=(12, 12)), wood=2)
    assert Craft("wood_pickaxe").act(no_table) is None


def test_place_turns_to_a_legal_cell() -> None:
    state = edit.blank_world(area=(9, 9), player_pos=(4, 4), facing=(1, 0))
    state = edit.set_inventory(edit.place_material(state, (5, 4), "tree"), wood=2)
    end, actions = play(state, Place("table"))
    assert actions[-1] == "place_table"
    assert (end.materials == crafter_oo.rules.MATERIAL_ID["table"]).sum() == 1


def test_sleep_sleeps_until_awake_and_gives_up_when_rested() -> None:
    tired = edit.set_inventory(edit.blank_world(area=(9, 9)), energy=8)
    end, actions = play(tired, Sleep(), steps=300)
    assert end.player.achievements["wake_up"] == 1 and not end.player.sleeping
    rested = edit.blank_world(area=(9, 9))
    end, actions = play(rested, Sleep())
    assert actions == ["sleep"]


def test_flee_gains_distance() -> None:
    state = edit.add_creature(edit.blank_world(area=(20, 20), player_pos=(10, 10)), "zombie", (11, 10))
    option = Flee("zombie", distance=5)
    end, actions = play(state, option)
    zombie = next(obj for _, obj in end.creatures("zombie"))
    assert actions and distance(end.player.pos, zombie.pos) > 1


def test_walk_and_wait_count_their_steps() -> None:
    state = edit.blank_world(area=(9, 9), player_pos=(1, 4))
    end, actions = play(state, Walk("move_right", steps=3))
    assert actions == ["move_right"] * 3 and end.player.pos == (4, 4)
    end, actions = play(state, Walk("move_left", steps=3))
    assert actions == ["move_left"] and end.player.pos == (0, 4)
    assert play(state, Wait(steps=4))[1] == ["noop"] * 4


def test_chain_hands_over_past_a_failed_option() -> None:
    state = edit.place_material(edit.blank_world(area=(9, 9), player_pos=(2, 2)), (6, 6), "tree")
    chain = Chain((Craft("wood_pickaxe"), Collect("tree"), GoTo("tree")))
    end, actions = play(state, chain)
    assert end.player.inventory["wood"] == 1 and "make_wood_pickaxe" not in actions


def test_fresh_copies_forget_their_run() -> None:
    state = edit.place_material(edit.blank_world(area=(9, 9), player_pos=(4, 4)), (5, 4), "stone")
    option = Collect("stone", max_steps=2)
    assert [option.act(state), option.act(state), option.act(state)] == ["do", "do", None]
    assert option.fresh().act(state) == "do"


def test_options_run_in_the_null_model_without_progress() -> None:
    state = edit.place_material(edit.blank_world(area=(9, 9), player_pos=(2, 2)), (6, 6), "tree")
    result = run(NullModel(), state, Collect("tree", max_steps=9), 20, np.random.default_rng(0), then=None)
    assert result.steps == 9 and result.state is state


@pytest.mark.parametrize("build", [lambda: Collect("gold"), lambda: Attack("dragon"), lambda: Craft("bow"),
                                   lambda: Place("diamond"), lambda: GoTo("nowhere"), lambda: Walk("north"),
                                   lambda: Chain(())])
def test_bad_option_settings_are_rejected(build) -> None:
    with pytest.raises(ValueError):
        build()


def test_collect_reads_what_the_worlds_rules_let_a_material_give() -> None:
    state = edit.place_material(edit.blank_world(area=(9, 9), player_pos=(2, 2), facing=(1, 0)), (3, 2), "lava")
    assert Collect("lava").act(state) is None  # Crafter's lava gives nothing: the option ends at once
    molten = Rules.crafter().replace({"collect": {"lava": {"require": {}, "receive": {"stone": 1},
                                                          "leaves": "path", "probability": 1.0}}})
    state = edit.place_material(edit.blank_world(area=(9, 9), player_pos=(2, 2), facing=(1, 0), rules=molten),
                                (3, 2), "lava")
    assert Collect("lava").act(state) == "do"


def test_the_crafter_option_set_covers_collecting_crafting_and_placing() -> None:
    names = {option.name for option in crafter_options()}
    assert {"collect(tree)", "craft(wood_pickaxe)", "place(table)", "attack(zombie)", "sleep"} <= names
