"""The night: when to take cover, where, and how to live in a shelter.

The night begins when hostiles crowd at this daylight (learned) or the light falls into a
darkness never lived through, and ends when the light is back where it was then and rising.
Before it, the player tops up its needs if their remedies are near; then it walks to a room
(``shelter``), closes it with walls it learned to make (or digs one), and sleeps; awake
inside, it tries only what keeps the room closed, and it goes out only for a need about to
hurt whose remedy is a few steps away. With no room to be had it hides in the nook with
the most walls around. By day it keeps the makings of walls, makes itself a home (a room to
close at nightfall) and never walls itself in.
"""

from __future__ import annotations

import numpy as np

from crafter_oo.geometry import Room
from crafter_oo.rules import MATERIALS
from crafter_oo.state import Pos
from onelife.explorer.curiosity import STOCK, holdings_signature
from onelife.explorer.experiments import Experiments
from onelife.explorer.knowledge import INTERACTIONS, NEEDS, Knowledge
from onelife.explorer.navigation import MOVES, shifted
from onelife.explorer.perception import Observation, material_name
from onelife.explorer.planning import Planner
from onelife.explorer.shelter import WINDOW, Site, build_plan, candidate_rooms, exit_action
from onelife.explorer.situation import Situation

DISCOUNT = 0.93  # worth kept per step of walking (as the agenda's)
TIRED = 1 / 3  # energy at this share of its largest count sends it to sleep
DUSK_LIGHT = 0.5  # share of the light at nightfall above which it still goes looking for an unmet need
THREAT = 3  # a hostile this close (in steps) sends it to hide rather than gather the makings of walls
SHELTER_RADIUS = 20  # how far it walks to a room
QUICK_TRIP = 6  # steps to a remedy it goes out of its shelter for at night, when a need is about to hurt
BEFORE_NIGHT = 2 / 3  # a need at or below this share of its largest count is topped up before sheltering
TOP_UP_REACH = 8  # ... if its remedy is this close (up to three times as far for an empty need)
SHOOTER_BERTH = 6  # a shelter keeps this far from where something that shoots was seen, if it can
ROOM_CHOICES = 6  # the cheapest rooms it considers, in turn, when one proves impossible
RETRY = 10  # steps after which a room found impossible is considered again (a creature in the way moves on)
RESERVE = 6  # walls it keeps the makings of
RESERVE_WORTH = 1.0  # worth of the makings of walls when it has none (scaled by the shortfall)
FADING_BOOST = 10.0  # as the light fades, the reserve is worth this much more per unit of darkness
HOME_RANGE = 25  # steps from a home beyond which it makes a new one
TRAP = 12  # cells it must keep to walk to (or a wall it can open) when it places something


