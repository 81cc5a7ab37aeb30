"""One-life exploration: deterministic, stops at death or the limit, streams its file, and
the curious player's contexts, routes, interest and reflexes (the night shelter among
them) behave as documented."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crafter_oo
from crafter_oo import edit
from crafter_oo.rules import MOVE_DIRECTION, WALKABLE
from crafter_oo.state import WorldState
from crafter_oo.skills import shelter
from crafter_oo.skills.navigation import Reach
from onelife.explore import explore
from onelife.novelty import (
    FRONTIER,
    SHARE,
    NoveltyPolicy,
    chance_spread,
    context,
    holding,
    inventory_signature,
    pair,
)
from crafter_oo.geometry import Room
from onelife.analysis import life_record, mechanic_counts
from onelife.trajectory import Trajectory


def test_a_life_is_reproducible_from_its_seed() -> None:
    first, second = explore(3, 80), explore(3, 80)
    assert first.actions == second.actions
    assert first.states[-1] == second.states[-1]
    assert explore(4, 80).actions != first.actions


@pytest.mark.parametrize("policy", ["random", "novelty"])
def test_a_life_ends_at_death_or_the_step_limit(policy: str) -> None:
    life = explore(0, 150, policy)
    dead = life.states[-1].player.health <= 0
    assert life.ended == ("died" if dead else "step limit")
    assert len(life.actions) == 150 or dead
    assert all(s.player.health > 0 for s in life.states[:-1])


def test_a_callable_policy_is_used_and_named() -> None:
    def stand_still(state: WorldState, rng: np.random.Generator) -> str:
        return "noop"
    life = explore(1, 20, stand_still)
    assert life.actions == ["noop"] * len(life.actions) and life.policy == "stand_still"
    with pytest.raises(ValueError, match="policy must be"):
        explore(1, 20, "greedy")


def test_an_interrupted_run_leaves_a_loadable_file(tmp_path: Path) -> None:
    calls = 0

    def impatient(state: WorldState, rng: np.random.Generator) -> str:
        nonlocal calls
        calls += 1
        if calls == 13:
            raise KeyboardInterrupt
        return "move_left"
    with pytest.raises(KeyboardInterrupt):
        explore(2, 100, impatient, out=tmp_path / "life.jsonl")
    life = Trajectory.load(tmp_path / "life.jsonl")
    assert len(life.actions) == 12 and life.ended is None and "interrupted" in life.note


def test_curiosity_crafts_places_and_fights_in_one_life() -> None:
    life = explore(0, 400)
    occurrences, _ = mechanic_counts(life)
    assert "place_table" in life.achievements
    assert any(name.startswith(("make_", "failed_make_")) for name in occurrences)
    assert occurrences["hit_zombie"] + occurrences["hit_cow"] + occurrences["hit_skeleton"] > 0
    assert occurrences["sapling_attempt"] > 0


def test_the_curious_player_does_more_than_the_random_one() -> None:
    curious, random = explore(0, 300), explore(0, 300, "random")
    assert len(life_record(curious)["mechanics_seen"]) > len(life_record(random)["mechanics_seen"])


def test_contexts_hold_what_the_action_touches() -> None:
    world = edit.blank_world((9, 9), player_pos=(4, 4), facing=(1, 0))
    wooded = edit.set_inventory(world, wood=1)
    assert context(world, "move_left") == context(wooded, "move_left") == ("move_left", "grass")
    assert context(world, "do") != context(wooded, "do")
    assert context(edit.set_inventory(world, wood=2), "do") == context(edit.set_inventory(world, wood=3), "do")
    table = edit.place_material(world, (3, 3), "table")
    assert context(table, "make_wood_sword")[1] == ("table",) and context(world, "make_wood_sword")[1] == ()
    assert context(world, "noop") == ("noop",)


def test_routes_turn_toward_blocked_cells_and_arrive_facing_free_ones() -> None:
    world = edit.place_material(edit.blank_world((9, 9), player_pos=(4, 4), facing=(1, 0)), (6, 4), "tree")
    reach = Reach(world, 5)
    assert reach.nearest("tree") == "move_right"
    assert Reach(edit.move_player(world, (5, 4), facing=(1, 0)), 5).nearest("tree") == "do"
    assert Reach(edit.move_player(world, (5, 4), facing=(0, 1)), 5).things["tree"] == (1, "move_right")
    assert reach.things["grass"] == (0, "noop")
    assert reach.nearest("water") is None


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31 - 1), st.sampled_from([(1, 0), (-1, 0), (0, 1), (0, -1)]))
def test_the_curious_player_never_steps_onto_lava(seed: int, facing: tuple[int, int]) -> None:
    world = edit.blank_world((7, 7), player_pos=(3, 3), facing=facing)
    for pos in [(2, 3), (4, 3), (3, 2)]:
        world = edit.place_material(world, pos, "lava")
    policy, rng = NoveltyPolicy(), np.random.default_rng(seed)
    for _ in range(5):
        assert policy(world, rng) not in ("move_left", "move_right", "move_up")


def test_reflexes_drink_when_thirsty_and_hit_back_zombies() -> None:
    world = edit.place_material(edit.blank_world((9, 9), player_pos=(4, 4), facing=(0, 1)), (6, 4), "water")
    thirsty = edit.set_inventory(world, drink=2)
    rng = np.random.default_rng(0)
    assert NoveltyPolicy()(thirsty, rng) == "move_right"
    assert NoveltyPolicy()(edit.move_player(thirsty, (5, 4), facing=(1, 0)), rng) == "do"
    zombie = edit.add_creature(world, "zombie", (3, 4))
    assert NoveltyPolicy()(zombie, rng) == "move_left"
    assert NoveltyPolicy()(edit.turn_player(zombie, (-1, 0)), rng) == "do"


def test_chores_give_way_to_cheap_experiments_only_when_nothing_presses() -> None:
    # Thirsty but not critically so, water two cells to the right, grass faced below and
    # stone three cells up: the walk to the water waits for a hit on the grass, then for
    # a first hit on the stone; once both are tried, the player goes to drink (water it
    # and the map's edge it has hit before).
    world = edit.place_material(edit.blank_world((9, 9), player_pos=(4, 4), facing=(0, 1)), (6, 4), "water")
    thirsty = edit.set_inventory(edit.place_material(world, (4, 1), "stone"), drink=4)
    rng = np.random.default_rng(0)
    assert NoveltyPolicy()(thirsty, rng) == "do"
    policy = NoveltyPolicy()
    policy.tries[("do", "grass")] = 60  # grass hit long enough for a 1-in-10 outcome to have shown
    policy.tries[("do", "water")] = policy.tries[("do", "edge")] = 1
    assert policy(thirsty, rng) == "move_up"
    policy.tries[("do", "stone")] = 1
    assert policy(thirsty, rng) == "move_right"
    # A zombie close by, or a vital at its critical level: the chore goes first.
    assert NoveltyPolicy()(edit.add_creature(thirsty, "zombie", (2, 4)), rng) == "move_right"
    assert NoveltyPolicy()(edit.set_inventory(thirsty, drink=2), rng) == "move_right"


def _night_in_a_field(seed: int) -> tuple[list[str], list[WorldState], NoveltyPolicy]:
    """A player holding stone and a pickaxe in open grass at dusk, a zombie about, played
    through the night to the next morning."""
    world = edit.blank_world((15, 15), player_pos=(7, 7), length=10000)
    world = edit.add_creature(edit.set_step(edit.set_inventory(world, stone=6, wood_pickaxe=1), 128), "zombie", (1, 1))
    policy, rng, state = NoveltyPolicy(), np.random.default_rng(seed), world
    actions, states = [], [world]
    while state.step < 340:
        action = policy(state, rng)
        state = crafter_oo.step(state, action).state
        actions.append(action)
        states.append(state)
    return actions, states, policy


def test_the_shelter_reflex_encloses_the_player_for_the_night_and_lets_it_out_in_the_morning() -> None:
    actions, states, _ = _night_in_a_field(0)
    night = [s for s in states if 160 <= s.step < 300]
    for state in night:  # the player can walk to at most three cells, and no zombie reaches it
        assert len(_walkable_around(state)) <= 3
        x, y = state.player.pos
        assert all(abs(z.pos[0] - x) + abs(z.pos[1] - y) > 1 for _, z in state.creatures("zombie"))
    assert any(s.player.sleeping for s in night)
    assert sum(1 for s in night for _ in s.creatures("zombie")) > 0  # zombies were there to keep out
    assert min(s.player.health for s in night) == night[0].player.health
    last = states[-1]
    assert any(last.material(_step(last.player.pos, d)) in WALKABLE for d in MOVE_DIRECTION.values())
    assert actions == _night_in_a_field(0)[0]  # the same seed gives the same night


def _step(pos: tuple[int, int], direction: tuple[int, int]) -> tuple[int, int]:
    return pos[0] + direction[0], pos[1] + direction[1]


def _walkable_around(state: WorldState) -> set[tuple[int, int]]:
    """The cells connected to the player's by grass, sand or path (creatures ignored)."""
    region, todo = {state.player.pos}, [state.player.pos]
    while todo and len(region) < 50:
        pos = todo.pop()
        for direction in MOVE_DIRECTION.values():
            nxt = _step(pos, direction)
            if nxt not in region and state.material(nxt) in WALKABLE:
                region.add(nxt)
                todo.append(nxt)
    return region


