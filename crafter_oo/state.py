"""The complete, symbolic state of a Crafter episode as one value.

A ``WorldState`` holds everything the game needs to continue: the player, every object
keyed by its creation index, the material grid, the clock, the chunk keys, the reward
bookkeeping and the random generator. States are immutable in practice: ``step`` and the
editing helpers return new states and never modify their inputs.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterator, Union

import numpy as np

from crafter_oo.geometry import ChunkKey, chunk_key
from crafter_oo.inputs import InputError
from crafter_oo.rules import (
    ACHIEVEMENTS,
    CHAR_MATERIAL_ID,
    CHUNK_SIZE,
    CREATURE_KINDS,
    INITIAL_INVENTORY,
    ITEM_MAX,
    ITEMS,
    MATERIAL_CHAR,
    MATERIALS,
    Rules,
    RulesError,
)

Pos = tuple[int, int]
FORMAT = "crafter_oo.WorldState/2"
FORMAT_WITHOUT_RULES = "crafter_oo.WorldState/1"  # older files: Crafter's rules implied
# Creatures built without a health get Crafter's; the game itself always passes its rules'.
_CRAFTER = Rules.crafter()


class StateFormatError(InputError):
    """A serialised state is missing a field or holds a value of the wrong shape."""


@dataclass(frozen=True, slots=True)
class GameConfig:
    """The constructor arguments of ``crafter.Env`` that shape the game, and its rules."""

    area: Pos = (64, 64)
    view: Pos = (9, 9)
    size: Pos = (64, 64)
    length: int | None = 10000
    rules: Rules = field(default_factory=Rules.crafter)

    @property
    def update_radius(self) -> int:
        """Objects whose L1 distance to the player is below this are updated each step."""
        return 2 * max(self.view)

    @property
    def night_noise_shape(self) -> Pos:
        """Shape of the per-pixel noise the reference draws when rendering at night."""
        unit = (self.size[0] // self.view[0], self.size[1] // self.view[1])
        item_rows = -(-len(ITEMS) // self.view[0])
        return self.view[0] * unit[0], (self.view[1] - item_rows) * unit[1]


@dataclass(frozen=True, slots=True)
class RngState:
    """The full state of the game's legacy ``np.random.RandomState`` (MT19937)."""

    key: np.ndarray
    pos: int
    has_gauss: int = 0
    cached_gaussian: float = 0.0

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RngState):
            return NotImplemented
        return (self.pos == other.pos and self.has_gauss == other.has_gauss
                and self.cached_gaussian == other.cached_gaussian
                and np.array_equal(self.key, other.key))

    __hash__ = None  # type: ignore[assignment]

    @classmethod
    def capture(cls, rng: np.random.RandomState) -> "RngState":
        """Snapshot a live generator."""
        _, key, pos, has_gauss, cached = rng.get_state()
        key.flags.writeable = False
        return cls(key, int(pos), int(has_gauss), float(cached))

    def restore_into(self, rng: np.random.RandomState) -> np.random.RandomState:
        """Put this state into ``rng`` (which is modified) and return it."""
        rng.set_state(("MT19937", self.key, self.pos, self.has_gauss, self.cached_gaussian))
        return rng

    def generator(self) -> np.random.RandomState:
        """A fresh generator in this state."""
        return self.restore_into(np.random.RandomState(0))

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key.astype("<u4").tobytes().hex(), "pos": self.pos,
                "has_gauss": self.has_gauss, "cached_gaussian": self.cached_gaussian}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RngState":
        raw = bytes.fromhex(_field(data, "key", str, "rng"))
        if len(raw) != 624 * 4:
            raise StateFormatError(f"rng.key: expected 624 32-bit words, got {len(raw) / 4:g}")
        key = np.frombuffer(raw, dtype="<u4").astype(np.uint32)
        key.flags.writeable = False
        return cls(key, _field(data, "pos", int, "rng"), _field(data, "has_gauss", int, "rng"),
                   float(_field(data, "cached_gaussian", (int, float), "rng")))


