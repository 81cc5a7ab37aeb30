"""Crafter's schema and its rules: the names a state is made of, and ``Rules``, one value
holding every rule a world may change.

The schema (actions, materials, items, achievements, creature kinds, directions, what
creatures walk on, map characters, chunk size, ``ITEM_MAX``) is what every world shares. The
rules are data: what ``do`` collects, what placing and crafting cost, creature behaviour,
damages, vitals, the day, population balancing. They travel with the game in its
configuration, so ``step`` stays a function of the state. ``Rules.crafter()`` is Crafter
1.8.3 exactly; other worlds are built with ``Rules.replace`` or read with ``Rules.from_dict``,
both checked field by field.
"""

from __future__ import annotations

import functools
import json
import numbers
from dataclasses import dataclass
from typing import Any, Final, Mapping

from crafter_oo.rule_fields import (
    FrozenDict,
    RulesError,
    choice,
    choices,
    count,
    counts,
    merged,
    number,
    part,
    positive,
    probability,
    rate,
    read_part,
    rule,
    table,
    write_value,
)

ACTIONS: Final[tuple[str, ...]] = (
    "noop", "move_left", "move_right", "move_up", "move_down", "do", "sleep",
    "place_stone", "place_table", "place_furnace", "place_plant",
    "make_wood_pickaxe", "make_stone_pickaxe", "make_iron_pickaxe",
    "make_wood_sword", "make_stone_sword", "make_iron_sword",
)

# Material id 0 is "nothing" (outside the map); ids 1.. follow the game's material order.
MATERIALS: Final[tuple[str | None, ...]] = (
    None, "water", "grass", "stone", "path", "sand", "tree", "lava",
    "coal", "iron", "diamond", "table", "furnace",
)
MATERIAL_ID: Final[dict[str | None, int]] = {name: i for i, name in enumerate(MATERIALS)}

ITEMS: Final[tuple[str, ...]] = (
    "health", "food", "drink", "energy", "sapling", "wood", "stone", "coal", "iron",
    "diamond", "wood_pickaxe", "stone_pickaxe", "iron_pickaxe",
    "wood_sword", "stone_sword", "iron_sword",
)
ITEM_MAX: Final[int] = 9
VITALS: Final[tuple[str, ...]] = ("health", "food", "drink", "energy")
INITIAL_INVENTORY: Final[dict[str, int]] = {name: (9 if name in VITALS else 0) for name in ITEMS}

ACHIEVEMENTS: Final[tuple[str, ...]] = (
    "collect_coal", "collect_diamond", "collect_drink", "collect_iron", "collect_sapling",
    "collect_stone", "collect_wood", "defeat_skeleton", "defeat_zombie", "eat_cow",
    "eat_plant", "make_iron_pickaxe", "make_iron_sword", "make_stone_pickaxe",
    "make_stone_sword", "make_wood_pickaxe", "make_wood_sword", "place_furnace",
    "place_plant", "place_stone", "place_table", "wake_up",
)

CREATURE_KINDS: Final[tuple[str, ...]] = ("cow", "zombie", "skeleton", "arrow", "plant")

# Semantic-map ids: materials keep their ids, objects follow (player 13 ... plant 18).
SEMANTIC_OBJECT_ID: Final[dict[str, int]] = {
    "player": 13, "cow": 14, "zombie": 15, "skeleton": 16, "arrow": 17, "plant": 18,
}

DIRECTIONS: Final[tuple[tuple[int, int], ...]] = ((-1, 0), (1, 0), (0, -1), (0, 1))
MOVE_DIRECTION: Final[dict[str, tuple[int, int]]] = {
    "move_left": (-1, 0), "move_right": (1, 0), "move_up": (0, -1), "move_down": (0, 1),
}

WALKABLE: Final[frozenset[str]] = frozenset({"grass", "sand", "path"})
PLAYER_WALKABLE: Final[frozenset[str]] = WALKABLE | {"lava"}
ARROW_WALKABLE: Final[frozenset[str]] = WALKABLE | {"water", "lava"}

# The chunks population balancing works on; chunk keys are part of the state.
CHUNK_SIZE: Final[tuple[int, int]] = (12, 12)

