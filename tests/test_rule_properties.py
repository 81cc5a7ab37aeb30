"""Invariants of ``step`` in worlds with random valid rules (hypothesis): it never raises,
never modifies its input, is deterministic, and keeps the world well formed."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

import crafter_oo
from crafter_oo import Rules, WorldState, edit
from crafter_oo.rules import ACTIONS
from rule_sets import rule_sets
from well_formed import check_well_formed, play_checked

plans = st.lists(st.integers(0, len(ACTIONS) - 1), min_size=20, max_size=40)


@settings(max_examples=30, deadline=None)
@given(rule_sets(), st.integers(0, 2**31 - 2), plans)
def test_step_keeps_a_generated_world_well_formed_under_any_rules(rules: Rules, seed: int,
                                                                  plan: list[int]) -> None:
    state = crafter_oo.new_game(seed, area=(16, 16), rules=rules)
    assert all(creature.health == rules.health_of(creature.kind) for _, creature in state.creatures())
    check_well_formed(state)
    play_checked(state, plan)


@settings(max_examples=30, deadline=None)
@given(rule_sets(), st.integers(0, 2**31 - 2), st.integers(0, 600), plans)
def test_step_keeps_a_crowded_small_world_well_formed_under_any_rules(rules: Rules, seed: int, start: int,
                                                                      plan: list[int]) -> None:
    """A small world rich in materials and creatures, so the rules' rarer branches run."""
    state = edit.blank_world(area=(7, 7), player_pos=(3, 3), seed=seed, rules=rules)
    for x, y, material in ((2, 3, "tree"), (4, 3, "water"), (3, 2, "table"), (2, 2, "furnace"),
                           (4, 4, "stone"), (5, 5, "path"), (6, 6, "coal"), (0, 6, "iron")):
        state = edit.place_material(state, (x, y), material)
    for kind, pos, fields in (("zombie", (3, 5), {}), ("skeleton", (5, 4), {}), ("cow", (1, 3), {}),
                              ("plant", (3, 4), {"grown": 290}), ("arrow", (0, 0), {"facing": (1, 0)})):
        state = edit.add_creature(state, kind, pos, **fields)
    state = edit.set_inventory(state, wood=5, stone=5, coal=2, iron=2, sapling=2, wood_pickaxe=1)
    state = edit.set_step(state, start)
    assert state.daylight == crafter_oo.daylight_at(start, rules.day_length)
    play_checked(state, plan)


@settings(max_examples=25, deadline=None)
@given(rule_sets(), st.integers(0, 2**31 - 2), st.lists(st.integers(0, len(ACTIONS) - 1), max_size=15))
def test_a_state_under_any_rules_round_trips_through_json(rules: Rules, seed: int, plan: list[int]) -> None:
    state = crafter_oo.new_game(seed, area=(12, 12), rules=rules)
    for action in plan:
        state = crafter_oo.step(state, action).state
    text = state.to_json()
    again = WorldState.from_json(text)
    assert again == state and again.config.rules == rules
    assert again.to_json() == text
    assert crafter_oo.step(again, 0).state == crafter_oo.step(state, 0).state


@settings(max_examples=40, deadline=None)
@given(rule_sets())
def test_rules_round_trip_through_json_and_replace(rules: Rules) -> None:
    assert Rules.from_json(rules.to_json()) == rules
    assert rules.replace() == rules and rules.replace(rules.to_dict()) == rules
    assert hash(Rules.from_dict(rules.to_dict())) == hash(rules)
    changed = rules.replace(day_length=rules.day_length + 1)
    assert changed.day_length == rules.day_length + 1
    assert dataclasses.replace(changed, day_length=rules.day_length) == rules