@dataclass(slots=True)
class Player:
    """The player (always object 1): position, facing, inventory and hidden counters."""

    kind: ClassVar[str] = "player"
    pos: Pos
    facing: Pos = (0, 1)
    inventory: dict[str, int] = field(default_factory=lambda: dict(INITIAL_INVENTORY))
    achievements: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACHIEVEMENTS, 0))
    sleeping: bool = False
    hunger: float = 0.0
    thirst: float = 0.0
    fatigue: float = 0.0
    recover: float = 0.0
    last_health: int = 9

    @property
    def health(self) -> int:
        return self.inventory["health"]

    def clone(self) -> "Player":
        return Player(self.pos, self.facing, dict(self.inventory), dict(self.achievements),
                      self.sleeping, self.hunger, self.thirst, self.fatigue, self.recover,
                      self.last_health)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "player", "pos": list(self.pos), "facing": list(self.facing),
                "inventory": dict(self.inventory), "achievements": dict(self.achievements),
                "sleeping": self.sleeping, "hunger": self.hunger, "thirst": self.thirst,
                "fatigue": self.fatigue, "recover": self.recover,
                "last_health": self.last_health}

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str) -> "Player":
        inventory = _field(data, "inventory", dict, where)
        achievements = _field(data, "achievements", dict, where)
        if set(inventory) != set(ITEMS):
            raise StateFormatError(f"{where}.inventory: expected exactly the items {list(ITEMS)}")
        if set(achievements) != set(ACHIEVEMENTS):
            raise StateFormatError(f"{where}.achievements: expected exactly {list(ACHIEVEMENTS)}")
        return cls(
            _pos(data, "pos", where), _pos(data, "facing", where),
            {name: _int(inventory[name], f"{where}.inventory.{name}") for name in ITEMS},
            {name: _int(achievements[name], f"{where}.achievements.{name}") for name in ACHIEVEMENTS},
            _field(data, "sleeping", bool, where),
            *(float(_field(data, name, (int, float), where))
              for name in ("hunger", "thirst", "fatigue", "recover")),
            _field(data, "last_health", int, where))


@dataclass(slots=True)
class Cow:
    kind: ClassVar[str] = "cow"
    pos: Pos
    health: int = _CRAFTER.cow.health

    def clone(self) -> "Cow":
        return Cow(self.pos, self.health)


@dataclass(slots=True)
class Zombie:
    kind: ClassVar[str] = "zombie"
    pos: Pos
    health: int = _CRAFTER.zombie.health
    cooldown: int = 0

    def clone(self) -> "Zombie":
        return Zombie(self.pos, self.health, self.cooldown)


@dataclass(slots=True)
class Skeleton:
    kind: ClassVar[str] = "skeleton"
    pos: Pos
    health: int = _CRAFTER.skeleton.health
    reload: int = 0

    def clone(self) -> "Skeleton":
        return Skeleton(self.pos, self.health, self.reload)


@dataclass(slots=True)
class Arrow:
    kind: ClassVar[str] = "arrow"
    pos: Pos
    facing: Pos
    health: int = _CRAFTER.arrow.health

    def clone(self) -> "Arrow":
        return Arrow(self.pos, self.facing, self.health)


@dataclass(slots=True)
class Plant:
    """A sapling; ripe (edible) once ``grown`` exceeds the rules' ``plant.ripe_after``."""

    kind: ClassVar[str] = "plant"
    pos: Pos
    health: int = _CRAFTER.plant.health
    grown: int = 0

    def is_ripe(self, rules: Rules) -> bool:
        return self.grown > rules.plant.ripe_after

    def clone(self) -> "Plant":
        return Plant(self.pos, self.health, self.grown)


Creature = Union[Cow, Zombie, Skeleton, Arrow, Plant]
GameObject = Union[Player, Creature]
CREATURE_CLASSES: dict[str, type] = {
    "cow": Cow, "zombie": Zombie, "skeleton": Skeleton, "arrow": Arrow, "plant": Plant,
}
_EXTRA_FIELDS = {"cow": (), "zombie": ("cooldown",), "skeleton": ("reload",),
                 "arrow": ("facing",), "plant": ("grown",)}


def creature_to_dict(obj: Creature) -> dict[str, Any]:
    """A creature as JSON-ready data."""
    data: dict[str, Any] = {"kind": obj.kind, "pos": list(obj.pos), "health": obj.health}
    for name in _EXTRA_FIELDS[obj.kind]:
        value = getattr(obj, name)
        data[name] = list(value) if isinstance(value, tuple) else value
    return data


