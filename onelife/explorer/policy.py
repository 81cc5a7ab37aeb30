"""The learning explorer: a player that learns the game from its own life while it lives.

Each step it looks (``perception``), remembers (``memory``), learns from what its last
action did (``passability``, ``effects``, ``harm``), then decides, in this order:

1. asleep, it waits;
2. a creature that hurts it stands beside it: it faces it and hits back;
3. in a closed shelter: it sleeps while tired or while the dark is dangerous, stays in
   (trying what is safe) while it is dangerous, and leaves when it is not;
4. a need (food, drink) close to where it learned that health drops, or at a third of
   its largest count: it goes to what it learned restores it;
5. hostiles crowding at this daylight (learned), or energy low: it builds a shelter of
   the walls it learned creatures do not cross, and sleeps there;
6. otherwise the most worthwhile of: an experiment (an action in a context it has not
   tried, or whose chance is not yet measured), gathering a small stock of everything it
   learned to obtain, topping up a need, or walking to where unseen cells come into view;
   each worth discounted by the walk.

It knows the game's schema only (actions, items, vitals, materials, creature kinds) and
no rule. Every random choice (ties) comes from the ``rng`` it is called with.
"""

from __future__ import annotations

import numpy as np

from crafter_oo.rules import ACTIONS, CREATURE_KINDS, ITEMS, MATERIALS, VITALS
from crafter_oo.state import Pos, WorldState
from onelife.explorer.curiosity import MEASURE, Curiosity, chance_spread, frontier, holdings_signature
from onelife.explorer.effects import EffectLearner, acts_on_faced_cell
from onelife.explorer.harm import DAYLIGHT_BANDS, HarmModel, band
from onelife.explorer.memory import MapMemory
from onelife.explorer.navigation import MOVE_NAMES, MOVES, shifted
from onelife.explorer.passability import Passability
from onelife.explorer.perception import Observation, material_name, perceive
from onelife.explorer.planning import Planner, Step
from onelife.explorer.shelter import Room, Site, build_plan, candidate_rooms, exit_action
from onelife.explorer.situation import Situation

NEEDS = tuple(v for v in VITALS if v != "health")
STOCK = tuple(item for item in ITEMS if item not in VITALS)
INTERACTIONS = tuple(a for a in ACTIONS if a == "do" or a.startswith(("place_", "make_")))
DISCOUNT = 0.93  # worth kept per step of walking
EXPLORE_DISCOUNT = 0.97  # the same for walking to unseen places (far ones are worth the walk)
FIRST_TOUCH = 1.5  # worth of hitting a thing never hit
STATION = 2.0  # weight of trying to make things by a made thing (the way to items never held)
EXPERIMENT = 1.0  # worth of a certain surprise (an untried context is an even bet)
STOCK_WORTH = 2.0  # worth of a stock of an item it knows a use for (scaled by how short of it it is)
SPARE_WORTH = 1.0  # the same for an item it knows no use for yet
TOP_UP = 4.0  # worth of topping up an empty need (scaled by the square of how far from full it is)
FRONTIER = 0.4  # worth of a view that is all new
SEEKING = 2.0  # the frontier's worth grows by this times the shortfall of a need it knows no reachable way to meet
RESERVE = 6  # walls it keeps the makings of, once it has learned that some creature hurts it
HOME_WORTH = 0.8  # worth of making a home (a room to close at night) when it has none within reach
HOME_RANGE = 25  # steps from a home beyond which it makes a new one
RESERVE_WORTH = 2.0  # worth of the makings of one more wall while short of the reserve
URGENT = 1 / 3  # a need at this share of its largest count comes first
TIRED = 1 / 3  # energy at this share of its largest count sends it to sleep
SHELTER_RADIUS = 20  # how far it walks to a room
QUICK_TRIP = 6  # steps to a remedy it goes out of its shelter for at night, when a need is about to hurt
BEFORE_NIGHT = 2 / 3  # a need at or below this share of its largest count is topped up before sheltering
TOP_UP_REACH = 8  # ... if its remedy is this close (up to three times as far for an empty need)
SHOOTER_BERTH = 6  # a shelter keeps this far from where something that shoots was seen, if it can
ROOM_CHOICES = 6  # the cheapest rooms it considers, in turn, when one proves impossible
STOCK_SHARE = 1.0  # share of the largest count it wants of an item that gets used up
SMALL_STOCK = 1 / 3  # share of the largest count it wants of an item it can collect but knows no use for
PERSIST = 1.0  # worth of hitting again a creature that took a hit without showing anything
PATIENCE = 6  # hits in a row on one creature before it gives up on it
CHASE = 3  # steps it walks to try something on a creature (unless a need is pressing)
KEEP = 1.5  # the agenda's last choice is worth this much more (it sticks to a plan unless another is much better)
TRAP = 12  # cells it must keep to walk to (or a wall it can open) when it places something
STUCK = 0.05  # best worth in reach below which it digs its way toward what it cannot reach
NEARBY = 1  # steps it walks to try placing or making (only hitting is worth a walk to a new thing)
RECENT = 4  # steps after a hurt from afar during which it retreats
RETREAT = 6  # how far it walks to get away from what may have hurt it
DODGE = 4  # how far ahead of a flying hurtful creature the player steps out of its line
BOLD = 2 / 3  # health at this share of its largest count lets it go and try things on what hurts it


