"""The frame law's statistics: how many attributes no active law speaks about kept or changed
their value in a transition, per family, and the constant the changed ones contribute.

Only what differs is walked: an entity equal in both states (states share unchanged
objects, so mostly it is the same object) has every unpooled attribute unchanged, an
entity's attributes are compared by value before their domains are worked out, and the
map is compared as arrays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from crafter_oo.state import WorldState

from onelife.attributes import (
    CREATURE_PATHS, FAMILIES, PLAYER_PATHS, Domain, Key, born_keys, current, domain, family, materials_changed,
    observed, read,
)

FAMILY_INDEX = {name: i for i, name in enumerate(FAMILIES)}


@dataclass(slots=True)
class FrameTally:
    """One transition's frame counts per family (views into the batch's arrays) and constant."""

    unchanged: np.ndarray
    changed: np.ndarray
    const: float = 0.0

    def record(self, key: Key, size: int, same: bool) -> None:
        """Count one unpooled attribute: kept, or changed to one of its ``size - 1`` other values."""
        column = FAMILY_INDEX[family(key)]
        if same:
            self.unchanged[column] += 1
        else:
            self.changed[column] += 1
            self.const -= math.log(size - 1)


def count_frame(state: WorldState, next_state: WorldState, born: dict[Key, Any], pooled: set[Key],
                tally: FrameTally) -> None:
    """Count every unpooled attribute of one transition into ``tally``."""
    kept: set[int] = set()
    for oid, obj in state.objects.items():
        after = next_state.objects.get(oid)
        if after is obj or (type(after) is type(obj) and after == obj):
            kept.add(oid)
            tally.unchanged += _PATH_FAMILIES["player" if oid == 1 else obj.kind]
            continue
        for path in PLAYER_PATHS if oid == 1 else CREATURE_PATHS[obj.kind]:
            key = (oid, path)
            if key in pooled or (path != "alive" and after is None):
                continue
            if after is not None and _same(read(obj, path), read(after, path)):
                tally.unchanged[FAMILY_INDEX[family(key)]] += 1
                continue
            attribute_domain = domain(key, state)
            value = checked_observation(key, attribute_domain, state, next_state, born)
            tally.record(key, attribute_domain.size,
                         attribute_domain.index(value) == attribute_domain.index(current(key, state)))
    for key in pooled:
        if key[0] in kept and key[1] in _PATHS[_kind(state, key[0])]:
            tally.unchanged[FAMILY_INDEX[family(key)]] -= 1
    count_cells_and_births(state, next_state, born, pooled, tally)


def count_cells_and_births(state: WorldState, next_state: WorldState, born: dict[Key, Any], pooled: set[Key],
                           tally: FrameTally) -> None:
    """Count the unpooled map cells (changed ones from the arrays' difference) and birth slots."""
    for cell in materials_changed(state, next_state):
        key = ("material", cell)
        if key not in pooled:
            checked_observation(key, domain(key, state), state, next_state, born)
            tally.record(key, domain(key, state).size, False)
    width, height = state.config.area
    tally.unchanged[FAMILY_INDEX["material"]] += width * height - sum(1 for k in pooled if k[0] == "material") \
        - tally.changed[FAMILY_INDEX["material"]]
    for key in born:
        if key not in pooled:
            tally.record(key, _checked_birth_domain(key, state, born).size, False)
    slots_changed = sum(1 for key in born if len(key) == 3 and key not in pooled)  # not the extra newborns
    tally.unchanged[FAMILY_INDEX["born"]] += len(born_keys(state.config.area)) \
        - sum(1 for k in pooled if k[0] == "born") - slots_changed


def checked_observation(key: Key, attribute_domain: Domain, state: WorldState, next_state: WorldState,
                        born: dict[Key, Any]) -> Any:
    """The attribute's value in ``next_state``, which must lie in its domain."""
    if key[0] == "joint":
        return tuple(checked_observation(member, part, state, next_state, born)
                     for member, part in zip(key[1], attribute_domain.parts))  # type: ignore[union-attr]
    value = observed(key, state, next_state, born)
    if attribute_domain.index(value) is None:
        raise ValueError(f"attribute {key} of the next state has the value {value!r}, outside its domain")
    return value


def _checked_birth_domain(key: Key, state: WorldState, born: dict[Key, Any]) -> Domain:
    attribute_domain = domain(key, state)
    if attribute_domain.index(born[key]) is None:
        raise ValueError(f"newborn {key[1]} at {born[key]!r} is outside the map")
    return attribute_domain


def _same(old: Any, new: Any) -> bool:
    """Whether an attribute kept its value (of the same type, so its domain index is the same too)."""
    return type(old) is type(new) and old == new


def _kind(state: WorldState, oid: int) -> str:
    return "player" if oid == 1 else state.objects[oid].kind


def _family_counts(paths: tuple[str, ...]) -> np.ndarray:
    """How many of an entity's attributes fall in each frame family."""
    counts = np.zeros(len(FAMILIES))
    for path in paths:
        counts[FAMILY_INDEX[family((2, path))]] += 1
    return counts


_PATHS: dict[str, frozenset[str]] = {"player": frozenset(PLAYER_PATHS),
                                     **{kind: frozenset(paths) for kind, paths in CREATURE_PATHS.items()}}
_PATH_FAMILIES: dict[str, np.ndarray] = {"player": _family_counts(PLAYER_PATHS),
                                         **{kind: _family_counts(paths) for kind, paths in CREATURE_PATHS.items()}}
