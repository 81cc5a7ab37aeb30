"""How each kind of rule value is read from JSON and written back, checked field by field.

A part of the rules is a frozen dataclass whose fields carry a ``Kind`` in their metadata:
its reader checks a JSON value and names the value's path when it is wrong, its writer turns
the value back into JSON. ``read_part`` and ``write_value`` walk a part's fields, so every
part of ``Rules`` is read, checked and written in the same way.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
from dataclasses import dataclass
from collections.abc import ItemsView, KeysView, ValuesView
from typing import Any, Callable, Iterable, Iterator, Mapping, TypeVar

from crafter_oo.inputs import InputError

K = TypeVar("K")
V = TypeVar("V")
Reader = Callable[[Any, str], Any]


class RulesError(InputError):
    """A rule set that is malformed or out of range: names the field's path and the bad value."""

    def __init__(self, problem: str, path: str = "", source: str = "") -> None:
        self.problem, self.path, self.source = problem, path, source
        super().__init__(": ".join(part for part in (source, path, problem) if part))

    def within(self, prefix: str = "", source: str = "") -> "RulesError":
        """The same problem with its path under ``prefix``, found in ``source`` (a file)."""
        return RulesError(self.problem, join(prefix, self.path), source or self.source)


class FrozenDict(Mapping[K, V]):
    """An immutable, hashable mapping, so rule tables can be shared, compared and hashed."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._items: dict[K, V] = dict(items)

    def __getitem__(self, key: K) -> V:
        return self._items[key]

    def get(self, key: K, default: Any = None) -> Any:  # type: ignore[override]
        return self._items.get(key, default)

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)

    def items(self) -> ItemsView[K, V]:
        return self._items.items()

    def keys(self) -> KeysView[K]:
        return self._items.keys()

    def values(self) -> ValuesView[V]:
        return self._items.values()

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __repr__(self) -> str:
        return f"FrozenDict({self._items!r})"

    def __reduce__(self) -> tuple[type, tuple[dict[K, V]]]:
        return FrozenDict, (self._items,)


@dataclass(frozen=True, slots=True)
class Kind:
    """What one field holds: how to read (and check) it from JSON and write it back."""

    read: Reader
    write: Callable[[Any], Any] = lambda value: write_value(value)


def rule(kind: Kind) -> Any:
    """A dataclass field of a rule part holding a value of ``kind``."""
    return dataclasses.field(metadata={"rule": kind})


def join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix and name else prefix or name


def shown(value: Any) -> str:
    """A value as it would appear in the file, cut short."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


# --- scalar kinds -----------------------------------------------------------------------------

