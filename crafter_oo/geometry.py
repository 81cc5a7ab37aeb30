"""The grid's geometry, written once for every package: the L1 distance the game measures
every range with, the four directions and the move action that faces each, the cell ahead
of a position, and its four neighbours."""

from __future__ import annotations

from typing import Final

from crafter_oo.rules import DIRECTIONS, MOVE_DIRECTION

Pos = tuple[int, int]

MOVE_ACTION: Final[dict[Pos, str]] = {direction: name for name, direction in MOVE_DIRECTION.items()}


def distance(a: Pos, b: Pos) -> int:
    """L1 distance, the game's measure for every range check."""
    return abs(a[0] - b[0]) + abs(a[1] - b[1])


def ahead(pos: Pos, direction: Pos) -> Pos:
    """The cell one step from ``pos`` in ``direction`` (what a player facing it acts on)."""
    return pos[0] + direction[0], pos[1] + direction[1]


def neighbours(pos: Pos) -> tuple[Pos, ...]:
    """The four cells next to ``pos``, in ``DIRECTIONS`` order (left, right, up, down)."""
    return tuple(ahead(pos, direction) for direction in DIRECTIONS)
