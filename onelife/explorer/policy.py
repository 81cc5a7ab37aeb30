"""The learning explorer: a player that learns the game from its own life while it lives.

Each step it looks (``perception``), learns from what its last action did and remembers
what it saw (``knowledge``), then decides, in this order:

1. asleep, it waits;
2. a creature of a kind that hurts it stands beside it: it faces it and hits back; hurt
   lately by nothing beside it, it walks out of the line of what may have hurt it; a
   hurtful thing flying at it, it steps aside;
3. in a closed shelter (``nights``): it meets a need from inside, sleeps, stays while the
   night lasts and leaves in the morning (or for a need about to hurt whose remedy is near);
4. a need (food, drink) at a third of its largest count, or within two of the level at
   which it learned that health drops: it goes to what it learned restores it; with no
   known remedy, the agenda goes looking;
5. at night or tired: shelter (``nights``);
6. otherwise the agenda (``agenda``): experiments, stocks, needs, walls and home, the
   unseen, each worth discounted by the walk.

It knows the game's schema only (actions, items, vitals, materials, creature kinds) and
no rule. Every random choice (ties) comes from the ``rng`` it is called with.
"""

from __future__ import annotations

import numpy as np

from crafter_oo.geometry import MOVE_ACTION
from crafter_oo.state import Pos, WorldState
from onelife.explorer.agenda import Agenda
from onelife.explorer.experiments import Experiments
from onelife.explorer.knowledge import NEEDS, Knowledge
from onelife.explorer.navigation import MOVES
from onelife.explorer.nights import Nights
from onelife.explorer.perception import Observation, perceive
from onelife.explorer.planning import Planner
from onelife.explorer.situation import Situation

URGENT = 1 / 2  # a need at this share of its largest count comes first
AT_HAND = 2  # a remedy this close (in steps, the action included) is taken until the need is full
RECENT = 4  # steps after a hurt from afar during which it retreats
RETREAT = 6  # how far it walks to get away from what may have hurt it
DODGE = 4  # how far ahead of a flying hurtful creature the player steps out of its line


