"""Small hand-built worlds (a few cells, a few creatures) for examples, tests and benchmarks."""

from __future__ import annotations

import numpy as np

from crafter_oo.rules import CHAR_MATERIAL_ID, CHUNK_SIZE
from crafter_oo.state import GameConfig, GameObject, Player, RngState, WorldState

from onelife.attributes import daylight


def toy_world(rows: list[str], objects: list[GameObject], step: int = 0) -> WorldState:
    """A world whose map is given as rows of material characters (``rules.MATERIAL_CHAR``).

    ``objects[0]`` must be the player; ids follow list order. Every chunk holding an object
    is recorded, as Crafter does.
    """
    if not objects or not isinstance(objects[0], Player):
        raise ValueError("the first object must be the player")
    height, width = len(rows), len(rows[0])
    grid = np.array([[CHAR_MATERIAL_ID[c] for c in row] for row in rows], dtype=np.uint8).T.copy()
    grid.flags.writeable = False
    chunks: list[tuple[int, int, int, int]] = []
    for obj in objects:
        x0, y0 = (obj.pos[0] // CHUNK_SIZE[0]) * CHUNK_SIZE[0], (obj.pos[1] // CHUNK_SIZE[1]) * CHUNK_SIZE[1]
        key = (x0, min(x0 + CHUNK_SIZE[0], width), y0, min(y0 + CHUNK_SIZE[1], height))
        if key not in chunks:
            chunks.append(key)
    player = objects[0]
    return WorldState(GameConfig(area=(width, height)), 0, 0, step, daylight(step), grid,
                      {i + 1: obj for i, obj in enumerate(objects)}, len(objects) + 1, tuple(chunks),
                      frozenset(), player.health, RngState.capture(np.random.RandomState(0)))
