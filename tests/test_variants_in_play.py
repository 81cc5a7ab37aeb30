"""Each shipped variant plays differently from Crafter in the way its file says.

Every test plays the same scene under Crafter's rules and under the variant's and checks
both outcomes; chances are measured over many tries and compared with the rule's probability
within four binomial standard deviations.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Callable

import crafter_oo
from crafter_oo import Rules, WorldState, edit

CRAFTER = Rules.crafter()


def assert_rate(successes: int, tries: int, probability: float) -> None:
    """``successes`` in ``tries`` is within 4 binomial standard deviations of ``probability``."""
    spread = 4 * math.sqrt(tries * probability * (1 - probability))
    assert abs(successes - tries * probability) <= spread, (
        f"{successes}/{tries} = {successes / tries:.3f}, expected {probability:.3f} ± {spread / tries:.3f}")


def rate(scene: WorldState, action: str, happened: Callable[[WorldState, WorldState], bool],
         tries: int) -> int:
    """How often ``happened(before, after)`` holds over ``tries`` steps of ``action`` from
    ``scene``, each try drawing where the previous one's random numbers ended."""
    count = 0
    rng = edit.reseed(scene, 0).rng
    for _ in range(tries):
        before = dataclasses.replace(scene, rng=rng)
        after = crafter_oo.step(before, action).state
        count += happened(before, after)
        rng = after.rng
    return count


def facing_right(rules: Rules, area: tuple[int, int] = (9, 9)) -> WorldState:
    """The player at (4, 4) facing the grass cell (5, 4)."""
    return edit.blank_world(area=area, player_pos=(4, 4), facing=(1, 0), rules=rules)


# --- costs and recipes ----------------------------------------------------------------------

def test_costly_crafting_tables_furnaces_and_tools_cost_what_the_variant_says() -> None:
    costly = crafter_oo.variant("costly_crafting")
    assert dict(costly.place["table"].uses) == {"wood": 4}
    assert dict(costly.place["furnace"].uses) == {"stone": 5, "coal": 1}
    assert dict(costly.make["wood_pickaxe"].uses) == {"wood": 2}

    def placed(rules: Rules, action: str, **inventory: int) -> dict[str, int] | None:
        state = edit.set_inventory(facing_right(rules), **inventory)
        after = crafter_oo.step(state, action).state
        material = action[len("place_"):]
        return dict(after.player.inventory) if after.material((5, 4)) == material else None

    assert placed(CRAFTER, "place_table", wood=3)["wood"] == 1
    assert placed(costly, "place_table", wood=3) is None
    assert placed(costly, "place_table", wood=4)["wood"] == 0
    assert placed(CRAFTER, "place_furnace", stone=5)["stone"] == 1
    assert placed(costly, "place_furnace", stone=5) is None
    after = placed(costly, "place_furnace", stone=5, coal=1)
    assert after["stone"] == 0 and after["coal"] == 0

    def crafted(rules: Rules, tool: str, **inventory: int) -> dict[str, int]:
        state = edit.set_inventory(edit.place_material(facing_right(rules), (5, 4), "table"), **inventory)
        return dict(crafter_oo.step(state, f"make_{tool}").state.player.inventory)

    assert crafted(CRAFTER, "wood_pickaxe", wood=1)["wood_pickaxe"] == 1
    assert crafted(costly, "wood_pickaxe", wood=1)["wood_pickaxe"] == 0
    after = crafted(costly, "wood_pickaxe", wood=2)
    assert after["wood_pickaxe"] == 1 and after["wood"] == 0
    assert crafted(CRAFTER, "stone_pickaxe", wood=1, stone=1)["stone_pickaxe"] == 1
    assert crafted(costly, "stone_pickaxe", wood=1, stone=1)["stone_pickaxe"] == 0
    assert crafted(costly, "stone_pickaxe", wood=1, stone=2)["stone_pickaxe"] == 1


# --- chances --------------------------------------------------------------------------------

