"""Walking on a remembered map: shortest routes over cells a passability mask allows.

Generic: the mask says where the walker may stand (for the explorer, floors it has seen
something stand on, free of creatures), and nothing here knows a material. Facing is
part of getting somewhere, and a walker faces the way it last moved: a move toward a
cell that blocks it only turns it, but a move toward a cell it does not know to block
might enter it (lava kills), so such a cell is faced only by arriving at its neighbour
from the far side. Only cells known to block (a creature stands there) are turned to.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from crafter_oo.geometry import MOVE_ACTION
from crafter_oo.rules import MOVE_DIRECTION
from crafter_oo.state import Pos

MOVES: tuple[tuple[str, Pos], ...] = tuple(MOVE_DIRECTION.items())
UNREACHED = -1


def shifted(grid: np.ndarray, direction: Pos, fill: int | bool) -> np.ndarray:
    """``out[i, j] = grid[i + dx, j + dy]`` (``fill`` where that falls outside the grid)."""
    dx, dy = direction
    out = np.full_like(grid, fill)
    width, height = grid.shape
    out[max(0, -dx): width - max(0, dx), max(0, -dy): height - max(0, dy)] = \
        grid[max(0, dx): width - max(0, -dx), max(0, dy): height - max(0, -dy)]
    return out


class Routes:
    """Breadth-first walking distances from ``start`` over ``passable`` grid cells, and the
    first move of a shortest route to each. Grid index ``(i, j)`` is world cell
    ``(origin[0] + i, origin[1] + j)``; ``start`` is walkable by definition."""

    def __init__(self, passable: np.ndarray, origin: Pos, start: Pos, facing: Pos, limit: int = 10**6) -> None:
        self.origin, self.start, self.facing = origin, start, facing
        width, height = passable.shape
        self.shape = (width, height)
        si, sj = start[0] - origin[0], start[1] - origin[1]
        dist = np.full(width * height, UNREACHED, dtype=np.int32)
        first = np.full(width * height, -1, dtype=np.int8)
        free = passable.ravel().tolist()
        steps = [(-height, 0), (height, 1), (-1, 2), (1, 3)]  # flat offsets of MOVES' directions, in their order
        assert [d for _, d in MOVES] == [(-1, 0), (1, 0), (0, -1), (0, 1)]
        origin_index = si * height + sj
        dist_list = dist.tolist()
        first_list = first.tolist()
        dist_list[origin_index] = 0
        queue = deque([origin_index])
        size = width * height
        while queue:
            here = queue.popleft()
            d = dist_list[here]
            if d >= limit:
                continue
            column = here % height
            for offset, move in steps:
                nxt = here + offset
                if nxt < 0 or nxt >= size or (move == 2 and column == 0) or (move == 3 and column == height - 1):
                    continue
                if dist_list[nxt] != UNREACHED or not free[nxt]:
                    continue
                dist_list[nxt] = d + 1
                first_list[nxt] = move if here == origin_index else first_list[here]
                queue.append(nxt)
        self.dist = np.array(dist_list, dtype=np.int32).reshape(width, height)
        self.first = np.array(first_list, dtype=np.int8).reshape(width, height)

    def index(self, pos: Pos) -> tuple[int, int]:
        return pos[0] - self.origin[0], pos[1] - self.origin[1]

    def steps_to(self, pos: Pos) -> int | None:
        """Moves needed to stand on ``pos`` (``None``: unreachable)."""
        i, j = self.index(pos)
        if not (0 <= i < self.shape[0] and 0 <= j < self.shape[1]) or self.dist[i, j] == UNREACHED:
            return None
        return int(self.dist[i, j])

    def first_move(self, pos: Pos) -> str | None:
        """The first move of a shortest route to ``pos`` (``None`` if there or unreachable)."""
        i, j = self.index(pos)
        if not (0 <= i < self.shape[0] and 0 <= j < self.shape[1]) or self.first[i, j] < 0:
            return None
        return MOVES[int(self.first[i, j])][0]

    def facing_costs(self, targets: np.ndarray, blocking: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per direction and grid cell, the moves to stand on the cell facing a ``targets`` cell
        that way (``UNREACHED`` where impossible). Only a ``blocking`` target (one a move is
        known not to enter: a creature) may be faced by turning toward it; any other is faced
        by arriving from the far side, since a move toward it might enter it.

        Returns ``(costs, via)``, each shaped (4, width, height): ``via`` is 0 when the route
        goes to the cell itself and then turns, 1 when it comes in from the far side.
        """
        costs = np.full((4,) + self.shape, UNREACHED, dtype=np.int32)
        via = np.zeros((4,) + self.shape, dtype=np.int8)
        si, sj = self.index(self.start)
        reached = self.dist >= 0
        for k, (_, direction) in enumerate(MOVES):
            faced = shifted(targets, direction, False)
            turnable = faced & shifted(blocking, direction, False)
            turn = np.where(reached & turnable, self.dist + 1, UNREACHED)
            behind = shifted(self.dist, (-direction[0], -direction[1]), UNREACHED)
            arrive = np.where(reached & faced & (behind >= 0), behind + 1, UNREACHED)
            cost = np.where((turn >= 0) & ((arrive < 0) | (turn <= arrive)), turn, arrive)
            via[k] = np.where(cost == turn, 0, 1)
            if direction == self.facing and faced[si, sj]:
                cost[si, sj] = 0
            costs[k] = cost
        return costs, via

    def face_action(self, stand: Pos, direction: Pos, via: int) -> str:
        """The first action of facing ``direction`` while standing on ``stand``."""
        name = MOVE_ACTION[direction]
        if stand == self.start and direction == self.facing:
            return "noop"
        if via == 1:
            behind = (stand[0] - direction[0], stand[1] - direction[1])
            return name if behind == self.start else self.first_move(behind) or name
        return name if stand == self.start else self.first_move(stand) or name

    def nearest_facing(self, targets: np.ndarray, blocking: np.ndarray,
                       stand: np.ndarray | None = None) -> tuple[int, Pos, Pos, str] | None:
        """The cheapest way to face a ``targets`` cell, standing on a ``stand`` cell if given:
        (moves, target cell, stand cell, first action; ``"noop"`` when already facing one)."""
        if not targets.any():
            return None
        costs, via = self.facing_costs(targets, blocking)
        if stand is not None:
            costs[:, ~stand] = UNREACHED
        masked = np.where(costs >= 0, costs, np.iinfo(np.int32).max)
        flat = int(np.argmin(masked))
        if masked.flat[flat] == np.iinfo(np.int32).max:
            return None
        k, i, j = np.unravel_index(flat, costs.shape)
        direction = MOVES[int(k)][1]
        stand_cell = (int(i) + self.origin[0], int(j) + self.origin[1])
        target = (stand_cell[0] + direction[0], stand_cell[1] + direction[1])
        return int(costs[k, i, j]), target, stand_cell, self.face_action(stand_cell, direction, int(via[k, i, j]))

    def nearest_stand(self, stand: np.ndarray) -> tuple[int, Pos, str] | None:
        """The cheapest cell of ``stand`` to walk to: (moves, cell, first move; ``"noop"`` when on it)."""
        reachable = stand & (self.dist >= 0)
        if not reachable.any():
            return None
        masked = np.where(reachable, self.dist, np.iinfo(np.int32).max)
        i, j = np.unravel_index(int(np.argmin(masked)), masked.shape)
        cell = (int(i) + self.origin[0], int(j) + self.origin[1])
        return int(self.dist[i, j]), cell, self.first_move(cell) or "noop"
