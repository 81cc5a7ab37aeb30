"""What an experiment is worth: trying an action on a thing, here, with what it holds.

Nothing is learned where a known effect is expected (unless its chance is still to be
measured, or it was only ever seen with a need full, which could hide a gain); a thing
never hit is the cheapest lesson there is; anywhere else, the worth is the chance of a
surprise (``curiosity``).
"""

from __future__ import annotations

from crafter_oo.rules import ITEMS, VITALS
from crafter_oo.state import Pos
from onelife.explorer.curiosity import MEASURE, chance_spread, holdings_signature
from onelife.explorer.effects import acts_on_faced_cell
from onelife.explorer.knowledge import INTERACTIONS, NEEDS, Knowledge
from onelife.explorer.perception import Observation
from onelife.explorer.planning import Planner
from onelife.explorer.situation import Situation

STOCK = tuple(item for item in ITEMS if item not in VITALS)
FIRST_TOUCH = 1.5  # worth of hitting a thing never hit
NEW_TOOL = 1.0  # worth of hitting a thing with an item never held when it was hit before
EXPERIMENT = 1.0  # worth of a certain surprise (an untried context is an even bet)


def reads_thing(action: str) -> bool:
    """Whether what the action faces is part of its context: for the schema's actions on the
    faced cell (``do``, ``place_*``); what the thing does to the outcome is for the effects
    to learn."""
    return acts_on_faced_cell(action)


class Experiments:
    """Worth of trying things, from what ``knowledge`` holds (see the module docstring)."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge

    def context(self, obs: Observation, situation: Situation, action: str) -> tuple | None:
        """The context of ``action`` taken now, as curiosity counts it (``None``: a move)."""
        k = self.knowledge
        if action in INTERACTIONS:
            thing = obs.thing(obs.ahead) if reads_thing(action) else None
            return action, thing, holdings_signature(obs.inventory, k.cap()), k.made_near(situation, obs.pos)
        if action in ("sleep", "noop"):  # resting and waiting: only the needs' room matters to them
            return action, None, self.needs_room(obs), frozenset()
        return None

    def needs_room(self, obs: Observation) -> tuple[int, ...]:
        """Per need: whether there is room to gain it (the context of resting and waiting)."""
        cap = self.knowledge.cap()
        return (0,) * len(STOCK) + tuple(int(obs.inventory[need] < cap) for need in NEEDS)

    def predicted(self, action: str, thing: str, stand: Pos, situation: Situation, planner: Planner) -> bool:
        """Whether a known effect of ``action`` is expected when facing ``thing`` from ``stand``
        with what it holds (then trying it there teaches nothing new)."""
        cap = self.knowledge.cap()
        for effect, hypothesis in self.knowledge.effects.effects():
            if effect.action != action:
                continue
            missing, impossible = planner.shortfall(effect, hypothesis)
            if missing or impossible:
                continue
            if any(c.kind == "at_least" and c.subject in NEEDS and c.value >= cap
                   and situation.obs.inventory[c.subject] < cap for c in hypothesis.conditions):
                continue  # seen only with that need full: a gain could not show then, it may now
            index = situation.memory.index(stand)
            if all((c.kind != "target" or thing in c.targets)
                   and (c.kind != "near" or bool(situation.within(c.subject, c.value)[index]))
                   for c in hypothesis.required):
                return True
        return False

    def may_hide_gain(self, action: str, thing: str, obs: Observation) -> bool:
        """Whether a known effect of ``action`` on ``thing`` was only ever seen with a need full
        that is not full now: it may give that need (a gain could not show then)."""
        cap = self.knowledge.cap()
        for effect, hypothesis in self.knowledge.effects.effects():
            target = next((c for c in hypothesis.conditions if c.kind == "target"), None)
            if effect.action != action or (target is not None and thing not in target.targets):
                continue
            if any(c.kind == "at_least" and c.subject in NEEDS and c.value >= cap
                   and obs.inventory[c.subject] < cap for c in hypothesis.conditions):
                return True
        return False

    def worth(self, action: str, thing: str, signature: tuple[int, ...], made_near: frozenset[str],
              planner: Planner, stand: Pos | None = None) -> float:
        """Worth of trying ``action`` on ``thing`` from ``stand``: its novelty (none where a
        known effect is expected), the first hit on a thing, or the chance it has left to
        measure there."""
        k = self.knowledge
        measure = self.measure_worth(action, thing, planner)
        situation = planner.situation
        if self.predicted(action, thing, stand or situation.obs.pos, situation, planner):
            return measure
        key_thing = thing if reads_thing(action) else None
        outputs = frozenset(item for effect, _ in k.effects.effects() if effect.action == action
                            for sign, item in effect.components if sign == "+")
        if action == "do" and k.curiosity.tried(action, key_thing, made_near) == 0:
            return max(FIRST_TOUCH, measure)  # a thing never hit: the cheapest lesson there is
        if action == "do" and not self.predicted(action, thing, stand or situation.obs.pos, situation, planner) \
                and k.curiosity.holds_new(action, key_thing, signature):
            return max(NEW_TOOL, measure)  # a thing that did nothing, hit with something never held then
        if action != "do" and k.curiosity.holds_new_here(action, key_thing, made_near, signature):
            return max(NEW_TOOL, measure)  # placing or making with something never held when it was tried here
        effects = [effect for effect, _ in k.effects.effects() if effect.action == action]
        counts_matter = not effects or any(s == "-" for effect in effects for s, _ in effect.components)
        worth = EXPERIMENT * k.curiosity.surprise(action, key_thing, signature, made_near, outputs, counts_matter)
        return max(worth, measure)

    def measure_worth(self, action: str, thing: str, planner: Planner) -> float:
        """Worth of trying ``action`` on ``thing`` to measure the chance of an effect there: only
        for an outcome seen to vary in the very same context, where what it holds meets the
        effect's hypothesis."""
        k = self.knowledge
        key_thing = thing if reads_thing(action) else None
        made_sets = [key[2] for key in k.curiosity.tries if key[0] == action and key[1] == key_thing]
        if not any(k.curiosity.is_random(action, key_thing, made) for made in made_sets):
            return 0.0
        worth = 0.0
        for effect, hypothesis in k.effects.effects():
            target = next((c for c in hypothesis.required if c.kind == "target"), None)
            if effect.action != action or (target is not None and thing not in target.targets) or hypothesis.chance >= 1:
                continue
            missing, impossible = planner.shortfall(effect, hypothesis)
            if missing or impossible:
                continue
            worth = max(worth, MEASURE * chance_spread(hypothesis.successes, hypothesis.attempts))
        return worth
