"""A Gymnasium environment over the pure game: ``reset(seed=, options=)``, a 5-tuple
``step`` with ``terminated`` on death and ``truncated`` at the length limit, and a choice of
observation: the symbolic ``WorldState``, the semantic map, or pixels.

Importing ``crafter_oo`` registers it as ``gymnasium.make("crafter_oo/Crafter-v0", ...)``
(keyword arguments go to ``Env``).
"""

from __future__ import annotations

from typing import Any, Literal

import gymnasium
import numpy as np
from gymnasium import spaces

from crafter_oo.game import new_game
from crafter_oo.render import render_pixels, render_text, semantic_map
from crafter_oo.rules import ACTIONS, MATERIALS, SEMANTIC_OBJECT_ID, Rules
from crafter_oo.state import Pos, WorldState
from crafter_oo.step import step

Observation = Literal["symbolic", "semantic", "pixels"]
ENV_ID = "crafter_oo/Crafter-v0"


class WorldStateSpace(spaces.Space):
    """The space of symbolic observations: ``WorldState`` values of one game configuration."""

    def __init__(self, area: Pos, view: Pos, size: Pos, length: int | None,
                 rules: Rules = Rules.crafter(), seed: int | None = None) -> None:
        super().__init__(shape=None, dtype=None, seed=seed)
        self.area, self.view, self.size, self.length = area, view, size, length
        self.rules = rules

    def sample(self, mask: Any = None, probability: Any = None) -> WorldState:
        """A freshly generated world from a seed drawn from this space's generator."""
        seed = int(self.np_random.integers(0, 2**31 - 1))
        return new_game(seed, 1, self.area, self.view, self.size, self.length, self.rules)

    def contains(self, x: Any) -> bool:
        return (isinstance(x, WorldState) and x.config.area == tuple(self.area)
                and x.config.rules == self.rules)


class Env(gymnasium.Env):
    """Crafter as a Gymnasium environment, stepping ``crafter_oo.step``.

    Episodes follow the reference: the k-th reset after seeding with ``seed`` is the world of
    ``crafter.Env(seed=seed)``'s k-th reset, played by ``rules``. ``options={"state": s}``
    starts from a given state (which carries its own rules).
    """

    metadata = {"render_modes": ["rgb_array", "ansi"], "render_fps": 10}

    def __init__(self, area: Pos = (64, 64), view: Pos = (9, 9), size: Pos = (64, 64),
                 length: int | None = 10000, seed: int | None = None,
                 observation: Observation = "symbolic", reward: bool = True,
                 render_mode: str | None = None, rules: Rules = Rules.crafter()) -> None:
        if observation not in ("symbolic", "semantic", "pixels"):
            raise ValueError(f"observation must be 'symbolic', 'semantic' or 'pixels', got {observation!r}")
        if render_mode not in (None, "rgb_array", "ansi"):
            raise ValueError(f"render_mode must be None, 'rgb_array' or 'ansi', got {render_mode!r}")
        self.area, self.view, self.size = tuple(area), tuple(view), tuple(size)
        self.length = length
        self.rules = rules
        self.observation = observation
        self.reward_enabled = reward
        self.render_mode = render_mode
        self.action_space = spaces.Discrete(len(ACTIONS))
        if observation == "pixels":
            self.observation_space = spaces.Box(0, 255, (self.size[1], self.size[0], 3), np.uint8)
        elif observation == "semantic":
            top = len(MATERIALS) + len(SEMANTIC_OBJECT_ID) - 1
            self.observation_space = spaces.Box(0, top, self.area, np.uint8)
        else:
            self.observation_space = WorldStateSpace(self.area, self.view, self.size, length, rules)
        self._seed = seed
        self._episode = 0
        self._state: WorldState | None = None
        self._ended = False

    @property
    def state(self) -> WorldState:
        """The current symbolic state."""
        if self._state is None:
            raise RuntimeError("call reset() before using the environment")
        return self._state

    def reset(self, *, seed: int | None = None,
              options: dict[str, Any] | None = None) -> tuple[Any, dict[str, Any]]:
        super().reset(seed=seed)
        if options and "state" in options:
            start = options["state"]
            if not isinstance(start, WorldState):
                raise TypeError(f"options['state'] must be a WorldState, got {type(start).__name__}")
            self._state, self._ended = start, False
            return self._observe(), {"seed": start.seed, "episode": start.episode}
        if seed is not None:
            self._seed, self._episode = int(seed), 0
        elif self._seed is None:
            self._seed = int(self.np_random.integers(0, 2**31 - 1))
        self._episode += 1
        self._state = new_game(self._seed, self._episode, self.area, self.view, self.size, self.length,
                               self.rules)
        self._ended = False
        return self._observe(), {"seed": self._seed, "episode": self._episode}

    def step(self, action: int | str) -> tuple[Any, float, bool, bool, dict[str, Any]]:
        """One step of the game; after the episode ended (terminated or truncated) an error."""
        if self._ended:
            raise RuntimeError("the episode has ended (terminated or truncated): call reset() before stepping")
        result = step(self.state, action)
        self._state = result.state
        terminated = bool(result.info["dead"])
        truncated = bool(result.done and not terminated)
        self._ended = terminated or truncated
        reward = result.reward if self.reward_enabled else 0.0
        return self._observe(), reward, terminated, truncated, result.info

    def render(self) -> Any:
        if self.render_mode == "rgb_array":
            return render_pixels(self.state)
        if self.render_mode == "ansi":
            return render_text(self.state)
        return None

    def _observe(self) -> Any:
        if self.observation == "pixels":
            return render_pixels(self.state)
        if self.observation == "semantic":
            return semantic_map(self.state)
        return self.state


def register() -> None:
    """Make ``gymnasium.make(ENV_ID)`` build an ``Env`` (once; importing ``crafter_oo`` calls it)."""
    if ENV_ID not in gymnasium.registry:
        gymnasium.register(id=ENV_ID, entry_point="crafter_oo.gym_env:Env")
