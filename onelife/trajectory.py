"""One life's record: its transitions, what happened in them, and its JSON Lines file.

A ``Trajectory`` is the states and actions of one played life plus how it was played
(seed, policy, step limit). What happened is derived from the states, never stored
(``onelife.analysis`` reads the cause of death and the game mechanics seen).

File format (``onelife.Trajectory``, version 1): JSON Lines, one object per line.

- Line 1, the header: ``{"format": "onelife.Trajectory", "version": 1, "seed": 0,
  "policy": "novelty", "step_limit": 2000, "first": <first state>}`` where the first
  state is ``WorldState.to_dict()`` in full.
- Line k + 1, the k-th transition (k = 1, 2, ...): ``{"step": k, "action": "do",
  "next": <change>}``. The change turns the previous state's ``to_dict()`` into the next
  one's: every top-level field that differs, with its new value (``map`` excepted);
  ``"cells": [[x, y, "c"], ...]``, the map cells that changed, as map characters; and
  ``"objects": {"id": object or null}``, the objects that changed, appeared (new ids come
  last, in creation order) or disappeared (null). Consecutive states share almost
  everything, so a line is usually well under a kilobyte plus the game's random state.
- Last line, once the run finished: ``{"end": "died"}`` or ``{"end": "step limit"}``.

A file cut short by an interrupted run (no end line, or a last line whose write was cut
off mid-way) loads up to its last complete transition, and ``Trajectory.note`` says so.
Any other malformed line raises ``TrajectoryFormatError`` naming the file and line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from crafter_oo.inputs import InputError, read_input_text
from crafter_oo.rules import ACTIONS
from crafter_oo.state import StateFormatError, WorldState
from onelife.atomic import replace_atomically

FORMAT = "onelife.Trajectory"
VERSION = 1
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
        self._previous = first.to_dict()
        self._count = 0
        self._write({"format": FORMAT, "version": VERSION, "seed": seed, "policy": policy,
                     "step_limit": step_limit, "first": self._previous})

    @classmethod
    def continuing(cls, path: str | Path, played: Trajectory) -> "TrajectoryWriter":
        """A writer that appends to the file ``played`` was loaded from, after cutting off
        anything past its last complete transition (a line cut mid-write)."""
        if played.ended is not None:
            raise TrajectoryFormatError(f"{path}: the life is complete ({played.ended}); nothing to continue")
        path = Path(path)
        with path.open("rb") as file:
            kept = b"".join(line for line, _ in zip(file, range(len(played.actions) + 1)))
        writer = cls.__new__(cls)
        writer.path = path
        with path.open("r+b") as file:
            file.truncate(len(kept))
        writer._file = path.open("a", encoding="utf-8")
        writer._previous = played.states[-1].to_dict()
        writer._count = len(played.actions)
        return writer

    def add(self, action: str, next_state: WorldState) -> None:
        """Append one transition: the action and the change it led to."""
        data = next_state.to_dict()
        self._count += 1
        self._write({"step": self._count, "action": action, "next": state_change(self._previous, data)})
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
    current = header["first"]
    states, actions = [_state(path, 1, current)], []
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
        if (set(record) != {"step", "action", "next"} or record["step"] != len(actions) + 1
                or record["action"] not in ACTIONS or not isinstance(record["next"], dict)):
            raise TrajectoryFormatError(
                f"{path}:{number}: expected a transition {{\"step\": {len(actions) + 1}, \"action\": "
                f"<one of crafter_oo.ACTIONS>, \"next\": {{...}}}} or an end line, got {line[:120]!r}")
        try:
            current = apply_change(current, record["next"])
        except (TypeError, ValueError, KeyError, IndexError, AttributeError) as error:
            raise TrajectoryFormatError(f"{path}:{number}: the state change cannot be applied: {error!r}") from None
        states.append(_state(path, number, current))
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
    if header.get("version") != VERSION:
        raise TrajectoryFormatError(f"{path}:1: trajectory version {header.get('version')!r}; "
                                    f"this onelife reads version {VERSION}")
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