def creature_from_dict(data: dict[str, Any], where: str) -> Creature:
    """Inverse of ``creature_to_dict``, with errors that name the offending field."""
    kind = _field(data, "kind", str, where)
    if kind not in CREATURE_CLASSES:
        raise StateFormatError(f"{where}.kind: expected one of {list(CREATURE_KINDS)}, got {kind!r}")
    extra = {name: (_pos(data, name, where) if name == "facing" else _field(data, name, int, where))
             for name in _EXTRA_FIELDS[kind]}
    return CREATURE_CLASSES[kind](pos=_pos(data, "pos", where),
                                  health=_field(data, "health", int, where), **extra)


@dataclass(slots=True, eq=False)
class WorldState:
    """Everything about one moment of a Crafter episode (see the module docstring).

    ``objects`` maps creation index to object in creation order; index 1 is the player and
    indices of removed objects are never reused (``next_id`` is the next one handed out).
    ``materials`` is indexed ``[x, y]`` with the ids of ``rules.MATERIALS`` and is read-only.
    """

    config: GameConfig
    seed: int
    episode: int
    step: int
    daylight: float
    materials: np.ndarray
    objects: dict[int, GameObject]
    next_id: int
    chunks: tuple[ChunkKey, ...]
    unlocked: frozenset[str]
    last_health: int
    rng: RngState

    @property
    def player(self) -> Player:
        return self.objects[1]  # type: ignore[return-value]

    def creatures(self, kind: str | None = None) -> Iterator[tuple[int, Creature]]:
        """(id, creature) pairs in creation order, optionally of one kind only."""
        for oid, obj in self.objects.items():
            if oid != 1 and (kind is None or obj.kind == kind):
                yield oid, obj  # type: ignore[misc]

    def inside(self, pos: Pos) -> bool:
        return 0 <= pos[0] < self.config.area[0] and 0 <= pos[1] < self.config.area[1]

    def material(self, pos: Pos) -> str | None:
        """The material name at ``pos``; ``None`` outside the map."""
        if not self.inside(pos):
            return None
        return MATERIALS[self.materials[pos[0], pos[1]]]

    def object_at(self, pos: Pos) -> int | None:
        """The id of the object on ``pos``, if any."""
        for oid, obj in self.objects.items():
            if obj.pos == pos:
                return oid
        return None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorldState):
            return NotImplemented
        return (self.config == other.config and self.seed == other.seed
                and self.episode == other.episode and self.step == other.step
                and self.daylight == other.daylight and self.next_id == other.next_id
                and self.chunks == other.chunks and self.unlocked == other.unlocked
                and self.last_health == other.last_health
                and list(self.objects.items()) == list(other.objects.items())
                and np.array_equal(self.materials, other.materials)
                and self.rng == other.rng)

    __hash__ = None  # type: ignore[assignment]

    def differences(self, other: "WorldState") -> list[str]:
        """Human-readable list of the fields in which two states differ (for test failures)."""
        diffs = []
        for name in ("config", "seed", "episode", "step", "daylight", "next_id", "chunks",
                     "unlocked", "last_health", "rng"):
            if getattr(self, name) != getattr(other, name):
                diffs.append(f"{name}: {getattr(self, name)!r:.200} != {getattr(other, name)!r:.200}")
        if not np.array_equal(self.materials, other.materials):
            cells = np.argwhere(self.materials != other.materials)[:5].tolist()
            diffs.append(f"materials differ at {cells}")
        for oid in sorted(set(self.objects) | set(other.objects)):
            mine, theirs = self.objects.get(oid), other.objects.get(oid)
            if mine != theirs:
                diffs.append(f"object {oid}: {mine!r} != {theirs!r}")
        if list(self.objects) != list(other.objects):
            diffs.append("object order differs")
        return diffs

    def to_dict(self, include_rng: bool = True, include_rules: bool = True) -> dict[str, Any]:
        """JSON-ready data; the map is one string per row (y), one character per cell.
        ``include_rules=False`` leaves the config's rules out (they are long to write, and a
        view that compares states of one world does not need them)."""
        width, height = self.config.area
        chars = np.array([MATERIAL_CHAR[m] for m in MATERIALS])[self.materials]
        config = {"area": list(self.config.area), "view": list(self.config.view),
                  "size": list(self.config.size), "length": self.config.length}
        if include_rules:
            config["rules"] = self.config.rules.to_dict()
        data: dict[str, Any] = {
            "format": FORMAT,
            "config": config,
            "seed": self.seed, "episode": self.episode, "step": self.step,
            "daylight": self.daylight,
            "map": ["".join(chars[:, y]) for y in range(height)],
            "objects": {str(oid): (obj.to_dict() if oid == 1 else creature_to_dict(obj))  # type: ignore[arg-type]
                        for oid, obj in self.objects.items()},
            "next_id": self.next_id,
            "chunks": [list(key) for key in self.chunks],
            "unlocked": sorted(self.unlocked),
            "last_health": self.last_health,
        }
        if include_rng:
            data["rng"] = self.rng.to_dict()
        assert len(data["map"]) == height and all(len(row) == width for row in data["map"])
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "WorldState":
        if not isinstance(data, dict):
            raise StateFormatError(f"a state must be a JSON object, got {type(data).__name__}")
        fmt = data.get("format")
        if fmt not in (FORMAT, FORMAT_WITHOUT_RULES):
            raise StateFormatError(f"format: expected {FORMAT!r} (or {FORMAT_WITHOUT_RULES!r}), got {fmt!r}")
        cfg = _field(data, "config", dict, "state")
        length = cfg.get("length")
        if length is not None and not isinstance(length, int):
            raise StateFormatError(f"config.length: expected an integer or null, got {length!r}")
        config = GameConfig(_pos(cfg, "area", "config"), _pos(cfg, "view", "config"),
                            _pos(cfg, "size", "config"), length,
                            Rules.crafter() if fmt == FORMAT_WITHOUT_RULES else _rules(cfg))
        for name in ("area", "view", "size"):
            if min(getattr(config, name)) < 1:
                _bad(f"config.{name}", list(getattr(config, name)), "two positive integers")
        rows = _field(data, "map", list, "state")
        width, height = config.area
        if len(rows) != height or any(not isinstance(r, str) or len(r) != width for r in rows):
            raise StateFormatError(f"map: expected {height} strings of {width} characters")
        try:
            materials = np.array([[CHAR_MATERIAL_ID[c] for c in row] for row in rows],
                                 dtype=np.uint8).T.copy()
        except KeyError as error:
            raise StateFormatError(f"map: unknown material character {error.args[0]!r}; "
                                   f"expected one of {''.join(CHAR_MATERIAL_ID)!r}") from None
        materials.flags.writeable = False
        raw_objects = _field(data, "objects", dict, "state")
        objects: dict[int, GameObject] = {}
        for key, value in raw_objects.items():
            where = f"objects.{key}"
            if not key.isdigit() or not isinstance(value, dict):
                raise StateFormatError(f"{where}: expected an integer id mapping to an object")
            oid = int(key)
            objects[oid] = Player.from_dict(value, where) if oid == 1 else creature_from_dict(value, where)
        if 1 not in objects or list(objects)[0] != 1:
            raise StateFormatError("objects: the player must be object 1 and come first")
        chunks = tuple(tuple(_int(v, "chunks") for v in key) for key in _field(data, "chunks", list, "state"))
        if any(len(key) != 4 for key in chunks):
            raise StateFormatError("chunks: expected [xmin, xmax, ymin, ymax] keys")
        state = cls(config, _field(data, "seed", int, "state"), _field(data, "episode", int, "state"),
                    _field(data, "step", int, "state"),
                    float(_field(data, "daylight", (int, float), "state")), materials, objects,
                    _field(data, "next_id", int, "state"), chunks,  # type: ignore[arg-type]
                    frozenset(_field(data, "unlocked", list, "state")),
                    _field(data, "last_health", int, "state"),
                    RngState.from_dict(_field(data, "rng", dict, "state")))
        check_world(state)
        return state

    @classmethod
    def from_json(cls, text: str) -> "WorldState":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise StateFormatError(f"not valid JSON: {error}") from None
        return cls.from_dict(data)


