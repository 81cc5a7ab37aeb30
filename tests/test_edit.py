"""Editing helpers: each edit returns a new state and rejects impossible ones clearly."""

from __future__ import annotations

import pytest

import crafter_oo
from crafter_oo import edit
from crafter_oo.edit import EditError


def test_edits_return_new_states_and_leave_the_input_alone() -> None:
    state = edit.blank_world(area=(9, 9), player_pos=(5, 5))
    before = state.to_json()
    cow_world = edit.add_creature(state, "cow", (6, 5))
    assert state.to_json() == before
    assert cow_world.objects[2].kind == "cow" and cow_world.next_id == 3
    assert edit.remove_creature(cow_world, 2).objects == state.objects
    assert edit.place_material(state, (6, 5), "tree").material((6, 5)) == "tree"
    assert edit.set_inventory(state, wood=3).player.inventory["wood"] == 3
    assert edit.move_player(state, (1, 2), facing=(0, -1)).player.pos == (1, 2)
    assert edit.set_vitals(state, hunger=12.5, sleeping=True).player.hunger == 12.5
    assert edit.set_step(state, 200).daylight < 0.5


def test_a_new_creature_registers_its_chunk_like_the_game() -> None:
    state = edit.blank_world(area=(30, 30), player_pos=(1, 1))
    assert state.chunks == ((0, 12, 0, 12),)
    state = edit.add_creature(state, "zombie", (25, 13))
    assert state.chunks == ((0, 12, 0, 12), (24, 30, 12, 24))


@pytest.mark.parametrize("make_edit, message", [
    (lambda s: edit.add_creature(s, "cow", (5, 5)), "already holds object 1"),
    (lambda s: edit.add_creature(s, "cow", (9, 0)), "off the 9x9 map"),
    (lambda s: edit.add_creature(s, "dragon", (1, 1)), "unknown creature kind"),
    (lambda s: edit.add_creature(s, "arrow", (1, 1)), "needs a facing"),
    (lambda s: edit.add_creature(s, "cow", (1, 1), reload=2), "bad fields for a cow"),
    (lambda s: edit.remove_creature(s, 1), "cannot be removed"),
    (lambda s: edit.remove_creature(s, 7), "no object with id 7"),
    (lambda s: edit.set_inventory(s, wood=10), r"wood must be an integer in 0\.\.9"),
    (lambda s: edit.set_inventory(s, gold=1), "unknown item 'gold'"),
    (lambda s: edit.place_material(s, (-1, 0), "stone"), "off the 9x9 map"),
    (lambda s: edit.place_material(s, (0, 0), "gold"), "unknown material 'gold'"),
    (lambda s: edit.move_player(s, (2, 2), facing=(1, 1)), "facing must be one of"),
    (lambda s: edit.set_step(s, -3), "non-negative"),
])
def test_impossible_edits_are_rejected(make_edit, message: str) -> None:
    with pytest.raises(EditError, match=message):
        make_edit(edit.blank_world(area=(9, 9), player_pos=(5, 5)))


def test_a_scenario_built_by_editing_plays_out_as_expected() -> None:
    state = edit.blank_world(area=(9, 9), player_pos=(5, 5), facing=(1, 0))
    state = edit.set_inventory(edit.place_material(state, (6, 5), "table"), wood=1)
    after = crafter_oo.step(state, "make_wood_pickaxe")
    assert after.state.player.inventory["wood_pickaxe"] == 1
    assert after.state.player.inventory["wood"] == 0
    assert after.reward == 1.0 and "make_wood_pickaxe" in after.state.unlocked
