"""What one life shows: each transition as a scene, and for each target attribute its value
before and after, per binding (the player, or each creature of a kind)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from crafter_oo.state import WorldState

from onelife.attributes import Domain, births, current, domain, observed
from onelife.builtins import Ref, Scene
from onelife.interpret import target_key
from onelife.law import Expr

Transition = tuple[WorldState, str, WorldState]


@dataclass(frozen=True, slots=True)
class Example:
    """One binding in one transition: the scene it is read in and the bound entity (``None``: the player's)."""

    transition: int
    scene: Scene
    binding: Ref | None


class Observed(NamedTuple):
    """An attribute's value before and after a step, and its domain (numbers are clamped into it)."""

    old: Any
    new: Any
    domain: Domain


def player_examples(transitions: list[Transition]) -> list[Example]:
    """One example per transition, for laws about the player and the cell it faces."""
    return [Example(t, Scene(state, action), None) for t, (state, action, _) in enumerate(transitions)]


def creature_examples(transitions: list[Transition], kind: str) -> list[Example]:
    """One example per creature of ``kind`` per transition (the laws quantified over that kind)."""
    examples = []
    for t, (state, action, _) in enumerate(transitions):
        scene = Scene(state, action)
        examples.extend(Example(t, scene, ref) for ref in scene.refs(kind))
    return examples


def before_after(target: Expr, var: str | None, examples: list[Example],
                 transitions: list[Transition]) -> list[Observed | None]:
    """The target attribute's value before and after each example's step; ``None`` where the
    target is void (a cell outside the map) or the bound entity is gone and only ``alive`` is seen."""
    result: list[Observed | None] = []
    born_cache: dict[int, dict] = {}
    for example in examples:
        state, _, next_state = transitions[example.transition]
        env = {"player": Ref(1), "action": example.scene.action, "step": state.step, "daylight": state.daylight}
        if var is not None:
            env[var] = example.binding
        key = target_key(target, example.scene, env)
        if key is None or (key[0] not in ("material", "born") and key[1] != "alive"
                           and key[0] not in next_state.objects):
            result.append(None)
            continue
        if example.transition not in born_cache:
            born_cache[example.transition] = births(state, next_state)
        result.append(Observed(current(key, state), observed(key, state, next_state, born_cache[example.transition]),
                               domain(key, state)))
    return result