UNIT_DIRECTIONS: frozenset[Pos] = frozenset({(-1, 0), (1, 0), (0, -1), (0, 1)})


def check_world(state: "WorldState") -> None:
    """Reject a well-typed state that no game reaches, naming the field: ``step`` would fail on
    it or silently compute nonsense (a cell with no material, two objects on a cell, ids about
    to be reused, a player off the map, a chunk off the 12x12 grid, vitals or counters out of
    range, numbers that are not finite). ``from_dict`` and the trajectory reader call it on
    every state they build."""
    config = state.config
    if not state.materials.all():
        x, y = (int(v) for v in np.argwhere(state.materials == 0)[0])
        _bad(f"map[{y}][{x}]", MATERIAL_CHAR[None], "a material's character (no cell is without one)")
    if config.length is not None and config.length < 1:
        _bad("config.length", config.length, "a positive integer or null")
    for name in ("step", "seed"):
        if getattr(state, name) < 0:
            _bad(name, getattr(state, name), "an integer >= 0")
    if state.episode < 1:
        _bad("episode", state.episode, "an integer >= 1")
    if not 0.0 <= state.daylight <= 1.0:  # also rejects NaN
        _bad("daylight", state.daylight, "a number in [0, 1]")
    if state.next_id <= max(state.objects):
        _bad("next_id", state.next_id, f"an id above every object's (the largest is {max(state.objects)})")
    taken: dict[Pos, int] = {}
    for oid, obj in state.objects.items():
        where = f"objects.{oid}"
        if not state.inside(obj.pos):
            _bad(f"{where}.pos", list(obj.pos), f"a cell of the {config.area[0]}x{config.area[1]} map")
        if obj.pos in taken:
            _bad(f"{where}.pos", list(obj.pos), f"a free cell (object {taken[obj.pos]} stands there)")
        taken[obj.pos] = oid
        facing = getattr(obj, "facing", None)
        if facing is not None and facing not in UNIT_DIRECTIONS:
            _bad(f"{where}.facing", list(facing), "one of [-1, 0], [1, 0], [0, -1], [0, 1]")
    _check_player(state.player)
    for key in state.chunks:
        if not (0 <= key[0] < config.area[0] and 0 <= key[2] < config.area[1]
                and key == chunk_key((key[0], key[2]), config.area)):
            _bad("chunks", list(key), f"[xmin, xmax, ymin, ymax] of a {CHUNK_SIZE[0]}x{CHUNK_SIZE[1]} "
                                      f"chunk of the {config.area[0]}x{config.area[1]} map")
    unknown = sorted(state.unlocked - set(ACHIEVEMENTS))
    if unknown:
        _bad("unlocked", unknown, f"achievement names from {list(ACHIEVEMENTS)}")
    if not 0 <= state.last_health <= ITEM_MAX:
        _bad("last_health", state.last_health, f"an integer in [0, {ITEM_MAX}]")
    rng = state.rng
    if not 0 <= rng.pos <= 624 or rng.has_gauss not in (0, 1) or not math.isfinite(rng.cached_gaussian):
        _bad("rng", [rng.pos, rng.has_gauss, rng.cached_gaussian],
             "pos in [0, 624], has_gauss 0 or 1 and a finite cached_gaussian")


