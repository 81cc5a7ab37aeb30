"""What the player's own actions do, and when: effects and their preconditions, learned.

Every ``do``, ``sleep``, ``place_*`` and ``make_*`` the player takes awake is an *attempt*,
recorded with its context (the thing faced, everything held, how far each material is
within the view) and its *outcome*: the items gained and lost, what the faced cell became,
a faced creature gone or a new one there, falling asleep. Vitals falling is what time
does, so only their gains count, and health is left to ``harm``.

Each distinct outcome is an *effect* of its action. Its precondition is learned as
version spaces are, then pruned: the most specific conjunction true in every success
(the things faced, each item's range, each material's farthest distance) holds every
condition that *could* matter; a condition is believed to matter when the successes all
meeting it would be unlikely were it irrelevant. Conditions are taken greedily, each time
the one with the best posterior odds (a prior by its sort times ``1 / (1 - q) ** k``, q the
share of the attempts still in play that break it, k the successes), while those exceed
one. The effect's chance is its success rate over the attempts meeting what was taken. An
attempt that could not show a gain (the item already at the largest count ever seen) is
no evidence against it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from crafter_oo.rules import ITEMS, MATERIALS, VITALS
from onelife.explorer.perception import Observation, material_name

Component = tuple[str, str]  # ("+", item), ("-", item), ("cell", material), ("gone", kind), ("new", kind), ("asleep", "")
NEAR_LIMIT = 3  # the view shows this many cells in every direction, so distances up to it are always seen
ABSENT = NEAR_LIMIT + 1  # "not within NEAR_LIMIT"
# Prior odds that a condition of the most specific conjunction matters, by its sort: the thing
# faced usually does for an action on the faced cell (rarely for another); an amount the effect
# uses up nearly always; another held item (a tool) or a material nearby (a station) sometimes;
# an upper limit or a vital's level rarely.
PRIOR_ODDS = {"target": 1.0, "untargeted": 0.05, "used": 9.0, "held": 0.2, "near": 0.1, "at_most": 0.05,
              "vital": 0.02}
STOCK = tuple(item for item in ITEMS if item not in VITALS)
GAINING_VITALS = tuple(v for v in VITALS if v != "health")  # health is harm's business
ITEM_INDEX = {item: i for i, item in enumerate(ITEMS)}
MATERIAL_INDEX = {name: i for i, name in enumerate(MATERIALS) if name is not None}


@dataclass(frozen=True, slots=True)
class Context:
    """What an attempt met: the thing faced, everything held, each material's distance."""

    target: str
    holdings: tuple[int, ...]  # per item of ``ITEMS``
    near: tuple[int, ...]  # per material id: Chebyshev distance to the nearest such cell, ABSENT if none in reach


def context_of(obs: Observation) -> Context:
    """The context of an action taken on this screen."""
    near = [ABSENT] * len(MATERIALS)
    (px, py), (cx, cy) = obs.pos, obs.corner
    for d in range(NEAR_LIMIT, -1, -1):
        block = obs.materials[max(0, px - d - cx): px + d + 1 - cx, max(0, py - d - cy): py + d + 1 - cy]
        for material in np.unique(block).tolist():
            near[material] = d
    return Context(obs.thing(obs.ahead), tuple(obs.inventory[item] for item in ITEMS), tuple(near))


