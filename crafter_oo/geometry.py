"""The grid's geometry, written once for every package: the L1 distance the game measures
every range with, the four directions and the move action that faces each, the cell ahead
of a position, its four neighbours, and the shape of a room (cells in a line and the cells
around them) that a player can wall itself into."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from crafter_oo.rules import CHUNK_SIZE, DIRECTIONS, MOVE_DIRECTION

Pos = tuple[int, int]
ChunkKey = tuple[int, int, int, int]

MOVE_ACTION: Final[dict[Pos, str]] = {direction: name for name, direction in MOVE_DIRECTION.items()}


def distance(a: Pos, b: Pos) -> int:
    """L1 distance, the game's measure for every range check."""
    return abs(a[0] - b[0]) + abs(a[1] - b[1])


def ahead(pos: Pos, direction: Pos) -> Pos:
    """The cell one step from ``pos`` in ``direction`` (what a player facing it acts on)."""
    return pos[0] + direction[0], pos[1] + direction[1]


def chunk_key(pos: Pos, area: Pos) -> ChunkKey:
    """The reference's 12x12 chunk containing ``pos`` (clipped at the map edge)."""
    xmin = pos[0] // CHUNK_SIZE[0] * CHUNK_SIZE[0]
    ymin = pos[1] // CHUNK_SIZE[1] * CHUNK_SIZE[1]
    return xmin, min(xmin + CHUNK_SIZE[0], area[0]), ymin, min(ymin + CHUNK_SIZE[1], area[1])


def neighbours(pos: Pos) -> tuple[Pos, ...]:
    """The four cells next to ``pos``, in ``DIRECTIONS`` order (left, right, up, down)."""
    return tuple(ahead(pos, direction) for direction in DIRECTIONS)


@dataclass(frozen=True, slots=True)
class Room:
    """Cells in a line, the cells around them (its sides) and the two sides in line with the
    cells (its caps: the only sides a player inside can face from within, so block)."""

    cells: tuple[Pos, ...]
    sides: tuple[Pos, ...]
    caps: tuple[Pos, Pos]

    @classmethod
    def along(cls, cell: Pos, direction: Pos, length: int = 2) -> "Room":
        """The room of ``length`` cells in a line from ``cell`` in ``direction``."""
        cells = tuple((cell[0] + i * direction[0], cell[1] + i * direction[1]) for i in range(length))
        sides: list[Pos] = []
        for pos in cells:
            for neighbour in neighbours(pos):
                if neighbour not in cells and neighbour not in sides:
                    sides.append(neighbour)
        first, last = cells[0], cells[-1]
        caps = ((first[0] - direction[0], first[1] - direction[1]), (last[0] + direction[0], last[1] + direction[1]))
        return cls(cells, tuple(sides), caps)

    def within(self, pos: Pos, margin: int) -> bool:
        """Whether ``pos`` lies in the room's bounding box grown by ``margin`` on every side."""
        return all(min(c[i] for c in self.cells) - margin <= pos[i] <= max(c[i] for c in self.cells) + margin
                   for i in (0, 1))
