"""Trajectory files: round trips, interrupted runs, malformed lines, and what a life's
transitions say (cause of death, mechanics)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crafter_oo
from crafter_oo import edit
from onelife.explore import explore
from onelife.trajectory import (
    Trajectory,
    TrajectoryFormatError,
    apply_change,
    cause_of_death,
    mechanics,
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


def test_cause_of_death_in_crafter_terms() -> None:
    world = edit.set_inventory(edit.blank_world((9, 9), player_pos=(4, 4)), health=1)
    assert cause_of_death(world, "noop", crafter_oo.step(world, "noop").state) == "alive"

    lava = edit.place_material(world, (3, 4), "lava")
    assert cause_of_death(lava, "move_left", crafter_oo.step(lava, "move_left").state) == "lava"

    zombie = edit.add_creature(world, "zombie", (4, 5))
    assert cause_of_death(zombie, "noop", crafter_oo.step(zombie, "noop").state) == "zombie"

    arrow = edit.add_creature(world, "arrow", (4, 5), facing=(0, -1))
    assert cause_of_death(arrow, "noop", crafter_oo.step(arrow, "noop").state) == "arrow (skeleton)"

    starving = edit.set_vitals(edit.set_inventory(world, food=0), recover=-15)
    assert cause_of_death(starving, "noop", crafter_oo.step(starving, "noop").state) == "starvation"


def test_mechanics_name_what_happened() -> None:
    world = edit.blank_world((9, 9), player_pos=(4, 4), facing=(1, 0))
    seen = mechanics(world, "do", crafter_oo.step(world, "do").state)
    assert seen["sapling_attempt"] == 1
    cow = edit.add_creature(world, "cow", (5, 4))
    seen = mechanics(cow, "do", crafter_oo.step(cow, "do").state)
    assert seen["hit_cow"] == 1 and seen["cow_turn"] == 1 and "sapling_attempt" not in seen
    assert mechanics(world, "make_wood_pickaxe", crafter_oo.step(world, "make_wood_pickaxe").state)[
        "failed_make_wood_pickaxe"] == 1
    wooded = edit.set_inventory(world, wood=2)
    assert mechanics(wooded, "place_table", crafter_oo.step(wooded, "place_table").state)["place_table"] == 1


def test_metadata_summarises_the_life() -> None:
    meta = LIFE.metadata()
    assert meta["steps_survived"] == len(LIFE.actions) <= 60
    assert meta["cause_of_death"] == ("alive" if LIFE.states[-1].player.health > 0 else meta["cause_of_death"])
    assert set(meta["achievements"]) == {a for a, n in LIFE.states[-1].player.achievements.items() if n}
    assert "cow_turn" in meta["mechanics_seen"]