def outcome_of(before: Observation, after: Observation) -> frozenset[Component]:
    """What changed by the player's hand between two screens (see the module docstring)."""
    changes: set[Component] = set()
    for item in STOCK:
        delta = after.inventory[item] - before.inventory[item]
        if delta:
            changes.add(("+" if delta > 0 else "-", item))
    for vital in GAINING_VITALS:
        if after.inventory[vital] > before.inventory[vital] and not before.sleeping:
            changes.add(("+", vital))
    ahead = before.ahead
    if after.in_view(ahead):
        if after.material(ahead) != before.material(ahead):
            changes.add(("cell", material_name(after.material(ahead))))
        faced = before.creature_at(ahead)
        if faced is not None and not any(c.kind == faced.kind and abs(c.pos[0] - ahead[0]) + abs(c.pos[1] - ahead[1]) <= 1
                                          for c in after.creatures):
            changes.add(("gone", faced.kind))
        appeared = after.creature_at(ahead)
        if appeared is not None and not any(c.kind == appeared.kind and abs(c.pos[0] - ahead[0]) + abs(c.pos[1] - ahead[1]) <= 1
                                            for c in before.creatures):  # not one that walked in
            changes.add(("new", appeared.kind))
    if after.sleeping and not before.sleeping:
        changes.add(("asleep", ""))
    return frozenset(changes)


@dataclass(frozen=True, slots=True)
class Condition:
    """One conjunct of a precondition."""

    kind: str  # "target", "at_least", "at_most" or "near"
    subject: str  # an item or material name ("" for target)
    value: int = 0
    targets: frozenset[str] = frozenset()

    def text(self) -> str:
        if self.kind == "target":
            return f"facing {' or '.join(sorted(self.targets))}"
        if self.kind == "at_least":
            return f"{self.subject}>={self.value}"
        if self.kind == "at_most":
            return f"{self.subject}<={self.value}"
        return f"{self.subject} within {self.value}"

    def holds(self, context: Context) -> bool:
        if self.kind == "target":
            return context.target in self.targets
        if self.kind == "at_least":
            return context.holdings[ITEM_INDEX[self.subject]] >= self.value
        if self.kind == "at_most":
            return context.holdings[ITEM_INDEX[self.subject]] <= self.value
        return context.near[MATERIAL_INDEX[self.subject]] <= self.value


@dataclass(slots=True)
class Hypothesis:
    """An effect's learned precondition and how reliably it follows."""

    conditions: list[Condition]  # the most specific conjunction true in every success
    required: list[Condition]  # the conditions believed to matter (what a plan must meet)
    successes: int
    attempts: int  # informative attempts meeting ``required``
    chance: float  # success rate over those attempts

@dataclass(slots=True)
class Effect:
    """One outcome of an action, with the item amounts it moved."""

    action: str
    components: frozenset[Component]
    amounts: dict[str, Counter[int]] = field(default_factory=dict)

    def gives(self, component: Component) -> bool:
        return component in self.components

    def amount(self, item: str) -> int:
        """The usual size of the effect's change of ``item`` (a cost is negative)."""
        counts = self.amounts.get(item)
        return counts.most_common(1)[0][0] if counts else 0

    def describe(self) -> str:
        parts = []
        for sign, subject in sorted(self.components):
            if sign in "+-":
                parts.append(f"{subject} {self.amount(subject):+d}")
            elif sign == "cell":
                parts.append(f"faced cell becomes {subject}")
            elif sign == "gone":
                parts.append(f"faced {subject} gone")
            elif sign == "new":
                parts.append(f"a {subject} appears ahead")
            else:
                parts.append("falls asleep")
        return ", ".join(parts)


