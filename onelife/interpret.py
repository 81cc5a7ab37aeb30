"""Evaluating laws on a (state, action): which are active, and what each says about which attribute.

Conditions, and effect values without random functions, run as closures compiled once per
law (``onelife.compiled``). Random effect values are evaluated in the finite-distribution monad: a random builtin yields a ``Dist`` and every operation applied to it
is mapped over its support, so ``move(z, random_direction())`` is a distribution over cells.
"""

from __future__ import annotations

import itertools
import operator
import weakref
from dataclasses import dataclass
from typing import Any, Callable

from onelife.attributes import Domain, Key, Product, canonical_path, current, domain, read
from onelife.builtins import BUILTINS, SYMBOLS, Dist, LawError, Ref, Scene
from onelife.compiled import Fn, compile_expr, is_random
from onelife.law import (
    Attribute, BinOp, Call, Choice, Effect, Expr, IfElse, Joint, Law, Name, Neg, Not, Num, Outcome, Pair, SetOf,
)

OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge, "in": lambda a, b: a in b,
    "+": lambda a, b: _elementwise(operator.add, a, b),
    "-": lambda a, b: _elementwise(operator.sub, a, b),
    "*": operator.mul, "%": operator.mod,
}


def _elementwise(op: Callable[[Any, Any], Any], a: Any, b: Any) -> Any:
    """Arithmetic on numbers, or component-wise on cells and directions."""
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b) == 2:
        return (op(a[0], b[0]), op(a[1], b[1]))
    if isinstance(a, tuple) or isinstance(b, tuple):
        raise LawError(f"cannot combine {a!r} and {b!r}")
    return op(a, b)


def _lift(function: Callable[..., Any], *args: Any) -> Any:
    """Apply ``function`` to plain arguments, or map it over the joint support of ``Dist`` ones."""
    if not any(isinstance(a, Dist) for a in args):
        return function(*args)
    supports = [list(a.items()) if isinstance(a, Dist) else [(a, 1.0)] for a in args]
    result = Dist()
    for combination in itertools.product(*supports):
        value = function(*(v for v, _ in combination))
        probability = 1.0
        for _, p in combination:
            probability *= p
        result[value] = result.get(value, 0.0) + probability
    return result


def evaluate(expr: Expr, scene: Scene, env: dict[str, Any]) -> Any:
    """The value (or ``Dist``) of an expression with variables ``env``."""
    if isinstance(expr, Num):
        return expr.value
    if isinstance(expr, Name):
        if expr.name in env:
            return env[expr.name]
        return SYMBOLS[expr.name]
    if isinstance(expr, Attribute):
        base, path = expr.path()
        ref = evaluate(base, scene, env)
        if path == "kind":
            return scene.kind(ref)
        return read(scene.state.objects[ref.oid], canonical_path(ref.oid, path))
    if isinstance(expr, Call):
        builtin = BUILTINS[expr.func]
        args = [evaluate(a, scene, env) for a in expr.args]
        return _lift(lambda *a: builtin.function(scene, *a), *args)
    if isinstance(expr, Pair):
        return _lift(lambda a, b: (a, b), evaluate(expr.first, scene, env), evaluate(expr.second, scene, env))
    if isinstance(expr, SetOf):
        items = [evaluate(i, scene, env) for i in expr.items]
        if any(isinstance(i, Dist) for i in items):
            raise LawError("a set cannot hold random values")
        return frozenset(items)
    if isinstance(expr, Not):
        return _lift(operator.not_, evaluate(expr.operand, scene, env))
    if isinstance(expr, Neg):
        return _lift(lambda v: _elementwise(operator.sub, (0, 0) if isinstance(v, tuple) else 0, v),
                     evaluate(expr.operand, scene, env))
    if isinstance(expr, BinOp):
        left = evaluate(expr.left, scene, env)
        if expr.op in ("and", "or") and not isinstance(left, Dist):
            if bool(left) == (expr.op == "or"):
                return left if expr.op == "or" else False
            return evaluate(expr.right, scene, env)
        right = evaluate(expr.right, scene, env)
        function = OPERATORS.get(expr.op) or (operator.and_ if expr.op == "and" else operator.or_)
        return _lift(lambda a, b: _checked(function, expr.op, a, b), left, right)
    if isinstance(expr, IfElse):
        condition = evaluate(expr.condition, scene, env)
        if isinstance(condition, Dist):
            raise LawError(f"the condition of {expr} must be deterministic")
        return evaluate(expr.then if condition else expr.otherwise, scene, env)
    raise LawError(f"cannot evaluate {expr!r}")


