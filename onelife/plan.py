"""The laws compiled once into an evaluation plan: which bindings of each law can be active.

A law over a kind of creature is tried on every creature of that kind, and on most of them
its precondition fails at its first conjuncts (``distance(c, player) < 18``, ``c.health <=
0``, ``action == do``). The plan reads those leading conjuncts once per law and, per scene,
evaluates them over all creatures of the kind at once with numpy; only the bindings that
pass are handed to ``interpret``'s precondition and effects. A conjunct the plan cannot
screen ends the screening, so the bindings ruled out are exactly those on which the
precondition's ``and`` stops before reaching anything else: the result is the same
list of activations, in the same order, as ``interpret.activate`` finds.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from onelife.attributes import canonical_path, read
from onelife.builtins import Ref, Scene
from onelife.compiled import Fn, binding_free, compile_expr
from onelife.interpret import Activation, activate, bindings
from onelife.law import Attribute, BinOp, Call, Expr, Law, Name

COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
MIRRORED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
Column = Callable[[Scene, list[Ref]], np.ndarray | None]  # one value per creature, None: cannot screen
Screen = Callable[[Scene, list[Any]], np.ndarray | bool | None]  # which pass (a bool: all or none), None: cannot screen


def conjuncts(expr: Expr) -> list[Expr]:
    """The operands of a chain of ``and``, in the order they are evaluated."""
    if isinstance(expr, BinOp) and expr.op == "and":
        return conjuncts(expr.left) + conjuncts(expr.right)
    return [expr]


@dataclass(frozen=True, slots=True)
class LawPlan:
    """One law's screens, in the order its precondition evaluates them."""

    screens: tuple[Screen, ...]


class Plan:
    """The laws' screens, built once; ``activate`` gives ``interpret.activate``'s result faster."""

    def __init__(self, laws: list[Law]) -> None:
        self.laws = laws
        self.plans = [LawPlan(_screens(law)) for law in laws]

    def activate(self, scene: Scene) -> list[Activation]:
        """Every (law, binding) whose precondition holds, with what its effects say."""
        return activate(self.laws, scene, self.candidates)

    def candidates(self, index: int, law: Law, scene: Scene) -> list[Any]:
        """The bindings of law ``index`` that its leading conjuncts do not rule out."""
        refs = bindings(law, scene)
        for screen in self.plans[index].screens:
            if not refs:
                break
            passed = screen(scene, refs)
            if passed is None:
                break
            if passed is True or passed is False:
                refs = refs if passed else []
                continue
            refs = [ref for ref, ok in zip(refs, passed) if ok]
        return refs


def _screens(law: Law) -> tuple[Screen, ...]:
    """The leading conjuncts of a quantified law's precondition that can be screened at once."""
    if law.var is None:
        return ()
    screens = []
    for conjunct in conjuncts(law.when):
        screen = _screen(conjunct, law.var, law.kind != "chunk")
        if screen is None:
            break
        screens.append(screen)
    return tuple(screens)


def _screen(conjunct: Expr, var: str, creatures: bool) -> Screen | None:
    """A conjunct that does not mention the binding, or (over creatures) one that compares a
    per-creature column with a value that does not, or asks whether the creature is faced."""
    if binding_free(conjunct, var):
        fn = compile_expr(conjunct, var)
        return lambda scene, refs: bool(fn(scene, None))
    if not creatures:
        return None
    if isinstance(conjunct, Call) and conjunct.func == "faced_by" and len(conjunct.args) == 2 \
            and _is_var(conjunct.args[0], var) and binding_free(conjunct.args[1], var):
        return _faced_screen(compile_expr(conjunct.args[1], var))
    if not (isinstance(conjunct, BinOp) and conjunct.op in COMPARISONS):
        return None
    for column_expr, other, op in ((conjunct.left, conjunct.right, conjunct.op),
                                   (conjunct.right, conjunct.left, MIRRORED[conjunct.op])):
        column = _column(column_expr, var)
        if column is not None and binding_free(other, var):
            return _comparison(column, compile_expr(other, var), op, column_expr is conjunct.left)
    return None


def _comparison(column: Column, other: Fn, op: str, column_first: bool) -> Screen:
    """``column op other``, evaluated in the precondition's own order (left operand first)."""
    compare = COMPARISONS[op]

    def screen(scene: Scene, refs: list[Ref]) -> np.ndarray | None:
        if column_first:
            values = column(scene, refs)
            value = other(scene, None)
        else:
            value = other(scene, None)
            values = column(scene, refs)
        if values is None or type(value) not in (int, float):
            return None
        return compare(values, value)
    return screen


def _faced_screen(kind: Fn) -> Screen:
    """``faced_by(creature, kind)``: whether each creature stands on a cell one of the kind faces."""
    def screen(scene: Scene, refs: list[Ref]) -> np.ndarray | None:
        faced = scene.faced(kind(scene, None))
        return np.array([bool(faced) and scene.state.objects[ref.oid].pos in faced for ref in refs])
    return screen


def _column(expr: Expr, var: str) -> Column | None:
    """A numeric per-creature value: an attribute of the binding, or its distance to a fixed place."""
    if isinstance(expr, Attribute) and isinstance(expr.obj, Name) and expr.obj.name == var and expr.name != "kind":
        return _attribute_column(expr.name)
    if isinstance(expr, Call) and expr.func == "distance" and len(expr.args) == 2:
        first, second = expr.args
        if _is_var(first, var) and binding_free(second, var):
            return _distance_column(compile_expr(second, var))
        if _is_var(second, var) and binding_free(first, var):
            return _distance_column(compile_expr(first, var))
    return None


def _is_var(expr: Expr, var: str) -> bool:
    return isinstance(expr, Name) and expr.name == var


def _attribute_column(path: str) -> Column:
    def column(scene: Scene, refs: list[Ref]) -> np.ndarray | None:
        values = [read(scene.state.objects[ref.oid], canonical_path(ref.oid, path)) for ref in refs]
        return np.array(values) if all(type(v) in (int, float) for v in values) else None
    return column


def _distance_column(place: Fn) -> Column:
    def column(scene: Scene, refs: list[Ref]) -> np.ndarray | None:
        x, y = scene.cell(place(scene, None))
        positions = np.array([scene.state.objects[ref.oid].pos for ref in refs])
        return np.abs(positions[:, 0] - x) + np.abs(positions[:, 1] - y)
    return column
