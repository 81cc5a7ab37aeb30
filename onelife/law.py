"""The law language's syntax tree: immutable dataclasses that print back as law text.

``str(node)`` gives canonical text that parses to an equal node. Source positions are kept
on the nodes for error messages but take no part in equality.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

# Binding strength of each operator, loosest first; postfix forms and atoms bind tightest.
PRECEDENCE: dict[str, int] = {
    "if": 0, "or": 1, "and": 2, "not": 3,
    "==": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4, "in": 4,
    "+": 5, "-": 5, "*": 6, "%": 6, "neg": 7,
}
ATOM = 8


@dataclass(frozen=True, slots=True)
class Where:
    """A source position (1-based line and column, and the file when it is not the law's own:
    a definition used from another file) for error messages."""

    line: int = 0
    column: int = 0
    source: str = ""


NOWHERE = Where()


def _number_text(value: int | float) -> str:
    return repr(value) if isinstance(value, float) else str(value)


@dataclass(frozen=True, slots=True)
class Num:
    """A non-negative number literal."""

    value: int | float
    where: Where = field(default=NOWHERE, compare=False, repr=False)

    def __str__(self) -> str:
        return _number_text(self.value)


@dataclass(frozen=True, slots=True)
class Name:
    """A variable (``player``, a bound entity, ``action``, ``step``, ``daylight``) or a game symbol."""

    name: str
    where: Where = field(default=NOWHERE, compare=False, repr=False)

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class Attribute:
    """``obj.name``: an attribute of an entity, e.g. ``z.pos`` or ``player.inventory.wood``."""

    obj: "Expr"
    name: str
    where: Where = field(default=NOWHERE, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{_wrap(self.obj, ATOM)}.{self.name}"

    def path(self) -> tuple["Expr", str]:
        """The entity and the dotted path: ``player.inventory.wood`` -> (``player``, ``"inventory.wood"``)."""
        names = [self.name]
        base = self.obj
        while isinstance(base, Attribute):
            names.insert(0, base.name)
            base = base.obj
        return base, ".".join(names)


@dataclass(frozen=True, slots=True)
class Call:
    """A call of a built-in function (see ``onelife.builtins``)."""

    func: str
    args: tuple["Expr", ...]
    where: Where = field(default=NOWHERE, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.func}({', '.join(map(str, self.args))})"


@dataclass(frozen=True, slots=True)
class Pair:
    """``(a, b)``: a cell, a direction, or an arrow's (cell, direction) birth."""

    first: "Expr"
    second: "Expr"

    def __str__(self) -> str:
        return f"({self.first}, {self.second})"


@dataclass(frozen=True, slots=True)
class SetOf:
    """``{a, b, ...}``: a set of values, used with ``in``."""

    items: tuple["Expr", ...]

    def __str__(self) -> str:
        return "{" + ", ".join(map(str, self.items)) + "}"


@dataclass(frozen=True, slots=True)
class Not:
    operand: "Expr"

    def __str__(self) -> str:
        return f"not {_wrap(self.operand, PRECEDENCE['not'])}"


@dataclass(frozen=True, slots=True)
class Neg:
    operand: "Expr"

    def __str__(self) -> str:
        return f"-{_wrap(self.operand, PRECEDENCE['neg'])}"


@dataclass(frozen=True, slots=True)
class BinOp:
    """A binary operation; chains of the same level associate to the left."""

    op: str
    left: "Expr"
    right: "Expr"

    def __str__(self) -> str:
        level = PRECEDENCE[self.op]
        # Comparisons do not chain, so both sides need brackets at the same level.
        left_level = level + 1 if level == PRECEDENCE["=="] else level
        return f"{_wrap(self.left, left_level)} {self.op} {_wrap(self.right, level + 1)}"


@dataclass(frozen=True, slots=True)
class IfElse:
    """``a if c else b``: ``a`` where the condition holds, else ``b`` (only the taken branch is evaluated)."""

    then: "Expr"
    condition: "Expr"
    otherwise: "Expr"

    def __str__(self) -> str:
        level = PRECEDENCE["if"]
        return (f"{_wrap(self.then, level + 1)} if {_wrap(self.condition, level + 1)} "
                f"else {_wrap(self.otherwise, level)}")


Expr = Union[Num, Name, Attribute, Call, Pair, SetOf, Not, Neg, BinOp, IfElse]


def precedence(expr: Expr) -> int:
    """How tightly an expression binds when printed."""
    if isinstance(expr, BinOp):
        return PRECEDENCE[expr.op]
    if isinstance(expr, Not):
        return PRECEDENCE["not"]
    if isinstance(expr, Neg):
        return PRECEDENCE["neg"]
    if isinstance(expr, IfElse):
        return PRECEDENCE["if"]
    return ATOM


