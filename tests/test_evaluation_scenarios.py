"""Evaluation scenarios: the registry covers the published table and the extra mechanics,
every scenario shows its intended event, and scenario randomness comes from the seed."""

from __future__ import annotations

import dataclasses

import pytest

from onelife.evaluation.policies import hunt
from onelife.evaluation.scenarios import SCENARIOS, ScenarioError, run_scenario, select, world

PUBLISHED = ["craft_wooden_pickaxe", "craft_wooden_sword", "craft_stone_pickaxe", "craft_stone_sword",
             "craft_iron_pickaxe", "craft_iron_sword", "collect_wood", "collect_drink", "collect_stone",
             "collect_coal", "collect_iron", "collect_diamond", "place_table", "place_furnace",
             "place_stone", "place_plant", "eat_plant", "eat_cow", "zombie_defeat", "defeat_skeleton",
             "cow_movement", "random_movement", "wake_up"]


def test_registry_keeps_both_variants_and_the_extra_mechanics() -> None:
    assert len(SCENARIOS) >= 46
    assert all(name in SCENARIOS and SCENARIOS[name].variant == "success" for name in PUBLISHED)
    variants = [s.variant for s in SCENARIOS.values()]
    assert variants.count("failure") == 15
    assert variants.count("extra") >= 8
    for name in ("zombie_spawn_at_night", "zombie_despawn_at_day", "skeleton_shoots_arrow", "plant_ripens",
                 "plant_destroyed_by_cow", "collect_sapling", "lava_death", "food_decay",
                 "zombie_attack_while_asleep", "night_zombie_attack"):
        assert SCENARIOS[name].variant == "extra"


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_every_scenario_shows_its_event_for_several_seeds(name: str) -> None:
    scenario = SCENARIOS[name]
    for seed in (0, 1, 2, 12345):
        run = run_scenario(scenario, seed)
        assert any(scenario.event(t.state, t.action, t.next_state) for t in run.transitions)
        assert run.evaluated and len(run.states) == len(run.transitions) + 1
        if scenario.stop_at_event:
            last = run.transitions[-1]
            assert scenario.event(last.state, last.action, last.next_state)


def test_common_setup_follows_the_published_one() -> None:
    start = SCENARIOS["collect_wood"].build()
    assert start.config.area == (9, 9) and start.player.pos == (5, 5) and start.player.facing == (1, 0)
    assert start.material((6, 5)) == "tree" and list(start.creatures()) == []


def test_a_scenario_without_its_event_is_an_error() -> None:
    no_tree = dataclasses.replace(SCENARIOS["collect_wood"], build=world())
    with pytest.raises(ScenarioError, match="collect_wood.*wood to be collected"):
        run_scenario(no_tree, 0)
    no_cow = dataclasses.replace(SCENARIOS["eat_cow"], build=world(), policy=hunt("cow"))
    with pytest.raises(ScenarioError, match="within 40 steps"):
        run_scenario(no_cow, 3)


def test_scenario_randomness_comes_from_the_seed() -> None:
    scenario = SCENARIOS["random_movement"]
    actions = {seed: [t.action for t in run_scenario(scenario, seed).transitions] for seed in range(6)}
    assert actions[0] == [t.action for t in run_scenario(scenario, 0).transitions]
    assert len({tuple(a) for a in actions.values()}) > 1
    cows = {seed: run_scenario(SCENARIOS["cow_movement"], seed).states[-1].objects[2].pos for seed in range(6)}
    assert len(set(cows.values())) > 1


def test_balance_scenarios_evaluate_only_balance_steps() -> None:
    run = run_scenario(SCENARIOS["zombie_spawn_at_night"], 7)
    assert all(run.transitions[i].next_state.step % 10 == 0 for i in run.evaluated)
    assert run.transitions[0].state.daylight < 0.5


def test_unknown_scenario_names_are_rejected() -> None:
    with pytest.raises(ScenarioError, match="unknown scenarios \\['collect_wod'\\]"):
        select(["collect_wod"])
    with pytest.raises(ScenarioError, match="no scenarios"):
        select([])
