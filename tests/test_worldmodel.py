"""worldmodel: what samples and what scores are told apart, and the reference models keep their promises."""

from __future__ import annotations

import math

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from crafter_oo import ACTIONS, edit, step
from crafter_oo.state import WorldState
from worldmodel import (
    HasNextDistribution,
    HasPosterior,
    NullModel,
    Sampler,
    Scorer,
    TrueModel,
    WorldModel,
    single_threaded,
)



def cows_about() -> WorldState:
    """A small world where cows wander at random: the game's chance decides the next state."""
    state = edit.blank_world(area=(9, 9), player_pos=(4, 4), seed=1)
    for pos in ((2, 2), (6, 2), (2, 6), (6, 6)):
        state = edit.add_creature(state, "cow", pos)
    return state


class OnlySamples:
    def sample(self, state: WorldState, action: object, rng: np.random.Generator) -> WorldState:
        return state


class OnlyScores:
    def log_prob(self, state: WorldState, action: object, next_state: WorldState) -> float:
        return 0.0


def test_a_model_is_a_sampler_a_scorer_or_both_by_what_it_can_do():
    assert isinstance(OnlySamples(), Sampler) and not isinstance(OnlySamples(), Scorer)
    assert isinstance(OnlyScores(), Scorer) and not isinstance(OnlyScores(), Sampler)
    for model in (OnlySamples(), OnlyScores()):
        assert not isinstance(model, WorldModel)
    for model in (TrueModel(), TrueModel(resample_chance=True), NullModel(), NullModel(advance_clock=True)):
        assert isinstance(model, WorldModel) and isinstance(model, Sampler) and isinstance(model, Scorer)
        assert not isinstance(model, HasPosterior)
    assert isinstance(NullModel(), HasNextDistribution) and not isinstance(TrueModel(), HasNextDistribution)


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(ACTIONS), st.integers(0, 2**31 - 1))
def test_the_true_model_is_the_game(action, seed):
    state = cows_about()
    truth = step(state, action).state
    # Without resampling, the generator in the state decides: the caller's rng plays no part.
    assert TrueModel().sample(state, action, np.random.default_rng(seed)) == truth
    assert TrueModel().log_prob(state, action, truth) == 0.0
    assert TrueModel().log_prob(state, action, edit.set_step(truth, truth.step + 1)) == -math.inf
    resampled = TrueModel(resample_chance=True)
    drawn = resampled.sample(state, action, np.random.default_rng(seed))
    assert drawn == resampled.sample(state, action, np.random.default_rng(seed))
    assert drawn.step == truth.step and drawn.player.pos == truth.player.pos  # the player moves before the cows


def test_resampling_chance_draws_the_games_outcomes_from_the_callers_generator():
    state = cows_about()
    model = TrueModel(resample_chance=True)
    outcomes = {tuple(cow.pos for _, cow in model.sample(state, "noop", np.random.default_rng(seed)).creatures("cow"))
                for seed in range(20)}
    assert len(outcomes) > 1  # the cows wander differently under different draws
    fixed = {tuple(cow.pos for _, cow in TrueModel().sample(state, "noop", np.random.default_rng(seed))
                   .creatures("cow")) for seed in range(20)}
    assert len(fixed) == 1


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(ACTIONS), st.integers(0, 1000))
def test_the_null_model_predicts_no_change_but_the_clock(action, seed):
    state = edit.set_step(cows_about(), seed)
    still, ticking = NullModel(), NullModel(advance_clock=True)
    assert still.sample(state, action, np.random.default_rng(seed)) is state
    assert still.log_prob(state, action, state) == 0.0
    assert still.log_prob(state, action, edit.reseed(state, seed + 1)) == 0.0  # the generator is not predicted
    assert still.log_prob(state, action, edit.set_step(state, seed + 1)) == -math.inf
    after = ticking.sample(state, action, np.random.default_rng(seed))
    assert after.step == seed + 1 and after.player == state.player
    assert ticking.log_prob(state, action, after) == 0.0 and ticking.log_prob(state, action, state) == -math.inf
    assert ticking.next_distribution(state, action) == [(after, 1.0)]


def test_single_threaded_restores_the_thread_count():
    before = torch.get_num_threads()
    with single_threaded():
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
