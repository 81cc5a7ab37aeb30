"""Fitting law parameters, law weights and frame rates as one Pyro program.

The model samples every site from its prior and adds the batched log-likelihood of all
transitions as a factor. MAP uses a point-mass guide; the approximate posterior is a
normal on each site's unconstrained value (mean-field), pushed through the site's
support bijection. The guides' tensors are optimised with plain torch optimisers, so
nothing is kept in Pyro's global parameter store.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

import pyro
import pyro.distributions as dist
import torch
from torch import Tensor
from torch.distributions import biject_to

from onelife.attributes import FAMILIES
from onelife.parameters import DTYPE, AltTable, Site
from onelife.routing import Compiled

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


@contextmanager
def single_threaded() -> Iterator[None]:
    """Run torch on one thread: the tensors here are small, and on a busy machine the
    thread pool's synchronisation costs far more than it saves. Restores the setting."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _support(site: Site) -> torch.distributions.transforms.Transform:
    return biject_to(site.prior().support)


def fit(compiled: Compiled, alts: AltTable, law_names: list[str], sites: list[Site], start: Values,
        method: str, steps: int, seed: int,
        progress: Callable[[int, float], None] | None = None) -> tuple[Values, Posterior | None]:
    """Fit the sites; return the point values (MAP, or the posterior median) and the posterior.

    MAP is found by L-BFGS (the point-mass ELBO is deterministic) in the unconstrained space;
    the posterior then starts at the MAP and is fitted by Adam on the stochastic ELBO.
    """
    if method not in ("map", "posterior"):
        raise ValueError(f"method must be 'map' or 'posterior', got {method!r}")

    def model() -> None:
        values = {site.name: pyro.sample(site.name, site.prior()) for site in sites}
        pyro.factor("transitions", likelihood(compiled, alts, law_names, values))

    locs = {s.name: _support(s).inv(start[s.name].detach()).clone().requires_grad_(True) for s in sites}
    log_scales = {s.name: torch.full_like(locs[s.name], -4.0).requires_grad_(True) for s in sites}

    def point_guide() -> None:
        for site in sites:
            transform = _support(site)
            value = transform(locs[site.name])
            # The density of the unconstrained value: a MAP that does not depend on the parametrisation
            # of a site's support (e.g. a log-weight's mode is its prior median without data).
            jacobian = transform.log_abs_det_jacobian(locs[site.name], value).sum()
            event = 1 if site.family == "Dirichlet" else 0
            pyro.sample(site.name, dist.Delta(value, log_density=-jacobian, event_dim=event))

    def normal_guide() -> None:
        for site in sites:
            base = dist.Normal(locs[site.name], torch.exp(log_scales[site.name]))
            if site.family == "Dirichlet":
                base = base.to_event(1)
            pyro.sample(site.name, dist.TransformedDistribution(base, [_support(site)]))

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
                progress(evaluations, float(loss))
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
    point = {s.name: _support(s)(locs[s.name].detach()) for s in sites}
    if method == "map":
        return point, None
    posterior = Posterior({n: locs[n].detach().reshape(-1).tolist() for n in locs},
                          {n: torch.exp(log_scales[n]).detach().reshape(-1).tolist() for n in locs})
    return point, posterior


def draw(sites: list[Site], posterior: Posterior, normals: dict[str, Tensor]) -> Values:
    """Site values from standard normal draws pushed through the posterior."""
    values = {}
    for site in sites:
        loc = torch.tensor(posterior.loc[site.name], dtype=DTYPE)
        scale = torch.tensor(posterior.scale[site.name], dtype=DTYPE)
        z = loc + scale * normals[site.name]
        values[site.name] = _support(site)(z if site.family == "Dirichlet" else z.reshape(()))
    return values
