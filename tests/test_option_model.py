"""planners.option_model: strategies as the actions of a model that samples, on real Crafter states."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crafter_oo import edit, step
from crafter_oo.state import WorldState
from crafter_oo.skills.options import Attack, Chain, Flee, Sleep, Wait
from planners.option_model import OptionModel, steps_survived
from planners.rewards import player_dead, survival_reward
from worldmodel import HasPosterior, HasPosteriorCoordinates, Sampler, Scorer, TrueModel, WorldModel


def night(health: int = 9, zombie: tuple[int, int] | None = (10, 8), **inventory: int) -> WorldState:
    state = edit.blank_world(area=(16, 16), player_pos=(8, 8), seed=3)
    if zombie is not None:
        state = edit.add_creature(state, "zombie", zombie)
    return edit.set_step(edit.set_inventory(state, health=health, **inventory), 200)


STRATEGIES = (Wait(steps=4), Chain((Attack("zombie"), Wait(steps=2))), Flee("zombie"), Sleep())


class Shifted:
    """A stand-in posterior: crafter_oo whose samples are tagged by a drawn number."""

    def __init__(self, tag: float = 0.0) -> None:
        self.tag, self.game = tag, TrueModel(resample_chance=True)

    def sample(self, state, action, rng):
        return self.game.sample(state, action, rng)

    def log_prob(self, state, action, next_state):
        return self.game.log_prob(state, action, next_state)

    def posterior_samples(self, n, rng):
        return [Shifted(float(rng.random())) for _ in range(n)]

    def coordinate_sizes(self):
        return {"tag": 1}

    def at_coordinates(self, coordinates):
        return Shifted(float(coordinates["tag"][0]))


def test_option_model_samples_over_strategy_indices_and_does_not_claim_to_score():
    model = OptionModel(TrueModel(), STRATEGIES, block=5)
    # Scoring a macro step would sum over every path in between: it is a Sampler, not a Scorer.
    assert isinstance(model, Sampler) and not isinstance(model, Scorer) and not isinstance(model, WorldModel)
    assert model.actions == (0, 1, 2, 3)
    assert model.names == ("wait(4)", "attack(zombie) > wait(2)", "flee(zombie)", "sleep")
    for bad in (4, -1, "noop"):
        with pytest.raises(ValueError, match="strategy index"):
            model.sample(night(), bad, np.random.default_rng(0))
    with pytest.raises(ValueError, match="block"):
        OptionModel(TrueModel(), STRATEGIES, block=0)


def test_a_finished_strategy_rests_for_the_rest_of_the_block():
    start = night(zombie=None)
    expected = start
    for _ in range(7):  # wait(4) then three more noops: the same as seven noops
        expected = step(expected, "noop").state
    assert OptionModel(TrueModel(), STRATEGIES, block=7).sample(start, 0, np.random.default_rng(0)) == expected


def test_attack_kills_the_zombie_within_a_block():
    start = night(zombie=(9, 8), wood_sword=1)
    after = OptionModel(TrueModel(), STRATEGIES, block=20).sample(start, 1, np.random.default_rng(0))
    assert list(start.creatures("zombie")) and not list(after.creatures("zombie"))
    assert after.player.achievements["defeat_zombie"] == 1


def test_flee_ends_farther_from_the_zombies_than_waiting():
    start = night(zombie=(10, 8))
    model = OptionModel(TrueModel(resample_chance=True), STRATEGIES, block=6)

    def gap(state: WorldState) -> int:
        px, py = state.player.pos
        return min(abs(z.pos[0] - px) + abs(z.pos[1] - py) for _, z in state.creatures("zombie"))

    def mean_gap(action: int) -> float:
        return float(np.mean([gap(model.sample(start, action, np.random.default_rng(s))) for s in range(20)]))

    assert mean_gap(2) >= mean_gap(0) + 1


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 3), st.integers(1, 30), st.integers(1, 9), st.integers(0, 10_000))
def test_steps_survived_is_the_survival_reward_summed_over_the_block(action, block, health, seed):
    start = edit.set_vitals(night(health=health, zombie=(9, 8)), sleeping=action == 3)
    model = OptionModel(TrueModel(resample_chance=True), STRATEGIES, block)
    rewards: list[float] = []
    rng_a, rng_b = np.random.default_rng(seed), np.random.default_rng(seed)
    end = model.sample(start, action, rng_a)
    # replay the same block primitive by primitive, with the same random numbers
    option, state, game = STRATEGIES[action].fresh(), start, TrueModel(resample_chance=True)
    for _ in range(block):
        if player_dead(state):
            break
        primitive = option.act(state) or "noop"
        next_state = game.sample(state, primitive, rng_b)
        rewards.append(survival_reward(state, primitive, next_state))
        state = next_state
    assert end == state
    assert steps_survived(start, action, end) == sum(rewards)
    assert (end.step - start.step == block) or player_dead(end)


def test_sleeping_next_to_a_zombie_dies_early_and_scores_the_steps_alive():
    start = edit.set_inventory(night(health=3, zombie=(9, 8)), energy=0)
    end = OptionModel(TrueModel(), STRATEGIES, block=30).sample(start, 3, np.random.default_rng(0))
    assert player_dead(end) and end.step - start.step < 30
    assert steps_survived(start, 3, end) == end.step - start.step - 1


def test_posterior_samples_wrap_the_underlying_posterior():
    model = OptionModel(Shifted(), STRATEGIES, block=3)
    assert isinstance(model, HasPosterior)
    samples = model.posterior_samples(4, np.random.default_rng(1))
    expected = Shifted().posterior_samples(4, np.random.default_rng(1))
    assert [s.base.tag for s in samples] == [e.tag for e in expected]
    assert all(s.strategies == model.strategies and s.block == 3 for s in samples)
    with pytest.raises(TypeError, match="TrueModel has no posterior_samples"):
        OptionModel(TrueModel(), STRATEGIES, 3).posterior_samples(2, np.random.default_rng(0))


def test_posterior_coordinates_wrap_the_underlying_model():
    model = OptionModel(Shifted(), STRATEGIES, block=3)
    assert isinstance(model, HasPosteriorCoordinates)
    assert model.coordinate_sizes() == {"tag": 1}
    moved = model.at_coordinates({"tag": [1.5]})
    assert moved.base.tag == 1.5 and moved.strategies == model.strategies and moved.block == 3
    with pytest.raises(TypeError, match="TrueModel has no posterior coordinates"):
        OptionModel(TrueModel(), STRATEGIES, 3).at_coordinates({"tag": [0.0]})