class Nights:
    """The shelter drive: its state (the room it is making or in, its home) and decisions."""

    def __init__(self, knowledge: Knowledge, experiments: Experiments) -> None:
        self.knowledge, self.experiments = knowledge, experiments
        self.room: Room | None = None
        self.unbuildable: dict[Room, int] = {}  # rooms found impossible, and when (tried again after RETRY steps)
        self.rooms: list[Room] = []  # the cheapest rooms found when a shelter was last looked for
        self.home: Room | None = None  # the last room it closed itself in
        self.night_from: float | None = None  # the daylight at which the current night began
        self.why = ""

    # --- when ----------------------------------------------------------------------------

    def dangerous(self, obs: Observation) -> bool:
        """Whether hostiles crowd at this daylight (or, as it darkens, at the next darker band)."""
        return self.knowledge.harm.dangerous_daylight(obs.daylight, self.knowledge.falling(obs))

    def worried(self, obs: Observation) -> bool:
        """Darkening into a darkness never lived through (a generic fear of the unknown), or
        the light fading well below the brightest known (the night is coming)."""
        harm = self.knowledge.harm
        return self.knowledge.falling(obs) and (harm.unknown_dark(obs.daylight) or harm.dusk(obs.daylight))

    def night_time(self, obs: Observation) -> bool:
        """Whether it is the part of the day to spend sheltered: from the moment the dark is
        dangerous (or, never lived through, feared) until the light is back at least where it
        was then and rising, with no danger left and nothing hostile in view."""
        if self.dangerous(obs) or self.worried(obs):
            if self.night_from is None:
                self.night_from = obs.daylight
            return True
        if self.night_from is None:
            return False
        before = self.knowledge.daylight_before
        hostile = self.knowledge.hostile()
        if before is not None and obs.daylight > before and obs.daylight >= self.night_from \
                and not any(c.kind in hostile for c in obs.creatures):
            self.night_from = None
            return False
        return True

    # --- at night ------------------------------------------------------------------------

    def night(self, obs: Observation, situation: Situation, planner: Planner, seeking: str | None) -> str | None:
        """At night, or with energy low: top up needs nearby, then take shelter and sleep.
        With no room to be had, it hides in the nook with the fewest open sides while
        hostiles are about, and otherwise gathers what walls are made of (or carries on,
        ``None``). A need about to hurt with no known remedy (``seeking``) goes first."""
        k = self.knowledge
        hostile = k.hostile()
        dark = self.night_time(obs)
        threatened = any(c.kind in hostile and abs(c.pos[0] - obs.pos[0]) + abs(c.pos[1] - obs.pos[1]) <= THREAT
                         for c in obs.creatures)
        tired = obs.inventory["energy"] <= k.cap() * TIRED
        if not (dark or tired):
            return None
        building = self.room is not None and self.room.within(obs.pos, WINDOW)
        light = 1.0 if self.night_from is None else min(1.0, obs.daylight / max(self.night_from, 1e-6))
        for need in ("drink", "food") if not building and not any(c.kind in hostile for c in obs.creatures) else ():
            if obs.inventory[need] <= k.cap() * BEFORE_NIGHT:
                step = planner.achieve(("+", need))
                reach = TOP_UP_REACH * (1 + 2 * (k.cap() - obs.inventory[need]) / k.cap()) * light
                if step is not None and step.cost <= reach:
                    self.why = f"topping up {need} before shelter"
                    return step.action
        action = self.shelter(obs, situation)
        if action is not None:
            return action
        if obs.inventory["energy"] <= 1 and not any(c.kind in hostile for c in obs.creatures):
            hide = self.hide(obs, situation, planner)
            if not self.why.startswith("hiding at"):  # in the best nook it can reach: sleep there
                self.why = "sleeping in a nook, exhausted"
                return "sleep"
            return hide
        if seeking is not None and (obs.inventory[seeking] <= 1 or (light >= DUSK_LIGHT and not threatened)):
            return None  # a need about to hurt (or low at dusk, nothing hostile in sight) and no known remedy: go looking
        if threatened:
            return self.hide(obs, situation, planner)
        for item in self.wall_needs(planner):  # nothing hostile in sight yet: the makings of a room first
            step = planner.achieve(("+", item))
            if step is not None and (step.cost <= SHELTER_RADIUS or not dark):
                self.why = f"gathering {item} for walls: {step.why}"
                return step.action
        return self.hide(obs, situation, planner) if dark else None

    def wall_needs(self, planner: Planner) -> list[str]:
        """What making walls uses up, then what opening walls (digging a room) needs but it lacks."""
        k = self.knowledge
        needs = [item for item, _ in k.wall_costs()]
        floors = {material_name(m) for m in k.passability.floors()}
        cover = {material_name(m) for m in k.passability.cover(k.made_ids())}
        for effect, hypothesis in k.effects.effects():
            target = next((c for c in hypothesis.required if c.kind == "target"), None)
            if (effect.action == "do" and target is not None and target.targets & cover
                    and any(s == "cell" and m in floors for s, m in effect.components)):
                needs += [item for item, _ in planner.shortfall(effect, hypothesis)[0]]
        return needs

    def hide(self, obs: Observation, situation: Situation, planner: Planner) -> str:
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
        around = walls[situation.memory.index(obs.pos)]
        if around == len(MOVES) and obs.inventory["energy"] < self.knowledge.cap():
            self.why = "sleeping walled in"  # nothing that walks can come beside it
            return "sleep"
        self.why = f"hiding ({around} walls around)"
        return self.stay(obs, situation, planner)

    def stay(self, obs: Observation, situation: Situation, planner: Planner) -> str:
        """The most worthwhile action in place that opens no wall beside it (or waiting)."""
        k = self.knowledge
        signature, made_near = holdings_signature(obs.inventory, k.cap()), k.made_near(situation, obs.pos)
        thing = obs.thing(obs.ahead)
        best, best_worth = "noop", 0.0
        for action in INTERACTIONS:
            if action == "do" and k.opens(situation, obs.ahead):
                continue
            if action.startswith("place_") and self.walls_in(situation, obs.ahead):
                continue
            worth = self.experiments.worth(action, thing, signature, made_near, planner)
            if worth > best_worth:
                best, best_worth = action, worth
        return best

    def walls_in(self, situation: Situation, cell: Pos) -> bool:
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
                elif self.knowledge.opens(situation, nxt):
                    return False
        return True

    # --- where ---------------------------------------------------------------------------

    def site(self, situation: Situation, block_targets: frozenset[str]) -> Site:
        """The remembered world as the shelter code sees it (see ``shelter.Site``)."""
        materials, free = situation.memory.materials, ~situation.occupied
        cover = np.fromiter(situation.cover, dtype=np.int16, count=len(situation.cover))
        blockable = [m for m, name in enumerate(MATERIALS) if (name or "outside") in block_targets]
        openable = [m for m in range(len(MATERIALS)) if self.knowledge.opens_material(situation, m)]
        sound = np.fromiter(situation.sound, dtype=np.int16, count=len(situation.sound))
        solid = np.fromiter(situation.solid, dtype=np.int16, count=len(situation.solid))
        return Site(situation.origin, np.isin(materials, cover) & (materials >= 0) & free, situation.walkable,
                    np.isin(materials, blockable) & free, np.isin(materials, openable) & free,
                    np.isin(materials, sound) & (materials >= 0), np.isin(materials, solid) & free)

    def sources_of_needs(self, situation: Situation) -> np.ndarray:
        """Cells of materials that ``do`` turns into a gain of a need (water, for drink): a room
        beside one can be lived in longer."""
        things = {t for need in NEEDS for effect, hypothesis in self.knowledge.effects.ways(("+", need))
                  if effect.action == "do" for c in hypothesis.required if c.kind == "target" for t in c.targets}
        return situation.cells_of(frozenset(t for t in things if t in MATERIALS))

    def shunned(self, situation: Situation) -> np.ndarray:
        """Cells near where a kind that makes other creatures appear beside it (shoots them)
        was ever seen: what it shoots may break walls and fly in, so a shelter goes elsewhere
        if it can."""
        harm = self.knowledge.harm
        shooters = {source for kind in harm.kinds if (source := harm.source(kind)) is not None}
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

    def blocks(self, obs: Observation, situation: Situation) -> tuple[str | None, int, frozenset[str], bool, int]:
        """The best way to make a wall: (place action, how many it can make now, where such a
        wall may go, whether it can be opened again, walls' makings gained per cell dug)."""
        effects = self.knowledge.effects.effects()
        best: tuple[str | None, int, frozenset[str], bool, int] = (None, 0, frozenset(), False, 0)
        cover = {material_name(m) for m in situation.cover}
        floors = {material_name(m) for m in situation.floors}
        for effect, hypothesis in effects:
            walls = [m for s, m in effect.components if s == "cell" and m in cover]
            if not effect.action.startswith("place_") or not walls:
                continue
            costs = [(item, -effect.amount(item)) for s, item in effect.components if s == "-"]
            count = min((obs.inventory[item] // max(1, amount) for item, amount in costs), default=0)
            where = self._where(effect.action, hypothesis, floors, costs)
            openers = [e for e, h in effects if _reopens(e, h, walls[0], floors)]
            gain = int(any(("+", item) in e.components for e in openers for item, _ in costs))
            option = (effect.action, count, where, bool(openers), gain)
            if best[0] is None or (option[3], option[1] + option[4]) > (best[3], best[1] + best[4]):
                best = option
        return best

    def _where(self, action: str, hypothesis, floors: set[str],  # type: ignore[no-untyped-def]
               costs: list[tuple[str, int]]) -> frozenset[str]:
        """Where placing with ``action`` makes a wall: on what it worked on, and on the floors
        too unless tried there, holding what it uses up, without ever working (a thing placed
        stands where one can stand, until shown otherwise; a try without the makings proves
        nothing about the floor)."""
        target = next((c for c in hypothesis.conditions if c.kind == "target"), None)
        where = set(target.targets) if target is not None else set()
        if where:
            tries = self.knowledge.curiosity.tries
            needed = [(STOCK.index(item), int(amount).bit_length()) for item, amount in costs if item in STOCK]
            for floor in floors - where:
                done = [d for key, outcomes in tries.items() if key[:2] == (action, floor) for sig, d in outcomes
                        if all(sig[i] >= level for i, level in needed)]
                if not done or any(done):
                    where.add(floor)
        return frozenset(where)

    def makes_solid(self, block_action: str | None) -> bool:
        """Whether what ``block_action`` places is presumed solid (see ``Knowledge.solid``)."""
        solid = {material_name(m) for m in self.knowledge.solid()}
        return any(effect.action == block_action and any(s == "cell" and m in solid for s, m in effect.components)
                   for effect, _ in self.knowledge.effects.effects())

    def shelter(self, obs: Observation, situation: Situation) -> str | None:
        """The next action of getting into a closed room (``None``: none can be had)."""
        k = self.knowledge
        block_action, count, where, reopen, gain = self.blocks(obs, situation)
        site = self.site(situation, where)
        if self.room is not None and site.is_closed(self.room, obs.pos):
            return "sleep" if obs.inventory["energy"] < k.cap() and k.can_sleep() else None
        self.unbuildable = {room: step for room, step in self.unbuildable.items() if obs.step - step < RETRY}
        shunned = self.shunned(situation)
        exposed = self.room is not None and any(shunned[situation.memory.index(c)] for c in self.room.cells
                                                if situation.inside(c))
        if self.room is None or self.room in self.unbuildable or exposed:
            found = [(key, room) for key, room in candidate_rooms(site, situation.routes, count, SHELTER_RADIUS, reopen,
                                                                  gain, shunned, self.sources_of_needs(situation))
                     if room not in self.unbuildable][:ROOM_CHOICES]
            if exposed and self.room not in self.unbuildable:  # something that shoots turned up near it:
                if found and found[0][0][0] == 0:  # go elsewhere if a room is not as near one, else keep it
                    self.unbuildable[self.room] = obs.step
                    self.rooms = [room for _, room in found]
            else:
                self.rooms = [room for _, room in found]
        if self.room is None or self.room in self.unbuildable:
            home = self.home
            if home is not None and home not in self.unbuildable and len(site.open_sides(home)) <= count + 1 \
                    and situation.routes.dist[situation.memory.index(home.cells[0])] >= 0:
                self.rooms = [home] + [r for r in self.rooms if r != home]  # where it slept safe before, if it can close it
            self.room = None
        creatures = frozenset(situation.creatures)
        for room in ([self.room] if self.room is not None else []) + [r for r in self.rooms if r != self.room]:
            if room in self.unbuildable:
                continue
            if not _has_way_out(site, room, reopen):
                self.unbuildable[room] = obs.step  # closed with what it would block it with now, it would be a trap
                continue
            to_open = sum(not site.is_floor(c) and c != obs.pos for c in room.cells)
            if len(site.open_sides(room)) > count + gain * to_open:
                self.unbuildable[room] = obs.step  # more sides open than it has the makings to block
                continue
            if room.within(obs.pos, WINDOW):
                plan = build_plan(site, room, obs.pos, obs.facing, block_action or "noop", creatures,
                                  self.makes_solid(block_action))
                if plan is None:
                    self.unbuildable[room] = obs.step
                    if room == self.room:  # the room it was making proved impossible: look again from here
                        self.room = None
                        return self.shelter(obs, situation)
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
                self.unbuildable[room] = obs.step
                continue
            self.room = room
            self.why = f"walking to a shelter at {room.cells}"
            return route[2]
        self.room = None
        return None

    # --- inside --------------------------------------------------------------------------

    def sheltered(self, obs: Observation, situation: Situation, planner: Planner, urgent: dict[str, int]) -> str | None:
        """Inside a closed room: meet a need from inside if it can; sleep while energy is not
        full; awake, stay (trying what keeps the room closed) while outside is dangerous,
        unless a need is about to hurt (``urgent``: each need's urgent level); else leave."""
        k = self.knowledge
        if self.room is None:
            return None
        site = self.site(situation, frozenset())
        if not site.is_closed(self.room, obs.pos):
            return None
        inside = np.zeros(situation.floor.shape, dtype=bool)
        for cell in self.room.cells:
            inside[situation.memory.index(cell)] = True
        for need in sorted(("drink", "food"), key=lambda v: obs.inventory[v]):
            if obs.inventory[need] < k.cap():
                step = planner.achieve(("+", need), stand=inside)
                if step is not None and step.cost <= len(self.room.cells) + 2:
                    self.why = f"{need} from inside the shelter"
                    return step.action
        dangerous = self.night_time(obs)
        starving = [need for need in ("drink", "food") if obs.inventory[need] <= urgent[need]]
        if dangerous:  # at night it goes out only for a quick meal or drink it knows is near
            starving = [need for need in starving if obs.inventory[need] <= 1
                        and (step := planner.achieve(("+", need))) is not None and step.cost <= QUICK_TRIP]
        self.home = self.room  # a room it closed itself in: the first choice for the next night
        if not starving:
            if obs.inventory["energy"] < k.cap() and (k.can_sleep() or k.curiosity.surprise(
                    "sleep", None, self.experiments.needs_room(obs), frozenset()) > 0.1):
                self.why = "sleeping in the shelter"  # (or trying to: helpless asleep, it tries only where nothing reaches it)
                return "sleep"
            if dangerous:
                self.why = "staying in the shelter"
                return self.safe_experiment(obs, situation, planner)
        self.unbuildable.clear()
        action = exit_action(site, self.room, obs.pos, obs.facing)
        self.why = f"leaving the shelter{' for ' + starving[0] if starving else ''}"
        if action is None:
            self.room = None
            return None
        return action

    def safe_experiment(self, obs: Observation, situation: Situation, planner: Planner) -> str:
        """The most interesting action that keeps the room closed: try something on what it
        faces (never opening a side), or step within the room."""
        assert self.room is not None
        k = self.knowledge
        signature, made_near = holdings_signature(obs.inventory, k.cap()), k.made_near(situation, obs.pos)
        ahead = obs.ahead
        options: list[tuple[float, str]] = []
        for action in INTERACTIONS:
            if action == "do" and ahead in self.room.sides and k.opens(situation, ahead):
                continue
            if action.startswith("place_") and ahead in self.room.cells and not self._places_creature(action):
                continue
            options.append((self.experiments.worth(action, obs.thing(ahead), signature, made_near, planner), action))
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
                   for effect, _ in self.knowledge.effects.effects())

    # --- by day --------------------------------------------------------------------------

    def reserve(self, obs: Observation, planner: Planner) -> list[tuple[float, str, str]]:
        """Gathering the makings of walls, once it knows how to make them: the reserve for the
        next shelter, worth more and more as the light fades."""
        k = self.knowledge
        fading = k.falling(obs)
        options = []
        for item, amount in k.wall_costs():
            wanted = min(k.cap(), RESERVE * max(1, amount))
            short = wanted - obs.inventory[item]
            if short <= 0:
                continue
            step = planner.achieve(("+", item))
            if step is not None:
                worth = RESERVE_WORTH * (1.0 + FADING_BOOST * (1.0 - obs.daylight) if fading else 1.0) * short / wanted
                options.append((worth * DISCOUNT ** step.cost, step.action, f"reserve {item}: {step.why}"))
        return options

    def homemaking(self, obs: Observation, situation: Situation) -> str | None:
        """With no home near (a room it closed itself in before, within reach) and the makings
        of one, the next step of building one now, in daylight: at nightfall it then has only
        its door to close."""
        if self.home is not None:
            i, j = situation.memory.index(self.home.cells[0])
            walk = situation.routes.dist[i, j] if situation.inside(self.home.cells[0]) else -1
            if 0 <= walk <= HOME_RANGE:
                return None
        if not self.knowledge.wall_costs():
            return None
        why = self.why
        action = self.shelter(obs, situation)
        if action is None:
            self.why = why
            return None
        self.why = f"making a home: {self.why}"
        return action


def _reopens(effect, hypothesis, wall: str, floors: set[str]) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``effect`` (of ``do``) turns the ``wall`` material into one of the ``floors``."""
    target = next((c for c in hypothesis.conditions if c.kind == "target"), None)
    return (effect.action == "do" and target is not None and wall in target.targets
            and any(s == "cell" and m in floors for s, m in effect.components))


def _has_way_out(site: Site, room: Room, reopen: bool) -> bool:
    """Whether, once closed, the room can be left: by a solid wall beside it that it can open
    (it turns toward it from inside), or by a cap that is a wall it can open, or one still
    open that it would block with a wall it can open again."""
    if any(site.is_wall(side) and site.can_open(side) and site.is_solid(side) for side in room.sides):
        return True
    return any((site.is_wall(cap) and site.can_open(cap)) or (not site.is_wall(cap) and reopen)
               for cap in room.caps)
