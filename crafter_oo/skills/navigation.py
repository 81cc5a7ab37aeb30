"""Getting about: where the player can stand and face, and the shortest way there.

``Goal`` says where a walk ends (facing one of some cells, or standing on one); ``path_to``
finds the shortest list of moves there by a breadth-first search over (position, facing),
because in Crafter a move towards a blocked cell only turns the player. ``Reach`` is the
other way round: every free cell within a radius with the first move towards it, and for
each thing (creature kind or material) and each set of crafting stations around a cell, the
nearest place to face or stand at. Both read only the state, never a model or the rules'
tables, so planners, the explorer and any model can use them.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Callable, Hashable, Iterable

import numpy as np

from crafter_oo.geometry import MOVE_ACTION, ahead
from crafter_oo.rules import DIRECTIONS, MATERIAL_ID, MATERIALS, PLAYER_WALKABLE, WALKABLE
from crafter_oo.state import Pos, WorldState

STATIONS = ("table", "furnace")  # the placed materials crafting looks for around the player


def facing_cell(state: WorldState) -> Pos:
    """The cell the player faces: the target of ``do`` and ``place_*``."""
    return ahead(state.player.pos, state.player.facing)


@dataclass(frozen=True, slots=True)
class Goal:
    """Where navigation should end: facing one of ``face`` or standing on one of ``stand``."""

    face: frozenset[Pos] = frozenset()
    stand: frozenset[Pos] = frozenset()

    def reached(self, pos: Pos, facing: Pos) -> bool:
        return pos in self.stand or ahead(pos, facing) in self.face

    def __bool__(self) -> bool:
        return bool(self.face or self.stand)


def cells_of(state: WorldState, materials: Iterable[str], reach: int) -> set[Pos]:
    """Cells within L1 distance ``reach`` of the player whose material is one of ``materials``."""
    px, py = state.player.pos
    x0, y0 = max(0, px - reach), max(0, py - reach)
    window = state.materials[x0: px + reach + 1, y0: py + reach + 1]
    xs, ys = np.nonzero(np.isin(window, [MATERIAL_ID[name] for name in materials]))
    xs, ys = xs + x0, ys + y0
    near = np.abs(xs - px) + np.abs(ys - py) <= reach
    return set(zip(xs[near].tolist(), ys[near].tolist()))


def occupied(state: WorldState) -> set[Pos]:
    """Cells holding an object (the player included)."""
    return {obj.pos for obj in state.objects.values()}


def material_goal(state: WorldState, materials: Iterable[str], reach: int) -> Goal:
    """Face a free cell of one of ``materials``."""
    return Goal(face=frozenset(cells_of(state, materials, reach) - occupied(state)))


def creature_goal(state: WorldState, accept: Callable[[int], bool]) -> Goal:
    """Face an object for which ``accept(id)`` holds."""
    return Goal(face=frozenset(obj.pos for oid, obj in state.objects.items() if oid != 1 and accept(oid)))


def station_goal(state: WorldState, stations: Iterable[str], reach: int) -> Goal:
    """Stand where every station is in the surrounding 3x3 block (where crafting works)."""
    stand: set[Pos] | None = None
    for station in stations:
        around = {(x + dx, y + dy) for x, y in cells_of(state, [station], reach)
                  for dx in (-1, 0, 1) for dy in (-1, 0, 1)}
        stand = around if stand is None else stand & around
    return Goal(stand=frozenset(stand or ()))


def path_to(state: WorldState, goal: Goal, reach: int) -> list[str] | None:
    """The shortest list of moves after which ``goal`` is reached, or None if it cannot be.

    The search walks only on free grass, sand and path (never lava, never through a
    creature) within L1 distance ``reach`` of the player.
    """
    player = state.player
    start = (player.pos, player.facing)
    if goal.reached(*start):
        return []
    if not goal:
        return None
    free = cells_of(state, WALKABLE, reach) - occupied(state)
    previous: dict[tuple[Pos, Pos], tuple[tuple[Pos, Pos], str] | None] = {start: None}
    frontier = deque([start])
    while frontier:
        node = frontier.popleft()
        pos = node[0]
        for direction in DIRECTIONS:
            target = ahead(pos, direction)
            successor = (target if target in free else pos, direction)
            if successor in previous:
                continue
            previous[successor] = (node, MOVE_ACTION[direction])
            if goal.reached(*successor):
                return _unwind(previous, successor)
            frontier.append(successor)
    return None


def _unwind(previous: dict, node: tuple[Pos, Pos]) -> list[str]:
    actions: list[str] = []
    while previous[node] is not None:
        node, action = previous[node]
        actions.append(action)
    return actions[::-1]


class Reach:
    """Where the player can walk within ``radius`` steps, and what it can face from there.

    Distances come from a breadth-first search over free walkable cells (lava and
    creatures block). Facing a blocked cell costs one step (moving into it turns the
    player); facing a free cell means arriving from the opposite side.
    """

    def __init__(self, state: WorldState, radius: int, stations: tuple[str, ...] = STATIONS) -> None:
        self.origin = (ox, oy) = state.player.pos
        self.kinds = {obj.pos: obj.kind for oid, obj in state.objects.items() if oid != 1}
        # The window of the map the search can touch, as material names, with a border.
        width, height = state.config.area
        self.x0, self.y0 = ox - radius - 2, oy - radius - 2
        size = 2 * radius + 5
        ids = np.zeros((size, size), dtype=np.uint8)  # 0 is outside the map
        xs, ys = slice(max(0, self.x0), min(width, self.x0 + size)), slice(max(0, self.y0), min(height, self.y0 + size))
        ids[xs.start - self.x0: xs.stop - self.x0, ys.start - self.y0: ys.stop - self.y0] = state.materials[xs, ys]
        self.names = [[MATERIALS[i] or "edge" for i in column] for column in ids.tolist()]
        near = _stations_near(ids, stations) if np.isin(ids, [MATERIAL_ID[s] for s in stations]).any() else None
        self.steps: dict[Pos, tuple[int, str]] = {self.origin: (0, "noop")}
        queue = deque([self.origin])
        while queue:
            pos = queue.popleft()
            steps, first = self.steps[pos]
            if steps == radius:
                continue
            for direction, name in MOVE_ACTION.items():
                nxt = ahead(pos, direction)
                if nxt in self.steps or nxt in self.kinds or self.material(nxt) not in WALKABLE:
                    continue
                self.steps[nxt] = (steps + 1, name if pos == self.origin else first)
                queue.append(nxt)
        self.things: dict[str, tuple[int, str]] = {}
        self.stations: dict[tuple[str, ...], tuple[int, str]] = {}
        facing = state.player.facing
        for pos, (steps, first) in self.steps.items():
            x, y = pos[0] - self.x0, pos[1] - self.y0
            around = () if near is None else tuple(s for s, grid in zip(stations, near) if grid[x][y])
            _keep(self.stations, around, steps, first)
            for direction in MOVE_ACTION:
                route = self._face(pos, direction, steps, first, facing)
                if route is not None:
                    _keep(self.things, self.thing(ahead(pos, direction)), *route)

    def material(self, pos: Pos) -> str:
        return self.names[pos[0] - self.x0][pos[1] - self.y0]

    def thing(self, pos: Pos) -> str:
        """The creature kind on ``pos``, else its material (``"edge"`` outside the map)."""
        return self.kinds.get(pos) or self.material(pos)

    def _face(self, pos: Pos, direction: Pos, steps: int, first: str,
              facing: Pos) -> tuple[int, str] | None:
        """Steps and first action to stand on ``pos`` facing ``direction`` (``None``: not here)."""
        if pos == self.origin and facing == direction:
            return 0, "noop"
        target = ahead(pos, direction)
        if target in self.kinds or self.material(target) not in PLAYER_WALKABLE:
            return steps + 1, (first if pos != self.origin else MOVE_ACTION[direction])
        behind = self.steps.get((pos[0] - direction[0], pos[1] - direction[1]))
        if behind is None:
            return None
        return behind[0] + 1, (behind[1] if behind[0] > 0 else MOVE_ACTION[direction])

    def nearest(self, thing: str) -> str | None:
        """The first action toward facing ``thing`` (``do`` when already facing it)."""
        route = self.things.get(thing)
        if route is None:
            return None
        return "do" if route[0] == 0 else route[1]

    def shelter(self) -> str | None:
        """The first step to the nearest cell with the fewest open sides (where fewest
        zombies can reach a sleeper); ``None`` when the player stands in one."""
        def open_sides(pos: Pos) -> int:
            return sum(self.material(ahead(pos, direction)) in WALKABLE for direction in MOVE_ACTION)
        best = min(self.steps, key=lambda pos: (open_sides(pos), self.steps[pos][0]))
        return None if best == self.origin else self.steps[best][1]

    def frontier(self, seen: np.ndarray, view: Pos) -> tuple[int, str] | None:
        """Steps and first action to the nearest spot from which an unseen cell is in view
        (``view``: half the width and half the height of what the player sees)."""
        (w, h), (width, height) = view, seen.shape
        for (x, y), (steps, first) in self.steps.items():  # in breadth-first order: nearest first
            if not seen[max(0, x - w): min(width, x + w + 1), max(0, y - h): min(height, y + h + 1)].all():
                return steps, first
        return None


def _stations_near(ids: np.ndarray, stations: tuple[str, ...]) -> list[list[list[bool]]]:
    """Per station, per cell of a window: whether the station is in the 3x3 block around it."""
    grids = []
    for station in stations:
        here = np.pad(ids == MATERIAL_ID[station], 1)
        near = np.zeros(ids.shape, dtype=bool)
        for dx in range(3):
            for dy in range(3):
                near |= here[dx: dx + ids.shape[0], dy: dy + ids.shape[1]]
        grids.append(near.tolist())
    return grids


def _keep(best: dict, key: Hashable, steps: int, first: str) -> None:
    """Keep the shorter of two routes to the same key."""
    if key not in best or steps < best[key][0]:
        best[key] = (steps, first)
