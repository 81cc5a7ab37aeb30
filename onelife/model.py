"""``LawModel``: a set of laws with parameter values that scores, samples and learns transitions.

It satisfies ``worldmodel.WorldModel`` (``sample`` and ``log_prob``), so planners use it like
the true game. ``onelife.library.default_model()`` builds it from the Crafter law library and
``onelife.modelfile`` saves and loads it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Callable, Iterable

import numpy as np
import torch
from torch import Tensor

from crafter_oo.rules import ACTIONS, action_index
from crafter_oo.state import WorldState

from onelife import fitting
from onelife.fitting import Posterior, Values, frame_vector, weight_vector
from onelife.interpret import Activation
from onelife.law import Law
from onelife.parameters import DTYPE, AltTable, Site, sites
from onelife.plan import Plan
from onelife.routing import Compiled, compile_transitions
from onelife.sampling import pool_distributions, sample_next
from worldmodel.torch_threads import single_threaded

Transition = tuple[WorldState, Any, WorldState]


def action_name(action: int | str) -> str:
    """The action's name, given by index or name (anything else is a ``ValueError``)."""
    return ACTIONS[action_index(action)]


class LawModel:
    """Laws plus values for their parameters, weights and frame rates."""

    def __init__(self, laws: Iterable[Law], values: dict[str, Any] | None = None,
                 posterior: Posterior | None = None) -> None:
        self.laws = list(laws)
        names = [law.name for law in self.laws]
        if len(set(names)) != len(names):
            raise ValueError(f"law names must be unique, got {names}")
        self.sites: list[Site] = sites(self.laws)
        self.alts = AltTable(self.laws)
        self._plan: Plan | None = None
        self._values: Values = {s.name: s.prior_mean() for s in self.sites}
        if values is not None:
            self._values.update(_checked_values(self.sites, values))
        self.posterior = posterior
        self._weights: tuple[Tensor, Tensor, Tensor] | None = None

    @property
    def plan(self) -> Plan:
        """The laws' evaluation plan, built on first use (models drawn from a posterior that are
        never run do not pay for it)."""
        if self._plan is None:
            self._plan = Plan(self.laws)
        return self._plan

    @property
    def law_names(self) -> list[str]:
        return [law.name for law in self.laws]

    def parameters(self) -> dict[str, float | list[float]]:
        """Every site's current value: a float, or a list for a Dirichlet."""
        return {name: (value.tolist() if value.dim() else float(value)) for name, value in self._values.items()}

    def compile(self, transitions: list[tuple[WorldState, Any, WorldState | None]]) -> Compiled:
        """Evaluate the laws on each transition once (the batch ``fit`` and scoring reuse)."""
        items = [(s, action_name(a), s2) for s, a, s2 in transitions]
        return compile_transitions(self.laws, self.alts, items, activator=self.plan.activate)

    def weights(self) -> tuple[Tensor, Tensor, Tensor]:
        """The alternatives', laws' and frame families' weights at the current values (worked out
        once, not on every call to score or sample)."""
        if self._weights is None:
            with torch.no_grad():
                self._weights = (self.alts.weights(self._values), weight_vector(self._values, self.law_names),
                                 frame_vector(self._values))
        return self._weights

    def scores(self, compiled: Compiled) -> np.ndarray:
        """The log-likelihood of each transition of a compiled batch at the current values."""
        with torch.no_grad(), single_threaded():  # small tensors: a second thread costs far more than it saves
            return compiled.log_probs(*self.weights()).numpy()

    def log_prob(self, state: WorldState, action: int | str, next_state: WorldState) -> float:
        """log p(next_state | state, action): normalised over all well-formed successors."""
        return float(self.log_prob_batch([(state, action, next_state)])[0])

    def log_prob_batch(self, transitions: list[Transition]) -> np.ndarray:
        """``log_prob`` of many transitions in one batched evaluation."""
        return self.scores(self.compile(transitions))

    def explain(self, transitions: list[Transition]) -> tuple[np.ndarray, list[list[Activation]]]:
        """``log_prob`` of each transition and the law instances that fired on it (precondition
        held), from one evaluation of the laws: what a replay shows step by step."""
        items = [(s, action_name(a), s2) for s, a, s2 in transitions]
        activations: list[list[Activation]] = []
        compiled = compile_transitions(self.laws, self.alts, items, activations.append, self.plan.activate)
        return self.scores(compiled), activations

    def sample(self, state: WorldState, action: int | str, rng: np.random.Generator) -> WorldState:
        """A complete next state drawn from the model (births and deaths included)."""
        return self.sample_many(state, action, 1, rng)[0]

    def sample_many(self, state: WorldState, action: int | str, n: int,
                    rng: np.random.Generator) -> list[WorldState]:
        """``n`` independent next states, evaluating the laws only once."""
        return self.sample_batch([(state, action)], n, rng)[0]

    def sample_batch(self, starts: list[tuple[WorldState, int | str]], n: int,
                     rng: np.random.Generator) -> list[list[WorldState]]:
        """``n`` independent next states of each (state, action), from one evaluation of the laws
        on all of them (drawn start by start, in order)."""
        compiled = self.compile([(state, action, None) for state, action in starts])
        alt_weights, law_weights, frame = self.weights()
        with torch.no_grad(), single_threaded():
            distributions = pool_distributions(compiled, alt_weights, law_weights)
        by_start: list[list[int]] = [[] for _ in starts]
        for index, pool in enumerate(compiled.pools):
            by_start[pool.transition].append(index)
        return [[sample_next(state, [compiled.pools[i] for i in indices], [distributions[i] for i in indices],
                             frame.numpy(), rng) for _ in range(n)]
                for (state, _), indices in zip(starts, by_start)]

    def fit(self, transitions: list[Transition], method: str = "map", steps: int | None = None,
            seed: int = 0, progress: Callable[[int, float], None] | None = None,
            on_phase: Callable[[str, int], None] | None = None) -> "LawModel":
        """Fit every site to the transitions (in place) and return the model.

        ``map``: the posterior mode (``steps`` = L-BFGS iterations).
        ``posterior``: a mean-field normal on the unconstrained sites, started at the MAP
        (``steps`` = Adam steps); the point values become its median and
        ``posterior_samples`` draws from it. ``steps`` defaults to ``fitting.DEFAULT_STEPS``
        (300 and 1000); ``seed`` fixes the ELBO's Monte Carlo draws. ``progress(evaluation, loss)``
        follows every loss evaluation and ``on_phase(name, most)`` each phase's start. See
        ``onelife.fitting``.
        """
        compiled = self.compile(transitions)
        values, posterior = fitting.fit(compiled, self.alts, self.law_names, self.sites, self._values,
                                        method, steps, seed, progress, on_phase)
        self._values, self._weights = values, None
        self.posterior = posterior
        return self

    def posterior_samples(self, n: int, rng: np.random.Generator) -> list["LawModel"]:
        """``n`` models with site values drawn from the fitted posterior."""
        sizes = self.coordinate_sizes()
        return [self.at_coordinates({name: rng.standard_normal(size) for name, size in sizes.items()})
                for _ in range(n)]

    def coordinate_sizes(self) -> dict[str, int]:
        """Each site's number of posterior coordinates (its unconstrained dimensions)."""
        return {site.name: len(self._fitted_posterior().loc[site.name]) for site in self.sites}

    def at_coordinates(self, coordinates: Mapping[str, Sequence[float] | np.ndarray]) -> "LawModel":
        """The model whose sites sit ``coordinates`` posterior standard deviations from the
        posterior's centre (one number per unconstrained dimension); unnamed sites stay at
        the centre, which is the posterior median. A box of these is an uncertainty set."""
        sizes = self.coordinate_sizes()
        unknown = sorted(set(coordinates) - set(sizes))
        if unknown:
            raise ValueError(f"at_coordinates: no site named {unknown}; sites are {sorted(sizes)}")
        normals = {}
        for name, size in sizes.items():
            z = np.asarray(coordinates.get(name, np.zeros(size)), dtype=float).reshape(-1)
            if z.shape != (size,) or not np.isfinite(z).all():
                raise ValueError(f"at_coordinates: site {name} needs {size} finite number(s), got {coordinates[name]!r}")
            normals[name] = torch.tensor(z, dtype=DTYPE)
        return LawModel(self.laws, fitting.draw(self.sites, self._fitted_posterior(), normals))

    def _fitted_posterior(self) -> Posterior:
        if self.posterior is None:
            raise ValueError("no posterior: fit with method='posterior' first")
        return self.posterior


