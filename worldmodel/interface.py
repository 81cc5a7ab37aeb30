"""The model interface: what a world model must do for the learner and the planners to use it.

A model that samples next states is a ``Sampler`` (what planning needs); one that scores
them is a ``Scorer`` (what evaluation needs); a ``WorldModel`` does both, so the true game
and a learned model are interchangeable. The ``Has...`` protocols are optional
capabilities that some algorithms ask for and check with ``isinstance``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from crafter_oo.state import WorldState

Action = int | str  # an index into crafter_oo.ACTIONS or its name; option-level models use indices


@runtime_checkable
class Sampler(Protocol):
    """A stochastic transition model that can draw next states."""

    def sample(self, state: WorldState, action: Action, rng: np.random.Generator) -> WorldState:
        """A next state drawn from p(· | state, action)."""
        ...


@runtime_checkable
class Scorer(Protocol):
    """A transition model that can score next states."""

    def log_prob(self, state: WorldState, action: Action, next_state: WorldState) -> float:
        """log p(next_state | state, action)."""
        ...


@runtime_checkable
class WorldModel(Sampler, Scorer, Protocol):
    """A stochastic transition model over ``WorldState`` values that both samples and scores."""


@runtime_checkable
class HasPosterior(Protocol):
    """A model that can hand out plausible alternatives of itself (for robust planning)."""

    def posterior_samples(self, n: int, rng: np.random.Generator) -> list[Sampler]:
        """``n`` alternatives drawn from the posterior, each at least a ``Sampler`` like the model itself."""
        ...


@runtime_checkable
class HasPosteriorCoordinates(Protocol):
    """A model whose alternatives are addressed by posterior coordinates: per site, its
    offset from the posterior's centre in posterior standard deviations (for box sets)."""

    def coordinate_sizes(self) -> dict[str, int]:
        ...

    def at_coordinates(self, coordinates: Mapping[str, Sequence[float] | np.ndarray]) -> Sampler:
        ...


@runtime_checkable
class HasNextDistribution(Protocol):
    """A model whose successors can be enumerated exactly (small worlds only)."""

    def next_distribution(self, state: WorldState, action: Action) -> list[tuple[WorldState, float]]:
        ...