def _wrap(expr: Expr, level: int) -> str:
    text = str(expr)
    return f"({text})" if precedence(expr) < level else text


@dataclass(frozen=True, slots=True)
class ParamRef:
    """A choice weight taken from a parameter: ``p`` (Beta) or ``d[i]`` (Dirichlet component)."""

    name: str
    index: int | None = None
    where: Where = field(default=NOWHERE, compare=False, repr=False)

    def __str__(self) -> str:
        return self.name if self.index is None else f"{self.name}[{self.index}]"


@dataclass(frozen=True, slots=True)
class ConstWeight:
    """A fixed choice weight (may be written with a sign; validation rejects negatives)."""

    value: int | float

    def __str__(self) -> str:
        return _number_text(self.value)


Weight = Union[ConstWeight, ParamRef]


@dataclass(frozen=True, slots=True)
class Alternative:
    weight: Weight
    value: Expr

    def __str__(self) -> str:
        return f"{self.weight}: {self.value}"


@dataclass(frozen=True, slots=True)
class Choice:
    """``choice(w1: v1, w2: v2, else: v0)``: a mixture of alternatives; ``else`` takes the rest."""

    alternatives: tuple[Alternative, ...]
    otherwise: Expr | None = None

    def __str__(self) -> str:
        parts = [str(alt) for alt in self.alternatives]
        if self.otherwise is not None:
            parts.append(f"else: {self.otherwise}")
        return f"choice({', '.join(parts)})"


Value = Union[Expr, Choice]


@dataclass(frozen=True, slots=True)
class Effect:
    """``target op value`` with op ``<-`` (set), ``~`` (set, stochastic) or ``+=`` (add)."""

    target: Expr
    op: str
    value: Value
    where: Where = field(default=NOWHERE, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.target} {self.op} {self.value}"


@dataclass(frozen=True, slots=True)
class Joint:
    """``jointly(w: e1, e2, ...)``: with probability ``w`` every member effect happens, else none
    does (their attributes keep their values); members are deterministic ``<-`` or ``+=`` effects."""

    weight: Weight
    effects: tuple[Effect, ...]
    where: Where = field(default=NOWHERE, compare=False, repr=False)

    def __str__(self) -> str:
        return f"jointly({self.weight}: {', '.join(map(str, self.effects))})"


Outcome = Union[Effect, Joint]


def members(outcome: Outcome) -> tuple[Effect, ...]:
    """The plain effects of an outcome: itself, or a joint outcome's members."""
    return outcome.effects if isinstance(outcome, Joint) else (outcome,)


def outcome_weights(outcome: Outcome) -> list[Weight]:
    """The weights an outcome names: a joint outcome's weight, or its choice's alternatives' weights."""
    if isinstance(outcome, Joint):
        return [outcome.weight]
    return [a.weight for a in outcome.value.alternatives] if isinstance(outcome.value, Choice) else []


@dataclass(frozen=True, slots=True)
class Param:
    """``param name ~ Family(args)``: a free number of a law with its prior."""

    name: str
    family: str
    args: tuple[int | float, ...]
    where: Where = field(default=NOWHERE, compare=False, repr=False)

    def __str__(self) -> str:
        return f"param {self.name} ~ {self.family}({', '.join(map(_number_text, self.args))})"


@dataclass(frozen=True, slots=True, weakref_slot=True)
class Law:
    """When ``when`` holds (for one entity ``var`` of ``kind``, if given), ``effects`` follow.

    Weakly referable, so caches of per-law work (``onelife.interpret.compiled``) let go of
    a law when nothing else holds it."""

    name: str
    kind: str | None
    var: str | None
    when: Expr
    effects: tuple[Outcome, ...]
    params: tuple[Param, ...] = ()
    source: str = field(default="<string>", compare=False, repr=False)
    where: Where = field(default=NOWHERE, compare=False, repr=False)

    def __str__(self) -> str:
        lines = [f"law {self.name}:"]
        if self.kind is not None:
            lines.append(f"    for {self.kind} {self.var}")
        lines.append(f"    when {self.when}")
        lines.append("    then " + ",\n         ".join(map(str, self.effects)))
        lines.extend(f"    {param}" for param in self.params)
        return "\n".join(lines)

    def param(self, name: str) -> Param:
        """The declared parameter called ``name``."""
        return next(p for p in self.params if p.name == name)

    def located(self, where: Where) -> str:
        """``file:line:column`` of a position inside this law (or inside a definition it uses)."""
        return f"{where.source or self.source}:{where.line}:{where.column}"
