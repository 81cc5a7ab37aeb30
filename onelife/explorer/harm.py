"""What hurts the player: health drops and the situations they came in, as counts.

Every step is a trial. Its situation is described by generic features: each creature
kind's distance (the nearest in view, before or after the step), being asleep, a vital
at zero, the daylight band. Counting steps and harmed steps per feature gives harm
rates; from them the player judges which kinds hurt it (harm far more often when one is
next to it than otherwise; until then, kinds that keep coming toward it are presumed
to), which kind makes them (a hurtful kind that keeps appearing
beside another: an arrow beside its archer), which empty vital hurts it, and in which
daylight the kinds that hurt it crowd in (the dark, in Crafter, though nothing here says
so).
"""

from __future__ import annotations

from collections import Counter
from typing import Hashable

from crafter_oo.rules import VITALS
from onelife.explorer.perception import Observation

CLOSE = (1, 2, 4)  # distances at which a creature's presence is counted as a feature
DAYLIGHT_BANDS = 5  # daylight in [0, 1] split into this many bands
HOSTILE_RATIO = 4.0  # harm this many times likelier beside a kind than overall marks it hostile
HOSTILE_EVIDENCE = 2  # harmed steps beside a kind needed before it is called hostile
CROWDING_RATIO = 2.0  # hostile creatures per step this many times the brightest band's makes a band dangerous
CROWDING_FLOOR = 0.3  # and at least this many hostile creatures in view per step on average
BAND_EVIDENCE = 20  # steps seen in a band before its crowding is trusted
SHADES = 10  # daylight split finer, to notice early that it is darker than ever before
SHADE_EVIDENCE = 10  # steps lived in a shade before it counts as known
UNKNOWN_MARGIN = 2  # shades darker than the darkest known before a darkness is feared (a little darker is no news)
DUSK_MARGIN = 2  # shades below the brightest known at which a fading light is taken for the coming night
NEEDS = tuple(v for v in VITALS if v != "health")
NOTICE = 6  # creatures within this distance are watched for coming closer
APPROACH_EVIDENCE = 10  # watched moves of a kind before judging whether it comes after the player
APPROACH_SHARE = 0.7  # share of its moves that bring a kind closer for it to count as coming after the player
HARMLESS_EVIDENCE = 10  # steps beside a kind before it can be judged harmless
SOURCE_EVIDENCE = 2  # appearances beside a kind before that kind is taken for their source
SOURCE_SHARE = 0.7  # share of a kind's appearances that must be beside its source

Feature = Hashable


def band(daylight: float) -> int:
    return min(DAYLIGHT_BANDS - 1, int(daylight * DAYLIGHT_BANDS))


