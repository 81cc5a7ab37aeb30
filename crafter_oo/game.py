"""Starting a new episode: the reference's episode seed, world generation and player, in a
world with the given rules."""

from __future__ import annotations

import numpy as np

from crafter_oo.rules import Rules
from crafter_oo.state import CREATURE_CLASSES, GameConfig, GameObject, Player, Pos, RngState, WorldState
from crafter_oo.step import daylight_at
from crafter_oo.geometry import chunk_key
from crafter_oo.worldgen import generate_world


def episode_seed(seed: int, episode: int) -> int:
    """The generator seed of an episode, ``hash((seed, episode)) % (2**31 - 1)`` as in the reference.

    CPython's hash of a tuple of ints is not salted, so this is stable across processes.
    """
    return hash((int(seed), int(episode))) % (2**31 - 1)


def new_game(seed: int, episode: int = 1, area: Pos = (64, 64), view: Pos = (9, 9),
             size: Pos = (64, 64), length: int | None = 10000,
             rules: Rules = Rules.crafter()) -> WorldState:
    """The state ``crafter.Env(area, view, size, length, seed=seed)`` has after its
    ``episode``-th ``reset()``, playing by ``rules``.

    The terrain and the creatures' places do not depend on the rules (world generation is
    Crafter's); the creatures' health does.
    """
    if episode < 1:
        raise ValueError(f"episode counts resets and starts at 1, got {episode}")
    if not isinstance(rules, Rules):
        raise TypeError(f"rules must be a crafter_oo.Rules, got {type(rules).__name__}")
    config = GameConfig(tuple(area), tuple(view), tuple(size), length, rules)  # type: ignore[arg-type]
    rng = np.random.RandomState(episode_seed(seed, episode))
    center = (config.area[0] // 2, config.area[1] // 2)
    world = generate_world(rng, config.area, center)
    objects: dict[int, GameObject] = {1: Player(center)}
    chunks = [chunk_key(center, config.area)]
    for oid, (kind, pos) in enumerate(world.creatures, start=2):
        objects[oid] = CREATURE_CLASSES[kind](pos, health=rules.health_of(kind))
        key = chunk_key(pos, config.area)
        if key not in chunks:
            chunks.append(key)
    materials = world.materials.copy()
    materials.flags.writeable = False
    return WorldState(config=config, seed=int(seed), episode=int(episode), step=0,
                      daylight=daylight_at(0, rules.day_length), materials=materials, objects=objects,
                      next_id=len(objects) + 1, chunks=tuple(chunks), unlocked=frozenset(),
                      last_health=objects[1].health, rng=RngState.capture(rng))