# Names the rules refer to, all fixed by the schema above.
MATERIAL_NAMES: Final[tuple[str, ...]] = tuple(m for m in MATERIALS if m is not None)
PLACEABLE: Final[tuple[str, ...]] = tuple(a[len("place_"):] for a in ACTIONS if a.startswith("place_"))
CRAFTABLE: Final[tuple[str, ...]] = tuple(a[len("make_"):] for a in ACTIONS if a.startswith("make_"))
# Items ``do`` may give a material: each has its ``collect_<item>`` achievement.
COLLECTABLE: Final[tuple[str, ...]] = tuple(
    a[len("collect_"):] for a in ACHIEVEMENTS if a.startswith("collect_"))
# Creature kinds balanced per chunk, in the reference's order.
BALANCED_KINDS: Final[tuple[str, ...]] = ("zombie", "skeleton", "cow")
# What an arrow stops at (and may break): everything it cannot fly over.
ARROW_STOPPERS: Final[tuple[str, ...]] = tuple(m for m in MATERIAL_NAMES if m not in ARROW_WALKABLE)


# One printable character per material, used by the JSON map and the text view.
MATERIAL_CHAR: Final[dict[str | None, str]] = {
    None: "?", "water": "~", "grass": ".", "stone": "#", "path": "_", "sand": ":",
    "tree": "T", "lava": "%", "coal": "c", "iron": "i", "diamond": "d",
    "table": "t", "furnace": "f",
}
CHAR_MATERIAL_ID: Final[dict[str, int]] = {c: MATERIAL_ID[m] for m, c in MATERIAL_CHAR.items()}


def action_index(action: int | str) -> int:
    """The index of an action given by index or name; anything else is a ``ValueError``."""
    if isinstance(action, str):
        if action in ACTIONS:
            return ACTIONS.index(action)
    elif isinstance(action, numbers.Integral) and not isinstance(action, bool):
        if 0 <= int(action) < len(ACTIONS):
            return int(action)
    valid = ", ".join(f"{i}={name}" for i, name in enumerate(ACTIONS))
    raise ValueError(f"unknown action {action!r}; valid actions are {valid}")


# --- the rules ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Collect:
    """What ``do`` on a material needs, leaves behind, and gives with what probability."""

    require: FrozenDict[str, int] = rule(counts(ITEMS, "item"))
    receive: FrozenDict[str, int] = rule(counts(COLLECTABLE, "collectable item"))
    leaves: str = rule(choice(MATERIAL_NAMES, "material"))
    probability: float = rule(probability())


@dataclass(frozen=True, slots=True)
class Place:
    """What a ``place_*`` action consumes and on which materials it may put its result."""

    uses: FrozenDict[str, int] = rule(counts(ITEMS, "item"))
    where: tuple[str, ...] = rule(choices(MATERIAL_NAMES, "material"))


@dataclass(frozen=True, slots=True)
class Make:
    """A recipe: what it consumes, the stations needed in the 3x3 block, how many it makes."""

    uses: FrozenDict[str, int] = rule(counts(ITEMS, "item"))
    nearby: tuple[str, ...] = rule(choices(MATERIAL_NAMES, "station (a material)"))
    gives: int = rule(positive())


@dataclass(frozen=True, slots=True)
class Attack:
    """The damage the player's ``do`` deals a creature: the best weapon held, or bare hands."""

    unarmed: int = rule(count())
    weapons: FrozenDict[str, int] = rule(counts(ITEMS, "item"))

    def damage(self, inventory: Mapping[str, int]) -> int:
        return max([self.unarmed] + [value for item, value in self.weapons.items() if inventory[item]])


@dataclass(frozen=True, slots=True)
class CowRules:
    """Cows wander; killing one feeds the player."""

    health: int = rule(count())
    move_prob: float = rule(probability())
    food: int = rule(count())


@dataclass(frozen=True, slots=True)
class ZombieRules:
    """Zombies chase the player when near and hit when adjacent, harder on a sleeper."""

    health: int = rule(count())
    chase_dist: int = rule(count())
    chase_prob: float = rule(probability())
    long_axis_prob: float = rule(probability())
    attack_dist: int = rule(count())
    damage: int = rule(count())
    sleep_damage: int = rule(count())
    cooldown: int = rule(count())


@dataclass(frozen=True, slots=True)
class SkeletonRules:
    """Skeletons back off when close, shoot at mid range, approach from afar, else wander."""

    health: int = rule(count())
    flee_dist: int = rule(count())
    flee_long_axis_prob: float = rule(probability())
    shoot_dist: int = rule(count())
    shoot_prob: float = rule(probability())
    chase_dist: int = rule(count())
    chase_prob: float = rule(probability())
    chase_long_axis_prob: float = rule(probability())
    wander_prob: float = rule(probability())
    reload: int = rule(count())


