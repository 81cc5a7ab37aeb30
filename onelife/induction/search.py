"""Choosing a rule's precondition: greedy specialisation then generalisation over literals,
scored by two-fold held-out log-likelihood minus a description-length penalty.

A rule says: where its precondition holds, the attribute takes the effect's value with
probability p (else it keeps its value); where it does not hold, a change the effect would
explain is left to the frame law, at ``UNEXPLAINED`` nats each. p is estimated on the other
fold (Laplace's rule), so a precondition is judged on transitions it was not fitted to.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from onelife.induction.literals import Literals

UNEXPLAINED = math.log(1e-4)  # log-probability of a change no rule explains (the frame law's share)
PENALTY = 2.0  # nats per literal: the description-length price of a precondition's condition
MAX_LITERALS = 6


@dataclass(frozen=True, slots=True)
class Evidence:
    """What one effect form must explain: per example, whether it is observed (``valid``),
    whether the form gives the observed value (``fits``) and whether the attribute changed."""

    valid: np.ndarray
    fits: np.ndarray
    changed: np.ndarray
    fold: np.ndarray  # 0 or 1 per example

    @property
    def to_explain(self) -> np.ndarray:
        return self.valid & self.fits & self.changed


def held_out_scores(masks: np.ndarray, evidence: Evidence) -> np.ndarray:
    """Two-fold held-out log-likelihood of the rule for each precondition mask [examples, candidates]."""
    inside = masks & evidence.valid[:, None]
    hits = inside & evidence.fits[:, None]
    total = np.zeros(masks.shape[1])
    for fold in (0, 1):
        here = (evidence.fold == fold)[:, None]
        n_here, k_here = (inside & here).sum(0), (hits & here).sum(0)
        n_other, k_other = (inside & ~here).sum(0), (hits & ~here).sum(0)
        p = (k_other + 1) / (n_other + 2)
        total += k_here * np.log(p) + (n_here - k_here) * np.log1p(-p)
    missed = evidence.to_explain.sum() - (masks & evidence.to_explain[:, None]).sum(0)
    return total + missed * UNEXPLAINED


def no_rule_score(evidence: Evidence) -> float:
    """The score of explaining nothing: every change the form would explain is left to the frame."""
    return float(evidence.to_explain.sum() * UNEXPLAINED)


@dataclass(slots=True)
class Context:
    """Where a precondition is read: on the examples themselves, or (``incidence`` given) on
    creatures of ``kind`` near each example, a law quantified over them holding for the
    example when it holds for at least one (``start``: the literals every such law keeps)."""

    literals: Literals
    kind: str | None = None
    var: str | None = None
    incidence: np.ndarray | None = None  # [examples, bindings]: 1 where the binding belongs to the example
    start: tuple[int, ...] = ()
    known: list[tuple[int, ...]] = field(default_factory=list)  # preconditions rules here already use

    def lift(self, masks: np.ndarray) -> np.ndarray:
        """Masks over the context's rows as masks over the examples [examples, candidates]."""
        if self.incidence is None:
            return masks
        return (self.incidence @ masks.astype(np.float32)) > 0

    def mask(self, chosen: tuple[int, ...]) -> np.ndarray:
        """Where a precondition holds, over the context's rows."""
        truth = self.literals.truth
        return truth[:, list(chosen)].all(axis=1) if chosen else np.ones(truth.shape[0], dtype=bool)


def choose_precondition(context: Context, evidence: Evidence) -> tuple[tuple[int, ...], float]:
    """Literal indices of the best precondition found from the context's start and its penalised score."""
    truth = context.literals.truth
    chosen = list(context.start)
    mask = context.mask(tuple(chosen))
    best = precondition_score(context, evidence, tuple(chosen))
    improved = True
    while improved:
        improved = False
        if len(chosen) < MAX_LITERALS and truth.shape[1]:
            scores = held_out_scores(context.lift(truth & mask[:, None]), evidence) - PENALTY * (len(chosen) + 1)
            scores[chosen] = -np.inf
            pick = int(np.argmax(scores))
            if scores[pick] > best + 1e-9:
                chosen.append(pick)
                mask &= truth[:, pick]
                best, improved = float(scores[pick]), True
                continue
        for drop in [c for c in chosen if c not in context.start]:  # generalise: a literal that no longer pays goes
            rest = tuple(c for c in chosen if c != drop)
            score = precondition_score(context, evidence, rest)
            if score > best + 1e-9:
                chosen, mask, best, improved = list(rest), context.mask(rest), score, True
                break
    return tuple(chosen), best


def precondition_score(context: Context, evidence: Evidence, chosen: tuple[int, ...]) -> float:
    """The penalised held-out score of a given precondition."""
    lifted = context.lift(context.mask(chosen)[:, None])
    return float(held_out_scores(lifted, evidence)[0]) - PENALTY * len(chosen)
