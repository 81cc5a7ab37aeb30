"""The evaluation scenarios: small hand-made worlds, run in crafter_oo with a scripted
policy, each required to show its intended event.

Every row of the published table appears with its success and its failure variant under
distinct names (``variant`` "success" / "failure"), plus scenarios for mechanics the
published protocol never tested (``variant`` "extra"). The common setup follows the
published one: a 9x9 all-grass world, the player at (5, 5) facing east, the target one
tile east at (6, 5), no creatures unless the scenario adds them.

Scenarios are built in a world's ``Rules`` (``scenarios_for(rules)``): a recipe's inputs, a
cost, a ripening time, a counter's threshold, a damage or the time of night come from the
rules, so a variant's scenarios test the variant. A scenario that cannot happen under the
rules (a failure variant whose missing item the recipe does not use, a chancy success that
cannot be scripted) is left out, with the reason.

``run_scenario`` reseeds the start state's game generator and seeds the policy from the
trial seed, steps the true game, and raises ``ScenarioError`` if the intended event did
not happen: a success scenario in which nothing succeeds is an error, not a data point.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from crafter_oo import edit, step
from crafter_oo.rules import CHUNK_SIZE, Rules
from crafter_oo.state import Pos, WorldState
from onelife.evaluation.policies import ScriptedPolicy, hunt, random_moves, repeat

Event = Callable[[WorldState, str, WorldState], bool]
PLAYER: Pos = (5, 5)
EAST: Pos = (6, 5)


class ScenarioError(RuntimeError):
    """A scenario whose intended event did not happen, or an unknown scenario name."""


@dataclass(frozen=True, slots=True)
class Transition:
    """One recorded step of the true game."""

    state: WorldState
    action: str
    next_state: WorldState


@dataclass(frozen=True, slots=True)
class Scenario:
    """A start world, a policy, and the event the run must show.

    ``stop_at_event``: end the run at the first transition showing the event (else run all
    ``max_steps`` and require the event at least once). ``balance_steps_only``: evaluate only
    the transitions that end on a population-balance step (the step count a multiple of 10),
    the only ones where spawning and despawning can happen.
    """

    name: str
    variant: str
    mechanic: str
    build: Callable[[], WorldState]
    policy: ScriptedPolicy
    event: Event
    event_text: str
    max_steps: int = 1
    stop_at_event: bool = True
    balance_steps_only: bool = False


@dataclass(frozen=True, slots=True)
class Run:
    """A scenario's recorded trajectory and which of its transitions are evaluated."""

    scenario: Scenario
    seed: int
    transitions: tuple[Transition, ...]
    evaluated: tuple[int, ...]

    @property
    def states(self) -> list[WorldState]:
        """s_0 .. s_n of the trajectory (for temporal distractors)."""
        return [self.transitions[0].state] + [t.next_state for t in self.transitions]