def _integer(value: Any, path: str, low: int, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise RulesError(f"expected {what}, got {shown(value)}", path)
    return value


def count() -> Kind:
    """A whole number, 0 or more (a cost, a damage, a distance, a number of steps)."""
    return Kind(lambda value, path: _integer(value, path, 0, "a non-negative integer"))


def positive() -> Kind:
    """A whole number, 1 or more."""
    return Kind(lambda value, path: _integer(value, path, 1, "a positive integer"))


def _real(value: Any, path: str, what: str) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise RulesError(f"expected {what}, got {shown(value)}", path)
    return float(value)


def number() -> Kind:
    """Any finite number (a threshold, a target's slope)."""
    return Kind(lambda value, path: _real(value, path, "a finite number"))


def rate() -> Kind:
    """A finite number, 0 or more (how much a counter moves per step)."""
    def read(value: Any, path: str) -> float:
        result = _real(value, path, "a non-negative number")
        if result < 0:
            raise RulesError(f"expected a non-negative number, got {shown(value)}", path)
        return result
    return Kind(read)


def probability() -> Kind:
    """A probability, in [0, 1]."""
    def read(value: Any, path: str) -> float:
        result = _real(value, path, "a probability in [0, 1]")
        if not 0.0 <= result <= 1.0:
            raise RulesError(f"expected a probability in [0, 1], got {shown(value)}", path)
        return result
    return Kind(read)


def _name(value: Any, path: str, choices: tuple[str, ...], what: str) -> str:
    if not isinstance(value, str):
        raise RulesError(f"expected the name of {what}, got {shown(value)}", path)
    if value not in choices:
        raise RulesError(f"unknown {what} {shown(value)}; expected one of {', '.join(choices)}", path)
    return value


def choice(choices: tuple[str, ...], what: str) -> Kind:
    """One name out of ``choices`` (a material, an item)."""
    return Kind(lambda value, path: _name(value, path, choices, what))


def choices(options: tuple[str, ...], what: str) -> Kind:
    """A set of names out of ``options``, kept as a tuple in the order of ``options``."""
    def read(value: Any, path: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise RulesError(f"expected a list of {what} names, got {shown(value)}", path)
        names = {_name(item, f"{path}[{i}]", options, what) for i, item in enumerate(value)}
        return tuple(name for name in options if name in names)
    return Kind(read, list)


# --- tables and parts -----------------------------------------------------------------------

def _object(value: Any, path: str, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RulesError(f"expected an object of {what}, got {shown(value)}", path)
    return value


def table(keys: tuple[str, ...], what: str, values: Kind, complete: bool = False) -> Kind:
    """A mapping from names out of ``keys`` to values of kind ``values``; with ``complete``,
    every key must be there (a table the game's actions look up by name)."""
    def read(value: Any, path: str) -> FrozenDict[str, Any]:
        entries = _object(value, path, what)
        if complete:
            missing = [key for key in keys if key not in entries]
            if missing:
                raise RulesError("missing", join(path, missing[0]))
        return FrozenDict((_name(key, join(path, key), keys, what), values.read(entry, join(path, key)))
                          for key, entry in entries.items())
    return Kind(read)


def counts(keys: tuple[str, ...], what: str) -> Kind:
    """How many of each named thing, e.g. ``{"wood": 1, "stone": 1}``."""
    return table(keys, what, count())


def part(cls: type) -> Kind:
    """A nested rule part (a dataclass whose fields are rules)."""
    return Kind(lambda value, path: read_part(cls, value, path))


@functools.cache
def _kinds(cls: type) -> dict[str, Kind]:
    """A rule part's fields, in order, with their kinds."""
    return {f.name: f.metadata["rule"] for f in dataclasses.fields(cls)}


def read_part(cls: type, value: Any, path: str) -> Any:
    """Read a dataclass of rules from a JSON object, every field present and checked (and
    the part as a whole by its ``check(path)`` method, if it has one)."""
    kinds = _kinds(cls)
    data = _object(value, path, ", ".join(kinds))
    for key in data:
        if key not in kinds:
            raise RulesError(f"unknown field; expected one of {', '.join(kinds)}", join(path, str(key)))
    values = {}
    for name, kind in kinds.items():
        where = f"{path}.{name}" if path else name
        if name not in data:
            raise RulesError("missing", where)
        values[name] = kind.read(data[name], where)
    result = cls(**values)
    check = getattr(result, "check", None)
    if check is not None:
        check(path)
    return result


def write_value(value: Any) -> Any:
    """A rule value as JSON data: parts become objects, tables objects, tuples lists."""
    kind = type(value)
    if kind in (int, float, str, bool) or value is None:
        return value
    if kind in (FrozenDict, dict):
        return {key: write_value(item) for key, item in value.items()}
    if kind in (tuple, list):
        return [write_value(item) for item in value]
    if dataclasses.is_dataclass(kind):
        return {name: field.write(getattr(value, name)) for name, field in _kinds(kind).items()}
    return value


def merged(base: Any, changes: Any) -> Any:
    """``changes`` laid over ``base`` (JSON data): objects merge key by key, ``null`` removes
    a key, anything else replaces. Neither input is modified."""
    if not isinstance(base, dict) or not isinstance(changes, dict):
        return changes
    result = dict(base)
    for key, value in changes.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merged(base.get(key), value)
    return result
