"""Mutators: never the true state, always a well-formed one; seeded; published mode mutates s."""

from __future__ import annotations

import functools

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crafter_oo.rules import ITEM_MAX
from crafter_oo.state import WorldState
from onelife.evaluation.mutators import MUTATORS, distractors, mutate
from onelife.evaluation.scenarios import SCENARIOS, Run, run_scenario
from onelife.evaluation.views import same_state, view_key


@functools.lru_cache(maxsize=None)
def cached_run(name: str, seed: int) -> Run:
    return run_scenario(SCENARIOS[name], seed)


def assert_well_formed(state: WorldState) -> None:
    assert WorldState.from_json(state.to_json()) == state
    cells = [obj.pos for obj in state.objects.values()]
    assert len(cells) == len(set(cells)), "at most one object per cell"
    assert all(state.inside(cell) for cell in cells)
    assert all(0 <= v <= ITEM_MAX for v in state.player.inventory.values())
    assert all(0 <= c.health <= ITEM_MAX for _, c in state.creatures())


transitions = st.tuples(st.sampled_from(sorted(SCENARIOS)), st.integers(0, 3), st.integers(0, 10**6),
                        st.integers(0, 1000))


@settings(max_examples=150, deadline=None)
@given(transitions, st.sampled_from(sorted(MUTATORS)), st.booleans())
def test_mutators_never_return_the_truth_and_stay_well_formed(pick, mutator_name, published) -> None:
    name, seed, rng_seed, where = pick
    run = cached_run(name, seed)
    tr = run.transitions[where % len(run.transitions)]
    base = tr.state if published else tr.next_state
    result = mutate(MUTATORS[mutator_name], base, tr.state, tr.next_state, tr.action,
                    np.random.default_rng(rng_seed))
    if result is not None:
        assert not same_state(result, tr.next_state)
        assert_well_formed(result)


@settings(max_examples=60, deadline=None)
@given(transitions, st.booleans())
@example(("lava_death", 0, 0, 0), True)  # full health: a health mutation must still apply
def test_distractors_are_distinct_wrong_and_reproducible(pick, published) -> None:
    name, seed, rng_seed, where = pick
    run = cached_run(name, seed)
    i = where % len(run.transitions)
    tr = run.transitions[i]
    found = distractors(tr.state, tr.action, tr.next_state, np.random.default_rng(rng_seed), published,
                        run.states, i + 1)
    again = distractors(tr.state, tr.action, tr.next_state, np.random.default_rng(rng_seed), published,
                        run.states, i + 1)
    keys = [view_key(d) for d in found]
    assert keys == [view_key(d) for d in again]
    assert len(set(keys)) == len(keys) and view_key(tr.next_state) not in keys
    assert len(found) >= 2  # player health and inventory always apply
    for d in found:
        assert_well_formed(d)


def test_mutators_apply_where_the_protocol_says() -> None:
    craft = cached_run("craft_wooden_pickaxe", 0).transitions[0]
    rng = np.random.default_rng(0)
    assert MUTATORS["craft_illegal_item"](craft.next_state, craft.state, craft.action, rng) is not None
    assert MUTATORS["collect_illegal_material"](craft.next_state, craft.state, craft.action, rng) is None
    assert MUTATORS["entity_health"](craft.next_state, craft.state, craft.action, rng) is None
    made = MUTATORS["craft_illegal_item"](craft.next_state, craft.state, craft.action, rng)
    gained = {k for k, v in made.player.inventory.items() if v != craft.next_state.player.inventory[k]}
    assert len(gained) == 1 and gained != {"wood_pickaxe"}
    wood = cached_run("collect_wood", 0).transitions[0]
    collected = MUTATORS["collect_illegal_material"](wood.next_state, wood.state, "do", rng)
    gained = {k for k, v in collected.player.inventory.items() if v != wood.next_state.player.inventory[k]}
    assert len(gained) == 1 and gained != {"wood"}
    cow = cached_run("cow_movement", 0).transitions[0]
    jumped = MUTATORS["entity_position"](cow.next_state, cow.state, "noop", rng)
    old, new = cow.next_state.objects[2].pos, jumped.objects[2].pos
    dx, dy = new[0] - old[0], new[1] - old[1]
    assert max(abs(dx), abs(dy)) >= 2 and (dx == 0 or dy == 0 or abs(dx) == abs(dy))
    assert MUTATORS["illegal_movement"](cow.next_state, cow.state, "move_left", rng) is None


def test_default_mode_mutates_the_next_state_and_published_mode_the_current_one() -> None:
    tr = cached_run("food_decay", 0).transitions[0]
    default = distractors(tr.state, tr.action, tr.next_state, np.random.default_rng(1))
    published = distractors(tr.state, tr.action, tr.next_state, np.random.default_rng(1), published=True)
    assert all(d.player.hunger == tr.next_state.player.hunger for d in default)
    assert all(d.player.hunger == tr.state.player.hunger for d in published)


def test_temporal_distractors_come_from_the_trajectory_and_only_by_default() -> None:
    run = cached_run("wake_up", 0)
    tr = run.transitions[5]
    rng = np.random.default_rng(0)
    found = {view_key(d) for d in distractors(tr.state, tr.action, tr.next_state, rng, False, run.states, 6)}
    assert {view_key(run.states[k]) for k in (3, 4, 5, 7, 8, 9)} <= found
    published = {view_key(d) for d in distractors(tr.state, tr.action, tr.next_state, rng, True, run.states, 6)}
    assert not {view_key(run.states[k]) for k in (3, 4, 7, 8, 9)} & published
