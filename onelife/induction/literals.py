"""Candidate preconditions: generic relations of the state, as law-language literals, and
their truth on every example.

The relations are the schema's and the language's: the action, what the player faces
(material and object), items held and counters as thresholds, materials in neighbourhoods
of growing radius, sleeping, and for a creature its distance to the player, its own
counters, whether the player faces it and whether the cell it faces is free. Thresholds
and names come from the values the life shows, never from a rulebook.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crafter_oo.rules import ACTIONS, ITEMS, MATERIALS

from onelife.attributes import CREATURE_PATHS, VITALS, read
from onelife.builtins import LawError
from onelife.compiled import compile_expr
from onelife.induction.observations import Example
from onelife.parser import parse_expression

NEIGHBOURHOODS: tuple[int, ...] = (1, 2, 3, 4)  # radii of the squares searched for a material
DISTANCES: tuple[int, ...] = (1, 2, 3, 4, 6, 8, 10, 12, 15, 20, 25)  # creature-player distance thresholds
MAX_THRESHOLDS = 40  # per counter: the thresholds kept, spread over the observed values


@dataclass(frozen=True, slots=True)
class Literals:
    """Literal texts and their truth table [examples, literals]."""

    texts: tuple[str, ...]
    truth: np.ndarray

    def column(self, text: str) -> np.ndarray:
        return self.truth[:, self.texts.index(text)]


def _thresholds(values: set[float]) -> list[float]:
    """Thresholds between observed values: ``x >= k`` for every observed k above the least."""
    ordered = sorted(values)[1:]
    if len(ordered) > MAX_THRESHOLDS:
        ordered = [ordered[i] for i in np.linspace(0, len(ordered) - 1, MAX_THRESHOLDS).round().astype(int)]
    return ordered


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def player_literals(examples: list[Example]) -> list[str]:
    """Literals about the player's step: action, faced cell, items, counters, sleeping, neighbourhoods."""
    states = [e.scene.state for e in examples]
    actions = sorted({e.scene.action for e in examples}, key=ACTIONS.index)
    texts = [f"action == {a}" for a in actions]
    texts += ["player.sleeping", "not player.sleeping"]
    faced = {e.scene.material(_front(e)) for e in examples} - {None}
    texts += [f"material(target(player)) == {m}" for m in sorted(faced)]
    kinds = {e.scene.state.objects[oid].kind for e in examples if (oid := e.scene.occupant.get(_front(e))) is not None}
    texts += ["kind_at(target(player)) == none", *(f"kind_at(target(player)) == {k}" for k in sorted(kinds))]
    for item in ITEMS:
        for k in _thresholds({s.player.inventory[item] for s in states}):
            texts += [f"player.inventory.{item} >= {_number(k)}", f"player.inventory.{item} < {_number(k)}"]
    for counter in VITALS:
        for k in _thresholds({getattr(s.player, counter) for s in states}):
            texts += [f"player.{counter} >= {_number(k)}", f"player.{counter} < {_number(k)}"]
    seen = sorted({m for s in states for m in np.unique(s.materials).tolist()})
    for material in (MATERIALS[i] for i in seen if MATERIALS[i] is not None):
        texts += [f"nearby(player.pos, {material}, {r})" for r in NEIGHBOURHOODS]
    return texts


def creature_literals(examples: list[Example], kind: str, var: str) -> list[str]:
    """Literals about one creature of ``kind`` (called ``var``) in a step."""
    texts = [f"distance({var}, player) <= {d}" for d in DISTANCES]
    texts += [f"distance({var}, player) > {d}" for d in DISTANCES]
    texts += [f"{var}.pos == target(player)", "player.sleeping", "not player.sleeping"]
    actions = sorted({e.scene.action for e in examples}, key=ACTIONS.index)
    texts += [f"action == {a}" for a in actions]
    for path in CREATURE_PATHS[kind]:
        if path in ("alive", "pos"):
            continue
        values = {read(e.scene.state.objects[e.binding.oid], path) for e in examples}  # type: ignore[union-attr]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            for k in _thresholds(values):
                texts += [f"{var}.{path} >= {_number(k)}", f"{var}.{path} < {_number(k)}"]
    if "facing" in CREATURE_PATHS[kind]:
        texts += [f"free(target({var}), {var})", f"not free(target({var}), {var})"]
    return texts


def truth_table(texts: list[str], examples: list[Example], var: str | None) -> Literals:
    """Evaluate each literal on each example; literals that cannot be evaluated are dropped."""
    kept, columns = [], []
    for text in texts:
        fn = compile_expr(parse_expression(text), var)
        try:
            column = np.fromiter((bool(fn(e.scene, e.binding)) for e in examples), dtype=bool, count=len(examples))
        except (LawError, KeyError, TypeError):
            continue
        if column.any() and not column.all():
            kept.append(text)
            columns.append(column)
    truth = np.stack(columns, axis=1) if columns else np.zeros((len(examples), 0), dtype=bool)
    return Literals(tuple(kept), truth)


def _front(example: Example) -> tuple[int, int]:
    player = example.scene.state.player
    return (player.pos[0] + player.facing[0], player.pos[1] + player.facing[1])
