"""The fixed table of names and functions a law may use: nothing else is callable from a law.

A law reads the state only through these functions and the entity attributes listed in
``onelife.attributes``. Functions marked random return a ``Dist`` (a finite distribution);
they may appear only in effects, where the world model turns them into probabilities.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from crafter_oo import geometry
from crafter_oo.rules import (
    ACTIONS,
    ARROW_WALKABLE,
    CHUNK_SIZE,
    CREATURE_KINDS,
    DIRECTIONS,
    MATERIALS,
    PLAYER_WALKABLE,
    WALKABLE,
)
from crafter_oo.state import WorldState

Cell = tuple[int, int]


class LawError(ValueError):
    """A law cannot be evaluated on a state (a type error, an effect outside its domain)."""


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to an entity of the current state by its id (the player is 1)."""

    oid: int


@dataclass(frozen=True, slots=True)
class Chunk:
    """A balancing chunk by its grid index (chunks are 12 x 12 cells, as in Crafter)."""

    cx: int
    cy: int


class Dist(dict):
    """A finite distribution: value -> probability, summing to 1."""


DIRECTION_NAMES: dict[str, Cell] = {"left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1)}
SYMBOLS: dict[str, Any] = {
    **{name: name for name in ACTIONS},
    **{name: name for name in MATERIALS if name is not None},
    **{name: name for name in ("player", *CREATURE_KINDS)},
    **DIRECTION_NAMES,
    "long": "long", "short": "short", "true": True, "false": False, "none": None,
}
GLOBALS: tuple[str, ...] = ("action", "step", "daylight")
WALKABLE_FOR: dict[str, frozenset[str]] = {
    "player": PLAYER_WALKABLE, "arrow": ARROW_WALKABLE,
    **{kind: WALKABLE for kind in ("cow", "zombie", "skeleton", "plant")},
}


class Scene:
    """The state and action a law is evaluated on, with the lookups laws need precomputed."""

    def __init__(self, state: WorldState, action: str) -> None:
        self.state = state
        self.action = action
        self.width, self.height = state.config.area
        self.occupant: dict[Cell, int] = {obj.pos: oid for oid, obj in state.objects.items()}
        self.memo: dict[str, Any] = {}  # values of binding-free sub-expressions (onelife.compiled)
        self._census: dict[tuple[Chunk, str], int] | None = None
        self._faced: dict[str, frozenset[Cell]] = {}
        self._refs: dict[str, list[Ref]] = {}

    def refs(self, kind: str) -> list["Ref"]:
        """References to every creature of a kind, in creation order (computed once per scene)."""
        if kind not in self._refs:
            self._refs[kind] = [Ref(oid) for oid, _ in self.state.creatures(kind)]
        return self._refs[kind]

    def faced(self, kind: str) -> frozenset[Cell]:
        """The cells that entities of a kind (the player, arrows) face (computed once per scene)."""
        if kind not in self._faced:
            facing = [o for o in self.state.objects.values() if o.kind == kind and hasattr(o, "facing")]
            self._faced[kind] = frozenset((o.pos[0] + o.facing[0], o.pos[1] + o.facing[1]) for o in facing)
        return self._faced[kind]

    def census(self) -> dict[tuple["Chunk", str], int]:
        """How many objects of each kind stand in each chunk (computed once per scene)."""
        if self._census is None:
            self._census = {}
            for obj in self.state.objects.values():
                key = (Chunk(obj.pos[0] // CHUNK_SIZE[0], obj.pos[1] // CHUNK_SIZE[1]), obj.kind)
                self._census[key] = self._census.get(key, 0) + 1
        return self._census

    def chunk_grid(self, chunk: "Chunk") -> np.ndarray:
        """The material ids of a chunk's cells, indexed [x, y] from the chunk's corner."""
        x0, y0 = chunk.cx * CHUNK_SIZE[0], chunk.cy * CHUNK_SIZE[1]
        return self.state.materials[x0:x0 + CHUNK_SIZE[0], y0:y0 + CHUNK_SIZE[1]]

    def cell(self, where: Any) -> Cell:
        """The cell of an entity reference, or the cell itself."""
        if type(where) is tuple and len(where) == 2 and type(where[0]) is int and type(where[1]) is int:
            return where
        if isinstance(where, Ref):
            return self.state.objects[where.oid].pos
        if isinstance(where, tuple) and len(where) == 2 and all(isinstance(v, int) for v in where):
            return where
        raise LawError(f"expected an entity or a cell, got {where!r}")

    def kind(self, ref: Any) -> str:
        if not isinstance(ref, Ref):
            raise LawError(f"expected an entity, got {ref!r}")
        return self.state.objects[ref.oid].kind

    def material(self, cell: Cell) -> str | None:
        return self.state.material(cell)

    def chunks(self) -> list[Chunk]:
        """All chunks of the map, row by row of chunk columns."""
        return list(map_chunks((self.width, self.height)))


@functools.cache
def map_chunks(area: tuple[int, int]) -> tuple[Chunk, ...]:
    """All chunks of a map of this size, row by row of chunk columns (the same for every state)."""
    nx, ny = -(-area[0] // CHUNK_SIZE[0]), -(-area[1] // CHUNK_SIZE[1])
    return tuple(Chunk(cx, cy) for cx in range(nx) for cy in range(ny))


def _chunk(value: Any) -> Chunk:
    if not isinstance(value, Chunk):
        raise LawError(f"expected a chunk, got {value!r}")
    return value


def distance(scene: Scene, a: Any, b: Any) -> int:
    """L1 distance between two entities or cells."""
    (ax, ay), (bx, by) = scene.cell(a), scene.cell(b)
    return abs(ax - bx) + abs(ay - by)


def target(scene: Scene, entity: Any) -> Cell:
    """The cell an entity faces (its position plus its facing; player and arrows)."""
    obj = scene.state.objects[entity.oid] if isinstance(entity, Ref) else None
    if obj is None or not hasattr(obj, "facing"):
        raise LawError(f"target() needs the player or an arrow, got {entity!r}")
    return obj.pos[0] + obj.facing[0], obj.pos[1] + obj.facing[1]


def material(scene: Scene, where: Any) -> str | None:
    """The material of a cell (or under an entity); ``none`` outside the map."""
    return scene.material(scene.cell(where))


def kind_at(scene: Scene, where: Any) -> str | None:
    """The kind of the object on a cell, or ``none``."""
    oid = scene.occupant.get(scene.cell(where))
    return None if oid is None else scene.state.objects[oid].kind


def free(scene: Scene, where: Any, who: Any, player_cell: Any = None) -> bool:
    """Whether an entity (or one of the named kind) could enter the cell: walkable for it, unoccupied.

    With ``player_cell``, the player counts as standing there instead (creatures move after
    the player, so the cell it left is free and the one it entered is taken).
    """
    cell = scene.cell(where)
    kind = who if isinstance(who, str) and who in WALKABLE_FOR else scene.kind(who)
    if scene.material(cell) not in WALKABLE_FOR[kind]:
        return False
    if player_cell is None:
        return cell not in scene.occupant
    return cell != scene.cell(player_cell) and scene.occupant.get(cell, 1) == 1


def move(scene: Scene, entity: Any, direction: Any, player_cell: Any = None) -> Cell:
    """Where an entity ends up trying to step in ``direction``: the target if free, else in place
    (``player_cell`` as for ``free``)."""
    x, y = scene.cell(entity)
    cell = (x + direction[0], y + direction[1])
    return cell if direction != (0, 0) and free(scene, cell, entity, player_cell) else (x, y)


def toward(scene: Scene, source: Any, goal: Any, axis: str = "long") -> Cell:
    """Unit step from source toward goal along the long (ties: y) or the short axis; (0, 0) if none."""
    if axis not in ("long", "short"):
        raise LawError(f"toward(): the axis must be long or short, got {axis!r}")
    (sx, sy), (gx, gy) = scene.cell(source), scene.cell(goal)
    dx, dy = gx - sx, gy - sy
    along_x = abs(dx) > abs(dy) if axis == "long" else abs(dx) <= abs(dy)
    return ((dx > 0) - (dx < 0), 0) if along_x else (0, (dy > 0) - (dy < 0))


def random_direction(scene: Scene) -> Dist:
    """Each of the four directions with probability 1/4."""
    return Dist({direction: 0.25 for direction in DIRECTIONS})


def nearby(scene: Scene, where: Any, material_name: Any, radius: Any) -> bool:
    """Whether the material occurs in the square of the given radius around a cell (inside the map)."""
    x, y = scene.cell(where)
    grid = scene.state.materials
    x0, x1 = max(0, x - radius), min(scene.width, x + radius + 1)
    y0, y1 = max(0, y - radius), min(scene.height, y + radius + 1)
    return bool((grid[x0:x1, y0:y1] == MATERIALS.index(material_name)).any())


def adjacent(scene: Scene, where: Any, kinds: Any) -> bool:
    """Whether one of the four neighbouring cells holds an object of the given kind(s)."""
    wanted = kinds if isinstance(kinds, frozenset) else frozenset([kinds])
    x, y = scene.cell(where)
    for dx, dy in DIRECTIONS:
        oid = scene.occupant.get((x + dx, y + dy))
        if oid is not None and scene.state.objects[oid].kind in wanted:
            return True
    return False


def faced_by(scene: Scene, where: Any, kind: Any) -> bool:
    """Whether an entity of the kind (the player or an arrow) faces the cell: it is its target."""
    return scene.cell(where) in scene.faced(kind)


def chunk_of(scene: Scene, where: Any) -> Chunk:
    """The chunk holding a cell or an entity."""
    x, y = scene.cell(where)
    return Chunk(x // CHUNK_SIZE[0], y // CHUNK_SIZE[1])


def count(scene: Scene, chunk: Any, kind: Any) -> int:
    """How many objects of a kind stand in a chunk."""
    return scene.census().get((_chunk(chunk), kind), 0)


def cells(scene: Scene, chunk: Any, material_name: Any) -> int:
    """How many cells of a material a chunk has."""
    return int((scene.chunk_grid(_chunk(chunk)) == MATERIALS.index(material_name)).sum())


def spawn_site(scene: Scene, chunk: Any, material_name: Any, min_distance: Any) -> Dist:
    """Crafter's spawn draw: a uniform cell of the material in the chunk; ``none`` if it is
    occupied or closer than ``min_distance`` to the player (or the chunk has none)."""
    chunk = _chunk(chunk)
    xs, ys = np.nonzero(scene.chunk_grid(chunk) == MATERIALS.index(material_name))  # x-major, as Crafter
    x0, y0 = chunk.cx * CHUNK_SIZE[0], chunk.cy * CHUNK_SIZE[1]
    candidates = [(x0 + int(x), y0 + int(y)) for x, y in zip(xs, ys)]
    player = scene.state.player.pos
    result = Dist()
    for cell in candidates:
        ok = cell not in scene.occupant and geometry.distance(cell, player) >= min_distance
        key = cell if ok else None
        result[key] = result.get(key, 0.0) + 1.0 / len(candidates)
    return result if candidates else Dist({None: 1.0})


def visited(scene: Scene, chunk: Any) -> bool:
    """Whether the chunk is among the state's chunk keys (Crafter balances only those)."""
    chunk = _chunk(chunk)
    x0, y0 = chunk.cx * CHUNK_SIZE[0], chunk.cy * CHUNK_SIZE[1]
    return any(key[0] == x0 and key[2] == y0 for key in scene.state.chunks)


@dataclass(frozen=True, slots=True)
class Builtin:
    """A function a law may call: its accepted argument counts and whether it is random."""

    function: Callable[..., Any]
    arities: tuple[int, ...]
    random: bool = False


BUILTINS: dict[str, Builtin] = {
    "distance": Builtin(distance, (2,)),
    "target": Builtin(target, (1,)),
    "material": Builtin(material, (1,)),
    "kind_at": Builtin(kind_at, (1,)),
    "free": Builtin(free, (2, 3)),
    "move": Builtin(move, (2, 3)),
    "toward": Builtin(toward, (2, 3)),
    "random_direction": Builtin(random_direction, (0,), random=True),
    "nearby": Builtin(nearby, (3,)),
    "adjacent": Builtin(adjacent, (2,)),
    "faced_by": Builtin(faced_by, (2,)),
    "chunk_of": Builtin(chunk_of, (1,)),
    "count": Builtin(count, (2,)),
    "cells": Builtin(cells, (2,)),
    "spawn_site": Builtin(spawn_site, (3,), random=True),
    "visited": Builtin(visited, (1,)),
    "max": Builtin(lambda scene, a, b: max(a, b), (2,)),
    "min": Builtin(lambda scene, a, b: min(a, b), (2,)),
    "abs": Builtin(lambda scene, a: abs(a), (1,)),
}
