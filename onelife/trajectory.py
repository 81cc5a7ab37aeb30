"""One life's record: its transitions, what happened in them, and its JSON Lines file.

A ``Trajectory`` is the states and actions of one played life plus how it was played
(seed, policy, step limit). What happened is derived from the states, never stored
(``onelife.analysis`` reads the cause of death and the game mechanics seen).

File format (``onelife.Trajectory``, version 2): JSON Lines, one object per line.

- Line 1, the header: ``{"format": "onelife.Trajectory", "version": 2, "seed": 0,
  "policy": "novelty", "step_limit": 2000, "first": <first state>}`` where the first
  state is ``WorldState.to_dict()`` in full, its random generator included.
- Line k + 1, the k-th transition (k = 1, 2, ...): ``{"step": k, "action": "do",
  "next": <change>, "draws": n}``. The change turns the previous state's
  ``to_dict(include_rng=False)`` into the next one's: every top-level field that differs,
  with its new value (``map`` excepted); ``"cells": [[x, y, "c"], ...]``, the map cells that
  changed, as map characters; and ``"objects": {"id": object or null}``, the objects that
  changed, appeared (new ids come last, in creation order) or disappeared (null).
  ``draws`` is how many 32-bit words the game's generator (MT19937) drew during the step:
  the next generator state is the previous one advanced by that many words
  (``onelife.draws``). ``"gauss": [has_gauss, cached_gaussian]`` follows only when the
  generator's cached Gaussian changed. A step whose generator state does not follow from
  the previous one by at most ``onelife.draws.MAX_DRAWS`` words (an edited state) carries
  ``"rng": <the full generator state>`` (``RngState.to_dict()``) instead of ``draws`` and
  ``gauss``. Consecutive states share almost everything, so a line is usually a few
  hundred bytes.
- Last line, once the run finished: ``{"end": "died"}`` or ``{"end": "step limit"}``.

Version 1 files still load: the same, except that a transition has no ``draws``, ``gauss``
or ``rng`` of its own and its change holds the generator's full state (``"rng"``, 5 KB of
hex) whenever it changed, which is nearly every step.

A file cut short by an interrupted run (no end line, or a last line whose write was cut
off mid-way) loads up to its last complete transition, and ``Trajectory.note`` says so.
Any other malformed line raises ``TrajectoryFormatError`` naming the file and line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from crafter_oo.inputs import InputError, read_input_text
from crafter_oo.rules import ACTIONS, CHAR_MATERIAL_ID
from crafter_oo.state import (GameObject, Player, RngState, StateFormatError, WorldState, check_world,
                              creature_from_dict)
from onelife.atomic import replace_atomically
from onelife.draws import GeneratorTrack

FORMAT = "onelife.Trajectory"
VERSION = 2
READABLE_VERSIONS = (1, 2)
ENDINGS = ("died", "step limit")
Transition = tuple[WorldState, str, WorldState]


class TrajectoryFormatError(InputError):
    """A trajectory file that cannot be read: names the file, the line and what was expected."""


@dataclass(slots=True)
class Trajectory:
    """The states and actions of one life (``states[k]`` --``actions[k]``--> ``states[k+1]``).

    ``ended`` is ``"died"``, ``"step limit"`` or ``None`` for a run that was interrupted;
    ``note`` is what loading a cut-short file had to say (``None`` for a complete file).
    """

    seed: int
    policy: str
    step_limit: int
    states: list[WorldState]
    actions: list[str]
    ended: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if len(self.states) != len(self.actions) + 1:
            raise ValueError(f"a trajectory needs one more state than actions, "
                             f"got {len(self.states)} states and {len(self.actions)} actions")
        unknown = sorted(set(self.actions) - set(ACTIONS))
        if unknown:
            raise ValueError(f"unknown actions {unknown}; expected names from crafter_oo.ACTIONS")

    @property
    def transitions(self) -> list[Transition]:
        """(state, action name, next state) triples, in play order."""
        return list(zip(self.states[:-1], self.actions, self.states[1:]))

    @property
    def steps_survived(self) -> int:
        """Steps played: the step on which the player died, or all of them if it lived."""
        return len(self.actions)

    @property
    def achievements(self) -> list[str]:
        """The achievements unlocked during the life, sorted by name."""
        return sorted(name for name, count in self.states[-1].player.achievements.items() if count > 0)

    def save(self, path: str | Path) -> None:
        """Write the whole trajectory to ``path`` atomically (temporary file, then rename)."""
        def write(temporary: Path) -> None:
            with TrajectoryWriter(temporary, self.seed, self.policy, self.step_limit, self.states[0]) as writer:
                for action, state in zip(self.actions, self.states[1:]):
                    writer.add(action, state)
                if self.ended is not None:
                    writer.finish(self.ended)
        replace_atomically(path, write)

    @classmethod
    def load(cls, path: str | Path) -> "Trajectory":
        """Read a trajectory file (see the module docstring for the format)."""
        return _read(Path(path))


class TrajectoryWriter:
    """Writes a trajectory line by line as it is played, flushing each line, so an
    interrupted run leaves a loadable file of everything played so far."""

    def __init__(self, path: str | Path, seed: int, policy: str, step_limit: int, first: WorldState) -> None:
        self.path = Path(path)
        self._file: TextIO = self.path.open("w", encoding="utf-8")
        self._previous = first.to_dict(include_rng=False)
        self._generator = GeneratorTrack(first.rng)
        self._count = 0
        self._write({"format": FORMAT, "version": VERSION, "seed": seed, "policy": policy,
                     "step_limit": step_limit, "first": first.to_dict()})

    @classmethod
    def continuing(cls, path: str | Path, played: Trajectory) -> "TrajectoryWriter":
        """A writer that appends to the file ``played`` was loaded from, after cutting off
        anything past its last complete transition (a line cut mid-write)."""
        if played.ended is not None:
            raise TrajectoryFormatError(f"{path}: the life is complete ({played.ended}); nothing to continue")
        path = Path(path)
        with path.open("rb") as file:
            kept = b"".join(line for line, _ in zip(file, range(len(played.actions) + 1)))
        version = json.loads(kept.split(b"\n", 1)[0]).get("version")
        if version != VERSION:
            raise TrajectoryFormatError(f"{path}:1: a version {version} file cannot be continued in version "
                                        f"{VERSION}; play the life again without --resume")
        writer = cls.__new__(cls)
        writer.path = path
        with path.open("r+b") as file:
            file.truncate(len(kept))
        writer._file = path.open("a", encoding="utf-8")
        writer._previous = played.states[-1].to_dict(include_rng=False)
        writer._generator = GeneratorTrack(played.states[-1].rng)
        writer._count = len(played.actions)
        return writer

    def add(self, action: str, next_state: WorldState) -> None:
        """Append one transition: the action, the change it led to and the generator's draws."""
        data = next_state.to_dict(include_rng=False)
        self._count += 1
        record = {"step": self._count, "action": action, "next": state_change(self._previous, data)}
        record.update(rng_change(self._generator, next_state.rng))
        self._write(record)
        self._previous = data

    def finish(self, ending: str) -> None:
        """Append the end line: the run is complete."""
        if ending not in ENDINGS:
            raise ValueError(f"ending must be one of {ENDINGS}, got {ending!r}")
        self._write({"end": ending})

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> "TrajectoryWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, record: dict[str, Any]) -> None:
        # One write per line, so an interruption can only cut the line being written.
        self._file.write(json.dumps(record, separators=(",", ":")) + "\n")
        self._file.flush()


