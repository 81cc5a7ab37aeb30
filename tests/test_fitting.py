"""The fitting program's pieces: the Pyro model's density against per-site priors, the guides'
round trips, and the routines' seeding (same seed, same fit; the caller's random state kept)."""

from __future__ import annotations

from functools import partial

import numpy as np
import pyro
import pytest
import torch
from hypothesis import given, settings, strategies as st
from torch.distributions import biject_to

from crafter_oo.rules import ACTIONS
from crafter_oo.state import Cow, Player
from onelife import LawModel, parse_laws
from onelife.attributes import FAMILIES
from onelife.fitting import (
    BlockLikelihood, MeanField, PointMass, fit, frame_vector, site_blocks, transitions_model, weight_vector,
)
from crafter_oo.edit import drawn_world

LAWS = """
law cow_wander: for cow c when true then c.pos ~ choice(p_move: move(c, random_direction()), else: c.pos)
  param p_move ~ Beta(2, 3)
law cow_steps: for cow c when action == noop
  then c.pos ~ choice(d[0]: move(c, left), d[1]: move(c, right), d[2]: c.pos)
  param d ~ Dirichlet(1, 2, 3)
law face_left: when action == move_left then player.facing <- left
"""


@pytest.fixture(scope="module")
def model_and_transitions() -> tuple[LawModel, list]:
    truth = LawModel(parse_laws(LAWS), {"cow_wander.p_move": 0.3, **{f"frame.{f}": 1e-4 for f in FAMILIES}})
    rng = np.random.default_rng(3)
    actions = [ACTIONS[i] for i in rng.integers(len(ACTIONS), size=60)]
    states = [drawn_world(["....."] * 5, [Player((0, 0)), Cow((2, 2))])]
    for action in actions:
        states.append(truth.sample(states[-1], action, rng))
    return LawModel(parse_laws(LAWS)), list(zip(states, actions, states[1:]))


def _random_values(model: LawModel, seed: int) -> dict[str, torch.Tensor]:
    """Site values drawn from each site's own prior."""
    torch.manual_seed(seed)
    return {site.name: site.prior().sample() for site in model.sites}


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_point_mass_elbo_is_prior_plus_likelihood_plus_jacobian(model_and_transitions: tuple, seed: int) -> None:
    """The vectorised blocks score exactly what the per-site priors say (a reference computed site by site)."""
    model, transitions = model_and_transitions
    compiled = model.compile(transitions)
    values = _random_values(model, seed)
    blocks = site_blocks(model.sites)
    program = partial(transitions_model, blocks, BlockLikelihood(compiled, model.alts, model.law_names, blocks))
    guide = PointMass.at(blocks, values)
    with pyro.validation_enabled(False):
        loss = float(pyro.infer.Trace_ELBO().differentiable_loss(program, guide).detach())
    expected = float(compiled.log_probs(model.alts.weights(values), weight_vector(values, model.law_names),
                                        frame_vector(values)).sum())
    for site in model.sites:
        value = values[site.name]
        transform = biject_to(site.prior().support)
        unconstrained = transform.inv(value)
        expected += float(site.prior().log_prob(value))
        expected += float(transform.log_abs_det_jacobian(unconstrained, value).sum())
    assert loss == pytest.approx(-expected, rel=1e-9, abs=1e-9)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_guides_give_back_the_values_they_start_from(model_and_transitions: tuple, seed: int) -> None:
    model, _ = model_and_transitions
    values = _random_values(model, seed)
    point = PointMass.at(site_blocks(model.sites), values)
    for name, value in point.values().items():
        assert torch.allclose(value, values[name], rtol=1e-9, atol=1e-12), name
    mean_field = MeanField.around(point)
    assert all(torch.equal(a, b) for a, b in zip(mean_field.median().values(), point.values().values()))
    posterior = mean_field.posterior()
    for site in model.sites:
        size = site.size - 1 if site.family == "Dirichlet" else 1
        assert len(posterior.loc[site.name]) == len(posterior.scale[site.name]) == size
    before = {name: loc.detach().clone() for name, loc in point.loc.items()}
    for loc in mean_field.loc.values():
        loc.data.add_(1.0)  # fitting the mean field moves its own copy, not the point
    assert all(torch.equal(point.loc[name], before[name]) for name in before)


def test_same_seed_same_fit_and_the_callers_random_state_is_kept(model_and_transitions: tuple) -> None:
    model, transitions = model_and_transitions
    compiled = model.compile(transitions)
    start = {site.name: site.prior_mean() for site in model.sites}
    torch.manual_seed(123)
    before = torch.get_rng_state()
    runs = [fit(compiled, model.alts, model.law_names, model.sites, start, "posterior", 30, seed=7)
            for _ in range(2)]
    assert torch.equal(torch.get_rng_state(), before)
    (values_a, posterior_a), (values_b, posterior_b) = runs
    assert posterior_a == posterior_b
    assert all(torch.equal(values_a[name], values_b[name]) for name in values_a)
    _, other = fit(compiled, model.alts, model.law_names, model.sites, start, "posterior", 30, seed=8)
    assert other != posterior_a  # the seed reaches the ELBO's draws


def test_an_unknown_method_is_named() -> None:
    with pytest.raises(ValueError, match="'map', 'posterior'.*'mode'"):
        fit(None, None, [], [], {}, "mode", None, 0)  # type: ignore[arg-type]
