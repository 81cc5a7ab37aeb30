"""One-life exploration: deterministic, stops at death or the limit, streams its file, and
the curious player's contexts, routes and reflexes behave as documented."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crafter_oo import edit
from crafter_oo.state import WorldState
from onelife.explore import NoveltyPolicy, Reach, context, explore
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
    occurrences, _ = life.mechanic_counts()
    assert "place_table" in life.achievements
    assert any(name.startswith(("make_", "failed_make_")) for name in occurrences)
    assert occurrences["hit_zombie"] + occurrences["hit_cow"] + occurrences["hit_skeleton"] > 0
    assert occurrences["sapling_attempt"] > 0


def test_the_curious_player_does_more_than_the_random_one() -> None:
    curious, random = explore(0, 300), explore(0, 300, "random")
    assert len(curious.metadata()["mechanics_seen"]) > len(random.metadata()["mechanics_seen"])


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