def run_scenario(scenario: Scenario, seed: int) -> Run:
    """Play ``scenario`` in the true game with everything random drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    state = edit.reseed(scenario.build(), seed)
    transitions: list[Transition] = []
    happened = False
    for t in range(scenario.max_steps):
        action = scenario.policy(state, t, rng)
        result = step(state, action)
        transitions.append(Transition(state, action, result.state))
        if scenario.event(state, action, result.state):
            happened = True
            if scenario.stop_at_event:
                break
        if result.done:
            break
        state = result.state
    if not happened:
        raise ScenarioError(f"scenario {scenario.name!r} (seed {seed}): expected {scenario.event_text} "
                            f"within {scenario.max_steps} steps, but it did not happen")
    evaluated = tuple(i for i, tr in enumerate(transitions)
                      if not scenario.balance_steps_only or tr.next_state.step % 10 == 0)
    if not evaluated:
        raise ScenarioError(f"scenario {scenario.name!r} (seed {seed}): no transition ends on a "
                            f"balance step")
    return Run(scenario, seed, tuple(transitions), evaluated)


# --- building blocks ---------------------------------------------------------------------

def world(materials: dict[Pos, str] | None = None, creatures: tuple[tuple[str, Pos, dict[str, Any]], ...] = (),
          inventory: dict[str, int] | None = None, vitals: dict[str, Any] | None = None,
          start_step: int | None = None, area: Pos = (9, 9), player: Pos = PLAYER,
          all_chunks_known: bool = False, rules: Rules = Rules.crafter()) -> Callable[[], WorldState]:
    """A builder for an all-grass world with the given edits (creatures in creation order).

    ``all_chunks_known`` registers every 12x12 chunk of the map with the balancer, as a
    generated world does, so spawning and despawning act on the whole map.
    """
    def build() -> WorldState:
        state = edit.blank_world(area=area, player_pos=player, facing=(1, 0), rules=rules)
        if all_chunks_known:
            state = _know_all_chunks(state)
        for pos, material in (materials or {}).items():
            state = edit.place_material(state, pos, material)
        for kind, pos, fields in creatures:
            state = edit.add_creature(state, kind, pos, **fields)
        if inventory:
            state = edit.set_inventory(state, **inventory)
        if vitals:
            state = edit.set_vitals(state, **vitals)
        if start_step is not None:
            state = edit.set_step(state, start_step)
        return state
    return build


def _know_all_chunks(state: WorldState) -> WorldState:
    """Register every chunk (by adding and removing a cow in it) without leaving objects behind."""
    width, height = state.config.area
    for x in range(0, width, CHUNK_SIZE[0]):
        for y in range(0, height, CHUNK_SIZE[1]):
            cell = next((x + i, y + j) for i in range(CHUNK_SIZE[0]) for j in range(CHUNK_SIZE[1])
                        if state.object_at((x + i, y + j)) is None)
            oid = state.next_id
            state = edit.remove_creature(edit.add_creature(state, "cow", cell), oid)
    return state


def achieves(name: str) -> Event:
    """The achievement counter ``name`` went up."""
    return lambda s, a, s2: s2.player.achievements[name] > s.player.achievements[name]


def misses(action: str, name: str) -> Event:
    """``action`` was taken and the achievement ``name`` did not go up."""
    return lambda s, a, s2: a == action and s2.player.achievements[name] == s.player.achievements[name]


def born(kind: str) -> Event:
    """A creature of ``kind`` appeared."""
    return lambda s, a, s2: any(oid not in s.objects for oid, _ in s2.creatures(kind))


def gone(kind: str) -> Event:
    """A creature of ``kind`` disappeared."""
    return lambda s, a, s2: any(oid not in s2.objects for oid, _ in s.creatures(kind))


def moved(kind: str) -> Event:
    """A creature of ``kind`` changed cell."""
    return lambda s, a, s2: any(oid in s2.objects and s2.objects[oid].pos != c.pos
                                for oid, c in s.creatures(kind))


def player_moved(s: WorldState, a: str, s2: WorldState) -> bool:
    return s2.player.pos != s.player.pos


def health_drops(by: int) -> Event:
    """The player's health fell by at least ``by``."""
    return lambda s, a, s2: s.player.health - s2.player.health >= by


def item_drops(item: str) -> Event:
    return lambda s, a, s2: s2.player.inventory[item] < s.player.inventory[item]


def item_rises(item: str) -> Event:
    return lambda s, a, s2: s2.player.inventory[item] > s.player.inventory[item]


def becomes(pos: Pos, material: str) -> Event:
    return lambda s, a, s2: s.material(pos) != material and s2.material(pos) == material


def ripens(s: WorldState, a: str, s2: WorldState) -> bool:
    rules = s.config.rules
    return any(oid in s2.objects and s2.objects[oid].is_ripe(rules)  # type: ignore[union-attr]
               and not p.is_ripe(rules) for oid, p in s.creatures("plant"))  # type: ignore[union-attr]


