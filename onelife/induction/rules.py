"""Rules for one attribute: the effect forms its observed changes suggest, each given a
precondition by ``search``, in sequential covering (what one rule explains, the next need not).

Effect forms are generic: add a constant (``+= d``), set a constant (``<- v``), or set a
value given by an expression such as a move one cell in a direction (``<- move(player, left)``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from onelife.builtins import DIRECTION_NAMES, LawError
from onelife.compiled import compile_expr
from onelife.induction.literals import Literals
from onelife.induction.observations import Example
from onelife.induction.search import Evidence, choose_precondition, no_rule_score, precondition_score
from onelife.parser import parse_expression

MAX_RULES = 8  # per attribute
REUSE_TOLERANCE = 1.0  # nats: a precondition another rule already uses is preferred when this close


@dataclass(frozen=True, slots=True)
class Target:
    """An attribute a law may change, written as the law writes it, with its generic value forms."""

    text: str  # e.g. ``player.inventory.wood``, ``material(target(player))``, ``z.health``
    numeric: bool
    expressions: tuple[str, ...] = ()  # value forms computed per example, e.g. ``move(player, left)``


@dataclass(frozen=True, slots=True)
class Rule:
    """Where ``condition`` holds, ``target op value`` happens (with probability ``hits / active``)."""

    target: Target
    op: str
    value: str
    condition: tuple[str, ...]
    active: np.ndarray  # the examples where the condition holds (and the target is observed)
    fits: np.ndarray  # the examples whose observed value the effect gives

    @property
    def hits(self) -> int:
        return int((self.active & self.fits).sum())

    @property
    def deterministic(self) -> bool:
        return bool(self.fits[self.active].all())


def value_text(value: Any) -> str:
    """A constant as law text: numbers, booleans, names and directions."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "none"
    if isinstance(value, tuple):
        names = [name for name, d in DIRECTION_NAMES.items() if d == value]
        if names:
            return names[0]
        raise ValueError(f"no constant form for {value!r}")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _forms(target: Target, pairs: list[tuple[Any, Any] | None], examples: list[Example],
           var: str | None) -> list[tuple[str, str, np.ndarray]]:
    """Every candidate (op, value text, fits) the observed changes suggest, most changes first."""
    changed = [p for p in pairs if p is not None and p[0] != p[1]]
    candidates: Counter[tuple[str, Any]] = Counter()
    for old, new in changed:
        if target.numeric and isinstance(new, (int, float)) and not isinstance(new, bool):
            candidates[("+=", new - old)] += 1
        if not isinstance(new, tuple) or new in DIRECTION_NAMES.values():
            candidates[("<-", new)] += 1
    forms = []
    for (op, value), _ in candidates.most_common():
        if op == "+=":
            fits = np.array([p is not None and p[1] == p[0] + value for p in pairs])
        else:
            fits = np.array([p is not None and p[1] == value and type(p[1]) is type(value) for p in pairs])
        forms.append((op, value_text(value), fits))
    for expression in target.expressions:
        fn = compile_expr(parse_expression(expression), var)
        try:
            fits = np.array([p is not None and fn(e.scene, e.binding) == p[1] for p, e in zip(pairs, examples)])
        except LawError:
            continue
        forms.append(("<-", expression, fits))
    return forms


def learn_rules(target: Target, pairs: list[tuple[Any, Any] | None], examples: list[Example],
                literals: Literals, var: str | None, known: list[tuple[int, ...]]) -> list[Rule]:
    """Rules explaining the target's changes, by sequential covering over its effect forms.

    ``known`` holds preconditions other attributes' rules chose: one of them is reused when it
    scores within ``REUSE_TOLERANCE`` of the best found, so effects that happen together share
    a law. New preconditions are appended to it.
    """
    valid = np.array([p is not None for p in pairs])
    changed = np.array([p is not None and p[0] != p[1] for p in pairs])
    fold = np.array([e.transition % 2 for e in examples])
    explained = np.zeros(len(pairs), dtype=bool)
    rules: list[Rule] = []
    forms = _forms(target, pairs, examples, var)
    for _ in range(MAX_RULES):
        remaining = [(op, value, fits) for op, value, fits in forms if (fits & changed & ~explained).any()]
        if not remaining:
            break
        op, value, fits = max(remaining, key=lambda form: int((form[2] & changed & ~explained).sum()))
        evidence = Evidence(valid, fits, changed & ~explained, fold)
        chosen, score = choose_precondition(literals, evidence)
        for other in known:
            other_score = precondition_score(literals, evidence, other)
            if other_score >= score - REUSE_TOLERANCE:
                chosen, score = other, other_score
                break
        forms = [f for f in forms if f[1] != value or f[0] != op]
        if score <= no_rule_score(evidence):
            continue  # this form is not worth a rule: its changes stay with the frame law
        if chosen not in known:
            known.append(chosen)
        active = valid & (literals.truth[:, list(chosen)].all(axis=1) if chosen else True)
        explained |= active & fits & changed
        rules.append(Rule(target, op, value, tuple(literals.texts[i] for i in chosen), active, fits))
    return rules
