"""A stand-in for a fitted model with a posterior: crafter_oo plus one uncertain zombie bite.

Shared by the IWOCS benchmark tests, so they run on real Crafter states without loading
a learned model.
"""

from __future__ import annotations

import math

import numpy as np

from crafter_oo import step
from crafter_oo.edit import set_inventory
from crafter_oo.state import WorldState


def zombie_next_to_player(state: WorldState) -> bool:
    px, py = state.player.pos
    return any(abs(z.pos[0] - px) + abs(z.pos[1] - py) == 1 for _, z in state.creatures("zombie"))


class ZombieBite:
    """crafter_oo, then: a living player next to a zombie loses one more health with probability
    ``bite``. The posterior on ``bite`` is Beta(alpha, beta); the point value is its mean."""

    def __init__(self, alpha: float, beta: float, bite: float | None = None) -> None:
        self.alpha, self.beta = alpha, beta
        self.bite = alpha / (alpha + beta) if bite is None else bite

    def _bitten(self, state: WorldState, action: int) -> tuple[WorldState, WorldState | None]:
        base = step(state, action).state
        if base.player.health > 0 and zombie_next_to_player(base):
            return base, set_inventory(base, health=base.player.health - 1)
        return base, None

    def sample(self, state: WorldState, action: int, rng: np.random.Generator) -> WorldState:
        base, bitten = self._bitten(state, action)
        return bitten if bitten is not None and rng.random() < self.bite else base

    def log_prob(self, state: WorldState, action: int, next_state: WorldState) -> float:
        base, bitten = self._bitten(state, action)
        if bitten is None:
            return 0.0 if next_state == base else -math.inf
        if next_state == bitten:
            return math.log(self.bite) if self.bite > 0 else -math.inf
        return math.log1p(-self.bite) if next_state == base and self.bite < 1 else -math.inf

    def posterior_samples(self, n: int, rng: np.random.Generator) -> list["ZombieBite"]:
        return [ZombieBite(self.alpha, self.beta, float(rng.beta(self.alpha, self.beta))) for _ in range(n)]

    def parameters(self) -> dict[str, float]:
        return {"bite.p": self.bite}

    def coordinate_sizes(self) -> dict[str, int]:
        return {"bite.p": 1}

    def at_coordinates(self, coordinates) -> "ZombieBite":
        """The bite moved by 0.1 per coordinate from the posterior mean (a stand-in's box)."""
        z = float(np.asarray(coordinates.get("bite.p", [0.0]))[0])
        return ZombieBite(self.alpha, self.beta, float(np.clip(self.alpha / (self.alpha + self.beta) + 0.1 * z, 0, 1)))
