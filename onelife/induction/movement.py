"""Creatures' moves as mixtures of generic move forms (stay, a random step, a step toward or
away from the player, a step along the creature's facing), within a distance of the player
chosen by held-out likelihood, as in ``search``; the mixture weights start from EM and are
left to the Pyro fit as a ``choice`` parameter."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from onelife.attributes import CREATURE_PATHS
from onelife.builtins import Dist, LawError, Ref
from onelife.induction.literals import DISTANCES
from onelife.induction.observations import Example, Transition
from onelife.induction.search import PENALTY, UNEXPLAINED
from onelife.interpret import evaluate
from onelife.parser import parse_expression

EM_ROUNDS = 50
KEEP = 0.02  # a form whose EM weight stays below this is left out of the law
FLOOR = 1e-3  # the model's floor (onelife.routing.FLOOR): every value keeps this share


@dataclass(frozen=True, slots=True)
class Mixture:
    """Where ``distance(var, player) <= radius``, the creature's next cell follows ``forms`` with ``weights``."""

    forms: tuple[str, ...]
    weights: tuple[float, ...]
    radius: int | None  # None: everywhere
    active: int  # examples where the condition held
    moved: int  # of them, how many moved


def move_forms(kind: str, var: str) -> list[str]:
    """The generic move forms of a creature of ``kind`` called ``var``."""
    forms = [f"{var}.pos", f"move({var}, random_direction())", f"move({var}, toward({var}, player))",
             f"move({var}, -toward({var}, player))"]
    if "facing" in CREATURE_PATHS[kind]:
        forms.append(f"move({var}, {var}.facing)")
    return forms


def _likelihoods(forms: list[str], var: str, examples: list[Example], transitions: list[Transition]
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(P(observed cell | form) [examples, forms], seen mask, moved mask); gone creatures are not seen."""
    parsed = [parse_expression(f) for f in forms]
    table = np.zeros((len(examples), len(forms)))
    seen = np.zeros(len(examples), dtype=bool)
    moved = np.zeros(len(examples), dtype=bool)
    for i, example in enumerate(examples):
        next_state = transitions[example.transition][2]
        after = next_state.objects.get(example.binding.oid)  # type: ignore[union-attr]
        if after is None:
            continue
        seen[i] = True
        before = example.scene.state.objects[example.binding.oid].pos  # type: ignore[union-attr]
        moved[i] = after.pos != before
        env = {"player": Ref(1), var: example.binding, "action": example.scene.action}
        for j, expr in enumerate(parsed):
            try:
                value = evaluate(expr, example.scene, env)
            except LawError:
                continue
            table[i, j] = value.get(after.pos, 0.0) if isinstance(value, Dist) else float(value == after.pos)
    return table, seen, moved


def _em(table: np.ndarray) -> np.ndarray:
    """Mixture weights maximising the likelihood of the rows of ``table``."""
    weights = np.full(table.shape[1], 1 / table.shape[1])
    for _ in range(EM_ROUNDS):
        joint = table * weights + 1e-12
        weights = (joint / joint.sum(1, keepdims=True)).sum(0)
        weights /= weights.sum()
    return weights


def _held_out(table: np.ndarray, inside: np.ndarray, moved: np.ndarray, fold: np.ndarray, cells: int) -> float:
    """Two-fold held-out log-likelihood: the mixture inside, the frame outside."""
    total = float((moved & ~inside).sum() * UNEXPLAINED)
    for f in (0, 1):
        train, test = inside & (fold != f), inside & (fold == f)
        if not test.any():
            continue
        weights = _em(table[train]) if train.any() else np.full(table.shape[1], 1 / table.shape[1])
        total += float(np.log((1 - FLOOR) * table[test] @ weights + FLOOR / cells).sum())
    return total


def learn_movement(kind: str, var: str, examples: list[Example], transitions: list[Transition]) -> Mixture | None:
    """The best mixture for the kind's moves, or ``None`` if its creatures never moved (or no
    move form explains where they went)."""
    forms = move_forms(kind, var)
    table, seen, moved = _likelihoods(forms, var, examples, transitions)
    if not moved.any():
        return None
    fold = np.array([e.transition % 2 for e in examples])
    area = examples[0].scene.width * examples[0].scene.height
    distances = np.array([abs(e.scene.state.objects[e.binding.oid].pos[0] - e.scene.state.player.pos[0])  # type: ignore[union-attr]
                          + abs(e.scene.state.objects[e.binding.oid].pos[1] - e.scene.state.player.pos[1])  # type: ignore[union-attr]
                          for e in examples])
    best: tuple[float, int | None] = (-math.inf, None)
    for radius in (*DISTANCES, None):
        inside = seen & (distances <= radius if radius is not None else True)
        score = _held_out(table[seen], inside[seen], moved[seen], fold[seen], area) \
            - PENALTY * (radius is not None)
        if score > best[0]:
            best = (score, radius)
    radius = best[1]
    inside = seen & (distances <= radius if radius is not None else True)
    explained = inside & (table.sum(axis=1) > 0)
    if not explained.any():
        return None  # no move form gives any observed cell: the moves stay with the frame law
    weights = _em(table[explained])
    keep = [j for j, w in enumerate(weights) if w >= KEEP]
    kept = weights[keep] / weights[keep].sum()
    return Mixture(tuple(forms[j] for j in keep), tuple(float(w) for w in kept), radius,
                   int(inside.sum()), int((inside & moved).sum()))
