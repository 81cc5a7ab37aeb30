"""Converters between a ``WorldState`` and a live ``crafter.Env`` (the reference game).

``from_crafter`` snapshots a running reference game, for differential testing and for
importing states; ``to_crafter`` builds a reference game in a given state, so any state
of ours with Crafter's rules can be continued in the original (which knows no other rules).
"""

from __future__ import annotations

import collections
from typing import Any

import numpy as np

from crafter_oo.state import (
    CREATURE_CLASSES,
    GameConfig,
    GameObject,
    Player,
    RngState,
    WorldState,
)
from crafter_oo.rules import Rules

_KIND_OF_CLASS = {"Player": "player", "Cow": "cow", "Zombie": "zombie", "Skeleton": "skeleton",
                  "Arrow": "arrow", "Plant": "plant"}


def _pos(value: Any) -> tuple[int, int]:
    return int(value[0]), int(value[1])


def _snapshot_object(obj: Any) -> GameObject:
    kind = _KIND_OF_CLASS.get(type(obj).__name__)
    if kind is None:
        raise ValueError(f"cannot convert a reference object of type {type(obj).__name__}")
    if kind == "player":
        return Player(_pos(obj.pos), _pos(obj.facing), {k: int(v) for k, v in obj.inventory.items()},
                      {k: int(v) for k, v in obj.achievements.items()}, bool(obj.sleeping),
                      float(obj._hunger), float(obj._thirst), float(obj._fatigue),
                      float(obj._recover), int(obj._last_health))
    extra: dict[str, Any] = {}
    if kind == "zombie":
        extra["cooldown"] = int(obj.cooldown)
    elif kind == "skeleton":
        extra["reload"] = int(obj.reload)
    elif kind == "plant":
        extra["grown"] = int(obj.grown)
    elif kind == "arrow":
        extra["facing"] = _pos(obj.facing)
    return CREATURE_CLASSES[kind](pos=_pos(obj.pos), health=int(obj.health), **extra)


def from_crafter(env: Any) -> WorldState:
    """Snapshot a live ``crafter.Env`` (after at least one ``reset``); its rules are Crafter's."""
    world = env._world
    if env._player is None:
        raise ValueError("the crafter.Env has not been reset yet; call env.reset() first")
    objects = {idx: _snapshot_object(obj) for idx, obj in enumerate(world._objects) if obj is not None}
    materials = world._mat_map.copy()
    materials.flags.writeable = False
    return WorldState(
        config=GameConfig(_pos(env._area), _pos(env._view), _pos(env._size), env._length),
        seed=int(env._seed), episode=int(env._episode), step=int(env._step),
        daylight=float(world.daylight), materials=materials, objects=objects,
        next_id=len(world._objects),
        chunks=tuple(tuple(int(v) for v in key) for key in world._chunks),  # type: ignore[misc]
        unlocked=frozenset(env._unlocked), last_health=int(env._last_health),
        rng=RngState.capture(world.random))


def to_crafter(state: WorldState) -> Any:
    """A live ``crafter.Env`` in exactly ``state`` (no reset, so no world generation).

    Only a state with ``Rules.crafter()`` converts: the reference game cannot hold other rules.
    """
    if state.config.rules != Rules.crafter():
        raise ValueError("to_crafter: this state plays by rules other than Crafter's "
                         "(state.config.rules != Rules.crafter()); the crafter package cannot "
                         "hold other rules")
    import crafter
    from crafter import objects as reference

    config = state.config
    env = crafter.Env(area=config.area, view=config.view, size=config.size,
                      length=config.length, seed=state.seed)
    world = env._world
    world.reset(seed=0)
    state.rng.restore_into(world.random)
    world.daylight = np.float64(state.daylight)
    world._mat_map[:] = state.materials
    world._objects = [None] * state.next_id
    world._chunks = collections.defaultdict(set)
    for key in state.chunks:
        world._chunks[key] = set()
    p = state.player
    player = reference.Player(world, p.pos)
    player.facing = p.facing
    player.inventory = dict(p.inventory)
    player.achievements = dict(p.achievements)
    player.sleeping = p.sleeping
    player._hunger, player._thirst = p.hunger, p.thirst
    player._fatigue, player._recover = p.fatigue, p.recover
    player._last_health = p.last_health
    for oid, obj in state.objects.items():
        if oid == 1:
            live: Any = player
        elif obj.kind in ("zombie", "skeleton"):
            live = getattr(reference, obj.kind.capitalize())(world, obj.pos, player)
        elif obj.kind == "arrow":
            live = reference.Arrow(world, obj.pos, np.array(obj.facing))  # type: ignore[union-attr]
        else:
            live = getattr(reference, obj.kind.capitalize())(world, obj.pos)
        if oid != 1:
            live.health = obj.health  # type: ignore[union-attr]
            for name in ("cooldown", "reload", "grown"):
                if hasattr(obj, name):
                    setattr(live, name, getattr(obj, name))
        live.pos = np.array(obj.pos)
        world._objects[oid] = live
        world._obj_map[obj.pos] = oid
        world._chunks[world.chunk_key(live.pos)].add(live)
    env._player = player
    env._step = state.step
    env._episode = state.episode
    env._last_health = state.last_health
    env._unlocked = set(state.unlocked)
    return env