def _check_player(player: "Player") -> None:
    where = "objects.1"
    for name, count in player.inventory.items():
        if not 0 <= count <= ITEM_MAX:
            _bad(f"{where}.inventory.{name}", count, f"an integer in [0, {ITEM_MAX}]")
    for name, count in player.achievements.items():
        if count < 0:
            _bad(f"{where}.achievements.{name}", count, "an integer >= 0")
    for name in ("hunger", "thirst", "fatigue", "recover"):
        if not math.isfinite(getattr(player, name)):
            _bad(f"{where}.{name}", getattr(player, name), "a finite number")
    if not 0 <= player.last_health <= ITEM_MAX:
        _bad(f"{where}.last_health", player.last_health, f"an integer in [0, {ITEM_MAX}]")


def _bad(field_path: str, value: Any, expected: str) -> None:
    raise StateFormatError(f"{field_path}: expected {expected}, got {value!r:.80}")


def _field(data: dict[str, Any], name: str, kind: type | tuple[type, ...], where: str) -> Any:
    if name not in data:
        raise StateFormatError(f"{where}.{name}: missing")
    value = data[name]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        expected = " or ".join(k.__name__ for k in kinds)
        raise StateFormatError(f"{where}.{name}: expected {expected}, got {value!r:.80}")
    return value


def _rules(config: dict[str, Any]) -> Rules:
    try:
        return Rules.from_dict(_field(config, "rules", dict, "config"))
    except RulesError as error:
        raise StateFormatError(str(error.within("config.rules"))) from None


def _int(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise StateFormatError(f"{where}: expected an integer, got {value!r:.80}")
    return value


def _pos(data: dict[str, Any], name: str, where: str) -> Pos:
    value = _field(data, name, list, where)
    if len(value) != 2:
        raise StateFormatError(f"{where}.{name}: expected a pair of integers, got {value!r}")
    return (_int(value[0], f"{where}.{name}"), _int(value[1], f"{where}.{name}"))
