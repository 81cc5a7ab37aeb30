"""The model's free numbers: named sites with priors, and the map from them to choice weights.

Sites are ``<law>.<param>`` (a law's declared parameters), ``<law>.weight`` (the law's
weight in the log-linear pool, LogNormal prior) and ``frame.<family>`` (the probability
that an attribute no active law speaks about changes unexplained, Beta prior).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor
from torch.distributions import Beta, Dirichlet, Distribution, LogNormal

from onelife.attributes import FAMILIES
from onelife.law import Choice, ConstWeight, Joint, Law

DTYPE = torch.float64
WEIGHT_PRIOR: tuple[float, float] = (0.0, 3.0)  # LogNormal(loc, scale) of every law weight
FRAME_PRIOR: tuple[float, float] = (1.0, 100.0)  # Beta prior of every frame change probability


@dataclass(frozen=True, slots=True)
class Site:
    """One named parameter of the model and its prior."""

    name: str
    family: str
    args: tuple[float, ...]

    def prior(self) -> Distribution:
        args = torch.tensor(self.args, dtype=DTYPE)
        if self.family == "Beta":
            return Beta(args[0], args[1])
        if self.family == "Dirichlet":
            return Dirichlet(args)
        return LogNormal(args[0], args[1])

    @property
    def size(self) -> int:
        return len(self.args) if self.family == "Dirichlet" else 1

    def prior_mean(self) -> Tensor:
        """The starting value of an unfitted model (a LogNormal weight starts at its median, 1)."""
        prior = self.prior()
        return prior.mean if self.family != "LogNormal" else torch.exp(prior.loc)


def sites(laws: list[Law]) -> list[Site]:
    """Every site of a model with these laws, in a fixed order."""
    result = []
    for law in laws:
        result.extend(Site(f"{law.name}.{p.name}", p.family, tuple(map(float, p.args))) for p in law.params)
        result.append(Site(f"{law.name}.weight", "LogNormal", WEIGHT_PRIOR))
    result.extend(Site(f"frame.{family}", "Beta", FRAME_PRIOR) for family in FAMILIES)
    return result


class AltTable:
    """Each effect alternative's weight as an affine function of the law parameters.

    ``offsets[law][effect]`` is the global index of that effect's first alternative;
    weight = const + sum(coef * flat parameter value), so it is differentiable and batched.
    """

    def __init__(self, laws: list[Law]) -> None:
        self.param_sites = [f"{law.name}.{p.name}" for law in laws for p in law.params]
        flat_start: dict[str, int] = {}
        position = 0
        for law in laws:
            for p in law.params:
                flat_start[f"{law.name}.{p.name}"] = position
                position += len(p.args) if p.family == "Dirichlet" else 1
        const: list[float] = []
        terms: list[tuple[int, int, float]] = []
        self.offsets: list[list[int]] = []
        for law in laws:
            law_offsets = []
            for effect in law.effects:
                law_offsets.append(len(const))
                if isinstance(effect, Joint):  # all members with the weight, else none: like choice(w: x, else: y)
                    if isinstance(effect.weight, ConstWeight):
                        const.extend([float(effect.weight.value), 1.0 - float(effect.weight.value)])
                    else:
                        index = flat_start[f"{law.name}.{effect.weight.name}"]
                        terms.extend([(len(const), index, 1.0), (len(const) + 1, index, -1.0)])
                        const.extend([0.0, 1.0])
                    continue
                value = effect.value
                if not isinstance(value, Choice):
                    const.append(1.0)
                    continue
                weights = [a.weight for a in value.alternatives]
                if all(isinstance(w, ConstWeight) for w in weights):
                    const.extend(float(w.value) for w in weights)  # type: ignore[union-attr]
                    if value.otherwise is not None:
                        const.append(1.0 - sum(float(w.value) for w in weights))  # type: ignore[union-attr]
                    continue
                for w in weights:
                    index = flat_start[f"{law.name}.{w.name}"] + (w.index or 0)  # type: ignore[union-attr]
                    terms.append((len(const), index, 1.0))
                    const.append(0.0)
                if value.otherwise is not None:  # the Beta form: else takes 1 - p
                    terms.append((len(const), terms[-1][1], -1.0))
                    const.append(1.0)
            self.offsets.append(law_offsets)
        self.const = torch.tensor(const, dtype=DTYPE)
        self.term_alt = torch.tensor([t[0] for t in terms], dtype=torch.long)
        self.term_param = torch.tensor([t[1] for t in terms], dtype=torch.long)
        self.term_coef = torch.tensor([t[2] for t in terms], dtype=DTYPE)

    def weights(self, values: dict[str, Tensor]) -> Tensor:
        """All alternative weights for the given site values."""
        if not self.param_sites:
            return self.const
        return self.weights_of(torch.cat([values[name].reshape(-1) for name in self.param_sites]))

    def weights_of(self, flat: Tensor) -> Tensor:
        """All alternative weights from the ``param_sites``' values laid end to end."""
        return self.const.index_add(0, self.term_alt, self.term_coef * flat[self.term_param])
