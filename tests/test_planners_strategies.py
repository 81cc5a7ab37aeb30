"""The decision situations of the strategy-ranking benchmark are well formed and discriminate."""

from __future__ import annotations

import pytest

from planners.rollouts import best_pick_credit, rank_strategies
from planners.strategies import situations
from worldmodel import NullModel, TrueModel

SITUATIONS = situations()


def test_there_are_at_least_eight_situations_with_two_strategies_each() -> None:
    assert len(SITUATIONS) >= 8
    assert len({s.name for s in SITUATIONS}) == len(SITUATIONS)
    for situation in SITUATIONS:
        assert len(situation.strategies) >= 2 and situation.horizon > 0
        assert situation.state.player.health > 0


@pytest.mark.parametrize("situation", SITUATIONS, ids=[s.name for s in SITUATIONS])
def test_the_true_game_separates_the_strategies(situation) -> None:
    ranking = rank_strategies(TrueModel(resample_chance=True), situation.state, situation.strategies,
                              situation.horizon, 4, 0, situation.reward)
    assert ranking[0].mean > ranking[-1].mean, f"{situation.name}: every strategy is worth the same"


def test_the_null_model_cannot_tell_strategies_apart() -> None:
    for situation in SITUATIONS:
        ranking = rank_strategies(NullModel(), situation.state, situation.strategies, situation.horizon, 1, 0,
                                  situation.reward)
        assert len({e.mean for e in ranking}) == 1
        assert best_pick_credit(ranking, ranking) == 1.0
