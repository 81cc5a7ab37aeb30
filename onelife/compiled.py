"""Law expressions compiled once into Python closures, the fast path of ``interpret``.

A compiled expression gives the same value as ``interpret.evaluate`` for deterministic
expressions (conditions, and effect values without random functions). Sub-expressions
that do not mention the law's quantified entity are the same for every binding, so their
value is kept per scene under their text: ``distance(c, player_at) < 18`` works out where
the player stands once per transition, not once per cow and law.
"""

from __future__ import annotations

import operator
from typing import Any, Callable

from onelife.attributes import canonical_path, read
from onelife.builtins import BUILTINS, GLOBALS, SYMBOLS, LawError, Ref, Scene
from onelife.law import Attribute, BinOp, Call, Expr, IfElse, Name, Neg, Not, Num, Pair, SetOf

Fn = Callable[[Scene, Any], Any]  # (scene, the bound entity or chunk) -> value
PLAYER = Ref(1)
COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge, "*": operator.mul, "%": operator.mod,
}


def is_random(expr: Expr) -> bool:
    """Whether the expression calls a random function anywhere."""
    if isinstance(expr, Call):
        return BUILTINS[expr.func].random or any(is_random(a) for a in expr.args)
    children = {Pair: ("first", "second"), Not: ("operand",), Neg: ("operand",), BinOp: ("left", "right"),
                IfElse: ("then", "condition", "otherwise")}.get(type(expr), ())
    if isinstance(expr, SetOf):
        return any(is_random(i) for i in expr.items)
    return any(is_random(getattr(expr, name)) for name in children)


def binding_free(expr: Expr, var: str | None) -> bool:
    """Whether the expression's value is the same for every binding of ``var``."""
    return _compile(expr, var)[1]


def compile_expr(expr: Expr, var: str | None) -> Fn:
    """A closure computing a deterministic expression for one binding of ``var``."""
    fn, closed, constant = _compile(expr, var)
    return _memo(fn, expr) if closed and not constant else fn


def _memo(fn: Fn, expr: Expr) -> Fn:
    key = str(expr)

    def remembered(scene: Scene, bound: Any) -> Any:
        memo = scene.memo
        if key in memo:
            return memo[key]
        value = memo[key] = fn(scene, bound)
        return value
    return remembered


def _constant(value: Any) -> Fn:
    return lambda scene, bound: value


def _compile(expr: Expr, var: str | None) -> tuple[Fn, bool, bool]:
    """(closure, closed: independent of the binding, constant: independent of the scene)."""
    if isinstance(expr, Num):
        return _constant(expr.value), True, True
    if isinstance(expr, Name):
        return _name(expr.name, var)
    if isinstance(expr, Attribute):
        return _attribute(expr, var)
    parts = _parts(expr)
    compiled = [_compile(p, var) for p in parts]
    closed = all(c[1] for c in compiled)
    constant = all(c[2] for c in compiled) and not isinstance(expr, Call)
    # Binding-free children are remembered per scene where this node depends on the binding,
    # and wherever they are calls or conditionals: laws share those (the faced cell, where
    # the player ends up, the effective action), so each is worked out once per scene.
    fns = [(_memo(fn, part) if is_closed and not is_constant and (not closed or isinstance(part, (Call, IfElse)))
            else fn) for part, (fn, is_closed, is_constant) in zip(parts, compiled)]
    fn = _node(expr, fns)
    if constant:
        try:
            return _constant(fn(None, None)), True, True  # type: ignore[arg-type]
        except LawError:
            pass  # a constant that cannot be computed fails when evaluated, as interpreted
    return fn, closed, constant


def _parts(expr: Expr) -> list[Expr]:
    if isinstance(expr, Call):
        return list(expr.args)
    if isinstance(expr, Pair):
        return [expr.first, expr.second]
    if isinstance(expr, SetOf):
        return list(expr.items)
    if isinstance(expr, (Not, Neg)):
        return [expr.operand]
    if isinstance(expr, BinOp):
        return [expr.left, expr.right]
    if isinstance(expr, IfElse):
        return [expr.then, expr.condition, expr.otherwise]
    raise LawError(f"cannot compile {expr!r}")


