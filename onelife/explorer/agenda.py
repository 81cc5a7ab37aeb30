"""The day's agenda: the most worthwhile thing to do when nothing presses.

Options, each worth discounted by the walk to it: an experiment (a thing never hit, an
action in a context untried or a chance unmeasured; making things by a station it made is
weighted up), keeping at a creature it just hit, a stock of everything it learned to obtain
(a full one of what gets used up, one of a product, a few of the rest), topping up a need
(worth the square of its shortfall), the makings of walls and a home for the night, and
walking to where unseen cells come into view. An urgent need with no known remedy makes
the unknown worth more and leaves out everything else; a low need holds experiments back.
The last choice is kept unless another is clearly better, and when nothing within reach
is worth a step it digs toward what it cannot reach.
"""

from __future__ import annotations

import numpy as np

from crafter_oo.geometry import MOVE_ACTION
from crafter_oo.rules import MATERIALS
from crafter_oo.state import Pos
from onelife.explorer.curiosity import frontier, holdings_signature
from onelife.explorer.experiments import EXPERIMENT, STOCK, Experiments
from onelife.explorer.knowledge import INTERACTIONS, NEEDS, Knowledge
from onelife.explorer.navigation import MOVES, shifted
from onelife.explorer.nights import BEFORE_NIGHT, DISCOUNT, Nights
from onelife.explorer.perception import Observation, material_name
from onelife.explorer.planning import Planner
from onelife.explorer.situation import Situation

EXPLORE_DISCOUNT = 0.97  # worth kept per step of walking to unseen places (far ones are worth the walk)
STATION = 6.0  # weight of trying to make things by a made thing (the way to items never held)
STOCK_WORTH = 2.0  # worth of a stock of an item it knows a use for (scaled by how short of it it is)
SPARE_WORTH = 1.0  # the same for an item it knows no use for yet
TOP_UP = 4.0  # worth of topping up an empty need (scaled by the square of how far from full it is)
FRONTIER = 0.4  # worth of a view that is all new
SEEKING = 2.0  # the unknown's worth grows by this times the shortfall of a need it knows no way to meet
HOME_WORTH = 0.8  # worth of making a home (a room to close at night) when it has none within reach
STOCK_SHARE = 1.0  # share of the largest count it wants of an item that gets used up
SMALL_STOCK = 1 / 3  # share of the largest count it wants of an item it can collect but knows no use for
PERSIST = 1.0  # worth of hitting again a creature that took a hit without showing anything
PATIENCE = 6  # hits in a row on one creature before it gives up on it
CHASE = 3  # steps it walks to try something on a creature (unless a need is pressing)
KEEP = 1.5  # the last choice is worth this much more (it sticks to a plan unless another is much better)
STUCK = 0.05  # best worth in reach below which it digs its way toward what it cannot reach
NEARBY = 1  # steps it walks to try placing or making (only hitting is worth a walk to a new thing)
BOLD = 2 / 3  # health at this share of its largest count lets it go and try things on what hurts it


