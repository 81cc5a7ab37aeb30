"""Which floors the player and each creature kind stand on, learned by looking.

A floor is *proven* for the player once it has seen something walk on it: itself, or a
creature kind it has seen walk. A kind walks if its creatures have been seen both stepping to
a next cell and standing still (in Crafter, arrows only fly and plants never move, so they
prove nothing). With
one life, an unproven floor may kill (lava does), so the player never steps onto one. A
material the player walked against without moving (and with no creature in the way)
blocks it, whatever others stand on. A material no walking creature has ever stood on is
*cover*: a wall between the player and whatever walks; a *sound* one once walkers have
stood beside it many times without stepping on it (or the player made it itself).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from crafter_oo.rules import MATERIALS, MOVE_DIRECTION
from onelife.explorer.perception import OUTSIDE, Observation

SELF = "self"
GAIT_EVIDENCE = 1  # a step and a stand seen: the kind walks (arrows never stand, plants never step)
BLOCKED_AFTER = 2  # walks against a material without moving before it counts as blocking the player
SOUND_WALL = 20  # steps walkers stood beside a material (never on it) before it is a wall to sleep behind


class Passability:
    """Who was seen standing on which material, and what blocked the player's moves."""

    def __init__(self) -> None:
        self.stood_on: dict[str, set[int]] = defaultdict(set)
        self.blocked_moves: dict[int, int] = defaultdict(int)
        self.walks: dict[int, int] = defaultdict(int)
        self.passed_up: dict[tuple[str, int], int] = defaultdict(int)  # per (kind, material): steps stood beside it
        self.stepped: dict[str, int] = defaultdict(int)  # per kind: creatures seen moving to a next cell
        self.stood: dict[str, int] = defaultdict(int)  # per kind: creatures seen staying where they were

    def observe(self, before: Observation | None, action: str | None, after: Observation) -> None:
        """Learn from one screen (and the move that led to it, if any)."""
        self.stood_on[SELF].add(after.material(after.pos))
        for creature in after.creatures:
            self.stood_on[creature.kind].add(after.material(creature.pos))
        if before is not None:
            self._gaits(before, after)
            self._passed_by(before, after)
        if before is None or action not in MOVE_DIRECTION or before.sleeping:
            return
        dx, dy = MOVE_DIRECTION[action]
        target = (before.pos[0] + dx, before.pos[1] + dy)
        if not before.in_view(target) or before.creature_at(target) is not None:
            return
        material = before.material(target)
        if after.pos == target:
            self.walks[material] += 1
        elif after.creature_at(target) is None:
            self.blocked_moves[material] += 1

    def _gaits(self, before: Observation, after: Observation) -> None:
        """Count, per kind, creatures that stayed on their cell and creatures that stepped to
        a next cell (one of their kind there now that was not there before, and none left)."""
        for c in before.creatures:
            if not after.in_view(c.pos):
                continue
            here = after.creature_at(c.pos)
            if here is not None and here.kind == c.kind:
                self.stood[c.kind] += 1
            elif here is None and sum(
                    (n := after.creature_at((c.pos[0] + dx, c.pos[1] + dy))) is not None and n.kind == c.kind
                    and before.creature_at(n.pos) is None for dx, dy in MOVE_DIRECTION.values()) == 1:
                self.stepped[c.kind] += 1

    def walkers(self) -> tuple[str, ...]:
        """The kinds seen to walk: stepping to next cells and standing still, each often."""
        return tuple(sorted(kind for kind in self.stepped
                            if self.stepped[kind] >= GAIT_EVIDENCE and self.stood[kind] >= GAIT_EVIDENCE))

    def _passed_by(self, before: Observation, after: Observation) -> None:
        """Count, per kind and material, the steps a creature stood beside a cell of it (each a
        chance to step onto it): a wall is what walkers never enter however long they stand by it."""
        for c in after.creatures:
            for dx, dy in MOVE_DIRECTION.values():
                cell = (c.pos[0] + dx, c.pos[1] + dy)
                if after.in_view(cell):
                    self.passed_up[(c.kind, after.material(cell))] += 1

    def blocks_player(self, material: int) -> bool:
        return self.blocked_moves[material] >= BLOCKED_AFTER and self.walks[material] == 0

    def floors(self) -> frozenset[int]:
        """Materials the player may step onto: proven by a walker, never found blocking."""
        proven = set().union(*(self.stood_on[who] for who in (SELF, *self.walkers())))
        return frozenset(m for m in proven if m != OUTSIDE and not self.blocks_player(m))

    def walked_by(self, kinds: tuple[str, ...] | None = None) -> frozenset[int]:
        """Materials any of ``kinds`` (default: the player and the kinds seen to walk) has
        been seen standing on."""
        return frozenset().union(*(self.stood_on[kind] for kind in (kinds or (SELF, *self.walkers()))))

    def cover(self, made: frozenset[int] = frozenset(), evidence: int = 0) -> frozenset[int]:
        """Walls: materials no walking creature (nor the player) has ever stood on, beside
        which walkers stood at least ``evidence`` times (materials the player made itself, and
        the edge of the world, need none)."""
        walkers = self.walkers()
        walked = self.walked_by((SELF, *walkers))
        return frozenset(m for m in range(len(MATERIALS)) if m not in walked and (
            m == OUTSIDE or m in made or sum(self.passed_up[(kind, m)] for kind in walkers) >= evidence))

    def floor_mask(self, materials: np.ndarray) -> np.ndarray:
        """Per cell of a material grid: whether the player may step there (creatures aside)."""
        return np.isin(materials, np.fromiter(self.floors(), dtype=np.int16, count=-1))

    def describe(self) -> list[str]:
        """What it believes, one line per walker."""
        def names(ids: set[int] | frozenset[int]) -> str:
            return ", ".join(sorted(MATERIALS[m] or "outside" for m in ids)) or "nothing yet"
        lines = [f"floors I may step on: {names(self.floors())}",
                 f"cover (no walker seen on it): {names(self.cover())}"]
        lines += [f"{who} stood on: {names(self.stood_on[who])}" for who in (SELF, *self.walkers())
                  if self.stood_on[who]]
        blocking = {m for m in self.blocked_moves if self.blocks_player(m)}
        if blocking:
            lines.append(f"blocks me: {names(blocking)}")
        return lines
