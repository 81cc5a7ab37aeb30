"""The true-distribution ceiling: probabilities estimated from the game's own chance, draws
that stop once the candidates' order is settled, and its place in every evaluation report."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import crafter_oo
from crafter_oo import edit
from onelife.evaluation import evaluate
from onelife.evaluation.ceiling import FIRST_DRAWS, ChanceCeiling, resampled
from onelife.evaluation.report import format_summary, format_table, mrr_gaps
from worldmodel import TrueModel


def lone_cow() -> crafter_oo.WorldState:
    """A cow with four free sides, far from the player: it stays with 1/2, else steps one way of four."""
    return edit.add_creature(edit.blank_world(), "cow", (2, 2))


def cow_moved(state: crafter_oo.WorldState, offset: tuple[int, int]) -> crafter_oo.WorldState:
    """The true next state of ``noop`` with the cow moved by ``offset`` (its generator aside)."""
    for seed in range(500):
        following = crafter_oo.step(edit.reseed(state, seed), "noop").state
        cow = next(obj for _, obj in following.creatures("cow"))
        if cow.pos == (2 + offset[0], 2 + offset[1]):
            return following
    raise AssertionError(f"no seed moved the cow by {offset}")


def test_probabilities_match_the_game_and_draws_stop_when_settled() -> None:
    state = lone_cow()
    stay, left, right = (cow_moved(state, offset) for offset in ((0, 0), (-1, 0), (1, 0)))
    impossible = edit.set_inventory(stay, wood=5)
    ceiling = ChanceCeiling(seed=1)
    scores = ceiling.log_prob_batch([(state, "noop", c) for c in (stay, left, right, impossible)])
    probabilities = np.exp(scores)
    record, = ceiling.drain()
    error = 4 * math.sqrt(0.25 / record.draws)
    assert probabilities[0] == pytest.approx(0.5, abs=error)
    assert probabilities[1] == pytest.approx(0.125, abs=error) and probabilities[2] == pytest.approx(0.125, abs=error)
    assert probabilities[3] == 0.0 and scores[3] == -math.inf
    # left and right are equally likely: they never separate, so drawing ran to the most allowed
    # and they score as a tie (which the ranking counts against the ceiling, as for any model)
    assert record.draws == ceiling.most_draws and not record.settled
    assert scores[1] == scores[2]
    assert ceiling.drain() == []


def test_a_certain_outcome_stops_at_the_first_draws_and_is_deterministic() -> None:
    state = edit.set_inventory(edit.blank_world(), wood=3)
    state = edit.place_material(state, (6, 5), "table")
    truth = crafter_oo.step(state, "make_wood_pickaxe").state
    candidates = [(state, "make_wood_pickaxe", truth), (state, "make_wood_pickaxe", state)]
    first, second = ChanceCeiling(seed=4), ChanceCeiling(seed=4)
    assert list(first.log_prob_batch(candidates)) == [0.0, -math.inf] == list(second.log_prob_batch(candidates))
    assert [r.draws for r in first.drain()] == [FIRST_DRAWS]


def test_candidates_of_two_states_are_scored_from_their_own_draws() -> None:
    cow = lone_cow()
    table = edit.place_material(edit.set_inventory(edit.blank_world(), wood=3), (6, 5), "table")
    made = crafter_oo.step(table, "make_wood_pickaxe").state
    stay = cow_moved(cow, (0, 0))
    ceiling = ChanceCeiling(seed=2, first_draws=64, most_draws=256)
    scores = ceiling.log_prob_batch([(cow, "noop", stay), (table, "make_wood_pickaxe", made), (cow, "noop", made)])
    assert scores[1] == 0.0 and scores[2] == -math.inf and -1.5 < scores[0] < -0.3
    assert len(ceiling.drain()) == 2


def test_samples_follow_the_game_and_never_change_the_input() -> None:
    state = lone_cow()
    before = state.to_dict()
    rng = np.random.default_rng(0)
    moved = [next(o for _, o in ChanceCeiling(seed=0).sample(state, "noop", rng).creatures("cow")).pos != (2, 2)
             for _ in range(400)]
    assert np.mean(moved) == pytest.approx(0.5, abs=0.1)
    assert state.to_dict() == before
    fresh = resampled(state, np.random.default_rng(5))
    assert fresh.rng != state.rng and fresh.rng.key.shape == state.rng.key.shape


def test_bad_draw_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="first_draws"):
        ChanceCeiling(seed=0, first_draws=512, most_draws=256)


def test_every_report_shows_the_ceiling_and_the_gap_to_it() -> None:
    result = evaluate(TrueModel(), ["craft_wooden_pickaxe", "cow_movement"], trials=1, seed=3,
                      references=("ceiling", "null"), name="game")
    data = json.loads(result.to_json())
    assert data["settings"]["ceiling"]["most_draws"] == ChanceCeiling(0).most_draws
    drawn = data["scenario_info"]["cow_movement"]["ceiling_draws"]
    assert drawn["scored"] == sum(data["scenario_info"]["cow_movement"]["evaluated_transitions"])
    assert data["scenario_info"]["craft_wooden_pickaxe"]["ceiling_draws"]["mean"] == FIRST_DRAWS
    # the game with its own generator knows every coin: it is at or above the ceiling everywhere
    assert all(gap <= 0 for gap in mrr_gaps(result).values())
    assert result.scenarios["cow_movement"]["ceiling"]["mrr"]["mean"] < 1.0
    assert "gap to the ceiling" in format_summary(result)
    header = next(line for line in format_table(result).splitlines() if line.startswith("MRR per scenario"))
    assert header.split()[-3:] == ["ceiling", "null", "gap"]
