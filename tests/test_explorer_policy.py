"""The learning explorer's decisions, in small worlds built with ``crafter_oo.edit``: a life
is reproducible, it never walks onto a floor it has not seen walked on, it drinks when
thirsty once it learned how, it closes a room around itself at night with walls it learned
to make, and the route and shelter helpers it decides with."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import crafter_oo
from crafter_oo import edit
from crafter_oo.geometry import Room
from crafter_oo.rules import MATERIALS
from crafter_oo.state import WorldState
from onelife.explore import explore
from onelife.explorer import LearningPolicy
from onelife.explorer.navigation import Routes
from onelife.explorer.shelter import WINDOW

from explorer_lessons import teach

W = edit.blank_world((9, 9), player_pos=(4, 4), facing=(1, 0))  # a lesson's field, facing grass at (5, 4)


def _lesson(policy: LearningPolicy, state: WorldState, action: str) -> WorldState:
    return teach(policy.knowledge, state, action)


def _live(policy: LearningPolicy, state: WorldState, steps: int, seed: int = 0) -> list[WorldState]:
    rng = np.random.default_rng(seed)
    states = [state]
    for _ in range(steps):
        state = crafter_oo.step(state, policy(state, rng)).state
        states.append(state)
        if state.player.health <= 0:
            break
    return states


def test_a_learning_life_is_reproducible_from_its_seed() -> None:
    first, second = explore(3, steps=150), explore(3, steps=150)
    assert first.policy == "learning"
    assert first.actions == second.actions and first.states[-1] == second.states[-1]
    assert explore(4, steps=150).actions != first.actions


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 2**16), st.sampled_from(["lava", "water", "sand"]))
def test_it_never_steps_onto_a_floor_nothing_was_seen_on(seed: int, unknown: str) -> None:
    """A field with patches of a material no creature ever stands on: walking there is never
    tried (lava would kill it; water and sand are as unproven to it)."""
    rng = np.random.default_rng(seed)
    world = edit.blank_world((16, 16), player_pos=(8, 8), seed=seed)
    for x, y in rng.integers(0, 16, size=(40, 2)).tolist():
        if (x, y) != (8, 8):
            world = edit.place_material(world, (x, y), unknown)
    banned = MATERIALS.index(unknown)
    for state in _live(LearningPolicy(), world, 120, seed):
        x, y = state.player.pos
        assert state.materials[x, y] != banned


def test_once_it_learned_water_quenches_thirst_it_drinks_when_thirsty() -> None:
    policy = LearningPolicy()
    wet = edit.place_material(W, (5, 4), "water")
    for drink in (3, 5, 6):
        _lesson(policy, edit.set_inventory(wet, drink=drink), "do")
    world = edit.blank_world((16, 16), player_pos=(8, 8), facing=(0, 1))
    world = edit.place_material(world, (11, 8), "water")
    world = edit.set_inventory(world, drink=2)
    states = _live(policy, world, 12)
    assert max(s.player.inventory["drink"] for s in states) > 2


def _builder() -> LearningPolicy:
    """Taught: a table needs two wood, stone can be placed and mined with a wooden pickaxe,
    trees give wood, zombies walk on grass and path, sleeping when tired."""
    policy = LearningPolicy()
    for wood in (1, 2, 3):
        _lesson(policy, edit.set_inventory(W, wood=wood), "place_table")
    rock = edit.place_material(W, (5, 4), "stone")
    for k in range(3):
        _lesson(policy, edit.set_inventory(W, stone=2 + k), "place_stone")
        _lesson(policy, edit.set_inventory(rock, wood_pickaxe=1, stone=k), "do")
        _lesson(policy, rock, "do")
        _lesson(policy, edit.set_inventory(edit.place_material(W, (5, 4), "tree"), wood=k), "do")
    walker = edit.add_creature(edit.place_material(W, (1, 1), "path"), "zombie", (1, 1))
    teach(policy.knowledge, walker, "noop")
    _lesson(policy, edit.set_inventory(W, energy=5), "sleep")
    return policy


def test_at_night_it_closes_a_room_around_itself_with_stone_and_sleeps() -> None:
    policy = _builder()
    world = edit.blank_world((20, 20), player_pos=(10, 10), facing=(0, 1), length=10000)
    for tree in ((3, 3), (12, 9), (8, 14)):
        world = edit.place_material(world, tree, "tree")
    world = edit.set_step(edit.set_inventory(world, stone=6, wood_pickaxe=1, energy=4), 150)
    policy.nights.night_from = 0.9  # as if the dark had been judged dangerous
    states = _live(policy, world, 60)
    asleep = next((s for s in states if s.player.sleeping), None)
    assert asleep is not None, policy.why
    room = policy.nights.room
    assert room is not None and asleep.player.pos in room.cells
    # closed: no walk from the player's cell leaves the room
    grass, path = MATERIALS.index("grass"), MATERIALS.index("path")
    passable = np.isin(asleep.materials, [grass, path])
    x, y = asleep.player.pos
    routes = Routes(passable, (0, 0), (x, y), (0, 1))
    assert all(routes.steps_to(c) is None for c in ((0, 0), (19, 19), (0, 19), (19, 0)))


def test_routes_arrive_facing_their_way_and_turn_toward_blocked_cells() -> None:
    passable = np.ones((5, 5), dtype=bool)
    passable[2, 3] = False  # grid[x, y]: a wall at x=2, y=3
    routes = Routes(passable, (0, 0), (2, 2), (0, -1))
    assert routes.steps_to((2, 2)) == 0 and routes.steps_to((2, 0)) == 2
    assert routes.steps_to((2, 3)) is None
    assert routes.first_move((2, 0)) == "move_up"
    assert routes.first_move((4, 2)) == "move_right"


def test_a_room_along_a_line_holds_its_cells() -> None:
    room = Room.along((3, 3), (1, 0), 2)
    assert (3, 3) in room.cells and (4, 3) in room.cells and len(room.cells) == 2
    assert room.within((3, 3), WINDOW)
