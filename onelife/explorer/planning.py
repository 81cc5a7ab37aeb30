"""Planning with learned effects: the next action toward bringing an outcome about.

To bring about a component (an item gained, a cell turned into some material...), the
planner looks at every effect that gave it and what that effect's hypothesis requires:
held items (gathered first, by planning for them in turn), materials near where the
player stands (walked to, or made there by placing them, when an effect makes them
appear), and the thing to face (walked to and faced). It returns the first action of the
cheapest way, with a rough cost in steps; the plan is made again every step, so a
creature in the way or a surprise simply changes the next plan.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from onelife.explorer.effects import Component, Condition, Effect, EffectLearner, Hypothesis
from onelife.explorer.situation import Situation

DEPTH = 5  # how many requirements deep a plan may go (an iron pickaxe is about this deep)
REST = 4.0  # rough steps for each requirement still to be met after the first


@dataclass(frozen=True, slots=True)
class Step:
    """The first action of a plan, its estimated cost in steps and what it is for."""

    cost: float
    action: str
    why: str


class Planner:
    """Plans over the learned effects in one step's situation."""

    def __init__(self, effects: EffectLearner, situation: Situation, inventory: dict[str, int]) -> None:
        self.effects, self.situation, self.inventory = effects, situation, inventory
        self._ways: dict[Component, list[tuple[Effect, Hypothesis]]] = {}

    def ways(self, component: Component) -> list[tuple[Effect, Hypothesis]]:
        if component not in self._ways:
            self._ways[component] = self.effects.ways(component)
        return self._ways[component]

    def achieve(self, component: Component, stand: np.ndarray | None = None, depth: int = 0,
                visiting: frozenset[Component] = frozenset()) -> Step | None:
        """The first action toward ``component`` (standing on a ``stand`` cell when acting)."""
        if depth > DEPTH or component in visiting:
            return None
        best: Step | None = None
        for effect, hypothesis in self.ways(component):
            step = self.attempt(effect, hypothesis, stand, depth, visiting | {component})
            if step is not None and (best is None or step.cost < best.cost):
                best = step
        return best

    def shortfall(self, effect: Effect, hypothesis: Hypothesis) -> tuple[list[tuple[str, int]], bool]:
        """The items (and amounts) still to gather before ``effect`` can be tried, and
        whether an upper limit on a holding makes it impossible now."""
        need: dict[str, int] = {}
        for condition in hypothesis.required:
            if condition.kind == "at_least":
                need[condition.subject] = max(need.get(condition.subject, 0), condition.value)
            elif condition.kind == "at_most" and self.inventory[condition.subject] > condition.value:
                return [], True
        for sign, item in effect.components:
            if sign == "-":
                need[item] = max(need.get(item, 0), -effect.amount(item))
        return [(item, amount) for item, amount in need.items() if self.inventory[item] < amount], False

    def attempt(self, effect: Effect, hypothesis: Hypothesis, stand: np.ndarray | None, depth: int,
                visiting: frozenset[Component]) -> Step | None:
        """The first action toward trying ``effect`` where its hypothesis says it works."""
        missing, impossible = self.shortfall(effect, hypothesis)
        if impossible:
            return None
        why = f"{effect.action} for {effect.describe()}"
        if missing:
            item, _ = missing[0]
            sub = self.achieve(("+", item), None, depth + 1, visiting)
            return None if sub is None else Step(sub.cost + REST * len(missing), sub.action, f"{sub.why} <- {why}")
        situation = self.situation
        allowed = situation.walkable.copy() if stand is None else situation.walkable & stand
        player = situation.memory.index(situation.obs.pos)
        if stand is None or stand[player]:
            allowed[player] = True
        near = [c for c in hypothesis.required if c.kind == "near"]
        masks = [situation.within(c.subject, c.value) for c in near]
        here = allowed.copy()
        for mask in masks:
            here &= mask
        if not (here & (situation.routes.dist >= 0)).any():
            return self._make_near(near, masks, allowed, depth, visiting, why)
        target = next((c for c in hypothesis.required if c.kind == "target"), None)
        return self._act(effect, hypothesis, target, here, why)

    def _make_near(self, near: list[Condition], masks: list[np.ndarray], allowed: np.ndarray, depth: int,
                   visiting: frozenset[Component], why: str) -> Step | None:
        """No reachable cell is near every material needed: make one of them appear where the
        others are near (placing it), cheapest first."""
        best: Step | None = None
        for k, condition in enumerate(near):
            others = allowed.copy()
            for m, mask in enumerate(masks):
                if m != k:
                    others &= mask
            if not (others & (self.situation.routes.dist >= 0)).any():
                continue
            sub = self.achieve(("cell", condition.subject), others, depth + 1, visiting)
            if sub is not None and (best is None or sub.cost < best.cost):
                best = Step(sub.cost + REST, sub.action, f"{sub.why} <- {why}")
        return best

    def _act(self, effect: Effect, hypothesis: Hypothesis, target: Condition | None, stand: np.ndarray,
             why: str) -> Step | None:
        """Walk to a ``stand`` cell (facing a target cell if the effect needs one), then act."""
        situation = self.situation
        tries = 1.0 / max(hypothesis.chance, 1e-3)
        if target is None:
            route = situation.routes.nearest_stand(stand)
            if route is None:
                return None
            moves, _, first = route
            return Step(moves + tries, effect.action if moves == 0 else first, why)
        cells = situation.cells_of(target.targets)
        route = situation.routes.nearest_facing(cells, situation.blocking(), stand)
        if route is None:
            return None
        moves, _, _, first = route
        return Step(moves + tries, effect.action if first == "noop" else first, why)