class HarmModel:
    """Harm rates per situation feature (see the module docstring)."""

    def __init__(self) -> None:
        self.steps: Counter[Feature] = Counter()
        self.harmed: Counter[Feature] = Counter()
        self.damage: Counter[Feature] = Counter()
        self.seen: Counter[tuple[int, str]] = Counter()  # per (daylight band, kind): creatures in view, summed over steps
        self.band_steps: Counter[int] = Counter()
        self.shade_steps: Counter[int] = Counter()  # steps lived per tenth of daylight
        self.lowest_hurting: dict[str, int] = {}  # vital -> the level at which it was seen hurting
        self.moves: Counter[tuple[str, bool]] = Counter()  # (kind, toward the player?) moves of creatures near it
        self.kinds: set[str] = set()  # the creature kinds it has seen
        self.appeared: Counter[str] = Counter()  # creatures seen appearing in view, by kind
        self.appeared_beside: Counter[tuple[str, str]] = Counter()  # (kind, kind of a creature beside it then)

    def features(self, before: Observation, after: Observation) -> set[Feature]:
        features: set[Feature] = {("any",), ("asleep", before.sleeping), ("band", band(before.daylight))}
        nearest: dict[str, int] = {}
        for obs in (before, after):
            for c in obs.creatures:
                d = abs(c.pos[0] - after.pos[0]) + abs(c.pos[1] - after.pos[1])
                nearest[c.kind] = min(d, nearest.get(c.kind, d))
        for kind, d in nearest.items():
            features.update(("near", kind, r) for r in CLOSE if d <= r)
        if not any(d <= CLOSE[-1] for kind, d in nearest.items() if kind != "plant"):
            features.add(("alone",))
        for vital in NEEDS:
            if before.inventory[vital] == 0:
                features.add(("empty", vital))
        return features

    def observe(self, before: Observation, after: Observation) -> int:
        """Count one step; returns the damage taken in it."""
        damage = max(0, before.inventory["health"] - after.inventory["health"])
        features = self.features(before, after)
        for feature in features:
            self.steps[feature] += 1
            if damage:
                self.harmed[feature] += 1
                self.damage[feature] += damage
        if damage and ("alone",) in features:
            for vital in NEEDS:
                if ("empty", vital) in features:
                    self.lowest_hurting[vital] = 0
        self._sources(before, after)
        self._approaches(before, after)
        b = band(before.daylight)
        self.band_steps[b] += 1
        self.shade_steps[min(SHADES - 1, int(before.daylight * SHADES))] += 1
        self.seen.update((b, c.kind) for c in before.creatures)
        self.kinds.update(c.kind for c in (*before.creatures, *after.creatures))
        return damage

    def _sources(self, before: Observation, after: Observation) -> None:
        """Count creatures appearing beside another creature (an arrow beside its archer)."""
        for c in after.creatures:
            if not before.in_view(c.pos) or any(b.kind == c.kind and abs(b.pos[0] - c.pos[0]) + abs(b.pos[1] - c.pos[1]) <= 1
                                                for b in before.creatures):
                continue  # out of view before, or one that moved here
            self.appeared[c.kind] += 1
            for kind in sorted({b.kind for b in before.creatures
                                if b.kind != c.kind and abs(b.pos[0] - c.pos[0]) + abs(b.pos[1] - c.pos[1]) == 1}):
                self.appeared_beside[(c.kind, kind)] += 1

    def _approaches(self, before: Observation, after: Observation) -> None:
        """Count, per kind, the moves of creatures near the player that brought them closer or
        took them farther (a creature is followed to the cell of its kind it could have moved to)."""
        for c in before.creatures:
            d0 = abs(c.pos[0] - before.pos[0]) + abs(c.pos[1] - before.pos[1])
            if d0 > NOTICE or c.facing is not None:
                continue
            moved = [a for a in after.creatures if a.kind == c.kind and abs(a.pos[0] - c.pos[0]) + abs(a.pos[1] - c.pos[1]) == 1]
            if len(moved) != 1 or before.creature_at(moved[0].pos) is not None:
                continue
            d1 = abs(moved[0].pos[0] - after.pos[0]) + abs(moved[0].pos[1] - after.pos[1])
            if d1 != d0:
                self.moves[(c.kind, d1 < d0)] += 1

    def approaches(self, kind: str) -> bool:
        """Whether creatures of ``kind`` near the player move toward it far more than away."""
        closer, farther = self.moves[(kind, True)], self.moves[(kind, False)]
        return closer + farther >= APPROACH_EVIDENCE and closer >= APPROACH_SHARE * (closer + farther)

    def source(self, kind: str) -> str | None:
        """The kind that ``kind`` keeps appearing beside (what makes it), if there is one."""
        for other in sorted(self.kinds):
            count = self.appeared_beside[(kind, other)]
            if count >= SOURCE_EVIDENCE and count >= SOURCE_SHARE * self.appeared[kind]:
                return other
        return None

    def rate(self, feature: Feature) -> float:
        """Harmed steps per step with ``feature`` (one imagined unharmed step as prior)."""
        return self.harmed[feature] / (self.steps[feature] + 1)

    def is_hostile(self, kind: str) -> bool:
        """Whether harm is far likelier with a ``kind`` beside the player than overall."""
        feature = ("near", kind, CLOSE[1])
        return (self.harmed[feature] >= HOSTILE_EVIDENCE
                and self.rate(feature) >= HOSTILE_RATIO * self.rate(("any",)))

    def harmless(self, kind: str) -> bool:
        """Whether a ``kind`` has stood beside the player often without more harm than usual."""
        feature = ("near", kind, CLOSE[0])
        return self.steps[feature] >= HARMLESS_EVIDENCE and self.rate(feature) <= self.rate(("any",))

    def hostile_kinds(self) -> frozenset[str]:
        """Kinds that hurt it or (until they prove harmless) come after it, and the kinds that
        make them (an archer, for its arrows)."""
        direct = {kind for kind in self.kinds
                  if self.is_hostile(kind) or (self.approaches(kind) and not self.harmless(kind))}
        return frozenset(direct | {source for kind in direct if (source := self.source(kind)) is not None})

    def crowding(self, b: int) -> float:
        """Creatures of the kinds now known hostile in view per step, in daylight band ``b``."""
        hostile = self.hostile_kinds()
        return sum(self.seen[(b, kind)] for kind in hostile) / max(1, self.band_steps[b])

    def crowded(self, b: int) -> bool:
        """Whether hostiles crowd in daylight band ``b``: many more per step than in the
        brightest band seen long enough (the dark, in Crafter)."""
        bright = max((k for k in self.band_steps if self.band_steps[k] >= BAND_EVIDENCE), default=None)
        if bright is None or b >= bright or self.band_steps[b] < BAND_EVIDENCE:
            return False
        return self.crowding(b) >= max(CROWDING_FLOOR, CROWDING_RATIO * self.crowding(bright))

    def unknown_dark(self, daylight: float) -> bool:
        """Whether ``daylight`` is well darker than any shade lived through long enough (a
        darkness never known is feared), judged in shades finer than the bands."""
        shade = min(SHADES - 1, int(daylight * SHADES))
        known = [k for k in self.shade_steps if self.shade_steps[k] >= SHADE_EVIDENCE]
        return bool(known) and shade <= min(known) - UNKNOWN_MARGIN

    def dusk(self, daylight: float) -> bool:
        """Whether ``daylight`` is well below the brightest shade lived through long enough:
        with the light fading, the night is coming (a generic wariness of the dark; the
        shelter is best made before whatever the dark brings is about)."""
        shade = min(SHADES - 1, int(daylight * SHADES))
        known = [k for k in self.shade_steps if self.shade_steps[k] >= SHADE_EVIDENCE]
        return bool(known) and shade <= max(known) - DUSK_MARGIN

    def dangerous_daylight(self, daylight: float, falling: bool) -> bool:
        """Whether hostiles crowd at this daylight, or (as it darkens) at the next darker band."""
        here = band(daylight)
        return self.crowded(here) or (falling and here > 0 and self.crowded(here - 1))

    def describe(self) -> list[str]:
        lines = []
        for kind in sorted(self.kinds):
            feature = ("near", kind, CLOSE[0])
            if self.steps[feature]:
                lines.append(f"{kind} beside me: hurt on {self.harmed[feature]} of {self.steps[feature]} steps"
                             f"{' (hostile)' if self.is_hostile(kind) else ''}")
        for vital in NEEDS:
            feature = ("empty", vital)
            if self.steps[feature]:
                lines.append(f"{vital} at 0: hurt on {self.harmed[feature]} of {self.steps[feature]} steps")
        for asleep in (False, True):
            feature = ("asleep", asleep)
            lines.append(f"{'asleep' if asleep else 'awake'}: hurt on {self.harmed[feature]} of {self.steps[feature]} steps")
        crowd = ", ".join(f"{b / DAYLIGHT_BANDS:.1f}-{(b + 1) / DAYLIGHT_BANDS:.1f}: {self.crowding(b):.2f}"
                          for b in sorted(self.band_steps))
        lines.append(f"hostiles in view per step by daylight: {crowd}")
        return lines
