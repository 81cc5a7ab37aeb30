"""Decision situations for the strategy-ranking benchmark, built by hand with ``crafter_oo.edit``.

Each situation is a small Crafter world at a moment of choice, two or more strategies
(sequences of options) to choose between, the reward that says what is at stake, and
the horizon over which it is judged. A model that understands the game should rank the
strategies the way the true game does: e.g. make a pickaxe before mining stone, wall
yourself in before sleeping at night, drink first when thirst is about to kill you.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from crafter_oo import Rules, edit
from crafter_oo.step import night_step
from crafter_oo.state import Pos, WorldState
from crafter_oo.skills.options import Attack, Collect, Craft, Flee, Option, Place, Sleep, Wait
from planners.rewards import Reward, achievement_reward, survival_reward

AREA: Pos = (16, 16)
CENTRE: Pos = (8, 8)


@dataclass(frozen=True, slots=True)
class Situation:
    """One decision: a state, the strategies on offer, what counts, and for how long."""

    name: str
    question: str
    state: WorldState
    strategies: dict[str, tuple[Option, ...]]
    reward: Reward
    horizon: int


def health_change(state: WorldState, action: object, next_state: WorldState) -> float:
    """The change in the player's health: what is at stake when survival is the question."""
    return float(next_state.player.health - state.player.health)


def achievement_and_health(name: str) -> Reward:
    """+1 for earning the achievement ``name``, plus the health change / 10 (as Crafter's own reward)."""
    earned = achievement_reward(name)

    def reward(state: WorldState, action: object, next_state: WorldState) -> float:
        return earned(state, action, next_state) + health_change(state, action, next_state) / 10

    reward.__name__ = f"{name}_and_health"
    return reward


def _world(materials: Iterable[tuple[Pos, str]] = (), creatures: Iterable[tuple[str, Pos]] = (),
           player_pos: Pos = CENTRE, facing: Pos = (1, 0), step: int = 0, seed: int = 0,
           **inventory: int) -> WorldState:
    state = edit.blank_world(area=AREA, player_pos=player_pos, facing=facing, seed=seed)
    for pos, material in materials:
        state = edit.place_material(state, pos, material)
    for kind, pos in creatures:
        state = edit.add_creature(state, kind, pos)
    if inventory:
        state = edit.set_inventory(state, **inventory)
    return edit.set_step(state, step) if step else state


