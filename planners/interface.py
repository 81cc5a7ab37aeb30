"""The one model interface every planner and agent uses, and the true simulator behind it.

A planner talks to a world model only through ``sample`` and ``log_prob`` (and, where it
needs them, the optional capabilities below), so the true game and a learned model are
interchangeable. Planners never import law internals.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from crafter_oo import step
from crafter_oo.edit import reseed
from crafter_oo.state import WorldState

Action = int | str


@runtime_checkable
class WorldModel(Protocol):
    """A stochastic transition model over ``WorldState`` values."""

    def sample(self, state: WorldState, action: Action, rng: np.random.Generator) -> WorldState:
        """A next state drawn from p(· | state, action)."""
        ...

    def log_prob(self, state: WorldState, action: Action, next_state: WorldState) -> float:
        """log p(next_state | state, action)."""
        ...


@runtime_checkable
class HasPosterior(Protocol):
    """A model that can hand out plausible alternatives of itself (for robust planning)."""

    def posterior_samples(self, n: int, rng: np.random.Generator) -> list[WorldModel]:
        ...


@runtime_checkable
class HasPosteriorCoordinates(Protocol):
    """A model whose alternatives are addressed by posterior coordinates: per site, its
    offset from the posterior's centre in posterior standard deviations (for box sets)."""

    def coordinate_sizes(self) -> dict[str, int]:
        ...

    def at_coordinates(self, coordinates: Mapping[str, Sequence[float] | np.ndarray]) -> WorldModel:
        ...


@runtime_checkable
class HasNextDistribution(Protocol):
    """A model whose successors can be enumerated exactly (small worlds only)."""

    def next_distribution(self, state: WorldState, action: Action) -> list[tuple[WorldState, float]]:
        ...


class TrueModel:
    """crafter_oo as a ``WorldModel``: ``sample`` is ``step``.

    A state carries the game's random generator, so the true world is deterministic given
    the state: ``log_prob`` is 0 for the one true next state and -inf for every other.
    With ``resample_chance=True``, ``sample`` first reseeds the game's generator from
    ``rng``, so repeated samples follow the game's own distribution of outcomes given the
    visible state (what a planner that cannot see the generator should average over).
    """

    def __init__(self, resample_chance: bool = False) -> None:
        self.resample_chance = resample_chance

    def sample(self, state: WorldState, action: Action, rng: np.random.Generator) -> WorldState:
        if self.resample_chance:
            state = reseed(state, int(rng.integers(0, 2**31 - 1)))
        return step(state, action).state

    def log_prob(self, state: WorldState, action: Action, next_state: WorldState) -> float:
        return 0.0 if step(state, action).state == next_state else -math.inf

    def __repr__(self) -> str:
        return f"TrueModel(resample_chance={self.resample_chance})"
