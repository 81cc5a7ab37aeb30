"""Scripted policies that drive the evaluation scenarios: repeat an action, hunt a creature,
wander at random.

A policy maps (state, step index, generator) to an action name. The generator is the
scenario trial's own, so a random policy is reproducible from the trial seed.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from crafter_oo.geometry import MOVE_ACTION, distance
from crafter_oo.rules import MOVE_DIRECTION
from crafter_oo.state import WorldState

ScriptedPolicy = Callable[[WorldState, int, np.random.Generator], str]
MOVE_NAMES: tuple[str, ...] = tuple(MOVE_DIRECTION)


def repeat(action: str) -> ScriptedPolicy:
    """The same action every step."""
    def policy(state: WorldState, t: int, rng: np.random.Generator) -> str:
        return action
    return policy


def random_moves() -> ScriptedPolicy:
    """A uniformly random move action every step, drawn from the trial's generator."""
    def policy(state: WorldState, t: int, rng: np.random.Generator) -> str:
        return MOVE_NAMES[int(rng.integers(len(MOVE_NAMES)))]
    return policy


def hunt(kind: str) -> ScriptedPolicy:
    """Walk to the nearest creature of ``kind``, turn to face it and hit it (``do``).

    Moving toward an adjacent, occupied cell only turns the player, as in the game.
    With no such creature left the player waits (``noop``).
    """
    def policy(state: WorldState, t: int, rng: np.random.Generator) -> str:
        player = state.player
        targets = [c.pos for _, c in state.creatures(kind)]
        if not targets:
            return "noop"
        target = min(targets, key=lambda p: (distance(p, player.pos), p))
        dx, dy = target[0] - player.pos[0], target[1] - player.pos[1]
        if abs(dx) + abs(dy) == 1 and player.facing == (dx, dy):
            return "do"
        step = ((dx > 0) - (dx < 0), 0) if abs(dx) >= abs(dy) else (0, (dy > 0) - (dy < 0))
        return MOVE_ACTION[step]
    return policy
