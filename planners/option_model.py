"""Option-level models: a model whose actions are strategies run for a block of steps.

Planning over Crafter's 17 primitive actions with a learned model costs minutes per
decision; deciding between a few strategies (chains of options: fight, flee, sleep...)
costs seconds. ``OptionModel`` wraps any ``Sampler``: its action ``i`` runs a fresh
copy of ``strategies[i]`` in the underlying model for ``block`` primitive steps (resting
with ``noop`` once the strategy has finished, as ``planners.rollouts.run`` does), and
stops early only when the player dies. Every macro step therefore covers the same
stretch of game time, and ``steps_survived`` is the survival reward summed over it.
It is a ``Sampler`` only: scoring a macro step would sum over every path the strategy
could take in between, so score primitive transitions with the base model. Any planner
that uses only ``sample`` (the rollout solvers of ``planners.iwocs``) plans over
strategies unchanged; ``posterior_samples`` wraps the underlying model's, so IWOCS
gets an uncertainty set of option-level models (and ``at_coordinates`` a box of them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from crafter_oo.state import WorldState
from crafter_oo.skills.options import Option
from planners.rewards import player_dead, survival_reward
from planners.rollouts import run
from worldmodel import HasPosterior, HasPosteriorCoordinates, Sampler


class OptionModel:
    """``Sampler`` over strategy indices: action ``i`` runs ``strategies[i]`` for ``block`` steps."""

    def __init__(self, base: Sampler, strategies: Sequence[Option], block: int) -> None:
        if not strategies:
            raise ValueError("OptionModel: needs at least one strategy")
        if block < 1:
            raise ValueError(f"OptionModel: block must be at least 1 step, got {block}")
        self.base, self.strategies, self.block = base, tuple(strategies), block

    @property
    def actions(self) -> tuple[int, ...]:
        """The option-level actions: one index per strategy."""
        return tuple(range(len(self.strategies)))

    @property
    def names(self) -> tuple[str, ...]:
        """The strategies' readable names, in action order."""
        return tuple(strategy.name for strategy in self.strategies)

    def sample(self, state: WorldState, action: int, rng: np.random.Generator) -> WorldState:
        """The state after running strategy ``action`` for ``block`` steps (or until death)."""
        if not isinstance(action, (int, np.integer)) or not 0 <= action < len(self.strategies):
            raise ValueError(f"OptionModel: action must be a strategy index in [0, {len(self.strategies)}), "
                             f"got {action!r}")
        return run(self.base, state, self.strategies[action].fresh(), self.block, rng, survival_reward).state

    def posterior_samples(self, n: int, rng: np.random.Generator) -> list["OptionModel"]:
        """The same strategies over ``n`` posterior samples of the underlying model."""
        if not isinstance(self.base, HasPosterior):
            raise TypeError(f"OptionModel: the underlying {type(self.base).__name__} has no posterior_samples")
        return [OptionModel(model, self.strategies, self.block) for model in self.base.posterior_samples(n, rng)]

    def coordinate_sizes(self) -> dict[str, int]:
        """The underlying model's posterior coordinates (see ``HasPosteriorCoordinates``)."""
        return self._coordinated().coordinate_sizes()

    def at_coordinates(self, coordinates: Mapping[str, Sequence[float] | np.ndarray]) -> "OptionModel":
        """The same strategies over the underlying model at ``coordinates``."""
        return OptionModel(self._coordinated().at_coordinates(coordinates), self.strategies, self.block)

    def _coordinated(self) -> HasPosteriorCoordinates:
        if not isinstance(self.base, HasPosteriorCoordinates):
            raise TypeError(f"OptionModel: the underlying {type(self.base).__name__} has no posterior coordinates")
        return self.base


def steps_survived(state: WorldState, action: object, next_state: WorldState) -> float:
    """The survival reward (+1 per step that ends alive) over one macro step, from the step counts."""
    elapsed = next_state.step - state.step
    return float(max(elapsed - 1, 0) if player_dead(next_state) else elapsed)
