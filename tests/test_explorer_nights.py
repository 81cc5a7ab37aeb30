"""The night's skills and drives: rooms left by a solid wall the player can open beside them,
the dusk noticed from the light alone, and the lowest unmet need sought first."""

from __future__ import annotations

import numpy as np

from crafter_oo import edit
from crafter_oo.geometry import Room
from onelife.explorer import LearningPolicy
from onelife.explorer.harm import SHADE_EVIDENCE, HarmModel
from onelife.explorer.navigation import Routes
from onelife.explorer.perception import perceive
from onelife.explorer.shelter import Site, candidate_rooms, exit_action

from explorer_lessons import teach

SIZE = 9


def _site(walls: dict[tuple[int, int], str]) -> Site:
    """A 9 x 9 field of floor with walls: ``"fixed"`` (a wall it can neither open nor
    replace) or ``"tree"`` (solid, and it can open it)."""
    wall = np.zeros((SIZE, SIZE), dtype=bool)
    openable = np.zeros((SIZE, SIZE), dtype=bool)
    for (x, y), kind in walls.items():
        wall[x, y] = True
        openable[x, y] = kind == "tree"
    floor = ~wall
    return Site((0, 0), wall, floor, np.zeros_like(wall), openable, wall.copy(), wall & openable)


def _walled_room(way_out: str) -> tuple[Room, Site]:
    """The room (3, 4)-(4, 4), closed all round; its top side (3, 3) is ``way_out``."""
    room = Room.along((3, 4), (1, 0), 2)
    walls = {side: "fixed" for side in room.sides}
    walls[(3, 3)] = way_out
    return room, _site(walls)


def test_from_inside_it_turns_toward_a_solid_wall_it_can_open_and_opens_it() -> None:
    room, site = _walled_room("tree")
    assert site.is_closed(room, (3, 4))
    assert exit_action(site, room, (3, 4), (1, 0)) == "move_up"  # solid: the move only turns it
    assert exit_action(site, room, (3, 4), (0, -1)) == "do"
    fixed_room, fixed_site = _walled_room("fixed")
    assert exit_action(fixed_site, fixed_room, (3, 4), (0, -1)) is None  # no way out at all


def test_a_room_whose_only_way_out_is_a_tree_beside_it_is_a_candidate() -> None:
    """Two cells with every side a wall: found when one side is a tree it can open, not when
    every wall is one it cannot open (closed in for good, it would be a trap)."""
    for way_out, found in (("tree", True), ("fixed", False)):
        room, site = _walled_room(way_out)
        routes = Routes(site.floor, (0, 0), (3, 4), (1, 0))
        rooms = [r for _, r in candidate_rooms(site, routes, blocks=0, radius=10, opens_after_blocking=False,
                                                gain_per_opening=0)]
        assert (room in rooms) == found


def test_the_dusk_is_noticed_two_shades_below_the_brightest_light_lived_in() -> None:
    harm = HarmModel()
    assert not harm.dusk(0.1)  # nothing lived through yet: nothing to compare with
    bright = perceive(edit.blank_world((9, 9), player_pos=(4, 4)))
    for _ in range(SHADE_EVIDENCE):
        harm.observe(bright, bright)
    brightest = int(bright.daylight * 10) / 10
    assert not harm.dusk(brightest - 0.05)
    assert harm.dusk(brightest - 0.15)


def test_the_lowest_need_with_no_known_remedy_is_the_one_sought() -> None:
    """Hungry and tired, with no remedy known for either: it goes looking for food (the
    lower), not for a way to rest."""
    world = edit.set_inventory(edit.blank_world((9, 9), player_pos=(4, 4)), food=1, energy=2)
    policy = LearningPolicy()
    policy(world, np.random.default_rng(0))
    assert policy.seeking == "food"


def test_at_night_a_far_hostile_does_not_stop_it_gathering_the_makings_of_walls() -> None:
    """Taught that a table (two wood) is a wall, that trees give wood and that zombies bite, at
    night with no wood and no room to be had, it goes for a tree while the zombie in view is
    still far off."""
    policy = LearningPolicy()
    field = edit.blank_world((9, 9), player_pos=(4, 4), facing=(1, 0))
    for wood in (1, 2, 3):
        teach(policy.knowledge, edit.set_inventory(field, wood=wood), "place_table")
    for k in range(3):
        teach(policy.knowledge, edit.set_inventory(edit.place_material(field, (5, 4), "tree"), wood=k), "do")
    bitten = teach(policy.knowledge, edit.add_creature(field, "zombie", (4, 5)), "noop")
    assert bitten.player.health < field.player.health and "zombie" in policy.knowledge.hostile()
    world = edit.blank_world((20, 20), player_pos=(10, 10), facing=(0, 1), length=10000)
    world = edit.add_creature(edit.place_material(world, (10, 12), "tree"), "zombie", (14, 12))
    policy.nights.night_from = 0.9  # as if the dark had been judged dangerous
    policy(edit.set_step(world, 150), np.random.default_rng(0))
    assert policy.why.startswith("gathering wood for walls"), policy.why