def _block(x0: int, y0: int, x1: int, y1: int, material: str) -> list[tuple[Pos, str]]:
    """Every cell of the rectangle [x0, x1] x [y0, y1] set to ``material``."""
    return [((x, y), material) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def mine_stone() -> Situation:
    state = _world([((7, 8), "table")] + _block(11, 6, 13, 10, "stone"), wood=1)
    return Situation(
        "mine_stone", "Mine stone straight away, or make a wooden pickaxe first?", state,
        {"mine now": (Collect("stone"),),
         "pickaxe first": (Craft("wood_pickaxe"), Collect("stone"))},
        achievement_reward("collect_stone"), horizon=20)


def zombie_sword() -> Situation:
    state = _world([((7, 8), "table")], [("zombie", (12, 8))], wood=1)
    return Situation(
        "zombie_sword", "A zombie approaches: fight bare-handed, make a sword first, or run?", state,
        {"fight bare-handed": (Attack("zombie"),),
         "sword first": (Craft("wood_sword"), Attack("zombie")),
         "run": (Flee("zombie"),)},
        achievement_and_health("defeat_zombie"), horizon=25)


def which_sword() -> Situation:
    state = _world([((7, 8), "table")], [("zombie", (12, 8)), ("zombie", (8, 12))],
                   wood=2, stone=1, health=4)
    return Situation(
        "which_sword", "Two zombies and little health: is a stone sword worth it over a wooden one?",
        state,
        {"wood sword": (Craft("wood_sword"), Attack("zombie"), Attack("zombie")),
         "stone sword": (Craft("stone_sword"), Attack("zombie"), Attack("zombie"))},
        achievement_and_health("defeat_zombie"), horizon=25)


def night_shelter() -> Situation:
    # The player stands in a stone alcove open to the south, with zombies on the grass.
    alcove = [((7, 8), "stone"), ((9, 8), "stone"), ((8, 7), "stone")]
    state = _world(alcove, [("zombie", (8, 12)), ("zombie", (3, 10))], facing=(0, 1),
                   step=night_step(Rules.crafter().day_length), stone=1, energy=2)
    return Situation(
        "night_shelter", "Tired at night with zombies about: sleep as you are, or wall yourself in first?",
        state,
        {"sleep in the open": (Sleep(),),
         "wall in, then sleep": (Place("stone"), Sleep())},
        health_change, horizon=60)


def drink_or_eat() -> Situation:
    # No water left and health about to fall: the lake is 4 steps away, the cow 2.
    state = _world(_block(2, 6, 3, 10, "water"), [("cow", (10, 8))],
                   food=2, drink=0, health=1)
    state = edit.set_vitals(state, recover=-8.0)
    return Situation(
        "drink_or_eat", "Thirsty and hungry with one health left: drink first or eat the cow first?", state,
        {"drink first": (Collect("water"), Attack("cow")),
         "eat first": (Attack("cow"), Collect("water"))},
        survival_reward, horizon=30)


def eat_or_drink() -> Situation:
    # No food left and health about to fall: the cow is 3 steps away, the lake 2.
    state = _world(_block(11, 6, 12, 10, "water"), [("cow", (4, 8))],
                   food=0, drink=3, health=1)
    state = edit.set_vitals(state, recover=-8.0)
    return Situation(
        "eat_or_drink", "Starving with one health left: eat the cow first or drink first?", state,
        {"eat first": (Attack("cow"), Collect("water")),
         "drink first": (Collect("water"), Attack("cow"))},
        survival_reward, horizon=30)


def enough_wood() -> Situation:
    state = _world([((x, y), "tree") for x, y in ((11, 5), (12, 9), (5, 12), (4, 4))])
    table_cost = state.config.rules.place["table"].uses["wood"]
    pickaxe_cost = state.config.rules.make["wood_pickaxe"].uses["wood"]
    return Situation(
        "enough_wood", "To get a pickaxe: place a table after one log, or gather enough wood first?",
        state,
        {"one log": (Collect("tree"), Place("table"), Craft("wood_pickaxe")),
         "enough wood": (*(Collect("tree") for _ in range(table_cost + pickaxe_cost)),
                         Place("table"), Craft("wood_pickaxe"))},
        achievement_reward("make_wood_pickaxe"), horizon=40)


def iron_pickaxe() -> Situation:
    state = _world([((7, 8), "table")], wood=1, coal=1, iron=1)
    state = edit.set_inventory(state, stone=state.config.rules.place["furnace"].uses["stone"])
    return Situation(
        "iron_pickaxe", "Make an iron pickaxe at the table, or place a furnace first?", state,
        {"craft now": (Craft("iron_pickaxe"),),
         "furnace first": (Place("furnace"), Craft("iron_pickaxe"))},
        achievement_reward("make_iron_pickaxe"), horizon=10)


def plant_sapling() -> Situation:
    return Situation(
        "plant_sapling", "To plant: place a plant right away, or gather a sapling from the grass first?",
        _world(),
        {"place now": (Place("plant"),),
         "sapling first": (Collect("grass"), Place("plant"))},
        achievement_reward("place_plant"), horizon=40)


def rest_when_exhausted() -> Situation:
    # A safe stone room; no energy left and health failing: rest or keep waiting?
    room = _block(5, 5, 11, 11, "stone") + _block(6, 6, 10, 10, "grass")
    state = _world(room, energy=0, health=2)
    state = edit.set_vitals(state, recover=-10.0, fatigue=0.0)
    return Situation(
        "rest_when_exhausted", "Exhausted in a safe room: sleep, or stay awake?", state,
        {"sleep": (Sleep(),), "stay awake": (Wait(steps=60),)},
        health_change, horizon=60)


def situations() -> list[Situation]:
    """All decision situations of the benchmark, in a fixed order."""
    return [mine_stone(), zombie_sword(), which_sword(), night_shelter(), drink_or_eat(),
            eat_or_drink(), enough_wood(), iron_pickaxe(), plant_sapling(), rest_when_exhausted()]
