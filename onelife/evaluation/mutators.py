"""Distractors for state ranking: wrong-but-plausible next states.

The seven mutators of the published protocol, each a function of (base state, current
state, action, generator) that returns a changed copy of the base, or ``None`` where it
does not apply (no creatures, wrong kind of action, nothing left to change):

1. ``entity_health``: every creature gets a health in 0..9 (the game's count range; the
   published release drew from 0..10), never within 1 of its own;
2. ``entity_position``: every creature jumps 2..10 tiles in one of 8 directions, onto a
   free cell of the map (a creature with no such cell stays);
3. ``player_health``: health moved to a different value within ±3, clamped to 0..9 (the
   game's inventory range; the published release clamped to 0..10);
4. ``inventory``: every inventory item but health set to a random count in 0..9;
5. ``collect_illegal_material`` (after ``do``): +1 of the item of a harvestable material
   other than the one the player faced in the current state;
6. ``craft_illegal_item`` (after a ``make_*``): +1 of a tool other than the one made;
7. ``illegal_movement`` (after a non-move action): the player steps one tile onto a free
   walkable cell anyway, facing that way as a move would.

Only the named fields change; the rest of the base (hidden counters, ids, clock, chunks)
is kept. ``distractors`` applies them to the true next state (default) or, with
``published=True``, to the current state as the published release did, drops any result
equal to the truth or to an earlier distractor, and by default adds temporal distractors:
true states of the same trajectory up to three steps earlier or later.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Sequence

import numpy as np

from crafter_oo.rules import ITEM_MAX, ITEMS, MOVE_DIRECTION, PLAYER_WALKABLE
from crafter_oo.state import Player, Pos, WorldState
from crafter_oo.geometry import chunk_key
from onelife.evaluation.views import view_key

Mutator = Callable[[WorldState, WorldState, str, np.random.Generator], "WorldState | None"]
EIGHT_DIRECTIONS: tuple[Pos, ...] = ((-1, -1), (0, -1), (1, -1), (-1, 0), (1, 0), (-1, 1), (0, 1), (1, 1))
TEMPORAL_OFFSETS: tuple[int, ...] = (-3, -2, -1, 1, 2, 3)
ATTEMPTS = 5


def _replace_objects(state: WorldState, changed: dict[int, object]) -> WorldState:
    """The state with some objects replaced (order kept), their chunks registered."""
    objects = {oid: changed.get(oid, obj) for oid, obj in state.objects.items()}
    chunks = list(state.chunks)
    for obj in changed.values():
        key = chunk_key(obj.pos, state.config.area)  # type: ignore[attr-defined]
        if key not in chunks:
            chunks.append(key)
    return dataclasses.replace(state, objects=objects, chunks=tuple(chunks))  # type: ignore[arg-type]


def _with_items(state: WorldState, items: dict[str, int]) -> WorldState:
    player = state.player.clone()
    player.inventory.update(items)
    return _replace_objects(state, {1: player})


def entity_health(base: WorldState, current: WorldState, action: str,
                  rng: np.random.Generator) -> WorldState | None:
    """Every creature gets a random health in 0..9 at least 2 away from its own."""
    changed = {}
    for oid, creature in base.creatures():
        options = [h for h in range(ITEM_MAX + 1) if abs(h - creature.health) > 1]
        clone = creature.clone()
        clone.health = options[int(rng.integers(len(options)))]
        changed[oid] = clone
    return _replace_objects(base, changed) if changed else None


def entity_position(base: WorldState, current: WorldState, action: str,
                    rng: np.random.Generator) -> WorldState | None:
    """Every creature jumps 2..10 tiles in one of 8 directions onto a free cell."""
    occupied = {obj.pos for obj in base.objects.values()}
    changed = {}
    for oid, creature in base.creatures():
        targets = [(creature.pos[0] + dx * d, creature.pos[1] + dy * d)
                   for dx, dy in EIGHT_DIRECTIONS for d in range(2, 11)]
        targets = [p for p in targets if base.inside(p) and p not in occupied]
        if not targets:
            continue
        target = targets[int(rng.integers(len(targets)))]
        occupied.discard(creature.pos)
        occupied.add(target)
        clone = creature.clone()
        clone.pos = target
        changed[oid] = clone
    return _replace_objects(base, changed) if changed else None


def player_health(base: WorldState, current: WorldState, action: str,
                  rng: np.random.Generator) -> WorldState | None:
    """The player's health moved to a different value within ±3, clamped to 0..9."""
    health = base.player.health
    options = sorted({min(ITEM_MAX, max(0, health + shift)) for shift in (-3, -2, -1, 1, 2, 3)} - {health})
    return _with_items(base, {"health": int(rng.choice(options))})


