"""Drawing a complete next state from the routed, pooled distributions of a world model.

Each pooled attribute is drawn from the same closed-form distribution ``log_prob`` scores;
every other attribute follows its frame law. For the many map cells and birth slots no law
speaks about, the number of unexplained changes is drawn as a binomial and the changed
ones are picked uniformly, which is the same distribution as one draw per attribute.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from torch import Tensor

from crafter_oo.state import WorldState

from onelife.attributes import (
    MATERIAL_DOMAIN, Domain, Key, born_keys, build, current, domain, entity_keys, family,
)
from onelife.routing import FAMILY_INDEX, Compiled, member_keys


def draw_other(attribute_domain: Domain, excluded: set[int], rng: np.random.Generator) -> Any:
    """A uniform value of the domain whose index is not in ``excluded``."""
    while True:
        index = int(rng.integers(attribute_domain.size))
        if index not in excluded:
            return attribute_domain.value(index)


def draw_pools(compiled: Compiled, alt_weights: Tensor, law_weights: Tensor,
               rng: np.random.Generator) -> dict[Key, Any]:
    """One value for every pooled attribute of a single compiled (state, action) (a joint
    outcome's pool gives one value to each of its attributes)."""
    if not compiled.pools:
        return {}
    slot_lp, other_lp = (t.detach().numpy() for t in compiled.pool_log_probs(alt_weights, law_weights))
    values = {}
    for i, pool in enumerate(compiled.pools):
        n = len(pool.values)
        probabilities = np.append(np.exp(slot_lp[i, :n]), np.exp(other_lp[i]) * (pool.domain.size - n))
        pick = int(rng.choice(n + 1, p=probabilities / probabilities.sum()))
        if pick < n:
            value = pool.values[pick]
        else:
            value = draw_other(pool.domain, {pool.domain.index(v) for v in pool.values}, rng)
        values.update(zip(member_keys(pool.key), value) if pool.key[0] == "joint" else [(pool.key, value)])
    return values


def sample_next(state: WorldState, action: str, compiled: Compiled, alt_weights: Tensor,
                law_weights: Tensor, frame: np.ndarray, rng: np.random.Generator) -> WorldState:
    """A full successor state: pooled attributes, frame changes, births and deaths."""
    values = draw_pools(compiled, alt_weights, law_weights, rng)
    for key in entity_keys(state):
        if key in values:
            continue
        old = current(key, state)
        if rng.random() < frame[FAMILY_INDEX[family(key)]]:
            attribute_domain = domain(key, state)
            values[key] = draw_other(attribute_domain, {attribute_domain.index(old)}, rng)
        else:
            values[key] = old
    cells = {key[1]: value for key, value in values.items() if key[0] == "material"}
    width, height = state.config.area
    free_cells = [(x, y) for x in range(width) for y in range(height) if ("material", (x, y)) not in values]
    for index in _unexplained(len(free_cells), frame[FAMILY_INDEX["material"]], rng):
        cell = free_cells[index]
        old = MATERIAL_DOMAIN.index(current(("material", cell), state))
        cells[cell] = draw_other(MATERIAL_DOMAIN, {old}, rng)
    slots = born_keys(state.config.area)
    born = {key: value for key, value in values.items() if key[0] == "born"}
    free_slots = [key for key in slots if key not in born]
    for index in _unexplained(len(free_slots), frame[FAMILY_INDEX["born"]], rng):
        key = free_slots[index]
        born[key] = draw_other(domain(key, state), {0}, rng)
    newborns = [(key, born[key]) for key in slots if born.get(key) is not None]
    entity_values = {key: value for key, value in values.items() if key[0] not in ("material", "born")}
    return build(state, entity_values, cells, newborns)


def _unexplained(count: int, probability: float, rng: np.random.Generator) -> np.ndarray:
    """Which of ``count`` independent frame attributes change (each with ``probability``)."""
    changes = int(rng.binomial(count, probability)) if count else 0
    return rng.choice(count, size=changes, replace=False) if changes else np.zeros(0, dtype=int)