class ActionRecord:
    """Every attempt of one action, its effects and their hypotheses (computed on demand)."""

    def __init__(self, action: str) -> None:
        self.action = action
        self.contexts: list[Context] = []
        self.outcomes: list[int] = []  # index into effects, -1 for no change
        self.effects: list[Effect] = []
        self._index: dict[frozenset[Component], int] = {}
        self._arrays: tuple[np.ndarray, np.ndarray, np.ndarray, list[str]] | None = None
        self._hypotheses: dict[int, Hypothesis | None] = {}

    def add(self, context: Context, outcome: frozenset[Component], deltas: dict[str, int]) -> None:
        if outcome:
            if outcome not in self._index:
                self._index[outcome] = len(self.effects)
                self.effects.append(Effect(self.action, outcome))
            number = self._index[outcome]
            effect = self.effects[number]
            for item, delta in deltas.items():
                effect.amounts.setdefault(item, Counter())[delta] += 1
        else:
            number = -1
        self.contexts.append(context)
        self.outcomes.append(number)
        self._arrays = None
        self._hypotheses.clear()

    def hypothesis(self, number: int, cap: int) -> Hypothesis | None:
        """The learned precondition of effect ``number`` (``None`` before any success)."""
        if number not in self._hypotheses:
            self._hypotheses[number] = self._fit(number, cap)
        return self._hypotheses[number]

    def _matrices(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
        if self._arrays is None:
            targets = sorted({c.target for c in self.contexts})
            code = {t: i for i, t in enumerate(targets)}
            self._arrays = (np.array([code[c.target] for c in self.contexts]),
                            np.array([c.holdings for c in self.contexts]),
                            np.array([c.near for c in self.contexts]), targets)
        return self._arrays

    def _fit(self, number: int, cap: int) -> Hypothesis | None:
        outcomes = np.array(self.outcomes)
        success = outcomes == number
        if not success.any():
            return None
        targets, holdings, near, names = self._matrices()
        effect = self.effects[number]
        # An attempt holding a gained item at the cap could not have shown the gain.
        informative = success.copy()
        blind = np.zeros(len(outcomes), dtype=bool)
        for sign, subject in effect.components:
            if sign == "+":
                blind |= holdings[:, ITEM_INDEX[subject]] >= cap
        informative |= ~blind
        used = {subject for sign, subject in effect.components if sign == "-"}
        conditions: list[Condition] = []
        columns: list[np.ndarray] = []
        priors: list[float] = []
        seen_targets = np.unique(targets[success])
        conditions.append(Condition("target", "", targets=frozenset(names[t] for t in seen_targets.tolist())))
        columns.append(np.isin(targets, seen_targets))
        priors.append(PRIOR_ODDS["target" if acts_on_faced_cell(self.action) else "untargeted"])
        low, high = holdings[success].min(axis=0), holdings[success].max(axis=0)
        for item, i in ITEM_INDEX.items():
            vital = item in VITALS
            if low[i] > 0:
                conditions.append(Condition("at_least", item, int(low[i])))
                columns.append(holdings[:, i] >= low[i])
                priors.append(PRIOR_ODDS["vital" if vital else "used" if item in used else "held"])
            if high[i] < cap:
                conditions.append(Condition("at_most", item, int(high[i])))
                columns.append(holdings[:, i] <= high[i])
                priors.append(PRIOR_ODDS["vital" if vital else "at_most"])
        farthest = near[success].max(axis=0)
        for name, m in MATERIAL_INDEX.items():
            if farthest[m] < ABSENT:
                conditions.append(Condition("near", name, int(farthest[m])))
                columns.append(near[:, m] <= farthest[m])
                priors.append(PRIOR_ODDS["near"])
        met = np.stack(columns, axis=1)
        wins = int(success.sum())
        chosen: list[int] = []
        required: list[Condition] = []
        pool = informative.copy()
        while True:  # greedily add the condition with the best posterior odds, while they exceed one
            total = int(pool.sum())
            best, best_odds = None, 1.0
            for c in range(len(conditions)):
                if c in chosen:
                    continue
                broken = int((pool & ~met[:, c]).sum())
                if broken == 0:
                    continue
                # If the condition did not matter, every success meeting it had chance (1 - broken/total)^wins.
                odds = priors[c] / (1.0 - broken / total) ** wins if broken < total else np.inf
                if odds > best_odds:
                    best, best_odds = c, odds
            if best is None:
                break
            chosen.append(best)
            loosest = self._loosest(conditions[best], pool, holdings, near, effect)
            required.append(loosest)
            pool &= met[:, best]
        attempts = int(pool.sum())
        order = {id(c): k for k, c in enumerate(conditions)}
        required.sort(key=lambda c: order.get(id(c), len(conditions)))
        return Hypothesis(conditions, required, wins, attempts, wins / max(1, attempts))

    @staticmethod
    def _loosest(condition: Condition, pool: np.ndarray, holdings: np.ndarray, near: np.ndarray,
                 effect: Effect) -> Condition:
        """The loosest form of a chosen condition that breaks the same attempts still in play:
        the success with the least of an item only bounds the threshold from above, and the
        attempts that failed with less place it (an item used up by ``k`` needs at least ``k``)."""
        if condition.kind == "at_least":
            i = ITEM_INDEX[condition.subject]
            below = holdings[pool & (holdings[:, i] < condition.value), i]
            threshold = int(below.max()) + 1 if below.size else 1
            threshold = max(threshold, -effect.amount(condition.subject))
            return Condition("at_least", condition.subject, min(threshold, condition.value))
        if condition.kind == "at_most":
            i = ITEM_INDEX[condition.subject]
            above = holdings[pool & (holdings[:, i] > condition.value), i]
            return Condition("at_most", condition.subject, int(above.min()) - 1 if above.size else condition.value)
        if condition.kind == "near":
            m = MATERIAL_INDEX[condition.subject]
            farther = near[pool & (near[:, m] > condition.value), m]
            return Condition("near", condition.subject, int(farther.min()) - 1 if farther.size else condition.value)
        return condition


def acts_on_faced_cell(action: str) -> bool:
    """The schema's actions on the faced cell: ``do`` and ``place_*`` (what they face may matter)."""
    return action == "do" or action.startswith("place_")


class EffectLearner:
    """The effects of the player's actions (see the module docstring)."""

    def __init__(self) -> None:
        self.records: dict[str, ActionRecord] = {}
        self.cap = 0  # the largest count of any item ever seen: a gain cannot show beyond it

    def observe_cap(self, obs: Observation) -> None:
        self.cap = max(self.cap, *obs.inventory.values())

    def record(self, before: Observation, action: str, after: Observation) -> frozenset[Component]:
        """Learn from one attempt; returns its outcome."""
        outcome = outcome_of(before, after)
        deltas = {item: after.inventory[item] - before.inventory[item] for item in ITEMS
                  if (("+", item) in outcome or ("-", item) in outcome)}
        self.records.setdefault(action, ActionRecord(action)).add(context_of(before), outcome, deltas)
        return outcome

    def attempts(self, action: str) -> int:
        record = self.records.get(action)
        return 0 if record is None else len(record.contexts)

    def ways(self, component: Component) -> list[tuple[Effect, Hypothesis]]:
        """Every effect that brings ``component`` about, with its hypothesis."""
        found = []
        for record in self.records.values():
            for number, effect in enumerate(record.effects):
                if effect.gives(component):
                    hypothesis = record.hypothesis(number, self.cap)
                    if hypothesis is not None:
                        found.append((effect, hypothesis))
        return found

    def effects(self) -> list[tuple[Effect, Hypothesis]]:
        """Every effect seen, with its hypothesis."""
        found = []
        for record in self.records.values():
            for number, effect in enumerate(record.effects):
                hypothesis = record.hypothesis(number, self.cap)
                if hypothesis is not None:
                    found.append((effect, hypothesis))
        return found

    def describe(self) -> list[str]:
        """What it believes each action does, in the law language's spirit, one effect a line:
        ``make_wood_pickaxe: needs wood>=1, table within 1; gives wood_pickaxe +1, wood -1``."""
        lines = []
        for action in sorted(self.records):
            record = self.records[action]
            for number, effect in enumerate(record.effects):
                hypothesis = record.hypothesis(number, self.cap)
                if hypothesis is None:
                    continue
                needs = ", ".join(c.text() for c in hypothesis.required) or "nothing found to matter"
                lines.append(f"{action}: needs {needs}; gives {effect.describe()} "
                             f"({hypothesis.successes} of {hypothesis.attempts} tries meeting that, "
                             f"{len(record.contexts)} tries in all)")
        return lines
