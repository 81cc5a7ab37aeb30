"""Evaluation in a world with other rules: scenarios are built from the world's rules, play in
it, and a scenario that cannot happen there is left out with the reason."""

from __future__ import annotations

import json

import pytest

from crafter_oo import Rules, variant, variants
from onelife.evaluation.runner import evaluate
from onelife.evaluation.scenarios import ScenarioError, run_scenario, scenarios_for
from worldmodel import TrueModel


@pytest.mark.parametrize("name", [name for name, _ in variants()])
def test_every_variant_builds_scenarios_that_show_their_event(name: str) -> None:
    registry, left_out = scenarios_for(variant(name))
    assert set(registry).isdisjoint(left_out)
    assert len(registry) >= 45
    for scenario in registry.values():
        if scenario.variant == "extra" and scenario.balance_steps_only:
            continue  # spawning is left to the runner's per-world check (see below)
        run = run_scenario(scenario, 0)
        assert any(scenario.event(t.state, t.action, t.next_state) for t in run.transitions), scenario.name


def test_scenarios_take_the_worlds_numbers() -> None:
    rules = variant("costly_crafting")
    registry, _ = scenarios_for(rules)
    table = registry["place_table"].build()
    assert table.player.inventory["wood"] == rules.place["table"].uses["wood"] != 2
    short = [name for name in registry if name.startswith("place_table_with_")]
    assert short == [f"place_table_with_{('no one two three four five six seven eight'.split())[rules.place['table'].uses['wood'] - 1]}_wood"]
    hard = variant("hard_hits")
    assert scenarios_for(hard)[0]["zombie_attack_while_asleep"].mechanic.endswith(f"(damage {hard.zombie.sleep_damage})")


def test_a_scenario_that_cannot_be_built_is_left_out_with_its_reason() -> None:
    _, left_out = scenarios_for(variant("fickle_chances"))
    assert "collect_coal" in left_out and "chance 0.5" in left_out["collect_coal"]
    free_wood = Rules.crafter().replace({"make": {"wood_pickaxe": {"uses": {"wood": 0}}}})
    registry, left_out = scenarios_for(free_wood)
    assert "craft_wooden_pickaxe" in registry
    assert left_out == {"craft_wooden_pickaxe_without_wood": "the recipe for a wood_pickaxe does not use wood"}


def test_the_runner_records_the_world_and_what_it_left_out() -> None:
    rules = variant("fickle_chances")
    result = evaluate(TrueModel(), ["collect_wood", "collect_coal"], trials=1, references=(), rules=rules)
    data = json.loads(result.to_json())
    assert data["settings"]["scenarios"] == ["collect_wood"]
    assert set(data["left_out"]) == {"collect_coal"}
    assert Rules.from_dict(data["settings"]["rules"]) == rules
    assert data["overall"]["model"]["mrr"]["mean"] == 1.0


def test_a_scenario_whose_event_fails_in_play_is_left_out_only_outside_crafter() -> None:
    # No zombie ever spawns: the night-spawn scenario plays but shows nothing.
    calm = Rules.crafter().replace({"balance": {"zombie": {"spawn_prob": 0.0}}})
    result = evaluate(TrueModel(), ["zombie_spawn_at_night", "lava_death"], trials=2, references=(), rules=calm)
    assert list(result.scenario_info) == ["lava_death"]
    assert "expected a zombie to spawn" in result.left_out["zombie_spawn_at_night"]
    with pytest.raises(ScenarioError):
        run_scenario(scenarios_for(calm)[0]["zombie_spawn_at_night"], 0)