def inventory(base: WorldState, current: WorldState, action: str,
              rng: np.random.Generator) -> WorldState | None:
    """Every inventory item except health set to a random count in 0..9."""
    counts = rng.integers(0, ITEM_MAX + 1, size=len(ITEMS) - 1)
    return _with_items(base, {item: int(c) for item, c in zip(ITEMS[1:], counts)})


def collect_illegal_material(base: WorldState, current: WorldState, action: str,
                             rng: np.random.Generator) -> WorldState | None:
    """After ``do``: +1 of what a different harvestable material than the faced one gives."""
    if action != "do":
        return None
    player = current.player
    faced = current.material((player.pos[0] + player.facing[0], player.pos[1] + player.facing[1]))
    items = sorted({item for material, rule in current.config.rules.collect.items() if material != faced
                    for item in rule.receive})
    return _one_more_of(base, items, rng)


def craft_illegal_item(base: WorldState, current: WorldState, action: str,
                       rng: np.random.Generator) -> WorldState | None:
    """After a ``make_*`` action: +1 of a different tool than the one being made."""
    if not action.startswith("make_"):
        return None
    return _one_more_of(base, [tool for tool in current.config.rules.make if tool != action[len("make_"):]], rng)


def _one_more_of(base: WorldState, items: Sequence[str], rng: np.random.Generator) -> WorldState | None:
    """+1 of one of ``items`` drawn uniformly among those below the cap (``None`` if none is)."""
    room = [item for item in items if base.player.inventory[item] < ITEM_MAX]
    if not room:
        return None
    item = room[int(rng.integers(len(room)))]
    return _with_items(base, {item: base.player.inventory[item] + 1})


def illegal_movement(base: WorldState, current: WorldState, action: str,
                     rng: np.random.Generator) -> WorldState | None:
    """After a non-move action: the player steps one tile onto a free walkable cell anyway."""
    if action in MOVE_DIRECTION:
        return None
    pos = base.player.pos
    occupied = {obj.pos for obj in base.objects.values()}
    options = [d for d in MOVE_DIRECTION.values()
               if (cell := (pos[0] + d[0], pos[1] + d[1])) not in occupied and base.material(cell) in PLAYER_WALKABLE]
    if not options:
        return None
    direction = options[int(rng.integers(len(options)))]
    player: Player = base.player.clone()
    player.pos = (pos[0] + direction[0], pos[1] + direction[1])
    player.facing = direction
    return _replace_objects(base, {1: player})


MUTATORS: dict[str, Mutator] = {
    "entity_health": entity_health, "entity_position": entity_position,
    "player_health": player_health, "inventory": inventory,
    "collect_illegal_material": collect_illegal_material,
    "craft_illegal_item": craft_illegal_item, "illegal_movement": illegal_movement,
}


def mutate(mutator: Mutator, base: WorldState, current: WorldState, truth: WorldState, action: str,
           rng: np.random.Generator) -> WorldState | None:
    """One draw of ``mutator`` that differs from ``truth`` (up to a few attempts), or ``None``."""
    truth_key = view_key(truth)
    for _ in range(ATTEMPTS):
        result = mutator(base, current, action, rng)
        if result is None:
            return None
        if view_key(result) != truth_key:
            return result
    return None


def distractors(current: WorldState, action: str, truth: WorldState, rng: np.random.Generator,
                published: bool = False, trajectory: Sequence[WorldState] = (),
                index: int | None = None) -> list[WorldState]:
    """The distractors of one transition, distinct from the truth and from each other.

    ``trajectory`` is s_0..s_n of the run and ``index`` the position of ``truth`` in it
    (needed for temporal distractors, which ``published`` mode leaves out).
    """
    base = current if published else truth
    found: dict[str, WorldState] = {view_key(truth): truth}
    for mutator in MUTATORS.values():
        result = mutate(mutator, base, current, truth, action, rng)
        if result is not None:
            found.setdefault(view_key(result), result)
    if not published and index is not None:
        for offset in TEMPORAL_OFFSETS:
            if 0 <= index + offset < len(trajectory):
                found.setdefault(view_key(trajectory[index + offset]), trajectory[index + offset])
    return list(found.values())[1:]
