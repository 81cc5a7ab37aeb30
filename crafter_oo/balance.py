"""Population balancing (every 10 steps in Crafter): per chunk, spawn or despawn zombies,
skeletons and cows toward the daylight-dependent targets of the game's rules (crafter-spec §2.6).

Chunk members are visited in creation order: the reference iterates a Python set here,
which makes it irreproducible; creation order is the canonical fix (spec §3.6).
"""

from __future__ import annotations

import numpy as np

from crafter_oo.geometry import ChunkKey, chunk_key, distance
from crafter_oo.rules import CHUNK_SIZE, MATERIAL_ID, Population
from crafter_oo.state import CREATURE_CLASSES
from crafter_oo.turn import Turn


def balance_chunks(turn: Turn, daylight: float) -> None:
    """Balance every chunk key ever used, in first-use order."""
    members: dict[ChunkKey, list[tuple[int, str]]] = {}
    for oid, obj in turn.objects.items():
        members.setdefault(chunk_key(obj.pos, turn.area), []).append((oid, obj.kind))
    populations = turn.rules.balance.populations
    counts = {rule.material: chunk_counts(turn.materials, rule.material) for _, rule in populations}
    for key in list(turn.chunks):
        ids = members.get(key, [])
        cell = key[0] // CHUNK_SIZE[0], key[2] // CHUNK_SIZE[1]
        for kind, rule in populations:
            _balance_kind(turn, key, kind, [oid for oid, other in ids if other == kind], rule,
                          int(counts[rule.material][cell]), daylight)


def chunk_counts(materials: np.ndarray, material: str) -> np.ndarray:
    """How many cells of ``material`` each 12x12 chunk holds, indexed ``[x // 12, y // 12]``
    (two sums over the whole map instead of one per chunk and kind)."""
    cells = materials == MATERIAL_ID[material]
    columns = np.add.reduceat(cells, np.arange(0, cells.shape[0], CHUNK_SIZE[0]), axis=0, dtype=np.int64)
    return np.add.reduceat(columns, np.arange(0, cells.shape[1], CHUNK_SIZE[1]), axis=1)


def _balance_kind(turn: Turn, key: ChunkKey, kind: str, creatures: list[int], rule: Population,
                  space: int, daylight: float) -> None:
    """Spawn or despawn one creature of ``kind`` in chunk ``key`` with ``space`` cells of its material."""
    target_min, target_max = rule.targets(space, daylight)
    rng = turn.rng
    player_pos = turn.player.pos
    if len(creatures) < int(target_min) and rng.random_sample() < rule.spawn_prob:
        xmin, xmax, ymin, ymax = key
        xs, ys = np.nonzero(turn.materials[xmin:xmax, ymin:ymax] == MATERIAL_ID[rule.material])
        i = rng.randint(0, len(xs))
        pos = (xmin + int(xs[i]), ymin + int(ys[i]))
        if turn.object_at(pos) is None and distance(player_pos, pos) >= rule.spawn_dist:
            turn.add(CREATURE_CLASSES[kind](pos, health=turn.rules.health_of(kind)))
    elif len(creatures) > int(target_max) and rng.random_sample() < rule.despawn_prob:
        victim = creatures[rng.randint(0, len(creatures))]
        if distance(player_pos, turn.objects[victim].pos) >= rule.despawn_dist:
            turn.remove(victim)
