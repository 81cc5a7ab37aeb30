"""crafter_oo against the real game, step for step, random generator included.

Each test runs ``crafter.Env`` (made deterministic, see ``crafter_oo.reference``) and
``crafter_oo`` side by side and requires ``from_crafter(env) == state`` after every step,
every reset and every edit. Coverage counters make sure the rare rules actually ran.
"""

from __future__ import annotations

import collections
from typing import Callable

import crafter
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crafter_oo
from crafter_oo import edit
from crafter_oo.geometry import distance
from crafter_oo.game import new_game
from crafter_oo.reference import DeterministicCrafter, make_deterministic
from crafter_oo.rules import ACTIONS, MOVE_DIRECTION
from crafter_oo.state import WorldState

ActionChooser = Callable[[np.random.RandomState, WorldState], int]
ACTION = {name: i for i, name in enumerate(ACTIONS)}


def natural_policy(rng: np.random.RandomState, state: WorldState) -> int:
    """Mostly moving and interacting, like a curious random agent."""
    u = rng.random_sample()
    if u < 0.56:
        return int(rng.randint(1, 5))
    if u < 0.78:
        return ACTION["do"]
    return int(rng.randint(0, len(ACTIONS)))


def biased_policy(rng: np.random.RandomState, state: WorldState) -> int:
    """Fights and eats what is adjacent, sleeps at night, and often crafts and places."""
    player = state.player
    for oid, creature in state.creatures():
        if creature.kind != "arrow" and distance(creature.pos, player.pos) == 1:
            offset = (creature.pos[0] - player.pos[0], creature.pos[1] - player.pos[1])
            if offset == player.facing:
                return ACTION["do"]
            return ACTION[next(a for a, d in MOVE_DIRECTION.items() if d == offset)]
    u = rng.random_sample()
    if state.daylight < 0.3 and player.inventory["energy"] < 9 and u < 0.5:
        return ACTION["sleep"]
    if u < 0.25:
        return ACTION["do"]
    if u < 0.45:
        return int(rng.randint(ACTION["place_stone"], ACTION["place_plant"] + 1))
    if u < 0.7:
        return int(rng.randint(ACTION["make_wood_pickaxe"], len(ACTIONS)))
    return int(rng.randint(1, 5))


Restart = Callable[[crafter.Env, WorldState], tuple[crafter.Env, WorldState]]


def next_episode(env: crafter.Env, state: WorldState) -> tuple[crafter.Env, WorldState]:
    """Reset both games, checking that the new worlds agree."""
    env.reset()
    state = new_game(state.seed, state.episode + 1, state.config.area, state.config.view,
                     state.config.size, state.config.length)
    assert crafter_oo.from_crafter(env) == state, "new episode differs"
    return env, state


def run_side_by_side(env: crafter.Env, state: WorldState, policy: ActionChooser, steps: int,
                     seed: int, coverage: collections.Counter,
                     restart: Restart = next_episode) -> None:
    """Step both games with the same actions, restarting both on ``done``."""
    assert crafter_oo.from_crafter(env) == state
    rng = np.random.RandomState(seed)
    for t in range(steps):
        action = policy(rng, state)
        _, reward, done, info = env.step(action)
        result = crafter_oo.step(state, action)
        reference = crafter_oo.from_crafter(env)
        assert reference == result.state, (
            f"diverged at step {t + 1} (action {ACTIONS[action]}): "
            + "; ".join(reference.differences(result.state)))
        assert (result.reward, result.done) == (reward, done)
        assert result.info["inventory"] == info["inventory"]
        assert result.info["achievements"] == info["achievements"]
        _count(coverage, state, result.state, action)
        state = result.state
        if done:
            coverage["episodes ended"] += 1
            coverage["deaths"] += state.player.health <= 0
            env, state = restart(env, state)


def _count(coverage: collections.Counter, before: WorldState, after: WorldState, action: int) -> None:
    coverage["night steps"] += after.daylight < 0.5
    born = [after.objects[oid].kind for oid in range(before.next_id, after.next_id)
            if oid in after.objects]
    gone = [obj.kind for oid, obj in before.objects.items() if oid not in after.objects]
    for kind in born:
        coverage[f"born {kind}"] += 1
    for kind in gone:
        coverage[f"gone {kind}"] += 1
    if not np.array_equal(before.materials, after.materials):
        coverage["tile changes"] += 1
    for name, count in after.player.achievements.items():
        if count > before.player.achievements[name]:
            coverage[name] += 1
    if after.player.sleeping:
        coverage["sleeping steps"] += 1
    if after.player.health < before.player.health:
        coverage["player hurt"] += 1


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_natural_play_matches_reference(seed: int) -> None:
    env = DeterministicCrafter(seed=seed)
    env.reset()
    coverage: collections.Counter = collections.Counter()
    run_side_by_side(env, new_game(seed), natural_policy, 1500, seed, coverage)
    assert coverage["episodes ended"] >= 1 and coverage["deaths"] >= 1
    assert coverage["night steps"] > 0
    assert coverage["born zombie"] + coverage["born cow"] + coverage["born skeleton"] > 0
    assert coverage["gone zombie"] + coverage["gone cow"] > 0
    assert coverage["collect_wood"] + coverage["collect_sapling"] > 0


