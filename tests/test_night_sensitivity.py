"""planners.iwocs_crafter.sensitivity: strategy returns at chosen posterior coordinates and in the game."""

from __future__ import annotations

import pytest

from night_standins import ZombieBite
from planners.iwocs_crafter import (
    CENTRE_VARIANT,
    GAME_VARIANT,
    night_start,
    night_strategies,
    parse_coordinates,
    report_sensitivity,
    sensitivity,
    strategy_returns,
)
from planners.option_model import OptionModel
from worldmodel import TrueModel


def test_coordinates_are_parsed_or_refused_with_the_bad_part():
    assert parse_coordinates("a.b=3,c.d=-1.5") == {"a.b": [3.0], "c.d": [-1.5]}
    for bad, part in (("a.b", "'a.b'"), ("a.b=x", "'a.b=x'"), ("=3", "'=3'"), ("a=1,", "''")):
        with pytest.raises(ValueError, match=f"got {part}"):
            parse_coordinates(bad)


def test_sensitivity_scores_every_strategy_at_the_centre_the_moves_and_in_the_game():
    model = ZombieBite(1.0, 3.0)  # bite 0.25 at the centre, 0.55 three coordinates up
    result = sensitivity(model, [0, 1], {"up": {"bite.p": [3.0]}}, episodes=3, horizon=10, seed=0)
    assert result == sensitivity(model, [0, 1], {"up": {"bite.p": [3.0]}}, episodes=3, horizon=10, seed=0)
    assert result["values"] == {CENTRE_VARIANT: {"bite.p": 0.25}, "up": {"bite.p": pytest.approx(0.55)}}
    assert list(result["returns"]) == [CENTRE_VARIANT, "up", GAME_VARIANT]
    strategies = list(night_strategies())
    for per_start in result["returns"].values():
        assert list(per_start) == ["0", "1"]
        for returns in per_start.values():
            assert list(returns) == strategies
            assert all(0 <= mean <= 10 and se >= 0 for mean, se in returns.values())
    game = OptionModel(TrueModel(resample_chance=True), list(night_strategies().values()), 10)
    direct = strategy_returns(game, night_start(1), 0, 3, 0)
    assert result["returns"][GAME_VARIANT]["1"][strategies[0]][0] == pytest.approx(direct.mean())
    lines = report_sensitivity(result)
    assert lines[0] == f"{CENTRE_VARIANT} (bite.p 0.25)" and lines[3] == "up (bite.p 0.55)"
    assert lines[6] == GAME_VARIANT and len(lines) == 3 * 3
