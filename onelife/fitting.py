"""Fitting law parameters, law weights and frame rates as one Pyro program.

The model samples every site from its prior (sites of one family in one vectorised Pyro
site, see ``_Block``) and adds the batched log-likelihood of all transitions as a factor. MAP uses a point-mass guide; the approximate posterior is a
normal on each site's unconstrained value (mean-field), pushed through the site's
support bijection. The guides' tensors are optimised with plain torch optimisers, so
nothing is kept in Pyro's global parameter store.
"""

from __future__ import annotations

from dataclasses import dataclass
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
from worldmodel.torch_threads import single_threaded

Values = dict[str, Tensor]


@dataclass(frozen=True, slots=True)
class Posterior:
    """A normal on the unconstrained value of each site: what ``posterior_samples`` draws from."""

    loc: dict[str, list[float]]
    scale: dict[str, list[float]]


def likelihood(compiled: Compiled, alts: AltTable, law_names: list[str], values: Values) -> Tensor:
    """The summed log-likelihood of a compiled batch for given site values."""
    return compiled.log_probs(alts.weights(values), weight_vector(values, law_names), frame_vector(values)).sum()


def weight_vector(values: Values, law_names: list[str]) -> Tensor:
    """The laws' pool weights in law order."""
    if not law_names:
        return torch.zeros(0, dtype=DTYPE)
    return torch.stack([values[f"{name}.weight"].reshape(()) for name in law_names])


def frame_vector(values: Values) -> Tensor:
    """The frame change probabilities in ``FAMILIES`` order."""
    return torch.stack([values[f"frame.{f}"].reshape(()) for f in FAMILIES])


def _support(site: Site) -> torch.distributions.transforms.Transform:
    return biject_to(site.prior().support)


@dataclass(frozen=True)
class _Block:
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


def _blocks(sites: list[Site]) -> list[_Block]:
    blocks = []
    for family, make in (("Beta", lambda a: dist.Beta(a[:, 0], a[:, 1])),
                         ("LogNormal", lambda a: dist.LogNormal(a[:, 0], a[:, 1]))):
        members = tuple(s for s in sites if s.family == family)
        if members:
            prior = make(torch.tensor([s.args for s in members], dtype=DTYPE)).to_event(1)
            blocks.append(_Block(family, members, prior, biject_to(prior.support)))
    for site in sites:
        if site.family == "Dirichlet":
            prior = site.prior()
            blocks.append(_Block(site.name, (site,), prior, biject_to(prior.support)))
    return blocks


def fit(compiled: Compiled, alts: AltTable, law_names: list[str], sites: list[Site], start: Values,
        method: str, steps: int, seed: int,
        progress: Callable[[int, float], None] | None = None) -> tuple[Values, Posterior | None]:
    """Fit the sites; return the point values (MAP, or the posterior median) and the posterior.

    MAP is found by L-BFGS (the point-mass ELBO is deterministic) in the unconstrained space;
    the posterior then starts at the MAP and is fitted by Adam on the stochastic ELBO.
    """
    if method not in ("map", "posterior"):
        raise ValueError(f"method must be 'map' or 'posterior', got {method!r}")
    blocks = _blocks(sites)

    def model() -> None:
        values: Values = {}
        for block in blocks:
            values.update(block.split(pyro.sample(block.name, block.prior)))
        pyro.factor("transitions", likelihood(compiled, alts, law_names, values))

    locs = {b.name: b.transform.inv(b.join(start)).clone().requires_grad_(True) for b in blocks}
    log_scales = {b.name: torch.full_like(locs[b.name], -4.0).requires_grad_(True) for b in blocks}

    def point_guide() -> None:
        for block in blocks:
            value = block.transform(locs[block.name])
            # The density of the unconstrained value: a MAP that does not depend on the parametrisation
            # of a site's support (e.g. a log-weight's mode is its prior median without data).
            jacobian = block.transform.log_abs_det_jacobian(locs[block.name], value).sum()
            pyro.sample(block.name, dist.Delta(value, log_density=-jacobian, event_dim=1))

    def normal_guide() -> None:
        for block in blocks:
            base = dist.Normal(locs[block.name], torch.exp(log_scales[block.name])).to_event(1)
            pyro.sample(block.name, dist.TransformedDistribution(base, [block.transform]))

    elbo = pyro.infer.Trace_ELBO()
    with torch.random.fork_rng(), pyro.validation_enabled(False), single_threaded():
        torch.manual_seed(seed)
        lbfgs = torch.optim.LBFGS(list(locs.values()), lr=1.0, max_iter=steps if method == "map" else 500,
                                  line_search_fn="strong_wolfe", tolerance_grad=1e-7, tolerance_change=1e-10)
        evaluations = 0

        def closure() -> Tensor:
            nonlocal evaluations
            lbfgs.zero_grad()
            loss = elbo.differentiable_loss(model, point_guide)
            loss.backward()
            if progress is not None:
                progress(evaluations, float(loss.detach()))
            evaluations += 1
            return loss

        lbfgs.step(closure)
        if method == "posterior":
            adam = torch.optim.Adam([*locs.values(), *log_scales.values()], lr=0.01)
            for step in range(steps):
                adam.zero_grad()
                loss = elbo.differentiable_loss(model, normal_guide)
                loss.backward()
                adam.step()
                if progress is not None:
                    progress(evaluations + step, float(loss))
    point: Values = {}
    for block in blocks:
        point.update({name: value.detach().clone() for name, value in
                      block.split(block.transform(locs[block.name].detach())).items()})
    if method == "map":
        return point, None
    loc, scale = {}, {}
    for block in blocks:
        offsets = np.cumsum([0] + block.unconstrained_sizes())
        flat_loc = locs[block.name].detach().reshape(-1)
        flat_scale = torch.exp(log_scales[block.name]).detach().reshape(-1)
        for site, lo, hi in zip(block.sites, offsets[:-1], offsets[1:]):
            loc[site.name] = flat_loc[lo:hi].tolist()
            scale[site.name] = flat_scale[lo:hi].tolist()
    return point, Posterior(loc, scale)


def draw(sites: list[Site], posterior: Posterior, normals: dict[str, Tensor]) -> Values:
    """Site values from standard normal draws pushed through the posterior."""
    values = {}
    for site in sites:
        loc = torch.tensor(posterior.loc[site.name], dtype=DTYPE)
        scale = torch.tensor(posterior.scale[site.name], dtype=DTYPE)
        z = loc + scale * normals[site.name]
        values[site.name] = _support(site)(z if site.family == "Dirichlet" else z.reshape(()))
    return values
