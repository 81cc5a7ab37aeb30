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
from onelife.induction.observations import Example, Observed
from onelife.induction.search import Context, Evidence, choose_precondition, no_rule_score, precondition_score
from onelife.parser import parse_expression

MAX_RULES = 8  # per attribute
REUSE_TOLERANCE = 1.0  # nats: a precondition another rule already uses is preferred when this close
# Literals naming a kind of situation rather than a quantity: the action, sleeping, what is faced.
CATEGORICAL: tuple[str, ...] = ("action == ", "player.sleeping", "not player.sleeping", "material(target(player)) == ",
                                "kind_at(target(player)) == ")
FACED_EVIDENCE = 3  # successes before what they all faced counts as part of the situation


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
    kind: str | None = None  # the law quantifies over creatures of this kind (called ``var``)
    var: str | None = None

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


def _forms(target: Target, pairs: list[Observed | None], examples: list[Example],
           var: str | None) -> list[tuple[str, str, np.ndarray]]:
    """Every candidate (op, value text, fits) the observed changes suggest, most changes first."""
    changed = [p for p in pairs if p is not None and p.old != p.new]
    candidates: Counter[tuple[str, Any]] = Counter()
    for old, new, _ in changed:
        if target.numeric and isinstance(new, (int, float)) and not isinstance(new, bool):
            candidates[("+=", new - old)] += 1
        if not isinstance(new, tuple) or new in DIRECTION_NAMES.values():
            candidates[("<-", new)] += 1
    forms = []
    for (op, value), _ in candidates.most_common():
        if op == "+=":
            fits = np.array([p is not None and p.new == p.domain.clamp(p.old + value) for p in pairs])
        else:
            fits = np.array([p is not None and p.new == value and type(p.new) is type(value) for p in pairs])
        forms.append((op, value_text(value), fits))
    for expression in target.expressions:
        fn = compile_expr(parse_expression(expression), var)
        try:
            fits = np.array([p is not None and fn(e.scene, e.binding) == p.new for p, e in zip(pairs, examples)])
        except LawError:
            continue
        forms.append(("<-", expression, fits))
    return forms


def learn_rules(target: Target, pairs: list[Observed | None], examples: list[Example],
                contexts: list[Context], var: str | None) -> list[Rule]:
    """Rules explaining the target's changes, by sequential covering over its effect forms.

    Each form's precondition is searched in every context (the first is the examples' own;
    others quantify over a kind of creature) and the best one kept. A precondition another
    attribute's rule chose in that context is reused when it scores within
    ``REUSE_TOLERANCE`` of the best found, so effects that happen together share a law.
    """
    valid = np.array([p is not None for p in pairs])
    changed = np.array([p is not None and p.old != p.new for p in pairs])
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
        context, chosen, score = max((_best_in(context, evidence) for context in contexts), key=lambda c: c[2])
        if score <= no_rule_score(evidence):  # not worth a rule: the form's changes stay with the frame law
            forms = [f for f in forms if f[1] != value or f[0] != op]
            continue
        if chosen not in context.known:
            context.known.append(chosen)
        if context.incidence is None:
            chosen = _conservative(context, chosen, valid & context.mask(chosen) & fits & changed)
        active = valid & context.lift(context.mask(chosen)[:, None])[:, 0]
        explained |= active & fits & changed
        rules.append(Rule(target, op, value, tuple(context.literals.texts[i] for i in chosen), active, fits,
                          context.kind, context.var))
    return rules


def _conservative(context: Context, chosen: tuple[int, ...], successes: np.ndarray) -> tuple[int, ...]:
    """The precondition with every categorical literal (the action, sleeping, what is faced)
    that all the rule's successes share: a rule should not fire in kinds of situation the
    life never showed it in, even where no failure was seen there to rule them out."""
    truth, texts = context.literals.truth, context.literals.texts
    kinds = CATEGORICAL if successes.sum() >= FACED_EVIDENCE else CATEGORICAL[:3]
    shared = [j for j, text in enumerate(texts) if j not in chosen and text.startswith(kinds)
              and truth[successes, j].all()]
    return (*chosen, *shared)


def _best_in(context: Context, evidence: Evidence) -> tuple[Context, tuple[int, ...], float]:
    chosen, score = choose_precondition(context, evidence)
    for other in context.known:
        other_score = precondition_score(context, evidence, other)
        if other_score >= score - REUSE_TOLERANCE:
            return context, other, other_score
    return context, chosen, score
