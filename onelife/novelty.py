"""The novelty player: the reference row that knows Crafter's rules.

It is kept to be measured against (issue 17's reference row: ``policy="novelty"`` in
``onelife.explore``). Unlike the learning explorer (``onelife.explorer``), which knows the
state's schema only, it plays with the game's own knowledge. Its skills
(``crafter_oo.skills``: routes over the walkable materials, the night shelter) read the
world's rules, it reads the inventory's cap and the day's length from them, and its
reflexes are written for Crafter. It is curious: it counts every *context* it has acted in
and does whatever it has seen least. A context is what an action touches:

- a move: the move and the thing (creature or material) in that direction;
- ``do`` and ``place_*``: the action, the thing faced, and the inventory;
- ``make_*``: the action, the stations (table, furnace) around the player, and the inventory;
- ``noop`` and ``sleep``: just the action.

The inventory is read coarsely (each non-vital item as 0, 1, 2-3, 4-7 or 8-9), so a new
item, tool or a doubling of a stock makes its interactions new again: holding wood
makes a table worth trying, a table makes crafting worth trying, a pickaxe makes stone
worth hitting. The curious player also looks around: for every cell it can walk to
within ``RADIUS`` steps and every direction it could face there, it values each
interaction context there as ``interest * DISCOUNT ** steps``, values a spot from
which unseen cells come into view as ``FRONTIER`` discounted the same way, and takes the
first step of the best plan.

Interest. A move's is its novelty ``1 / (1 + count)``. An interaction's novelty also
counts, at ``1 / SHARE`` each, the tries of the same action on the same thing under
other inventories (``pair``), so a failed ``place_*`` or ``make_*`` stops being worth a
step after a few inventories instead of coming back with every new one. The player
remembers each interaction's outcome (the stock items it gained or lost, what the faced
cell became) by what it held: which stock items it had none, some or a full stock of
(a tool or an ingredient decides most interactions; nothing can add to a full stock).
When one pair has given two different outcomes with the same items held, chance is at
work there, not the inventory; from then on the pair's interest is at least ``MEASURE``
times the posterior standard deviation of the chance of its most common outcome (over
its tries with the items now held, uniform prior), which shrinks like
``1 / sqrt(tries)`` where a settled context's novelty shrinks like ``1 / tries``: a
random outcome is kept being tried until its chance is measured.
Until then, hitting a thing (``do``) stays worth at least ``MISS ** tries``: the chance
that an outcome of chance ``1 - MISS`` has not shown yet (a sapling in one grass hit of
ten), so a rare outcome gets the tries it needs to be seen at all.

Chores give way to curiosity for a step when nothing presses (daytime, no zombie within
``LINGER``, no vital at ``CRITICAL``): on the way to water, a cow or wood, the player
hits the thing it faces while that is worth ``OPPORTUNITY``, and turns aside for a
material within ``DETOUR`` steps it has never hit (stone before it has a pickaxe, say).
Most of the day goes to chores, so this is where most measuring happens. The price is
paid in preparation for the night: ``benchmarks/exploration.py`` shows what it costs.

Survival reflexes, the only thing it does that curiosity does not pick (one life is all
it gets), in this order:

1. it never steps onto lava (curiosity never considers it), and hits back a zombie
   standing next to it;
2. with ``drink`` or ``food`` at ``LOW`` or below (``TOP_UP`` late in the day, so it
   enters the night full; ``CRITICAL`` at night) it walks to water and drinks until
   full, or to a cow and hits it until eaten;
3. from step ``SHELTER_FROM`` of each day to daybreak (or whenever ``energy``
   is at ``TIRED`` or below) it shelters: it walks to the cheapest room of two or three
   cells it can close and later leave (``crafter_oo.skills.shelter``), blocks its open sides with
   stone or tables, and sleeps there while ``energy`` is below 9; awake inside, the
   curious player picks, but never an action that would open a side. With no room to be
   had it gathers more to block with, awake; asleep in the open only at ``energy`` 0;
4. after daybreak, once no zombie is within ``LINGER`` (or from step ``PREPARE`` on),
   it collects a side and walks out;
5. from step ``PREPARE`` of the day, holding fewer than ``RESERVE`` cells' worth of
   blocks (a stone each, two wood per table), it collects stone (with a pickaxe) or trees.

Whatever it does, the context of the action it took is counted.

Its ties are seeded by the generator it is called with.
"""

from __future__ import annotations

from collections import Counter
from typing import Hashable

import numpy as np

from crafter_oo.geometry import MOVE_ACTION, Room, ahead
from crafter_oo.rules import ACTIONS, ITEM_MAX, ITEMS, MATERIAL_ID, MOVE_DIRECTION, VITALS
from crafter_oo.skills import shelter
from crafter_oo.skills.navigation import STATIONS, Reach
from crafter_oo.state import Pos, WorldState