def _checked_values(site_list: list[Site], values: dict[str, Any]) -> Values:
    """Site values as tensors, checked for known names, shapes and supports."""
    by_name = {s.name: s for s in site_list}
    unknown = sorted(set(values) - set(by_name))
    if unknown:
        raise ValueError(f"unknown parameters {unknown}; this model has {sorted(by_name)}")
    checked = {}
    for name, value in values.items():
        site = by_name[name]
        if isinstance(value, torch.Tensor):  # values drawn from the posterior (at_coordinates)
            value = value.tolist()
        numbers = value if isinstance(value, list) else [value]
        if not numbers or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in numbers):
            raise ValueError(f"parameter {name}: expected {'a list of numbers' if site.family == 'Dirichlet' else 'a number'}, "
                             f"got {value!r:.80}")
        tensor = torch.as_tensor(value, dtype=DTYPE).detach().clone()
        expected = (site.size,) if site.family == "Dirichlet" else ()
        if tuple(tensor.shape) != expected:
            raise ValueError(f"parameter {name}: expected shape {expected}, got {tuple(tensor.shape)}")
        inside = bool(site.prior().support.check(tensor).all()) and bool(torch.isfinite(tensor).all())
        if not inside or (site.family == "Beta" and not 0 < float(tensor) < 1):
            raise ValueError(f"parameter {name}: {tensor.tolist()} is outside the support of {site.family}")
        checked[name] = tensor
    return checked
