"""The evaluation plan and the frame counts from differences agree with the reference paths:
the interpreter trying every binding, and the frame law walked over every attribute."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

from crafter_oo import edit
from crafter_oo.state import WorldState
from onelife import LawModel, default_model, parse_laws
from onelife.attributes import (
    FAMILIES, MATERIAL_DOMAIN, born_keys, births, build, current, domain, entity_keys, family,
)
from onelife.builtins import Scene
from onelife.explore import explore
from onelife.fitting import frame_vector, weight_vector
from onelife.compiled import is_random
from onelife.interpret import activate, compile_value, effect_values, environment, evaluate
from onelife.plan import Plan
from onelife.summed import Summed
from onelife.frame import FAMILY_INDEX, FrameTally, checked_observation, count_cells_and_births, count_frame
from onelife.routing import compile_transitions, member_keys
from onelife.sampling import _unexplained, draw_other

MODEL = default_model()
LIFE = explore(0, 150, "novelty").transitions
SAMPLED = [(s, a, MODEL.sample(s, a, np.random.default_rng(k))) for k, (s, a, _) in enumerate(LIFE[::5])]


def _reference_frame(state: WorldState, next_state: WorldState, born: dict, pooled: set, tally: FrameTally) -> None:
    """The frame counts as they were first written: every entity attribute walked and its
    observation checked against its domain (map cells and birth slots as the library counts them)."""
    for key in entity_keys(state):
        if key in pooled or (key[1] != "alive" and key[0] not in next_state.objects):
            continue
        attribute_domain = domain(key, state)
        value = checked_observation(key, attribute_domain, state, next_state, born)
        tally.record(key, attribute_domain.size,
                     attribute_domain.index(value) == attribute_domain.index(current(key, state)))
    count_cells_and_births(state, next_state, born, pooled, tally)


def test_the_plan_finds_the_interpreters_activations_on_the_library() -> None:
    fired = 0
    for state, action, _ in LIFE:
        scene = Scene(state, action)
        expected = activate(MODEL.laws, scene)
        assert MODEL.plan.activate(Scene(state, action)) == expected
        fired += len(expected)
    assert fired > len(LIFE)  # creature laws fired, not only the player's


def test_compiled_effect_values_agree_with_the_tree_walking_interpreter() -> None:
    random_values = 0
    for state, action, _ in LIFE[::3]:
        scene = Scene(state, action)
        for activation in activate(MODEL.laws, scene):
            law = MODEL.laws[activation.law_index]
            env = environment(law, scene, activation.binding)
            for effect in law.effects:
                for expr in effect_values(effect):
                    random_values += is_random(expr)
                    expected = evaluate(expr, scene, env)
                    assert compile_value(expr, law.var)(scene, activation.binding) == expected
    assert random_values > 0


def test_scores_equal_the_interpreter_path() -> None:
    for transitions in (LIFE, SAMPLED):
        items = [(s, a, s2) for s, a, s2 in transitions]
        reference = compile_transitions(MODEL.laws, MODEL.alts, items)
        expected = MODEL.scores(reference)
        assert np.abs(MODEL.log_prob_batch(transitions) - expected).max() < 1e-9
        assert torch.equal(MODEL.compile(transitions).frame_unchanged, reference.frame_unchanged)


def test_frame_counts_from_differences_equal_the_full_walk() -> None:
    rng = np.random.default_rng(3)
    for state, action, next_state in LIFE + SAMPLED:
        born = births(state, next_state)
        keys = list(entity_keys(state)) + [("material", state.player.pos), *born]
        pooled = {keys[int(i)] for i in rng.choice(len(keys), size=6, replace=False)}
        fast, reference = (FrameTally(np.zeros(len(FAMILIES)), np.zeros(len(FAMILIES))) for _ in range(2))
        count_frame(state, next_state, born, pooled, fast)
        _reference_frame(state, next_state, born, pooled, reference)
        assert fast.const == reference.const
        assert np.array_equal(fast.unchanged, reference.unchanged) and np.array_equal(fast.changed, reference.changed)


ATOMS = {
    "cow": ["distance(c, player) < {n}", "c.health <= {n}", "{n} > c.health", "{m} < c.health", "{m} >= c.health",
            "{m} <= c.health", "{n} != distance(c, player)", "c.health == {m}", "faced_by(c, player)",
            "c.pos == target(player)", "target(player) != c.pos", "adjacent(c, zombie)", "action == do", "faced_by(c, arrow)",
            "step % 3 == {m}", "distance(player, c) >= {n}", "player.inventory.wood >= {m}"],
    "chunk": ["visited(c)", "(step + 1) % 4 == {m}", "count(c, cow) < {m}", "cells(c, grass) >= {n}",
              "action != noop"],
}


@st.composite
def creature_laws(draw: st.DrawFn) -> str:
    """A law over cows or chunks whose precondition chains atoms the plan can and cannot screen."""
    kind = draw(st.sampled_from(["cow", "chunk"]))
    atoms = draw(st.lists(st.sampled_from(ATOMS[kind]), min_size=1, max_size=4))
    parts = [atom.format(n=draw(st.integers(0, 30)), m=draw(st.integers(0, 2))) for atom in atoms]
    joiners = [draw(st.sampled_from(["and", "and", "and", "or"])) for _ in parts[1:]]
    condition = parts[0] + "".join(f" {j} {p}" for j, p in zip(joiners, parts[1:]))
    if draw(st.booleans()):
        condition = f"not ({condition})" if draw(st.booleans()) else f"({condition}) and {parts[-1]}"
    effect = "c.health += -1" if kind == "cow" else "born(cow, c) <- none"
    return f"law generated: for {kind} c when {condition} then {effect}\n"


@settings(max_examples=200, deadline=None)
@given(text=creature_laws(), start=st.integers(0, len(LIFE) - 5))
def test_the_plan_agrees_with_the_interpreter_on_generated_laws(text: str, start: int) -> None:
    laws = parse_laws(text)
    plan = Plan(laws)
    for state, action, _ in LIFE[start:start + 5]:
        assert _outcome(plan.activate, state, action) == _outcome(lambda scene: activate(laws, scene), state, action)


def _outcome(activator: Any, state: WorldState, action: str) -> Any:
    """The activations, or the error raised finding them."""
    try:
        return activator(Scene(state, action))
    except Exception as error:  # noqa: BLE001 - both paths must fail alike
        return type(error), str(error)


def test_the_plan_keeps_the_faced_creature_and_only_it() -> None:
    state = edit.add_creature(edit.blank_world(), "arrow", (2, 5), facing=(1, 0))
    state = edit.add_creature(edit.add_creature(state, "cow", (5, 4)), "cow", (3, 5))
    laws = parse_laws("law faced: for cow c when faced_by(c, arrow) then c.health += -1\n")
    found = Plan(laws).activate(Scene(state, "noop"))
    assert [a.binding.oid for a in found] == [4]
    assert found == activate(laws, Scene(state, "noop"))


def _random_values() -> st.SearchStrategy[str]:
    """Effect values mixing random directions with every kind of expression node."""
    leaves = st.sampled_from(["random_direction()", "c.pos", "(1, 0)", "player.pos", "2", "action"])
    return st.recursive(leaves, _random_nodes, max_leaves=6)


def _random_nodes(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One expression node over ``inner`` expressions."""
    unary = st.sampled_from(["move(c, {})", "-({})", "(not ({}))", "{{{}}}"])
    return st.one_of(
        st.tuples(unary, inner).map(lambda t: t[0].format(t[1])),
        st.tuples(inner, inner).map(lambda p: f"({p[0]}, {p[1]})"),
        st.tuples(inner, st.sampled_from(["+", "-", "==", "!=", "and", "or", "*"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
    )


@settings(max_examples=300, deadline=None)
@given(value=_random_values(), t=st.integers(0, len(LIFE) - 1))
def test_compiled_random_values_agree_with_the_tree_walking_interpreter(value: str, t: int) -> None:
    op = "~" if "random" in value else "<-"
    law = parse_laws(f"law generated: for cow c when true then c.pos {op} {value}\n")[0]
    state, action, _ = LIFE[t]
    scene = Scene(state, action)
    expr = law.effects[0].value
    for binding in scene.refs("cow")[:3]:
        env = environment(law, scene, binding)
        compiled_value = _value_or_error(lambda: compile_value(expr, law.var)(scene, binding))
        assert compiled_value == _value_or_error(lambda: evaluate(expr, scene, env))


def _value_or_error(compute: Any) -> Any:
    """The value, or that computing it failed (compiled closures and the interpreter word some
    errors on deterministic parts differently: a LawError against a TypeError)."""
    try:
        return compute()
    except Exception:  # noqa: BLE001 - both paths must fail alike, a builtin's IndexError included
        return "failed"


def test_many_futures_of_one_state_score_as_each_alone() -> None:
    rng = np.random.default_rng(5)
    triples = [(s, a, future) for s, a, s2 in LIFE[::30] for future in [s2, *MODEL.sample_many(s, a, 3, rng)]]
    alone = [MODEL.log_prob(*triple) for triple in triples]
    assert np.abs(MODEL.log_prob_batch(triples) - np.array(alone)).max() < 1e-9


def test_the_summed_life_is_the_sum_of_its_transitions_and_so_is_its_gradient() -> None:
    compiled = MODEL.compile(LIFE)
    summed = Summed.of(compiled)
    assert len(summed.distinct.pools) < len(compiled.pools) / 4
    values = {name: value.clone().requires_grad_(True) for name, value in MODEL._values.items()}
    per_transition = compiled.log_probs(MODEL.alts.weights(values), weight_vector(values, MODEL.law_names),
                                        frame_vector(values)).sum()
    total = summed.log_likelihood(MODEL.alts.weights(values), weight_vector(values, MODEL.law_names),
                                  frame_vector(values))
    assert float(total.detach()) == pytest.approx(float(per_transition.detach()), rel=1e-12)
    expected = torch.autograd.grad(per_transition, list(values.values()), allow_unused=True)
    found = torch.autograd.grad(total, list(values.values()), allow_unused=True)
    for a, b in zip(expected, found):
        assert (a is None) == (b is None) and (a is None or torch.allclose(a, b, rtol=1e-9, atol=1e-9))


def _reference_sample(model: LawModel, state: WorldState, action: str, rng: np.random.Generator) -> WorldState:
    """A next state drawn as ``LawModel.sample`` first did: the pools scored for this one draw,
    and every free map cell listed before the unexplained changes are placed."""
    compiled = model.compile([(state, action, None)])
    alt_weights, law_weights, frame_tensor = model.weights()
    frame = frame_tensor.numpy()
    slot_lp, other_lp = (t.numpy() for t in compiled.pool_log_probs(alt_weights, law_weights))
    values: dict = {}
    for i, pool in enumerate(compiled.pools):
        n = len(pool.values)
        probabilities = np.append(np.exp(slot_lp[i, :n]), np.exp(other_lp[i]) * (pool.domain.size - n))
        pick = int(rng.choice(n + 1, p=probabilities / probabilities.sum()))
        value = pool.values[pick] if pick < n else draw_other(pool.domain, {pool.domain.index(v) for v in pool.values}, rng)
        values.update(zip(member_keys(pool.key), value) if pool.key[0] == "joint" else [(pool.key, value)])
    for key in entity_keys(state):
        if key not in values:
            old = current(key, state)
            if rng.random() < frame[FAMILY_INDEX[family(key)]]:
                values[key] = draw_other(domain(key, state), {domain(key, state).index(old)}, rng)
            else:
                values[key] = old
    cells = {key[1]: value for key, value in values.items() if key[0] == "material"}
    width, height = state.config.area
    free_cells = [(x, y) for x in range(width) for y in range(height) if ("material", (x, y)) not in values]
    for index in _unexplained(len(free_cells), frame[FAMILY_INDEX["material"]], rng):
        cell = free_cells[index]
        cells[cell] = draw_other(MATERIAL_DOMAIN, {MATERIAL_DOMAIN.index(current(("material", cell), state))}, rng)
    slots = born_keys(state.config.area)
    born = {key: value for key, value in values.items() if key[0] == "born"}
    free_slots = [key for key in slots if key not in born]
    for index in _unexplained(len(free_slots), frame[FAMILY_INDEX["born"]], rng):
        born[free_slots[index]] = draw_other(domain(free_slots[index], state), {0}, rng)
    newborns = [(key, born[key]) for key in slots if born.get(key) is not None]
    return build(state, {k: v for k, v in values.items() if k[0] not in ("material", "born")}, cells, newborns)


def test_one_step_samples_are_distributed_as_the_reference_draws_them() -> None:
    """Same seed, same histogram of whole next states (frame rates high enough to change cells
    and fill birth slots), on states where a law speaks about a map cell and on others."""
    model = LawModel(MODEL.laws, {**MODEL.parameters(), "frame.material": 0.05, "frame.born": 0.01})
    speaking = [(s, a) for s, a, _ in LIFE if any(p.key[0] == "material" for p in MODEL.compile([(s, a, None)]).pools)]
    assert speaking
    for state, action in speaking[:3] + [(s, a) for s, a, _ in LIFE[::50]]:
        fast = Counter(_state_key(s) for s in model.sample_many(state, action, 60, np.random.default_rng(9)))
        rng = np.random.default_rng(9)
        reference = Counter(_state_key(_reference_sample(model, state, action, rng)) for _ in range(60))
        assert fast == reference and len(fast) > 1


def _state_key(state: WorldState) -> str:
    return json.dumps(state.to_dict(include_rng=False), sort_keys=True)