RADIUS = 10  # how far (in steps) the curious player plans
DISCOUNT = 0.9  # value lost per step of walking to a context
FRONTIER = 0.3  # value of bringing unseen cells into view
VIEW = (4, 3)  # half-width and half-height of the part of the world the player sees
SEARCH = 32  # how far it looks for water or a cow when thirsty or hungry
LOW = 5  # drink or food at or below this send the player to water or a cow
CRITICAL = 2  # at night, drink or food must fall this low to send the player out of its shelter
TIRED = 2  # energy at or below this puts the player to sleep, whatever the time of day
TOP_UP = 7  # drink or food at or below this, late in the day, send it to water or a cow before night
CRAFTER_DAY = 300  # times of day below are steps of Crafter's day, scaled to the world's day length
SHELTER_FROM = 130  # when the player heads for a room (in Crafter zombies rise from 116); it leaves at daybreak
PREPARE = 40  # step of (Crafter's) day from which it makes ready for the night
RESERVE = 6  # cells it wants to be able to block (stone, or two wood per table) before night
LINGER = 5  # a zombie this close keeps the player in its room in the morning
SHARE = 3  # tries of an action on a thing with other inventories worth one try in this one
MEASURE = 3.0  # weight of the uncertainty left in a random outcome's chance
OPPORTUNITY = 0.1  # interest of the faced thing worth a ``do`` on the way to a chore
DETOUR = 5  # steps a chore gives way to, to hit a material never hit before
MISS = 0.9  # an outcome of chance 1 - MISS, unseen after n tries of ``do`` on a thing, with probability MISS ** n

INTERACTIONS = tuple(a for a in ACTIONS if a == "do" or a.startswith("place_"))
CRAFTS = tuple(a for a in ACTIONS if a.startswith("make_"))
STOCK = tuple(item for item in ITEMS if item not in VITALS)


def time_of_day(state: WorldState) -> int:
    """The step within the world's day, as the step of Crafter's 300-step day it corresponds to."""
    day_length = state.config.rules.day_length
    return state.step % day_length * CRAFTER_DAY // day_length


def is_night_time(state: WorldState) -> bool:
    """Whether the state falls in the part of the day spent in a shelter."""
    return time_of_day(state) >= SHELTER_FROM


