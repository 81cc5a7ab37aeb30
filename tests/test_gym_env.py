"""The Gymnasium environment: API contract, observations, episodes and termination."""

from __future__ import annotations

import gymnasium
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import crafter_oo
from crafter_oo import edit
from crafter_oo.game import new_game
from crafter_oo.gym_env import Env


def test_reset_reproduces_the_reference_episodes() -> None:
    env = Env(seed=4)
    first, info = env.reset()
    assert info == {"seed": 4, "episode": 1} and first == new_game(4, 1)
    second, info = env.reset()
    assert info["episode"] == 2 and second == new_game(4, 2)
    again, _ = env.reset(seed=4)
    assert again == first


@pytest.mark.parametrize("observation", ["pixels", "semantic"])
def test_array_observations_satisfy_the_gymnasium_checker(observation: str) -> None:
    env = Env(area=(24, 24), seed=0, observation=observation, length=50)
    check_env(env, skip_render_check=True)
    obs, _ = env.reset(seed=1)
    assert env.observation_space.contains(obs)


def test_terminated_on_death_and_truncated_at_the_length_limit() -> None:
    start = edit.set_inventory(edit.blank_world(area=(5, 5), player_pos=(2, 2)), health=1)
    start = edit.place_material(start, (3, 2), "lava")
    env = Env(area=(5, 5), length=3)
    env.reset(options={"state": start})
    _, _, terminated, truncated, _ = env.step("move_right")
    assert terminated and not truncated
    env.reset(options={"state": edit.blank_world(area=(5, 5), length=3)})
    flags = [env.step("noop")[2:4] for _ in range(3)]
    assert flags == [(False, False), (False, False), (False, True)]


def test_symbolic_observation_is_the_state_and_rendering_works() -> None:
    env = Env(area=(16, 16), seed=2, render_mode="rgb_array")
    state, _ = env.reset()
    assert env.observation_space.contains(state)
    obs, reward, terminated, truncated, info = env.step(0)
    assert obs == crafter_oo.step(state, 0).state
    assert env.render().shape == (64, 64, 3)
    text_env = Env(area=(16, 16), seed=2, render_mode="ansi")
    text_env.reset()
    assert "@" in text_env.render() or any(c in text_env.render() for c in "<>^v")


def test_reward_switch_and_bad_options() -> None:
    start = edit.set_inventory(edit.place_material(edit.blank_world(), (5, 4), "table"), wood=1)
    env = Env(reward=False)
    env.reset(options={"state": start})
    _, reward, *_ = env.step("make_wood_pickaxe")
    assert reward == 0.0
    with pytest.raises(ValueError, match="observation must be"):
        Env(observation="voxels")
    with pytest.raises(TypeError, match="must be a WorldState"):
        env.reset(options={"state": {"step": 0}})
    with pytest.raises(RuntimeError, match="call reset"):
        Env().step(0)


def test_registered_id_makes_an_env_that_passes_the_checker_with_rendering() -> None:
    env = gymnasium.make("crafter_oo/Crafter-v0", area=(16, 16), observation="pixels", render_mode="rgb_array",
                         length=20)
    assert isinstance(env.unwrapped, Env) and env.metadata["render_fps"] > 0
    assert env.unwrapped.render_mode == "rgb_array"
    check_env(env.unwrapped)  # the render check included
    obs, _ = env.reset(seed=5)
    assert np.array_equal(env.render(), obs)


def test_stepping_after_the_episode_ended_is_an_error_until_reset() -> None:
    env = Env(area=(5, 5), length=2)
    env.reset(options={"state": edit.blank_world(area=(5, 5), length=2)})
    assert env.step("noop")[3] is False and env.step("noop")[3] is True  # truncated at the length limit
    with pytest.raises(RuntimeError, match="episode has ended"):
        env.step("noop")
    env.reset(options={"state": edit.blank_world(area=(5, 5), length=2)})
    env.step("noop")  # a new episode steps again
