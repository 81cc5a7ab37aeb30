"""Fitting law parameters, law weights and frame rates: a Pyro model, its two guides and
the two inference routines that fit them.

- ``transitions_model`` samples every site from its prior (sites of one family in one
  vectorised Pyro site, see ``SiteBlock``) and adds the batched log-likelihood of all
  transitions as a factor.
- ``PointMass`` is the MAP guide; ``MeanField`` is the approximate posterior: a normal on
  each site's unconstrained value, pushed through the site's support bijection.
- ``fit_map`` moves the point mass by L-BFGS; ``fit_mean_field`` fits the normal by Adam.
  ``fit`` runs the first, then (for the posterior) the second, started at the MAP.

The guides' tensors are optimised with plain torch optimisers, so nothing is kept in
Pyro's global parameter store.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

import numpy as np
import pyro
import pyro.distributions as dist
import torch
from torch import Tensor
from torch.distributions import biject_to

from onelife.attributes import FAMILIES
from onelife.parameters import DTYPE, AltTable, Site
from onelife.routing import Compiled
from onelife.summed import Summed
from worldmodel.torch_threads import single_threaded

Values = dict[str, Tensor]
Progress = Callable[[int, float], None]
Phase = Callable[[str, int], None]  # called as each phase starts: its name and its most evaluations

METHODS: tuple[str, ...] = ("map", "posterior")
# What ``steps`` counts when not given: L-BFGS iterations for the MAP, Adam steps for the posterior.
DEFAULT_STEPS: dict[str, int] = {"map": 300, "posterior": 1000}
# L-BFGS iterations for the MAP the posterior starts from (there ``steps`` counts Adam steps).
MAP_ITERATIONS_BEFORE_POSTERIOR = 500
# The phases ``fit`` reports through ``on_phase``.
MAP_PHASE, POSTERIOR_PHASE = "MAP (L-BFGS)", "posterior (Adam)"
# A full quasi-Newton step; the strong Wolfe line search shortens it where the loss demands.
LBFGS_LEARNING_RATE = 1.0
# L-BFGS stops when no gradient component exceeds this ...
LBFGS_TOLERANCE_GRAD = 1e-7
# ... or when the loss or the step changes by less than this.
LBFGS_TOLERANCE_CHANGE = 1e-10
# Adam's step in the unconstrained space: small, because each step's ELBO is a one-draw estimate.
ADAM_LEARNING_RATE = 0.01
# Draws from the guide per ELBO estimate: many cheap noisy steps rather than few exact ones.
ELBO_PARTICLES = 1
# The mean-field normal starts almost a point at the MAP (standard deviation e^-4, about 0.018).
INITIAL_LOG_SCALE = -4.0


@dataclass(frozen=True, slots=True)
class Posterior:
    """A normal on the unconstrained value of each site: what ``posterior_samples`` draws from."""

    loc: dict[str, list[float]]
    scale: dict[str, list[float]]




def weight_vector(values: Values, law_names: list[str]) -> Tensor:
    """The laws' pool weights in law order."""
    if not law_names:
        return torch.zeros(0, dtype=DTYPE)
    return torch.stack([values[f"{name}.weight"].reshape(()) for name in law_names])


def frame_vector(values: Values) -> Tensor:
    """The frame change probabilities in ``FAMILIES`` order."""
    return torch.stack([values[f"frame.{f}"].reshape(()) for f in FAMILIES])


