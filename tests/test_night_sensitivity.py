"""benchmarks/night_sensitivity.py: strategy returns at chosen posterior coordinates and in the game."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from night_standins import ZombieBite
from planners.option_model import OptionModel
from worldmodel import TrueModel

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "night_sensitivity.py"
sys.path.insert(0, str(SCRIPT.parent))  # the script imports its sibling modules, as when run
spec = importlib.util.spec_from_file_location("night_sensitivity", SCRIPT)
script = importlib.util.module_from_spec(spec)
spec.loader.exec_module(script)


def test_coordinates_are_parsed_or_refused_with_the_bad_part():
    assert script.parse_at("a.b=3,c.d=-1.5") == {"a.b": [3.0], "c.d": [-1.5]}
    for bad, part in (("a.b", "'a.b'"), ("a.b=x", "'a.b=x'"), ("=3", "'=3'"), ("a=1,", "''")):
        with pytest.raises(ValueError, match=f"got {part}"):
            script.parse_at(bad)


def test_sensitivity_scores_every_strategy_at_the_centre_the_moves_and_in_the_game():
    model = ZombieBite(1.0, 3.0)  # bite 0.25 at the centre, 0.55 three coordinates up
    result = script.sensitivity(model, [0, 1], {"up": {"bite.p": [3.0]}}, episodes=3, horizon=10, seed=0)
    assert result == script.sensitivity(model, [0, 1], {"up": {"bite.p": [3.0]}}, episodes=3, horizon=10, seed=0)
    assert result["values"] == {script.CENTRE: {"bite.p": 0.25}, "up": {"bite.p": pytest.approx(0.55)}}
    assert list(result["returns"]) == [script.CENTRE, "up", script.GAME]
    strategies = list(script.night_strategies())
    for per_start in result["returns"].values():
        assert list(per_start) == ["0", "1"]
        for returns in per_start.values():
            assert list(returns) == strategies
            assert all(0 <= mean <= 10 and se >= 0 for mean, se in returns.values())
    game = OptionModel(TrueModel(resample_chance=True), list(script.night_strategies().values()), 10)
    direct = script.strategy_returns(game, script.night_start(1), 0, 3, 0)
    assert result["returns"][script.GAME]["1"][strategies[0]][0] == pytest.approx(direct.mean())
    lines = script.report(result)
    assert lines[0] == f"{script.CENTRE} (bite.p 0.25)" and lines[3] == "up (bite.p 0.55)"
    assert lines[6] == script.GAME and len(lines) == 3 * 3
