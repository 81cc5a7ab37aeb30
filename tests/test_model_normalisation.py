"""Normalisation: exp(log_prob) summed over every next state of a tiny world is 1.

The model factorises over attribute units (an entity's joint attributes including being
gone, each player attribute, each map cell, each birth slot), so the sum over all next
states is ``exp(lp(base)) * prod_u sum_v exp(lp(base with u = v) - lp(base))``: every
successor is enumerated unit by unit through the public ``log_prob``. The factorisation
itself is checked too (changing two units adds their log-probability changes).
"""

import itertools
import math
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings, strategies as st

from crafter_oo.state import Arrow, Cow, Player, Plant, WorldState, Zombie
from onelife import LawModel, parse_laws
from onelife.attributes import (
    CREATURE_PATHS, PLAYER_PATHS, REAL_MATERIALS, born_keys, birth_domain, build, domain, newborn_value, read,
)
from onelife.builtins import Scene, chunk_of
from crafter_oo.edit import drawn_world

LAW_POOL = [
    "law cow_wander: for cow c when true then c.pos ~ choice(p: move(c, random_direction()), else: c.pos)\n"
    " param p ~ Beta(1, 1)",
    "law cow_stays: for cow c when c.health > 1 then c.pos <- c.pos",
    "law zombie_move: for zombie z when distance(z, player) <= 8\n"
    " then z.pos ~ choice(q: move(z, toward(z, player)), else: move(z, random_direction()))\n"
    " param q ~ Beta(2, 1)",
    "law zombie_attack: for zombie z when distance(z, player) <= 1 and z.cooldown == 0\n"
    " then player.health += choice(d[0]: -2, d[1]: -7), z.cooldown <- 5\n param d ~ Dirichlet(1, 1, 1)"
    .replace("d[1]: -7)", "d[1]: -7, d[2]: 0)"),
    "law face_left: when action == move_left then player.facing <- left",
    "law walk: when action in {move_left, move_right, move_up, move_down}\n"
    " then player.pos <- move(player, target(player) - player.pos)",
    "law chop: when action == do and material(target(player)) == tree\n"
    " then material(target(player)) <- grass, player.inventory.wood += 1",
    "law plant: when action == place_plant and material(target(player)) == grass\n"
    " then born(plant, chunk_of(target(player))) <- target(player)",
    "law arrow_fly: for arrow a when free(target(a), a) then a.pos <- target(a)",
    "law arrow_stop: for arrow a when not free(target(a), a) then a.alive <- false",
    "law shoot: for zombie z when true\n"
    " then born(arrow, chunk_of(z)) ~ choice(0.5: (z.pos, toward(z, player)), else: none)",
    "law spawn: for chunk c when true then born(cow, c) ~ choice(s: spawn_site(c, grass, 1), else: none)\n"
    " param s ~ Beta(1, 1)",
    "law despawn: for plant p when true then p.alive ~ choice(0.25: false, else: true)",
    "law grow: for plant p when true then p.grown += 1",
    "law tick: when true then player.hunger += 0.5, player.achievements.wake_up += 1",
]
ACTIONS = ["noop", "move_left", "move_up", "do", "place_plant"]
CELLS = [(x, y) for x in range(3) for y in range(2)]


