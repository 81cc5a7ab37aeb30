"""The player's map memory: every cell's material as last seen, when, and the creatures seen.

The player does not know how large the world is, so the memory is a grid that grows to
cover whatever comes into view (cells beyond the edge included: they are seen as blank).
Cells never seen hold ``UNKNOWN``. Creatures are remembered where they were last seen
until that cell is in view again without them, and each kind's haunts (how often one was
seen on each cell) are kept for good.
"""

from __future__ import annotations

import numpy as np

from onelife.explorer.perception import Observation, Sighting
from crafter_oo.state import Pos

UNKNOWN = -1  # the material of a cell never seen
GROWTH = 16  # cells added beyond what is needed whenever the grid grows, so it grows rarely


class MapMemory:
    """What the player has seen (see the module docstring).

    ``materials[i, j]`` and ``seen_at[i, j]`` describe the world cell ``(x0 + i, y0 + j)``.
    """

    def __init__(self) -> None:
        self.x0 = self.y0 = 0
        self.materials = np.full((0, 0), UNKNOWN, dtype=np.int16)
        self.seen_at = np.full((0, 0), -1, dtype=np.int32)
        self.creatures: dict[Pos, Sighting] = {}
        self.sighted_at: dict[Pos, int] = {}
        self.haunts: dict[str, np.ndarray] = {}  # per kind: how many steps one was seen on each cell

    @property
    def shape(self) -> tuple[int, int]:
        return self.materials.shape  # type: ignore[return-value]

    def update(self, obs: Observation) -> None:
        """Write the view into the memory and refresh the creatures seen in it."""
        width, height = obs.materials.shape
        (cx, cy) = obs.corner
        self._cover(cx, cy, cx + width, cy + height)
        i, j = cx - self.x0, cy - self.y0
        self.materials[i:i + width, j:j + height] = obs.materials
        self.seen_at[i:i + width, j:j + height] = obs.step
        for pos in [p for p in self.creatures if obs.in_view(p)]:
            del self.creatures[pos]
            del self.sighted_at[pos]
        for creature in obs.creatures:
            self.creatures[creature.pos] = creature
            self.sighted_at[creature.pos] = obs.step
            haunt = self.haunts.setdefault(creature.kind, np.zeros(self.materials.shape, dtype=np.int32))
            haunt[self.index(creature.pos)] += 1

    def index(self, pos: Pos) -> tuple[int, int]:
        """Grid indices of a world cell (may lie outside the grid)."""
        return pos[0] - self.x0, pos[1] - self.y0

    def cell(self, i: int, j: int) -> Pos:
        """The world cell of grid indices."""
        return i + self.x0, j + self.y0

    def material(self, pos: Pos) -> int:
        """The material id last seen on ``pos`` (``UNKNOWN`` if never seen)."""
        i, j = self.index(pos)
        if 0 <= i < self.materials.shape[0] and 0 <= j < self.materials.shape[1]:
            return int(self.materials[i, j])
        return UNKNOWN

    def creatures_of(self, kinds: set[str] | frozenset[str], since: int) -> list[Sighting]:
        """Creatures of ``kinds`` last seen at step ``since`` or later."""
        return [c for pos, c in self.creatures.items() if c.kind in kinds and self.sighted_at[pos] >= since]

    def _cover(self, x_lo: int, y_lo: int, x_hi: int, y_hi: int) -> None:
        """Grow the grid (by ``GROWTH`` beyond the need) until it holds the given box."""
        width, height = self.materials.shape
        if width and self.x0 <= x_lo and self.y0 <= y_lo and x_hi <= self.x0 + width and y_hi <= self.y0 + height:
            return
        if not width:
            nx0, ny0, nx1, ny1 = x_lo - GROWTH, y_lo - GROWTH, x_hi + GROWTH, y_hi + GROWTH
        else:
            nx0 = min(self.x0, x_lo - GROWTH) if x_lo < self.x0 else self.x0
            ny0 = min(self.y0, y_lo - GROWTH) if y_lo < self.y0 else self.y0
            nx1 = max(self.x0 + width, x_hi + GROWTH) if x_hi > self.x0 + width else self.x0 + width
            ny1 = max(self.y0 + height, y_hi + GROWTH) if y_hi > self.y0 + height else self.y0 + height
        materials = np.full((nx1 - nx0, ny1 - ny0), UNKNOWN, dtype=np.int16)
        seen_at = np.full((nx1 - nx0, ny1 - ny0), -1, dtype=np.int32)
        if width:
            materials[self.x0 - nx0: self.x0 - nx0 + width, self.y0 - ny0: self.y0 - ny0 + height] = self.materials
            seen_at[self.x0 - nx0: self.x0 - nx0 + width, self.y0 - ny0: self.y0 - ny0 + height] = self.seen_at
        for kind, haunt in self.haunts.items():
            grown = np.zeros(materials.shape, dtype=np.int32)
            if width:
                grown[self.x0 - nx0: self.x0 - nx0 + width, self.y0 - ny0: self.y0 - ny0 + height] = haunt
            self.haunts[kind] = grown
        self.x0, self.y0, self.materials, self.seen_at = nx0, ny0, materials, seen_at
