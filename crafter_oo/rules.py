"""Crafter 1.8.3's game tables as data: actions, materials, items, recipes, balance targets.

Every rule that is a table in the original (its ``data.yaml``) is a table here too, so the
step logic reads like the game's rulebook and a recipe change is a data change.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Final

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


@dataclass(frozen=True, slots=True)
class Collect:
    """What ``do`` on a material needs, gives, and leaves behind."""

    require: dict[str, int]
    receive: dict[str, int]
    leaves: str
    probability: float = 1.0


COLLECT: Final[dict[str, Collect]] = {
    "tree": Collect({}, {"wood": 1}, "grass"),
    "stone": Collect({"wood_pickaxe": 1}, {"stone": 1}, "path"),
    "coal": Collect({"wood_pickaxe": 1}, {"coal": 1}, "path"),
    "iron": Collect({"stone_pickaxe": 1}, {"iron": 1}, "path"),
    "diamond": Collect({"iron_pickaxe": 1}, {"diamond": 1}, "path"),
    "water": Collect({}, {"drink": 1}, "water"),
    "grass": Collect({}, {"sapling": 1}, "grass", probability=0.1),
}


@dataclass(frozen=True, slots=True)
class Place:
    """What a ``place_*`` action consumes and where it may put its result."""

    uses: dict[str, int]
    where: frozenset[str]
    is_object: bool


PLACE: Final[dict[str, Place]] = {
    "stone": Place({"stone": 1}, frozenset({"grass", "sand", "path", "water", "lava"}), False),
    "table": Place({"wood": 2}, frozenset({"grass", "sand", "path"}), False),
    "furnace": Place({"stone": 4}, frozenset({"grass", "sand", "path"}), False),
    "plant": Place({"sapling": 1}, frozenset({"grass"}), True),
}


@dataclass(frozen=True, slots=True)
class Make:
    """A crafting recipe: inputs, stations required in the 3x3 block, and output count."""

    uses: dict[str, int]
    nearby: tuple[str, ...]
    gives: int = 1


MAKE: Final[dict[str, Make]] = {
    "wood_pickaxe": Make({"wood": 1}, ("table",)),
    "stone_pickaxe": Make({"wood": 1, "stone": 1}, ("table",)),
    "iron_pickaxe": Make({"wood": 1, "coal": 1, "iron": 1}, ("table", "furnace")),
    "wood_sword": Make({"wood": 1}, ("table",)),
    "stone_sword": Make({"wood": 1, "stone": 1}, ("table",)),
    "iron_sword": Make({"wood": 1, "coal": 1, "iron": 1}, ("table", "furnace")),
}

CREATURE_HEALTH: Final[dict[str, int]] = {"cow": 3, "zombie": 5, "skeleton": 3, "arrow": 0, "plant": 1}

# Creature behaviour constants (crafter-spec §2).
COW_MOVE_PROB: Final[float] = 0.5
ZOMBIE_NEAR: Final[int] = 8
ZOMBIE_CHASE_PROB: Final[float] = 0.9
ZOMBIE_LONG_AXIS_PROB: Final[float] = 0.8
ZOMBIE_DAMAGE: Final[int] = 2
ZOMBIE_SLEEP_DAMAGE: Final[int] = 7
ZOMBIE_COOLDOWN: Final[int] = 5
SKELETON_FLEE_DIST: Final[int] = 3
SKELETON_SHOOT_DIST: Final[int] = 5
SKELETON_CHASE_DIST: Final[int] = 8
SKELETON_FLEE_LONG_AXIS_PROB: Final[float] = 0.6
SKELETON_SHOOT_PROB: Final[float] = 0.5
SKELETON_CHASE_PROB: Final[float] = 0.3
SKELETON_WANDER_PROB: Final[float] = 0.2
SKELETON_RELOAD: Final[int] = 4
ARROW_DAMAGE: Final[int] = 2
PLANT_RIPE_AFTER: Final[int] = 300
EAT_PLANT_FOOD: Final[int] = 4
EAT_COW_FOOD: Final[int] = 6
SWORD_DAMAGE: Final[tuple[tuple[str, int], ...]] = (
    ("wood_sword", 2), ("stone_sword", 3), ("iron_sword", 5),
)

CHUNK_SIZE: Final[tuple[int, int]] = (12, 12)
DAY_LENGTH: Final[int] = 300
BALANCE_EVERY: Final[int] = 10


@dataclass(frozen=True, slots=True)
class Balance:
    """Population balancing of one creature kind per chunk (crafter-spec §2.6)."""

    kind: str
    material: str
    spawn_dist: int
    despawn_dist: int
    spawn_prob: float
    despawn_prob: float

    def targets(self, space: int, daylight: float) -> tuple[float, float]:
        """The (min, max) creature count for a chunk with ``space`` cells of the material."""
        if self.kind == "zombie":
            return (0 if space < 50 else 3.5 - 3 * daylight), 3.5 - 3 * daylight
        if self.kind == "skeleton":
            return (0 if space < 6 else 1), 2
        return (0 if space < 30 else 1), 1.5 + daylight


BALANCE: Final[tuple[Balance, ...]] = (
    Balance("zombie", "grass", 6, 0, 0.3, 0.4),
    Balance("skeleton", "path", 7, 7, 0.1, 0.1),
    Balance("cow", "grass", 5, 5, 0.01, 0.1),
)


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
