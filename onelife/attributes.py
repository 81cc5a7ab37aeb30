"""The next state as attributes: keys, discrete domains, and conversion to and from ``WorldState``.

An attribute is one semantic unit of the next state. Keys:

- ``(oid, path)`` for an entity: ``pos`` (x and y together), ``alive``, ``health``,
  ``cooldown``, ``reload``, ``grown``, ``facing``; for the player (id 1) also ``sleeping``,
  ``hunger``, ``thirst``, ``fatigue``, ``recover``, ``last_health``, ``inventory.<item>``
  (``inventory.health`` is the player's health) and ``achievements.<name>``.
- ``("material", (x, y))`` for a map cell.
- ``("born", kind, chunk)`` for births: per creature kind and 12 x 12 chunk, either ``None``
  (no birth) or the newborn's cell (for arrows: ``(cell, facing)``). So at most one entity of
  a kind is born per chunk per step: a further one is scored as an unexplained change
  (see ``births``) and never sampled.
  A newborn has its kind's default attributes, and newborns get ids from ``next_id`` on in
  the canonical order of ``born_keys`` (log_prob ignores newborn ids).

Every attribute has a finite domain (see ``domain``). A gone entity (``alive`` false) has no
other attributes. Derived fields of the next state (step, daylight, next_id, chunks,
unlocked, the env's last_health) are computed, not modelled; the RNG state is carried over.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Iterator, Union

import numpy as np

from crafter_oo.rules import (
    ACHIEVEMENTS,
    CHUNK_SIZE,
    DIRECTIONS,
    ITEM_MAX,
    ITEMS,
    MATERIALS,
)
from crafter_oo.state import CREATURE_CLASSES, Player, WorldState
from crafter_oo.step import daylight_at
from crafter_oo.geometry import chunk_key

from onelife.builtins import Chunk, map_chunks

Key = tuple
Cell = tuple[int, int]

FAMILIES: tuple[str, ...] = (
    "pos", "facing", "alive", "health", "cooldown", "reload", "grown", "sleeping",
    "inventory", "achievements", "vitals", "last_health", "material", "born",
)
VITALS: tuple[str, ...] = ("hunger", "thirst", "fatigue", "recover")
PLAYER_PATHS: tuple[str, ...] = (
    "pos", "facing", "sleeping", *VITALS, "last_health",
    *(f"inventory.{item}" for item in ITEMS), *(f"achievements.{a}" for a in ACHIEVEMENTS),
)
CREATURE_PATHS: dict[str, tuple[str, ...]] = {
    "cow": ("alive", "pos", "health"), "zombie": ("alive", "pos", "health", "cooldown"),
    "skeleton": ("alive", "pos", "health", "reload"), "arrow": ("alive", "pos", "health", "facing"),
    "plant": ("alive", "pos", "health", "grown"),
}
REAL_MATERIALS: tuple[str, ...] = tuple(m for m in MATERIALS if m is not None)
VITAL_RANGE: tuple[float, float] = (-15.0, 30.0)  # covers every counter's reachable values


@dataclass(frozen=True, slots=True)
class IntRange:
    """The numbers lo, lo + step, ..., hi; numeric effects are clamped into it."""

    lo: float
    hi: float
    step: float = 1

    @property
    def size(self) -> int:
        return int(round((self.hi - self.lo) / self.step)) + 1

    def index(self, value: Any) -> int | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        k = (value - self.lo) / self.step
        return int(k) if k == int(k) and 0 <= k < self.size else None

    def value(self, index: int) -> Any:
        number = self.lo + index * self.step
        return number if isinstance(self.step, float) else int(number)

    def clamp(self, value: Any) -> Any:
        return min(max(value, self.lo), self.hi) if isinstance(value, (int, float)) else value


@dataclass(frozen=True, slots=True)
class Enum:
    """An explicit tuple of values."""

    values: tuple

    @property
    def size(self) -> int:
        return len(self.values)

    def index(self, value: Any) -> int | None:
        for i, v in enumerate(self.values):
            if v == value and type(v) is type(value):
                return i
        return None

    def value(self, index: int) -> Any:
        return self.values[index]

    def clamp(self, value: Any) -> Any:
        return value


@dataclass(frozen=True, slots=True)
class Cells:
    """The cells of a rectangle, x in [x0, x1), y in [y0, y1)."""

    x0: int
    x1: int
    y0: int
    y1: int

    @property
    def size(self) -> int:
        return (self.x1 - self.x0) * (self.y1 - self.y0)

    def index(self, value: Any) -> int | None:
        if not (isinstance(value, tuple) and len(value) == 2 and all(type(v) is int for v in value)):
            return None
        x, y = value
        if self.x0 <= x < self.x1 and self.y0 <= y < self.y1:
            return (x - self.x0) * (self.y1 - self.y0) + (y - self.y0)
        return None

    def value(self, index: int) -> Cell:
        x, y = divmod(index, self.y1 - self.y0)
        return (self.x0 + x, self.y0 + y)

    def clamp(self, value: Any) -> Any:
        return value


@dataclass(frozen=True, slots=True)
class Births:
    """``None`` or a newborn's cell in a chunk (with one of four facings for arrows)."""

    cells: Cells
    facing: bool

    @property
    def size(self) -> int:
        return 1 + self.cells.size * (len(DIRECTIONS) if self.facing else 1)

    def index(self, value: Any) -> int | None:
        if value is None:
            return 0
        if not self.facing:
            cell = self.cells.index(value)
            return None if cell is None else 1 + cell
        if not (isinstance(value, tuple) and len(value) == 2 and value[1] in DIRECTIONS):
            return None
        cell = self.cells.index(value[0])
        return None if cell is None else 1 + cell * len(DIRECTIONS) + DIRECTIONS.index(value[1])

    def value(self, index: int) -> Any:
        if index == 0:
            return None
        if not self.facing:
            return self.cells.value(index - 1)
        cell, direction = divmod(index - 1, len(DIRECTIONS))
        return (self.cells.value(cell), DIRECTIONS[direction])

    def clamp(self, value: Any) -> Any:
        return value


