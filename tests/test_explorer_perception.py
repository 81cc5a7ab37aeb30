"""The explorer's perception shows what the game's screen shows, and nothing else: the 9 x 7
cells around the player, the creatures in them (an arrow's direction, a plant's ripeness),
the player's own position, facing, inventory, sleep, the daylight and its step count; not
the hidden counters, creature health, cooldowns, reloads, achievements, the random generator,
nor anything outside the view."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from crafter_oo import edit
from crafter_oo.game import new_game
from crafter_oo.state import WorldState
from onelife.explorer.perception import OUTSIDE, Observation, perceive

FIELDS = {"step", "daylight", "pos", "facing", "sleeping", "inventory", "corner", "materials", "creatures"}


def _same(a: Observation, b: Observation) -> bool:
    return all(np.array_equal(getattr(a, f), getattr(b, f)) if f == "materials" else getattr(a, f) == getattr(b, f)
               for f in FIELDS)


def test_an_observation_holds_only_what_the_screen_shows() -> None:
    assert {f.name for f in dataclasses.fields(Observation)} == FIELDS


def test_the_view_is_nine_by_seven_around_the_player_and_blank_beyond_the_edge() -> None:
    world = edit.blank_world((20, 20), player_pos=(1, 10))
    obs = perceive(world)
    assert obs.materials.shape == (9, 7)
    assert obs.corner == (1 - 4, 10 - 3)
    assert (obs.materials[:3] == OUTSIDE).all() and (obs.materials[3:] != OUTSIDE).all()
    assert obs.thing((-1, 10)) == "outside" and obs.thing((2, 10)) == "grass"


def test_arrows_show_their_direction_and_plants_their_ripeness() -> None:
    world = edit.blank_world((9, 9), player_pos=(4, 4))
    world = edit.add_creature(world, "arrow", (5, 4), facing=(1, 0))
    world = edit.add_creature(world, "plant", (3, 4), grown=400)
    world = edit.add_creature(world, "plant", (4, 3), grown=10)
    obs = perceive(world)
    assert obs.creature_at((5, 4)).facing == (1, 0)
    assert obs.thing((3, 4)) == "ripe plant" and obs.thing((4, 3)) == "plant"


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**16), st.floats(0, 30), st.integers(0, 9), st.booleans())
def test_hidden_fields_and_far_cells_do_not_show(seed: int, counter: float, health: int, ripe: bool) -> None:
    world = new_game(seed % 8)
    x, y = world.player.pos
    shown = perceive(world)
    hidden = edit.set_vitals(world, hunger=counter, thirst=counter, fatigue=-counter, recover=counter)
    hidden = edit.set_achievements(hidden, collect_wood=3, wake_up=1)
    hidden = edit.reseed(hidden, seed)
    hidden = dataclasses.replace(hidden, unlocked=frozenset({"collect_wood"}))
    far = (x + 5, y)  # just outside the 9-wide view
    hidden = edit.place_material(hidden, far, "lava")
    if hidden.object_at((x, y + 4)) is None:
        hidden = edit.add_creature(hidden, "zombie", (x, y + 4), health=health, cooldown=3)
    for oid, creature in list(hidden.creatures()):
        if creature.kind in ("zombie", "cow", "skeleton") and abs(creature.pos[0] - x) <= 4 and abs(creature.pos[1] - y) <= 3:
            objects = dict(hidden.objects)
            objects[oid] = dataclasses.replace(creature, health=health)
            hidden = dataclasses.replace(hidden, objects=objects)
    assert _same(shown, perceive(hidden))


def test_the_player_sees_its_own_status() -> None:
    world = edit.set_step(edit.set_inventory(edit.blank_world((9, 9), player_pos=(4, 4), facing=(0, -1)),
                                             food=3, wood=2), 200)
    world = edit.set_vitals(world, sleeping=True)
    obs = perceive(world)
    assert (obs.pos, obs.facing, obs.sleeping, obs.step) == ((4, 4), (0, -1), True, 200)
    assert obs.inventory["food"] == 3 and obs.inventory["wood"] == 2 and obs.daylight < 0.5
    assert isinstance(world, WorldState)