def state_change(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The change that turns one ``to_dict()`` into the next (the format's ``next`` field)."""
    change: dict[str, Any] = {key: value for key, value in after.items()
                              if key not in ("map", "objects") and before.get(key) != value}
    cells = [[x, y, char] for y, (old, new) in enumerate(zip(before["map"], after["map"])) if old != new
             for x, (a, char) in enumerate(zip(old, new)) if a != char]
    if cells:
        change["cells"] = cells
    objects = {oid: obj for oid, obj in after["objects"].items() if before["objects"].get(oid) != obj}
    objects.update({oid: None for oid in before["objects"] if oid not in after["objects"]})
    if objects:
        change["objects"] = objects
    return change


def rng_change(generator: GeneratorTrack, after: RngState) -> dict[str, Any]:
    """How a transition line records the generator's move from ``generator``'s state to
    ``after`` (the format's ``draws``, ``gauss`` or ``rng``); ``generator`` moves to ``after``."""
    before = generator.current
    drawn = generator.follow(after)
    if drawn is None:
        return {"rng": after.to_dict()}
    record: dict[str, Any] = {"draws": drawn}
    if (after.has_gauss, after.cached_gaussian) != (before.has_gauss, before.cached_gaussian):
        record["gauss"] = [after.has_gauss, after.cached_gaussian]
    return record


def apply_change(before: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    """The next ``to_dict()`` from the previous one and a ``state_change``."""
    after = {**before, **{k: v for k, v in change.items() if k not in ("cells", "objects")}}
    if "cells" in change:
        rows = [list(row) for row in before["map"]]
        for x, y, char in change["cells"]:
            if not (0 <= y < len(rows) and 0 <= x < len(rows[y])):
                raise IndexError(f"cell [{x}, {y}] is off the {len(rows[0])}x{len(rows)} map")
            rows[y][x] = char
        after["map"] = ["".join(row) for row in rows]
    if "objects" in change:
        objects = dict(before["objects"])
        for oid, obj in change["objects"].items():
            if obj is None:
                objects.pop(oid, None)
            else:
                objects[oid] = obj
        after["objects"] = objects
    return after


def _read(path: Path) -> Trajectory:
    text = read_input_text(path, "trajectory", TrajectoryFormatError)
    lines = text.split("\n")
    cut_line = None
    if lines[-1] == "":
        lines.pop()
    else:
        try:  # a last line without its newline is complete only if it parses
            json.loads(lines[-1])
        except json.JSONDecodeError:
            cut_line = len(lines)
            lines.pop()
    if not lines:
        raise TrajectoryFormatError(f"{path}:1: expected a trajectory header line, the file is empty")
    header = _header(path, lines[0])
    states, actions = [_state(path, 1, header["first"])], []
    generator = GeneratorTrack(states[0].rng)
    ended = None
    for number, line in enumerate(lines[1:], start=2):
        record = _json(path, number, line)
        if ended is not None:
            raise TrajectoryFormatError(f"{path}:{number}: expected nothing after the end line")
        if set(record) == {"end"}:
            if record["end"] not in ENDINGS:
                raise TrajectoryFormatError(f"{path}:{number}: end must be one of {list(ENDINGS)}, "
                                            f"got {record['end']!r}")
            ended = record["end"]
            continue
        _check_transition(path, number, line, record, len(actions) + 1, header["version"])
        try:
            rng = _next_rng(generator, record)
            states.append(next_state(states[-1], record["next"], rng))
        except StateFormatError as error:
            raise TrajectoryFormatError(f"{path}:{number}: expected a valid state: {error}") from None
        except (TypeError, ValueError, KeyError, IndexError, AttributeError) as error:
            raise TrajectoryFormatError(f"{path}:{number}: the state change cannot be applied: {error!r}") from None
        actions.append(record["action"])
        if len(actions) > header["step_limit"]:
            raise TrajectoryFormatError(f"{path}:{number}: step {len(actions)} is past the header's step_limit "
                                        f"{header['step_limit']}")
    note = None
    if cut_line is not None:
        note = (f"line {cut_line} was cut off mid-write (interrupted run); "
                f"loaded the {len(actions)} transitions before it")
    elif ended is None:
        note = f"no end line (interrupted run); loaded the {len(actions)} transitions played"
    return Trajectory(header["seed"], header["policy"], header["step_limit"], states, actions, ended, note)


def _check_transition(path: Path, number: int, line: str, record: dict[str, Any], step: int,
                      version: int) -> None:
    """Raise unless ``record`` is the transition line expected at ``step`` in a file of ``version``."""
    keys = set(record) - {"step", "action", "next"}
    rng_keys_ok = (not keys if version == 1
                   else keys in ({"draws"}, {"draws", "gauss"}, {"rng"}))
    if (not rng_keys_ok or record.get("step") != step or record.get("action") not in ACTIONS
            or not isinstance(record.get("next"), dict)):
        rng_part = "" if version == 1 else ', "draws": <count> (or "rng": {...})'
        raise TrajectoryFormatError(
            f"{path}:{number}: expected a transition {{\"step\": {step}, \"action\": "
            f"<one of crafter_oo.ACTIONS>, \"next\": {{...}}{rng_part}}} or an end line, got {line[:120]!r}")
    if version == 2 and "rng" in record["next"]:
        raise TrajectoryFormatError(f"{path}:{number}: expected the generator as \"draws\" or \"rng\" "
                                    f"beside \"next\", not inside it")


def _next_rng(generator: GeneratorTrack, record: dict[str, Any]) -> RngState:
    """The generator state after a transition line (any version; see the module docstring),
    which ``generator`` moves to."""
    full = record["next"].get("rng", record.get("rng"))
    if full is not None:
        if not isinstance(full, dict):
            raise StateFormatError(f"rng: expected an object, got {full!r:.80}")
        generator.reset(RngState.from_dict(full))
        return generator.current
    before = generator.current
    if "draws" not in record:  # version 1: the generator did not change
        return before
    drawn = record["draws"]
    if not isinstance(drawn, int) or isinstance(drawn, bool) or drawn < 0:
        raise StateFormatError(f"draws: expected a count of 32-bit words (an integer >= 0), got {drawn!r:.80}")
    has_gauss, cached_gaussian = before.has_gauss, before.cached_gaussian
    if "gauss" in record:
        gauss = record["gauss"]
        if (not isinstance(gauss, list) or len(gauss) != 2 or gauss[0] not in (0, 1)
                or isinstance(gauss[0], bool) or not isinstance(gauss[1], (int, float))
                or isinstance(gauss[1], bool)):
            raise StateFormatError(f"gauss: expected [has_gauss (0 or 1), cached_gaussian (a number)], "
                                   f"got {gauss!r:.80}")
        has_gauss, cached_gaussian = gauss[0], float(gauss[1])
    return generator.advance(drawn, has_gauss, cached_gaussian)


# Changes the fast path applies to the previous state; any other field changing (the
# configuration, the seed) rebuilds the state from its full data.
_INCREMENTAL = frozenset({"step", "daylight", "next_id", "last_health", "unlocked", "chunks", "cells", "objects",
                          "rng"})


def next_state(before: WorldState, change: dict[str, Any], rng: RngState) -> WorldState:
    """The state a ``state_change`` (the format's ``next``) leads to from ``before``, with
    generator ``rng``; every changed value is checked (``StateFormatError`` naming its field).

    Unchanged parts (the configuration, the map, every unchanged object) are shared with
    ``before`` rather than copied: a long life loads in seconds and takes little memory.
    """
    if not set(change) <= _INCREMENTAL:
        data = apply_change(before.to_dict(include_rng=False), {k: v for k, v in change.items() if k != "rng"})
        return WorldState.from_dict({**data, "rng": rng.to_dict()})
    state = WorldState(
        before.config, before.seed, before.episode,
        _integer(change.get("step", before.step), "step"),
        float(_number(change.get("daylight", before.daylight), "daylight")),
        _materials(before, change["cells"]) if "cells" in change else before.materials,
        _objects(before, change["objects"]) if "objects" in change else before.objects,
        _integer(change.get("next_id", before.next_id), "next_id"),
        _chunks(change["chunks"]) if "chunks" in change else before.chunks,
        _unlocked(change["unlocked"]) if "unlocked" in change else before.unlocked,
        _integer(change.get("last_health", before.last_health), "last_health"),
        rng)
    check_world(state)
    return state


def _integer(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise StateFormatError(f"{where}: expected an integer, got {value!r:.80}")
    return value


def _number(value: Any, where: str) -> int | float:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise StateFormatError(f"{where}: expected a number, got {value!r:.80}")
    return value


def _materials(before: WorldState, cells: Any) -> np.ndarray:
    """``before``'s map with the changed cells ``[[x, y, "c"], ...]`` (read-only, like every state's)."""
    if not isinstance(cells, list):
        raise StateFormatError(f"cells: expected a list of [x, y, map character], got {cells!r:.80}")
    materials = before.materials.copy()
    for cell in cells:
        if not (isinstance(cell, list) and len(cell) == 3 and before.inside(
                (_integer(cell[0], "cells"), _integer(cell[1], "cells"))) and cell[2] in CHAR_MATERIAL_ID):
            raise StateFormatError(f"cells: expected [x, y, map character] on the {before.config.area} map "
                                   f"with a character of {''.join(CHAR_MATERIAL_ID)!r}, got {cell!r:.80}")
        materials[cell[0], cell[1]] = CHAR_MATERIAL_ID[cell[2]]
    materials.flags.writeable = False
    return materials


def _objects(before: WorldState, changed: Any) -> dict[int, GameObject]:
    """``before``'s objects with the changed, new (last, in order) and removed (null) ones."""
    if not isinstance(changed, dict):
        raise StateFormatError(f"objects: expected an object of id -> object or null, got {changed!r:.80}")
    objects = dict(before.objects)
    for key, value in changed.items():
        where = f"objects.{key}"
        if not key.isdigit():
            raise StateFormatError(f"{where}: expected an integer id")
        oid = int(key)
        if value is None:
            if objects.pop(oid, None) is None:
                raise StateFormatError(f"{where}: removed, but there is no object {oid}")
        elif isinstance(value, dict):
            objects[oid] = Player.from_dict(value, where) if oid == 1 else creature_from_dict(value, where)
        else:
            raise StateFormatError(f"{where}: expected an object or null, got {value!r:.80}")
    if next(iter(objects), None) != 1:
        raise StateFormatError("objects: the player must be object 1 and come first")
    return objects


def _chunks(value: Any) -> tuple[tuple[int, int, int, int], ...]:
    if not isinstance(value, list) or not all(isinstance(key, list) and len(key) == 4 for key in value):
        raise StateFormatError(f"chunks: expected [xmin, xmax, ymin, ymax] keys, got {value!r:.80}")
    return tuple(tuple(_integer(v, "chunks") for v in key) for key in value)  # type: ignore[misc]


def _unlocked(value: Any) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise StateFormatError(f"unlocked: expected a list of achievement names, got {value!r:.80}")
    return frozenset(value)


def _json(path: Path, number: int, line: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise TrajectoryFormatError(f"{path}:{number}: expected one JSON object, {error}") from None
    if not isinstance(record, dict):
        raise TrajectoryFormatError(f"{path}:{number}: expected a JSON object, got {line[:80]!r}")
    return record


def _header(path: Path, line: str) -> dict[str, Any]:
    header = _json(path, 1, line)
    if header.get("format") != FORMAT:
        raise TrajectoryFormatError(f"{path}:1: expected a header with format {FORMAT!r}, "
                                    f"got {header.get('format')!r}")
    if header.get("version") not in READABLE_VERSIONS:
        raise TrajectoryFormatError(f"{path}:1: trajectory version {header.get('version')!r}; "
                                    f"this onelife reads versions {list(READABLE_VERSIONS)}")
    for name, kind in (("seed", int), ("policy", str), ("step_limit", int), ("first", dict)):
        if not isinstance(header.get(name), kind) or isinstance(header.get(name), bool):
            raise TrajectoryFormatError(f"{path}:1: header field {name!r}: expected {kind.__name__}, "
                                        f"got {header.get(name)!r:.80}")
    for name, least in (("seed", 0), ("step_limit", 1)):
        if header[name] < least:
            raise TrajectoryFormatError(f"{path}:1: header field {name!r}: expected an integer >= {least}, "
                                        f"got {header[name]}")
    if header["first"].get("seed") != header["seed"]:
        raise TrajectoryFormatError(f"{path}:1: header field 'seed' is {header['seed']} but the first state's "
                                    f"seed is {header['first'].get('seed')!r}; expected the same")
    return header


def _state(path: Path, number: int, data: dict[str, Any]) -> WorldState:
    try:
        return WorldState.from_dict(data)
    except StateFormatError as error:
        raise TrajectoryFormatError(f"{path}:{number}: expected a valid state: {error}") from None
