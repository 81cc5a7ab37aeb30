"""What happened in a life, read off its states: the cause of death, the game mechanics at
work in each transition, and a summary for people.

This is analysis, not file format: ``onelife.trajectory`` stores and loads lives, this
module interprets them (for ``onelife explore``'s report, the benchmarks and the tests).
"""

from __future__ import annotations

import textwrap
from collections import Counter
from typing import Any

import numpy as np

from crafter_oo.geometry import ahead, distance
from crafter_oo.state import WorldState

from onelife.trajectory import Trajectory

_FIGHTS = ("cow", "zombie", "skeleton")


def cause_of_death(state: WorldState, action: str, next_state: WorldState) -> str:
    """What killed the player in this transition, in Crafter's terms.

    ``"lava"``, ``"zombie"``, ``"arrow (skeleton)"``, or the empty vitals behind a health
    loss (``"starvation"``, ``"thirst"``, ``"exhaustion"``, joined by ``" and "``);
    ``"alive"`` when the player still has health.
    """
    player = next_state.player
    if player.health > 0:
        return "alive"
    if next_state.material(player.pos) == "lava":
        return "lava"
    # A zombie's cooldown is reset to its maximum exactly on the step it hits; a zombie
    # killed this step still finishes its update and may hit with its last breath.
    cooldown = state.config.rules.zombie.cooldown
    if any(z.cooldown == cooldown and distance(z.pos, player.pos) <= 1
           for _, z in next_state.creatures("zombie")) or any(
            oid not in next_state.objects and z.cooldown == 0 and distance(z.pos, player.pos) <= 1
            for oid, z in state.creatures("zombie")):
        return "zombie"
    if any(oid not in next_state.objects and ahead(arrow.pos, arrow.facing) == player.pos
           for oid, arrow in state.creatures("arrow")):
        return "arrow (skeleton)"
    empty = [cause for cause, vital in (("starvation", "food"), ("thirst", "drink"), ("exhaustion", "energy"))
             if player.inventory[vital] == 0]
    return " and ".join(empty) if empty else "unknown"


def mechanics(state: WorldState, action: str, next_state: WorldState) -> Counter[str]:
    """The game mechanics at work in one transition, with how often each occurred.

    Outcomes (an achievement's name when its count rose, ``hit_<kind>``, ``cow_moved``,
    ``zombie_moved_closer``, ``zombie_attack``, ``arrow_shot``, ``spawn_<kind>``,
    ``despawn_<kind>``, vitals changes, ``failed_<action>`` for a place or make that did
    nothing) and the chances the random ones had: ``cow_turn`` (a cow was updated),
    ``zombie_near`` (a zombie within chase range), ``sapling_attempt`` (``do`` on bare
    grass), ``skeleton_in_range`` (a loaded skeleton within shooting range),
    ``balance_check`` (a chunk-balancing step).
    """
    seen: Counter[str] = Counter()
    player, after = state.player, next_state.player
    for name, count in after.achievements.items():
        if count > player.achievements[name]:
            seen[name] += 1
    awake = not player.sleeping
    target = ahead(player.pos, player.facing)
    target_id = state.object_at(target)
    if awake and action == "do":
        if target_id is not None and state.objects[target_id].kind in _FIGHTS:
            seen[f"hit_{state.objects[target_id].kind}"] += 1
        elif target_id is None and state.material(target) == "grass":
            seen["sapling_attempt"] += 1
    if awake and action.startswith(("place_", "make_")) and after.achievements == player.achievements:
        seen[f"failed_{action}"] += 1
    if after.pos != player.pos:
        seen["player_moved"] += 1
    for vital in ("health", "food", "drink", "energy"):
        change = after.inventory[vital] - player.inventory[vital]
        if change:
            seen[f"{vital}_{'up' if change > 0 else 'down'}"] += 1
    if after.sleeping and not player.sleeping:
        seen["fell_asleep"] += 1
    radius = state.config.update_radius
    rules = state.config.rules
    for oid, creature in state.creatures():
        if distance(creature.pos, after.pos) >= radius:
            continue
        moved = oid in next_state.objects and next_state.objects[oid].pos != creature.pos
        if creature.kind == "cow":
            seen["cow_turn"] += 1
            seen["cow_moved"] += moved
        elif creature.kind == "zombie" and distance(creature.pos, after.pos) <= rules.zombie.chase_dist:
            seen["zombie_near"] += 1
            if oid in next_state.objects:
                closer = distance(next_state.objects[oid].pos, after.pos) < distance(creature.pos, after.pos)
                seen["zombie_moved_closer"] += closer
                seen["zombie_attack"] += next_state.objects[oid].cooldown == rules.zombie.cooldown
        elif (creature.kind == "skeleton" and creature.reload <= 1
              and distance(creature.pos, after.pos) <= rules.skeleton.shoot_dist):
            seen["skeleton_in_range"] += 1
    for oid, creature in next_state.creatures():
        if oid not in state.objects:
            seen["arrow_shot" if creature.kind == "arrow" else f"spawn_{creature.kind}"] += 1
    for oid, creature in state.creatures():
        if oid not in next_state.objects and creature.kind in _FIGHTS:
            seen[f"{'killed' if creature.health <= 0 else 'despawn'}_{creature.kind}"] += 1
    if next_state.step % 10 == 0:
        seen["balance_check"] += 1
    changed = np.argwhere(state.materials != next_state.materials)
    if len(changed) and not any(tuple(cell) == target for cell in changed.tolist()):
        seen["tile_changed_by_world"] += 1
    return +seen


def life_cause_of_death(life: Trajectory) -> str:
    """What killed the player, judged from the life's last transition (``"alive"`` if nothing did)."""
    if not life.actions:
        return "alive"
    return cause_of_death(*life.transitions[-1])


def mechanic_counts(life: Trajectory) -> tuple[Counter[str], Counter[str]]:
    """Per mechanic: (occurrences over the life, transitions containing it)."""
    occurrences: Counter[str] = Counter()
    transitions: Counter[str] = Counter()
    for s, a, s2 in life.transitions:
        seen = mechanics(s, a, s2)
        occurrences.update(seen)
        transitions.update(seen.keys())
    return occurrences, transitions


def life_record(life: Trajectory) -> dict[str, Any]:
    """The life in summary, as data: how it was played and what happened."""
    occurrences, _ = mechanic_counts(life)
    return {"seed": life.seed, "policy": life.policy, "step_limit": life.step_limit,
            "steps_survived": life.steps_survived, "ended": life.ended,
            "cause_of_death": life_cause_of_death(life), "achievements": life.achievements,
            "mechanics_seen": sorted(occurrences), "note": life.note}


SUMMARY_WIDTH = 100  # the summary's lines fit a terminal this wide


def summary(life: Trajectory) -> str:
    """What happened in a life, for people: the headline, then every mechanic seen."""
    occurrences, transitions = mechanic_counts(life)
    lines = [f"steps survived: {life.steps_survived} of {life.step_limit}",
             f"cause of death: {life_cause_of_death(life)}",
             textwrap.fill(f"achievements unlocked ({len(life.achievements)}): "
                           f"{', '.join(life.achievements) or 'none'}", SUMMARY_WIDTH, subsequent_indent="  "),
             f"distinct mechanics seen: {len(occurrences)}",
             f"  {'mechanic':<28}{'occurrences':>12}{'transitions':>13}"]
    lines += [f"  {name:<28}{occurrences[name]:>12}{transitions[name]:>13}" for name in sorted(occurrences)]
    if life.note:
        lines.append(f"note: {life.note}")
    return "\n".join(lines)
