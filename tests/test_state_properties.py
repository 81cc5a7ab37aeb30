"""Invariants of states and of ``step`` on arbitrary small worlds (hypothesis)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import crafter_oo
from crafter_oo import edit
from crafter_oo.rules import ACTIONS, ITEMS, MATERIAL_ID
from crafter_oo.state import StateFormatError, WorldState
from bad_inputs import STATE_CHANGES
from well_formed import play_checked

GROUND = ["grass"] * 6 + ["sand", "path", "water", "stone", "tree", "lava", "coal", "iron",
                          "diamond", "table", "furnace"]


@st.composite
def small_worlds(draw: st.DrawFn) -> WorldState:
    """A small hand-made world: random ground, creatures, inventory, clock and generator."""
    width, height = draw(st.integers(3, 10)), draw(st.integers(3, 10))
    cells = [(x, y) for x in range(width) for y in range(height)]
    player = draw(st.sampled_from(cells))
    state = edit.blank_world(area=(width, height), player_pos=player,
                             facing=draw(st.sampled_from([(1, 0), (-1, 0), (0, 1), (0, -1)])),
                             seed=draw(st.integers(0, 2**31 - 2)))
    grid = draw(st.lists(st.sampled_from(GROUND), min_size=len(cells), max_size=len(cells)))
    materials = np.array([MATERIAL_ID[m] for m in grid], dtype=np.uint8).reshape(width, height)
    materials[player] = MATERIAL_ID["grass"]
    materials.flags.writeable = False
    state = WorldState(**{**{f: getattr(state, f) for f in state.__dataclass_fields__},
                          "materials": materials})
    free = [c for c in cells if c != player]
    spots = draw(st.lists(st.sampled_from(free), unique=True, max_size=min(8, len(free)))) if free else []
    for pos in spots:
        kind = draw(st.sampled_from(["cow", "zombie", "skeleton", "arrow", "plant"]))
        fields: dict = {"health": draw(st.integers(0, 5))}
        if kind == "arrow":
            fields["facing"] = draw(st.sampled_from([(1, 0), (-1, 0), (0, 1), (0, -1)]))
        if kind == "plant":
            fields["grown"] = draw(st.integers(0, 400))
        if kind == "zombie":
            fields["cooldown"] = draw(st.integers(0, 5))
        state = edit.add_creature(state, kind, pos, **fields)
    state = edit.set_inventory(state, **{name: draw(st.integers(0, 9)) for name in ITEMS})
    state = edit.set_vitals(state, hunger=draw(st.integers(0, 25)), thirst=draw(st.integers(0, 20)),
                            fatigue=draw(st.integers(-10, 30)), recover=draw(st.integers(-15, 25)),
                            sleeping=draw(st.booleans()))
    return edit.set_step(state, draw(st.integers(0, 900)))


actions = st.lists(st.integers(0, len(ACTIONS) - 1), min_size=1, max_size=25)


@settings(max_examples=60, deadline=None)
@given(small_worlds(), actions)
def test_step_is_pure_and_keeps_the_world_well_formed(state: WorldState, plan: list[int]) -> None:
    play_checked(state, plan)


@settings(max_examples=40, deadline=None)
@given(small_worlds(), actions)
def test_json_round_trips_exactly(state: WorldState, plan: list[int]) -> None:
    for action in plan:
        state = crafter_oo.step(state, action).state
    text = state.to_json()
    again = WorldState.from_json(text)
    assert again == state
    assert again.to_json() == text
    assert crafter_oo.step(again, 0).state == crafter_oo.step(state, 0).state


def test_equality_sees_every_part_of_the_state() -> None:
    state = edit.blank_world()
    assert state == WorldState.from_json(state.to_json())
    assert state != edit.set_inventory(state, wood=1)
    assert state != edit.place_material(state, (0, 0), "water")
    assert state != edit.add_creature(state, "cow", (0, 0))
    assert state != edit.reseed(state, 1)
    assert state != edit.set_step(state, 5)


@pytest.mark.parametrize("corrupt, message", [
    (lambda d: d.pop("rng"), r"state\.rng: missing"),
    (lambda d: d.update(format="other/9"), "format: expected"),
    (lambda d: d["objects"]["1"]["inventory"].pop("wood"), "inventory: expected exactly"),
    (lambda d: d["objects"]["1"].update(pos=[1]), r"objects\.1\.pos: expected a pair"),
    (lambda d: d.update(map=d["map"][:-1]), "map: expected 9 strings"),
    (lambda d: d["map"].__setitem__(0, "X" * 9), "unknown material character 'X'"),
    (lambda d: d["objects"].update({"2": {"kind": "dragon", "pos": [0, 0], "health": 1}}),
     r"objects\.2\.kind: expected one of"),
])
def test_corrupt_json_names_the_field(corrupt, message: str) -> None:
    data = edit.blank_world().to_dict()
    corrupt(data)
    with pytest.raises(StateFormatError, match=message):
        WorldState.from_dict(data)


def test_invalid_json_text_is_a_clear_error() -> None:
    with pytest.raises(StateFormatError, match="not valid JSON"):
        WorldState.from_json("{not json")


@settings(max_examples=80, deadline=None)
@given(small_worlds(), actions, st.sampled_from(sorted(STATE_CHANGES)))
def test_an_invalid_state_is_refused_by_from_json_naming_the_field(state: WorldState, plan: list[int],
                                                                   change: str) -> None:
    """Whatever the world and the moment, one bad field is refused when the state is read
    (never later by ``step``), and the error names that field."""
    for action in plan:
        state = crafter_oo.step(state, action).state
    data = json.loads(state.to_json())
    corrupt, field_name = STATE_CHANGES[change]
    assume(len(data["objects"]) > 1 or "creature" not in change and "object on" not in change)
    corrupt(data)
    with pytest.raises(StateFormatError, match=re.escape(field_name)):
        WorldState.from_json(json.dumps(data))
