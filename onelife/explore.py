"""One life of goal-free play in crafter_oo, recorded as a ``Trajectory``.

Three players: ``learning`` (the default, ``onelife.explorer.LearningPolicy``) knows the
state's schema only and learns the game while it lives; ``novelty``
(``onelife.novelty.NoveltyPolicy``) is the reference that knows Crafter's rules; ``random``
presses a uniformly random action every step. This module is the driver, not a player: it
builds the world from the rules it is given (the world's, which the players never receive
apart from the state itself), steps the game and records the life.

Everything is seeded: the world from ``new_game(seed, rules=rules)``, ties and random play
from ``np.random.default_rng(seed)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

import crafter_oo
from crafter_oo.game import new_game
from crafter_oo.rules import ACTIONS, action_index
from crafter_oo.state import WorldState
from onelife.explorer import LearningPolicy
from onelife.novelty import NoveltyPolicy
from onelife.trajectory import Trajectory, TrajectoryWriter

Policy = Callable[[WorldState, np.random.Generator], str]


def explore(seed: int, steps: int = 2000, policy: str | Policy = "learning",
            progress: Callable[[int, WorldState], None] | None = None,
            out: str | Path | None = None, rules: crafter_oo.Rules = crafter_oo.Rules.crafter()) -> Trajectory:
    """Play one life of ``crafter_oo`` from ``new_game(seed, rules=rules)`` until death or
    ``steps`` steps (the states carry the rules, so the trajectory records them).

    ``policy`` is ``"learning"`` (``onelife.explorer``: learns the rules as it lives; pass a
    ``LearningPolicy`` to read what it believes afterwards), ``"novelty"``, ``"random"`` or a
    callable ``(state, rng) -> action name``.
    ``progress(steps_done, state)`` is called after every step. With ``out``, the
    trajectory is also written there line by line as it is played (see
    ``onelife.trajectory``), so an interrupted run leaves a loadable file.
    """
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    choose, name = _policy(policy)
    rng = np.random.default_rng(seed)
    state = new_game(seed, rules=rules)
    states, actions = [state], []
    writer = TrajectoryWriter(out, seed, name, steps, state) if out is not None else None
    ended = "step limit"
    try:
        for _ in range(steps):
            action = choose(state, rng)
            result = crafter_oo.step(state, action)
            state = result.state
            states.append(state)
            actions.append(ACTIONS[action_index(action)])
            if writer is not None:
                writer.add(actions[-1], state)
            if progress is not None:
                progress(len(actions), state)
            if result.done:
                ended = "died" if result.info["dead"] else "step limit"
                break
        if writer is not None:
            writer.finish(ended)
    finally:
        if writer is not None:
            writer.close()
    return Trajectory(seed, name, steps, states, actions, ended)


POLICIES = ("learning", "novelty", "random")


def _policy(policy: str | Policy) -> tuple[Policy, str]:
    if policy == "learning" or isinstance(policy, LearningPolicy):
        return (policy if isinstance(policy, LearningPolicy) else LearningPolicy()), "learning"
    if policy == "novelty":
        return NoveltyPolicy(), "novelty"
    if policy == "random":
        return random_policy, "random"
    if callable(policy):
        return policy, getattr(policy, "__name__", type(policy).__name__)
    raise ValueError(f"policy must be one of {POLICIES} or a callable, got {policy!r}")


def random_policy(state: WorldState, rng: np.random.Generator) -> str:
    """A uniformly random action."""
    return ACTIONS[int(rng.integers(len(ACTIONS)))]