@dataclass(frozen=True, slots=True)
class SiteBlock:
    """Sites sampled together as one Pyro site: every Beta, every LogNormal weight, or one Dirichlet.

    One vectorised site per block instead of one per parameter keeps Pyro's per-site cost
    (distributions, transforms, trace bookkeeping) from dominating each optimisation step.
    """

    name: str
    sites: tuple[Site, ...]
    prior: torch.distributions.Distribution
    transform: torch.distributions.transforms.Transform

    def split(self, value: Tensor) -> Values:
        """Each site's constrained value from the block's value."""
        if len(self.sites) == 1 and self.sites[0].family == "Dirichlet":
            return {self.sites[0].name: value}
        return {site.name: value[i] for i, site in enumerate(self.sites)}

    def join(self, values: Values) -> Tensor:
        """The block's constrained value from per-site values."""
        if len(self.sites) == 1 and self.sites[0].family == "Dirichlet":
            return values[self.sites[0].name].detach()
        return torch.stack([values[s.name].detach().reshape(()) for s in self.sites])

    def unconstrained_sizes(self) -> list[int]:
        """How many unconstrained numbers each site has (a Dirichlet of size k has k - 1)."""
        return [s.size - 1 if s.family == "Dirichlet" else 1 for s in self.sites]


# The scalar families sampled as one vectorised block each, in this order (Dirichlets follow, one block each).
_VECTORISED: dict[str, Callable[[Tensor], torch.distributions.Distribution]] = {
    "Beta": lambda args: dist.Beta(args[:, 0], args[:, 1]),
    "LogNormal": lambda args: dist.LogNormal(args[:, 0], args[:, 1]),
}


def site_blocks(sites: list[Site]) -> tuple[SiteBlock, ...]:
    """The sites grouped into the model's Pyro sites: one per scalar family, one per Dirichlet."""
    result = []
    for family, prior_of in _VECTORISED.items():
        members = tuple(s for s in sites if s.family == family)
        if members:
            prior = prior_of(torch.tensor([s.args for s in members], dtype=DTYPE)).to_event(1)
            result.append(SiteBlock(family, members, prior, biject_to(prior.support)))
    for site in sites:
        if site.family == "Dirichlet":
            prior = site.prior()
            result.append(SiteBlock(site.name, (site,), prior, biject_to(prior.support)))
    return tuple(result)


class BlockLikelihood:
    """The summed log-likelihood of a compiled batch (its repeated pools merged) as a function of
    the blocks' values: the weights are gathered from the blocks laid end to end, a handful of
    tensor operations per evaluation instead of one per site."""

    def __init__(self, compiled: Compiled, alts: AltTable, law_names: list[str],
                 blocks: tuple[SiteBlock, ...]) -> None:
        self.summed = Summed.of(compiled)
        self.alts = alts
        self.blocks = blocks
        start: dict[str, int] = {}
        offset = 0
        for block in blocks:
            for site in block.sites:
                start[site.name] = offset
                offset += site.size
        long = lambda xs: torch.tensor(xs, dtype=torch.long)  # noqa: E731
        self.law_index = long([start[f"{name}.weight"] for name in law_names])
        self.frame_index = long([start[f"frame.{f}"] for f in FAMILIES])
        sizes = {site.name: site.size for block in blocks for site in block.sites}
        self.alt_index = long([start[name] + k for name in alts.param_sites for k in range(sizes[name])])

    def __call__(self, samples: dict[str, Tensor]) -> Tensor:
        flat = torch.cat([samples[block.name].reshape(-1) for block in self.blocks])
        alt_weights = self.alts.weights_of(flat[self.alt_index]) if self.alts.param_sites else self.alts.const
        return self.summed.log_likelihood(alt_weights, flat[self.law_index], flat[self.frame_index])


def transitions_model(blocks: tuple[SiteBlock, ...], log_likelihood: Callable[[dict[str, Tensor]], Tensor]) -> None:
    """The Pyro model: every block of sites drawn from its prior, then the transitions'
    log-likelihood under those values (by block name) as one factor."""
    pyro.factor("transitions", log_likelihood({block.name: pyro.sample(block.name, block.prior) for block in blocks}))


def _constrained(blocks: tuple[SiteBlock, ...], loc: dict[str, Tensor]) -> Values:
    """Each site's value at the unconstrained point ``loc`` (detached copies)."""
    values: Values = {}
    for block in blocks:
        values.update({name: value.detach().clone() for name, value in
                       block.split(block.transform(loc[block.name].detach())).items()})
    return values


