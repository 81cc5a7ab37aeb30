"""Editing helpers for building scenarios: each returns a new state and rejects edits the
game could never reach (two objects on one cell, a position off the map, an unknown item).

Edits keep the game's bookkeeping consistent: a new creature gets the next creation index,
its chunk key is registered and its health is the rules' unless given, exactly as if the game
had added it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from crafter_oo.rules import ACHIEVEMENTS, CHAR_MATERIAL_ID, DIRECTIONS, ITEM_MAX, ITEMS, MATERIAL_ID, Rules
from crafter_oo.state import CREATURE_CLASSES, Creature, GameConfig, GameObject, Player, Pos, RngState, WorldState
from crafter_oo.step import daylight_at
from crafter_oo.geometry import chunk_key


class EditError(ValueError):
    """An edit that would produce a state the game cannot be in."""


def blank_world(area: Pos = (9, 9), player_pos: Pos | None = None, material: str = "grass",
                facing: Pos = (1, 0), seed: int = 0, length: int | None = 10000,
                view: Pos = (9, 9), size: Pos = (64, 64), rules: Rules = Rules.crafter()) -> WorldState:
    """A map of one material with only the player on it, for hand-made scenarios."""
    if not isinstance(rules, Rules):
        raise EditError(f"rules must be a crafter_oo.Rules, got {type(rules).__name__}")
    config = GameConfig(tuple(area), tuple(view), tuple(size), length, rules)  # type: ignore[arg-type]
    pos = player_pos if player_pos is not None else (area[0] // 2, area[1] // 2)
    _check_inside(config, pos, "player position")
    _check_material(material)
    _check_facing(facing)
    materials = np.full(config.area, MATERIAL_ID[material], dtype=np.uint8)
    materials.flags.writeable = False
    player = Player(tuple(pos), tuple(facing))  # type: ignore[arg-type]
    return WorldState(config=config, seed=seed, episode=1, step=0, daylight=daylight_at(0, rules.day_length),
                      materials=materials, objects={1: player}, next_id=2,
                      chunks=(chunk_key(player.pos, config.area),), unlocked=frozenset(),
                      last_health=player.health,
                      rng=RngState.capture(np.random.RandomState(seed)))


def drawn_world(rows: list[str], objects: list[GameObject], step: int = 0, seed: int = 0,
                rules: Rules = Rules.crafter()) -> WorldState:
    """A small world drawn as rows of map characters (``rules.MATERIAL_CHAR``), e.g.
    ``["..~", "T.."]``, with ``objects`` in creation order, the player first; every chunk
    holding an object is registered, as the game does."""
    if not rows or any(len(row) != len(rows[0]) for row in rows):
        raise EditError(f"rows must be equally long strings, got {rows!r}")
    unknown = sorted({c for row in rows for c in row} - set(CHAR_MATERIAL_ID))
    if unknown:
        raise EditError(f"unknown map characters {unknown}; expected some of {''.join(CHAR_MATERIAL_ID)!r}")
    if not objects or not isinstance(objects[0], Player):
        raise EditError("the first object must be the player")
    config = GameConfig(area=(len(rows[0]), len(rows)), rules=rules)
    occupied: set[Pos] = set()
    for obj in objects:
        _check_inside(config, obj.pos, f"{obj.kind} position")
        if obj.pos in occupied:
            raise EditError(f"two objects on cell {obj.pos}")
        occupied.add(obj.pos)
    grid = np.array([[CHAR_MATERIAL_ID[c] for c in row] for row in rows], dtype=np.uint8).T.copy()
    grid.flags.writeable = False
    chunks: list[tuple[int, int, int, int]] = []
    for key in (chunk_key(obj.pos, config.area) for obj in objects):
        if key not in chunks:
            chunks.append(key)
    return WorldState(config, seed, 1, step, daylight_at(step, rules.day_length), grid,
                      {i + 1: obj for i, obj in enumerate(objects)}, len(objects) + 1, tuple(chunks),
                      frozenset(), objects[0].health, RngState.capture(np.random.RandomState(seed)))


def place_material(state: WorldState, pos: Pos, material: str) -> WorldState:
    """Set one map cell to ``material``."""
    _check_inside(state.config, pos, "cell")
    _check_material(material)
    materials = state.materials.copy()
    materials[pos[0], pos[1]] = MATERIAL_ID[material]
    materials.flags.writeable = False
    return dataclasses.replace(state, materials=materials)


def add_creature(state: WorldState, kind: str, pos: Pos, **fields: Any) -> WorldState:
    """Add a creature with the next creation index (``state.next_id``).

    ``fields`` sets kind-specific values: ``health`` (default: the rules'), ``cooldown``
    (zombie), ``reload`` (skeleton), ``facing`` (arrow, required), ``grown`` (plant).
    """
    if kind not in CREATURE_CLASSES:
        raise EditError(f"unknown creature kind {kind!r}; expected one of {sorted(CREATURE_CLASSES)}")
    _check_free(state, pos)
    if kind == "arrow":
        if "facing" not in fields:
            raise EditError("an arrow needs a facing direction, e.g. facing=(1, 0)")
        _check_facing(fields["facing"])
    fields.setdefault("health", state.config.rules.health_of(kind))
    try:
        creature: Creature = CREATURE_CLASSES[kind](pos=tuple(pos), **fields)
    except TypeError as error:
        raise EditError(f"bad fields for a {kind}: {error}") from None
    objects = dict(state.objects)
    objects[state.next_id] = creature
    return dataclasses.replace(state, objects=objects, next_id=state.next_id + 1,
                               chunks=_with_chunk(state, creature.pos))


def remove_creature(state: WorldState, oid: int) -> WorldState:
    """Remove creature ``oid`` (the player, id 1, cannot be removed)."""
    if oid == 1:
        raise EditError("the player (object 1) cannot be removed")
    if oid not in state.objects:
        raise EditError(f"no object with id {oid}; ids present: {sorted(state.objects)}")
    objects = dict(state.objects)
    del objects[oid]
    return dataclasses.replace(state, objects=objects)


def clear_creatures(state: WorldState) -> WorldState:
    """Remove every creature, keeping the player."""
    return dataclasses.replace(state, objects={1: state.player})


def set_inventory(state: WorldState, **items: int) -> WorldState:
    """Set inventory counts (any of the 16 items, health included), each in 0..9."""
    player = state.player.clone()
    for name, value in items.items():
        if name not in ITEMS:
            raise EditError(f"unknown item {name!r}; expected one of {list(ITEMS)}")
        if not isinstance(value, int) or not 0 <= value <= ITEM_MAX:
            raise EditError(f"{name} must be an integer in 0..{ITEM_MAX}, got {value!r}")
        player.inventory[name] = value
    if "health" in items:
        player.last_health = items["health"]
    return _with_player(state, player, last_health=player.health)


def set_achievements(state: WorldState, **counts: int) -> WorldState:
    """Set achievement counts (non-negative integers)."""
    player = state.player.clone()
    for name, value in counts.items():
        if name not in ACHIEVEMENTS:
            raise EditError(f"unknown achievement {name!r}; expected one of {list(ACHIEVEMENTS)}")
        if not isinstance(value, int) or value < 0:
            raise EditError(f"{name} must be a non-negative integer, got {value!r}")
        player.achievements[name] = value
    return _with_player(state, player)


def set_vitals(state: WorldState, *, hunger: float | None = None, thirst: float | None = None,
               fatigue: float | None = None, recover: float | None = None,
               sleeping: bool | None = None) -> WorldState:
    """Set the hidden vital counters and the sleeping flag (counts use ``set_inventory``)."""
    player = state.player.clone()
    for name, value in (("hunger", hunger), ("thirst", thirst), ("fatigue", fatigue),
                        ("recover", recover)):
        if value is not None:
            if not isinstance(value, (int, float)) or value != value:
                raise EditError(f"{name} must be a number, got {value!r}")
            setattr(player, name, float(value))
    if sleeping is not None:
        player.sleeping = bool(sleeping)
    return _with_player(state, player)


def move_player(state: WorldState, pos: Pos, facing: Pos | None = None) -> WorldState:
    """Put the player on ``pos`` (and optionally turn it)."""
    if tuple(pos) != state.player.pos:
        _check_free(state, pos)
    player = state.player.clone()
    player.pos = tuple(pos)  # type: ignore[assignment]
    if facing is not None:
        _check_facing(facing)
        player.facing = tuple(facing)  # type: ignore[assignment]
    return _with_player(state, player, chunks=_with_chunk(state, player.pos))


def turn_player(state: WorldState, facing: Pos) -> WorldState:
    """Turn the player to face one of the four directions."""
    return move_player(state, state.player.pos, facing)


def set_step(state: WorldState, step: int) -> WorldState:
    """Set the step counter and the daylight that goes with it (e.g. to start at night)."""
    if not isinstance(step, int) or step < 0:
        raise EditError(f"step must be a non-negative integer, got {step!r}")
    return dataclasses.replace(state, step=step, daylight=daylight_at(step, state.config.rules.day_length))


def reseed(state: WorldState, seed: int) -> WorldState:
    """Replace the game's random generator by a fresh one seeded with ``seed``."""
    return dataclasses.replace(state, rng=RngState.capture(np.random.RandomState(seed)))


def _with_player(state: WorldState, player: Player, **changes: Any) -> WorldState:
    objects = dict(state.objects)
    objects[1] = player
    return dataclasses.replace(state, objects=objects, **changes)


def _with_chunk(state: WorldState, pos: Pos) -> tuple:
    key = chunk_key(pos, state.config.area)
    return state.chunks if key in state.chunks else state.chunks + (key,)


def _check_inside(config: GameConfig, pos: Pos, what: str) -> None:
    if len(pos) != 2 or not (0 <= pos[0] < config.area[0] and 0 <= pos[1] < config.area[1]):
        raise EditError(f"{what} {tuple(pos)} is off the {config.area[0]}x{config.area[1]} map")


def _check_free(state: WorldState, pos: Pos) -> None:
    _check_inside(state.config, pos, "position")
    occupant = state.object_at(tuple(pos))  # type: ignore[arg-type]
    if occupant is not None:
        raise EditError(f"cell {tuple(pos)} already holds object {occupant} "
                        f"({state.objects[occupant].kind}); at most one object per cell")


def _check_material(material: str) -> None:
    if material not in MATERIAL_ID or material is None:
        raise EditError(f"unknown material {material!r}; expected one of "
                        f"{[m for m in MATERIAL_ID if m is not None]}")


def _check_facing(facing: Pos) -> None:
    if tuple(facing) not in DIRECTIONS:
        raise EditError(f"facing must be one of {list(DIRECTIONS)}, got {facing!r}")