class Successors:
    """Successors of ``state`` built from attribute values, starting from those of ``base``."""

    def __init__(self, state: WorldState, base: WorldState) -> None:
        self.state, self.scene = state, Scene(state, "noop")
        self.values: dict[Any, Any] = {}
        for oid, obj in state.objects.items():
            for path in PLAYER_PATHS if oid == 1 else CREATURE_PATHS[obj.kind]:
                alive = oid in base.objects
                self.values[(oid, path)] = alive if path == "alive" else (
                    read(base.objects[oid], path) if alive else None)
        self.cells = {(x, y): REAL_MATERIALS[int(base.materials[x, y]) - 1] for x, y in CELLS}
        self.born: dict[Any, Any] = {key: None for key in born_keys(self.scene.state.config.area)}
        for oid, obj in base.objects.items():
            if oid not in state.objects:
                self.born[("born", obj.kind, chunk_of(self.scene, obj.pos))] = newborn_value(obj)

    def make(self, values: dict | None = None, cells: dict | None = None, born: dict | None = None) -> WorldState:
        """The successor with some entity values, cells or births replaced."""
        births = {**self.born, **(born or {})}
        return build(self.state, {**self.values, **(values or {})}, {**self.cells, **(cells or {})},
                     [(key, births[key]) for key in born_keys(self.scene.state.config.area) if births[key] is not None])

    def units(self) -> list[list[WorldState]]:
        """For each unit, the successors differing from the base in that unit only, over all its values."""
        units: list[list[WorldState]] = []
        for path in PLAYER_PATHS:
            dom = domain((1, path), self.state)
            units.append([self.make({(1, path): dom.value(i)}) for i in range(dom.size)])
        for oid, obj in self.state.creatures():
            paths = [p for p in CREATURE_PATHS[obj.kind] if p != "alive"]
            doms = [domain((oid, p), self.state) for p in paths]
            variants = [self.make({(oid, "alive"): False, **{(oid, p): None for p in paths}})]
            for combo in itertools.product(*(range(d.size) for d in doms)):
                update = {(oid, p): d.value(i) for p, d, i in zip(paths, doms, combo)}
                variants.append(self.make({(oid, "alive"): True, **update}))
            units.append(variants)
        for cell in CELLS:
            units.append([self.make(cells={cell: m}) for m in REAL_MATERIALS])
        for key in self.born:
            dom = birth_domain(key[1], key[2], 3, 2)
            units.append([self.make(born={key: dom.value(i)}) for i in range(dom.size)])
        return units


creature = st.sampled_from(["cow", "zombie", "arrow", "plant"])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(laws=st.sets(st.integers(0, len(LAW_POOL) - 1), min_size=1, max_size=5),
       kinds=st.lists(creature, max_size=2), order=st.permutations(CELLS),
       terrain=st.lists(st.sampled_from([".", ".", ":", "~", "T"]), min_size=6, max_size=6),
       action=st.sampled_from(ACTIONS), weights=st.lists(st.floats(0.2, 5), min_size=5, max_size=5),
       seed=st.integers(0, 1000))
def test_exp_log_prob_sums_to_one_over_all_next_states(laws: set[int], kinds: list[str], order: list,
                                                        terrain: list[str], action: str, weights: list[float],
                                                        seed: int) -> None:
    rows = ["".join(terrain[0:3]), "".join(terrain[3:6])]
    build_kind = {"cow": lambda p: Cow(p), "zombie": lambda p: Zombie(p, cooldown=seed % 2),
                  "arrow": lambda p: Arrow(p, (1, 0)), "plant": lambda p: Plant(p)}
    objects = [Player(order[0], facing=(-1, 0))] + [build_kind[k](order[i + 1]) for i, k in enumerate(kinds)]
    state = drawn_world(rows, objects)
    chosen = parse_laws("\n".join(LAW_POOL[i] for i in sorted(laws)))
    model = LawModel(chosen, {f"{law.name}.weight": w for law, w in zip(chosen, weights)}
                       | {"frame.material": 0.05, "frame.born": 0.05, "frame.inventory": 0.05})
    base = model.sample(state, action, np.random.default_rng(seed))
    successors = Successors(state, base)
    units = successors.units()
    flat = [s for unit in units for s in unit]
    scores = model.log_prob_batch([(state, action, s) for s in [base] + flat])
    base_lp, rest = scores[0], scores[1:]
    log_total, start = base_lp, 0
    for unit in units:
        log_total += math.log(np.exp(rest[start:start + len(unit)] - base_lp).sum())
        start += len(unit)
    assert abs(math.exp(log_total) - 1) < 1e-6
    # Factorisation: changing two different units adds their log-probability changes.
    cell, arrow = CELLS[seed % 6], ("born", "arrow", chunk_of(successors.scene, (0, 0)))
    one = successors.make(values={(1, "facing"): (0, 1)})
    two = successors.make(born={arrow: (cell, (0, -1))})
    both = successors.make(values={(1, "facing"): (0, 1)}, born={arrow: (cell, (0, -1))})
    pair = model.log_prob_batch([(state, action, s) for s in (one, two, both)])
    assert math.isclose(pair[2] - base_lp, (pair[0] - base_lp) + (pair[1] - base_lp), abs_tol=1e-9)
