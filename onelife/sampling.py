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
from onelife.frame import FAMILY_INDEX
from onelife.routing import Compiled, Pool, member_keys


def draw_other(attribute_domain: Domain, excluded: set[int], rng: np.random.Generator) -> Any:
    """A uniform value of the domain whose index is not in ``excluded``."""
    while True:
        index = int(rng.integers(attribute_domain.size))
        if index not in excluded:
            return attribute_domain.value(index)


def pool_distributions(compiled: Compiled, alt_weights: Tensor, law_weights: Tensor) -> list[np.ndarray]:
    """Per pool of a compiled batch of (state, action): the probability of each explicit value,
    then of all other values together (worked out once for any number of draws)."""
    if not compiled.pools:
        return []
    slot_lp, other_lp = (t.detach().numpy() for t in compiled.pool_log_probs(alt_weights, law_weights))
    distributions = []
    for i, pool in enumerate(compiled.pools):
        n = len(pool.values)
        probabilities = np.append(np.exp(slot_lp[i, :n]), np.exp(other_lp[i]) * (pool.domain.size - n))
        distributions.append(probabilities / probabilities.sum())
    return distributions


def draw_pools(pools: list[Pool], distributions: list[np.ndarray], rng: np.random.Generator) -> dict[Key, Any]:
    """One value for every pooled attribute of one transition (a joint outcome's pool gives one
    value to each of its attributes), from its pools' ``pool_distributions``."""
    values = {}
    for pool, probabilities in zip(pools, distributions):
        n = len(pool.values)
        pick = int(rng.choice(n + 1, p=probabilities))
        if pick < n:
            value = pool.values[pick]
        else:
            value = draw_other(pool.domain, {pool.domain.index(v) for v in pool.values}, rng)
        values.update(zip(member_keys(pool.key), value) if pool.key[0] == "joint" else [(pool.key, value)])
    return values


def sample_next(state: WorldState, pools: list[Pool], distributions: list[np.ndarray], frame: np.ndarray,
                rng: np.random.Generator) -> WorldState:
    """A full successor state: pooled attributes, frame changes, births and deaths."""
    values = draw_pools(pools, distributions, rng)
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
    spoken = sorted(x * height + y for x, y in cells)  # the cells in x-major order, as they are counted
    for index in _unexplained(width * height - len(spoken), frame[FAMILY_INDEX["material"]], rng):
        cell = divmod(_skipping(int(index), spoken), height)
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


def _skipping(index: int, taken: list[int]) -> int:
    """The ``index``-th number (from 0) that is not in the sorted list ``taken``."""
    for number in taken:
        if number > index:
            break
        index += 1
    return index


def _unexplained(count: int, probability: float, rng: np.random.Generator) -> np.ndarray:
    """Which of ``count`` independent frame attributes change (each with ``probability``)."""
    changes = int(rng.binomial(count, probability)) if count else 0
    return rng.choice(count, size=changes, replace=False) if changes else np.zeros(0, dtype=int)
