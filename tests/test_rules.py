"""The rules as a value and as files: Crafter's tables, JSON round trips, named variants,
states that carry their rules, and bad rule files that fail clearly and load nothing."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import crafter.constants
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crafter_oo
from crafter_oo import Rules, RulesError, StateFormatError, WorldState, edit
from crafter_oo.gym_env import Env
from crafter_oo.rules import CRAFTER

VARIANTS = [name for name, _ in crafter_oo.variants() if name != "crafter"]


def test_crafters_tables_are_the_reference_games_data() -> None:
    rules = Rules.crafter()
    assert {material: {"require": dict(c.require), "receive": dict(c.receive), "leaves": c.leaves,
                       "probability": c.probability} for material, c in rules.collect.items()} == {
        material: {**entry, "probability": entry.get("probability", 1)}
        for material, entry in crafter.constants.collect.items()}
    assert {name: (dict(p.uses), set(p.where)) for name, p in rules.place.items()} == {
        name: (entry["uses"], set(entry["where"])) for name, entry in crafter.constants.place.items()}
    assert {name: (dict(m.uses), set(m.nearby), m.gives) for name, m in rules.make.items()} == {
        name: (entry["uses"], set(entry["nearby"]), entry["gives"]) for name, entry in crafter.constants.make.items()}
    assert rules.to_dict() == CRAFTER and Rules.crafter() is rules


def test_at_least_six_variants_each_one_line_and_each_different() -> None:
    listed = dict(crafter_oo.variants())
    assert len(VARIANTS) >= 6 and listed["crafter"]
    for name in VARIANTS:
        assert listed[name].strip() and "\n" not in listed[name]
    loaded = [crafter_oo.variant(name) for name in VARIANTS]
    assert all(rules != Rules.crafter() for rules in loaded)
    assert len({rules.to_json() for rules in loaded}) == len(loaded)


def test_each_variant_changes_a_different_kind_of_rule() -> None:
    crafter_rules = Rules.crafter().to_dict()
    changed = {name: frozenset(key for key, value in crafter_oo.variant(name).to_dict().items()
                               if value != crafter_rules[key]) for name in VARIANTS}
    kinds = {"recipes": {"place", "make"}, "chances": {"collect", "cow"}, "damages": {"zombie", "arrow", "attack"},
             "behaviour": {"zombie", "skeleton", "balance"}, "vitals": {"vitals"}, "day": {"day_length"}}
    covered = {kind for kind, parts in kinds.items() for name in VARIANTS if changed[name] <= parts}
    assert covered == set(kinds), changed


@pytest.mark.parametrize("name", ["crafter", *VARIANTS])
def test_a_state_round_trips_through_json_with_its_rules(name: str) -> None:
    rules = crafter_oo.variant(name)
    assert Rules.from_json(rules.to_json()) == rules
    assert crafter_oo.load_rules(name) == rules
    state = crafter_oo.new_game(3, area=(20, 20), rules=rules)
    for action in [1, 5, 5, 2, 3, 8, 6, 0, 4, 5] * 3:
        state = crafter_oo.step(state, action).state
    text = state.to_json()
    again = WorldState.from_json(text)
    assert again == state and again.config.rules == rules
    assert again.to_json() == text
    assert crafter_oo.step(again, "do").state == crafter_oo.step(state, "do").state


def test_a_version_1_state_file_loads_with_crafters_rules() -> None:
    state = crafter_oo.step(crafter_oo.new_game(0, area=(16, 16)), "move_left").state
    data = state.to_dict()
    del data["config"]["rules"]
    data["format"] = "crafter_oo.WorldState/1"
    again = WorldState.from_dict(json.loads(json.dumps(data)))
    assert again == state and again.config.rules == Rules.crafter()
    assert again.to_dict()["format"] == "crafter_oo.WorldState/2"


def test_a_version_2_state_without_rules_or_with_bad_rules_is_refused() -> None:
    data = edit.blank_world().to_dict()
    del data["config"]["rules"]
    with pytest.raises(StateFormatError, match=r"config\.rules: missing"):
        WorldState.from_dict(data)
    data = edit.blank_world().to_dict()
    data["config"]["rules"]["zombie"]["damage"] = -2
    with pytest.raises(StateFormatError, match=r"config\.rules\.zombie\.damage: expected a non-negative integer, got -2"):
        WorldState.from_dict(data)


def test_the_real_game_holds_only_crafters_rules() -> None:
    state = crafter_oo.new_game(0, area=(16, 16))
    assert crafter_oo.from_crafter(crafter_oo.to_crafter(state)) == state
    with pytest.raises(ValueError, match="rules other than Crafter's"):
        crafter_oo.to_crafter(crafter_oo.new_game(0, area=(16, 16), rules=crafter_oo.variant("hard_hits")))


def test_every_entry_point_builds_worlds_with_the_given_rules() -> None:
    rules = Rules.crafter().replace(zombie={"health": 8}, cow={"health": 1}, day_length=100)
    state = crafter_oo.new_game(1, rules=rules)
    kinds = {creature.kind: creature.health for _, creature in state.creatures()}
    assert kinds["zombie"] == 8 and kinds["cow"] == 1
    assert state.daylight == crafter_oo.daylight_at(0, 100)
    world = edit.blank_world(rules=rules)
    assert edit.add_creature(world, "zombie", (0, 0)).objects[2].health == 8
    assert edit.add_creature(world, "zombie", (0, 0), health=2).objects[2].health == 2
    assert edit.set_step(world, 60).daylight == crafter_oo.daylight_at(60, 100)
    env = Env(area=(16, 16), seed=4, rules=rules)
    observation, _ = env.reset()
    assert observation.config.rules == rules and env.observation_space.contains(observation)
    assert env.step(0)[0].config.rules == rules
    assert not env.observation_space.contains(crafter_oo.new_game(4, area=(16, 16)))


def test_replace_merges_changes_and_checks_them() -> None:
    rules = Rules.crafter()
    dear = rules.replace(make={"wood_pickaxe": {"uses": {"stone": 1}}}, collect={"grass": None})
    assert dict(dear.make["wood_pickaxe"].uses) == {"wood": 1, "stone": 1}
    assert "grass" not in dear.collect and "tree" in dear.collect
    assert rules.replace({"zombie": {"damage": 4}}).zombie.damage == 4
    assert rules.replace(zombie=rules.zombie) == rules
    assert rules.to_dict() == CRAFTER, "replace changed the rules it started from"
    with pytest.raises(RulesError, match=r"^zombie\.damage: expected a non-negative integer, got -1$"):
        rules.replace(zombie={"damage": -1})
    with pytest.raises(RulesError, match=r"^place\.table: missing$"):
        rules.replace(place={"table": None})


def _set(path: str, value: object) -> dict:
    """Crafter's rules as data with one field (a dotted path) set to ``value``."""
    data = copy.deepcopy(CRAFTER)
    *parents, last = path.split(".")
    target = data
    for key in parents:
        target = target[key]
    target[last] = value
    return data


