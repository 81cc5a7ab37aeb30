"""Step invariants shared by the property tests: ``play_checked`` steps through a plan and
checks, at every step, purity, determinism and that the world stays well formed."""

from __future__ import annotations

import crafter_oo
from crafter_oo import WorldState
from crafter_oo.rules import ITEM_MAX


def check_well_formed(state: WorldState) -> None:
    """No two objects share a cell, all are inside, counts are in range, ids are ordered."""
    positions = [obj.pos for obj in state.objects.values()]
    assert len(positions) == len(set(positions)), "two objects share a cell"
    assert all(state.inside(pos) for pos in positions), "an object left the map"
    assert all(0 <= count <= ITEM_MAX for count in state.player.inventory.values())
    assert all(oid < state.next_id for oid in state.objects)
    assert list(state.objects) == sorted(state.objects)
    assert not state.materials.flags.writeable


def play_checked(state: WorldState, plan: list[int]) -> WorldState:
    """Step through ``plan``, checking purity, determinism and well-formedness each step."""
    for action in plan:
        before = state.to_json()
        result = crafter_oo.step(state, action)
        assert state.to_json() == before, "step modified its input"
        assert crafter_oo.step(state, action).state == result.state, "step is not deterministic"
        assert result.state.config.rules is state.config.rules
        state = result.state
        check_well_formed(state)
    return state
