"""The mutable scratch world that one ``step`` works on before it freezes a new state.

A ``Turn`` copies only what it changes: the material grid is copied on the first tile
change, an object is cloned the first time it is written and the random generator is
loaded at the first draw, so stepping never touches the input ``WorldState``. It mirrors
the reference ``engine.World`` operations (add, remove, move, chunk bookkeeping) including
their quirks, e.g. a removed object's moves are silently ignored.
"""

from __future__ import annotations

import numpy as np

from crafter_oo.generator import LiveGenerator, live_generator
from crafter_oo.geometry import ChunkKey, ahead, chunk_key
from crafter_oo.rules import MATERIAL_ID, MATERIALS
from crafter_oo.state import GameObject, Player, Pos, RngState, WorldState


class Turn:
    """Working copy of a ``WorldState`` for the duration of one step."""

    def __init__(self, state: WorldState) -> None:
        self.state = state
        self.config = state.config
        self.rules = state.config.rules
        self.area = state.config.area
        self.materials = state.materials
        self._materials_owned = False
        self.objects: dict[int, GameObject] = dict(state.objects)
        self._owned: set[int] = set()
        self.occupancy: dict[Pos, int] = {obj.pos: oid for oid, obj in self.objects.items()}
        self.next_id = state.next_id
        self.chunks: list[ChunkKey] = list(state.chunks)
        self._known_chunks = set(self.chunks)
        self._generator: LiveGenerator | None = None

    @property
    def rng(self) -> np.random.RandomState:
        """The game's generator, loaded from the state at the step's first draw (so a step that
        draws nothing never copies it)."""
        if self._generator is None:
            self._generator = live_generator()
            self._generator.load(self.state.rng)
        return self._generator.random

    @property
    def player(self) -> Player:
        return self.objects[1]  # type: ignore[return-value]

    def writable(self, oid: int) -> GameObject:
        """The object ``oid``, cloned on first write so the input state stays untouched."""
        obj = self.objects[oid]
        if oid not in self._owned:
            obj = obj.clone()
            self.objects[oid] = obj
            self._owned.add(oid)
        return obj

    def inside(self, pos: Pos) -> bool:
        return 0 <= pos[0] < self.area[0] and 0 <= pos[1] < self.area[1]

    def material(self, pos: Pos) -> str | None:
        if not self.inside(pos):
            return None
        return MATERIALS[self.materials[pos[0], pos[1]]]

    def set_material(self, pos: Pos, name: str) -> None:
        if not self._materials_owned:
            self.materials = self.materials.copy()
            self._materials_owned = True
        self.materials[pos[0], pos[1]] = MATERIAL_ID[name]

    def object_at(self, pos: Pos) -> int | None:
        return self.occupancy.get(pos)

    def is_free(self, pos: Pos, walkable: frozenset[str]) -> bool:
        """No object on ``pos`` and its material is in ``walkable`` (off-map is never free)."""
        return pos not in self.occupancy and self.material(pos) in walkable

    def _touch_chunk(self, pos: Pos) -> None:
        key = chunk_key(pos, self.area)
        if key not in self._known_chunks:
            self._known_chunks.add(key)
            self.chunks.append(key)

    def add(self, obj: GameObject) -> int:
        """Add a new object with the next creation index."""
        assert obj.pos not in self.occupancy, f"cell {obj.pos} is occupied"
        oid = self.next_id
        self.next_id += 1
        self.objects[oid] = obj
        self._owned.add(oid)
        self.occupancy[obj.pos] = oid
        self._touch_chunk(obj.pos)
        return oid

    def remove(self, oid: int) -> None:
        """Remove an object; removing an already removed object does nothing."""
        obj = self.objects.pop(oid, None)
        if obj is not None:
            del self.occupancy[obj.pos]

    def move(self, oid: int, obj: GameObject, direction: Pos, walkable: frozenset[str]) -> bool:
        """The reference ``Object.move``: True if the target was free, moving only if alive."""
        target = ahead(obj.pos, direction)
        if not self.is_free(target, walkable):
            return False
        if oid in self.objects:
            del self.occupancy[obj.pos]
            self.occupancy[target] = oid
            if chunk_key(obj.pos, self.area) != chunk_key(target, self.area):
                self._touch_chunk(target)
            obj.pos = target
        return True

    def freeze_materials(self) -> np.ndarray:
        if self._materials_owned:
            self.materials.flags.writeable = False
        return self.materials

    def next_rng(self) -> RngState:
        """The generator's state after the step: the input's own if nothing was drawn."""
        if self._generator is None:
            return self.state.rng
        return self._generator.capture(self.state.rng)