def _name(name: str, var: str | None) -> tuple[Fn, bool, bool]:
    if name == var:
        return (lambda scene, bound: bound), False, False
    if name == "player":
        return _constant(PLAYER), True, True
    if name == "action":
        return (lambda scene, bound: scene.action), True, False
    if name in GLOBALS:
        return (lambda scene, bound: getattr(scene.state, name)), True, False
    return _constant(SYMBOLS[name]), True, True


def _attribute(expr: Attribute, var: str | None) -> tuple[Fn, bool, bool]:
    base, path = expr.path()
    ref, closed, _ = _name(base.name, var)  # type: ignore[union-attr]
    if path == "kind":
        return (lambda scene, bound: scene.kind(ref(scene, bound))), closed, False

    def value(scene: Scene, bound: Any) -> Any:
        oid = ref(scene, bound).oid
        return read(scene.state.objects[oid], canonical_path(oid, path))
    return value, closed, False


def _arithmetic(op: Callable[[Any, Any], Any], symbol: str) -> Callable[[Any, Any], Any]:
    def combine(a: Any, b: Any) -> Any:
        if type(a) is tuple and type(b) is tuple and len(a) == len(b) == 2:
            return (op(a[0], b[0]), op(a[1], b[1]))
        if isinstance(a, tuple) or isinstance(b, tuple):
            raise LawError(f"cannot combine {a!r} and {b!r}")
        return _checked(op, symbol, a, b)
    return combine


def _checked(op: Callable[[Any, Any], Any], symbol: str, a: Any, b: Any) -> Any:
    try:
        return op(a, b)
    except TypeError:
        raise LawError(f"cannot apply {symbol!r} to {a!r} and {b!r}") from None


ADD, SUB = _arithmetic(operator.add, "+"), _arithmetic(operator.sub, "-")


def _node(expr: Expr, fns: list[Fn]) -> Fn:
    """The closure of a composite node given its children's closures."""
    if isinstance(expr, Call):
        function = BUILTINS[expr.func].function
        if len(fns) == 0:
            return lambda scene, bound: function(scene)
        if len(fns) == 1:
            (a,) = fns
            return lambda scene, bound: function(scene, a(scene, bound))
        if len(fns) == 2:
            a, b = fns
            return lambda scene, bound: function(scene, a(scene, bound), b(scene, bound))
        return lambda scene, bound: function(scene, *[f(scene, bound) for f in fns])
    if isinstance(expr, Pair):
        a, b = fns
        return lambda scene, bound: (a(scene, bound), b(scene, bound))
    if isinstance(expr, SetOf):
        return lambda scene, bound: frozenset(f(scene, bound) for f in fns)
    if isinstance(expr, Not):
        (a,) = fns
        return lambda scene, bound: not a(scene, bound)
    if isinstance(expr, Neg):
        (a,) = fns
        return lambda scene, bound: SUB((0, 0) if isinstance(v := a(scene, bound), tuple) else 0, v)
    if isinstance(expr, IfElse):
        then, condition, otherwise = fns
        return lambda scene, bound: then(scene, bound) if condition(scene, bound) else otherwise(scene, bound)
    assert isinstance(expr, BinOp)
    a, b = fns
    if expr.op == "and":
        return lambda scene, bound: b(scene, bound) if a(scene, bound) else False
    if expr.op == "or":
        return lambda scene, bound: left if (left := a(scene, bound)) else b(scene, bound)
    if expr.op == "+":
        return lambda scene, bound: ADD(a(scene, bound), b(scene, bound))
    if expr.op == "-":
        return lambda scene, bound: SUB(a(scene, bound), b(scene, bound))
    if expr.op == "in":
        return lambda scene, bound: _checked(operator.contains, "in", b(scene, bound), a(scene, bound))
    op, symbol = COMPARE[expr.op], expr.op
    return lambda scene, bound: _checked(op, symbol, a(scene, bound), b(scene, bound))
