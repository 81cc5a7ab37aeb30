"""Incremental induction: earlier laws guide a new induction and keep their names.

An earlier law's precondition is offered to the search as a known precondition (reused
where it still scores within tolerance of the best on the new data, else replaced by a
better one), and a new law that says the same thing as an earlier one (the same
quantifier and the same effects, whatever its precondition became) takes its name.
"""

from __future__ import annotations

from collections.abc import Sequence

from onelife.induction.assemble import InducedLaw
from onelife.induction.search import Context
from onelife.law import BinOp, Expr, Law


def conjuncts(expr: Expr) -> list[str]:
    """The literals of a condition written as ``a and b and ...``."""
    if isinstance(expr, BinOp) and expr.op == "and":
        return conjuncts(expr.left) + conjuncts(expr.right)
    return [str(expr)]


def offer_preconditions(earlier: Sequence[Law], contexts: list[Context]) -> None:
    """Add each earlier law's precondition to the known ones of the context it can be read in."""
    for law in earlier:
        literals = conjuncts(law.when)
        for context in contexts:
            if context.kind != law.kind or (law.var is not None and law.var != context.var):
                continue
            if all(text in context.literals.texts for text in literals):
                chosen = tuple(context.literals.texts.index(text) for text in literals)
                if chosen not in context.known:
                    context.known.append(chosen)


def _meaning(law: Law) -> tuple:
    return (law.kind, tuple(sorted(str(effect) for effect in law.effects)))


def keep_names(laws: list[InducedLaw], earlier: Sequence[Law]) -> list[InducedLaw]:
    """Laws that say what an earlier law said take its name (each earlier name once); any
    other law whose name an earlier law had is numbered, so names never change meaning."""
    names = {}
    for law in earlier:
        names.setdefault(_meaning(law), law.name)
    taken = set()
    result = []
    for induced in laws:
        name = names.get(_meaning(induced.law))
        if name is not None and name not in taken:
            taken.add(name)
            induced = induced.renamed(name)
        result.append(induced)
    earlier_names = {law.name for law in earlier}
    return [induced if induced.law.name in taken or induced.law.name not in earlier_names
            else induced.renamed(_fresh(induced.law.name, earlier_names | {i.law.name for i in result}))
            for induced in result]


def _fresh(name: str, used: set[str]) -> str:
    number = 2
    while f"{name}_{number}" in used:
        number += 1
    return f"{name}_{number}"