def test_a_room_entered_from_its_side_cannot_be_closed_from_inside() -> None:
    # Room (3,3)-(4,3) with water above, stone at both ends, open grass below: whichever
    # cell the player comes in by stays open behind it.
    world = edit.blank_world((9, 9), player_pos=(3, 6), facing=(0, -1))
    for pos in [(2, 3), (5, 3), (3, 2), (4, 2)]:
        world = edit.place_material(world, pos, "water" if pos[1] == 2 else "stone")
    world = edit.set_inventory(world, stone=4, wood_pickaxe=1)
    assert shelter.build_step(world, Room.along((3, 3), (1, 0))) is None
    # Open one end and the room can be closed: enter by it, block the far end, then it.
    opened = edit.place_material(world, (5, 3), "grass")
    assert shelter.build_step(opened, Room.along((3, 3), (1, 0))) is not None


def test_a_room_is_only_chosen_if_the_player_can_get_out() -> None:
    world = edit.set_inventory(edit.blank_world((9, 9), player_pos=(4, 6)), wood=8)  # four tables' worth
    for pos in [(4, 3), (5, 3), (4, 5)]:
        world = edit.place_material(world, pos, "water")
    reach = Reach(world, 6)
    assert shelter.candidate_rooms(world, reach.steps) == []  # tables only, and nothing to collect
    treed = edit.place_material(world, (4, 3), "tree")
    rooms = shelter.candidate_rooms(treed, Reach(treed, 6).steps)
    assert rooms and all((4, 3) in room.sides for _, room in rooms)
    assert shelter.candidate_rooms(edit.set_inventory(world, wood=0, stone=4, wood_pickaxe=1), reach.steps)


