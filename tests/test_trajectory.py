"""Trajectory files: round trips, interrupted runs, malformed lines."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crafter_oo
from crafter_oo.edit import reseed
from crafter_oo.game import new_game
from crafter_oo.rules import ACTIONS
from crafter_oo.state import WorldState
from onelife.explore import explore
from onelife.trajectory import (
    Trajectory,
    TrajectoryFormatError,
    apply_change,
    state_change,
)

LIFE = explore(5, 60, "random")


def test_save_and_load_give_back_every_state_and_action(tmp_path: Path) -> None:
    path = tmp_path / "life.jsonl"
    LIFE.save(path)
    loaded = Trajectory.load(path)
    assert loaded.actions == LIFE.actions
    assert all(a == b for a, b in zip(loaded.states, LIFE.states, strict=True))
    assert (loaded.seed, loaded.policy, loaded.step_limit, loaded.ended) == (5, "random", 60, LIFE.ended)
    assert loaded.note is None
    assert not (tmp_path / "life.jsonl.tmp").exists()


def test_progressive_file_equals_saved_file(tmp_path: Path) -> None:
    streamed = explore(5, 60, "random", out=tmp_path / "streamed.jsonl")
    streamed.save(tmp_path / "saved.jsonl")
    assert (tmp_path / "streamed.jsonl").read_text() == (tmp_path / "saved.jsonl").read_text()


def test_lines_store_only_what_changed(tmp_path: Path) -> None:
    path = tmp_path / "life.jsonl"
    LIFE.save(path)
    lines = path.read_text().splitlines()
    header, first = json.loads(lines[0]), json.loads(lines[1])
    assert header["first"] == LIFE.states[0].to_dict()
    assert first["action"] == LIFE.actions[0] and "map" not in first["next"]
    assert len(lines[1]) < len(json.dumps(LIFE.states[1].to_dict())) / 2


def test_a_line_cut_mid_write_is_dropped_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "life.jsonl"
    LIFE.save(path)
    lines = path.read_text().splitlines(keepends=True)
    cut = "".join(lines[:11]) + lines[11][: len(lines[11]) // 2]
    path.write_text(cut)
    loaded = Trajectory.load(path)
    assert len(loaded.actions) == 10 and loaded.ended is None
    assert "line 12 was cut off" in loaded.note and "10 transitions" in loaded.note
    assert loaded.states[-1] == LIFE.states[10]


def test_a_file_without_its_end_line_loads_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "life.jsonl"
    LIFE.save(path)
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:21]))
    loaded = Trajectory.load(path)
    assert len(loaded.actions) == 20 and loaded.ended is None
    assert "no end line" in loaded.note


@pytest.mark.parametrize("line, expected", [
    ("{not json", "expected one JSON object"),
    ('{"step": 7, "action": "do", "next": {}}', 'expected a transition {"step": 6'),
    ('{"step": 6, "action": "fly", "next": {}}', "one of crafter_oo.ACTIONS"),
    ('{"step": 6, "action": "do", "next": {"cells": [[1]]}, "draws": 0}', "expected a valid state: cells"),
    ('{"step": 6, "action": "do", "next": {"cells": [[64, 0, "."]]}, "draws": 0}', "expected a valid state: cells"),
    ('{"step": 6, "action": "do", "next": {"objects": {"1": null}}, "draws": 0}', "expected a valid state: objects"),
    ('{"step": 6, "action": "do", "next": {}}', '"draws": <count>'),
    ('{"step": 6, "action": "do", "next": {}, "draws": -1}', "expected a valid state: draws"),
    ('{"step": 6, "action": "do", "next": {}, "draws": 0, "gauss": [2, 0.5]}', "expected a valid state: gauss"),
    ('{"step": 6, "action": "do", "next": {"rng": {}}, "draws": 0}', "not inside it"),
    ('{"step": 6, "action": "do", "next": {}, "rng": {"pos": 3}}', "expected a valid state: rng.key: missing"),
    ('{"end": "bored"}', "end must be one of"),
])
def test_a_malformed_line_names_the_file_and_line(tmp_path: Path, line: str, expected: str) -> None:
    path = tmp_path / "life.jsonl"
    LIFE.save(path)
    lines = path.read_text().splitlines(keepends=True)
    lines[6] = line + "\n"
    path.write_text("".join(lines))
    with pytest.raises(TrajectoryFormatError, match=f"{path}:7: ") as error:
        Trajectory.load(path)
    assert expected in str(error.value)


def test_a_bad_header_or_an_empty_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "life.jsonl"
    path.write_text("")
    with pytest.raises(TrajectoryFormatError, match=":1: expected a trajectory header"):
        Trajectory.load(path)
    path.write_text('{"format": "something else"}\n')
    with pytest.raises(TrajectoryFormatError, match=":1: expected a header with format"):
        Trajectory.load(path)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, len(LIFE.states) - 1), st.integers(0, len(LIFE.states) - 1))
def test_a_change_turns_any_state_into_any_other(i: int, j: int) -> None:
    before, after = LIFE.states[i].to_dict(), LIFE.states[j].to_dict()
    change = state_change(before, after)
    assert apply_change(before, change) == after
    assert (change == {}) == (before == after)


V1_FIXTURE = Path(__file__).parent / "data" / "trajectory_v1.jsonl"


def replayed(seed: int, actions: list[str]) -> list[WorldState]:
    """The reference: the states ``crafter_oo.step`` reaches playing ``actions`` from ``new_game(seed)``."""
    states = [new_game(seed)]
    for action in actions:
        states.append(crafter_oo.step(states[-1], action).state)
    return states


def test_a_version_1_file_still_loads_to_the_states_played() -> None:
    # Written by the version 1 writer (explore(7, 12, "random").save) before version 2 existed.
    assert json.loads(V1_FIXTURE.read_text().split("\n", 1)[0])["version"] == 1
    loaded = Trajectory.load(V1_FIXTURE)
    assert (loaded.seed, loaded.policy, len(loaded.actions), loaded.ended) == (7, "random", 12, "step limit")
    assert loaded.states == replayed(7, loaded.actions)


def test_version_2_stores_draw_counts_and_loads_bit_exact_states(tmp_path: Path) -> None:
    path = tmp_path / "life.jsonl"
    LIFE.save(path)
    records = [json.loads(line) for line in path.read_text().splitlines()[1:-1]]
    assert json.loads(path.read_text().split("\n", 1)[0])["version"] == 2
    assert all("draws" in r and "rng" not in r and "rng" not in r["next"] for r in records)
    assert any(r["draws"] > 0 for r in records)
    loaded = Trajectory.load(path)
    assert loaded.states == LIFE.states and loaded.states == replayed(5, LIFE.actions)


def test_a_real_life_costs_at_most_2_kb_per_transition_and_far_less_than_version_1(tmp_path: Path) -> None:
    path = tmp_path / "life.jsonl"
    LIFE.save(path)
    header, *transitions = path.read_text().splitlines(keepends=True)
    version_2 = sum(len(line.encode()) for line in transitions) / len(LIFE.actions)
    version_1 = sum(len(line.encode()) for line in V1_FIXTURE.read_text().splitlines(keepends=True)[1:]) / 12
    assert version_2 <= 2048 and version_2 < version_1 / 4


def test_a_generator_that_does_not_follow_by_draws_is_stored_in_full(tmp_path: Path) -> None:
    # An edit between steps (another seed for the generator) breaks the chain of draws once.
    states = replayed(3, ["noop", "move_left", "do"])
    edited = reseed(states[-1], 99)
    states += [edited, crafter_oo.step(edited, "noop").state]
    life = Trajectory(3, "edited", 10, states, ["noop", "move_left", "do", "noop", "noop"])
    path = tmp_path / "life.jsonl"
    life.save(path)
    records = [json.loads(line) for line in path.read_text().splitlines()[1:]]
    assert ["rng" in r for r in records] == [False, False, False, True, False]
    assert Trajectory.load(path).states == states


def test_a_version_2_line_cut_mid_write_is_dropped_and_the_rest_is_exact(tmp_path: Path) -> None:
    path = tmp_path / "life.jsonl"
    LIFE.save(path)
    lines = path.read_text().splitlines(keepends=True)
    for kept in (1, 2, 30):
        path.write_text("".join(lines[:kept + 1]) + lines[kept + 1][:-9])
        loaded = Trajectory.load(path)
        assert len(loaded.actions) == kept and loaded.ended is None and "cut off" in loaded.note
        assert loaded.states == LIFE.states[:kept + 1]


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**31 - 1), st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=25))
def test_version_2_round_trips_any_played_life_bit_exact(seed: int, actions: list[str]) -> None:
    states = replayed(seed, actions)
    life = Trajectory(seed, "hypothesis", len(actions), states, actions)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "life.jsonl"
        life.save(path)
        loaded = Trajectory.load(path)
    assert loaded.actions == actions
    assert loaded.states == states, states[-1].differences(loaded.states[-1])
