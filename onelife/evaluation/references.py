"""Reference models shown beside every evaluated model.

- ``ceiling``: the game with its random generator resampled, each candidate scored by its
  estimated probability under the game's own chance (``ceiling.ChanceCeiling``): the best
  any model of the game can do, which every evaluated model's gap is measured to.
- ``true``: the simulator itself with the game's own generator (``worldmodel.TrueModel``);
  it knows how every coin falls, so it must score perfectly.
- ``null``: nothing happens but time: the next state is the current one with the clock
  advanced (step + 1 and its daylight). Scores 0 for that state and -inf for any other.
- ``random``: a log-probability drawn uniformly from [-1, 0) per distinct candidate,
  from a hash of the scorer's seed and the candidate, so equal candidates score equally
  and runs are reproducible. It predicts like ``null`` (its fidelity figures are null's).
- ``heuristic``: the published model family's scoring. ``PublishedHeuristic`` wraps a base
  predictor (by default the true simulator, deterministic given the state) and trusts it
  only for the attributes that family modelled (the player's position, facing, sleeping
  flag, inventory and achievements, the clock, unlocked achievements and the env's last
  health; chunk keys are not compared). A candidate scores -inf if it has a birth, a death or a tile change relative to the current state
  (not representable), or disagrees with the base on a modelled attribute. Otherwise each
  unmodelled attribute (a creature's position, health, cooldown, reload, growth or facing;
  the player's hunger, thirst, fatigue, recover counters and last health) scores 0 if
  unchanged from the current state and -1 if changed. Its sample is the base's next state
  with every unmodelled attribute, object and tile as in the current state.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from typing import Any

import numpy as np

from crafter_oo.state import WorldState
from onelife.evaluation.ceiling import ChanceCeiling
from onelife.evaluation.views import view_key
from worldmodel import Action, NullModel, TrueModel, WorldModel

PLAYER_MODELLED: tuple[str, ...] = ("pos", "facing", "sleeping", "inventory", "achievements")
PLAYER_UNMODELLED: tuple[str, ...] = ("hunger", "thirst", "fatigue", "recover", "last_health")
REFERENCE_NAMES: tuple[str, ...] = ("ceiling", "true", "null", "random", "heuristic")


class RandomScorer(NullModel):
    """Scores every distinct candidate with a reproducible uniform draw in [-1, 0)."""

    def __init__(self, seed: int) -> None:
        super().__init__(advance_clock=True)
        self.seed = seed

    def log_prob(self, state: WorldState, action: Action, next_state: WorldState) -> float:
        digest = hashlib.sha256(f"{self.seed}|{view_key(next_state)}".encode()).digest()
        return int.from_bytes(digest[:8], "little") / 2.0**64 - 1.0

    def __repr__(self) -> str:
        return f"RandomScorer(seed={self.seed})"


class PublishedHeuristic:
    """The published family's scores around a base predictor (see the module docstring)."""

    def __init__(self, base: WorldModel | None = None, seed: int = 0) -> None:
        self.base = base if base is not None else TrueModel()
        self.seed = seed

    def _predict(self, state: WorldState, action: Action) -> WorldState:
        return self.base.sample(state, action, np.random.default_rng(self.seed))

    def sample(self, state: WorldState, action: Action, rng: np.random.Generator) -> WorldState:
        predicted = self._predict(state, action)
        player = state.player.clone()
        for name in PLAYER_MODELLED:
            value = getattr(predicted.player, name)
            setattr(player, name, dict(value) if isinstance(value, dict) else value)
        objects = dict(state.objects)
        objects[1] = player
        return dataclasses.replace(predicted, objects=objects, materials=state.materials,
                                   next_id=state.next_id)

    def log_prob(self, state: WorldState, action: Action, next_state: WorldState) -> float:
        if (list(next_state.objects) != list(state.objects)
                or not np.array_equal(next_state.materials, state.materials)):
            return -math.inf
        predicted = self._predict(state, action)
        if _modelled(next_state, next_state.next_id) != _modelled(predicted, state.next_id):
            return -math.inf
        changed = sum(getattr(next_state.player, name) != getattr(state.player, name)
                      for name in PLAYER_UNMODELLED)
        for oid, creature in state.creatures():
            after = next_state.objects[oid]
            changed += sum(getattr(after, f.name) != getattr(creature, f.name)
                           for f in dataclasses.fields(creature))
        return -float(changed)

    def __repr__(self) -> str:
        return f"PublishedHeuristic(base={self.base!r})"


def _modelled(state: WorldState, next_id: int) -> tuple[Any, ...]:
    """The attributes the published family predicts (births aside: ``next_id`` is given)."""
    player = state.player
    return (state.config, state.seed, state.episode, state.step, state.daylight, next_id,
            state.unlocked, state.last_health,
            *(getattr(player, name) for name in PLAYER_MODELLED))


def reference_model(name: str, seed: int) -> WorldModel:
    """A reference model by name (one of ``REFERENCE_NAMES``)."""
    if name == "ceiling":
        return ChanceCeiling(seed)
    if name == "true":
        return TrueModel()
    if name == "null":
        return NullModel(advance_clock=True)
    if name == "random":
        return RandomScorer(seed)
    if name == "heuristic":
        return PublishedHeuristic(seed=seed)
    raise ValueError(f"unknown reference model {name!r}; expected one of {list(REFERENCE_NAMES)}")