def _drop(path: str) -> dict:
    data = copy.deepcopy(CRAFTER)
    *parents, last = path.split(".")
    target = data
    for key in parents:
        target = target[key]
    del target[last]
    return data


@pytest.mark.parametrize("data, message", [
    (_set("make.wood_pickaxe.uses.wood", -1), r"^make\.wood_pickaxe\.uses\.wood: expected a non-negative integer, got -1$"),
    (_set("make.wood_pickaxe.uses.gold", 1), r"^make\.wood_pickaxe\.uses\.gold: unknown item \"gold\"; expected one of health, "),
    (_set("make.wood_pickaxe.nearby", ["table", "altar"]), r"^make\.wood_pickaxe\.nearby\[1\]: unknown station \(a material\) \"altar\""),
    (_set("make.wood_pickaxe.gives", 0), r"^make\.wood_pickaxe\.gives: expected a positive integer, got 0$"),
    (_set("make.gold_pickaxe", CRAFTER["make"]["wood_pickaxe"]), r"^make\.gold_pickaxe: unknown craftable tool"),
    (_set("collect.grass.probability", 1.5), r"^collect\.grass\.probability: expected a probability in \[0, 1\], got 1\.5$"),
    (_set("collect.grass.probability", "often"), r"^collect\.grass\.probability: expected a probability in \[0, 1\], got \"often\"$"),
    (_set("collect.marble", CRAFTER["collect"]["tree"]), r"^collect\.marble: unknown material \"marble\""),
    (_set("collect.tree.leaves", "ash"), r"^collect\.tree\.leaves: unknown material \"ash\""),
    (_set("collect.tree.receive", {"wood_pickaxe": 1}), r"^collect\.tree\.receive\.wood_pickaxe: unknown collectable item"),
    (_set("place.table.uses.wood", 2.5), r"^place\.table\.uses\.wood: expected a non-negative integer, got 2\.5$"),
    (_set("place.table.where", "grass"), r"^place\.table\.where: expected a list of material names, got \"grass\"$"),
    (_set("zombie.damage", True), r"^zombie\.damage: expected a non-negative integer, got true$"),
    (_set("zombie.chase_prob", -0.1), r"^zombie\.chase_prob: expected a probability in \[0, 1\], got -0\.1$"),
    (_set("zombie.bite", 3), r"^zombie\.bite: unknown field; expected one of health, chase_dist, "),
    (_set("arrow.breaks.water", "path"), r"^arrow\.breaks\.water: unknown material that stops arrows \"water\""),
    (_set("vitals.hunger.awake", -1), r"^vitals\.hunger\.awake: expected a non-negative number, got -1$"),
    (_set("vitals.thirst.threshold", float("inf")), r"^vitals\.thirst\.threshold: expected a finite number, got Infinity$"),
    (_set("day_length", 0), r"^day_length: expected a positive integer, got 0$"),
    (_set("balance.zombie.min_space", 0), r"^balance\.zombie\.min_space: expected a positive integer, got 0$"),
    (_set("balance.cow.max_target.per_daylight", -2.0), r"^balance\.cow\.max_target: a target counts creatures"),
    (_set("balance.cow", []), r"^balance\.cow: expected an object of material, spawn_dist, "),
    (_drop("skeleton.reload"), r"^skeleton\.reload: missing$"),
    (_drop("make.iron_sword"), r"^make\.iron_sword: missing$"),
    (_drop("vitals"), r"^vitals: missing$"),
    ([1, 2], r"^expected an object of collect, place, make, "),
])
def test_bad_rules_name_the_field_and_the_value(data: object, message: str) -> None:
    before = copy.deepcopy(data)
    with pytest.raises(RulesError, match=message):
        Rules.from_dict(data)
    assert data == before, "reading changed its input"
    assert Rules.crafter().to_dict() == CRAFTER


