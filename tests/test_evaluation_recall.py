"""The recall probes: built from the scenarios in a world's rules, they tell the game apart
from a model that predicts nothing, and a variant's probes test the variant."""

from __future__ import annotations

import numpy as np

from crafter_oo import variant
from onelife.evaluation.recall import probes, recall
from worldmodel import NullModel, TrueModel

REQUIRED = {"collect_wood", "collect_drink", "collect_sapling", "place_table", "eat_cow", "cow_movement",
            "zombie_movement", "skeleton_movement", "arrow_hits_player", "plant_ripens", "food_decay",
            "drink_decay", "energy_decay", "fall_asleep", "wake_up", "zombie_spawn_at_night",
            "zombie_despawn_at_day", "night_zombie_attack"}


def test_probes_cover_the_rulebook() -> None:
    found, left_out = probes()
    names = {p.mechanic for p in found}
    assert len(names) == len(found) >= 25 and REQUIRED <= names and not left_out


def test_the_game_is_recalled_and_the_null_model_is_not() -> None:
    found = [p for p in probes()[0] if p.mechanic in ("collect_wood", "place_table", "food_decay", "fall_asleep")]
    true_rows = recall(TrueModel(resample_chance=True), found, 20, np.random.default_rng(0))
    null_rows = recall(NullModel(), found, 20, np.random.default_rng(0))
    assert all(r["recalled"] and r["tv"] == 0 for r in true_rows)
    assert not any(r["recalled"] for r in null_rows)


def test_a_variant_probes_its_own_rules() -> None:
    crafter_probe = next(p for p in probes()[0] if p.mechanic == "place_table")
    costly_probe = next(p for p in probes(variant("costly_crafting"))[0] if p.mechanic == "place_table")
    assert crafter_probe.state.player.inventory["wood"] < costly_probe.state.player.inventory["wood"]
