"""Posterior coordinates: a fitted model at chosen offsets from its posterior's centre."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from crafter_oo.state import Cow, Player
from onelife import LawModel, parse_laws
from crafter_oo.edit import drawn_world
from worldmodel import HasPosteriorCoordinates

LAWS = """
law cow_wander: for cow c when true then c.pos ~ choice(p: move(c, random_direction()), else: c.pos)
  param p ~ Beta(1, 1)
law hit: when true then player.health += choice(d[0]: -2, d[1]: 0)
  param d ~ Dirichlet(1, 1)
"""


@pytest.fixture(scope="module")
def model() -> LawModel:
    truth = LawModel(parse_laws(LAWS), {"cow_wander.p": 0.25, "hit.d": [0.1, 0.9]})
    state = drawn_world(["...", "..."], [Player((0, 0)), Cow((1, 1))])
    rng, data = np.random.default_rng(0), []
    for _ in range(40):
        next_state = truth.sample(state, "noop", rng)
        data.append((state, "noop", next_state))
        state = next_state
    return LawModel(parse_laws(LAWS)).fit(data, method="posterior", steps=40)


def test_a_fitted_model_has_coordinates_and_its_centre_is_the_point_values(model):
    assert isinstance(model, HasPosteriorCoordinates)
    sizes = model.coordinate_sizes()
    assert sizes["cow_wander.p"] == 1 and sizes["hit.d"] == 1  # a 2-way Dirichlet has one free dimension
    assert set(sizes) == {site.name for site in model.sites}
    centre = model.at_coordinates({}).parameters()
    for name, value in model.parameters().items():
        assert np.allclose(centre[name], value, rtol=1e-9, atol=1e-12), name


def test_a_coordinate_is_a_posterior_standard_deviation_on_the_unconstrained_scale(model):
    loc, scale = model.posterior.loc["cow_wander.p"][0], model.posterior.scale["cow_wander.p"][0]
    for z in (-1.645, 0.0, 2.0):
        p = model.at_coordinates({"cow_wander.p": [z]}).parameters()["cow_wander.p"]
        assert p == pytest.approx(float(torch.sigmoid(torch.tensor(loc + scale * z, dtype=torch.float64))))
    low, high = (model.at_coordinates({"cow_wander.p": [z]}).parameters()["cow_wander.p"] for z in (-1, 1))
    assert low < model.parameters()["cow_wander.p"] < high


def test_posterior_samples_are_models_at_standard_normal_coordinates(model):
    sizes = model.coordinate_sizes()
    rng = np.random.default_rng(7)
    by_hand = [model.at_coordinates({name: rng.standard_normal(size) for name, size in sizes.items()}).parameters()
               for _ in range(3)]
    assert [m.parameters() for m in model.posterior_samples(3, np.random.default_rng(7))] == by_hand


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-6, 6), min_size=2, max_size=2))
def test_any_coordinates_give_valid_parameters(model, z):
    values = model.at_coordinates({"cow_wander.p": [z[0]], "hit.d": [z[1]]}).parameters()
    assert 0.0 < values["cow_wander.p"] < 1.0
    assert min(values["hit.d"]) > 0.0 and sum(values["hit.d"]) == pytest.approx(1.0)
    assert values["hit.weight"] == model.parameters()["hit.weight"]  # unnamed sites stay at the centre


def test_bad_coordinates_name_the_site(model):
    with pytest.raises(ValueError, match=r"no site named \['cow\.p'\]"):
        model.at_coordinates({"cow.p": [0.0]})
    with pytest.raises(ValueError, match="site hit.d needs 1 finite number"):
        model.at_coordinates({"hit.d": [0.0, 1.0]})
    with pytest.raises(ValueError, match="site hit.d needs 1 finite number"):
        model.at_coordinates({"hit.d": [float("nan")]})
    with pytest.raises(ValueError, match="no posterior"):
        LawModel(parse_laws(LAWS)).at_coordinates({})
