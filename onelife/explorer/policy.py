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

from crafter_oo.rules import ACTIONS, ITEMS, MATERIALS, VITALS
from crafter_oo.state import Pos, WorldState
from onelife.explorer.curiosity import MEASURE, Curiosity, chance_spread, frontier, holdings_signature
from onelife.explorer.effects import EffectLearner
from onelife.explorer.harm import HarmModel
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
EXPERIMENT = 1.0  # worth of a certain surprise (an untried context is an even bet)
STOCK_WORTH = 1.0  # worth of one more of an item it wants a stock of (scaled by how short it is)
TOP_UP = 0.5  # worth of topping up a need (scaled by how far from full it is)
FRONTIER = 0.4  # worth of a view that is all new
SEEKING = 2.0  # the frontier's worth grows by this times the shortfall of a need it knows no reachable way to meet
RESERVE = 6  # walls it keeps the makings of, once it has learned that some creature hurts it
RESERVE_WORTH = 1.0  # worth of the makings of one more wall while short of the reserve
URGENT = 1 / 3  # a need at this share of its largest count comes first
TIRED = 1 / 3  # energy at this share of its largest count sends it to sleep
SHELTER_RADIUS = 8  # how far it walks to a room
ROOM_CHOICES = 6  # the cheapest rooms it considers, in turn, when one proves impossible
STOCK_SHARE = 1.0  # share of the largest count it wants of every item it can obtain
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
        self._opening: dict[tuple[int, int], bool] = {}  # (step, material): does ``do`` open it now
        self.hurt_by: set[str] = set()  # kinds beside the player the last time it was hurt
        self.why = ""
        self.pending: tuple | None = None  # the context of the last action, counted once its outcome is seen

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
                if self.pending is not None:
                    self.curiosity.count(*self.pending, done=bool(outcome))
        elif action == "noop" and self.pending is not None:
            self.curiosity.count(*self.pending, done=False)
        self.pending = None
        if self.harm.observe(before, obs) and all(before.inventory[v] > 0 for v in NEEDS):
            self.hurt_by = {c.kind for c in (*before.creatures, *obs.creatures)
                            if abs(c.pos[0] - obs.pos[0]) + abs(c.pos[1] - obs.pos[1]) <= 1}

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
        situation = Situation(obs, self.memory, self.passability, self.harm.hostile_kinds() | self.hurt_by)
        planner = Planner(self.effects, situation, dict(obs.inventory))
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
            self.pending = (action, thing, holdings_signature(obs.inventory), self._made_near(situation, obs.pos))
        elif action in ("sleep", "noop"):  # resting and waiting: contexts do not matter to them
            self.pending = (action, None, (), frozenset())
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
            index = situation.memory.index(stand)
            if all((c.kind != "target" or thing in c.targets)
                   and (c.kind != "near" or bool(situation.within(c.subject, c.value)[index]))
                   for c in hypothesis.required):
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
        worth = EXPERIMENT * self.curiosity.surprise(action, key_thing, signature, made_near, outputs)
        return max(worth, measure)

    def _reads_thing(self, action: str) -> bool:
        """Whether what the action faces is part of its context: always for ``do`` (the
        schema's verb for acting on the faced cell, so every new thing is worth a hit), for
        any other action once one of its effects was found to need a thing faced."""
        if action == "do":
            return True
        record = self.effects.records.get(action)
        if record is None:
            return False
        for number in range(len(record.effects)):
            hypothesis = record.hypothesis(number, self.effects.cap)
            if hypothesis is not None and any(c.kind == "target" for c in hypothesis.required):
                return True
        return False

    def _made(self) -> frozenset[str]:
        """Materials the player has made appear by placing them."""
        return frozenset(subject for effect, _ in self.effects.effects() if effect.action.startswith("place_")
                         for sign, subject in effect.components if sign == "cell")

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
        hostile = self.harm.hostile_kinds() | self.hurt_by
        beside = [c for c in obs.creatures if c.kind in hostile and c.facing is None and c.kind != "plant"
                  and abs(c.pos[0] - obs.pos[0]) + abs(c.pos[1] - obs.pos[1]) == 1]
        if beside:
            beside.sort(key=lambda c: c.pos != obs.ahead)
            self.why = f"fighting a {beside[0].kind}"
            return self._face(obs, beside[0].pos)
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
                continue  # sleep is the night's business (it needs a shelter)
            step = planner.achieve(("+", need))
            if step is not None:
                self.why = f"urgent {need}: {step.why}"
                return step.action
        return None

    def _dangerous(self, obs: Observation) -> bool:
        falling = self.daylight_before is not None and obs.daylight < self.daylight_before
        return self.harm.dangerous_daylight(obs.daylight, falling)

    def _night(self, obs: Observation, situation: Situation, planner: Planner) -> str | None:
        """Dangerous daylight or low energy: top up needs nearby, then take shelter and sleep;
        with no room to be had, gather what walls are made of while only tired, and hide in
        the nook with the fewest open sides while it is dangerous."""
        dangerous = self._dangerous(obs)
        if not (dangerous or obs.inventory["energy"] <= self._cap() * TIRED):
            return None
        for need in ("drink", "food"):
            if obs.inventory[need] < self._cap() - 1:
                step = planner.achieve(("+", need))
                if step is not None and step.cost <= SHELTER_RADIUS:
                    self.why = f"topping up {need} before shelter"
                    return step.action
        action = self._shelter(obs, situation)
        if action is not None:
            return action
        hostile = self.harm.hostile_kinds() | self.hurt_by
        if (self._can_sleep() and obs.inventory["energy"] <= self._urgent_level("energy")
                and not any(c.kind in hostile for c in obs.creatures)):
            self.why = "sleeping in the open"
            return "sleep"
        if not dangerous:
            for item, _ in self._wall_costs():
                step = planner.achieve(("+", item))
                if step is not None:
                    self.why = f"gathering {item} for walls: {step.why}"
                    return step.action
        return self._hide(obs, situation, planner)

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
        signature, made_near = holdings_signature(obs.inventory), self._made_near(situation, obs.pos)
        thing = obs.thing(obs.ahead)
        best, best_worth = "noop", 0.0
        for action in INTERACTIONS:
            if action == "do" and self._opens(situation, obs.ahead):
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
        return Site(situation.origin, np.isin(materials, cover) & (materials >= 0) & free, situation.walkable,
                    np.isin(materials, blockable) & free, np.isin(materials, openable) & free)

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
        if self.room is None or self.room in self.unbuildable:
            self.rooms = [room for _, room in candidate_rooms(site, situation.routes, count, SHELTER_RADIUS, reopen, gain)
                          if room not in self.unbuildable][:ROOM_CHOICES]
            self.room = None
        creatures = frozenset(situation.creatures)
        for room in ([self.room] if self.room is not None else []) + [r for r in self.rooms if r != self.room]:
            if room in self.unbuildable:
                continue
            if room.contains_near(obs.pos):
                plan = build_plan(site, room, obs.pos, obs.facing, block_action or "noop", creatures)
                if plan is None:
                    self.unbuildable.add(room)
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

    def _sheltered(self, obs: Observation, situation: Situation, planner: Planner) -> str | None:
        """Inside a closed room: sleep, stay while it is dangerous, leave when it is not."""
        if self.room is None:
            return None
        site = self._site(situation, frozenset())
        if not site.is_closed(self.room, obs.pos):
            return None
        tired = obs.inventory["energy"] < self._cap() and (self._dangerous(obs) or obs.inventory["energy"] <= self._cap() * TIRED)
        if tired and self._can_sleep():
            self.why = "sleeping in the shelter"
            return "sleep"
        needy = any(obs.inventory[v] <= self._urgent_level(v) for v in ("drink", "food"))
        if needy:
            inside = np.zeros(situation.floor.shape, dtype=bool)
            for cell in self.room.cells:
                inside[situation.memory.index(cell)] = True
            for need in ("drink", "food"):
                if obs.inventory[need] <= self._urgent_level(need):
                    step = planner.achieve(("+", need), stand=inside)
                    if step is not None and step.cost <= len(self.room.cells) + 2:
                        self.why = f"{need} from inside the shelter"
                        return step.action
        if self._dangerous(obs) and not needy:
            self.why = "staying in the shelter"
            return self._safe_experiment(obs, situation, site, planner)
        self.unbuildable.clear()
        action = exit_action(site, self.room, obs.pos, obs.facing)
        self.why = "leaving the shelter"
        if action is None:
            self.room = None
            return None
        return action

    def _safe_experiment(self, obs: Observation, situation: Situation, site: Site, planner: Planner) -> str:
        """The most interesting action that keeps the room closed: try something on what it
        faces (never opening a side), or turn or step within the room."""
        assert self.room is not None
        signature, made_near = holdings_signature(obs.inventory), self._made_near(situation, obs.pos)
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
        signature = holdings_signature(obs.inventory)
        seeking = 0.0  # the largest shortfall of a need it knows no reachable way to meet
        for need in NEEDS:
            if need != "energy" and planner.achieve(("+", need)) is None:
                seeking = max(seeking, (self._cap() - obs.inventory[need]) / self._cap())
        eager = 1.0 + SEEKING * seeking  # an unmet need makes the unknown (things and places) worth more
        things = self._reachable_things(situation)
        hostile = self.harm.hostile_kinds() | self.hurt_by
        bold = obs.inventory["health"] >= self._cap() * BOLD and not self._dangerous(obs)
        for thing, (moves, stand, first) in things.items():
            if thing in hostile and not (bold and self.harm.source(thing) is None):
                continue  # what hurts it is faced only when it comes (and not at all what it shoots)
            made_near = self._made_near(situation, stand)
            for action in INTERACTIONS:
                if action.startswith("make_") and moves > 0:
                    continue
                worth = self._worth(action, thing, signature, made_near, planner, stand) * eager
                options.append((worth * DISCOUNT ** moves, action if moves == 0 else first, f"try {action} on {thing}"))
        for stand, (moves, first) in self._stations(situation).items():
            made_near = self._made_near(situation, stand)
            for action in (a for a in INTERACTIONS if a.startswith("make_")):
                worth = self._worth(action, obs.thing(obs.ahead), signature, made_near, planner, stand)
                options.append((worth * DISCOUNT ** moves, action if moves == 0 else first, f"try {action} by {sorted(made_near)}"))
        if not self.effects.ways(("asleep", "")) and not obs.creatures:
            options.append((EXPERIMENT * self.curiosity.surprise("sleep", None, (), frozenset()), "sleep", "try sleep"))
        options.append((EXPERIMENT * 0.5 * self.curiosity.surprise("noop", None, (), frozenset()), "noop", "try noop"))
        for item in STOCK:
            wanted = self._wanted(item)
            if obs.inventory[item] >= wanted:
                continue
            step = planner.achieve(("+", item))
            if step is not None:
                worth = STOCK_WORTH * (wanted - obs.inventory[item]) / wanted
                options.append((worth * DISCOUNT ** step.cost, step.action, f"stock {item}: {step.why}"))
        for need in NEEDS:
            if need == "energy" or obs.inventory[need] >= self._cap():
                continue
            step = planner.achieve(("+", need))
            if step is not None:
                worth = TOP_UP * (self._cap() - obs.inventory[need]) / self._cap()
                options.append((worth * DISCOUNT ** step.cost, step.action, f"top up {need}: {step.why}"))
        options += self._reserve(obs, planner)
        view = obs.materials.shape
        found = frontier(situation.routes, situation.unknown(), view, EXPLORE_DISCOUNT)
        if found is not None:
            options.append((FRONTIER * eager * found[0], found[1], "exploring"))
        jitter = rng.random(len(options)) * 1e-9
        self.options = sorted(options, reverse=True)[:6]
        best = max(range(len(options)), key=lambda k: options[k][0] + jitter[k])
        worth, action, self.why = options[best]
        return action

    def _wall_costs(self) -> list[tuple[str, int]]:
        """What making one wall uses up, per way of making walls it knows (items, amounts)."""
        cover = {material_name(m) for m in self.passability.cover()}
        costs = []
        for effect, _ in self.effects.effects():
            if effect.action.startswith("place_") and any(s == "cell" and m in cover for s, m in effect.components):
                costs += [(item, -effect.amount(item)) for s, item in effect.components if s == "-"]
        return costs

    def _reserve(self, obs: Observation, planner: Planner) -> list[tuple[float, str, str]]:
        """Gathering the makings of walls, once some creature proved hostile: the reserve for
        the next shelter."""
        if not self.harm.hostile_kinds():
            return []
        options = []
        for item, amount in self._wall_costs():
            short = RESERVE * max(1, amount) - obs.inventory[item]
            if short <= 0:
                continue
            step = planner.achieve(("+", item))
            if step is not None:
                worth = RESERVE_WORTH * short / (RESERVE * max(1, amount))
                options.append((worth * DISCOUNT ** step.cost, step.action, f"reserve {item}: {step.why}"))
        return options

    def _wanted(self, item: str) -> int:
        """How many of ``item`` it wants: a full stock of what some effect uses up; one of a
        product (made by using other things up: a tool, a trophy) that nothing uses up; and a
        full stock of anything else it can collect (more of it may open new doors)."""
        effects = [effect for effect, _ in self.effects.effects()]
        if any(("-", item) in effect.components for effect in effects):
            return max(1, int(self._cap() * STOCK_SHARE))
        made = any(("+", item) in e.components and any(s == "-" for s, _ in e.components) for e in effects)
        return 1 if made else max(1, int(self._cap() * STOCK_SHARE))

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