@dataclass(slots=True)
class PointMass:
    """The MAP guide: each block a point mass at ``loc`` (its unconstrained value)."""

    blocks: tuple[SiteBlock, ...]
    loc: dict[str, Tensor]

    @classmethod
    def at(cls, blocks: tuple[SiteBlock, ...], start: Values) -> "PointMass":
        """The point mass at the site values ``start``."""
        return cls(blocks, {b.name: b.transform.inv(b.join(start)).clone().requires_grad_(True)
                                 for b in blocks})

    def __call__(self) -> None:
        for block in self.blocks:
            value = block.transform(self.loc[block.name])
            # The density of the unconstrained value: a MAP that does not depend on the parametrisation
            # of a site's support (e.g. a log-weight's mode is its prior median without data).
            jacobian = block.transform.log_abs_det_jacobian(self.loc[block.name], value).sum()
            pyro.sample(block.name, dist.Delta(value, log_density=-jacobian, event_dim=1))

    def values(self) -> Values:
        """Each site's value at the point."""
        return _constrained(self.blocks, self.loc)


@dataclass(slots=True)
class MeanField:
    """The posterior guide: each block's unconstrained value a normal with independent
    coordinates (centre ``loc``, standard deviation ``exp(log_scale)``), pushed through the
    block's support bijection."""

    blocks: tuple[SiteBlock, ...]
    loc: dict[str, Tensor]
    log_scale: dict[str, Tensor]

    @classmethod
    def around(cls, point: PointMass) -> "MeanField":
        """A narrow normal centred on the point mass (a copy: fitting it leaves ``point`` alone)."""
        loc = {name: value.detach().clone().requires_grad_(True) for name, value in point.loc.items()}
        log_scale = {name: torch.full_like(value, INITIAL_LOG_SCALE).requires_grad_(True)
                     for name, value in loc.items()}
        return cls(point.blocks, loc, log_scale)

    def __call__(self) -> None:
        for block in self.blocks:
            base = dist.Normal(self.loc[block.name], torch.exp(self.log_scale[block.name])).to_event(1)
            pyro.sample(block.name, dist.TransformedDistribution(base, [block.transform]))

    def parameters(self) -> list[Tensor]:
        """The tensors Adam moves: every centre, then every log standard deviation."""
        return [*self.loc.values(), *self.log_scale.values()]

    def median(self) -> Values:
        """Each site's posterior median: the bijection of the normal's centre."""
        return _constrained(self.blocks, self.loc)

    def posterior(self) -> Posterior:
        """The fitted normal per site, as lists of unconstrained coordinates."""
        loc, scale = {}, {}
        for block in self.blocks:
            offsets = np.cumsum([0] + block.unconstrained_sizes())
            flat_loc = self.loc[block.name].detach().reshape(-1)
            flat_scale = torch.exp(self.log_scale[block.name]).detach().reshape(-1)
            for site, lo, hi in zip(block.sites, offsets[:-1], offsets[1:]):
                loc[site.name] = flat_loc[lo:hi].tolist()
                scale[site.name] = flat_scale[lo:hi].tolist()
        return Posterior(loc, scale)


def lbfgs_evaluations(iterations: int) -> int:
    """The most loss evaluations L-BFGS makes in ``iterations`` iterations (torch's default ``max_eval``)."""
    return iterations * 5 // 4