@dataclass(frozen=True, slots=True)
class ArrowRules:
    """Arrows hurt what they hit; some materials they hit break into another."""

    health: int = rule(count())
    damage: int = rule(count())
    breaks: FrozenDict[str, str] = rule(table(ARROW_STOPPERS, "material that stops arrows",
                                              choice(MATERIAL_NAMES, "material")))


@dataclass(frozen=True, slots=True)
class PlantRules:
    """Saplings ripen after a number of updates, feed the player when ripe, and are trampled
    by an adjacent cow, zombie or skeleton."""

    health: int = rule(count())
    ripe_after: int = rule(count())
    food: int = rule(count())
    trample_damage: int = rule(count())


@dataclass(frozen=True, slots=True)
class Need:
    """Hunger or thirst: grows each step; above ``threshold`` it returns to ``reset`` and the
    item (food or drink) falls by 1. Eating a cow or drinking also returns it to ``reset``."""

    awake: float = rule(rate())
    asleep: float = rule(rate())
    threshold: float = rule(number())
    reset: float = rule(number())


@dataclass(frozen=True, slots=True)
class Fatigue:
    """Grows while awake, falls while asleep (never above ``asleep_ceiling``); above
    ``tired_above`` energy falls by 1, below ``rested_below`` it rises by 1."""

    awake: float = rule(rate())
    asleep: float = rule(rate())
    asleep_ceiling: float = rule(number())
    tired_above: float = rule(number())
    rested_below: float = rule(number())
    reset: float = rule(number())


@dataclass(frozen=True, slots=True)
class Recovery:
    """Grows while food, drink and energy (or sleep) last, else decays; above ``heal_above``
    health rises by 1, below ``hurt_below`` it falls by 1."""

    awake: float = rule(rate())
    asleep: float = rule(rate())
    decay_awake: float = rule(rate())
    decay_asleep: float = rule(rate())
    heal_above: float = rule(number())
    hurt_below: float = rule(number())
    reset: float = rule(number())


@dataclass(frozen=True, slots=True)
class Vitals:
    """The player's hidden counters: what drains food, drink and energy, and what heals."""

    hunger: Need = rule(part(Need))
    thirst: Need = rule(part(Need))
    fatigue: Fatigue = rule(part(Fatigue))
    recover: Recovery = rule(part(Recovery))


@dataclass(frozen=True, slots=True)
class Target:
    """A population target that moves with the light: ``base + per_daylight * daylight``."""

    base: float = rule(number())
    per_daylight: float = rule(number())

    def at(self, daylight: float) -> float:
        return self.base + self.per_daylight * daylight

    def check(self, path: str) -> None:
        """A target counts creatures, so it may not fall below 0 at any daylight in [0, 1]."""
        if self.base < 0 or self.base + self.per_daylight < 0:
            raise RulesError(f"a target counts creatures and may not fall below 0 for daylight in [0, 1]; "
                             f"got base {self.base:g} and per_daylight {self.per_daylight:g}", path)


@dataclass(frozen=True, slots=True)
class Population:
    """Balancing one creature kind per chunk: spawn on ``material`` toward the min target,
    despawn above the max target. A chunk with fewer than ``min_space`` cells of the
    material has a min target of 0 (so an empty chunk never spawns)."""

    material: str = rule(choice(MATERIAL_NAMES, "material"))
    spawn_dist: int = rule(count())
    despawn_dist: int = rule(count())
    spawn_prob: float = rule(probability())
    despawn_prob: float = rule(probability())
    min_space: int = rule(positive())
    min_target: Target = rule(part(Target))
    max_target: Target = rule(part(Target))

    def targets(self, space: int, daylight: float) -> tuple[float, float]:
        """The (min, max) creature count for a chunk with ``space`` cells of the material."""
        low = 0.0 if space < self.min_space else self.min_target.at(daylight)
        return low, self.max_target.at(daylight)


