"""Trajectory files: round trips, interrupted runs, malformed lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    ('{"step": 6, "action": "do", "next": {"cells": [[1]]}}', "the state change cannot be applied"),
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