def test_fickle_chances_saplings_coal_and_cows_follow_the_variants_probabilities() -> None:
    fickle = crafter_oo.variant("fickle_chances")
    assert fickle.collect["grass"].probability == 0.3 and fickle.collect["coal"].probability == 0.5
    assert fickle.cow.move_prob == 0.9
    sapling = lambda s, s2: s2.player.inventory["sapling"] > s.player.inventory["sapling"]  # noqa: E731
    for rules, p in ((CRAFTER, 0.1), (fickle, 0.3)):
        assert_rate(rate(facing_right(rules), "do", sapling, 1500), 1500, p)

    def coal_scene(rules: Rules) -> WorldState:
        return edit.set_inventory(edit.place_material(facing_right(rules), (5, 4), "coal"), wood_pickaxe=1)

    mined = lambda s, s2: s2.material((5, 4)) == "path"  # noqa: E731
    got_coal = lambda s, s2: s2.player.inventory["coal"] == 1  # noqa: E731
    assert rate(coal_scene(fickle), "do", mined, 100) == 100
    assert rate(coal_scene(CRAFTER), "do", got_coal, 100) == 100
    assert_rate(rate(coal_scene(fickle), "do", got_coal, 600), 600, 0.5)

    def cow_scene(rules: Rules) -> WorldState:
        return edit.add_creature(edit.blank_world(area=(11, 11), player_pos=(0, 0), rules=rules), "cow", (6, 6))

    moved = lambda s, s2: s2.objects[2].pos != s.objects[2].pos  # noqa: E731
    for rules, p in ((CRAFTER, 0.5), (fickle, 0.9)):
        assert_rate(rate(cow_scene(rules), "noop", moved, 600), 600, p)


# --- damages --------------------------------------------------------------------------------

def boxed_zombie(rules: Rules) -> WorldState:
    """A zombie right of the player, walled in so it can only stand and hit."""
    state = facing_right(rules)
    for cell in ((6, 4), (5, 3), (5, 5)):
        state = edit.place_material(state, cell, "stone")
    return edit.add_creature(state, "zombie", (5, 4))


def test_hard_hits_zombies_arrows_and_swords_deal_the_variants_damage() -> None:
    hard = crafter_oo.variant("hard_hits")
    for rules, awake, asleep in ((CRAFTER, 2, 7), (hard, 3, 8)):
        state = boxed_zombie(rules)
        assert crafter_oo.step(state, "noop").state.player.health == 9 - awake
        sleeper = edit.set_vitals(edit.set_inventory(state, energy=3), sleeping=True)
        assert crafter_oo.step(sleeper, "noop").state.player.health == 9 - asleep
    for rules, damage in ((CRAFTER, 2), (hard, 3)):
        arrow = edit.add_creature(facing_right(rules), "arrow", (5, 4), facing=(-1, 0))
        assert crafter_oo.step(arrow, "noop").state.player.health == 9 - damage
    for rules, sword, damage in ((CRAFTER, "wood_sword", 2), (hard, "wood_sword", 3),
                                 (CRAFTER, "iron_sword", 5), (hard, "iron_sword", 8)):
        state = edit.add_creature(edit.set_inventory(boxed_zombie(rules), **{sword: 1}), "cow", (3, 4), health=9)
        state = edit.turn_player(state, (-1, 0))
        assert crafter_oo.step(state, "do").state.objects[3].health == 9 - damage


# --- creature behaviour ---------------------------------------------------------------------

