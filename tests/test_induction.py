"""Law induction from a short life played by crafter_oo in a small drawn world: the induced
laws parse back, load into a LawModel, recover the plain mechanics the life shows and score
held-out steps of the real game better than the null model."""

from __future__ import annotations

import numpy as np
import pytest

import crafter_oo
from crafter_oo.edit import drawn_world
from crafter_oo.state import Cow, Player
from onelife import LawModel, parse_laws
from onelife.induction import induce
from onelife.induction.induce import induce_documented

ROWS = ["TTTTTTTTT", "T.......T", "T..~~...T", "T..~~...T", "T.......T", "T...#...T", "T.......T",
        "T.......T", "TTTTTTTTT"]
ACTIONS = ["move_left", "move_right", "move_up", "move_down", "do", "noop", "place_table"]


def _life(seed: int, steps: int) -> list:
    """Transitions of a random player (mostly moving and doing) in the small world."""
    rng = np.random.default_rng(seed)
    state = drawn_world(ROWS, [Player((4, 4)), Cow((6, 6))], seed=seed)
    transitions = []
    for _ in range(steps):
        action = ACTIONS[int(rng.choice(len(ACTIONS), p=[0.17, 0.17, 0.17, 0.17, 0.26, 0.03, 0.03]))]
        result = crafter_oo.step(state, action)
        transitions.append((state, action, result.state))
        if result.done:
            break
        state = result.state
    return transitions


@pytest.fixture(scope="module")
def life() -> list:
    return _life(0, 400)


def test_induced_laws_parse_back_and_load(life: list) -> None:
    laws = induce(life)
    assert laws
    for law in laws:
        assert parse_laws(str(law))[0] == law
    LawModel(laws)  # names unique, parameters well formed


def test_collecting_wood_and_walking_are_recovered(life: list) -> None:
    texts = [str(law) for law in induce(life)]
    wood = [t for t in texts if "player.inventory.wood += 1" in t]
    assert wood and all("action == do" in t and "tree" in t for t in wood)
    assert any("action == move_left" in t and "player.pos <- move(player, left)" in t for t in texts)


def test_every_law_says_how_much_supports_it(life: list) -> None:
    for induced in induce_documented(life):
        assert 0 < induced.support <= induced.active
        assert induced.text().startswith(f"# supported by {induced.support} of the {induced.active} ")


def test_induced_model_scores_held_out_steps_better_than_the_null_model(life: list) -> None:
    held_out = _life(1, 200)
    induced = LawModel(induce(life)).fit(life, method="map")
    null = LawModel([]).fit(life, method="map")
    assert induced.log_prob_batch(held_out).mean() > null.log_prob_batch(held_out).mean() + 1.0


def test_an_empty_life_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one transition"):
        induce([])


def test_a_second_life_refines_the_first_lifes_laws_and_keeps_their_names(life: list) -> None:
    first = induce(life[:200])
    refined = induce(life + _life(2, 200), earlier=first)
    names = {law.name for law in refined}
    assert len(names) == len(refined)
    kept = [law for law in first if law.name in names]
    assert kept  # laws whose meaning held kept their names ...
    by_name = {law.name: law for law in refined}
    for law in kept:  # ... and a kept name still means the same effects
        assert sorted(map(str, by_name[law.name].effects)) == sorted(map(str, law.effects))


def test_moves_no_form_explains_make_no_law() -> None:
    from onelife.induction.movement import learn_movement
    from onelife.induction.observations import creature_examples
    state = drawn_world(ROWS, [Player((4, 4)), Cow((6, 6))])
    teleported = drawn_world(ROWS, [Player((4, 4)), Cow((2, 6))])  # three cells in one step
    transitions = [(state, "noop", teleported)] * 3
    assert learn_movement("cow", "c", creature_examples(transitions, "cow"), transitions) is None
