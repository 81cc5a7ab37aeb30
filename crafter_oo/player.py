"""The player's update: the chosen action, then vitals, clamping and waking when hurt.

Follows crafter-spec §1.5 step by step, including its quirks (the sleeping override, one
uniform draw per successful collect, crafting failing at x == 0 or y == 0, the clamp only
at the end of the update). Every cost, chance, amount and pace comes from the game's rules.
"""

from __future__ import annotations

from crafter_oo.geometry import ahead
from crafter_oo.rules import ITEM_MAX, MATERIALS, MOVE_DIRECTION, PLAYER_WALKABLE, Vitals
from crafter_oo.state import Cow, Plant, Player, Pos, Skeleton, Zombie
from crafter_oo.turn import Turn


def update_player(turn: Turn, action: str) -> None:
    """Run the player's turn for ``action`` (an action name)."""
    player: Player = turn.writable(1)  # type: ignore[assignment]
    target = ahead(player.pos, player.facing)
    if player.sleeping:
        if player.inventory["energy"] < ITEM_MAX:
            action = "sleep"
        else:
            player.sleeping = False
            player.achievements["wake_up"] += 1
    if action in MOVE_DIRECTION:
        _move(turn, player, MOVE_DIRECTION[action])
    elif action == "do":
        target_id = turn.object_at(target)
        if target_id is not None:
            _do_object(turn, player, target_id)
        else:
            _do_material(turn, player, target)
    elif action == "sleep":
        if player.inventory["energy"] < ITEM_MAX:
            player.sleeping = True
    elif action.startswith("place_"):
        _place(turn, player, action[len("place_"):], target)
    elif action.startswith("make_"):
        _make(turn, player, action[len("make_"):])
    _update_life_stats(player, turn.rules.vitals)
    _degen_or_regen_health(player, turn.rules.vitals)
    for name, amount in player.inventory.items():
        player.inventory[name] = max(0, min(amount, ITEM_MAX))
    if player.inventory["health"] < player.last_health:
        player.sleeping = False
    player.last_health = player.inventory["health"]


def _move(turn: Turn, player: Player, direction: Pos) -> None:
    player.facing = direction
    turn.move(1, player, direction, PLAYER_WALKABLE)
    if turn.material(player.pos) == "lava":
        player.inventory["health"] = 0


def _do_object(turn: Turn, player: Player, target_id: int) -> None:
    rules = turn.rules
    damage = rules.attack.damage(player.inventory)
    target = turn.writable(target_id)
    if isinstance(target, Plant):
        if target.is_ripe(rules):
            target.grown = 0
            player.inventory["food"] += rules.plant.food
            player.achievements["eat_plant"] += 1
    elif isinstance(target, (Zombie, Skeleton)):
        target.health = max(0, target.health - damage)
        if target.health <= 0:
            player.achievements["defeat_zombie" if isinstance(target, Zombie) else "defeat_skeleton"] += 1
    elif isinstance(target, Cow):
        target.health = max(0, target.health - damage)
        if target.health <= 0:
            player.inventory["food"] += rules.cow.food
            player.achievements["eat_cow"] += 1
            player.hunger = rules.vitals.hunger.reset


def _do_material(turn: Turn, player: Player, target: Pos) -> None:
    material = turn.material(target)
    if material == "water":
        player.thirst = turn.rules.vitals.thirst.reset
    rule = turn.rules.collect.get(material)
    if rule is None:
        return
    if any(player.inventory[name] < amount for name, amount in rule.require.items()):
        return
    turn.set_material(target, rule.leaves)
    if turn.rng.random_sample() <= rule.probability:
        for name, amount in rule.receive.items():
            player.inventory[name] += amount
            player.achievements[f"collect_{name}"] += 1


def _place(turn: Turn, player: Player, name: str, target: Pos) -> None:
    if turn.object_at(target) is not None:
        return
    rule = turn.rules.place[name]
    if turn.material(target) not in rule.where:
        return
    if any(player.inventory[item] < amount for item, amount in rule.uses.items()):
        return
    for item, amount in rule.uses.items():
        player.inventory[item] -= amount
    if name == "plant":  # the one placeable that is a creature, not a material
        turn.add(Plant(target, health=turn.rules.plant.health))
    else:
        turn.set_material(target, name)
    player.achievements[f"place_{name}"] += 1


def _make(turn: Turn, player: Player, name: str) -> None:
    rule = turn.rules.make[name]
    if not all(station in _nearby_materials(turn, player.pos) for station in rule.nearby):
        return
    if any(player.inventory[item] < amount for item, amount in rule.uses.items()):
        return
    for item, amount in rule.uses.items():
        player.inventory[item] -= amount
    player.inventory[name] += rule.gives
    player.achievements[f"make_{name}"] += 1


def _nearby_materials(turn: Turn, pos: Pos) -> set[str | None]:
    """Materials in the 3x3 block around ``pos``, as the reference's numpy slice reads them.

    At x == 0 or y == 0 the slice starts at -1 and is empty, so crafting fails there.
    """
    block = turn.materials[pos[0] - 1: pos[0] + 2, pos[1] - 1: pos[1] + 2]
    return {MATERIALS[i] for i in set(block.flatten().tolist())}


def _update_life_stats(player: Player, vitals: Vitals) -> None:
    hunger, thirst, fatigue = vitals.hunger, vitals.thirst, vitals.fatigue
    player.hunger += hunger.asleep if player.sleeping else hunger.awake
    if player.hunger > hunger.threshold:
        player.hunger = hunger.reset
        player.inventory["food"] -= 1
    player.thirst += thirst.asleep if player.sleeping else thirst.awake
    if player.thirst > thirst.threshold:
        player.thirst = thirst.reset
        player.inventory["drink"] -= 1
    if player.sleeping:
        player.fatigue = min(player.fatigue - fatigue.asleep, fatigue.asleep_ceiling)
    else:
        player.fatigue += fatigue.awake
    if player.fatigue < fatigue.rested_below:
        player.fatigue = fatigue.reset
        player.inventory["energy"] += 1
    if player.fatigue > fatigue.tired_above:
        player.fatigue = fatigue.reset
        player.inventory["energy"] -= 1


def _degen_or_regen_health(player: Player, vitals: Vitals) -> None:
    recover = vitals.recover
    inventory = player.inventory
    if inventory["food"] > 0 and inventory["drink"] > 0 and (inventory["energy"] > 0 or player.sleeping):
        player.recover += recover.asleep if player.sleeping else recover.awake
    else:
        player.recover -= recover.decay_asleep if player.sleeping else recover.decay_awake
    if player.recover > recover.heal_above:
        player.recover = recover.reset
        inventory["health"] = max(0, inventory["health"] + 1)
    if player.recover < recover.hurt_below:
        player.recover = recover.reset
        inventory["health"] = max(0, inventory["health"] - 1)
