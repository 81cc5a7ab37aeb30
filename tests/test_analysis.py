"""What a life's transitions say: the cause of death, the mechanics at work, the record."""

from __future__ import annotations

import crafter_oo
from crafter_oo import edit
from onelife.analysis import cause_of_death, life_record, mechanics
from onelife.explore import explore

LIFE = explore(5, 60, "random")


def test_cause_of_death_in_crafter_terms() -> None:
    world = edit.set_inventory(edit.blank_world((9, 9), player_pos=(4, 4)), health=1)
    assert cause_of_death(world, "noop", crafter_oo.step(world, "noop").state) == "alive"

    lava = edit.place_material(world, (3, 4), "lava")
    assert cause_of_death(lava, "move_left", crafter_oo.step(lava, "move_left").state) == "lava"

    zombie = edit.add_creature(world, "zombie", (4, 5))
    assert cause_of_death(zombie, "noop", crafter_oo.step(zombie, "noop").state) == "zombie"

    arrow = edit.add_creature(world, "arrow", (4, 5), facing=(0, -1))
    assert cause_of_death(arrow, "noop", crafter_oo.step(arrow, "noop").state) == "arrow (skeleton)"

    starving = edit.set_vitals(edit.set_inventory(world, food=0), recover=-15)
    assert cause_of_death(starving, "noop", crafter_oo.step(starving, "noop").state) == "starvation"


def test_mechanics_name_what_happened() -> None:
    world = edit.blank_world((9, 9), player_pos=(4, 4), facing=(1, 0))
    seen = mechanics(world, "do", crafter_oo.step(world, "do").state)
    assert seen["sapling_attempt"] == 1
    cow = edit.add_creature(world, "cow", (5, 4))
    seen = mechanics(cow, "do", crafter_oo.step(cow, "do").state)
    assert seen["hit_cow"] == 1 and seen["cow_turn"] == 1 and "sapling_attempt" not in seen
    assert mechanics(world, "make_wood_pickaxe", crafter_oo.step(world, "make_wood_pickaxe").state)[
        "failed_make_wood_pickaxe"] == 1
    wooded = edit.set_inventory(world, wood=2)
    assert mechanics(wooded, "place_table", crafter_oo.step(wooded, "place_table").state)["place_table"] == 1


def test_metadata_summarises_the_life() -> None:
    meta = life_record(LIFE)
    assert meta["steps_survived"] == len(LIFE.actions) <= 60
    assert meta["cause_of_death"] == ("alive" if LIFE.states[-1].player.health > 0 else meta["cause_of_death"])
    assert set(meta["achievements"]) == {a for a, n in LIFE.states[-1].player.achievements.items() if n}
    assert "cow_turn" in meta["mechanics_seen"]
