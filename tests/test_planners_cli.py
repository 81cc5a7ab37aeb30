"""``onelife plan`` and the reference models and agents it offers."""

from __future__ import annotations

import argparse
import json

import pytest

from crafter_oo import edit
from crafter_oo.rules import ACTIONS
from planners.baselines import RandomAgent
from onelife_cli.plan import add_parser, load_planning_model
from worldmodel import NullModel, TrueModel, WorldModel


def parse(argv):
    parser = argparse.ArgumentParser(prog="onelife")
    add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def test_plan_plays_and_reports_achievements(capsys) -> None:
    args = parse(["plan", "true", "--seed", "3", "--steps", "12", "--simulations", "4"])
    assert args.run(args) == 0
    out = capsys.readouterr().out
    assert "planning in TrueModel(resample_chance=True)" in out
    assert "12 steps" in out and "achievements" in out


def test_reference_models_by_name() -> None:
    assert isinstance(load_planning_model("null"), NullModel)
    model = load_planning_model("true")
    assert isinstance(model, TrueModel) and model.resample_chance
    assert isinstance(load_planning_model("null"), WorldModel)


def test_a_bad_model_file_names_the_file(tmp_path, capsys) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"format": "something else"}))
    with pytest.raises(ValueError, match="model.json"):
        load_planning_model(str(path))
    args = parse(["plan", str(path), "--steps", "3"])
    assert args.run(args) == 2
    assert "model.json" in capsys.readouterr().err


def test_the_random_agent_is_seeded_and_uses_every_action() -> None:
    state = edit.blank_world()
    agent_a, agent_b = RandomAgent(7), RandomAgent(7)
    actions = [agent_a.act(state) for _ in range(400)]
    assert actions == [agent_b.act(state) for _ in range(400)]
    assert set(actions) == set(ACTIONS)
