"""``onelife explore`` and ``onelife fit`` end to end, run as a user runs them."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from onelife.analysis import life_cause_of_death
from onelife_cli.life import add_parser
from onelife.modelfile import load_model
from onelife.trajectory import Trajectory

from bad_inputs import LAWS
from cli_runner import run_onelife




def parse(*args: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="onelife")
    add_parser(parser.add_subparsers())
    return parser.parse_args(args)


def test_explore_then_fit_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "life0"
    played = run_onelife("explore", "--seed", "0", "--steps", "40", "--policy", "random", "--out", str(out))
    assert played.returncode == 0, played.stderr
    life = Trajectory.load(out / "trajectory.jsonl")
    assert f"steps survived: {life.steps_survived} of 40" in played.stdout
    assert f"cause of death: {life_cause_of_death(life)}" in played.stdout
    assert "distinct mechanics seen: " in played.stdout and "life of seed 0" in played.stderr  # the progress bar
    (tmp_path / "laws").mkdir()
    (tmp_path / "laws" / "tiny.law").write_text(LAWS)
    fitted = run_onelife("fit", str(out / "trajectory.jsonl"), "--out", str(out / "model.json"),
                 "--laws", str(tmp_path / "laws"), "--fit-steps", "5")
    assert fitted.returncode == 0, fitted.stderr
    model = load_model(out / "model.json")
    assert model.posterior is not None
    report = fitted.stdout.splitlines()
    assert report[report.index("tiny.law") + 1].split()[:2] == ["collect_sapling", "weight"]  # grouped by file
    row = next(line for line in report if line.split()[:1] == ["p_sapling"])
    value, low, high = (float(x) for x in row.replace("[", " ").replace("]", " ").replace(",", " ").split()[1:])
    assert low <= value <= high and abs(value - model.parameters()["collect_sapling.p_sapling"]) < 1e-3
    assert "fit 1: MAP (L-BFGS)" in fitted.stderr and "fit 2: posterior (Adam)" in fitted.stderr
    assert "Warning" not in fitted.stderr
    again = run_onelife("laws", str(out / "model.json"))  # the same report from the saved model
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[1:] == report[1:report.index(next(l for l in report if l.startswith("wrote the model")))]


def test_fit_map_prints_values_without_intervals(tmp_path: Path) -> None:
    Path(tmp_path / "tiny.law").write_text(LAWS)
    args = parse("explore", "--seed", "1", "--steps", "15", "--out", str(tmp_path))
    assert args.run(args) == 0
    args = parse("fit", str(tmp_path / "trajectory.jsonl"), "--out", str(tmp_path / "m.json"),
                 "--laws", str(tmp_path / "tiny.law"), "--method", "map", "--fit-steps", "5")
    assert args.run(args) == 0
    assert load_model(tmp_path / "m.json").posterior is None


def test_explore_writes_what_the_learning_explorer_came_to_believe(tmp_path: Path, capsys) -> None:
    args = parse("explore", "--seed", "2", "--steps", "120", "--out", str(tmp_path))  # the default policy
    assert args.run(args) == 0
    beliefs = (tmp_path / "beliefs.txt").read_text(encoding="utf-8")
    assert "# what my actions do" in beliefs and "# where I may walk" in beliefs and "# what hurts me" in beliefs
    assert "self stood on: grass" in beliefs  # it walks in its first 120 steps, on the grass it starts on
    assert "what the explorer came to believe" in capsys.readouterr().out
    assert not list(tmp_path.glob(".beliefs*")), "no temporary file left behind"


def test_fit_reports_a_broken_trajectory_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text('{"format": "onelife.Trajectory"}\n')
    result = run_onelife("fit", str(tmp_path / "bad.jsonl"), "--out", str(tmp_path / "m.json"), "--laws", str(tmp_path))
    assert result.returncode != 0 and f"{tmp_path / 'bad.jsonl'}:1: " in result.stderr


def test_explore_rejects_an_unknown_policy() -> None:
    with pytest.raises(SystemExit):
        parse("explore", "--policy", "greedy", "--out", "x")
