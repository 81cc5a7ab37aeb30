"""The pure transition function ``step(state, action) -> StepResult``.

One step is a composition of named phases in the reference's order (crafter-spec §1.3):
advance the clock, update every object near the player in creation order, balance the
chunks every 10th step (in Crafter), spend the random draws the reference's night-time
rendering makes, then compute reward and termination. The rules come from the state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from crafter_oo.balance import balance_chunks
from crafter_oo.creatures import CREATURE_UPDATES
from crafter_oo.player import update_player
from crafter_oo.rules import ACTIONS, action_index
from crafter_oo.state import WorldState
from crafter_oo.turn import Turn


@dataclass(frozen=True, slots=True)
class StepResult:
    """The next state with the reference's reward, ``done`` flag and info fields."""

    state: WorldState
    reward: float
    done: bool
    info: dict[str, Any]


def daylight_at(step: int, day_length: int) -> float:
    """Daylight in [0, 1] with the reference's float64 arithmetic (for Crafter's day of 300
    steps: 1 at step 60, 0 at step 210)."""
    progress = (step / day_length) % 1 + 0.3
    return float(1 - np.abs(np.cos(np.pi * progress)) ** 3)


def night_step(day_length: int) -> int:
    """A step deep in the first night, three fifths into the day (Crafter's step 180 of 300:
    daylight 0.14, when zombies fill grassy chunks and the player is tired)."""
    return day_length * 3 // 5


def step(state: WorldState, action: int | str) -> StepResult:
    """Advance ``state`` by one step of ``action`` (an index or name from ``ACTIONS``)."""
    name = ACTIONS[action_index(action)]
    turn = Turn(state)
    rules = turn.rules
    step_count = state.step + 1
    daylight = daylight_at(step_count, rules.day_length)
    _update_objects(turn, name)
    if step_count % rules.balance.every == 0:
        balance_chunks(turn, daylight)
    if daylight < 0.5:  # rendering's draws, tied to the light, not a rule
        _spend_night_render_draws(turn)
    player = turn.player
    reward = (player.health - state.last_health) / 10
    newly_unlocked = {name for name, count in player.achievements.items()
                      if count > 0 and name not in state.unlocked}
    if newly_unlocked:
        reward += 1.0
    dead = player.health <= 0
    length = state.config.length
    done = dead or bool(length and step_count >= length)
    next_state = WorldState(
        config=state.config, seed=state.seed, episode=state.episode, step=step_count,
        daylight=daylight, materials=turn.freeze_materials(), objects=turn.objects,
        next_id=turn.next_id, chunks=tuple(turn.chunks),
        unlocked=state.unlocked | newly_unlocked, last_health=player.health,
        rng=turn.next_rng())
    info = {
        "inventory": dict(player.inventory),
        "achievements": dict(player.achievements),
        "discount": 1 - float(dead),
        "player_pos": player.pos,
        "reward": reward,
        "unlocked": frozenset(newly_unlocked),
        "dead": dead,
    }
    return StepResult(next_state, reward, done, info)


def _update_objects(turn: Turn, action: str) -> None:
    """Update objects within the radius, in creation order, over a snapshot of the ids.

    The player is object 1, so first, and only its own update moves it: the creatures'
    distance checks all measure from where that update left it.
    """
    radius = turn.config.update_radius
    creature_ids = list(turn.objects)[1:]
    update_player(turn, action)
    px, py = turn.player.pos
    for oid in creature_ids:
        obj = turn.objects[oid]
        x, y = obj.pos
        if abs(x - px) + abs(y - py) < radius:  # the L1 distance, inline: ~70 objects a step
            CREATURE_UPDATES[obj.kind](turn, oid)


def _spend_night_render_draws(turn: Turn) -> None:
    """The reference's night render draws one uniform per local-view pixel; match it."""
    width, height = turn.config.night_noise_shape
    turn.rng.random_sample(width * height)