class NoveltyPolicy:
    """The curious player: least-seen context first, within reach (see the module docstring)."""

    def __init__(self, measure: float = MEASURE) -> None:
        self.measure = measure  # 0 turns off the interest in random outcomes
        self.counts: Counter[Hashable] = Counter()
        self.tries: Counter[Hashable] = Counter()  # per (action, thing), over all inventories
        self.outcomes: dict[Hashable, Counter[Hashable]] = {}  # per (action, thing, items held)
        self.random: set[Hashable] = set()  # (action, thing) pairs whose outcome varied with the same items held
        self.seen: np.ndarray | None = None
        self.need: str | None = None  # the vital a reflex is restoring, until it is full
        self.room: Room | None = None  # the shelter being built or slept in
        self.unbuildable: set[Room] = set()  # rooms found impossible to close this night
        self.last: tuple[WorldState, str] | None = None

    def __call__(self, state: WorldState, rng: np.random.Generator) -> str:
        if self.last is not None:
            self.record(*self.last, state)
        self._look(state)
        player = state.player
        if player.sleeping:
            self.last = None
            return "noop"
        reach = Reach(state, RADIUS)
        action = self._reflex(state, reach)
        if action is None:
            action = self._curious(state, reach, rng)
        elif action in MOVE_ACTION.values():
            action = self._detour(state, reach) or action
        self.counts[context(state, action)] += 1
        if action in INTERACTIONS or action in CRAFTS:
            self.tries[pair(state, action)] += 1
        self.last = state, action
        return action

    def record(self, before: WorldState, action: str, after: WorldState) -> None:
        """Remember what a ``do``, ``place_*`` or ``make_*`` did, and whether that varied."""
        if not (action in INTERACTIONS or action in CRAFTS):
            return
        key = pair(before, action)
        outcomes = self.outcomes.setdefault((*key, holding(before)), Counter())
        outcomes[outcome(before, after)] += 1
        if len(outcomes) > 1:
            self.random.add(key)

    def _look(self, state: WorldState) -> None:
        """Mark the cells in view as seen."""
        if self.seen is None:
            self.seen = np.zeros(state.config.area, dtype=bool)
        (x, y), (w, h) = state.player.pos, VIEW
        self.seen[max(0, x - w): x + w + 1, max(0, y - h): y + h + 1] = True

    def _reflex(self, state: WorldState, reach: "Reach") -> str | None:
        """The survival reflexes; ``None`` when none applies."""
        player = state.player
        for direction, name in MOVE_ACTION.items():
            neighbour = state.object_at(ahead(player.pos, direction))
            if neighbour is not None and state.objects[neighbour].kind == "zombie":
                return "do" if player.facing == direction else name
        inventory = player.inventory
        day = time_of_day(state)
        if self.need is not None and inventory[self.need] >= 9:
            self.need = None
        if self.need is None:
            low = (TOP_UP if PREPARE <= day < SHELTER_FROM
                   else CRITICAL if is_night_time(state) else LOW)
            self.need = next((v for v in ("drink", "food") if inventory[v] <= low), None)
        if self.need is not None:
            wanted = "water" if self.need == "drink" else "cow"
            route = reach.nearest(wanted)
            if route is None and not self._sheltered(state):  # the wide search is slow: only when it matters
                route = Reach(state, SEARCH).nearest(wanted)
            if route is not None:
                return route
        if is_night_time(state) or inventory["energy"] <= TIRED:
            return self._shelter(state, reach)
        if self.room is not None:
            return self._leave(state)
        if day >= PREPARE and shelter.blocks_held(state) < RESERVE:
            return self._gather(state, reach)
        return None

    def _detour(self, state: WorldState, reach: "Reach") -> str | None:
        """A short break from a chore, when nothing presses (day, no zombie near, no vital
        critical): ``do`` on the thing faced while it is still worth ``OPPORTUNITY``, else
        the first step toward a material within ``DETOUR`` steps never yet hit."""
        inventory = state.player.inventory
        if (is_night_time(state) or shelter.zombies_near(state, LINGER)
                or min(inventory["drink"], inventory["food"]) <= CRITICAL):
            return None
        thing = thing_at(state, ahead(state.player.pos, state.player.facing))
        if self._interest("do", thing, inventory_signature(state), holding(state)) >= OPPORTUNITY:
            return "do"
        untried = [(steps, first) for thing, (steps, first) in reach.things.items()
                   if steps <= DETOUR and thing in MATERIAL_ID and not self.tries[("do", thing)]]
        return min(untried)[1] if untried else None

    def _gather(self, state: WorldState, reach: "Reach") -> str | None:
        """The first action toward more to block with: stone when it can mine it, else wood."""
        wanted = ("stone", "tree") if shelter.opens(state, "stone") else ("tree",)
        return next((route for route in map(reach.nearest, wanted) if route is not None), None)

    def _sheltered(self, state: WorldState) -> bool:
        return self.room is not None and shelter.is_closed(self.room, state)

    def _shelter(self, state: WorldState, reach: "Reach") -> str | None:
        """Sleep in a closed room, or build one; ``None`` when awake in a closed room (the
        curious player then picks, never opening it)."""
        player = state.player
        if self._sheltered(state):
            return "sleep" if player.inventory["energy"] < 9 else None
        rooms = ([self.room] if self.room is not None else []) + [
            room for _, room in shelter.candidate_rooms(state, reach.steps)[:4] if room != self.room]
        for room in rooms:
            if (room in self.unbuildable or not shelter.can_leave_by(state, room)
                    or len(shelter.open_sides(room, state)) > shelter.blocks_held(state)):
                continue
            if shelter.is_near(room, player.pos):
                action = shelter.build_step(state, room)
                if action is None:
                    self.unbuildable.add(room)
                    continue
            else:
                cell = min((c for c in room.cells if c in reach.steps), key=lambda c: reach.steps[c][0], default=None)
                if cell is None:
                    continue
                action = reach.steps[cell][1]
            self.room = room
            return action
        self.room = None
        gather = self._gather(state, reach)  # no room to be had: more to block with, awake
        if gather is not None or player.inventory["energy"] > 0:
            return gather
        route = reach.shelter()  # exhausted: sleep where fewest zombies can reach
        return "sleep" if route is None else route

    def _leave(self, state: WorldState) -> str | None:
        """Morning: collect a side of the room and walk out; ``None`` once out."""
        assert self.room is not None
        if state.player.pos not in self.room.cells or shelter.open_sides(self.room, state):
            self.room = None
            self.unbuildable.clear()
            return None
        if shelter.zombies_near(state, LINGER) and time_of_day(state) < PREPARE:
            return None  # night's zombies still about: stay in (the curious player picks, never opening it)
        return shelter.leave_step(state, self.room)

    def _curious(self, state: WorldState, reach: "Reach", rng: np.random.Generator) -> str:
        """The first action of the most valuable plan: an untried context or a view of the unknown."""
        player = state.player
        stock, holds = inventory_signature(state), holding(state)
        best, best_value = "noop", -1.0
        jitter = rng.random(len(MOVE_ACTION) + 1) * 1e-9  # seeded tie-breaks
        closed = self.room if self._sheltered(state) else None

        def consider(action: str, value: float) -> None:
            nonlocal best, best_value
            if value > best_value and not (closed is not None and shelter.would_open(state, closed, action)):
                best, best_value = action, value

        for i, (direction, name) in enumerate(MOVE_ACTION.items()):
            if state.material(ahead(player.pos, direction)) != "lava":
                consider(name, 1.0 / (1.0 + self.counts[context(state, name)]) + jitter[i])
        consider("noop", 1.0 / (1.0 + self.counts[("noop",)]) + jitter[-1])
        for thing, (steps, first) in reach.things.items():
            for action in INTERACTIONS:
                consider(action if steps == 0 else first, self._interest(action, thing, stock, holds) * DISCOUNT ** steps)
        for stations, (steps, first) in reach.stations.items():
            for action in CRAFTS:
                consider(action if steps == 0 else first, self._interest(action, stations, stock, holds) * DISCOUNT ** steps)
        assert self.seen is not None
        frontier = reach.frontier(self.seen, VIEW)
        if frontier is not None:
            consider(frontier[1], FRONTIER * DISCOUNT ** frontier[0])
        return best

    def _interest(self, action: str, thing: Hashable, stock: tuple[int, ...], holds: tuple[int, ...]) -> float:
        """Novelty of the context, shared a little with the same action on the same thing
        under other inventories; once the pair's outcome has varied with the same items held
        (chance, not the inventory, at work), at least the uncertainty left in its most common
        outcome's chance over its tries with the items held now."""
        novelty = 1.0 / (1.0 + self.counts[(action, thing, stock)] + self.tries[(action, thing)] / SHARE)
        if (action, thing) not in self.random:
            return max(novelty, MISS ** self.tries[(action, thing)]) if action == "do" else novelty
        return max(novelty, self.measure * chance_spread(self.outcomes.get((action, thing, holds), Counter())))


