"""What the player sees: the one place where the explorer reads a ``WorldState``.

The game shows a player a local view (``config.view`` cells, of which the bottom rows are
the inventory, so 9 x 7 cells of world centred on the player), the creatures in it (an
arrow's direction is drawn, a ripe plant has its own texture), its own inventory
(vitals included), whether it sleeps, how dark the screen is, and, since it counts its
own steps, the step number. ``perceive`` turns a state into exactly that. Nothing hidden
passes: not the vitals' counters, creatures' health, cooldowns or reloads, the random
generator, the achievements, nor any cell or creature outside the view.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

import numpy as np

from crafter_oo.rules import ITEMS, MATERIALS
from crafter_oo.state import Pos, WorldState

OUTSIDE = 0  # the material id of a cell beyond the map's edge (drawn as a blank tile)


@dataclass(frozen=True, slots=True)
class Sighting:
    """A creature in view: its kind and cell; an arrow's flight direction; a plant's ripeness."""

    kind: str
    pos: Pos
    facing: Pos | None = None
    ripe: bool | None = None


@dataclass(frozen=True, slots=True)
class Observation:
    """One screen: the local view, the creatures in it and the player's own status.

    ``materials[i, j]`` is the id (an index into ``crafter_oo.rules.MATERIALS``) of the cell
    at ``(corner[0] + i, corner[1] + j)``; ``OUTSIDE`` beyond the map's edge.
    """

    step: int
    daylight: float
    pos: Pos
    facing: Pos
    sleeping: bool
    inventory: Mapping[str, int]
    corner: Pos
    materials: np.ndarray
    creatures: tuple[Sighting, ...]

    @property
    def ahead(self) -> Pos:
        """The cell the player faces: where ``do`` and ``place_*`` act."""
        return self.pos[0] + self.facing[0], self.pos[1] + self.facing[1]

    def in_view(self, pos: Pos) -> bool:
        width, height = self.materials.shape
        return 0 <= pos[0] - self.corner[0] < width and 0 <= pos[1] - self.corner[1] < height

    def material(self, pos: Pos) -> int:
        """The material id of a cell in view."""
        return int(self.materials[pos[0] - self.corner[0], pos[1] - self.corner[1]])

    def creature_at(self, pos: Pos) -> Sighting | None:
        return next((c for c in self.creatures if c.pos == pos), None)

    def thing(self, pos: Pos) -> str:
        """What stands on a cell in view: a creature's kind (``"ripe plant"`` for a ripe one),
        else the material's name (``"outside"`` beyond the edge)."""
        creature = self.creature_at(pos)
        if creature is not None:
            return "ripe plant" if creature.ripe else creature.kind
        return material_name(self.material(pos))


def material_name(material: int) -> str:
    """The name of a material id, ``"outside"`` for the blank beyond the map."""
    return MATERIALS[material] or "outside"


def view_shape(state: WorldState) -> Pos:
    """The world part of the screen in cells: the view minus the inventory's rows."""
    columns, rows = state.config.view
    inventory_rows = -(-len(ITEMS) // columns)
    return columns, rows - inventory_rows


def perceive(state: WorldState) -> Observation:
    """The screen the game shows for ``state`` (see the module docstring)."""
    player = state.player
    (width, height), (px, py) = view_shape(state), player.pos
    corner = (px - width // 2, py - height // 2)
    materials = np.full((width, height), OUTSIDE, dtype=np.int16)
    area = state.config.area
    x0, y0 = max(0, corner[0]), max(0, corner[1])
    x1, y1 = min(area[0], corner[0] + width), min(area[1], corner[1] + height)
    if x0 < x1 and y0 < y1:
        materials[x0 - corner[0]: x1 - corner[0], y0 - corner[1]: y1 - corner[1]] = state.materials[x0:x1, y0:y1]
    materials.flags.writeable = False
    creatures = []
    for _, creature in state.creatures():
        (x, y) = creature.pos
        if corner[0] <= x < corner[0] + width and corner[1] <= y < corner[1] + height:
            creatures.append(Sighting(creature.kind, creature.pos,
                                      facing=getattr(creature, "facing", None) if creature.kind == "arrow" else None,
                                      ripe=creature.is_ripe(state.config.rules) if creature.kind == "plant"  # type: ignore[union-attr]
                                      else None))  # as the game draws it
    return Observation(step=state.step, daylight=float(state.daylight), pos=player.pos, facing=player.facing,
                       sleeping=player.sleeping, inventory=MappingProxyType(dict(player.inventory)),
                       corner=corner, materials=materials, creatures=tuple(creatures))
