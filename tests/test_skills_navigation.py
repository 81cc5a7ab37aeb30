"""``crafter_oo.skills.navigation.Reach``: what the player can stand beside, and how far it is."""

from __future__ import annotations

from crafter_oo import edit
from crafter_oo.skills.navigation import Reach


def test_each_station_set_is_reached_by_the_nearest_cell_beside_exactly_those_stations() -> None:
    state = edit.blank_world(area=(15, 15), player_pos=(2, 7))
    state = edit.place_material(edit.place_material(state, (5, 7), "table"), (11, 7), "furnace")
    reach = Reach(state, radius=12)
    expected: dict[tuple[str, ...], int] = {}
    for (x, y), (steps, _) in reach.steps.items():
        around = tuple(s for s, (sx, sy) in (("table", (5, 7)), ("furnace", (11, 7)))
                       if abs(sx - x) <= 1 and abs(sy - y) <= 1)
        expected[around] = min(steps, expected.get(around, steps))
    assert {key: steps for key, (steps, _) in reach.stations.items()} == expected
    assert expected[("table",)] == 2 and expected[("furnace",)] == 9  # (10, 6), one row up to pass the table
