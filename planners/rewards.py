"""Reward functions as plain callables on (state, action, next_state), and the end of an episode.

They read only the player's health and achievement counts, which every model predicts,
so the same reward works on states from the true game and from a learned model.
"""

from __future__ import annotations

from typing import Callable

from crafter_oo.rules import ACHIEVEMENTS
from crafter_oo.state import WorldState

Reward = Callable[[WorldState, object, WorldState], float]


def _unlocked(state: WorldState) -> set[str]:
    return set(state.unlocked) | {name for name, count in state.player.achievements.items() if count > 0}


def crafter_reward(state: WorldState, action: object, next_state: WorldState) -> float:
    """Crafter's own reward: +1 if any achievement unlocks for the first time, plus Δhealth/10."""
    health_change = (next_state.player.health - state.player.health) / 10
    new = any(count > 0 and name not in _unlocked(state)
              for name, count in next_state.player.achievements.items())
    return health_change + (1.0 if new else 0.0)


def player_dead(state: WorldState) -> bool:
    """An episode ends when the player's health reaches 0."""
    return state.player.health <= 0


def survival_reward(state: WorldState, action: object, next_state: WorldState) -> float:
    """+1 for every step that ends with the player alive."""
    return 0.0 if player_dead(next_state) else 1.0


def achievement_reward(name: str) -> Reward:
    """+1 each time the achievement ``name`` is earned."""
    if name not in ACHIEVEMENTS:
        raise ValueError(f"unknown achievement {name!r}; expected one of {list(ACHIEVEMENTS)}")

    def reward(state: WorldState, action: object, next_state: WorldState) -> float:
        return float(next_state.player.achievements[name] > state.player.achievements[name])

    reward.__name__ = f"reach_{name}"
    return reward
