"""The Crafter law library as a world model, and the game's own values of its parameters.

The library is the rulebook ``laws/crafter/*.law`` plus the deliberately wrong rival laws
in ``laws/crafter/rivals/``; ``COMPETITORS`` pairs each wrong law with the correct law it
competes with, so a fit can be checked for choosing between them. ``default_model()`` is
every law of the library with its prior values, unfitted.
``true_parameters`` gives the values a game's ``Rules`` use (Crafter's by default); it
exists to check the library and fits against the truth and is never used by fitting.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from crafter_oo.rules import Rules

from onelife.attributes import FAMILIES
from onelife.law import Law
from onelife.model import LawModel
from onelife.parser import load_laws

LIBRARY = "crafter"
RIVALS = "rivals"  # the folder of the wrong laws inside the library's folder
# Wrong law -> the correct law it competes with.
COMPETITORS: dict[str, str] = {
    "stone_without_pickaxe": "collect_stone",
    "table_costs_one_wood": "place_table",
    "crafting_needs_no_table": "make_wood_pickaxe",
    "cows_never_move": "cow_wanders",
    "zombie_hit_does_one": "zombie_strikes",
}
# Parameters whose value in ``true_parameters`` is an approximation: a mixture derived under
# assumptions about the surroundings (free cells around a zombie, a skeleton on one axis with
# the player) or a typical crowd size. They are compared to the fit, but not as known truths.
APPROXIMATE_TRUTHS: frozenset[str] = frozenset({
    "zombie_strikes.p_stays", "zombie_strikes.p_rests", "zombie_lunges.p_closes", "zombie_lunges.p_rests",
    "zombie_hit_does_one.p_stays", "zombie_cools_down.p_stays", "zombie_cools_down_closing.p_closes",
    "skeleton_shoots_hemmed_in.p_shoot", "skeleton_shoots_hemmed_in.p_reloads", "skeleton_flees.flee",
    "zombie_despawns.p_despawn", "skeleton_despawns.p_despawn", "cow_despawns.p_despawn",
})
WRONG_LAW_WEIGHT = 1e-6  # the weight a competitor gets in the true model: out of every pool
TRUE_FRAME_RATE = 1e-6  # in the game nothing changes unexplained


def library_laws(name: str = LIBRARY) -> list[Law]:
    """Every law of ``laws/<name>/`` (read from the installed package data): the rulebook's
    laws in file order, each wrong law of ``rivals/`` right after the law it competes with.

    The order fixes the order of the model's sites, so it is part of what a fit means.
    """
    with resources.as_file(resources.files("laws").joinpath(name)) as folder:
        laws = load_laws(folder)
    rivals = {law.name: law for law in laws if Path(law.source).parent.name == RIVALS}
    if set(rivals) != set(COMPETITORS):
        raise ValueError(f"laws/{name}/{RIVALS}/ holds {sorted(rivals)}, but COMPETITORS names {sorted(COMPETITORS)}")
    ordered = []
    for law in laws:
        if law.name not in rivals:
            ordered.append(law)
            ordered.extend(rivals[wrong] for wrong, right in COMPETITORS.items() if right == law.name)
    if len(ordered) != len(laws):
        missing = sorted(wrong for wrong, right in COMPETITORS.items() if rivals[wrong] not in ordered)
        raise ValueError(f"the wrong laws {missing} compete with laws that laws/{name}/ does not hold")
    return ordered


def default_model() -> LawModel:
    """The Crafter library as a world model with every parameter at its prior value."""
    return LawModel(library_laws())


def _zombie_reach(rules: Rules) -> dict[str, float]:
    """How likely a zombie ends next to the player, adjacent or two cells away (derived, approximate).

    Adjacent: chasing keeps it there (the player's cell blocks the step); a random step keeps
    it adjacent only when it bumps into the player. Two away: the long-axis chase closes in.
    """
    chase = rules.zombie.chase_prob
    stays = chase + (1 - chase) * 0.25
    closes = chase * rules.zombie.long_axis_prob + (1 - chase) * 0.25
    return {"stays": stays, "closes": closes}


def _skeleton_strides(rules: Rules) -> dict[str, list[float]]:
    """Skeleton moves per distance band: (stay, chase long, chase short, random) at mid and far range;
    (flee long, flee short, chase long, chase short, random, stay) within 3 cells."""
    skeleton = rules.skeleton
    shoot, chase, wander = skeleton.shoot_prob, skeleton.chase_prob, skeleton.wander_prob
    long = skeleton.flee_long_axis_prob

    def band(p_shoot: float) -> list[float]:
        rest = 1 - p_shoot
        moves = [rest * chase * long, rest * chase * (1 - long), rest * (1 - chase) * wander]
        return [1 - sum(moves), *moves]

    # Within 3 cells, on one axis with the player: the long-axis retreat succeeds, the short
    # one has no offset and fails, after which the mid-range behaviour applies.
    fails = 1 - long
    stay, *rest = band(shoot)
    flees = [long, 0.0, *(fails * p for p in rest), fails * stay]
    return {"keeps_distance": band(shoot), "approaches": band(0.0), "flees": flees}


def true_parameters(model: LawModel, rules: Rules = Rules.crafter()) -> dict[str, Any]:
    """The game's values of the library's parameters, wrong laws weighted out, no frame changes.

    Probabilities the game draws directly are its constants; the zombie reach and skeleton
    stride mixtures are derived from them; despawn rates are the game's chance divided by a
    typical crowd of two (the library's per-creature law cannot divide by the crowd size).
    """
    balance = dict(rules.balance.populations)
    reach = _zombie_reach(rules)
    strides = _skeleton_strides(rules)
    chase, long = rules.zombie.chase_prob, rules.zombie.long_axis_prob
    shoot, hemmed = rules.skeleton.shoot_prob, rules.skeleton.shoot_prob * (1 - rules.skeleton.flee_long_axis_prob)
    values: dict[str, Any] = {
        "collect_sapling.p_sapling": rules.collect["grass"].probability,
        "cow_wanders.p_move": rules.cow.move_prob,
        "cows_never_move.weight": WRONG_LAW_WEIGHT,
        "zombie_chases.chase": [chase * long, chase * (1 - long), 1 - chase],
        "zombie_strikes.p_stays": reach["stays"],
        "zombie_strikes.p_rests": reach["stays"],
        "zombie_lunges.p_rests": reach["closes"],
        "zombie_hit_does_one.p_stays": reach["stays"],
        "zombie_cools_down.p_stays": reach["stays"],
        "zombie_lunges.p_closes": reach["closes"],
        "zombie_cools_down_closing.p_closes": reach["closes"],
        "skeleton_shoots.p_shoot": shoot,
        "skeleton_shoots.p_reloads": shoot,
        "skeleton_shoots_hemmed_in.p_shoot": hemmed,
        "skeleton_shoots_hemmed_in.p_reloads": hemmed,
        "skeleton_flees.flee": strides["flees"],
        "skeleton_keeps_distance.stride": strides["keeps_distance"],
        "skeleton_approaches.stride": strides["approaches"],
        "skeleton_wanders.p_wander": rules.skeleton.wander_prob,
        **{f"{kind}_spawns.p_spawn": balance[kind].spawn_prob for kind in balance},
        **{f"{kind}_despawns.p_despawn": balance[kind].despawn_prob / 2 for kind in balance},
        **{f"{wrong}.weight": WRONG_LAW_WEIGHT for wrong in COMPETITORS},
        **{f"frame.{family}": TRUE_FRAME_RATE for family in FAMILIES},
    }
    known = {site.name for site in model.sites}
    missing = sorted(name for name in known if name.split(".")[1] != "weight" and name not in values)
    if missing:
        raise ValueError(f"no true value for {missing}: the library changed, update true_parameters")
    return {name: value for name, value in values.items() if name in known}


def true_model(rules: Rules = Rules.crafter()) -> LawModel:
    """The library with the game's values plugged in (the reference a fit should approach)."""
    model = default_model()
    return LawModel(model.laws, true_parameters(model, rules))
