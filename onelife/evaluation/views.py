"""The JSON view of a state that evaluation compares, diffs and counts, and equality on it.

The view is ``WorldState.to_dict(include_rng=False)`` with one change: the map, stored as
one string per row, becomes a list of columns of one-character cells (``map[x][y]``), so a
single tile change is a single RFC 6902 ``replace`` operation. Left out are the random
generator's state (no model predicts it, and two states that differ only in it are the same
world), the world's rules (configuration that no step changes) and the file format's name.
Everything else (clock, objects keyed by id, player, chunks, unlocked achievements, the env's
last health) is kept as ``to_dict`` writes it.
"""

from __future__ import annotations

import json
from typing import Any

from crafter_oo.state import WorldState


def state_view(state: WorldState) -> dict[str, Any]:
    """The state as evaluation sees it (see the module docstring)."""
    data = state.to_dict(include_rng=False, include_rules=False)
    del data["format"]
    rows: list[str] = data["map"]
    data["map"] = [[row[x] for row in rows] for x in range(state.config.area[0])]
    return data


def view_key(state: WorldState) -> str:
    """A canonical string of the view: equal keys mean the same world."""
    return json.dumps(state_view(state), sort_keys=True, separators=(",", ":"))


def same_state(a: WorldState, b: WorldState) -> bool:
    """Whether two states are the same world, ignoring the random generator."""
    return view_key(a) == view_key(b)


def leaf_count(data: Any) -> int:
    """How many scalar values (leaves) a JSON value holds."""
    if isinstance(data, dict):
        return sum(leaf_count(value) for value in data.values())
    if isinstance(data, list):
        return sum(leaf_count(value) for value in data)
    return 1
