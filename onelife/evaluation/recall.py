"""Recall of the rulebook: per mechanic, does a model's distribution of outcomes on a probe
state match the game's (total variation at most ``TV_RECALLED``)?

Probes come from the evaluation's scenarios, built in a world's rules and played in the true
game: the state and action of the transition that showed the scenario's event (a mechanic
per success or extra scenario), plus the first step of three scenarios for creatures'
moves and falling asleep. The outcome read from a next state is what the mechanic changes
that one can see: the player's item and achievement changes, sleeping, changed cells,
births and deaths per kind; for moves, each creature's displacement; for a plant's growth,
its growth. Both sides are sampled from the same probe: the game with its chance redrawn
(``TrueModel(resample_chance=True)``), the model with ``sample_many``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Hashable

import numpy as np

from crafter_oo.rules import Rules
from crafter_oo.state import WorldState
from onelife.evaluation.one_life import total_variation
from onelife.evaluation.scenarios import ScenarioError, run_scenario, scenarios_for
from worldmodel import TrueModel

TV_RECALLED = 0.1
Read = Callable[[WorldState, WorldState], Hashable]


def _deltas(before: dict[str, int], after: dict[str, int]) -> tuple:
    return tuple(sorted((k, after[k] - before[k]) for k in before if after[k] != before[k]))


def _census(first: WorldState, second: WorldState) -> tuple:
    """Per kind, how many objects of the one state are missing from the other."""
    return tuple(sorted(Counter(o.kind for oid, o in first.objects.items() if oid not in second.objects).items()))


def visible_outcome(state: WorldState, next_state: WorldState) -> Hashable:
    """What a step visibly changed: items, achievements, sleeping, cells, births and deaths."""
    cells = tuple((tuple(int(v) for v in xy), int(next_state.materials[tuple(xy)]))
                  for xy in np.argwhere(state.materials != next_state.materials))
    return (_deltas(state.player.inventory, next_state.player.inventory),
            _deltas(state.player.achievements, next_state.player.achievements),
            next_state.player.sleeping, cells, _census(next_state, state), _census(state, next_state))


def moves(kind: str) -> Read:
    """Each creature of ``kind``'s displacement, or ``gone``."""
    def read(state: WorldState, next_state: WorldState) -> Hashable:
        return tuple("gone" if oid not in next_state.objects else
                     (next_state.objects[oid].pos[0] - c.pos[0], next_state.objects[oid].pos[1] - c.pos[1])
                     for oid, c in state.creatures(kind))
    return read


def player_move(state: WorldState, next_state: WorldState) -> Hashable:
    return (next_state.player.pos[0] - state.player.pos[0], next_state.player.pos[1] - state.player.pos[1])


def plant_growth(state: WorldState, next_state: WorldState) -> Hashable:
    return tuple("gone" if oid not in next_state.objects else next_state.objects[oid].grown - p.grown  # type: ignore[union-attr]
                 for oid, p in state.creatures("plant"))


READS: dict[str, Read] = {"cow_movement": moves("cow"), "random_movement": player_move, "plant_ripens": plant_growth}
# Mechanics read from the first step of a scenario: (mechanic, scenario, read).
FIRST_STEPS: tuple[tuple[str, str, Read], ...] = (
    ("zombie_movement", "night_zombie_attack", moves("zombie")),
    ("skeleton_movement", "skeleton_shoots_arrow", moves("skeleton")),
    ("fall_asleep", "wake_up", visible_outcome),
)


@dataclass(frozen=True, slots=True)
class Probe:
    """A state and action that exercise one mechanic, and what to read from a next state."""

    mechanic: str
    state: WorldState
    action: str
    read: Read


def probes(rules: Rules = Rules.crafter(), seed: int = 42) -> tuple[list[Probe], dict[str, str]]:
    """The probes of every success and extra scenario in the world of ``rules``, and the
    mechanics left out with the reason."""
    registry, left_out = scenarios_for(rules)
    found, runs = [], {}
    for name, scenario in registry.items():
        if scenario.variant == "failure":
            continue
        try:
            runs[name] = run = run_scenario(scenario, seed)
        except ScenarioError as error:
            left_out[name] = str(error)
            continue
        event = next(t for t in run.transitions if scenario.event(t.state, t.action, t.next_state))
        found.append(Probe(name, event.state, event.action, READS.get(name, visible_outcome)))
    for mechanic, name, read in FIRST_STEPS:
        if name in runs:
            first = runs[name].transitions[0]
            found.append(Probe(mechanic, first.state, first.action, read))
        else:
            left_out[mechanic] = f"its scenario {name} was not played: {left_out.get(name, 'left out')}"
    return found, left_out


def recall(model: Any, found: list[Probe], samples: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    """Per probe: the total variation between the model's and the game's outcomes, and
    whether it is within ``TV_RECALLED``."""
    game = TrueModel(resample_chance=True)
    rows = []
    for probe in found:
        ours = Counter(probe.read(probe.state, s2) for s2 in _samples(model, probe, samples, rng))
        theirs = Counter(probe.read(probe.state, game.sample(probe.state, probe.action, rng)) for _ in range(samples))
        tv = total_variation(ours, theirs)
        rows.append({"mechanic": probe.mechanic, "tv": tv, "recalled": tv <= TV_RECALLED,
                     "model": str(ours.most_common(2)), "game": str(theirs.most_common(2))})
    return rows


def _samples(model: Any, probe: Probe, n: int, rng: np.random.Generator) -> list[WorldState]:
    if hasattr(model, "sample_many"):
        return model.sample_many(probe.state, probe.action, n, rng)
    return [model.sample(probe.state, probe.action, rng) for _ in range(n)]
