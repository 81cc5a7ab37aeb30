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
from onelife.trajectory import Trajectory, TrajectoryFormatError, TrajectoryWriter

Policy = Callable[[WorldState, np.random.Generator], str]


def explore(seed: int, steps: int = 2000, policy: str | Policy = "learning",
            progress: Callable[[int, WorldState], None] | None = None,
            out: str | Path | None = None, rules: crafter_oo.Rules = crafter_oo.Rules.crafter(),
            resume: Trajectory | None = None) -> Trajectory:
    """Play one life of ``crafter_oo`` from ``new_game(seed, rules=rules)`` until death or
    ``steps`` steps (the states carry the rules, so the trajectory records them).

    ``policy`` is ``"learning"`` (``onelife.explorer``: learns the rules as it lives; pass a
    ``LearningPolicy`` to read what it believes afterwards), ``"novelty"``, ``"random"`` or a
    callable ``(state, rng) -> action name``.
    ``progress(steps_done, state)`` is called after every step. With ``out``, the
    trajectory is also written there line by line as it is played (see
    ``onelife.trajectory``), so an interrupted run leaves a loadable file.
    ``resume``, the life an interrupted run left in ``out``, is replayed through the player
    (which relearns what it had learned and redraws its random choices) and then continued,
    so the finished file is the one an uninterrupted run writes.
    """
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    choose, name = _policy(policy)
    rng = np.random.default_rng(seed)
    state = new_game(seed, rules=rules)
    states, actions = [state], []
    if resume is not None:
        if out is None:
            raise ValueError("resume continues a life in a file: give out as well")
        _replay(resume, seed, name, steps, state, choose, rng)
        states, actions, state = list(resume.states), list(resume.actions), resume.states[-1]
        writer = TrajectoryWriter.continuing(out, resume)
    else:
        writer = TrajectoryWriter(out, seed, name, steps, state) if out is not None else None
    ended = "step limit"
    try:
        for _ in range(steps - len(actions)):
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


def _replay(played: Trajectory, seed: int, policy: str, steps: int, first: WorldState, choose: Policy,
            rng: np.random.Generator) -> None:
    """Feed ``played`` to the player as if it were being played now, checking that it is this
    life (same seed, player, limit and world) and that every recorded step is what the player
    chooses and what the game does."""
    settings = {"seed": (played.seed, seed), "policy": (played.policy, policy),
                "step limit": (played.step_limit, steps)}
    for what, (recorded, asked) in settings.items():
        if recorded != asked:
            raise TrajectoryFormatError(f"cannot resume: the life was played with {what} {recorded!r}, "
                                        f"not {asked!r}")
    if played.states[0] != first:
        raise TrajectoryFormatError("cannot resume: the life's first state is not this seed's world "
                                    "under these rules")
    for number, (state, action, following) in enumerate(played.transitions, start=1):
        chosen = ACTIONS[action_index(choose(state, rng))]
        if chosen != action:
            raise TrajectoryFormatError(f"cannot resume: at step {number} the player chooses {chosen!r}, "
                                        f"the file says {action!r}")
        if crafter_oo.step(state, action).state != following:
            raise TrajectoryFormatError(f"cannot resume: step {number}'s recorded state is not what the "
                                        f"game makes of the one before")


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
