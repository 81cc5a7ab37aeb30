"""Helpers for the explorer's tests: teach a ``Knowledge`` real transitions of the game."""

from __future__ import annotations

import crafter_oo
from crafter_oo.state import WorldState
from onelife.explorer.knowledge import Knowledge
from onelife.explorer.perception import perceive


def teach(knowledge: Knowledge, state: WorldState, action: str) -> WorldState:
    """Show ``knowledge`` the screen of ``state``, then what ``action`` led to (the real game
    steps it); returns the next state."""
    before = perceive(state)
    knowledge.observe(None, None, before)
    knowledge.pending = None
    after = crafter_oo.step(state, action).state
    knowledge.observe(before, action, perceive(after))
    return after


def show(knowledge: Knowledge, *states: WorldState) -> None:
    """Show ``knowledge`` screens one after another (no action of the player's own between)."""
    previous = None
    for state in states:
        obs = perceive(state)
        knowledge.observe(previous, "noop" if previous is not None else None, obs)
        previous = obs