class LearningPolicy:
    """A callable ``(state, rng) -> action`` (see the module docstring)."""

    __name__ = "learning"

    def __init__(self) -> None:
        self.knowledge = Knowledge()
        self.experiments = Experiments(self.knowledge)
        self.nights = Nights(self.knowledge, self.experiments)
        self.agenda = Agenda(self.knowledge, self.experiments, self.nights)
        self.last: tuple[Observation, str] | None = None
        self.seeking: str | None = None  # an urgent need with no known way to meet it
        self.why = ""  # what the last decision was for, for people

    def __call__(self, state: WorldState, rng: np.random.Generator) -> str:
        obs = perceive(state)
        before, action = self.last if self.last is not None else (None, None)
        self.knowledge.observe(before, action, obs)
        action = self.decide(obs, rng)
        self.last = (obs, action)
        return action

    def describe(self) -> str:
        """Everything it believes, for people to read."""
        return self.knowledge.describe()

    def decide(self, obs: Observation, rng: np.random.Generator) -> str:
        """The action for this screen (see the module docstring for the order)."""
        if obs.sleeping:
            self.why = "asleep"
            return "noop"
        k = self.knowledge
        situation = k.situation(obs)
        planner = Planner(k.effects, situation, dict(obs.inventory))
        self.seeking = None
        urgent = {need: self.urgent_level(need) for need in NEEDS}
        for choose in (lambda: self.defend(obs, situation),
                       lambda: self._from(self.nights, self.nights.sheltered(obs, situation, planner, urgent)),
                       lambda: self.urgent(obs, planner),
                       lambda: self._from(self.nights, self.nights.night(obs, situation, planner, self.seeking))):
            action = choose()
            if action is not None:
                k.pending = self.experiments.context(obs, situation, action)
                return action
        action = self._from(self.agenda, self.agenda.choose(obs, situation, planner, rng, self.seeking))
        k.pending = self.experiments.context(obs, situation, action)
        return action

    def _from(self, part: Nights | Agenda, action: str | None) -> str | None:
        """An action a part decided, with its reason taken over."""
        if action is not None:
            self.why = part.why
        return action

    # --- harm ----------------------------------------------------------------------------

    def defend(self, obs: Observation, situation: Situation) -> str | None:
        """Hit back a creature beside it of a kind that hurts it; after a hurt from afar, get
        out of the line of what may have caused it; step out of the line of a hurtful
        creature flying at it (an arrow)."""
        k = self.knowledge
        hostile = k.hostile()
        beside = [c for c in obs.creatures if c.kind in hostile and c.facing is None and c.kind != "plant"
                  and abs(c.pos[0] - obs.pos[0]) + abs(c.pos[1] - obs.pos[1]) == 1]
        if beside:
            beside.sort(key=lambda c: c.pos != obs.ahead)
            self.why = f"fighting a {beside[0].kind}"
            return _face(obs, beside[0].pos)
        if k.last_harm is not None and obs.step - k.last_harm <= RECENT and obs.inventory["health"] < k.cap():
            retreat = self.retreat(obs, situation)
            if retreat is not None:
                return retreat
        for c in obs.creatures:
            if c.kind not in hostile or c.facing is None:
                continue
            along = [(c.pos[0] + n * c.facing[0], c.pos[1] + n * c.facing[1]) for n in range(1, DODGE + 1)]
            if obs.pos not in along:
                continue
            for name, (dx, dy) in MOVES:
                if (dx, dy) in (c.facing, (-c.facing[0], -c.facing[1])):
                    continue
                aside = (obs.pos[0] + dx, obs.pos[1] + dy)
                if situation.is_floor(aside):
                    self.why = f"dodging a {c.kind}"
                    return name
        return None

    def retreat(self, obs: Observation, situation: Situation) -> str | None:
        """Hurt lately with nothing hurtful beside it: walk away from every creature not known
        to be harmless, to a cell out of their rows and columns (what hurts from afar flies
        straight), within a few steps; ``None`` if already as safe as it gets."""
        threats = [c.pos for c in obs.creatures if c.kind != "plant" and not self.knowledge.harm.harmless(c.kind)]
        if not threats:
            return None
        reach = (situation.routes.dist >= 0) & (situation.routes.dist <= RETREAT)
        xs = np.arange(reach.shape[0])[:, None] + situation.origin[0]
        ys = np.arange(reach.shape[1])[None, :] + situation.origin[1]
        apart = np.full(reach.shape, 10**6)
        exposed = np.zeros(reach.shape, dtype=bool)
        for tx, ty in threats:
            apart = np.minimum(apart, np.abs(xs - tx) + np.abs(ys - ty))
            exposed |= (xs == tx) | (ys == ty)
        score = np.where(reach, apart - 3 * exposed - 0.1 * situation.routes.dist, -10**6)
        i, j = np.unravel_index(int(np.argmax(score)), score.shape)
        here = situation.memory.index(obs.pos)
        if score[i, j] <= score[here] + 0.5:
            return None
        self.why = "retreating from harm"
        return situation.routes.first_move((int(i) + situation.origin[0], int(j) + situation.origin[1]))

    # --- needs ---------------------------------------------------------------------------

    def urgent_level(self, need: str) -> int:
        """The level at or below which a need comes first: a third of the largest count, or
        two above where it learned that the need hurts."""
        learned = self.knowledge.harm.lowest_hurting.get(need, -1)
        return max(int(self.knowledge.cap() * URGENT), learned + 2)

    def urgent(self, obs: Observation, planner: Planner) -> str | None:
        """A need at its urgent level: go to what restores it (energy: the night's business);
        with no known remedy, mark it sought (the agenda goes looking)."""
        for need in sorted(NEEDS, key=lambda v: obs.inventory[v]):
            if obs.inventory[need] > self.urgent_level(need):
                if need != "energy" and obs.inventory[need] < self.knowledge.cap():
                    step = planner.achieve(("+", need))  # at its remedy already: fill up before moving on
                    if step is not None and step.cost <= AT_HAND:
                        self.why = f"filling up {need}: {step.why}"
                        return step.action
                continue
            if need == "energy":
                if not self.knowledge.can_sleep() and self.seeking is None:
                    self.seeking = need  # no known way to rest: the agenda goes looking
                continue  # sleep is the night's business (it needs a shelter)
            step = planner.achieve(("+", need))
            if step is not None:
                self.why = f"urgent {need}: {step.why}"
                return step.action
            if self.seeking is None:  # the lowest need unmet is the one sought
                self.seeking = need  # no known way: the agenda, eager for the unknown, goes looking
        return None


def _face(obs: Observation, target: Pos) -> str:
    """Hit ``target`` (next to the player) or turn toward it."""
    direction = (target[0] - obs.pos[0], target[1] - obs.pos[1])
    return "do" if direction == obs.facing else MOVE_ACTION[direction]
