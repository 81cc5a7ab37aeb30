"""Sampling agrees with scoring, and samples are complete states with births and deaths."""

import json
import math
from collections import Counter

import numpy as np
import torch

from crafter_oo.state import Arrow, Cow, Player, Zombie
from onelife import LawModel, parse_laws
from onelife.attributes import FAMILIES
from crafter_oo.edit import drawn_world

LAWS = """
law cow_wander: for cow c when true then c.pos ~ choice(p: move(c, random_direction()), else: c.pos)
  param p ~ Beta(1, 1)
law zombie_attack: for zombie z when distance(z, player) <= 1
  then player.health += choice(d[0]: -2, d[1]: -7, d[2]: 0), z.cooldown <- 5
  param d ~ Dirichlet(1, 1, 1)
law arrow_stop: for arrow a when not free(target(a), a) then a.alive <- false
law plant: when action == place_plant then born(plant, chunk_of(target(player))) <- target(player)
"""


def _key(state) -> str:
    return json.dumps(state.to_dict(include_rng=False), sort_keys=True)


def test_sample_frequencies_match_exp_log_prob() -> None:
    state = drawn_world(["...", ".~."], [Player((0, 0)), Cow((1, 1)), Zombie((1, 0))])
    frame = {f"frame.{f}": 2e-4 for f in FAMILIES}
    model = LawModel(parse_laws(LAWS), {"cow_wander.p": 0.3, "zombie_attack.d": [0.5, 0.3, 0.2], **frame})
    n = 20_000
    samples = model.sample_many(state, "noop", n, np.random.default_rng(12345))
    counts = Counter(_key(s) for s in samples)
    first = {}
    for s in samples:
        first.setdefault(_key(s), s)
    keys = list(first)
    expected = n * np.exp(model.log_prob_batch([(state, "noop", first[k]) for k in keys]))
    big = expected >= 5
    observed = np.array([counts[k] for k in keys], dtype=float)
    rest_expected = n - expected[big].sum()
    rest_observed = n - observed[big].sum()
    chi2 = float((((observed[big] - expected[big]) ** 2) / expected[big]).sum()
                 + (rest_observed - rest_expected) ** 2 / rest_expected)
    dof = int(big.sum())  # categories (big ones + the rest) minus one
    p_value = float(torch.special.gammaincc(torch.tensor(dof / 2), torch.tensor(chi2 / 2)))
    assert big.sum() >= 8  # the test has power: several outcomes, each compared
    assert p_value > 0.001, (chi2, dof, p_value)
    assert 0 < rest_expected < 0.1 * n


def test_samples_are_complete_states_with_births_and_deaths() -> None:
    state = drawn_world(["..."], [Player((0, 0), facing=(1, 0)), Arrow((2, 0), (1, 0))])
    model = LawModel(parse_laws(LAWS))
    next_state = model.sample(state, "place_plant", np.random.default_rng(0))
    assert 2 not in next_state.objects  # the arrow flew into the wall
    assert next_state.objects[state.next_id].kind == "plant"
    assert next_state.objects[state.next_id].pos == (1, 0)
    assert next_state.next_id == state.next_id + 1 and next_state.step == state.step + 1
    assert math.isfinite(model.log_prob(state, "place_plant", next_state))