def pair(state: WorldState, action: str) -> Hashable:
    """The context of ``action`` without the inventory: what the action is tried on."""
    return context(state, action)[:2]


def outcome(state: WorldState, next_state: WorldState) -> Hashable:
    """What an interaction changed: the stock items gained or lost, and the faced cell's
    material (creatures come and go on their own, so they are left out)."""
    before, after = state.player.inventory, next_state.player.inventory
    gained = tuple((item, after[item] - before[item]) for item in STOCK if after[item] != before[item])
    return gained, next_state.material(ahead(state.player.pos, state.player.facing))


def chance_spread(outcomes: Counter[Hashable]) -> float:
    """Posterior standard deviation of the chance of the most common outcome (uniform prior)."""
    total = sum(outcomes.values())
    a = max(outcomes.values(), default=0) + 1.0
    b = total - a + 2.0
    return float(np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1.0))))


def context(state: WorldState, action: str) -> Hashable:
    """The context of ``action`` in ``state`` (see the module docstring)."""
    player = state.player
    if action in MOVE_DIRECTION:
        return action, thing_at(state, ahead(player.pos, MOVE_DIRECTION[action]))
    if action in INTERACTIONS:
        return action, thing_at(state, ahead(player.pos, player.facing)), inventory_signature(state)
    if action in CRAFTS:
        return action, stations_around(state, player.pos), inventory_signature(state)
    return (action,)


def thing_at(state: WorldState, pos: Pos) -> str:
    """The creature kind on ``pos``, else its material (``"edge"`` outside the map)."""
    oid = state.object_at(pos)
    if oid is not None:
        return state.objects[oid].kind
    return state.material(pos) or "edge"


def inventory_signature(state: WorldState) -> tuple[int, ...]:
    """Each non-vital item's count as 0, 1, 2-3, 4-7 or 8-9 (its bit length)."""
    inventory = state.player.inventory
    return tuple(int(inventory[item]).bit_length() for item in STOCK)


def holding(state: WorldState) -> tuple[int, ...]:
    """Each stock item as none (0), some (1) or full (2): having it at all decides what a
    tool or ingredient allows, and a full stock is one no outcome can add to."""
    inventory = state.player.inventory
    return tuple(0 if inventory[item] == 0 else 2 if inventory[item] >= ITEM_MAX else 1 for item in STOCK)


def stations_around(state: WorldState, pos: Pos) -> tuple[str, ...]:
    """The crafting stations in the 3x3 block around ``pos``."""
    x, y = pos
    block = {state.material((x + dx, y + dy)) for dx in (-1, 0, 1) for dy in (-1, 0, 1)}
    return tuple(s for s in STATIONS if s in block)
