"""Options: temporally extended actions on the symbolic state, usable in any world model.

An option is a small policy object: ``act(state)`` returns the next primitive action, or
``None`` once the option has finished or failed. Options read only what every model
predicts (the map, the objects, the player's inventory and achievements); they never ask
the model what will happen, so a planner can try them in the true game, a learned model or
the null model alike. They walk with ``crafter_oo.skills.navigation``.

An option keeps a little memory of its own run (where it started, its target, its step
count). Treat the object you build as a specification: ``fresh()`` gives an unstarted copy,
and ``Chain`` and the planners always run fresh copies.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from crafter_oo.geometry import MOVE_ACTION, ahead, distance
from crafter_oo.rules import (
    CRAFTABLE,
    CREATURE_KINDS,
    DIRECTIONS,
    MATERIAL_NAMES,
    MATERIALS,
    MOVE_DIRECTION,
    PLACEABLE,
    WALKABLE,
)
from crafter_oo.skills.navigation import (
    Goal,
    creature_goal,
    material_goal,
    occupied,
    path_to,
    station_goal,
)
from crafter_oo.state import Pos, WorldState


@dataclass(kw_only=True)
class Option:
    """Base of all options: a step budget and the bookkeeping of one run."""

    max_steps: int = 50
    reach: int = 20
    steps_taken: int = field(default=0, init=False, repr=False)

    @property
    def name(self) -> str:
        """A short readable name, e.g. ``collect(tree)``."""
        return type(self).__name__.lower()

    def fresh(self) -> "Option":
        """An unstarted copy of this option (same settings, no memory)."""
        return dataclasses.replace(self)

    def act(self, state: WorldState) -> str | None:
        """The next primitive action, or None when the option has finished or failed."""
        if self.steps_taken >= self.max_steps:
            return None
        action = self.decide(state)
        if action is not None:
            self.steps_taken += 1
        return action

    def decide(self, state: WorldState) -> str | None:
        """The option's own policy; subclasses implement it."""
        raise NotImplementedError

    def first_move(self, state: WorldState, goal: Goal) -> str | None:
        """The first move of the shortest path to ``goal``; None if there or unreachable."""
        path = path_to(state, goal, self.reach)
        return path[0] if path else None


@dataclass
class GoTo(Option):
    """Walk to the nearest tile of a material or creature of a kind, and face it."""

    target: str

    def __post_init__(self) -> None:
        _check_target(self.target)

    @property
    def name(self) -> str:
        return f"go_to({self.target})"

    def decide(self, state: WorldState) -> str | None:
        if self.target in CREATURE_KINDS:
            goal = creature_goal(state, lambda oid: state.objects[oid].kind == self.target)
        else:
            goal = material_goal(state, [self.target], self.reach)
        return self.first_move(state, goal)


@dataclass
class Collect(Option):
    """Go to the nearest tile of a material and ``do`` on it until its item is collected.

    Finished when the achievement count for what the world's rules say the material gives
    rises (so a full inventory still counts), or at once where the material gives nothing;
    the option does not check tools, so the model decides whether it works.
    """

    material: str
    start_count: int | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.material not in MATERIAL_NAMES:
            raise ValueError(f"Collect: unknown material {self.material!r}; expected one of {MATERIAL_NAMES}")

    @property
    def name(self) -> str:
        return f"collect({self.material})"

    def decide(self, state: WorldState) -> str | None:
        rule = state.config.rules.collect.get(self.material)
        if rule is None:
            return None
        count = sum(state.player.achievements[f"collect_{item}"] for item in rule.receive)
        if self.start_count is None:
            self.start_count = count
        elif count > self.start_count:
            return None
        goal = material_goal(state, [self.material], self.reach)
        if goal.reached(state.player.pos, state.player.facing):
            return "do"
        return self.first_move(state, goal)


@dataclass
class Attack(Option):
    """Chase the nearest creature of a kind and hit it until it is gone (eat a cow, kill a zombie)."""

    kind: str
    target: int | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in CREATURE_KINDS:
            raise ValueError(f"Attack: unknown creature kind {self.kind!r}; expected one of {CREATURE_KINDS}")

    @property
    def name(self) -> str:
        return f"attack({self.kind})"

    def decide(self, state: WorldState) -> str | None:
        if self.target is None:
            path = path_to(state, creature_goal(state, lambda oid: state.objects[oid].kind == self.kind),
                           self.reach)
            if path is None:
                return None
            self.target = _object_reached(state, path)
        if self.target not in state.objects:
            return None
        goal = creature_goal(state, lambda oid: oid == self.target)
        if goal.reached(state.player.pos, state.player.facing):
            return "do"
        return self.first_move(state, goal)


def _object_reached(state: WorldState, path: Sequence[str]) -> int:
    """The object the player would face after walking ``path`` on the current map."""
    pos, facing = state.player.pos, state.player.facing
    blocked = occupied(state)
    for action in path:
        facing = MOVE_DIRECTION[action]
        target = ahead(pos, facing)
        if target not in blocked and state.material(target) in WALKABLE:
            pos = target
    oid = state.object_at(ahead(pos, facing))
    assert oid is not None, "path_to returned a path that does not end facing an object"
    return oid


@dataclass
class ActOnce(Option):
    """Walk until ``goal`` is reached, then press ``action`` once: crafting and placing."""

    done: bool = field(default=False, init=False, repr=False)

    def goal(self, state: WorldState) -> Goal:
        """Where the player must stand and face; subclasses implement it."""
        raise NotImplementedError

    @property
    def action(self) -> str:
        """The primitive action pressed once the goal is reached; subclasses implement it."""
        raise NotImplementedError

    def decide(self, state: WorldState) -> str | None:
        if self.done:
            return None
        goal = self.goal(state)
        if goal.reached(state.player.pos, state.player.facing):
            self.done = True
            return self.action
        return self.first_move(state, goal)