def test_awake_in_a_closed_room_the_curious_player_never_opens_it() -> None:
    world = edit.blank_world((9, 9), player_pos=(4, 4), facing=(0, -1), material="stone")
    world = edit.set_step(edit.set_inventory(edit.place_material(world, (4, 5), "grass"), wood_pickaxe=1), 200)
    policy = NoveltyPolicy()
    policy.room = Room.along((4, 4), (0, 1))
    for seed in range(20):
        assert policy(world, np.random.default_rng(seed)) != "do"  # "do" would mine the stone above
    assert context(world, "do") not in policy.counts


def _sapling_tries(state: WorldState, seeds: range) -> list[tuple[WorldState, WorldState]]:
    """``do`` on the grass ahead under each reseeding of ``state``: (before, after) pairs."""
    return [(edit.reseed(state, k), crafter_oo.step(edit.reseed(state, k), "do").state) for k in seeds]


def test_a_random_outcome_keeps_the_curious_player_interested() -> None:
    world = edit.blank_world((9, 9), player_pos=(4, 4), facing=(1, 0))
    tries = _sapling_tries(world, range(60))
    drops = [after.player.inventory["sapling"] for _, after in tries]
    assert 0 < sum(drops) < len(drops)  # both outcomes happened, in the same context
    stock, holds = inventory_signature(world), holding(world)
    wet = edit.place_material(world, (5, 4), "water")  # drinking: always the same outcome
    policies = {"curious": NoveltyPolicy(), "blind to chance": NoveltyPolicy(measure=0.0)}
    for policy in policies.values():
        for (before, after), (dry, drunk) in zip(tries, _sapling_tries(wet, range(60))):
            for state, next_state in ((before, after), (dry, drunk)):
                policy.counts[context(state, "do")] += 1
                policy.tries[pair(state, "do")] += 1
                policy.record(state, "do", next_state)
    novelty = 1.0 / (1.0 + len(tries) + len(tries) / SHARE)
    for policy in policies.values():
        assert policy._interest("do", "water", stock, holds) == pytest.approx(novelty)
    assert policies["blind to chance"]._interest("do", "grass", stock, holds) == pytest.approx(novelty)
    assert policies["curious"]._interest("do", "grass", stock, holds) > 5 * novelty


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 400), st.floats(0.05, 0.95))
def test_a_random_chance_stays_less_certain_than_a_settled_one(tries: int, share: float) -> None:
    usual = max(1, round(tries * share))
    random = Counter({"nothing": tries, "something": usual})
    settled = Counter({"nothing": tries + usual})
    assert chance_spread(random) > chance_spread(settled)
    assert chance_spread(Counter({"nothing": 2 * tries, "something": 2 * usual})) < chance_spread(random)


def test_failed_crafting_stops_being_interesting_after_a_few_inventories() -> None:
    world = edit.blank_world((9, 9), player_pos=(4, 4))
    policy = NoveltyPolicy()
    for wood in range(1, 10):  # make_wood_pickaxe without a table, under nine inventories
        tried = edit.set_inventory(world, wood=wood)
        policy.counts[context(tried, "make_wood_pickaxe")] += 1
        policy.tries[pair(tried, "make_wood_pickaxe")] += 1
        policy.record(tried, "make_wood_pickaxe", crafter_oo.step(tried, "make_wood_pickaxe").state)
    fresh_world = edit.set_inventory(world, wood=1, sapling=1)
    fresh, holds = inventory_signature(fresh_world), holding(fresh_world)
    assert policy._interest("make_wood_pickaxe", (), fresh, holds) < FRONTIER
    assert ("make_wood_pickaxe", ()) not in policy.random
