"""One step's picture of the world for planning: the remembered map, where the player may
walk, the routes from where it stands, and where things it might face are."""

from __future__ import annotations

import numpy as np

from crafter_oo.rules import MATERIALS
from crafter_oo.state import Pos
from onelife.explorer.memory import UNKNOWN, MapMemory
from onelife.explorer.navigation import Routes, shifted
from onelife.explorer.passability import SOUND_WALL, Passability
from onelife.explorer.perception import Observation, Sighting

STALE = 40  # steps after which a creature seen out of view is no longer assumed where it was
MATERIAL_INDEX = {name: i for i, name in enumerate(MATERIALS) if name is not None}


class Situation:
    """The map, the floors, the creatures and the routes at one step."""

    def __init__(self, obs: Observation, memory: MapMemory, passability: Passability,
                 hostile: frozenset[str] = frozenset(), made: frozenset[int] = frozenset(),
                 solid: frozenset[int] = frozenset()) -> None:
        self.obs, self.memory, self.passability = obs, memory, passability
        self.solid = solid  # materials a move is presumed not to enter (see ``Knowledge.solid``)
        self.origin = (memory.x0, memory.y0)
        self.floors = passability.floors()
        self.cover = passability.cover(made)
        self.sound = passability.cover(made, SOUND_WALL)
        materials = memory.materials
        self.floor = np.isin(materials, np.fromiter(self.floors, dtype=np.int16, count=len(self.floors)))
        self.creatures: dict[Pos, Sighting] = {c.pos: c for c in obs.creatures}
        for pos, creature in memory.creatures.items():  # plants stay put; others only while fresh
            if pos not in self.creatures and not obs.in_view(pos) and (
                    creature.kind == "plant" or memory.sighted_at[pos] >= obs.step - STALE):
                self.creatures[pos] = creature
        self.occupied = np.zeros(materials.shape, dtype=bool)
        for pos in self.creatures:
            i, j = memory.index(pos)
            if 0 <= i < materials.shape[0] and 0 <= j < materials.shape[1]:
                self.occupied[i, j] = True
        self.danger = np.zeros(materials.shape, dtype=bool)  # beside a hostile walker, or in an arrow's flight
        for pos, creature in self.creatures.items():
            if creature.kind not in hostile or not obs.in_view(pos):
                continue
            if creature.facing is not None:
                cells = [(pos[0] + k * creature.facing[0], pos[1] + k * creature.facing[1]) for k in (1, 2, 3)]
            else:
                cells = [(pos[0] + dx, pos[1] + dy) for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1))]
            for cell in cells:
                i, j = memory.index(cell)
                if 0 <= i < materials.shape[0] and 0 <= j < materials.shape[1]:
                    self.danger[i, j] = True
        self.walkable = self.floor & ~self.occupied & ~self.danger
        here = memory.index(obs.pos)
        self.walkable[here] = True
        self.routes = Routes(self.walkable, self.origin, obs.pos, obs.facing)
        self._within: dict[tuple[str, int], np.ndarray] = {}

    def inside(self, pos: Pos) -> bool:
        i, j = self.memory.index(pos)
        return 0 <= i < self.floor.shape[0] and 0 <= j < self.floor.shape[1]

    def material(self, pos: Pos) -> int:
        return self.memory.material(pos)

    def is_floor(self, pos: Pos) -> bool:
        """The player may stand on ``pos`` now (a proven floor, no creature)."""
        i, j = self.memory.index(pos)
        return self.inside(pos) and bool(self.walkable[i, j])

    def is_wall(self, pos: Pos) -> bool:
        """Cover on ``pos``: a material no walker stands on (known, not unknown), no creature."""
        material = self.material(pos)
        return material != UNKNOWN and material in self.cover and pos not in self.creatures

    def cells_of(self, things: frozenset[str] | set[str]) -> np.ndarray:
        """Grid mask of the cells holding one of ``things`` (material names or creature kinds;
        ``"ripe plant"`` for a ripe plant). A creature hides the material under it."""
        ids = [MATERIAL_INDEX[t] for t in things if t in MATERIAL_INDEX]
        if "outside" in things:
            ids.append(0)
        mask = np.isin(self.memory.materials, ids) & ~self.occupied if ids else np.zeros(self.floor.shape, dtype=bool)
        for pos, creature in self.creatures.items():
            name = "ripe plant" if creature.ripe else creature.kind
            if name in things and self.inside(pos):
                mask[self.memory.index(pos)] = True
        return mask

    def within(self, material: str, distance: int) -> np.ndarray:
        """Grid mask of the cells whose Chebyshev distance to a ``material`` cell is at most ``distance``."""
        key = (material, distance)
        if key not in self._within:
            self._within[key] = _square_dilation(self.memory.materials == MATERIAL_INDEX[material], distance)
        return self._within[key]

    def blocking(self) -> np.ndarray:
        """Cells a move is known (or presumed) not to enter (a creature, a material that
        blocked the player before, a solid one): the player may turn toward them."""
        blocks = [m for m in range(len(MATERIALS)) if self.passability.blocks_player(m) or m in self.solid]
        return self.occupied | np.isin(self.memory.materials, blocks) if blocks else self.occupied

    def unknown(self) -> np.ndarray:
        return self.memory.materials == UNKNOWN


def _square_dilation(mask: np.ndarray, distance: int) -> np.ndarray:
    """Cells within Chebyshev ``distance`` of a ``mask`` cell."""
    grown = mask.copy()
    for _ in range(distance):
        step = grown | shifted(grown, (1, 0), False) | shifted(grown, (-1, 0), False)
        grown = step | shifted(step, (0, 1), False) | shifted(step, (0, -1), False)
    return grown