@dataclass
class Craft(ActOnce):
    """Walk next to the stations a recipe needs (table, furnace) and make the item once."""

    item: str

    def __post_init__(self) -> None:
        if self.item not in CRAFTABLE:
            raise ValueError(f"Craft: unknown recipe {self.item!r}; expected one of {CRAFTABLE}")

    @property
    def name(self) -> str:
        return f"craft({self.item})"

    @property
    def action(self) -> str:
        return f"make_{self.item}"

    def goal(self, state: WorldState) -> Goal:
        return station_goal(state, state.config.rules.make[self.item].nearby, self.reach)


@dataclass
class Place(ActOnce):
    """Face a cell where the thing may go (walking there if needed) and place it once."""

    what: str

    def __post_init__(self) -> None:
        if self.what not in PLACEABLE:
            raise ValueError(f"Place: cannot place {self.what!r}; expected one of {PLACEABLE}")

    @property
    def name(self) -> str:
        return f"place({self.what})"

    @property
    def action(self) -> str:
        return f"place_{self.what}"

    def goal(self, state: WorldState) -> Goal:
        return material_goal(state, state.config.rules.place[self.what].where, self.reach)


@dataclass
class Sleep(Option):
    """Lie down and sleep until the player wakes up (rested, or woken by harm)."""

    max_steps: int = field(default=250, kw_only=True)
    asked: bool = field(default=False, init=False, repr=False)
    slept: bool = field(default=False, init=False, repr=False)

    def decide(self, state: WorldState) -> str | None:
        if state.player.sleeping:
            self.slept = True
            return "sleep"
        if self.slept or self.asked:
            return None  # woke up, or the model did not let the player fall asleep
        self.asked = True
        return "sleep"


@dataclass
class Flee(Option):
    """Step away from the nearest creatures of a kind until they are ``distance`` away."""

    kind: str
    distance: int = 6
    max_steps: int = field(default=20, kw_only=True)

    def __post_init__(self) -> None:
        if self.kind not in CREATURE_KINDS:
            raise ValueError(f"Flee: unknown creature kind {self.kind!r}; expected one of {CREATURE_KINDS}")

    @property
    def name(self) -> str:
        return f"flee({self.kind})"

    def decide(self, state: WorldState) -> str | None:
        threats = [obj.pos for _, obj in state.creatures(self.kind)]
        here = state.player.pos

        def safety(pos: Pos) -> int:
            return min((distance(pos, threat) for threat in threats), default=self.distance)

        if safety(here) >= self.distance:
            return None
        blocked = occupied(state)
        best_action, best_safety = None, safety(here)
        for direction in DIRECTIONS:
            target = ahead(here, direction)
            if target not in blocked and state.material(target) in WALKABLE and safety(target) > best_safety:
                best_action, best_safety = MOVE_ACTION[direction], safety(target)
        return best_action


@dataclass
class Walk(Option):
    """Walk up to ``steps`` cells in one direction (to explore); stops early when blocked."""

    direction: str
    steps: int = 5
    last_pos: Pos | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.direction not in MOVE_DIRECTION:
            raise ValueError(f"Walk: unknown direction {self.direction!r}; expected one of {sorted(MOVE_DIRECTION)}")

    @property
    def name(self) -> str:
        return f"walk({self.direction[len('move_'):]})"

    def decide(self, state: WorldState) -> str | None:
        if self.steps_taken >= self.steps or state.player.pos == self.last_pos:
            return None
        if state.material(ahead(state.player.pos, MOVE_DIRECTION[self.direction])) not in WALKABLE:
            return None
        self.last_pos = state.player.pos
        return self.direction


@dataclass
class Wait(Option):
    """Do nothing for ``steps`` steps."""

    steps: int = 10

    @property
    def name(self) -> str:
        return f"wait({self.steps})"

    def decide(self, state: WorldState) -> str | None:
        return "noop" if self.steps_taken < self.steps else None


@dataclass
class Chain(Option):
    """Run options one after another (a strategy); a failed option just hands over to the next."""

    options: tuple[Option, ...]
    max_steps: int = field(default=10_000, kw_only=True)
    index: int = field(default=0, init=False, repr=False)
    current: Option | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.options = tuple(self.options)
        if not self.options:
            raise ValueError("Chain: needs at least one option")

    @property
    def name(self) -> str:
        return " > ".join(option.name for option in self.options)

    def decide(self, state: WorldState) -> str | None:
        while self.index < len(self.options):
            if self.current is None:
                self.current = self.options[self.index].fresh()
            action = self.current.act(state)
            if action is not None:
                return action
            self.index, self.current = self.index + 1, None
        return None


def _check_target(target: str) -> None:
    if target not in CREATURE_KINDS and target not in MATERIALS:
        raise ValueError(f"GoTo: unknown target {target!r}; expected a creature kind {CREATURE_KINDS} "
                         f"or a material {[m for m in MATERIALS if m]}")


def crafter_options(materials: Iterable[str] = ("tree", "stone", "coal", "iron", "diamond", "water", "grass"),
                    ) -> tuple[Option, ...]:
    """The option set a planner uses in full Crafter: collect, hunt, fight, place, craft, sleep, explore."""
    return (
        *(Collect(material) for material in materials),
        Attack("cow"), Attack("zombie"), Attack("skeleton"),
        *(Place(what) for what in PLACEABLE),
        *(Craft(item) for item in CRAFTABLE),
        Sleep(), Flee("zombie"),
        *(Walk(direction) for direction in MOVE_DIRECTION),
    )

