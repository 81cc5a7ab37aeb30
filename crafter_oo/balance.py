"""Population balancing (every 10 steps in Crafter): per chunk, spawn or despawn zombies,
skeletons and cows toward the daylight-dependent targets of the game's rules (crafter-spec §2.6).

Chunk members are visited in creation order: the reference iterates a Python set here,
which makes it irreproducible; creation order is the canonical fix (spec §3.6).
"""

from __future__ import annotations

import numpy as np

from crafter_oo.geometry import distance
from crafter_oo.rules import MATERIAL_ID, Population
from crafter_oo.state import CREATURE_CLASSES, ChunkKey
from crafter_oo.turn import Turn, chunk_key


def balance_chunks(turn: Turn, daylight: float) -> None:
    """Balance every chunk key ever used, in first-use order."""
    members: dict[ChunkKey, list[tuple[int, str]]] = {}
    for oid, obj in turn.objects.items():
        members.setdefault(chunk_key(obj.pos, turn.area), []).append((oid, obj.kind))
    populations = turn.rules.balance.populations
    for key in list(turn.chunks):
        ids = members.get(key, [])
        for kind, rule in populations:
            _balance_kind(turn, key, kind, [oid for oid, other in ids if other == kind], rule, daylight)


def _balance_kind(turn: Turn, key: ChunkKey, kind: str, creatures: list[int], rule: Population,
                  daylight: float) -> None:
    xmin, xmax, ymin, ymax = key
    region = turn.materials[xmin:xmax, ymin:ymax] == MATERIAL_ID[rule.material]
    target_min, target_max = rule.targets(int(region.sum()), daylight)
    rng = turn.rng
    player_pos = turn.player.pos
    if len(creatures) < int(target_min) and rng.random_sample() < rule.spawn_prob:
        xs, ys = np.nonzero(region)
        i = rng.randint(0, len(xs))
        pos = (xmin + int(xs[i]), ymin + int(ys[i]))
        if turn.object_at(pos) is None and distance(player_pos, pos) >= rule.spawn_dist:
            turn.add(CREATURE_CLASSES[kind](pos, health=turn.rules.health_of(kind)))
    elif len(creatures) > int(target_max) and rng.random_sample() < rule.despawn_prob:
        victim = creatures[rng.randint(0, len(creatures))]
        if distance(player_pos, turn.objects[victim].pos) >= rule.despawn_dist:
            turn.remove(victim)
