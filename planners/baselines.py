"""Reference points: a model that predicts no change and an agent that acts at random.

``NullModel`` answers "what if the world stood still?": planning in it shows how much a
planner owes to its model, and the evaluation reports it beside every model scored.
``RandomAgent`` is the floor every agent must clear.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from crafter_oo.edit import set_step
from crafter_oo.rules import ACTIONS
from crafter_oo.state import WorldState
from planners.interface import Action


class NullModel:
    """A ``WorldModel`` whose next state is the current state.

    With ``advance_clock=True`` only time passes (step + 1 and its daylight), the
    evaluation's reference. States are compared without their random generator, which
    this model does not predict.
    """

    def __init__(self, advance_clock: bool = False) -> None:
        self.advance_clock = advance_clock

    def predict(self, state: WorldState) -> WorldState:
        """The one next state this model believes in."""
        return set_step(state, state.step + 1) if self.advance_clock else state

    def sample(self, state: WorldState, action: Action, rng: np.random.Generator) -> WorldState:
        return self.predict(state)

    def log_prob(self, state: WorldState, action: Action, next_state: WorldState) -> float:
        predicted = self.predict(state)
        same = dataclasses.replace(next_state, rng=predicted.rng) == predicted
        return 0.0 if same else -math.inf

    def next_distribution(self, state: WorldState, action: Action) -> list[tuple[WorldState, float]]:
        return [(self.predict(state), 1.0)]

    def __repr__(self) -> str:
        return f"NullModel(advance_clock={self.advance_clock})"


class RandomAgent:
    """Picks one of the 17 actions uniformly at random on every step."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def act(self, state: WorldState) -> str:
        return ACTIONS[int(self.rng.integers(len(ACTIONS)))]

    def __repr__(self) -> str:
        return "RandomAgent()"