class LearningPolicy:
    """A callable ``(state, rng) -> action`` (see the module docstring)."""

    __name__ = "learning"

    def __init__(self) -> None:
        self.memory = MapMemory()
        self.passability = Passability()
        self.effects = EffectLearner()
        self.harm = HarmModel()
        self.curiosity = Curiosity()
        self.last: tuple[Observation, str] | None = None
        self.daylight_before: float | None = None
        self.room: Room | None = None
        self.unbuildable: set[Room] = set()
        self.rooms: list[Room] = []  # the cheapest rooms found when a shelter was last looked for
        self.home: Room | None = None  # the last room it closed itself in
        self._opening: dict[tuple[int, int], bool] = {}  # (step, material): does ``do`` open it now
        self.hurt_by: set[str] = set()  # kinds beside the player the last time it was hurt
        self.why = ""
        self.intent = ""  # the agenda's last choice
        self.pending: tuple | None = None  # the context of the last action, counted once its outcome is seen
        self.seeking: str | None = None  # an urgent need with no known way to meet it
        self.last_harm: int | None = None  # the step it was last hurt by something other than a need
        self.night_from: float | None = None  # the daylight at which the current night began
        self.hits: tuple[str, Pos, int] | None = None  # (kind, where, hits in a row) on a creature that showed nothing yet

    # --- learning -------------------------------------------------------------------------

    def learn(self, obs: Observation) -> None:
        """Update memory and knowledge from the new screen and the last action."""
        self.memory.update(obs)
        self.effects.observe_cap(obs)
        before, action = self.last if self.last is not None else (None, None)
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

    # --- deciding -------------------------------------------------------------------------

    def __call__(self, state: WorldState, rng: np.random.Generator) -> str:
        obs = perceive(state)
        self.learn(obs)
        action = self.decide(obs, rng)
        self.last = (obs, action)
        self.daylight_before = obs.daylight
        return action

    def decide(self, obs: Observation, rng: np.random.Generator) -> str:
        if obs.sleeping:
            self.why = "asleep"
            return "noop"
        situation = Situation(obs, self.memory, self.passability, self._hostile(), self._made_ids())
        planner = Planner(self.effects, situation, dict(obs.inventory))
        self.seeking = None
        for choose in (self._defend, self._sheltered, self._urgent, self._night):
            action = choose(obs, situation, planner)
            if action is not None:
                self._count(obs, situation, action)
                return action
        action = self._agenda(obs, situation, planner, rng)
        self._count(obs, situation, action)
        return action

    def _cap(self) -> int:
        return max(1, self.effects.cap)

    def _count(self, obs: Observation, situation: Situation, action: str) -> None:
        """Remember the context of the action taken; ``learn`` counts it with its outcome."""
        if action in INTERACTIONS:
            thing = obs.thing(obs.ahead) if self._reads_thing(action) else None
            self.pending = (action, thing, holdings_signature(obs.inventory, self._cap()), self._made_near(situation, obs.pos))
        elif action in ("sleep", "noop"):  # resting and waiting: only the needs' room matters to them
            self.pending = (action, None, self._needs_room(obs), frozenset())
        else:
            self.pending = None

    def _predicted(self, action: str, thing: str, stand: Pos, situation: Situation, planner: Planner) -> bool:
        """Whether a known effect of ``action`` is expected when facing ``thing`` from ``stand``
        with what it holds (then trying it there teaches nothing new)."""
        for effect, hypothesis in self.effects.effects():
            if effect.action != action:
                continue
            missing, impossible = planner.shortfall(effect, hypothesis)
            if missing or impossible:
                continue
            if any(c.kind == "at_least" and c.subject in NEEDS and c.value >= self._cap()
                   and situation.obs.inventory[c.subject] < self._cap() for c in hypothesis.conditions):
                continue  # seen only with that need full: a gain could not show then, it may now
            index = situation.memory.index(stand)
            if all((c.kind != "target" or thing in c.targets)
                   and (c.kind != "near" or bool(situation.within(c.subject, c.value)[index]))
                   for c in hypothesis.required):
                return True
        return False

    def _needs_room(self, obs: Observation) -> tuple[int, ...]:
        """Per need: whether there is room to gain it (the context of resting and waiting)."""
        return (0,) * len(STOCK) + tuple(int(obs.inventory[need] < self._cap()) for need in NEEDS)

    def _may_hide_gain(self, action: str, thing: str, obs: Observation) -> bool:
        """Whether a known effect of ``action`` on ``thing`` was only ever seen with a need full
        that is not full now: it may give that need (a gain could not show then)."""
        for effect, hypothesis in self.effects.effects():
            target = next((c for c in hypothesis.conditions if c.kind == "target"), None)
            if effect.action != action or (target is not None and thing not in target.targets):
                continue
            if any(c.kind == "at_least" and c.subject in NEEDS and c.value >= self._cap()
                   and obs.inventory[c.subject] < self._cap() for c in hypothesis.conditions):
                return True
        return False

    def _worth(self, action: str, thing: str, signature: tuple[int, ...], made_near: frozenset[str],
               planner: Planner, stand: Pos | None = None) -> float:
        """Worth of trying ``action`` on ``thing`` from ``stand``: its novelty (none where a known
        effect is expected, less for an action that has never done anything), the chance it
        has left to measure there, and (for hitting) a floor for rare outcomes not yet shown."""
        measure = self._measure_worth(action, thing, planner)
        situation = planner.situation
        if self._predicted(action, thing, stand or situation.obs.pos, situation, planner):
            return measure
        key_thing = thing if self._reads_thing(action) else None
        outputs = frozenset(item for effect, _ in self.effects.effects() if effect.action == action
                            for sign, item in effect.components if sign == "+")
        if action == "do" and self.curiosity.tried(action, key_thing, made_near) == 0:
            return max(FIRST_TOUCH, measure)  # a thing never hit: the cheapest lesson there is
        worth = EXPERIMENT * self.curiosity.surprise(action, key_thing, signature, made_near, outputs)
        return max(worth, measure)

    def _hostile(self) -> frozenset[str]:
        """Kinds it treats as hostile: those that hurt it, and (until it knows better) those
        that stood beside it the last time it was hurt."""
        return self.harm.hostile_kinds() | frozenset(k for k in self.hurt_by if not self.harm.harmless(k))

    @staticmethod
    def _reads_thing(action: str) -> bool:
        """Whether what the action faces is part of its context: for the schema's actions on
        the faced cell (``do``, ``place_*``); what the thing does to the outcome is for the
        effects to learn."""
        return acts_on_faced_cell(action)

    def _made(self) -> frozenset[str]:
        """Materials the player has made appear by placing them."""
        return frozenset(subject for effect, _ in self.effects.effects() if effect.action.startswith("place_")
                         for sign, subject in effect.components if sign == "cell")

    def _made_ids(self) -> frozenset[int]:
        return frozenset(MATERIALS.index(name) for name in self._made())

    def _made_near(self, situation: Situation, pos: Pos) -> frozenset[str]:
        made = self._made()
        near = set()
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                name = material_name(max(0, situation.material((pos[0] + dx, pos[1] + dy))))
                if name in made:
                    near.add(name)
        return frozenset(near)

    def _face(self, obs: Observation, target: Pos) -> str:
        """Hit ``target`` (next to the player) or turn toward it."""
        direction = (target[0] - obs.pos[0], target[1] - obs.pos[1])
        return "do" if direction == obs.facing else MOVE_NAMES[direction]

    def _defend(self, obs: Observation, situation: Situation, planner: Planner) -> str | None:
        """Hit back a creature beside it of a kind that hurts it; step out of the line of a
        hurtful creature flying at it (an arrow)."""
        hostile = self._hostile()
        beside = [c for c in obs.creatures if c.kind in hostile and c.facing is None and c.kind != "plant"
                  and abs(c.pos[0] - obs.pos[0]) + abs(c.pos[1] - obs.pos[1]) == 1]
        if beside:
            beside.sort(key=lambda c: c.pos != obs.ahead)
            self.why = f"fighting a {beside[0].kind}"
            return self._face(obs, beside[0].pos)
        if self.last_harm is not None and obs.step - self.last_harm <= RECENT and obs.inventory["health"] < self._cap():
            retreat = self._retreat(obs, situation)
            if retreat is not None:
                return retreat
        for c in obs.creatures:
            if c.kind not in hostile or c.facing is None:
                continue
            along = [(c.pos[0] + k * c.facing[0], c.pos[1] + k * c.facing[1]) for k in range(1, DODGE + 1)]
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

    def _retreat(self, obs: Observation, situation: Situation) -> str | None:
        """Hurt lately with nothing hurtful beside it: walk away from every creature not known
        to be harmless, to a cell out of their rows and columns (what hurts from afar flies
        straight), within a few steps; ``None`` if already as safe as it gets."""
        threats = [c.pos for c in obs.creatures if c.kind != "plant" and not self.harm.harmless(c.kind)]
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

    # --- needs --------------------------------------------------------------------------

    def _urgent_level(self, need: str) -> int:
        learned = self.harm.lowest_hurting.get(need, -1)
        return max(int(self._cap() * URGENT), learned + 2)

    def _urgent(self, obs: Observation, situation: Situation, planner: Planner) -> str | None:
        """A need at its urgent level: go to what restores it."""
        for need in sorted(NEEDS, key=lambda v: obs.inventory[v]):
            if obs.inventory[need] > self._urgent_level(need):
                continue
            if need == "energy":
                if not self._can_sleep():
                    self.seeking = need  # no known way to rest: the agenda goes looking
                continue  # sleep is the night's business (it needs a shelter)
            step = planner.achieve(("+", need))
            if step is not None:
                self.why = f"urgent {need}: {step.why}"
                return step.action
            self.seeking = need  # no known way: the agenda, eager for the unknown, goes looking
        return None

    def _dangerous(self, obs: Observation) -> bool:
        falling = self.daylight_before is not None and obs.daylight < self.daylight_before
        return self.harm.dangerous_daylight(obs.daylight, falling)

    def _night(self, obs: Observation, situation: Situation, planner: Planner) -> str | None:
        """Hostiles crowding (learned) or in view, a darkness never lived through, or low
        energy: top up needs nearby, then take shelter and sleep. With no room to be had, it
        hides in the nook with the fewest open sides while hostiles are about, and otherwise
        gathers what walls are made of (or carries on, ``None``)."""
        hostile = self._hostile()
        dark = self._night_time(obs)
        threatened = dark or any(c.kind in hostile for c in obs.creatures)
        tired = obs.inventory["energy"] <= self._cap() * TIRED
        if not (dark or tired):
            return None
        for need in ("drink", "food"):
            if obs.inventory[need] <= self._cap() * BEFORE_NIGHT:
                step = planner.achieve(("+", need))
                reach = TOP_UP_REACH * (1 + 2 * (self._cap() - obs.inventory[need]) / self._cap())
                if step is not None and step.cost <= reach:
                    self.why = f"topping up {need} before shelter"
                    return step.action
        action = self._shelter(obs, situation)
        if action is not None:
            return action
        if obs.inventory["energy"] <= 1 and not any(c.kind in hostile for c in obs.creatures):
            hide = self._hide(obs, situation, planner)
            if not self.why.startswith("hiding at"):  # in the best nook it can reach: sleep there
                self.why = "sleeping in a nook, exhausted"
                return "sleep"
            return hide
        if self.seeking is not None and obs.inventory[self.seeking] <= 1:
            return None  # a need about to hurt and no known remedy: go looking, hostiles or not
        if threatened:
            return self._hide(obs, situation, planner)
        for item in self._wall_needs(obs, planner):
            step = planner.achieve(("+", item))
            if step is not None:
                self.why = f"gathering {item} for walls: {step.why}"
                return step.action
        return None

    def _night_time(self, obs: Observation) -> bool:
        """Whether it is the part of the day to spend sheltered: from the moment the dark is
        dangerous (or, never lived through, feared) until the light is back at least where it
        was then and rising, with no danger left."""
        if self._dangerous(obs) or self._worried(obs):
            if self.night_from is None:
                self.night_from = obs.daylight
            return True
        if self.night_from is None:
            return False
        rising = self.daylight_before is not None and obs.daylight > self.daylight_before
        if rising and obs.daylight >= self.night_from:
            self.night_from = None
            return False
        return True

    def _wall_needs(self, obs: Observation, planner: Planner) -> list[str]:
        """What making walls uses up, then what opening walls (digging a room) needs but it lacks."""
        needs = [item for item, _ in self._wall_costs()]
        floors = {material_name(m) for m in self.passability.floors()}
        cover = {material_name(m) for m in self.passability.cover(self._made_ids())}
        for effect, hypothesis in self.effects.effects():
            target = next((c for c in hypothesis.required if c.kind == "target"), None)
            if (effect.action == "do" and target is not None and target.targets & cover
                    and any(s == "cell" and m in floors for s, m in effect.components)):
                needs += [item for item, _ in planner.shortfall(effect, hypothesis)[0]]
        return needs

    def _worried(self, obs: Observation) -> bool:
        """Darkening into a darkness never lived through (a generic fear of the unknown)."""
        falling = self.daylight_before is not None and obs.daylight < self.daylight_before
        return falling and self.harm.unknown_dark(obs.daylight)

    def _walls_in(self, situation: Situation, cell: Pos) -> bool:
        """Whether making ``cell`` a wall would shut the player in: fewer than ``TRAP`` cells
        left to walk to, and none of them beside a wall it can open."""
        if not situation.is_floor(cell):
            return False
        start = situation.obs.pos
        seen, todo = {start}, [start]
        while todo:
            pos = todo.pop()
            for _, (dx, dy) in MOVES:
                nxt = (pos[0] + dx, pos[1] + dy)
                if nxt == cell or nxt in seen:
                    continue
                if situation.is_floor(nxt):
                    seen.add(nxt)
                    if len(seen) >= TRAP:
                        return False
                    todo.append(nxt)
                elif self._opens(situation, nxt):
                    return False
        return True

    def _hide(self, obs: Observation, situation: Situation, planner: Planner) -> str:
        """With no room to be had: go to the reachable cell with the most walls around (what
        comes, comes from few sides) and stay there, trying only what opens no wall."""
        reachable = (situation.routes.dist >= 0) & (situation.routes.dist <= SHELTER_RADIUS)
        cover = np.fromiter(situation.cover, dtype=np.int16, count=len(situation.cover))
        walls = np.zeros(reachable.shape, dtype=np.int32)
        for _, direction in MOVES:
            walls += np.isin(shifted(situation.memory.materials, direction, -1), cover)
        score = np.where(reachable, walls * 100 - situation.routes.dist, -10**6)
        i, j = np.unravel_index(int(np.argmax(score)), score.shape)
        cell = (int(i) + situation.origin[0], int(j) + situation.origin[1])
        if cell != obs.pos and walls[i, j] > walls[situation.memory.index(obs.pos)]:
            self.why = f"hiding at {cell} ({walls[i, j]} walls around)"
            return situation.routes.first_move(cell) or "noop"
        self.why = f"hiding ({walls[situation.memory.index(obs.pos)]} walls around)"
        return self._stay(obs, situation, planner)

    def _stay(self, obs: Observation, situation: Situation, planner: Planner) -> str:
        """The most worthwhile action in place that opens no wall beside it (or waiting)."""
        signature, made_near = holdings_signature(obs.inventory, self._cap()), self._made_near(situation, obs.pos)
        thing = obs.thing(obs.ahead)
        best, best_worth = "noop", 0.0
        for action in INTERACTIONS:
            if action == "do" and self._opens(situation, obs.ahead):
                continue
            if action.startswith("place_") and self._walls_in(situation, obs.ahead):
                continue
            worth = self._worth(action, thing, signature, made_near, planner)
            if worth > best_worth:
                best, best_worth = action, worth
        return best

    def _can_sleep(self) -> bool:
        """Whether it has learned an action that puts it to sleep."""
        return bool(self.effects.ways(("asleep", "")))

    # --- shelter ------------------------------------------------------------------------

    def _site(self, situation: Situation, block_targets: frozenset[str]) -> Site:
        """The remembered world as the shelter code sees it (see ``shelter.Site``)."""
        materials, free = situation.memory.materials, ~situation.occupied
        cover = np.fromiter(situation.cover, dtype=np.int16, count=len(situation.cover))
        blockable = [m for m, name in enumerate(MATERIALS) if (name or "outside") in block_targets]
        openable = [m for m in range(len(MATERIALS)) if self._opens_material(situation, m)]
        sound = np.fromiter(situation.sound, dtype=np.int16, count=len(situation.sound))
        return Site(situation.origin, np.isin(materials, cover) & (materials >= 0) & free, situation.walkable,
                    np.isin(materials, blockable) & free, np.isin(materials, openable) & free,
                    np.isin(materials, sound) & (materials >= 0))

    def _sources_of_needs(self, situation: Situation) -> np.ndarray:
        """Cells of materials that ``do`` turns into a gain of a need (water, for drink): a room
        beside one can be lived in longer."""
        things = {t for need in NEEDS for effect, hypothesis in self.effects.ways(("+", need)) if effect.action == "do"
                  for c in hypothesis.required if c.kind == "target" for t in c.targets}
        return situation.cells_of(frozenset(t for t in things if t in MATERIALS))

    def _shunned(self, situation: Situation) -> np.ndarray:
        """Cells near where a kind that makes other creatures appear beside it (shoots them)
        was ever seen: what it shoots may break walls and fly in, so a shelter goes elsewhere
        if it can."""
        shooters = {source for kind in CREATURE_KINDS if (source := self.harm.source(kind)) is not None}
        seen = np.zeros(situation.floor.shape, dtype=bool)
        for kind in sorted(shooters):
            haunt = situation.memory.haunts.get(kind)
            if haunt is not None:
                seen |= haunt > 0
        near = seen.copy()
        for _ in range(SHOOTER_BERTH):
            near = near | shifted(near, (1, 0), False) | shifted(near, (-1, 0), False) \
                | shifted(near, (0, 1), False) | shifted(near, (0, -1), False)
        return near

    def _opens(self, situation: Situation, pos: Pos) -> bool:
        """Whether ``do`` on the wall at ``pos`` turns it into a floor, with what it holds."""
        material = situation.material(pos)
        return material >= 0 and pos not in situation.creatures and self._opens_material(situation, material)

    def _opens_material(self, situation: Situation, material: int) -> bool:
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

    def _blocks(self, obs: Observation, situation: Situation) -> tuple[str | None, int, frozenset[str], bool, int]:
        """The best way to make a wall: (place action, how many it can make now, where such a
        wall may go, whether it can be opened again, walls' makings gained per cell dug)."""
        best: tuple[str | None, int, frozenset[str], bool, int] = (None, 0, frozenset(), False, 0)
        cover = {material_name(m) for m in situation.cover}
        floors = {material_name(m) for m in situation.floors}
        for effect, hypothesis in self.effects.effects():
            walls = [m for s, m in effect.components if s == "cell" and m in cover]
            if not effect.action.startswith("place_") or not walls:
                continue
            costs = [(item, -effect.amount(item)) for s, item in effect.components if s == "-"]
            count = min((obs.inventory[item] // max(1, amount) for item, amount in costs), default=0)
            target = next((c for c in hypothesis.conditions if c.kind == "target"), None)
            where = target.targets if target is not None else frozenset()
            openers = [e for e, h in self.effects.effects() if self._reopens(e, h, walls[0], floors)]
            gain = int(any(("+", item) in e.components for e in openers for item, _ in costs))
            option = (effect.action, count, where, bool(openers), gain)
            if best[0] is None or (option[3], option[1] + option[4]) > (best[3], best[1] + best[4]):
                best = option
        return best

    def _reopens(self, effect, hypothesis, wall: str, floors: set[str]) -> bool:  # type: ignore[no-untyped-def]
        target = next((c for c in hypothesis.conditions if c.kind == "target"), None)
        return (effect.action == "do" and target is not None and wall in target.targets
                and any(s == "cell" and m in floors for s, m in effect.components))

    def _shelter(self, obs: Observation, situation: Situation) -> str | None:
        """The next action of getting into a closed room (``None``: none can be had)."""
        block_action, count, where, reopen, gain = self._blocks(obs, situation)
        site = self._site(situation, where)
        if self.room is not None and site.is_closed(self.room, obs.pos):
            return "sleep" if obs.inventory["energy"] < self._cap() and self._can_sleep() else None
        shunned = self._shunned(situation)
        if self.room is not None and any(shunned[situation.memory.index(c)] for c in self.room.cells if situation.inside(c)):
            self.unbuildable.add(self.room)  # something that shoots turned up near it: look for another
        if self.room is None or self.room in self.unbuildable:
            self.rooms = [room for _, room in candidate_rooms(site, situation.routes, count, SHELTER_RADIUS, reopen, gain,
                                                              shunned, self._sources_of_needs(situation))
                          if room not in self.unbuildable][:ROOM_CHOICES]
            home = self.home
            if home is not None and home not in self.unbuildable and len(site.open_sides(home)) <= count + 1 \
                    and situation.routes.dist[situation.memory.index(home.cells[0])] >= 0:
                self.rooms = [home] + [r for r in self.rooms if r != home]  # where it slept safe before, if it can close it
            self.room = None
        creatures = frozenset(situation.creatures)
        for room in ([self.room] if self.room is not None else []) + [r for r in self.rooms if r != self.room]:
            if room in self.unbuildable:
                continue
            if not self._has_way_out(site, room, reopen):
                self.unbuildable.add(room)  # closed with what it would block it with now, it would be a trap
                continue
            if room.contains_near(obs.pos):
                plan = build_plan(site, room, obs.pos, obs.facing, block_action or "noop", creatures)
                if plan is None:
                    self.unbuildable.add(room)
                    if room == self.room:  # the room it was making proved impossible: look again from here
                        self.room = None
                        return self._shelter(obs, situation)
                    continue
                self.room = room
                self.why = f"building a shelter at {room.cells}"
                return plan[0] if plan else "noop"
            entrance = np.zeros(situation.floor.shape, dtype=bool)
            for cell in room.cells:
                for pos in (cell, *[(cell[0] + dx, cell[1] + dy) for _, (dx, dy) in MOVES]):
                    if situation.inside(pos):
                        entrance[situation.memory.index(pos)] = True
            route = situation.routes.nearest_stand(entrance & situation.walkable)
            if route is None:
                self.unbuildable.add(room)
                continue
            self.room = room
            self.why = f"walking to a shelter at {room.cells}"
            return route[2]
        self.room = None
        return None

    @staticmethod
    def _has_way_out(site: Site, room: Room, reopen: bool) -> bool:
        """Whether, once closed, the room can be left by a cap: one that is a wall it can open,
        or one still open that it would block with a wall it can open again."""
        return any((site.is_wall(cap) and site.can_open(cap)) or (not site.is_wall(cap) and reopen)
                   for cap in room.caps)

    def _sheltered(self, obs: Observation, situation: Situation, planner: Planner) -> str | None:
        """Inside a closed room: meet a need from inside if it can; sleep while energy is not
        full; awake, stay (trying what keeps the room closed) while outside is dangerous,
        unless a need is about to hurt; otherwise leave."""
        if self.room is None:
            return None
        site = self._site(situation, frozenset())
        if not site.is_closed(self.room, obs.pos):
            return None
        inside = np.zeros(situation.floor.shape, dtype=bool)
        for cell in self.room.cells:
            inside[situation.memory.index(cell)] = True
        for need in sorted(("drink", "food"), key=lambda v: obs.inventory[v]):
            if obs.inventory[need] < self._cap():
                step = planner.achieve(("+", need), stand=inside)
                if step is not None and step.cost <= len(self.room.cells) + 2:
                    self.why = f"{need} from inside the shelter"
                    return step.action
        dangerous = self._night_time(obs)
        starving = [need for need in ("drink", "food") if obs.inventory[need] <= self._urgent_level(need)]
        if dangerous:  # at night it goes out only for a quick meal or drink it knows is near
            starving = [need for need in starving if obs.inventory[need] <= 1
                        and (step := planner.achieve(("+", need))) is not None and step.cost <= QUICK_TRIP]
        self.home = self.room  # a room it closed itself in: the first choice for the next night
        if not starving:
            if obs.inventory["energy"] < self._cap() and (
                    self._can_sleep() or self.curiosity.surprise("sleep", None, self._needs_room(obs), frozenset()) > 0.1):
                self.why = "sleeping in the shelter"  # (or trying to: helpless asleep, it tries only where nothing reaches it)
                return "sleep"
            if dangerous:
                self.why = "staying in the shelter"
                return self._safe_experiment(obs, situation, site, planner)
        self.unbuildable.clear()
        action = exit_action(site, self.room, obs.pos, obs.facing)
        self.why = f"leaving the shelter{' for ' + starving[0] if starving else ''}"
        if action is None:
            self.room = None
            return None
        return action

    def _safe_experiment(self, obs: Observation, situation: Situation, site: Site, planner: Planner) -> str:
        """The most interesting action that keeps the room closed: try something on what it
        faces (never opening a side), or turn or step within the room."""
        assert self.room is not None
        signature, made_near = holdings_signature(obs.inventory, self._cap()), self._made_near(situation, obs.pos)
        ahead = obs.ahead
        options: list[tuple[float, str]] = []
        for action in INTERACTIONS:
            if action == "do" and ahead in self.room.sides and self._opens(situation, ahead):
                continue
            if action.startswith("place_") and ahead in self.room.cells and not self._places_creature(action):
                continue
            options.append((self._worth(action, obs.thing(ahead), signature, made_near, planner), action))
        for name, direction in MOVES:  # steps within the room only: a move toward a wall might enter it
            target = (obs.pos[0] + direction[0], obs.pos[1] + direction[1])
            if target in self.room.cells and target not in situation.creatures:
                options.append((0.01, name))
        best, best_worth = "noop", 0.001
        for worth, action in options:
            if worth > best_worth:
                best, best_worth = action, worth
        return best

    def _places_creature(self, action: str) -> bool:
        return any(effect.action == action and any(s == "new" for s, _ in effect.components)
                   for effect, _ in self.effects.effects())

    # --- the agenda -----------------------------------------------------------------------

    def _measure_worth(self, action: str, thing: str, planner: Planner) -> float:
        """Worth of trying ``action`` on ``thing`` to measure the chance of an effect there: only
        for an outcome seen to vary in the very same context, where what it holds meets the
        effect's hypothesis."""
        key_thing = thing if self._reads_thing(action) else None
        if not any(self.curiosity.is_random(action, key_thing, made) for made in self._made_sets(action, key_thing)):
            return 0.0
        worth = 0.0
        for effect, hypothesis in self.effects.effects():
            target = next((c for c in hypothesis.required if c.kind == "target"), None)
            if effect.action != action or (target is not None and thing not in target.targets) or hypothesis.chance >= 1:
                continue
            missing, impossible = planner.shortfall(effect, hypothesis)
            if missing or impossible:
                continue
            worth = max(worth, MEASURE * chance_spread(hypothesis.successes, hypothesis.attempts))
        return worth

    def _made_sets(self, action: str, thing: str | None) -> list[frozenset[str]]:
        return [key[2] for key in self.curiosity.tries if key[0] == action and key[1] == thing]

    def _agenda(self, obs: Observation, situation: Situation, planner: Planner, rng: np.random.Generator) -> str:
        options: list[tuple[float, str, str]] = []
        signature = holdings_signature(obs.inventory, self._cap())
        seeking = 0.0  # the largest shortfall of a need it knows no reachable way to meet
        for need in NEEDS:
            known = self._can_sleep() if need == "energy" else planner.achieve(("+", need)) is not None
            if not known:
                seeking = max(seeking, (self._cap() - obs.inventory[need]) / self._cap())
        eager = 1.0 + SEEKING * seeking  # an unmet need makes the unknown (things and places) worth more
        comfort = min(1.0, *(obs.inventory[need] / (self._cap() * BEFORE_NIGHT) for need in ("food", "drink")))
        persist = self._persist(obs, situation)
        if persist is not None:
            options.append((PERSIST * eager, persist, "keep hitting"))
        things = self._reachable_things(situation)
        hostile = self._hostile()
        bold = obs.inventory["health"] >= self._cap() * BOLD and not self._dangerous(obs)
        creature_kinds = {c.kind for c in situation.creatures.values()} | {"ripe plant"}
        for thing, (moves, stand, first) in things.items():
            if thing in hostile and not (bold and self.harm.source(thing) is None):
                continue  # what hurts it is faced only when it comes (and not at all what it shoots)
            if thing in creature_kinds and moves > CHASE and not (eager > 1.0 and thing not in hostile):
                continue  # creatures wander off: chased far only when a need is pressing
            made_near = self._made_near(situation, stand)
            for action in INTERACTIONS:
                if action != "do" and moves > NEARBY:
                    continue  # placing and making depend on what it holds, which it carries everywhere
                if action.startswith("place_") and moves == 0 and self._walls_in(situation, obs.ahead):
                    continue
                worth = self._worth(action, thing, signature, made_near, planner, stand)
                if (action == "do" and self.curiosity.tried("do", thing, made_near) == 0) or \
                        self._may_hide_gain(action, thing, obs):
                    worth *= eager  # an unmet need makes things never hit (or a gain never seeable) worth more
                elif self.seeking is not None:
                    continue  # a need that cannot wait: only what might meet it
                else:
                    worth *= comfort  # other experiments wait while a need runs low
                options.append((worth * DISCOUNT ** moves, action if moves == 0 else first, f"try {action} on {thing}"))
        for stand, (moves, first) in (self._stations(situation) if self.seeking is None else {}).items():
            made_near = self._made_near(situation, stand)
            for action in (a for a in INTERACTIONS if a.startswith("make_")):
                worth = STATION * self._worth(action, obs.thing(obs.ahead), signature, made_near, planner, stand) * comfort
                options.append((worth * DISCOUNT ** moves, action if moves == 0 else first, f"try {action} by {sorted(made_near)}"))
        options.append((EXPERIMENT * 0.5 * self.curiosity.surprise("noop", None, self._needs_room(obs), frozenset()),
                        "noop", "try noop"))
        for item in STOCK if self.seeking is None else ():  # a need that cannot wait comes before stocks
            wanted = self._wanted(item)
            if obs.inventory[item] >= wanted:
                continue
            step = planner.achieve(("+", item))
            if step is not None:
                used = any(("-", item) in effect.components for effect, _ in self.effects.effects())
                worth = (STOCK_WORTH if used else SPARE_WORTH) * (wanted - obs.inventory[item]) / wanted
                options.append((worth * DISCOUNT ** step.cost, step.action, f"stock {item}: {step.why}"))
        for need in NEEDS:
            if need == "energy" or obs.inventory[need] >= self._cap():
                continue
            step = planner.achieve(("+", need))
            if step is not None:
                worth = TOP_UP * ((self._cap() - obs.inventory[need]) / self._cap()) ** 2
                options.append((worth * DISCOUNT ** step.cost, step.action, f"top up {need}: {step.why}"))
        if self.seeking is None:
            options += self._reserve(obs, planner)
            home = self._homemaking(obs, situation)
            if home is not None:
                options.append((HOME_WORTH, home, self.why))
        view = obs.materials.shape
        found = frontier(situation.routes, situation.unknown(), view, EXPLORE_DISCOUNT)
        if found is not None:
            options.append((FRONTIER * eager * found[0], found[1], "exploring"))
        jitter = rng.random(len(options)) * 1e-9
        options = [(worth * (KEEP if why == self.intent else 1.0), action, why) for worth, action, why in options]
        self.options = sorted(options, reverse=True)[:6]
        best = max(range(len(options)), key=lambda k: options[k][0] + jitter[k])
        worth, action, self.why = options[best]
        self.intent = self.why  # kept a little longer: walking toward one thing, then another, gets nowhere
        if worth < STUCK:  # nothing worth a step within reach: open a wall toward what it cannot reach
            dig = self._dig_out(situation)
            if dig is not None:
                return dig
        return action

    def _dig_out(self, situation: Situation) -> str | None:
        """Face and open the nearest wall it can open (``do``) that has something it cannot
        reach behind it, preferring walls near the unknown: the way out of a dead end."""
        openable = [m for m in range(len(MATERIALS)) if self._opens_material(situation, m)]
        if not openable:
            return None
        reached = situation.routes.dist >= 0
        walls = np.isin(situation.memory.materials, openable) & ~situation.occupied
        beyond = np.zeros(walls.shape, dtype=bool)
        for _, direction in MOVES:
            beyond |= ~shifted(reached, direction, True)
        unknown = situation.unknown()
        near_unknown = unknown.copy()
        for _ in range(3):
            near_unknown = near_unknown | shifted(near_unknown, (1, 0), False) | shifted(near_unknown, (-1, 0), False) \
                | shifted(near_unknown, (0, 1), False) | shifted(near_unknown, (0, -1), False)
        targets = walls & beyond & near_unknown
        if not targets.any():
            targets = walls & beyond
        route = situation.routes.nearest_facing(targets, situation.blocking())
        if route is None:
            return None
        self.why = "digging toward the unreachable"
        return "do" if route[3] == "noop" else route[3]

    def _homemaking(self, obs: Observation, situation: Situation) -> str | None:
        """With no home near (a room it closed itself in before, within reach) and the makings
        of one, the next step of building one now, in daylight: at nightfall it then has only
        its door to close."""
        if self.home is not None:
            i, j = situation.memory.index(self.home.cells[0])
            walk = situation.routes.dist[i, j] if situation.inside(self.home.cells[0]) else -1
            if 0 <= walk <= HOME_RANGE:
                return None
        if not self._wall_costs():
            return None
        why = self.why
        action = self._shelter(obs, situation)
        if action is None:
            self.why = why
            return None
        self.why = f"making a home: {self.why}"
        return action

    def _wall_costs(self) -> list[tuple[str, int]]:
        """What making one wall uses up, per way of making walls it knows (items, amounts)."""
        cover = {material_name(m) for m in self.passability.cover(self._made_ids())}
        costs = []
        for effect, _ in self.effects.effects():
            if effect.action.startswith("place_") and any(s == "cell" and m in cover for s, m in effect.components):
                costs += [(item, -effect.amount(item)) for s, item in effect.components if s == "-"]
        return costs

    def _reserve(self, obs: Observation, planner: Planner) -> list[tuple[float, str, str]]:
        """Gathering the makings of walls, once it knows how to make them: the reserve for the
        next shelter, worth twice as much while the light fades."""
        fading = self.daylight_before is not None and obs.daylight < self.daylight_before
        options = []
        for item, amount in self._wall_costs():
            wanted = min(self._cap(), RESERVE * max(1, amount))
            short = wanted - obs.inventory[item]
            if short <= 0:
                continue
            step = planner.achieve(("+", item))
            if step is not None:
                worth = RESERVE_WORTH * (2.0 if fading else 1.0) * short / wanted
                options.append((worth * DISCOUNT ** step.cost, step.action, f"reserve {item}: {step.why}"))
        return options

    def _persist(self, obs: Observation, situation: Situation) -> str | None:
        """Keep hitting a creature it just hit, following it a step or two when it moves, up
        to ``PATIENCE`` hits: a creature may need several (its state is hidden) before
        anything shows."""
        hits = self.hits
        if hits is None or hits[2] >= PATIENCE:
            return None
        kind, pos, _ = hits
        near = [c for c in obs.creatures if c.kind == kind and abs(c.pos[0] - pos[0]) + abs(c.pos[1] - pos[1]) <= 2]
        if not near:
            return None
        target = min(near, key=lambda c: (abs(c.pos[0] - obs.pos[0]) + abs(c.pos[1] - obs.pos[1]), c.pos))
        if abs(target.pos[0] - obs.pos[0]) + abs(target.pos[1] - obs.pos[1]) == 1:
            return self._face(obs, target.pos)
        cells = np.zeros(situation.floor.shape, dtype=bool)
        cells[situation.memory.index(target.pos)] = True
        route = situation.routes.nearest_facing(cells, situation.blocking())
        return None if route is None or route[0] > CHASE else route[3]

    def _wanted(self, item: str) -> int:
        """How many of ``item`` it wants: a full stock of what some effect uses up; one of a
        product (made by using other things up: a tool, a trophy) that nothing uses up; and a
        small stock of anything else it can collect (until it learns a use for it)."""
        effects = [effect for effect, _ in self.effects.effects()]
        if any(("-", item) in effect.components for effect in effects):
            return max(1, int(self._cap() * STOCK_SHARE))
        made = any(("+", item) in e.components and any(s == "-" for s, _ in e.components) for e in effects)
        return 1 if made else max(1, int(self._cap() * SMALL_STOCK))

    def _reachable_things(self, situation: Situation) -> dict[str, tuple[int, Pos, str]]:
        """Per thing (material or creature kind) in memory: (moves to face the nearest, where
        it would stand, first action)."""
        names: set[str] = {material_name(m) for m in np.unique(situation.memory.materials).tolist() if m >= 0}
        names |= {"ripe plant" if c.ripe else c.kind for c in situation.creatures.values()}
        found = {}
        for name in sorted(names):  # sorted: a set's order of strings changes from process to process
            route = situation.routes.nearest_facing(situation.cells_of({name}), situation.blocking())
            if route is not None:
                moves, _, stand, first = route
                found[name] = (moves, stand, first)
        return found

    def _stations(self, situation: Situation) -> dict[Pos, tuple[int, str]]:
        """Nearest cells beside each material it made (and beside all of them at once)."""
        made = sorted(self._made())
        masks = [situation.within(m, 1) for m in made]
        if len(masks) > 1:
            together = masks[0].copy()
            for mask in masks[1:]:
                together &= mask
            masks.append(together)
        found = {}
        for mask in masks:
            route = situation.routes.nearest_stand(mask & situation.walkable)
            if route is not None:
                found[route[1]] = (route[0], route[2])
        return found
