"""Recovery on synthetic data: fitting finds a known probability and discounts a wrong law."""

import numpy as np
import pytest

from crafter_oo.rules import ACTIONS
from crafter_oo.state import Cow, Player
from onelife import LawModel, parse_laws
from onelife.attributes import FAMILIES
from crafter_oo.edit import drawn_world

TRUE_LAWS = """
law cow_wander: for cow c when true then c.pos ~ choice(p_move: move(c, random_direction()), else: c.pos)
  param p_move ~ Beta(1, 1)
law face_left: when action == move_left then player.facing <- left
"""
WRONG_LAW = """
law cow_drifts_left: for cow c when true then c.pos ~ choice(0.9: move(c, left), else: c.pos)
"""


@pytest.fixture(scope="module")
def transitions() -> list:
    truth = LawModel(parse_laws(TRUE_LAWS), {"cow_wander.p_move": 0.3,
                                               **{f"frame.{f}": 1e-6 for f in FAMILIES}})
    rng = np.random.default_rng(1)
    state = drawn_world(["....."] * 5, [Player((0, 0)), Cow((2, 2))])
    result = []
    for _ in range(2000):
        action = ACTIONS[int(rng.integers(len(ACTIONS)))]
        next_state = truth.sample(state, action, rng)
        result.append((state, action, next_state))
        state = next_state
    return result


def test_map_recovers_p_and_discounts_the_wrong_law(transitions: list) -> None:
    model = LawModel(parse_laws(TRUE_LAWS + WRONG_LAW)).fit(transitions, method="map")
    fitted = model.parameters()
    assert abs(fitted["cow_wander.p_move"] - 0.3) < 0.03
    assert fitted["cow_drifts_left.weight"] < 0.1 * fitted["cow_wander.weight"]
    # The deterministic law explains every facing change, so the frame rate stays tiny.
    assert fitted["frame.facing"] < 0.01


def test_posterior_interval_covers_the_true_p(transitions: list) -> None:
    model = LawModel(parse_laws(TRUE_LAWS + WRONG_LAW)).fit(transitions, method="posterior", steps=500)
    draws = np.array([m.parameters()["cow_wander.p_move"]
                      for m in model.posterior_samples(500, np.random.default_rng(0))])
    low, high = np.quantile(draws, [0.05, 0.95])
    assert low < 0.3 < high
    assert high - low < 0.1  # informative, not just the prior
    assert abs(model.parameters()["cow_wander.p_move"] - 0.3) < 0.03