@dataclass(frozen=True, slots=True)
class Balance:
    """Population balancing, every ``every`` steps, of zombies, skeletons and cows."""

    every: int = rule(positive())
    zombie: Population = rule(part(Population))
    skeleton: Population = rule(part(Population))
    cow: Population = rule(part(Population))

    @property
    def populations(self) -> tuple[tuple[str, Population], ...]:
        """(kind, population) in the reference's balancing order."""
        return tuple((kind, getattr(self, kind)) for kind in BALANCED_KINDS)


@dataclass(frozen=True, slots=True)
class Rules:
    """Every rule a world may change, as one immutable value (see the module docstring).

    Build one with ``Rules.crafter()``, ``replace`` or ``from_dict``/``from_json``: each checks
    every field, so a ``Rules`` in hand is always valid.
    """

    collect: FrozenDict[str, Collect] = rule(table(MATERIAL_NAMES, "material", part(Collect)))
    place: FrozenDict[str, Place] = rule(table(PLACEABLE, "placeable", part(Place), complete=True))
    make: FrozenDict[str, Make] = rule(table(CRAFTABLE, "craftable tool", part(Make), complete=True))
    attack: Attack = rule(part(Attack))
    cow: CowRules = rule(part(CowRules))
    zombie: ZombieRules = rule(part(ZombieRules))
    skeleton: SkeletonRules = rule(part(SkeletonRules))
    arrow: ArrowRules = rule(part(ArrowRules))
    plant: PlantRules = rule(part(PlantRules))
    vitals: Vitals = rule(part(Vitals))
    day_length: int = rule(positive())
    balance: Balance = rule(part(Balance))

    @classmethod
    @functools.cache
    def crafter(cls) -> "Rules":
        """Crafter 1.8.3's rules (one shared instance)."""
        return cls.from_dict(CRAFTER)

    def health_of(self, kind: str) -> int:
        """The health a new creature of ``kind`` starts with."""
        if kind not in CREATURE_KINDS:
            raise ValueError(f"unknown creature kind {kind!r}; expected one of {list(CREATURE_KINDS)}")
        return getattr(self, kind).health

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data, the shape ``from_dict`` reads."""
        return write_value(self)

    @classmethod
    def from_dict(cls, data: Any) -> "Rules":
        """Rules from JSON data; a missing, unknown or bad field is a ``RulesError`` naming its path."""
        try:
            text = json.dumps(data, allow_nan=False)
        except (TypeError, ValueError):  # not JSON data at all: reading it names the bad field
            return read_part(cls, data, "")
        return _rules_from_text(text)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def from_json(cls, text: str) -> "Rules":
        return cls.from_dict(parse_json(text))

    def replace(self, changes: Mapping[str, Any] | None = None, /, **fields: Any) -> "Rules":
        """These rules with ``changes`` laid over them, checked like ``from_dict``.

        ``changes`` (and the keyword arguments, one per top-level field) state only what
        differs, in the shape of ``to_dict()``: objects merge key by key, ``None`` removes a
        table entry, anything else replaces. E.g.
        ``rules.replace(zombie={"damage": 3}, make={"wood_pickaxe": {"uses": {"stone": 1}}})``.
        """
        if changes is not None and not isinstance(changes, Mapping):
            raise RulesError(f"expected a mapping of changes, got {type(changes).__name__}")
        overlay = write_value({**(changes or {}), **fields})
        return Rules.from_dict(merged(self.to_dict(), overlay))


@functools.lru_cache(maxsize=64)
def _rules_from_text(text: str) -> Rules:
    """Rules from JSON text known to parse, remembered: every state loaded from a file reads
    its rules again, and they are nearly always the same few."""
    return read_part(Rules, json.loads(text), "")


def parse_json(text: str, source: str = "") -> Any:
    """JSON data from ``text``; malformed JSON is a ``RulesError`` naming line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise RulesError(f"not valid JSON ({error.msg})", f"line {error.lineno}, column {error.colno}",
                         source) from None


