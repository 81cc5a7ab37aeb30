"""The reference models every learned model is measured against: the game itself and a world that stands still.

``TrueModel`` is crafter_oo behind the model interface; with ``resample_chance=True`` it
is the game's true distribution of outcomes given the visible state. ``NullModel``
answers "what if the world stood still?": planning in it shows how much a planner owes to
its model, and the evaluation reports it beside every model scored.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from crafter_oo import step
from crafter_oo.edit import reseed, set_step
from crafter_oo.state import WorldState
from worldmodel.interface import Action


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
