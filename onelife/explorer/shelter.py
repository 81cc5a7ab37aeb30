"""Shelter: a room of two or three cells in a line whose every side is a wall.

Generic: what is a floor, what is a wall (cover), which sides the player can block and
which walls it can open are predicates handed in (the explorer learns them). A room may be
dug: cells that are walls the player can open (stone, with a pickaxe; a tree) become its
floor, and their neighbours are then walls already. Why a line of
two or three cells: the player faces a free cell only by walking into it, so from inside a
one-cell room it could never face (and so never block) the cell it came in by. In a line
it can: walking to one end faces that end's cap, walking back faces the other. The order
of blocking is found by a breadth-first search over (position, facing, sides blocked so
far) in a small window around the room.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
import numpy as np

from crafter_oo.geometry import MOVE_ACTION, Room
from crafter_oo.state import Pos
from onelife.explorer.navigation import MOVES, Routes, shifted

WINDOW = 3  # how far around the room the building search may walk
BIG = 10**6  # a walk too long to count
LINES = ((1, 0), (0, 1))


@dataclass(frozen=True, slots=True)
class Site:
    """What the shelter code may know of the remembered world, as grids over the memory's
    cells (``origin`` is the world cell of grid index (0, 0)): walls (cover: nothing that
    walks stands there), floors the player may stand on now, cells it can make walls now
    (by placing) and walls it can turn into floor now (its way in, by digging, or out)."""

    origin: Pos
    wall: np.ndarray
    floor: np.ndarray
    blockable: np.ndarray
    openable: np.ndarray
    sound: np.ndarray  # walls proven by long watching (or made by the player): the rest may yet be walked on
    solid: np.ndarray | None = None  # walls a move is presumed not to enter: the player may turn toward them

    def _at(self, grid: np.ndarray, pos: Pos) -> bool:
        i, j = pos[0] - self.origin[0], pos[1] - self.origin[1]
        return 0 <= i < grid.shape[0] and 0 <= j < grid.shape[1] and bool(grid[i, j])

    def is_wall(self, pos: Pos) -> bool:
        return self._at(self.wall, pos)

    def is_floor(self, pos: Pos) -> bool:
        return self._at(self.floor, pos)

    def can_block(self, pos: Pos) -> bool:
        return self._at(self.blockable, pos)

    def can_open(self, pos: Pos) -> bool:
        return self._at(self.openable, pos)

    def is_solid(self, pos: Pos) -> bool:
        return self.solid is not None and self._at(self.solid, pos)

    def open_sides(self, room: Room) -> list[Pos]:
        return [pos for pos in room.sides if not self.is_wall(pos)]

    def is_closed(self, room: Room, player: Pos) -> bool:
        return player in room.cells and not self.open_sides(room)


def candidate_rooms(site: Site, routes: Routes, blocks: int, radius: int, opens_after_blocking: bool,
                    gain_per_opening: int, shunned: np.ndarray | None = None,
                    wanted: np.ndarray | None = None) -> list[tuple[tuple[int, ...], Room]]:
    """Rooms within ``radius`` moves that the player can make and close, cheapest first: by
    the sides to block, then the cells to open (walls it can turn into floor, e.g. by
    digging), then the walk to the room. A room's cells are floors or walls it can open; it
    must be closable with ``blocks`` placements (plus ``gain_per_opening`` for each cell
    opened, when opening yields what walls are made of) and leavable afterwards by a cap:
    one it can open, or (``opens_after_blocking``) one it blocked itself. Rooms with a cell in
    ``shunned`` (e.g. near where something that shoots was seen) come after all others, then
    rooms with a side in ``wanted`` (a wall that gives what the player needs, e.g. water to
    drink from inside) come first, then rooms walled by fewer doubtful walls."""
    reachable = (routes.dist >= 0) & (routes.dist <= radius)
    walk = np.where(reachable, routes.dist, BIG).astype(np.int32)
    near_walk = walk.copy()  # the walk to a cell or to a cell beside it
    for _, direction in MOVES:
        near_walk = np.minimum(near_walk, shifted(walk, direction, BIG) + 1)
    start = (routes.start[0] - site.origin[0], routes.start[1] - site.origin[1])
    to_open_here = site.openable & ~site.floor
    usable = site.floor | to_open_here
    not_wall = ~site.wall
    rooms = []
    for direction in LINES:
        for length in (2, 3):
            shape = Room.along((0, 0), direction, length)
            ok = np.ones(site.wall.shape, dtype=bool)
            opening = np.zeros(site.wall.shape, dtype=np.int32)
            entry = np.full(site.wall.shape, BIG, dtype=np.int32)
            for cell in shape.cells:
                ok &= shifted(usable, cell, False)
                opening += shifted(to_open_here, cell, False)
                entry = np.minimum(entry, shifted(near_walk, cell, BIG))
            open_count = np.zeros(site.wall.shape, dtype=np.int32)
            doubtful = np.zeros(site.wall.shape, dtype=np.int32)
            for side in shape.sides:
                side_open = shifted(not_wall, side, True)
                open_count += side_open
                doubtful += ~side_open & ~shifted(site.sound, side, False)
                ok &= ~side_open | shifted(site.blockable, side, False)
            caps_open = [shifted(not_wall, cap, True) for cap in shape.caps]
            exits = np.zeros(site.wall.shape, dtype=bool)
            for cap, cap_open in zip(shape.caps, caps_open):
                exits |= (~cap_open & shifted(site.openable, cap, False)) | (cap_open & opens_after_blocking)
            if site.solid is not None:  # a solid wall it can open beside the room: turned to from inside, a way out
                for side in shape.sides:
                    if side not in shape.caps:
                        exits |= shifted(site.wall & site.openable & site.solid, side, False)
            entrance = caps_open[0] | caps_open[1]
            for cell in shape.cells:  # standing in it already, the player need not come in by a cap
                i, j = start[0] - cell[0], start[1] - cell[1]
                if 0 <= i < ok.shape[0] and 0 <= j < ok.shape[1]:
                    entrance[i, j] = True
            ok &= exits & (entry < BIG) & (open_count <= blocks + gain_per_opening * opening)
            ok &= entrance | (opening > 0)
            exposed = np.zeros(site.wall.shape, dtype=bool)
            if shunned is not None:
                for cell in shape.cells:
                    exposed |= shifted(shunned, cell, False)
            giving = np.zeros(site.wall.shape, dtype=bool)
            if wanted is not None:
                for side in shape.sides:
                    giving |= shifted(wanted, side, False) & shifted(site.wall, side, False)
            for i, j in zip(*ok.nonzero()):
                first = (int(i) + site.origin[0], int(j) + site.origin[1])
                room = Room.along(first, direction, length)
                rooms.append(((int(exposed[i, j]), int(not giving[i, j]), int(doubtful[i, j]), int(open_count[i, j]),
                               int(opening[i, j]), int(entry[i, j])), room))
    rooms.sort(key=lambda item: item[0])
    return rooms


def build_plan(site: Site, room: Room, start: Pos, facing: Pos, block_action: str,
               creatures: frozenset[Pos], solid_blocks: bool = False) -> list[str] | None:
    """The shortest list of actions after which the player, now within ``room``'s window,
    stands in it with every cell open and every side a wall (``None``: there is none).
    Walls among the room's cells are opened with ``do``; open sides are blocked with
    ``block_action`` (``solid_blocks``: what it makes is solid). A move toward a solid
    wall (or a creature) only turns the player; toward anything else it might enter."""
    todo = frozenset(site.open_sides(room))
    if not all(site.can_block(pos) for pos in todo):
        return None
    cells = set(room.cells)
    to_open = frozenset(c for c in room.cells if not site.is_floor(c) and c != start)
    xs, ys = [c[0] for c in room.cells], [c[1] for c in room.cells]
    box = (min(xs) - WINDOW, max(xs) + WINDOW, min(ys) - WINDOW, max(ys) + WINDOW)
    floor_cache: dict[Pos, bool] = {}

    def free(pos: Pos, blocked: frozenset[Pos], opened: frozenset[Pos]) -> bool:
        if not (box[0] <= pos[0] <= box[1] and box[2] <= pos[1] <= box[3]) or pos in blocked or pos in creatures:
            return False
        if pos in opened:
            return True
        if pos in to_open:
            return False
        if pos not in floor_cache:
            floor_cache[pos] = site.is_floor(pos)
        return floor_cache[pos]

    node = (start, facing, frozenset(), frozenset())
    parent: dict[tuple, tuple[tuple, str] | None] = {node: None}
    queue = deque([node])
    while queue:
        node = queue.popleft()
        pos, face, blocked, opened = node
        if pos in cells and blocked == todo and opened == to_open:
            plan = []
            while parent[node] is not None:
                node, action = parent[node]  # type: ignore[misc]
                plan.append(action)
            return plan[::-1]
        ahead = (pos[0] + face[0], pos[1] + face[1])
        options = []
        if ahead in todo and ahead not in blocked and ahead not in creatures:
            options.append(((pos, face, blocked | {ahead}, opened), block_action))
        if ahead in to_open and ahead not in opened:
            options.append(((pos, face, blocked, opened | {ahead}), "do"))
        for name, (dx, dy) in MOVES:  # moves that enter a floor, or turn toward what cannot be entered
            target = (pos[0] + dx, pos[1] + dy)
            if free(target, blocked, opened):
                options.append(((target, (dx, dy), blocked, opened), name))
            elif (dx, dy) != face and target not in opened and (
                    target in creatures or (target in blocked and solid_blocks)
                    or (site.is_solid(target) and target not in todo)):
                options.append(((pos, (dx, dy), blocked, opened), name))
        for nxt, action in options:
            if nxt not in parent:
                parent[nxt] = (node, action)
                queue.append(nxt)
    return None


def exit_action(site: Site, room: Room, player: Pos, facing: Pos) -> str | None:
    """The next action of leaving a closed ``room`` by a wall it can open: a solid one beside
    the player (turn toward it, then ``do``), else a cap: walk to the cell beside that cap
    arriving toward it (so it faces it), then open it; ``None`` when no wall can be opened."""
    for name, (dx, dy) in MOVES:
        side = (player[0] + dx, player[1] + dy)
        if side in room.sides and site.is_wall(side) and site.can_open(side) and site.is_solid(side):
            return "do" if facing == (dx, dy) else name
    for cap, inner, step_in in ((room.caps[0], room.cells[0], room.cells[1]), (room.caps[1], room.cells[-1], room.cells[-2])):
        if not (site.is_wall(cap) and site.can_open(cap)):
            continue
        direction = (cap[0] - inner[0], cap[1] - inner[1])
        if player == inner:
            if facing == direction:
                return "do"
            back = (step_in[0] - inner[0], step_in[1] - inner[1])
            return MOVE_ACTION[back]  # step back in, to walk out toward the cap
        return MOVE_ACTION[direction]  # along the room toward that end: arriving there faces the cap
    return None