# --- the published table, both variants ---------------------------------------------------

Registry = tuple[dict[str, Scenario], dict[str, str]]  # scenarios by name; left out: name -> reason
CRAFTER_DAY = 300  # times of day below are given as steps of Crafter's day, scaled to the world's
NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight")
_TOOL_NAMES = {"wood_pickaxe": "wooden_pickaxe", "wood_sword": "wooden_sword",
               "stone_pickaxe": "stone_pickaxe", "stone_sword": "stone_sword",
               "iron_pickaxe": "iron_pickaxe", "iron_sword": "iron_sword"}
_CRAFT_MISSING = {"wood_pickaxe": "wood", "wood_sword": "wood", "stone_pickaxe": "stone",
                  "stone_sword": "stone", "iron_pickaxe": "wood", "iron_sword": "wood"}
STATION_CELLS: tuple[Pos, ...] = (EAST, (4, 5), (5, 4), (5, 6))  # where a recipe's stations go, in order
PLACING_ORDER = ("table", "furnace", "stone", "plant")  # the published table's order
CERTAINTY = 1e-9  # a chancy event is scripted with enough tries to miss it only this rarely


def _at_time_of_day(rules: Rules, crafter_step: int) -> int:
    """The step of the world's first day at the same time of day as ``crafter_step`` of Crafter's."""
    return crafter_step * rules.day_length // CRAFTER_DAY


def _tries(probability: float) -> int:
    """Tries after which an event of this chance has happened but for ``CERTAINTY``."""
    return 1 if probability >= 1 else int(np.ceil(np.log(CERTAINTY) / np.log1p(-probability)))


def _crafting(rules: Rules) -> Registry:
    scenarios, left_out = {}, {}
    for tool, title in _TOOL_NAMES.items():
        recipe = rules.make[tool]
        if len(recipe.nearby) > len(STATION_CELLS):
            left_out[f"craft_{title}"] = f"the recipe needs more than {len(STATION_CELLS)} stations"
            continue
        stations = dict(zip(STATION_CELLS, recipe.nearby))
        missing = _CRAFT_MISSING[tool]
        action = f"make_{tool}"
        name = f"craft_{title}"
        scenarios[name] = Scenario(name, "success", f"crafting a {tool}",
                                   world(stations, inventory=dict(recipe.uses), rules=rules), repeat(action),
                                   achieves(action), f"a {tool} to be made")
        name = f"craft_{title}_without_{missing}"
        if recipe.uses.get(missing, 0) == 0:
            left_out[name] = f"the recipe for a {tool} does not use {missing}"
            continue
        scenarios[name] = Scenario(name, "failure", f"crafting a {tool} without {missing}",
                                   world(stations, inventory=dict(recipe.uses) | {missing: 0}, rules=rules),
                                   repeat(action), misses(action, action), f"{action} to make nothing")
    return scenarios, left_out


def _meets(inventory: dict[str, int], require: dict[str, int]) -> bool:
    return all(inventory.get(item, 0) >= amount for item, amount in require.items())