def compile_value(expr: Expr, var: str | None) -> Fn:
    """A closure giving ``evaluate``'s value of an effect value for one binding of ``var``: a
    ``Dist`` where it is random, built with the compiled closures of its deterministic parts."""
    if not is_random(expr):
        return compile_expr(expr, var)
    if isinstance(expr, Call):
        function = BUILTINS[expr.func].function
        args = [compile_value(a, var) for a in expr.args]
        return lambda scene, bound: _lift(lambda *a: function(scene, *a), *[f(scene, bound) for f in args])
    if isinstance(expr, Pair):
        first, second = compile_value(expr.first, var), compile_value(expr.second, var)
        return lambda scene, bound: _lift(lambda a, b: (a, b), first(scene, bound), second(scene, bound))
    if isinstance(expr, SetOf):
        return _random_set([compile_value(i, var) for i in expr.items])
    if isinstance(expr, Not):
        operand = compile_value(expr.operand, var)
        return lambda scene, bound: _lift(operator.not_, operand(scene, bound))
    if isinstance(expr, Neg):
        operand = compile_value(expr.operand, var)
        return lambda scene, bound: _lift(lambda v: _elementwise(operator.sub, (0, 0) if isinstance(v, tuple) else 0, v),
                                          operand(scene, bound))
    if isinstance(expr, BinOp):
        return _random_binop(expr.op, compile_value(expr.left, var), compile_value(expr.right, var))
    assert isinstance(expr, IfElse)
    return _random_conditional(str(expr), *(compile_value(e, var) for e in (expr.condition, expr.then, expr.otherwise)))


def _random_set(items: list[Fn]) -> Fn:
    def value(scene: Scene, bound: Any) -> Any:
        values = [f(scene, bound) for f in items]
        if any(isinstance(v, Dist) for v in values):
            raise LawError("a set cannot hold random values")
        return frozenset(values)
    return value


def _random_binop(op: str, left_fn: Fn, right_fn: Fn) -> Fn:
    function = OPERATORS.get(op) or (operator.and_ if op == "and" else operator.or_)

    def value(scene: Scene, bound: Any) -> Any:
        left = left_fn(scene, bound)
        if op in ("and", "or") and not isinstance(left, Dist):
            if bool(left) == (op == "or"):
                return left if op == "or" else False
            return right_fn(scene, bound)
        return _lift(lambda a, b: _checked(function, op, a, b), left, right_fn(scene, bound))
    return value


def _random_conditional(text: str, condition: Fn, then: Fn, otherwise: Fn) -> Fn:
    def value(scene: Scene, bound: Any) -> Any:
        holds = condition(scene, bound)
        if isinstance(holds, Dist):
            raise LawError(f"the condition of {text} must be deterministic")
        return then(scene, bound) if holds else otherwise(scene, bound)
    return value


def _checked(function: Callable[[Any, Any], Any], op: str, a: Any, b: Any) -> Any:
    try:
        return function(a, b)
    except TypeError:
        raise LawError(f"cannot apply {op!r} to {a!r} and {b!r}") from None


@dataclass(frozen=True, slots=True)
class Statement:
    """What one active law instance says about one attribute: a distribution per alternative.

    A joint outcome speaks about its members' attributes together: its key is
    ``("joint", (key, ...))``, its domain their ``Product`` and its values tuples."""

    key: Key
    effect: int  # the index of the effect in its law
    domain: Domain
    alternatives: tuple[Dist, ...]  # in the law's alternative order, ``else`` last


@dataclass(frozen=True, slots=True)
class Activation:
    """A law whose precondition holds for one binding, with its statements."""

    law_index: int
    binding: Any
    statements: tuple[Statement, ...]


def bindings(law: Law, scene: Scene) -> list[Any]:
    """The entities (or chunks) the law is instantiated for; ``[None]`` if it quantifies none."""
    if law.kind is None:
        return [None]
    if law.kind == "chunk":
        return scene.chunks()
    return scene.refs(law.kind)


def environment(law: Law, scene: Scene, binding: Any) -> dict[str, Any]:
    env = {"player": Ref(1), "action": scene.action, "step": scene.state.step,
           "daylight": scene.state.daylight}
    if law.var is not None:
        env[law.var] = binding
    return env


@dataclass(frozen=True, slots=True)
class _CompiledLaw:
    """A law's condition and its effect values as closures (``onelife.compiled``; random values
    lift over their ``Dist``s, ``compile_value``)."""

    when: Fn
    values: tuple[tuple[Fn, ...], ...]  # per effect, per alternative (joint: per member)


# Keyed by the law object's id, which is fast to look up (a law's value hash walks its
# whole tree); an entry is dropped when its law is freed, so ids are never reused while
# cached and loading model after model does not grow the cache.
_COMPILED: dict[int, _CompiledLaw] = {}


def compiled(law: Law) -> _CompiledLaw:
    """The compiled form of a law, built once per law object and kept while the law lives."""
    entry = _COMPILED.get(id(law))
    if entry is None:
        values = tuple(tuple(compile_value(expr, law.var) for expr in effect_values(effect))
                       for effect in law.effects)
        entry = _COMPILED[id(law)] = _CompiledLaw(compile_expr(law.when, law.var), values)
        weakref.finalize(law, _COMPILED.pop, id(law), None)
    return entry


