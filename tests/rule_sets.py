"""A hypothesis strategy for valid rule sets: ``rule_sets()`` draws a ``crafter_oo.Rules``
with every part changed at random within its valid range (and a bit beyond Crafter's habits:
free or impossible recipes, creatures without health, days of a few steps)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from crafter_oo.rules import (
    ARROW_STOPPERS,
    BALANCED_KINDS,
    COLLECTABLE,
    CRAFTABLE,
    ITEMS,
    MATERIAL_NAMES,
    PLACEABLE,
    Rules,
)

probabilities = st.floats(0.0, 1.0)
small = st.integers(0, 9)
distances = st.integers(0, 12)
rates = st.floats(0.0, 3.0)
levels = st.floats(-30.0, 40.0)


def amounts(names: tuple[str, ...], most: int = 3) -> st.SearchStrategy[dict[str, int]]:
    return st.dictionaries(st.sampled_from(names), st.integers(0, most), max_size=3)


def materials(most: int = 4) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(MATERIAL_NAMES), max_size=most, unique=True)


collects = st.fixed_dictionaries({
    "require": amounts(ITEMS), "receive": amounts(COLLECTABLE),
    "leaves": st.sampled_from(MATERIAL_NAMES), "probability": probabilities,
})
places = st.fixed_dictionaries({"uses": amounts(ITEMS, 5), "where": materials(6)})
recipes = st.fixed_dictionaries({"uses": amounts(ITEMS), "nearby": materials(2), "gives": st.integers(1, 3)})
needs = st.fixed_dictionaries({"awake": rates, "asleep": rates, "threshold": levels, "reset": levels})
targets = st.floats(0.0, 6.0).flatmap(lambda base: st.fixed_dictionaries(
    {"base": st.just(base), "per_daylight": st.floats(-base, 6.0)}))
populations = st.fixed_dictionaries({
    "material": st.sampled_from(MATERIAL_NAMES), "spawn_dist": distances, "despawn_dist": distances,
    "spawn_prob": probabilities, "despawn_prob": probabilities, "min_space": st.integers(1, 150),
    "min_target": targets, "max_target": targets,
})


@st.composite
def rule_sets(draw: st.DrawFn) -> Rules:
    """Any valid ``Rules``: Crafter's with every part redrawn."""
    data: dict[str, Any] = {
        "collect": draw(st.dictionaries(st.sampled_from(MATERIAL_NAMES), collects, max_size=8)),
        "place": {name: draw(places) for name in PLACEABLE},
        "make": {name: draw(recipes) for name in CRAFTABLE},
        "attack": {"unarmed": draw(small), "weapons": draw(amounts(ITEMS, 9))},
        "cow": {"health": draw(small), "move_prob": draw(probabilities), "food": draw(small)},
        "zombie": {"health": draw(small), "chase_dist": draw(distances), "chase_prob": draw(probabilities),
                   "long_axis_prob": draw(probabilities), "attack_dist": draw(st.integers(0, 3)),
                   "damage": draw(small), "sleep_damage": draw(small), "cooldown": draw(small)},
        "skeleton": {"health": draw(small), "flee_dist": draw(distances),
                     "flee_long_axis_prob": draw(probabilities), "shoot_dist": draw(distances),
                     "shoot_prob": draw(probabilities), "chase_dist": draw(distances),
                     "chase_prob": draw(probabilities), "chase_long_axis_prob": draw(probabilities),
                     "wander_prob": draw(probabilities), "reload": draw(small)},
        "arrow": {"health": draw(small), "damage": draw(small),
                  "breaks": draw(st.dictionaries(st.sampled_from(ARROW_STOPPERS), st.sampled_from(MATERIAL_NAMES),
                                                 max_size=3))},
        "plant": {"health": draw(small), "ripe_after": draw(st.integers(0, 400)), "food": draw(small),
                  "trample_damage": draw(small)},
        "vitals": {
            "hunger": draw(needs), "thirst": draw(needs),
            "fatigue": {"awake": draw(rates), "asleep": draw(rates), "asleep_ceiling": draw(levels),
                        "tired_above": draw(levels), "rested_below": draw(levels), "reset": draw(levels)},
            "recover": {"awake": draw(rates), "asleep": draw(rates), "decay_awake": draw(rates),
                        "decay_asleep": draw(rates), "heal_above": draw(levels), "hurt_below": draw(levels),
                        "reset": draw(levels)},
        },
        "day_length": draw(st.integers(1, 600)),
        "balance": {"every": draw(st.integers(1, 20)), **{kind: draw(populations) for kind in BALANCED_KINDS}},
    }
    return Rules.from_dict(data)