def rich_start(seed: int, episode: int = 1) -> WorldState:
    """A generated world, edited so crafting, placing, fighting and eating all happen soon."""
    state = new_game(seed, episode)
    px, py = state.player.pos
    for dx in range(-4, 5):
        for dy in range(-4, 5):
            pos = (px + dx, py + dy)
            if state.object_at(pos) is not None and pos != (px, py):
                state = edit.remove_creature(state, state.object_at(pos))
            state = edit.place_material(state, pos, "grass")
    state = edit.set_inventory(state, wood=9, stone=9, coal=3, iron=3, sapling=5, energy=6)
    state = edit.place_material(state, (px - 1, py - 1), "table")
    state = edit.place_material(state, (px + 1, py - 1), "furnace")
    state = edit.place_material(state, (px + 2, py + 2), "tree")
    state = edit.place_material(state, (px - 2, py + 2), "water")
    state = edit.add_creature(state, "plant", (px, py + 1), grown=280)
    state = edit.add_creature(state, "cow", (px + 1, py))
    state = edit.add_creature(state, "zombie", (px - 3, py))
    for dx in range(3, 5):
        state = edit.place_material(state, (px + dx, py + 3), "path")
    state = edit.add_creature(state, "skeleton", (px + 4, py + 3))
    return edit.set_step(state, 140)


def rich_restart(env: crafter.Env, state: WorldState) -> tuple[crafter.Env, WorldState]:
    """Start the next episode from an enriched world in both games."""
    state = rich_start(state.seed, state.episode + 1)
    return make_deterministic(crafter_oo.to_crafter(state)), state


@pytest.mark.parametrize("seed", [5, 6])
def test_biased_play_exercises_rare_rules(seed: int) -> None:
    state = rich_start(seed)
    env = make_deterministic(crafter_oo.to_crafter(state))
    coverage: collections.Counter = collections.Counter()
    run_side_by_side(env, state, biased_policy, 1500, seed, coverage, restart=rich_restart)
    for events in (("make_wood_pickaxe", "make_wood_sword"), ("make_stone_pickaxe", "make_stone_sword"),
                   ("make_iron_pickaxe", "make_iron_sword"), ("place_table",), ("place_furnace",),
                   ("place_stone",), ("place_plant",), ("eat_plant",), ("eat_cow",),
                   ("defeat_zombie",), ("wake_up",), ("sleeping steps",), ("tile changes",),
                   ("born arrow",), ("player hurt",), ("collect_wood", "collect_drink")):
        assert sum(coverage[event] for event in events) > 0, f"none of {events} happened: {dict(coverage)}"


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31 - 2), st.integers(0, 899),
       st.lists(st.tuples(st.integers(0, len(ACTIONS) - 1), st.integers(0, len(ACTIONS) - 1)),
                min_size=1, max_size=40))
def test_steps_and_their_generator_match_the_reference_and_leave_the_input_untouched(
        seed: int, start: int, plan: list[tuple[int, int]]) -> None:
    """Random actions from a generated world at any hour: after each step the state, whose
    generator ours copies as raw memory, equals the reference's, which numpy's
    ``get_state``/``set_state`` read; a detour step from the same state first (which leaves
    the thread's generator elsewhere) changes neither the input nor the result."""
    state = edit.set_step(new_game(seed), start)
    env = make_deterministic(crafter_oo.to_crafter(state))
    for action, detour in plan:
        before = state.to_json()
        crafter_oo.step(state, detour)
        result = crafter_oo.step(state, action)
        assert state.to_json() == before, "step changed its input"
        env.step(action)
        reference = crafter_oo.from_crafter(env)
        assert reference == result.state, "; ".join(reference.differences(result.state))
        state = result.state


def test_state_round_trips_through_the_reference() -> None:
    state = rich_start(7)
    assert crafter_oo.from_crafter(crafter_oo.to_crafter(state)) == state


def test_unknown_action_is_rejected_with_the_valid_ones_named() -> None:
    state = edit.blank_world()
    for bad in (17, -1, "jump", 2.0, None, True):
        with pytest.raises(ValueError, match="valid actions are 0=noop"):
            crafter_oo.step(state, bad)
    assert crafter_oo.step(state, "move_left").state == crafter_oo.step(state, 1).state
    assert crafter_oo.step(state, np.int64(1)).state == crafter_oo.step(state, 1).state


@pytest.mark.parametrize("player_pos, crafts", [((0, 2), False), ((2, 0), False),
                                                ((1, 1), True), ((5, 4), True)])
def test_crafting_fails_on_the_first_row_and_column_like_the_reference(
        player_pos: tuple[int, int], crafts: bool) -> None:
    state = edit.blank_world(area=(6, 5), player_pos=player_pos)
    table = (player_pos[0] + (1 if player_pos[0] < 5 else -1), player_pos[1])
    state = edit.set_inventory(edit.place_material(state, table, "table"), wood=1)
    ours = crafter_oo.step(state, "make_wood_pickaxe").state
    env = make_deterministic(crafter_oo.to_crafter(state))
    env.step(ACTION["make_wood_pickaxe"])
    assert crafter_oo.from_crafter(env) == ours
    assert ours.player.inventory["wood_pickaxe"] == int(crafts)