def effect_values(effect: Outcome) -> list[Expr]:
    """An effect's value expressions in alternative order, ``else`` last (a joint outcome's: per member)."""
    if isinstance(effect, Joint):
        return [member.value for member in effect.effects]  # type: ignore[misc]
    if isinstance(effect.value, Choice):
        return [a.value for a in effect.value.alternatives] + (
            [effect.value.otherwise] if effect.value.otherwise is not None else [])
    return [effect.value]


Candidates = Callable[[int, Law, Scene], list[Any]]  # (law index, law, scene) -> the bindings worth trying


def activate(laws: list[Law], scene: Scene, candidates: Candidates | None = None) -> list[Activation]:
    """Every (law, binding) whose precondition holds, with what its effects say.

    ``candidates`` narrows each law's bindings to those its precondition can hold for
    (``onelife.plan``); by default every binding is tried, which is the reference."""
    active = []
    for index, law in enumerate(laws):
        try:
            tried = bindings(law, scene) if candidates is None else candidates(index, law, scene)
            active.extend(Activation(index, binding, statements)
                          for binding, statements in _instances(law, scene, tried))
        except (LawError, ArithmeticError, TypeError) as error:
            raise LawError(f"{law.located(law.where)}: law {law.name}, on the state of step "
                           f"{scene.state.step} (action {scene.action}): {error}") from None
    return active


def _instances(law: Law, scene: Scene, tried: list[Any]) -> list[tuple[Any, tuple[Statement, ...]]]:
    """(binding, statements) for each binding in ``tried`` whose precondition holds in ``scene``."""
    fast = compiled(law)
    found = []
    for binding in tried:
        if not fast.when(scene, binding):
            continue
        env = environment(law, scene, binding)
        statements = []
        for effect_index, effect in enumerate(law.effects):
            statement = _statement(law, effect_index, scene, env, binding, fast.values[effect_index])
            if statement is not None:
                statements.append(statement)
        keys = [k for s in statements for k in (s.key[1] if s.key[0] == "joint" else [s.key])]
        if len(set(keys)) != len(keys):
            raise LawError(f"two effects change the same attribute for {binding}")
        found.append((binding, tuple(statements)))
    return found


def target_key(target: Expr, scene: Scene, env: dict[str, Any]) -> Key | None:
    """The attribute an effect target denotes; ``None`` for a cell outside the map."""
    if isinstance(target, Attribute):
        base, path = target.path()
        ref = evaluate(base, scene, env)
        return (ref.oid, canonical_path(ref.oid, path))
    assert isinstance(target, Call)
    if target.func == "material":
        cell = scene.cell(evaluate(target.args[0], scene, env))
        return ("material", cell) if scene.state.inside(cell) else None
    chunk = evaluate(target.args[1], scene, env)
    return ("born", target.args[0].name, chunk)  # type: ignore[union-attr]


def _statement(law: Law, effect_index: int, scene: Scene, env: dict[str, Any], binding: Any,
               fast: tuple[Fn, ...]) -> Statement | None:
    effect = law.effects[effect_index]
    if isinstance(effect, Joint):
        return _joint_statement(law, effect_index, effect, scene, env, binding, fast)
    key = target_key(effect.target, scene, env)
    if key is None:
        return None
    attribute_domain = domain(key, scene.state)
    old = read(scene.state.objects[key[0]], key[1]) if effect.op == "+=" else None
    alternatives = []
    for fn in fast:
        result = fn(scene, binding)
        support = result if isinstance(result, Dist) else Dist({result: 1.0})
        dist = Dist()
        for value, probability in support.items():
            value = _checked_value(law, effect, attribute_domain, old, value)
            dist[value] = dist.get(value, 0.0) + probability
        alternatives.append(dist)
    return Statement(key, effect_index, attribute_domain, tuple(alternatives))


def _checked_value(law: Law, effect: Effect, attribute_domain: Domain, old: Any, value: Any) -> Any:
    """The attribute's new value for an effect's value (added to ``old`` for ``+=``), clamped and checked."""
    if effect.op == "+=":
        value = _elementwise(operator.add, old, value)
    value = attribute_domain.clamp(value)
    if attribute_domain.index(value) is None:
        raise LawError(f"{effect.target} cannot take the value {value!r} (the effect at {law.located(effect.where)})")
    return value


def _joint_statement(law: Law, effect_index: int, joint: Joint, scene: Scene, env: dict[str, Any], binding: Any,
                     fast: tuple[Fn, ...]) -> Statement | None:
    """A joint outcome: every member's new value together, else every member's current value.
    Members on cells outside the map are void; a joint outcome with no member left says nothing."""
    keys, domains, new, old = [], [], [], []
    for member, fn in zip(joint.effects, fast):
        key = target_key(member.target, scene, env)
        if key is None:
            continue
        attribute_domain = domain(key, scene.state)
        now = current(key, scene.state)
        result = fn(scene, binding)
        keys.append(key)
        domains.append(attribute_domain)
        new.append(_checked_value(law, member, attribute_domain, now, result))
        old.append(now)
    if not keys:
        return None
    return Statement(("joint", tuple(keys)), effect_index, Product(tuple(domains)),
                     (Dist({tuple(new): 1.0}), Dist({tuple(old): 1.0})))

