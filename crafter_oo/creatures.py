"""One short update per creature kind: cows wander, zombies chase and hit, skeletons
keep their distance and shoot, arrows fly, plants grow (crafter-spec §2.1-2.5).

Every function draws from the game generator in exactly the reference's order and reads its
probabilities, distances and damages from the game's rules. A creature
whose health reached 0 is removed at the start of its own update but finishes it, as in
the reference: its moves are ignored, yet it still draws, hits and shoots.
"""

from __future__ import annotations

from typing import Callable

from crafter_oo.geometry import ahead, distance, neighbours
from crafter_oo.rules import ARROW_WALKABLE, DIRECTIONS, WALKABLE
from crafter_oo.state import Arrow, Cow, Player, Plant, Pos, Skeleton, Zombie
from crafter_oo.turn import Turn


def toward(source: Pos, target: Pos, long_axis: bool = True) -> Pos:
    """Unit step from ``source`` toward ``target`` along the long (or short) axis.

    Ties go to y on the long axis; a zero component gives (0, 0), a move that fails.
    """
    dx, dy = target[0] - source[0], target[1] - source[1]
    if (abs(dx) > abs(dy)) if long_axis else (abs(dx) <= abs(dy)):
        return (dx > 0) - (dx < 0), 0
    return 0, (dy > 0) - (dy < 0)


def random_direction(turn: Turn) -> Pos:
    return DIRECTIONS[turn.rng.randint(0, 4)]


def hurt(turn: Turn, oid: int, amount: int) -> None:
    """Lower an object's health, floored at 0 like the reference's health setter."""
    obj = turn.writable(oid)
    if isinstance(obj, Player):
        obj.inventory["health"] = max(0, obj.inventory["health"] - amount)
    else:
        obj.health = max(0, obj.health - amount)


def update_cow(turn: Turn, oid: int) -> None:
    cow: Cow = turn.writable(oid)  # type: ignore[assignment]
    if cow.health <= 0:
        turn.remove(oid)
    if turn.rng.random_sample() < turn.rules.cow.move_prob:
        turn.move(oid, cow, random_direction(turn), WALKABLE)


def update_zombie(turn: Turn, oid: int) -> None:
    zombie: Zombie = turn.writable(oid)  # type: ignore[assignment]
    if zombie.health <= 0:
        turn.remove(oid)
    rules = turn.rules.zombie
    player = turn.player
    if distance(zombie.pos, player.pos) <= rules.chase_dist and turn.rng.random_sample() < rules.chase_prob:
        long_axis = turn.rng.random_sample() < rules.long_axis_prob
        turn.move(oid, zombie, toward(zombie.pos, player.pos, long_axis), WALKABLE)
    else:
        turn.move(oid, zombie, random_direction(turn), WALKABLE)
    if distance(zombie.pos, player.pos) <= rules.attack_dist:
        if zombie.cooldown:
            zombie.cooldown -= 1
        else:
            hurt(turn, 1, rules.sleep_damage if player.sleeping else rules.damage)
            zombie.cooldown = rules.cooldown


def update_skeleton(turn: Turn, oid: int) -> None:
    skeleton: Skeleton = turn.writable(oid)  # type: ignore[assignment]
    if skeleton.health <= 0:
        turn.remove(oid)
    rules = turn.rules.skeleton
    skeleton.reload = max(0, skeleton.reload - 1)
    player_pos = turn.player.pos
    dist = distance(skeleton.pos, player_pos)
    rng = turn.rng
    if dist <= rules.flee_dist:
        dx, dy = toward(skeleton.pos, player_pos, rng.random_sample() < rules.flee_long_axis_prob)
        if turn.move(oid, skeleton, (-dx, -dy), WALKABLE):
            return
    if dist <= rules.shoot_dist and rng.random_sample() < rules.shoot_prob:
        _shoot(turn, skeleton, toward(skeleton.pos, player_pos))
    elif dist <= rules.chase_dist and rng.random_sample() < rules.chase_prob:
        long_axis = rng.random_sample() < rules.chase_long_axis_prob
        turn.move(oid, skeleton, toward(skeleton.pos, player_pos, long_axis), WALKABLE)
    elif rng.random_sample() < rules.wander_prob:
        turn.move(oid, skeleton, random_direction(turn), WALKABLE)


def _shoot(turn: Turn, skeleton: Skeleton, direction: Pos) -> None:
    if skeleton.reload > 0 or direction == (0, 0):
        return
    target = ahead(skeleton.pos, direction)
    if turn.is_free(target, ARROW_WALKABLE):
        turn.add(Arrow(target, direction, health=turn.rules.arrow.health))
        skeleton.reload = turn.rules.skeleton.reload


def update_arrow(turn: Turn, oid: int) -> None:
    arrow: Arrow = turn.writable(oid)  # type: ignore[assignment]
    rules = turn.rules.arrow
    target = ahead(arrow.pos, arrow.facing)
    victim = turn.object_at(target)
    if victim is not None:
        hurt(turn, victim, rules.damage)
        turn.remove(oid)
        return
    material = turn.material(target)
    if material not in ARROW_WALKABLE:
        turn.remove(oid)
        broken = rules.breaks.get(material)
        if broken is not None:
            turn.set_material(target, broken)
    else:
        turn.move(oid, arrow, arrow.facing, ARROW_WALKABLE)


def update_plant(turn: Turn, oid: int) -> None:
    plant: Plant = turn.writable(oid)  # type: ignore[assignment]
    plant.grown += 1
    for cell in neighbours(plant.pos):
        neighbour = turn.object_at(cell)
        if neighbour is not None and turn.objects[neighbour].kind in ("zombie", "skeleton", "cow"):
            plant.health = max(0, plant.health - turn.rules.plant.trample_damage)
            break
    if plant.health <= 0:
        turn.remove(oid)


CREATURE_UPDATES: dict[str, Callable[[Turn, int], None]] = {
    "cow": update_cow, "zombie": update_zombie, "skeleton": update_skeleton,
    "arrow": update_arrow, "plant": update_plant,
}
