"""Choosing a rule's precondition: greedy specialisation then generalisation over literals,
scored by two-fold held-out log-likelihood minus a description-length penalty.

A rule says: where its precondition holds, the attribute takes the effect's value with
probability p (else it keeps its value); where it does not hold, a change the effect would
explain is left to the frame law, at ``UNEXPLAINED`` nats each. p is estimated on the other
fold (Laplace's rule), so a precondition is judged on transitions it was not fitted to.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

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


def choose_precondition(literals: Literals, evidence: Evidence,
                        start: tuple[int, ...] = ()) -> tuple[tuple[int, ...], float]:
    """Literal indices of the best precondition found from ``start`` and its penalised score."""
    chosen = list(start)
    mask = literals.truth[:, chosen].all(axis=1) if chosen else np.ones(len(evidence.valid), dtype=bool)
    best = float(held_out_scores(mask[:, None], evidence)[0]) - PENALTY * len(chosen)
    improved = True
    while improved:
        improved = False
        if len(chosen) < MAX_LITERALS and literals.truth.shape[1]:
            scores = held_out_scores(literals.truth & mask[:, None], evidence) - PENALTY * (len(chosen) + 1)
            scores[chosen] = -np.inf
            pick = int(np.argmax(scores))
            if scores[pick] > best + 1e-9:
                chosen.append(pick)
                mask &= literals.truth[:, pick]
                best, improved = float(scores[pick]), True
                continue
        for drop in list(chosen):  # generalise: a literal that no longer pays for itself goes
            rest = [c for c in chosen if c != drop]
            rest_mask = literals.truth[:, rest].all(axis=1) if rest else np.ones_like(mask)
            score = float(held_out_scores(rest_mask[:, None], evidence)[0]) - PENALTY * len(rest)
            if score > best + 1e-9:
                chosen, mask, best, improved = rest, rest_mask, score, True
                break
    return tuple(chosen), best


def precondition_score(literals: Literals, evidence: Evidence, chosen: tuple[int, ...]) -> float:
    """The penalised held-out score of a given precondition."""
    mask = literals.truth[:, list(chosen)].all(axis=1) if chosen else np.ones(len(evidence.valid), dtype=bool)
    return float(held_out_scores(mask[:, None], evidence)[0]) - PENALTY * len(chosen)