@dataclass(frozen=True, slots=True)
class Product:
    """Tuples of values, one from each part: the joint domain of a joint outcome's attributes."""

    parts: tuple["Domain", ...]

    @property
    def size(self) -> int:
        return int(np.prod([part.size for part in self.parts]))

    def index(self, value: Any) -> int | None:
        if not isinstance(value, tuple) or len(value) != len(self.parts):
            return None
        result = 0
        for part, component in zip(self.parts, value):
            index = part.index(component)
            if index is None:
                return None
            result = result * part.size + index
        return result

    def value(self, index: int) -> Any:
        components = []
        for part in reversed(self.parts):
            index, rest = divmod(index, part.size)
            components.append(part.value(rest))
        return tuple(reversed(components))

    def clamp(self, value: Any) -> Any:
        return tuple(part.clamp(v) for part, v in zip(self.parts, value))


Domain = Union[IntRange, Enum, Cells, Births, Product]
BOOL = Enum((False, True))
FACINGS = Enum(DIRECTIONS)
MATERIAL_DOMAIN = Enum(REAL_MATERIALS)
SMALL_COUNT = IntRange(0, ITEM_MAX)
VITAL_DOMAIN = IntRange(VITAL_RANGE[0], VITAL_RANGE[1], 0.5)


def family(key: Key) -> str:
    """The frame family of an attribute (each family has its own learned change rate)."""
    if key[0] in ("material", "born"):
        return key[0]
    path = key[1]
    if path == "inventory.health":
        return "health"
    head = path.split(".")[0]
    return "vitals" if head in VITALS else head


def canonical_path(oid: int, path: str) -> str:
    """The attribute path for ``path`` written in a law (``player.health`` is an inventory item)."""
    return "inventory.health" if oid == 1 and path == "health" else path


def domain(key: Key, state: WorldState) -> Domain:
    """The finite set of values the attribute may take in a successor of ``state``.

    Unbounded counters (plant growth, achievement counts) range over 0..max(step, now) + 1,
    since they grow by at most one per step.
    """
    width, height = state.config.area
    if key[0] == "material":
        return MATERIAL_DOMAIN
    if key[0] == "born":
        return birth_domain(key[1], key[2], width, height)
    oid, path = key
    head = path.split(".")[0]
    if head == "pos":
        return Cells(0, width, 0, height)
    if head == "facing":
        return FACINGS
    if head in ("alive", "sleeping"):
        return BOOL
    if head in VITALS:
        return VITAL_DOMAIN
    if head in ("grown", "achievements"):
        return IntRange(0, max(state.step, read(state.objects[oid], path)) + 1)
    return SMALL_COUNT


def birth_domain(kind: str, chunk: Chunk, width: int, height: int) -> Births:
    x0, y0 = chunk.cx * CHUNK_SIZE[0], chunk.cy * CHUNK_SIZE[1]
    cells = Cells(x0, min(x0 + CHUNK_SIZE[0], width), y0, min(y0 + CHUNK_SIZE[1], height))
    return Births(cells, kind == "arrow")


def read(obj: Any, path: str) -> Any:
    """An entity attribute's value on a live object."""
    if path == "alive":
        return True
    if "." in path:
        table, name = path.split(".")
        return getattr(obj, table)[name]
    if path == "health" and isinstance(obj, Player):
        return obj.inventory["health"]
    return getattr(obj, path)


def entity_keys(state: WorldState) -> Iterator[Key]:
    """The keys of every entity attribute of a successor of ``state`` (not cells, not births)."""
    for oid, obj in state.objects.items():
        paths = PLAYER_PATHS if oid == 1 else CREATURE_PATHS[obj.kind]
        for path in paths:
            yield (oid, path)