def fit_map(model: Callable[[], None], guide: PointMass, max_iterations: int,
            progress: Progress | None = None) -> int:
    """Move the point mass to the posterior mode by L-BFGS; return the number of loss evaluations.

    The point-mass ELBO has no Monte Carlo noise, so a quasi-Newton method with a line search fits.
    """
    elbo = pyro.infer.Trace_ELBO(num_particles=ELBO_PARTICLES)
    lbfgs = torch.optim.LBFGS(list(guide.loc.values()), lr=LBFGS_LEARNING_RATE, max_iter=max_iterations,
                              max_eval=lbfgs_evaluations(max_iterations),
                              line_search_fn="strong_wolfe", tolerance_grad=LBFGS_TOLERANCE_GRAD,
                              tolerance_change=LBFGS_TOLERANCE_CHANGE)
    evaluations = 0

    def loss_and_gradient() -> Tensor:
        nonlocal evaluations
        lbfgs.zero_grad()
        loss = elbo.differentiable_loss(model, guide)
        loss.backward()
        if progress is not None:
            progress(evaluations, float(loss.detach()))
        evaluations += 1
        return loss

    lbfgs.step(loss_and_gradient)
    return evaluations


def fit_mean_field(model: Callable[[], None], guide: MeanField, steps: int,
                   progress: Progress | None = None, first_step: int = 0) -> None:
    """Fit the mean-field normal by ``steps`` Adam steps on the stochastic ELBO; ``progress``
    counts from ``first_step``."""
    elbo = pyro.infer.Trace_ELBO(num_particles=ELBO_PARTICLES)
    adam = torch.optim.Adam(guide.parameters(), lr=ADAM_LEARNING_RATE)
    for step in range(steps):
        adam.zero_grad()
        loss = elbo.differentiable_loss(model, guide)
        loss.backward()
        adam.step()
        if progress is not None:
            progress(first_step + step, float(loss.detach()))


def fit(compiled: Compiled, alts: AltTable, law_names: list[str], sites: list[Site], start: Values,
        method: str, steps: int | None, seed: int, progress: Progress | None = None,
        on_phase: Phase | None = None) -> tuple[Values, Posterior | None]:
    """Fit the sites from ``start``; return the point values (MAP, or the posterior median) and
    the posterior (``None`` for MAP).

    ``steps`` counts L-BFGS iterations for ``map`` and Adam steps for ``posterior`` (``None``:
    ``DEFAULT_STEPS``); ``seed`` fixes the ELBO's Monte Carlo draws (the caller's torch random
    state is left untouched). ``on_phase(name, most)`` is called as each phase starts, with the
    most evaluations it may take (L-BFGS may stop sooner, when it converges).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}, got {method!r}")
    steps = DEFAULT_STEPS[method] if steps is None else steps
    blocks = site_blocks(sites)
    model = partial(transitions_model, blocks, BlockLikelihood(compiled, alts, law_names, blocks))
    point, mean_field = PointMass.at(blocks, start), None
    with torch.random.fork_rng(), pyro.validation_enabled(False), single_threaded():
        torch.manual_seed(seed)
        iterations = steps if method == "map" else MAP_ITERATIONS_BEFORE_POSTERIOR
        if on_phase is not None:
            on_phase(MAP_PHASE, lbfgs_evaluations(iterations))
        evaluations = fit_map(model, point, iterations, progress)
        if method == "posterior":
            if on_phase is not None:
                on_phase(POSTERIOR_PHASE, steps)
            mean_field = MeanField.around(point)
            fit_mean_field(model, mean_field, steps, progress, first_step=evaluations)
    if mean_field is None:
        return point.values(), None
    return mean_field.median(), mean_field.posterior()


def draw(sites: list[Site], posterior: Posterior, normals: dict[str, Tensor]) -> Values:
    """Site values from standard normal draws pushed through the posterior; draws of shape
    ``(n, size)`` give ``n`` values of each site at once."""
    values = {}
    for site in sites:
        loc = torch.tensor(posterior.loc[site.name], dtype=DTYPE)
        scale = torch.tensor(posterior.scale[site.name], dtype=DTYPE)
        z = loc + scale * normals[site.name]
        values[site.name] = biject_to(site.prior().support)(z if site.family == "Dirichlet" else z[..., 0])
    return values
