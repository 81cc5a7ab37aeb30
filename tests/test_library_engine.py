"""What the library added to the law engine: conditional expressions, ``let`` definitions,
closures compiled from laws, the unpadded scoring layout, and the helpers the rulebook needs
(``faced_by``, ``move``/``free`` with the player's cell, a second newborn in one chunk)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import crafter_oo
from crafter_oo import edit
from crafter_oo.game import new_game
from crafter_oo.rules import ACTIONS

from onelife import LawSyntaxError, default_model, load_laws, parse_laws
from onelife.builtins import BUILTINS, Ref, Scene
from onelife.fitting import weight_vector
from onelife.interpret import bindings, compiled, environment, evaluate
from onelife.library import library_laws, true_model


def life(seed: int, steps: int) -> list:
    rng = np.random.default_rng(seed)
    state, transitions = new_game(seed), []
    for _ in range(steps):
        action = ACTIONS[int(rng.integers(len(ACTIONS)))]
        next_state = crafter_oo.step(state, action).state
        transitions.append((state, action, next_state))
        state = next_state
    return transitions


LIFE = life(7, 60)
LAWS = library_laws()


def test_conditional_prints_back_and_evaluates_only_the_taken_branch() -> None:
    [law] = parse_laws("law l: when true then player.inventory.wood <- 1 if player.inventory.wood > 3 "
                       "else 2 if target(player) == player.pos else player.inventory.wood + 1")
    assert parse_laws(str(law)) == [law]
    [guarded] = parse_laws("law g: when (target(player) if player.inventory.wood > 0 else 1) == 1 "
                           "then player.inventory.wood <- 0")
    scene = Scene(edit.blank_world(), "noop")  # no wood: target() is never called with a number
    assert evaluate(guarded.when, scene, environment(guarded, scene, None)) is True
    assert compiled(guarded).when(scene, None) is True


def test_definitions_are_shared_through_use_and_inlined(tmp_path: Path) -> None:
    (tmp_path / "a.law").write_text('use "b.law"\nlet rich = player.inventory.wood >= enough\n')
    (tmp_path / "b.law").write_text('use "a.law"\nlet enough = 3\nlaw spend: when rich then player.inventory.wood += -1\n')
    with pytest.raises(LawSyntaxError, match="circle"):
        load_laws(tmp_path)
    (tmp_path / "a.law").write_text("let enough = 3\nlet rich = player.inventory.wood >= enough\n")
    (tmp_path / "b.law").write_text('use "a.law"\nlaw spend: when rich then player.inventory.wood += -1\n')
    [law] = load_laws(tmp_path)
    assert str(law.when) == "player.inventory.wood >= 3"


@pytest.mark.parametrize("text, message", [
    ("let player = 1", "reserved"),
    ("let a = b\nlet b = a\nlaw l: when a then player.inventory.wood <- 1", "uses itself"),
    ("let a = 1\nlet a = 2", "defined twice"),
    ("let a = z.pos\nlaw l: when a == player.pos then player.inventory.wood <- 1", "belong to entity variables"),
])
def test_bad_definitions_are_named(text: str, message: str) -> None:
    with pytest.raises(LawSyntaxError, match=message):
        parse_laws(text, "defs.law")


@settings(max_examples=40, deadline=None)
@given(t=st.integers(0, len(LIFE) - 1), law_index=st.integers(0, len(LAWS) - 1))
def test_compiled_conditions_agree_with_the_interpreter(t: int, law_index: int) -> None:
    state, action, _ = LIFE[t]
    law, scene = LAWS[law_index], Scene(state, action)
    for binding in bindings(law, scene):
        expected = evaluate(law.when, scene, environment(law, scene, binding))
        assert compiled(law).when(scene, binding) == expected


def test_unpadded_scores_equal_the_padded_pools() -> None:
    model = default_model()
    batch = model.compile(LIFE)
    alt_weights = model.alts.weights(model._values)
    law_weights = weight_vector(model._values, model.law_names) * torch.linspace(0.5, 2, len(model.laws),
                                                                                dtype=torch.float64)
    slot_lp, other_lp = batch.pool_log_probs(alt_weights, law_weights)
    seen = slot_lp.gather(1, batch.pool_observed.clamp(min=0).unsqueeze(1)).squeeze(1)
    padded = torch.where(batch.pool_observed >= 0, seen, other_lp)
    assert torch.allclose(batch.ragged.observed_log_probs(batch, alt_weights, law_weights), padded, atol=1e-10)


def test_creatures_see_the_cell_the_player_left_as_free() -> None:
    state = edit.add_creature(edit.blank_world(), "cow", (3, 4))
    scene = Scene(state, "noop")
    move, free = BUILTINS["move"].function, BUILTINS["free"].function
    assert not free(scene, (4, 4), "cow")  # the player stands there now
    assert free(scene, (4, 4), "cow", (4, 5))  # ... but has moved on to (4, 5)
    assert not free(scene, (4, 5), "cow", (4, 5))
    assert move(scene, Ref(2), (1, 0), (4, 5)) == (4, 4)
    assert move(scene, Ref(2), (1, 0)) == (3, 4)


def test_faced_by_finds_the_cells_arrows_fly_into() -> None:
    state = edit.add_creature(edit.blank_world(), "arrow", (1, 1), facing=(1, 0))
    scene = Scene(state, "noop")
    assert BUILTINS["faced_by"].function(scene, (2, 1), "arrow")
    assert not BUILTINS["faced_by"].function(scene, (1, 2), "arrow")


def test_two_arrows_born_in_one_chunk_score_finite() -> None:
    state = edit.blank_world(area=(12, 12), player_pos=(6, 2))
    for x in (4, 8):  # both five cells from the player, aiming into the only chunk
        state = edit.add_creature(state, "skeleton", (x, 5))
    shots = [s2 for s2 in (crafter_oo.step(edit.reseed(state, k), "noop").state for k in range(200))
             if sum(o.kind == "arrow" for o in s2.objects.values()) == 2]
    assert shots, "no seed made both skeletons shoot"
    assert math.isfinite(true_model().log_prob(state, "noop", shots[0]))
