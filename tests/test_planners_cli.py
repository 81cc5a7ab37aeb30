"""``onelife plan`` and the reference models and agents it offers."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest

from crafter_oo import edit
from crafter_oo.game import new_game
from crafter_oo.rules import ACTIONS
from planners.baselines import RandomAgent
from onelife_cli.plan import add_parser, load_planning_model
from planners.rollouts import run
from worldmodel import NullModel, TrueModel, WorldModel


def parse(argv):
    parser = argparse.ArgumentParser(prog="onelife")
    add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def test_plan_reports_each_agent_beside_the_baselines(capsys) -> None:
    args = parse(["plan", "null", "--seed", "3", "--steps", "12", "--episodes", "2", "--simulations", "2",
                  "--horizon", "6"])
    assert args.run(args) == 0
    captured = capsys.readouterr()
    rows = {line[:34].strip(): line[34:].split() for line in captured.out.splitlines()
            if line.startswith(("MCTS", "random"))}
    assert list(rows) == ["MCTS in the null model", "MCTS in the true game", "random actions"]
    assert all(len(numbers) == 9 and numbers[1] == numbers[4] == numbers[7] == "±" for numbers in rows.values())
    random_returns = []
    for seed in (3, 4):
        result = run(TrueModel(), new_game(seed), RandomAgent(seed), 12, np.random.default_rng(seed))
        random_returns.append(result.value)
    assert rows["random actions"][:3] == [f"{np.mean(random_returns):.1f}", "±", f"{np.std(random_returns):.1f}"]
    assert "seed 3: " in captured.out and "seed 4: " in captured.out and "object at" not in captured.out
    assert "plan: 100%" in captured.err and "72/72" in captured.err  # 3 agents x 2 episodes x 12 steps


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