def _paths(data: object, prefix: str = "") -> list[str]:
    """Every dotted path into ``data``'s objects (inner ones and leaves)."""
    if not isinstance(data, dict):
        return []
    return [path for key, value in data.items()
            for path in [f"{prefix}{key}", *_paths(value, f"{prefix}{key}.")]]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 500) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(_paths(CRAFTER)), json_values)
def test_any_json_in_any_field_loads_or_fails_naming_that_field(path: str, value: object) -> None:
    data = _set(path, value)
    try:
        rules = Rules.from_dict(data)
    except RulesError as error:  # the bad field itself, a part holding it, or a field inside it
        assert path.startswith(error.path) or error.path.startswith(path), (path, str(error))
    else:
        assert Rules.from_dict(rules.to_dict()) == rules


def test_malformed_json_text_names_line_and_column() -> None:
    with pytest.raises(RulesError, match=r"^line 2, column 17: not valid JSON \(Expecting value\)$"):
        Rules.from_json('{\n  "day_length": }')


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_rule_files_load_or_fail_naming_the_file_and_the_field(tmp_path: Path) -> None:
    full = write(tmp_path, "full.json", crafter_oo.variant("weary").to_json())
    assert crafter_oo.load_rules(full) == crafter_oo.variant("weary")
    small = write(tmp_path, "mine.json", json.dumps({"description": "zombies bite for 4", "rules": {"zombie": {"damage": 4}}}))
    assert crafter_oo.load_rules(str(small)) == Rules.crafter().replace(zombie={"damage": 4})
    cases = {
        "broken.json": ('{"description": "x",\n "rules": {"zombie": {"damage": 4,}}}',
                        r"broken\.json: line 2, column 35: not valid JSON \(Expecting property name"),
        "negative.json": ('{"description": "x", "rules": {"make": {"wood_pickaxe": {"uses": {"wood": -1}}}}}',
                          r"negative\.json: rules\.make\.wood_pickaxe\.uses\.wood: expected a non-negative integer, got -1$"),
        "unknown.json": ('{"description": "x", "rules": {"place": {"table": {"where": ["cloud"]}}}}',
                         r"unknown\.json: rules\.place\.table\.where\[0\]: unknown material \"cloud\""),
        "twolines.json": ('{"description": "a\\nb", "rules": {}}', r"twolines\.json: description: expected one line"),
        "extra.json": ('{"description": "x", "rules": {}, "author": "me"}', r"extra\.json: author: unknown field"),
        "partial.json": ('{"zombie": {"damage": 4}}', r"partial\.json: collect: missing$"),
        "wrongtype.json": ('{"description": "x", "rules": {"day_length": "long"}}',
                           r"wrongtype\.json: rules\.day_length: expected a positive integer, got \"long\"$"),
    }
    for name, (text, message) in cases.items():
        with pytest.raises(RulesError, match=message):
            crafter_oo.load_rules(write(tmp_path, name, text))


def test_an_unknown_variant_lists_the_known_ones() -> None:
    with pytest.raises(RulesError, match=r"unknown rule variant 'nightmare'; the variants are crafter, "):
        crafter_oo.variant("nightmare")
    with pytest.raises(RulesError, match=r"'nightmare' is neither a rule variant \(crafter, .*short_days"):
        crafter_oo.load_rules("nightmare")