class Agenda:
    """Chooses among the day's options (see the module docstring)."""

    def __init__(self, knowledge: Knowledge, experiments: Experiments, nights: Nights) -> None:
        self.knowledge, self.experiments, self.nights = knowledge, experiments, nights
        self.intent = ""  # the last choice
        self.options: list[tuple[float, str, str]] = []  # the best options last considered, for people
        self.why = ""

    def choose(self, obs: Observation, situation: Situation, planner: Planner, rng: np.random.Generator,
               seeking: str | None) -> str:
        """The first action of the most worthwhile option (``seeking``: an urgent need with no
        known remedy)."""
        k, experiments = self.knowledge, self.experiments
        cap = k.cap()
        options: list[tuple[float, str, str]] = []
        signature = holdings_signature(obs.inventory, cap)
        shortfall = 0.0  # the largest shortfall of a need it knows no reachable way to meet
        unmet = []  # needs with room to gain and no known reachable way to gain them
        for need in NEEDS:
            known = k.can_sleep() if need == "energy" else planner.achieve(("+", need)) is not None
            if not known:
                shortfall = max(shortfall, (cap - obs.inventory[need]) / cap)
                if need != "energy" and obs.inventory[need] < cap:
                    unmet.append(need)
        eager = 1.0 + SEEKING * shortfall  # an unmet need makes the unknown (things and places) worth more
        comfort = min(1.0, *(obs.inventory[need] / (cap * BEFORE_NIGHT) for need in ("food", "drink")))
        persist = self.persist(obs, situation)
        if persist is not None:
            options.append((PERSIST * eager, persist, "keep hitting"))
        hostile = k.hostile()
        bold = obs.inventory["health"] >= cap * BOLD and not self.nights.dangerous(obs)
        creature_kinds = {c.kind for c in situation.creatures.values()} | {"ripe plant"}
        for thing, (moves, stand, first) in self.reachable_things(situation).items():
            if thing in hostile and not (bold and k.harm.source(thing) is None):
                continue  # what hurts it is faced only when it comes (and not at all what it shoots)
            if not bold and thing in creature_kinds and k.harm.harmed[("near", thing, 1)] and not k.harm.harmless(thing):
                continue  # hurt, it keeps away from any kind it was ever hurt beside, until shown harmless
            if thing in creature_kinds and moves > CHASE and not (eager > 1.0 and thing not in hostile):
                continue  # creatures wander off: chased far only when a need is pressing
            made_near = k.made_near(situation, stand)
            for action in INTERACTIONS:
                if action != "do" and moves > NEARBY:
                    continue  # placing and making depend on what it holds, which it carries everywhere
                if action.startswith("place_") and moves == 0 and self.nights.walls_in(situation, obs.ahead):
                    continue
                worth = experiments.worth(action, thing, signature, made_near, planner, stand)
                if (action == "do" and k.curiosity.tried("do", thing, made_near) == 0) or \
                        experiments.may_hide_gain(action, thing, obs) or \
                        (action == "do" and any(not k.curiosity.tried_with_room("do", thing, need) for need in unmet)):
                    worth *= eager  # an unmet need makes things never hit (or never hit with room for it) worth more
                elif seeking is not None:
                    continue  # a need that cannot wait: only what might meet it
                else:
                    worth *= comfort  # other experiments wait while a need runs low
                options.append((worth * DISCOUNT ** moves, action if moves == 0 else first, f"try {action} on {thing}"))
        for stand, (moves, first) in (self.stations(situation) if seeking is None else {}).items():
            made_near = k.made_near(situation, stand)
            for action in (a for a in INTERACTIONS if a.startswith("make_")):
                worth = STATION * experiments.worth(action, obs.thing(obs.ahead), signature, made_near, planner, stand) * comfort
                options.append((worth * DISCOUNT ** moves, action if moves == 0 else first,
                                f"try {action} by {sorted(made_near)}"))
        options.append((EXPERIMENT * 0.5 * k.curiosity.surprise("noop", None, experiments.needs_room(obs), frozenset()),
                        "noop", "try noop"))
        for item in STOCK if seeking is None else ():  # a need that cannot wait comes before stocks
            wanted = self.wanted(item)
            if obs.inventory[item] >= wanted:
                continue
            step = planner.achieve(("+", item))
            if step is not None:
                used = any(("-", item) in effect.components for effect, _ in k.effects.effects())
                worth = (STOCK_WORTH if used else SPARE_WORTH) * (wanted - obs.inventory[item]) / wanted
                options.append((worth * DISCOUNT ** step.cost, step.action, f"stock {item}: {step.why}"))
        for need in NEEDS:
            if need == "energy" or obs.inventory[need] >= cap:
                continue
            step = planner.achieve(("+", need))
            if step is not None:
                worth = TOP_UP * (cap - obs.inventory[need]) / cap
                options.append((worth * DISCOUNT ** step.cost, step.action, f"top up {need}: {step.why}"))
        if seeking is None:
            options += self.nights.reserve(obs, planner)
            home = self.nights.homemaking(obs, situation)
            if home is not None:
                options.append((HOME_WORTH, home, self.nights.why))
        found = frontier(situation.routes, situation.unknown(), obs.materials.shape, EXPLORE_DISCOUNT)
        if found is not None:
            options.append((FRONTIER * eager * found[0], found[1], "exploring"))
        jitter = rng.random(len(options)) * 1e-9
        options = [(worth * (KEEP if why == self.intent else 1.0), action, why) for worth, action, why in options]
        self.options = sorted(options, reverse=True)[:6]
        best = max(range(len(options)), key=lambda k: options[k][0] + jitter[k])
        worth, action, self.why = options[best]
        self.intent = self.why  # kept a little longer: walking toward one thing, then another, gets nowhere
        if worth < STUCK:  # nothing worth a step within reach: open a wall toward what it cannot reach
            dig = self.dig_out(situation)
            if dig is not None:
                return dig
        return action

    def dig_out(self, situation: Situation) -> str | None:
        """Face and open the nearest wall it can open (``do``) that has something it cannot
        reach behind it, preferring walls near the unknown: the way out of a dead end."""
        openable = [m for m in range(len(MATERIALS)) if self.knowledge.opens_material(situation, m)]
        if not openable:
            return None
        reached = situation.routes.dist >= 0
        walls = np.isin(situation.memory.materials, openable) & ~situation.occupied
        beyond = np.zeros(walls.shape, dtype=bool)
        for _, direction in MOVES:
            beyond |= ~shifted(reached, direction, True)
        near_unknown = situation.unknown()
        for _ in range(3):
            near_unknown = near_unknown | shifted(near_unknown, (1, 0), False) | shifted(near_unknown, (-1, 0), False) \
                | shifted(near_unknown, (0, 1), False) | shifted(near_unknown, (0, -1), False)
        route = situation.routes.nearest_facing(walls & beyond & near_unknown, situation.blocking())
        if route is None:
            route = situation.routes.nearest_facing(walls & beyond, situation.blocking())
        if route is None:
            return None
        self.why = "digging toward the unreachable"
        return "do" if route[3] == "noop" else route[3]

    def persist(self, obs: Observation, situation: Situation) -> str | None:
        """Keep hitting a creature it just hit, following it a step or two when it moves, up
        to ``PATIENCE`` hits: a creature may need several (its state is hidden) before
        anything shows."""
        hits = self.knowledge.hits
        if hits is None or hits[2] >= PATIENCE:
            return None
        kind, pos, _ = hits
        near = [c for c in obs.creatures if c.kind == kind and abs(c.pos[0] - pos[0]) + abs(c.pos[1] - pos[1]) <= 2]
        if not near:
            return None
        target = min(near, key=lambda c: (abs(c.pos[0] - obs.pos[0]) + abs(c.pos[1] - obs.pos[1]), c.pos))
        if abs(target.pos[0] - obs.pos[0]) + abs(target.pos[1] - obs.pos[1]) == 1:
            direction = (target.pos[0] - obs.pos[0], target.pos[1] - obs.pos[1])
            return "do" if direction == obs.facing else MOVE_ACTION[direction]
        cells = np.zeros(situation.floor.shape, dtype=bool)
        cells[situation.memory.index(target.pos)] = True
        route = situation.routes.nearest_facing(cells, situation.blocking())
        return None if route is None or route[0] > CHASE else route[3]

    def wanted(self, item: str) -> int:
        """How many of ``item`` it wants: a full stock of what some effect uses up; one of a
        product (made by using other things up: a tool, a trophy) that nothing uses up; and a
        small stock of anything else it can collect (until it learns a use for it)."""
        cap = self.knowledge.cap()
        effects = [effect for effect, _ in self.knowledge.effects.effects()]
        if any(("-", item) in effect.components for effect in effects):
            return max(1, int(cap * STOCK_SHARE))
        made = any(("+", item) in e.components and any(s == "-" for s, _ in e.components) for e in effects)
        return 1 if made else max(1, int(cap * SMALL_STOCK))

    @staticmethod
    def reachable_things(situation: Situation) -> dict[str, tuple[int, Pos, str]]:
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

    def stations(self, situation: Situation) -> dict[Pos, tuple[int, str]]:
        """Nearest cells beside each material it made (and beside all of them at once)."""
        made = sorted(self.knowledge.made())
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
