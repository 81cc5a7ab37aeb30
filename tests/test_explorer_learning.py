"""What the explorer learns from transitions of the real game, built by hand with
``crafter_oo.edit``: the preconditions of effects (from successes and failures), chance
outcomes, which floors are proven and which materials are walls, what hurts it and what
makes the things that do."""

from __future__ import annotations

from crafter_oo import edit
from onelife.explorer.curiosity import holdings_signature
from onelife.explorer.effects import Condition
from onelife.explorer.knowledge import Knowledge
from onelife.explorer.perception import perceive

from explorer_lessons import show, teach

FIELD = edit.blank_world((9, 9), player_pos=(4, 4), facing=(1, 0))  # facing grass at (5, 4)


def _required(knowledge: Knowledge, action: str, component: tuple[str, str]) -> list[Condition]:
    ways = [h for e, h in knowledge.effects.ways(component) if e.action == action]
    assert len(ways) == 1, ways
    return ways[0].required


def test_it_infers_that_a_table_needs_two_wood_from_a_failure_at_one_and_a_success_at_two() -> None:
    knowledge = Knowledge()
    teach(knowledge, edit.set_inventory(FIELD, wood=1), "place_table")
    teach(knowledge, edit.set_inventory(FIELD, wood=2), "place_table")
    assert Condition("at_least", "wood", 2) in _required(knowledge, "place_table", ("cell", "table"))
    line = next(line for line in knowledge.effects.describe() if line.startswith("place_table"))
    assert "needs wood>=2" in line and "faced cell becomes table" in line and "wood -2" in line


def test_it_learns_that_crafting_needs_a_table_near() -> None:
    knowledge = Knowledge()
    by_table = edit.set_inventory(edit.place_material(FIELD, (3, 3), "table"), wood=1)
    for k in range(5):  # successes by the table (other things held), failures away from it; three of
        # each would not do: a station is presumed rarely to matter, so it takes more evidence
        teach(knowledge, edit.set_inventory(by_table, sapling=k), "make_wood_pickaxe")
        teach(knowledge, edit.set_inventory(FIELD, wood=1 + k), "make_wood_pickaxe")
    required = _required(knowledge, "make_wood_pickaxe", ("+", "wood_pickaxe"))
    assert any(c.kind == "near" and c.subject == "table" and c.value >= 1 for c in required)
    assert not any(c.kind == "at_least" and c.subject == "sapling" for c in required)


def test_it_learns_that_stone_needs_a_pickaxe_and_what_stone_becomes() -> None:
    knowledge = Knowledge()
    rock = edit.place_material(FIELD, (5, 4), "stone")
    for k in range(3):
        teach(knowledge, edit.set_inventory(rock, wood_pickaxe=1, wood=k), "do")
        teach(knowledge, edit.set_inventory(rock, wood=k), "do")
    ways = knowledge.effects.ways(("+", "stone"))
    assert len(ways) == 1
    effect, hypothesis = ways[0]
    assert ("cell", "path") in effect.components
    assert Condition("at_least", "wood_pickaxe", 1) in hypothesis.required
    assert hypothesis.chance == 1.0


def test_a_chance_outcome_is_measured_not_explained_away() -> None:
    knowledge = Knowledge()
    outcomes = []
    for k in range(40):  # do on grass: the same context gives a sapling sometimes
        after = teach(knowledge, edit.reseed(FIELD, k), "do")
        outcomes.append(after.player.inventory["sapling"])
        knowledge.curiosity.count("do", "grass", holdings_signature(perceive(FIELD).inventory, 9), frozenset(),
                                  done=bool(outcomes[-1]))
    assert 0 < sum(outcomes) < len(outcomes)
    (effect, hypothesis), = knowledge.effects.ways(("+", "sapling"))
    assert 0 < hypothesis.chance < 1  # measured, not explained away by some held amount or distance
    assert hypothesis.required == []  # every attempt faced grass, so nothing separates them
    assert Condition("target", "", targets=frozenset({"grass"})) in hypothesis.conditions
    assert knowledge.curiosity.is_random("do", "grass", frozenset())


def test_a_gain_that_could_not_show_is_no_evidence_against_it() -> None:
    knowledge = Knowledge()
    wet = edit.place_material(FIELD, (5, 4), "water")
    for drink in (3, 9, 9, 9, 5):
        teach(knowledge, edit.set_inventory(wet, drink=drink), "do")
    (_, hypothesis), = knowledge.effects.ways(("+", "drink"))
    assert hypothesis.chance == 1.0  # the three tries at a full drink do not count as failures


def test_floors_are_proven_by_what_walks_on_them_and_walls_by_what_never_does() -> None:
    knowledge = Knowledge()
    world = edit.place_material(edit.place_material(FIELD, (2, 2), "sand"), (6, 6), "lava")
    world = edit.place_material(world, (6, 2), "tree")
    show(knowledge, world)
    floors = {name for name in ("grass", "sand", "lava", "tree") if _id(name) in knowledge.passability.floors()}
    assert floors == {"grass"}  # the player stands on grass; nothing was seen on sand, lava or a tree
    show(knowledge, edit.add_creature(world, "cow", (2, 2)))  # a cow on the sand ...
    assert _id("sand") not in knowledge.passability.floors()  # ... proves nothing while cows are not seen to walk
    grazing = [edit.add_creature(world, "cow", (7, y)) for y in (7, 7, 6, 6, 5, 5, 4)]  # stands and steps, 3 each
    show(knowledge, *grazing)
    assert knowledge.passability.walkers() == ("cow",)
    assert _id("sand") in knowledge.passability.floors() and _id("lava") not in knowledge.passability.floors()
    assert _id("tree") in knowledge.passability.cover() and _id("grass") not in knowledge.passability.cover()


def test_it_learns_which_kind_hurts_it_and_which_kind_shoots() -> None:
    knowledge = Knowledge()
    world = edit.blank_world((15, 15), player_pos=(7, 7))
    calm = [edit.add_creature(world, "cow", (8, 7))] * 40
    hits = []
    for k in range(3):  # a zombie beside it, then a blow
        beside = edit.add_creature(world, "zombie", (7, 8))
        hits += [beside, edit.set_inventory(beside, health=8 - k)]
    show(knowledge, *calm, *hits)
    assert "zombie" in knowledge.harm.hostile_kinds() and "cow" not in knowledge.harm.hostile_kinds()
    shooter = edit.add_creature(world, "skeleton", (10, 7))
    shots = []
    for _ in range(3):  # an arrow appears beside the skeleton, again and again
        shots += [shooter, edit.add_creature(shooter, "arrow", (9, 7), facing=(-1, 0))]
    show(knowledge, *shots)
    assert knowledge.harm.source("arrow") == "skeleton"


def _id(name: str) -> int:
    from crafter_oo.rules import MATERIALS
    return MATERIALS.index(name)


def test_what_it_mines_is_presumed_solid_and_what_does_nothing_when_hit_is_not() -> None:
    knowledge = Knowledge()
    rock = edit.place_material(FIELD, (5, 4), "stone")
    teach(knowledge, edit.set_inventory(rock, wood_pickaxe=1), "do")  # stone gives stone, the cell becomes path
    teach(knowledge, edit.place_material(FIELD, (5, 4), "lava"), "do")  # lava: nothing happens
    assert _id("stone") in knowledge.solid()  # it may turn toward stone by walking against it
    assert _id("lava") not in knowledge.solid()  # never walked against: nothing says it would not be entered
    assert _id("path") not in knowledge.solid() and _id("grass") not in knowledge.solid()
