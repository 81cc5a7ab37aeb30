"""The floor every agent must clear: an agent that acts at random.

(The reference models, ``TrueModel`` and ``NullModel``, are in ``worldmodel.reference``.)
"""

from __future__ import annotations

import numpy as np

from crafter_oo.rules import ACTIONS
from crafter_oo.state import WorldState


class RandomAgent:
    """Picks one of the 17 actions uniformly at random on every step."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def act(self, state: WorldState) -> str:
        return ACTIONS[int(self.rng.integers(len(ACTIONS)))]

    def __repr__(self) -> str:
        return "RandomAgent()"