@functools.cache
def born_keys(area: tuple[int, int]) -> tuple[Key, ...]:
    """Every birth attribute of a map of this size, in the canonical order newborns receive their ids."""
    chunks = map_chunks(area)
    early = [("born", kind, chunk) for chunk in chunks for kind in ("plant", "arrow")]
    balanced = [("born", kind, chunk) for chunk in chunks for kind in ("zombie", "skeleton", "cow")]
    return tuple(early + balanced)


def current(key: Key, state: WorldState) -> Any:
    """The attribute's value now: what the frame law expects it to stay."""
    if key[0] == "material":
        return MATERIALS[state.materials[key[1]]]
    if key[0] == "born":
        return None
    return read(state.objects[key[0]], key[1])


def newborn_value(obj: Any) -> Any:
    """The birth attribute value describing a newborn object."""
    return (obj.pos, obj.facing) if obj.kind == "arrow" else obj.pos


def births(state: WorldState, next_state: WorldState) -> dict[Key, Any]:
    """The birth attributes that are not ``None`` in the step from ``state`` to ``next_state``.

    A second newborn of one kind in one chunk (two skeletons shooting into the same chunk)
    has no birth attribute of its own; it is returned under ``("born", kind, chunk, k)``
    with k = 1, 2, ... so that scoring can count it as an unexplained change.
    """
    width, height = state.config.area
    found: dict[Key, Any] = {}
    for oid, obj in next_state.objects.items():
        if oid in state.objects:
            continue
        if oid < state.next_id:
            raise ValueError(f"object {oid} appears in the next state but is older than next_id "
                             f"{state.next_id}: not a successor")
        x, y = obj.pos
        key: Key = ("born", obj.kind, Chunk(x // CHUNK_SIZE[0], y // CHUNK_SIZE[1]))
        extra = 0
        while key in found:
            extra += 1
            key = (*key[:3], extra)
        if obj != newborn(obj.kind, newborn_value(obj)):
            raise ValueError(f"newborn {obj.kind} {oid} does not have its kind's initial attributes")
        found[key] = newborn_value(obj)
    return found


def newborn(kind: str, value: Any) -> Any:
    """A newborn of a kind from its birth attribute value: the kind's initial attributes."""
    if kind == "arrow":
        return CREATURE_CLASSES[kind](pos=value[0], facing=value[1])
    return CREATURE_CLASSES[kind](pos=value)


def observed(key: Key, state: WorldState, next_state: WorldState, born: dict[Key, Any]) -> Any:
    """The attribute's value in ``next_state`` (``born`` from ``births``)."""
    if key[0] == "material":
        return MATERIALS[next_state.materials[key[1]]]
    if key[0] == "born":
        return born.get(key)
    oid, path = key
    obj = next_state.objects.get(oid)
    if obj is None:
        if oid == 1:
            raise ValueError("the player is missing from the next state")
        return False if path == "alive" else None
    return read(obj, path)


def build(state: WorldState, values: dict[Key, Any], cells: dict[Cell, str],
          newborns: list[tuple[Key, Any]]) -> WorldState:
    """The successor of ``state`` with the given entity attributes, changed cells and births.

    ``values`` must hold every entity key of ``state``; an entity with ``alive`` false is removed.
    """
    objects: dict[int, Any] = {}
    for oid, obj in state.objects.items():
        if oid != 1 and not values[(oid, "alive")]:
            continue
        if oid == 1:
            get = lambda path: values[(1, path)]  # noqa: E731
            objects[1] = Player(
                get("pos"), get("facing"), {item: get(f"inventory.{item}") for item in ITEMS},
                {a: get(f"achievements.{a}") for a in ACHIEVEMENTS}, get("sleeping"),
                *(float(get(v)) for v in VITALS), get("last_health"))
        else:
            fields = {path: values[(oid, path)] for path in CREATURE_PATHS[obj.kind] if path != "alive"}
            objects[oid] = CREATURE_CLASSES[obj.kind](**fields)
    next_id = state.next_id
    for (_, kind, _), value in newborns:
        objects[next_id] = newborn(kind, value)
        next_id += 1
    materials = state.materials
    if cells:
        materials = materials.copy()
        for (x, y), name in cells.items():
            materials[x, y] = MATERIALS.index(name)
        materials.flags.writeable = False
    chunks = list(state.chunks)
    for obj in objects.values():
        key = chunk_key(obj.pos, state.config.area)
        if key not in chunks:
            chunks.append(key)
    player = objects[1]
    unlocked = state.unlocked | {name for name, n in player.achievements.items() if n > 0}
    return WorldState(state.config, state.seed, state.episode, state.step + 1,
                      daylight_at(state.step + 1, state.config.rules.day_length),
                      materials, objects, next_id, tuple(chunks), frozenset(unlocked),
                      player.health, state.rng)


def materials_changed(state: WorldState, next_state: WorldState) -> list[Cell]:
    """The cells whose material differs between two states."""
    if next_state.materials.shape != state.materials.shape:
        raise ValueError("the next state's map has a different size: not a successor")
    return [tuple(map(int, c)) for c in np.argwhere(state.materials != next_state.materials)]