def _collecting(rules: Rules) -> Registry:
    rows = [  # material, item, failure suffix and the (weaker) tools it holds
        ("tree", "wood", None, None),
        ("water", "drink", None, None),
        ("stone", "stone", "without_pickaxe", {}),
        ("coal", "coal", "without_pickaxe", {}),
        ("iron", "iron", "with_wood_pickaxe", {"wood_pickaxe": 1}),
        ("diamond", "diamond", "without_iron_pickaxe", {"wood_pickaxe": 1, "stone_pickaxe": 1}),
    ]
    scenarios, left_out = {}, {}
    for material, item, suffix, weak_tools in rows:
        achievement = f"collect_{item}"
        rule = rules.collect.get(material)
        if rule is None or item not in rule.receive:
            left_out[achievement] = f"do on {material} gives no {item} in this world"
            continue
        extra = {"drink": 0} if item == "drink" else {}
        tries = _tries(rule.probability)
        if tries > 1 and rule.leaves != material:
            left_out[achievement] = (f"{material} gives {item} with chance {rule.probability:g} and is gone after "
                                     f"one try, so a success cannot be scripted")
        else:
            scenarios[achievement] = Scenario(achievement, "success", f"collecting {item} from {material}",
                                              world({EAST: material}, inventory=dict(rule.require) | extra, rules=rules),
                                              repeat("do"), achieves(achievement), f"{item} to be collected",
                                              max_steps=tries)
        if suffix is None:
            continue
        name = f"{achievement}_{suffix}"
        if _meets(weak_tools, dict(rule.require)):
            left_out[name] = f"collecting {item} {suffix.replace('_', ' ')} succeeds in this world"
            continue
        scenarios[name] = Scenario(name, "failure", f"collecting {item} {suffix.replace('_', ' ')}",
                                   world({EAST: material}, inventory=weak_tools, rules=rules), repeat("do"),
                                   misses("do", achievement), f"do on {material} to collect nothing")
    return scenarios, left_out


def _short_of(uses: dict[str, int]) -> tuple[str, dict[str, int]]:
    """A failure variant's name suffix and inventory: one short of the first thing placing uses."""
    item, amount = next(iter(uses.items()))
    suffix = f"with_{NUMBERS[amount - 1]}_{item}" if amount > 1 else f"without_{item}"
    return suffix, dict(uses) | {item: amount - 1}


def _placing(rules: Rules) -> Registry:
    extra_materials = {"furnace": {(5, 4): "table"}}  # as the published setup: a table nearby
    scenarios, left_out = {}, {}
    for thing in PLACING_ORDER:
        rule = rules.place[thing]
        action = f"place_{thing}"
        if "grass" not in rule.where:
            left_out[action] = f"a {thing} cannot be placed on grass in this world"
            continue
        materials = extra_materials.get(thing, {})
        scenarios[action] = Scenario(action, "success", f"placing a {thing}",
                                     world(materials, inventory=dict(rule.uses), rules=rules), repeat(action),
                                     achieves(action), f"a {thing} to be placed")
        if not rule.uses:
            left_out[f"{action}_short"] = f"placing a {thing} costs nothing in this world"
            continue
        suffix, short = _short_of(dict(rule.uses))
        name = f"{action}_{suffix}"
        scenarios[name] = Scenario(name, "failure", f"placing a {thing} {suffix.replace('_', ' ')}",
                                   world(materials, inventory=short, rules=rules), repeat(action),
                                   misses(action, action), f"{action} to place nothing")
    return scenarios, left_out