# Crafter 1.8.3 (crafter-spec §1.5-§2.6), in the shape ``Rules.from_dict`` reads.
CRAFTER: Final[dict[str, Any]] = {
    "collect": {
        "tree": {"require": {}, "receive": {"wood": 1}, "leaves": "grass", "probability": 1.0},
        "stone": {"require": {"wood_pickaxe": 1}, "receive": {"stone": 1}, "leaves": "path", "probability": 1.0},
        "coal": {"require": {"wood_pickaxe": 1}, "receive": {"coal": 1}, "leaves": "path", "probability": 1.0},
        "iron": {"require": {"stone_pickaxe": 1}, "receive": {"iron": 1}, "leaves": "path", "probability": 1.0},
        "diamond": {"require": {"iron_pickaxe": 1}, "receive": {"diamond": 1}, "leaves": "path",
                    "probability": 1.0},
        "water": {"require": {}, "receive": {"drink": 1}, "leaves": "water", "probability": 1.0},
        "grass": {"require": {}, "receive": {"sapling": 1}, "leaves": "grass", "probability": 0.1},
    },
    "place": {
        "stone": {"uses": {"stone": 1}, "where": ["water", "grass", "path", "sand", "lava"]},
        "table": {"uses": {"wood": 2}, "where": ["grass", "path", "sand"]},
        "furnace": {"uses": {"stone": 4}, "where": ["grass", "path", "sand"]},
        "plant": {"uses": {"sapling": 1}, "where": ["grass"]},
    },
    "make": {
        "wood_pickaxe": {"uses": {"wood": 1}, "nearby": ["table"], "gives": 1},
        "stone_pickaxe": {"uses": {"wood": 1, "stone": 1}, "nearby": ["table"], "gives": 1},
        "iron_pickaxe": {"uses": {"wood": 1, "coal": 1, "iron": 1}, "nearby": ["table", "furnace"], "gives": 1},
        "wood_sword": {"uses": {"wood": 1}, "nearby": ["table"], "gives": 1},
        "stone_sword": {"uses": {"wood": 1, "stone": 1}, "nearby": ["table"], "gives": 1},
        "iron_sword": {"uses": {"wood": 1, "coal": 1, "iron": 1}, "nearby": ["table", "furnace"], "gives": 1},
    },
    "attack": {"unarmed": 1, "weapons": {"wood_sword": 2, "stone_sword": 3, "iron_sword": 5}},
    "cow": {"health": 3, "move_prob": 0.5, "food": 6},
    "zombie": {"health": 5, "chase_dist": 8, "chase_prob": 0.9, "long_axis_prob": 0.8,
               "attack_dist": 1, "damage": 2, "sleep_damage": 7, "cooldown": 5},
    "skeleton": {"health": 3, "flee_dist": 3, "flee_long_axis_prob": 0.6, "shoot_dist": 5,
                 "shoot_prob": 0.5, "chase_dist": 8, "chase_prob": 0.3, "chase_long_axis_prob": 0.6,
                 "wander_prob": 0.2, "reload": 4},
    "arrow": {"health": 0, "damage": 2, "breaks": {"table": "path", "furnace": "path"}},
    "plant": {"health": 1, "ripe_after": 300, "food": 4, "trample_damage": 1},
    "vitals": {
        "hunger": {"awake": 1.0, "asleep": 0.5, "threshold": 25.0, "reset": 0.0},
        "thirst": {"awake": 1.0, "asleep": 0.5, "threshold": 20.0, "reset": 0.0},
        "fatigue": {"awake": 1.0, "asleep": 1.0, "asleep_ceiling": 0.0, "tired_above": 30.0,
                    "rested_below": -10.0, "reset": 0.0},
        "recover": {"awake": 1.0, "asleep": 2.0, "decay_awake": 1.0, "decay_asleep": 0.5,
                    "heal_above": 25.0, "hurt_below": -15.0, "reset": 0.0},
    },
    "day_length": 300,
    "balance": {
        "every": 10,
        "zombie": {"material": "grass", "spawn_dist": 6, "despawn_dist": 0, "spawn_prob": 0.3,
                   "despawn_prob": 0.4, "min_space": 50, "min_target": {"base": 3.5, "per_daylight": -3.0},
                   "max_target": {"base": 3.5, "per_daylight": -3.0}},
        "skeleton": {"material": "path", "spawn_dist": 7, "despawn_dist": 7, "spawn_prob": 0.1,
                     "despawn_prob": 0.1, "min_space": 6, "min_target": {"base": 1.0, "per_daylight": 0.0},
                     "max_target": {"base": 2.0, "per_daylight": 0.0}},
        "cow": {"material": "grass", "spawn_dist": 5, "despawn_dist": 5, "spawn_prob": 0.01,
                "despawn_prob": 0.1, "min_space": 30, "min_target": {"base": 1.0, "per_daylight": 0.0},
                "max_target": {"base": 1.5, "per_daylight": 1.0}},
    },
}
