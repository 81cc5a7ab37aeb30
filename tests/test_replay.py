"""``onelife replay``: the frames with their panel, the laws that fired on a step, and the page,
opened in a real headless browser and stepped through as a user would."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from crafter_oo import edit
from crafter_oo.panel import VIEW_SIZE, render_frame
from crafter_oo.render import render_pixels
from crafter_oo.step import step
from onelife.library import default_model
from onelife.replay import fired_laws, replay_steps
from onelife.trajectory import Trajectory
from onelife_cli.main import main
from browser import browser_page


def test_a_frame_is_the_game_image_with_a_panel_of_constant_size() -> None:
    empty = edit.blank_world(area=(16, 16))
    full = edit.set_inventory(empty, health=1, wood=9, stone=9, coal=9, iron=9, diamond=9, sapling=9,
                              wood_pickaxe=1, stone_pickaxe=1, iron_pickaxe=1, wood_sword=1,
                              stone_sword=1, iron_sword=1)
    frames = [render_frame(empty, "noop"), render_frame(full, None)]
    assert frames[0].shape == frames[1].shape and frames[0].shape[0] == VIEW_SIZE
    for state, frame in zip((empty, full), frames):
        assert np.array_equal(frame[:, :VIEW_SIZE], render_pixels(state, (VIEW_SIZE, VIEW_SIZE)))
    assert not np.array_equal(frames[0][:, VIEW_SIZE:], frames[1][:, VIEW_SIZE:])  # the panel shows the inventory


def test_the_laws_that_fired_are_those_whose_precondition_held() -> None:
    model = default_model()
    state = edit.set_inventory(edit.blank_world(area=(9, 9), player_pos=(4, 4), facing=(1, 0)), wood=3)
    placed = step(state, "place_table").state
    _, (activations,) = model.explain([(state, "place_table", placed)])
    names = [law.name for law in fired_laws(model, state, activations)]
    assert "place_table" in names and "table_costs_one_wood" in names  # the law and its rival
    _, (idle,) = model.explain([(state, "noop", step(state, "noop").state)])
    assert not {"place_table", "table_costs_one_wood"} & {law.name for law in fired_laws(model, state, idle)}


def test_replay_writes_a_gif_and_a_page_that_steps_through_the_life(tmp_path: Path, capsys) -> None:
    assert main(["explore", "--seed", "1", "--steps", "12", "--policy", "random", "--out", str(tmp_path)]) == 0
    assert main(["replay", str(tmp_path / "trajectory.jsonl"), "--out", str(tmp_path / "replay")]) == 0
    printed = capsys.readouterr().out
    assert "life.gif" in printed and "life.html" in printed
    life = Trajectory.load(tmp_path / "trajectory.jsonl")
    with Image.open(tmp_path / "replay" / "life.gif") as gif:
        assert gif.n_frames == len(life.states)
    expected = replay_steps(life, default_model())
    assert len({tuple(law.name for law in s.fired) for s in expected[:-1]}) > 1  # the laws vary by step
    with browser_page() as page:
        page.goto((tmp_path / "replay" / "life.html").as_uri())
        data = json.loads(page.locator("#life").text_content())
        assert [s["action"] for s in data["steps"]] == [*life.actions, None]
        routine = set(data["every_step"])

        def shown_laws() -> list[str]:
            return [re.match(r"\S+", line).group(0) for line in page.locator("#laws li").all_inner_texts()]

        def expected_laws(index: int) -> list[str]:
            names = [law.name for law in expected[index].fired if law.name not in routine]
            return names or ["only"]  # the page's line for a step where only routine laws fired

        last = len(life.states) - 1
        assert page.inner_text("#step") == f"0 of {last}"
        assert shown_laws() == expected_laws(0)
        for index in range(1, last + 1):
            if index % 2:
                page.keyboard.press("ArrowRight")
            else:
                page.click("#next")
            assert page.inner_text("#step") == f"{index} of {last}"
            assert page.inner_text("#action") == (life.actions[index] if index < last else "(the life ends here)")
            if index < last:
                assert shown_laws() == expected_laws(index)
        page.keyboard.press("Home")
        assert page.inner_text("#step") == f"0 of {last}"
        page.goto((tmp_path / "replay" / "life.html").as_uri() + "#step=5")  # a link to one step
        assert page.inner_text("#step") == f"5 of {last}" and shown_laws() == expected_laws(5)


@pytest.mark.parametrize("argument, code, message", [("--fps=0", 2, "--fps must be positive"),
                                                      ("--model=missing.json", 1, "missing.json")])
def test_replay_refuses_bad_input_in_one_line(tmp_path: Path, capsys, argument: str, code: int,
                                              message: str) -> None:
    life = tmp_path / "trajectory.jsonl"
    Trajectory(0, "random", 1, [edit.blank_world()], []).save(life)
    assert main(["replay", str(life), "--out", str(tmp_path / "out"), argument]) == code
    error = capsys.readouterr().err
    assert message in error and len(error.strip().splitlines()) == 1
