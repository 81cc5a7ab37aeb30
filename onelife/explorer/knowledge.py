"""What the player knows: its memory of the map and everything it learned from its life.

``Knowledge`` bundles the learners (where it may walk, what its actions do, what hurts it,
which contexts it has tried) and feeds them each new screen together with the action that
led to it. It also answers the questions the drives share: the largest count of an item
ever seen, which kinds to treat as hostile, which materials it made itself, whether ``do``
opens a wall, what walls cost.
"""

from __future__ import annotations

from crafter_oo.rules import ACTIONS, MATERIALS, VITALS
from crafter_oo.state import Pos
from onelife.explorer.curiosity import Curiosity
from onelife.explorer.effects import EffectLearner
from onelife.explorer.harm import HarmModel
from onelife.explorer.memory import MapMemory
from onelife.explorer.passability import Passability
from onelife.explorer.perception import Observation, material_name
from onelife.explorer.planning import Planner
from onelife.explorer.situation import Situation

NEEDS = tuple(v for v in VITALS if v != "health")
INTERACTIONS = tuple(a for a in ACTIONS if a == "do" or a.startswith(("place_", "make_")))


class Knowledge:
    """The player's memory and learners (see the module docstring)."""

    def __init__(self) -> None:
        self.memory = MapMemory()
        self.passability = Passability()
        self.effects = EffectLearner()
        self.harm = HarmModel()
        self.curiosity = Curiosity()
        self.hurt_by: set[str] = set()  # kinds beside the player the last time it was hurt
        self.last_harm: int | None = None  # the step it was last hurt by something other than a need
        self.pending: tuple | None = None  # the context of the action taken, counted once its outcome is seen
        self.hits: tuple[str, Pos, int] | None = None  # (kind, where, hits in a row) on a creature that showed nothing yet
        self.daylight_before: float | None = None  # the daylight of the screen before this one
        self._daylight: float | None = None
        self._opening: dict[tuple[int, int], bool] = {}  # (step, material): does ``do`` open it now

    def observe(self, before: Observation | None, action: str | None, obs: Observation) -> None:
        """Learn from a new screen and the action (taken on ``before``) that led to it."""
        self.daylight_before, self._daylight = self._daylight, obs.daylight
        self.memory.update(obs)
        self.effects.observe_cap(obs)
        self.passability.observe(before, action, obs)
        if before is None or action is None:
            return
        if action in INTERACTIONS or action == "sleep":
            if not before.sleeping:
                outcome = self.effects.record(before, action, obs)
                self._track_hits(before, action, obs, outcome)
                if self.pending is not None:
                    self.curiosity.count(*self.pending, done=bool(outcome))
        elif action == "noop" and self.pending is not None:
            self.curiosity.count(*self.pending, done=False)
        self.pending = None
        harmed = self.harm.observe(before, obs)
        if harmed and all(before.inventory[v] > 0 for v in NEEDS):
            self.last_harm = obs.step
            self.hurt_by = {c.kind for c in (*before.creatures, *obs.creatures)
                            if abs(c.pos[0] - obs.pos[0]) + abs(c.pos[1] - obs.pos[1]) <= 1}

    def _track_hits(self, before: Observation, action: str, after: Observation, outcome: frozenset) -> None:
        """Count hits in a row on one creature (the same kind where it stood, or a cell away)."""
        faced = before.creature_at(before.ahead) if action == "do" else None
        if faced is None or outcome:
            self.hits = None
            return
        if self.hits is not None and self.hits[0] == faced.kind and \
                abs(self.hits[1][0] - faced.pos[0]) + abs(self.hits[1][1] - faced.pos[1]) <= 1:
            self.hits = (faced.kind, faced.pos, self.hits[2] + 1)
        else:
            self.hits = (faced.kind, faced.pos, 1)
        moved = [c.pos for c in after.creatures if c.kind == faced.kind
                 and abs(c.pos[0] - faced.pos[0]) + abs(c.pos[1] - faced.pos[1]) <= 1]
        if moved:
            self.hits = (faced.kind, min(moved, key=lambda p: (p != faced.pos, p)), self.hits[2])

    def describe(self) -> str:
        """Everything it believes, for people to read."""
        return "\n".join(["# what my actions do", *self.effects.describe(),
                          "# where I may walk", *self.passability.describe(),
                          "# what hurts me", *self.harm.describe()])

    def cap(self) -> int:
        """The largest count of any item ever seen (a gain cannot show beyond it)."""
        return max(1, self.effects.cap)

    def falling(self, obs: Observation) -> bool:
        """Whether the light is fading."""
        return self.daylight_before is not None and obs.daylight < self.daylight_before

    def hostile(self) -> frozenset[str]:
        """Kinds it treats as hostile: those that hurt it, and (until it knows better) those
        that stood beside it the last time it was hurt."""
        return self.harm.hostile_kinds() | frozenset(k for k in self.hurt_by if not self.harm.harmless(k))

    def can_sleep(self) -> bool:
        """Whether it has learned an action that puts it to sleep."""
        return bool(self.effects.ways(("asleep", "")))

    def made(self) -> frozenset[str]:
        """Materials the player has made appear by placing them."""
        return frozenset(subject for effect, _ in self.effects.effects() if effect.action.startswith("place_")
                         for sign, subject in effect.components if sign == "cell")

    def made_ids(self) -> frozenset[int]:
        return frozenset(MATERIALS.index(name) for name in self.made())

    def made_near(self, situation: Situation, pos: Pos) -> frozenset[str]:
        """The materials it made that lie in the 3x3 block around ``pos``."""
        made = self.made()
        near = set()
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                name = material_name(max(0, situation.material((pos[0] + dx, pos[1] + dy))))
                if name in made:
                    near.add(name)
        return frozenset(near)

    def situation(self, obs: Observation) -> Situation:
        """This step's picture of the world, with what it knows."""
        return Situation(obs, self.memory, self.passability, self.hostile(), self.made_ids(), self.solid())

    def solid(self) -> frozenset[int]:
        """Materials nothing was ever seen standing on that ``do`` does something to (gives an
        item, changes the cell): things to mine or collect, presumed solid, so the player
        may turn toward one by walking against it (and so learns that it blocks). Hitting
        what ``do`` does nothing to (lava, in Crafter) proves nothing, so that is never
        walked against."""
        walked = self.passability.walked_by()
        hit = {t for effect, hypothesis in self.effects.effects() if effect.action == "do"
               and any(s in ("+", "cell") for s, _ in effect.components)
               for c in hypothesis.conditions if c.kind == "target" for t in c.targets}
        return frozenset(MATERIALS.index(t) for t in hit if t in MATERIALS and MATERIALS.index(t) not in walked)

    def opens(self, situation: Situation, pos: Pos) -> bool:
        """Whether ``do`` on the wall at ``pos`` turns it into a floor, with what it holds."""
        material = situation.material(pos)
        return material >= 0 and pos not in situation.creatures and self.opens_material(situation, material)

    def opens_material(self, situation: Situation, material: int) -> bool:
        """Whether ``do`` on ``material`` turns it into a floor, with what it holds (per step)."""
        key = (situation.obs.step, material)
        if key not in self._opening:
            name = material_name(material)
            floors = {material_name(m) for m in situation.floors}
            planner = Planner(self.effects, situation, dict(situation.obs.inventory))
            self._opening[key] = False
            for effect, hypothesis in self.effects.effects():
                if effect.action != "do" or not any(s == "cell" and m in floors for s, m in effect.components):
                    continue
                target = next((c for c in hypothesis.conditions if c.kind == "target"), None)
                if target is not None and name not in target.targets:
                    continue
                missing, impossible = planner.shortfall(effect, hypothesis)
                if not missing and not impossible:
                    self._opening[key] = True
                    break
        return self._opening[key]

    def wall_costs(self) -> list[tuple[str, int]]:
        """What making one wall uses up, per way of making walls it knows (items, amounts)."""
        cover = {material_name(m) for m in self.passability.cover(self.made_ids())}
        costs = []
        for effect, _ in self.effects.effects():
            if effect.action.startswith("place_") and any(s == "cell" and m in cover for s, m in effect.components):
                costs += [(item, -effect.amount(item)) for s, item in effect.components if s == "-"]
        return costs
