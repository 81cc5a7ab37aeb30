"""The ``onelife`` console script, run as a user would run it."""

from __future__ import annotations

import re

import crafter_oo
from onelife.trajectory import Trajectory

from cli_runner import run_onelife


def test_version() -> None:
    result = run_onelife("--version")
    assert result.returncode == 0
    assert re.fullmatch(r"onelife \d+\.\d+\.\d+\n", result.stdout)


def test_play_prints_one_line_per_episode_and_is_reproducible() -> None:
    first = run_onelife("play", "--seed", "3", "--steps", "400")
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert len(lines) >= 1
    assert all(re.match(r"episode \d+: \d+ steps, .+, return -?\d+\.\d, achievements: ", line)
               for line in lines)
    assert sum(int(re.search(r": (\d+) steps", line).group(1)) for line in lines) == 400
    assert run_onelife("play", "--seed", "3", "--steps", "400").stdout == first.stdout


def test_bad_arguments_are_reported() -> None:
    result = run_onelife("play", "--steps", "0")
    assert result.returncode == 2 and "argument --steps: expected an integer >= 1, got 0" in result.stderr
    result = run_onelife("play", "--seed", "x")
    assert result.returncode == 2 and "argument --seed: expected an integer, got 'x'" in result.stderr


def test_variants_lists_every_world_with_what_it_changes() -> None:
    result = run_onelife("variants")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if not line.startswith(" ")]  # wrapped lines indent
    assert [line.split()[0] for line in lines] == [name for name, _ in crafter_oo.variants()]
    assert all(len(line.split(maxsplit=1)[1]) > 20 for line in lines)


def test_explore_plays_in_a_variant_and_the_trajectory_records_its_rules(tmp_path) -> None:
    result = run_onelife("explore", "--rules", "short_days", "--seed", "2", "--steps", "30", "--policy", "random",
                 "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    life = Trajectory.load(tmp_path / "trajectory.jsonl")
    assert life.states[0].config.rules == crafter_oo.variant("short_days")
    assert all(state.config.rules == life.states[0].config.rules for state in life.states)


def test_a_bad_rules_file_is_refused_naming_the_field(tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"description": "broken", "rules": {"zombie": {"damage": -3}}}')
    result = run_onelife("evaluate", "--model", "true", "--rules", str(bad), "--out", str(tmp_path / "eval"))
    assert result.returncode == 2
    assert "zombie.damage" in result.stderr and "-3" in result.stderr and str(bad) in result.stderr
    assert not (tmp_path / "eval").exists()