def _creatures_and_sleep(rules: Rules) -> Registry:
    cornered = {EAST: "path", (7, 5): "stone", (6, 4): "stone", (6, 6): "stone"}
    ripe = rules.plant.ripe_after + 1
    fatigue = rules.vitals.fatigue
    scenarios = [
        Scenario("eat_plant", "success", "eating a ripe plant",
                 world(creatures=(("plant", EAST, {"grown": ripe}),), inventory={"food": 5}, rules=rules),
                 repeat("do"), achieves("eat_plant"), "the ripe plant to be eaten"),
        Scenario("eat_plant_unripe", "failure", "eating an unripe plant",
                 world(creatures=(("plant", EAST, {"grown": rules.plant.ripe_after // 3}),), inventory={"food": 5},
                       rules=rules),
                 repeat("do"), misses("do", "eat_plant"), "do on the unripe plant to eat nothing"),
        Scenario("eat_cow", "success", "hunting and eating a cow",
                 world(creatures=(("cow", EAST, {}),), inventory={"food": 5}, rules=rules),
                 hunt("cow"), achieves("eat_cow"), "the cow to be eaten", max_steps=40),
        Scenario("zombie_defeat", "success", "defeating a zombie with a wood sword",
                 world(creatures=(("zombie", EAST, {}),), inventory={"wood_sword": 1}, rules=rules),
                 hunt("zombie"), achieves("defeat_zombie"), "the zombie to be defeated", max_steps=15),
        Scenario("defeat_skeleton", "success", "defeating a skeleton cornered in a tunnel's dead end",
                 world(cornered, creatures=(("skeleton", EAST, {}),), rules=rules),
                 hunt("skeleton"), achieves("defeat_skeleton"), "the skeleton to be defeated",
                 max_steps=10),
        Scenario("cow_movement", "success", "a cow wandering",
                 world(creatures=(("cow", (6, 6), {}),), rules=rules), repeat("noop"), moved("cow"),
                 "the cow to move", max_steps=30, stop_at_event=False),
        Scenario("random_movement", "success", "the player moving at random",
                 world(rules=rules), random_moves(), player_moved, "the player to move",
                 max_steps=10, stop_at_event=False),
        Scenario("wake_up", "success", "sleeping until rested and waking up",
                 world(inventory={"energy": 8}, vitals={"fatigue": 0}, rules=rules), repeat("sleep"),
                 achieves("wake_up"), "the player to wake up",
                 max_steps=int(np.ceil(-fatigue.rested_below / fatigue.asleep)) + 5),
    ]
    return {s.name: s for s in scenarios}, {}


# --- mechanics the published protocol never tested ----------------------------------------

def _extra(rules: Rules) -> Registry:
    big = {"area": (24, 24), "all_chunks_known": True, "rules": rules}
    small = {"rules": rules}
    far_zombies = tuple(("zombie", pos, {}) for pos in ((11, 11), (20, 4), (4, 20), (20, 20)))
    vitals = rules.vitals
    sapling = rules.collect.get("grass")
    scenarios = [
        Scenario("zombie_spawn_at_night", "extra", "zombies spawning on grass at night",
                 world(start_step=_at_time_of_day(rules, 179), player=(12, 12), **big), repeat("noop"),
                 born("zombie"), "a zombie to spawn", max_steps=90, balance_steps_only=True),
        Scenario("zombie_despawn_at_day", "extra", "zombies despawning in daylight",
                 world(creatures=far_zombies, start_step=_at_time_of_day(rules, 19), player=(3, 3), **big),
                 repeat("noop"), gone("zombie"), "a zombie to despawn", max_steps=90, balance_steps_only=True),
        Scenario("skeleton_shoots_arrow", "extra", "a skeleton shooting an arrow",
                 world(creatures=(("skeleton", (5, 1), {}),), **small), repeat("noop"),
                 born("arrow"), "an arrow to be shot", max_steps=30),
        Scenario("arrow_hits_player", "extra", "an arrow flying into the player",
                 world(creatures=(("arrow", (8, 5), {"facing": (-1, 0)}),), **small), repeat("noop"),
                 health_drops(rules.arrow.damage), "the arrow to hurt the player", max_steps=5),
        Scenario("arrow_breaks_table", "extra", "an arrow turning a table into path",
                 world({(5, 1): "table"}, creatures=(("arrow", (5, 3), {"facing": (0, -1)}),), **small),
                 repeat("noop"), becomes((5, 1), rules.arrow.breaks.get("table", "table")),
                 "the table to break", max_steps=5),
        Scenario("plant_ripens", "extra", "a sapling growing ripe",
                 world(creatures=(("plant", EAST, {"grown": rules.plant.ripe_after - 2}),), **small),
                 repeat("noop"), ripens, "the plant to ripen", max_steps=5),
        Scenario("plant_destroyed_by_cow", "extra", "a sapling trampled by a neighbouring cow",
                 world(creatures=(("plant", EAST, {}), ("cow", (7, 5), {})), **small), repeat("noop"),
                 gone("plant"), "the plant to be destroyed", max_steps=5),
        Scenario("lava_death", "extra", "walking into lava",
                 world({EAST: "lava"}, **small), repeat("move_right"), health_drops(9),
                 "the player to die in lava"),
        Scenario("food_decay", "extra", "food decaying with hunger",
                 world(vitals={"hunger": vitals.hunger.threshold - 2 * vitals.hunger.awake}, **small),
                 repeat("noop"), item_drops("food"), "food to drop", max_steps=5),
        Scenario("drink_decay", "extra", "drink decaying with thirst",
                 world(vitals={"thirst": vitals.thirst.threshold - 2 * vitals.thirst.awake}, **small),
                 repeat("noop"), item_drops("drink"), "drink to drop", max_steps=5),
        Scenario("energy_decay", "extra", "energy decaying with fatigue",
                 world(vitals={"fatigue": vitals.fatigue.tired_above - 2 * vitals.fatigue.awake}, **small),
                 repeat("noop"), item_drops("energy"), "energy to drop", max_steps=5),
        Scenario("starvation_damage", "extra", "losing health while starving",
                 world(inventory={"food": 0},
                       vitals={"recover": vitals.recover.hurt_below + 2 * vitals.recover.decay_awake}, **small),
                 repeat("noop"), health_drops(1), "health to drop", max_steps=5),
        Scenario("health_regeneration", "extra", "regaining health while fed and rested",
                 world(inventory={"health": 5},
                       vitals={"recover": vitals.recover.heal_above - 2 * vitals.recover.awake}, **small),
                 repeat("noop"), item_rises("health"), "health to rise", max_steps=5),
        Scenario("zombie_attack_while_asleep", "extra",
                 f"a zombie hitting a sleeping player (damage {rules.zombie.sleep_damage})",
                 world(creatures=(("zombie", EAST, {}),), inventory={"energy": 3}, vitals={"sleeping": True},
                       **small),
                 repeat("sleep"), health_drops(rules.zombie.sleep_damage),
                 f"the sleeping player to take {rules.zombie.sleep_damage} damage", max_steps=10),
        Scenario("night_zombie_attack", "extra", "a zombie chasing and hitting the player at night",
                 world(creatures=(("zombie", (8, 5), {}),), start_step=_at_time_of_day(rules, 180), **small),
                 repeat("noop"), health_drops(rules.zombie.damage), "the zombie to hurt the player", max_steps=30),
    ]
    left_out = {}
    if sapling is None or "sapling" not in sapling.receive or sapling.leaves != "grass":
        left_out["collect_sapling"] = "grass does not drop saplings (and stay grass) in this world"
    else:
        scenarios.insert(7, Scenario("collect_sapling", "extra",
                                     f"the {sapling.probability:.0%} sapling drop from grass",
                                     world(**small), repeat("do"), achieves("collect_sapling"),
                                     "a sapling to drop", max_steps=_tries(sapling.probability)))
    return {s.name: s for s in scenarios}, left_out


def scenarios_for(rules: Rules) -> Registry:
    """Every scenario built in the world of ``rules``, and those left out with the reason."""
    scenarios: dict[str, Scenario] = {}
    left_out: dict[str, str] = {}
    for part in (_crafting, _collecting, _placing, _creatures_and_sleep, _extra):
        found, skipped = part(rules)
        assert not set(found) & set(scenarios), "scenario names must be distinct"
        scenarios.update(found)
        left_out.update(skipped)
    return scenarios, left_out


SCENARIOS: dict[str, Scenario] = scenarios_for(Rules.crafter())[0]  # Crafter's: all of them


def select(names: list[str] | None, registry: dict[str, Scenario] = SCENARIOS) -> list[Scenario]:
    """The scenarios named (all, in registry order, for ``None``), or a clear error."""
    if names is None:
        return list(registry.values())
    unknown = [n for n in names if n not in registry]
    if unknown:
        raise ScenarioError(f"unknown scenarios {unknown}; known: {list(registry)}")
    if not names:
        raise ScenarioError("no scenarios selected")
    return [registry[n] for n in names]