def test_restless_creatures_zombies_chase_from_further_and_skeletons_shoot_from_further() -> None:
    restless = crafter_oo.variant("restless_creatures")
    assert restless.zombie.chase_dist == 12 and restless.skeleton.shoot_dist == 7

    def zombie_ten_away(rules: Rules) -> WorldState:
        world = edit.blank_world(area=(24, 9), player_pos=(2, 4), rules=rules)
        return edit.add_creature(world, "zombie", (12, 4))

    closer = lambda s, s2: s2.objects[2].pos[0] < s.objects[2].pos[0]  # noqa: E731
    # Beyond its chase distance a zombie steps at random (one way in four closes in). Within it,
    # it chases with chase_prob; on the player's row only the long-axis step closes in (the
    # short axis has no offset), and otherwise it steps at random.
    chase = restless.zombie.chase_prob * restless.zombie.long_axis_prob + (1 - restless.zombie.chase_prob) / 4
    for rules, p in ((CRAFTER, 0.25), (restless, chase)):
        assert_rate(rate(zombie_ten_away(rules), "noop", closer, 1000), 1000, p)

    def skeleton_six_away(rules: Rules) -> WorldState:
        world = edit.blank_world(area=(24, 9), player_pos=(2, 4), rules=rules)
        return edit.add_creature(world, "skeleton", (8, 4))

    shot = lambda s, s2: any(obj.kind == "arrow" for obj in s2.objects.values())  # noqa: E731
    assert rate(skeleton_six_away(CRAFTER), "noop", shot, 300) == 0
    assert_rate(rate(skeleton_six_away(restless), "noop", shot, 1000), 1000, 0.7)
    scene = skeleton_six_away(restless)
    shooting = next(after for seed in range(50)
                    if shot(scene, after := crafter_oo.step(edit.reseed(scene, seed), "noop").state))
    assert shooting.objects[2].reload == restless.skeleton.reload == 2


def test_restless_creatures_zombies_spawn_at_the_variants_rate() -> None:
    restless = crafter_oo.variant("restless_creatures")
    assert restless.balance.zombie.spawn_prob == 0.5

    def night_before_balancing(rules: Rules) -> WorldState:
        """One grassy chunk at deep night, no zombie in it, the next step balances."""
        return edit.set_step(edit.blank_world(area=(12, 12), player_pos=(0, 0), rules=rules), 199)

    # A spawn needs the draw and a cell at least spawn_dist from the player (cells are drawn uniformly).
    far = sum(x + y >= 6 for x in range(12) for y in range(12)) / 144
    spawned = lambda s, s2: any(obj.kind == "zombie" for obj in s2.objects.values())  # noqa: E731
    for rules, p in ((CRAFTER, 0.3), (restless, 0.5)):
        assert crafter_oo.daylight_at(200, rules.day_length) < 0.1
        assert_rate(rate(night_before_balancing(rules), "noop", spawned, 1000), 1000, p * far)


# --- vitals and sleep -----------------------------------------------------------------------

def first_changes(state: WorldState, item: str, steps: int) -> list[int]:
    """The steps (1-based) at which ``item`` changes while the player does nothing."""
    changes = []
    for t in range(1, steps + 1):
        after = crafter_oo.step(state, "noop").state
        if after.player.inventory[item] != state.player.inventory[item]:
            changes.append(t)
        state = after
    return changes


def test_weary_energy_food_and_drink_fall_and_sleep_restores_at_the_variants_pace() -> None:
    weary = crafter_oo.variant("weary")
    for rules, energy, food, drink in ((CRAFTER, 31, 26, 21), (weary, 21, 21, 16)):
        state = facing_right(rules)
        assert first_changes(state, "energy", 70)[:2] == [energy, 2 * energy]
        assert first_changes(state, "food", 60)[:2] == [food, 2 * food]
        assert first_changes(state, "drink", 50)[:2] == [drink, 2 * drink]
    for rules, rest in ((CRAFTER, 11), (weary, 6)):
        sleeper = edit.set_vitals(edit.set_inventory(facing_right(rules), energy=3), sleeping=True)
        assert first_changes(sleeper, "energy", 40)[:3] == [rest, 2 * rest, 3 * rest]


# --- the day --------------------------------------------------------------------------------

def test_short_days_night_falls_at_the_variants_step_and_brings_the_night_draws() -> None:
    short = crafter_oo.variant("short_days")
    assert short.day_length == 180
    for rules, nightfall, nights in ((CRAFTER, 148, 125), (short, 89, 75)):
        # On sand no creature is balanced, so only dark rendering draws from the generator.
        state = edit.blank_world(material="sand", rules=rules)
        dark = []
        for t in range(1, rules.day_length + 1):
            after = crafter_oo.step(state, "noop").state
            assert (after.rng != state.rng) == (after.daylight < 0.5)
            if after.daylight < 0.5:
                dark.append(t)
            state = after
        assert dark[0] == nightfall and len(dark) == nights
        assert dark == list(range(nightfall, nightfall + nights))
