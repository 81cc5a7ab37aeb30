"""Law text -> ``Law`` values: lark parsing plus the checks that make a law meaningful.

Every error is a ``LawSyntaxError`` whose message starts with ``file:line:column`` and says
what was expected. Parsing only builds data: nothing in a law file is ever executed.
"""

from __future__ import annotations

import math
import os
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import lark
from lark import Token, Transformer, v_args

from crafter_oo.inputs import InputError, read_input_text
from crafter_oo.rules import CREATURE_KINDS

from onelife.attributes import CREATURE_PATHS, PLAYER_PATHS
from onelife.builtins import BUILTINS, GLOBALS, SYMBOLS
from onelife.law import (
    Alternative, Attribute, BinOp, Call, Choice, ConstWeight, Effect, Expr, IfElse, Joint, Law, Name, Neg,
    Not, Num, Pair, Param, ParamRef, SetOf, Where, members, outcome_weights,
)

QUANTIFIED_KINDS: tuple[str, ...] = (*CREATURE_KINDS, "chunk")
PRIORS: dict[str, str] = {"Beta": "Beta(a, b) with a, b > 0",
                          "Dirichlet": "Dirichlet(a1, ..., ak) with k >= 2 and every a > 0"}
RESERVED: frozenset[str] = frozenset({"player", "weight", "frame", *GLOBALS, *SYMBOLS, *BUILTINS, "born"})
NUMERIC_HEADS: frozenset[str] = frozenset({"health", "cooldown", "reload", "grown", "hunger", "thirst",
                                          "fatigue", "recover", "last_health", "inventory", "achievements"})
# What a readable error message calls each terminal.
TOKEN_NAMES: dict[str, str] = {"NAME": "a name", "NUMBER": "a number", "SIGNED_NUMBER": "a number",
                               "INT": "an integer", "ASSIGN": "'<-', '+=' or '~'", "$END": "end of input",
                               "PATH": "a file path in double quotes"}


class LawSyntaxError(InputError):
    """A law text that does not parse or does not make sense; the message names file:line:column."""


_GRAMMAR = resources.files("onelife").joinpath("laws.lark").read_text()
_PARSER = lark.Lark(_GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=False,
                    start=["start", "expr"])


def _where(token: Token, source: str = "") -> Where:
    return Where(token.line or 0, token.column or 0, source)


def _place(where: Where) -> str:
    """``file:line:column`` of a position that knows its file."""
    return f"{where.source}:{where.line}:{where.column}"


@v_args(inline=True)
class _ToSyntax(Transformer):
    """Turns lark's parse tree of the text ``source`` into ``onelife.law`` nodes (checks come afterwards)."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source

    def _at(self, token: Token) -> Where:
        return _where(token, self.source)

    def number(self, token: Token) -> Num:
        return Num(_number(token), self._at(token))

    def name(self, token: Token) -> Name:
        return Name(str(token), self._at(token))

    def attribute(self, obj: Expr, token: Token) -> Attribute:
        return Attribute(obj, str(token), self._at(token))

    def call(self, token: Token, *args: Expr) -> Call:
        return Call(str(token), tuple(a for a in args if a is not None), self._at(token))

    def pair(self, first: Expr, second: Expr) -> Pair:
        return Pair(first, second)

    def set(self, *items: Expr) -> SetOf:
        return SetOf(tuple(i for i in items if i is not None))

    def if_else(self, then: Expr, condition: Expr, otherwise: Expr) -> IfElse:
        return IfElse(then, condition, otherwise)

    def definition(self, name: Token, expr: Expr) -> "_Definition":
        return _Definition(str(name), expr, self._at(name))

    def use(self, path: Token) -> "_Use":
        return _Use(str(path)[1:-1], self._at(path))

    def negation(self, operand: Expr) -> Not:
        return Not(operand)

    def minus(self, operand: Expr) -> Neg:
        return Neg(operand)

    def _chain(self, op: str, *items: Expr) -> Expr:
        result = items[0]
        for item in items[1:]:
            result = BinOp(op, result, item)
        return result

    def or_expr(self, *items: Expr) -> Expr:
        return self._chain("or", *items)

    def and_expr(self, *items: Expr) -> Expr:
        return self._chain("and", *items)

    def _arith(self, *items: Expr | str) -> Expr:
        result = items[0]
        for op, item in zip(items[1::2], items[2::2]):
            result = BinOp(str(op), result, item)  # type: ignore[arg-type]
        return result  # type: ignore[return-value]

    sum = product = comparison = _arith

    def compare_op(self, token: Token) -> str:
        return str(token)

    add_op = mul_op = compare_op

    def constant_weight(self, token: Token) -> ConstWeight:
        return ConstWeight(_number(token))

    def param_weight(self, token: Token) -> ParamRef:
        return ParamRef(str(token), None, self._at(token))

    def component_weight(self, token: Token, index: Token) -> ParamRef:
        return ParamRef(str(token), int(index), self._at(token))

    def alternative(self, weight: ConstWeight | ParamRef, value: Expr) -> Alternative:
        return Alternative(weight, value)

    def choice(self, *parts: Alternative | Expr) -> Choice:
        alternatives = tuple(p for p in parts if isinstance(p, Alternative))
        rest = [p for p in parts if not isinstance(p, Alternative)]
        return Choice(alternatives, rest[0] if rest else None)

    def effect(self, target: Expr, op: Token, value: Expr | Choice) -> Effect:
        return Effect(target, str(op), value, self._at(op))

    def joint(self, weight: ConstWeight | ParamRef, *effects: Effect) -> Joint:
        return Joint(weight, effects, effects[0].where)

    def param(self, name: Token, family: Token, *args: Token) -> Param:
        return Param(str(name), str(family), tuple(_number(a) for a in args), self._at(name))

    def quantifier(self, kind: Token, var: Token) -> tuple[Token, Token]:
        return kind, var

    def law(self, name: Token, *parts: object) -> tuple:
        return (name, *parts)


def _number(token: Token) -> int | float:
    text = str(token)
    return float(text) if any(c in text for c in ".eE") else int(text)


@dataclass(frozen=True, slots=True)
class _Definition:
    """``let name = expr``: a named expression that laws use by name (inlined when parsed)."""

    name: str
    expr: Expr
    where: Where


@dataclass(frozen=True, slots=True)
class _Use:
    """``use "file.law"``: the definitions of that file, found relative to this one, are visible here."""

    path: str
    where: Where


@dataclass(frozen=True, slots=True)
class _Defined:
    """A definition as the laws see it: its expression with every name it uses inlined, and its place."""

    expr: Expr
    place: str


_Scope = dict[str, _Defined]


@dataclass(frozen=True, slots=True)
class _LawText:
    """One parsed law text: the files it uses, its definitions and its raw (unchecked) laws."""

    source: str
    uses: tuple[_Use, ...]
    definitions: tuple[_Definition, ...]
    laws: tuple[tuple, ...]


def _parse_text(text: str, source: str) -> _LawText:
    """Parse one law text into its parts (no meaning checks yet)."""
    try:
        tree = _PARSER.parse(text, start="start")
    except lark.exceptions.UnexpectedInput as error:
        raise LawSyntaxError(_describe(error, text, source)) from None
    _check_depth(tree, source)
    parts = [_ToSyntax(source).transform(child) for child in tree.children]
    return _LawText(source, tuple(p for p in parts if isinstance(p, _Use)),
                    tuple(p for p in parts if isinstance(p, _Definition)),
                    tuple(p for p in parts if not isinstance(p, (_Use, _Definition))))


MAX_DEPTH = 200  # expression nesting a law may have; every reader of a law recurses over it


def _too_deep(root: Any, children: Callable[[Any], Iterable[Any]]) -> Any | None:
    """The first node found more than ``MAX_DEPTH`` below ``root`` (searched without recursion)."""
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return node
        stack.extend((child, depth + 1) for child in children(node))
    return None


def _check_depth(tree: lark.Tree, source: str) -> None:
    """Refuse a text nested deeper than ``MAX_DEPTH``, so no later reader of its laws can run
    out of stack."""
    node = _too_deep(tree, lambda n: [c for c in n.children if isinstance(c, lark.Tree)])
    if node is not None:
        raise LawSyntaxError(f"{source}:{node.meta.line}:{node.meta.column}: an expression nested more than "
                             f"{MAX_DEPTH} deep; expected a shallower one (split it with 'let')")


def _add(scope: _Scope, name: str, defined: _Defined) -> None:
    """Make ``name`` visible in ``scope``; the same definition reached twice is fine, a second one is not."""
    known = scope.get(name)
    if known is not None and known.place != defined.place:
        raise LawSyntaxError(f"{defined.place}: {name!r} is defined twice: here and at {known.place}")
    scope[name] = defined


def _scope(text: _LawText, imported: _Scope) -> _Scope:
    """What the laws of ``text`` see: the definitions it imports plus its own, each with every
    name it uses inlined. Names must be fresh, defined once and not used in their own definition."""
    own: dict[str, _Definition] = {}
    for definition in text.definitions:
        if definition.name in RESERVED:
            raise LawSyntaxError(f"{_place(definition.where)}: {definition.name!r} is a reserved name, "
                                 f"expected a fresh name after 'let'")
        if definition.name in own:
            raise LawSyntaxError(f"{_place(definition.where)}: {definition.name!r} is defined twice: here and "
                                 f"at {_place(own[definition.name].where)}")
        own[definition.name] = definition
    scope: _Scope = dict(imported)
    for name, definition in own.items():
        _add(scope, name, _Defined(definition.expr, _place(definition.where)))  # a clash with an import is named
    resolved: dict[str, Expr] = {}

    def resolve(name: str, chain: tuple[str, ...]) -> Expr:
        if name in chain:
            raise LawSyntaxError(f"{_place(own[name].where)}: definition {name!r} uses itself "
                                 f"({' -> '.join((*chain, name))})")
        if name not in resolved:
            resolved[name] = _inline(own[name].expr, lambda n: resolve(n, (*chain, name)) if n in own
                                     else imported[n].expr if n in imported else None)
        return resolved[name]

    for name, definition in own.items():
        scope[name] = _Defined(resolve(name, ()), _place(definition.where))
    return scope


def _checked_laws(text: _LawText, scope: _Scope) -> list[Law]:
    """The laws of one text with the definitions in ``scope`` inlined, each checked."""
    return [_build_law(_inline_raw(raw, scope), text.source) for raw in text.laws]


def _unique(laws: list[Law]) -> list[Law]:
    """``laws``, unless two share a name."""
    seen: dict[str, Law] = {}
    for law in laws:
        if law.name in seen:
            first = seen[law.name]
            raise LawSyntaxError(f"{law.located(law.where)}: law {law.name!r} is defined more than once "
                                 f"(first at {first.located(first.where)})")
        seen[law.name] = law
    return laws


def parse_laws(text: str, source: str = "<string>") -> list[Law]:
    """Parse law text; ``source`` names the file in error messages. The text may not ``use``
    files (it has no folder to find them in): load such a file with ``load_laws``."""
    with _no_runaway_recursion(source):
        return _parse_laws(text, source)


def _parse_laws(text: str, source: str) -> list[Law]:
    parsed = _parse_text(text, source)
    if parsed.uses:
        use = parsed.uses[0]
        raise LawSyntaxError(f"{_place(use.where)}: 'use' finds {use.path!r} relative to the law file, "
                             f"but this text has no file; load it with load_laws(path)")
    return _unique(_checked_laws(parsed, _scope(parsed, {})))


def parse_expression(text: str) -> Expr:
    """One expression of the law language (syntax only: names are checked where a law uses it)."""
    try:
        tree = _PARSER.parse(text, start="expr")
    except lark.exceptions.UnexpectedInput as error:
        raise LawSyntaxError(_describe(error, text, "<expression>")) from None
    return _ToSyntax("<expression>").transform(tree)


def load_laws(path: str | Path) -> list[Law]:
    """Laws from a ``.law`` file, or from every ``.law`` file under a directory (sorted by path).

    Each file's laws see its own ``let`` definitions and those of the files it names in
    ``use "..."`` lines (paths relative to the file), and nothing else: every file loads alone.
    """
    path = Path(path)
    files = sorted(path.rglob("*.law")) if path.is_dir() else [path]
    if path.is_dir() and not files:
        raise LawSyntaxError(f"{path}: no .law files in this directory")
    reader = _LawFiles()
    with _no_runaway_recursion(str(path)):
        return _unique([law for file in files for law in _checked_laws(reader.text(file), reader.scope(file))])


@contextmanager
def _no_runaway_recursion(source: str) -> Iterator[None]:
    """Turn a parser that ran out of stack on a pathological text into a law syntax error."""
    try:
        yield
    except RecursionError:
        raise LawSyntaxError(f"{source}: an expression nested too deeply to read; expected at most "
                             f"{MAX_DEPTH} levels") from None


def _beside(file: Path, relative: str) -> Path:
    """The path ``relative`` to the folder of ``file``, without ``..`` where that names the same file."""
    joined = file.parent / relative
    tidy = Path(os.path.normpath(joined))
    return tidy if tidy.resolve() == joined.resolve() else joined


class _LawFiles:
    """Reads law files, each once, and works out the definitions each one sees through ``use``."""

    def __init__(self) -> None:
        self._texts: dict[Path, _LawText] = {}
        self._scopes: dict[Path, _Scope] = {}

    def text(self, file: Path) -> _LawText:
        """The parsed text of ``file`` (named in messages as it was first reached)."""
        key = file.resolve()
        if key not in self._texts:
            self._texts[key] = _parse_text(read_input_text(file, "law", LawSyntaxError), str(file))
        return self._texts[key]

    def scope(self, file: Path, using: tuple[Path, ...] = ()) -> _Scope:
        """Every definition visible in ``file``: its own and, transitively, those of the files it uses."""
        key = file.resolve()
        if key not in self._scopes:
            text = self.text(file)
            imported: _Scope = {}
            for use in text.uses:
                target = _beside(file, use.path)
                if target.resolve() in (*using, key):
                    chain = " -> ".join(str(p) for p in (*using, key, target.resolve()))
                    raise LawSyntaxError(f"{_place(use.where)}: use {use.path!r} goes round in a circle ({chain})")
                if not target.is_file():
                    raise LawSyntaxError(f"{_place(use.where)}: use {use.path!r}: no law file at {target}")
                for name, defined in self.scope(target, (*using, key)).items():
                    _add(imported, name, defined)
            self._scopes[key] = _scope(text, imported)
        return self._scopes[key]


def _inline_raw(raw: tuple, scope: _Scope) -> tuple:
    """A raw law with every defined name replaced by its expression."""
    if not scope:
        return raw

    def lookup(name: str) -> Expr | None:
        return scope[name].expr if name in scope else None

    def effect(part: Effect) -> Effect:
        value = part.value
        if isinstance(value, Choice):
            value = Choice(tuple(Alternative(a.weight, _inline(a.value, lookup)) for a in value.alternatives),
                           None if value.otherwise is None else _inline(value.otherwise, lookup))
        else:
            value = _inline(value, lookup)
        return Effect(_inline(part.target, lookup), part.op, value, part.where)

    parts = []
    for part in raw:
        if isinstance(part, Effect):
            part = effect(part)
        elif isinstance(part, Joint):
            part = Joint(part.weight, tuple(effect(member) for member in part.effects), part.where)
        elif isinstance(part, (Num, Name, Attribute, Call, Pair, SetOf, Not, Neg, BinOp, IfElse)):
            part = _inline(part, lookup)
        parts.append(part)
    return tuple(parts)


def _inline(expr: Expr, lookup: Callable[[str], Expr | None]) -> Expr:
    """``expr`` with each ``Name`` that ``lookup`` knows replaced by its expression."""
    if isinstance(expr, Name):
        found = lookup(expr.name)
        return expr if found is None else found
    if isinstance(expr, Call):
        return Call(expr.func, tuple(_inline(a, lookup) for a in expr.args), expr.where)
    if isinstance(expr, Attribute):
        return expr
    if isinstance(expr, Pair):
        return Pair(_inline(expr.first, lookup), _inline(expr.second, lookup))
    if isinstance(expr, SetOf):
        return SetOf(tuple(_inline(i, lookup) for i in expr.items))
    if isinstance(expr, Not):
        return Not(_inline(expr.operand, lookup))
    if isinstance(expr, Neg):
        return Neg(_inline(expr.operand, lookup))
    if isinstance(expr, BinOp):
        return BinOp(expr.op, _inline(expr.left, lookup), _inline(expr.right, lookup))
    if isinstance(expr, IfElse):
        return IfElse(_inline(expr.then, lookup), _inline(expr.condition, lookup), _inline(expr.otherwise, lookup))
    return expr


def _describe(error: lark.exceptions.UnexpectedInput, text: str, source: str) -> str:
    """``file:line:column: found X, expected one of ...`` for a lark error."""
    line, column = getattr(error, "line", 0), getattr(error, "column", 0)
    if isinstance(error, lark.exceptions.UnexpectedCharacters):
        expected, found = error.allowed, repr(text[error.pos_in_stream]) if error.pos_in_stream < len(text) else "end of input"
    elif isinstance(error, lark.exceptions.UnexpectedToken):
        expected = error.expected
        found = "end of input" if error.token.type == "$END" else repr(str(error.token))
    else:
        expected, found = getattr(error, "expected", set()), "end of input"
    if found == "end of input" or line in (None, -1, 0):
        line = text.count("\n") + 1
        column = len(text) - text.rfind("\n")
    names = sorted({_token_name(t) for t in expected or ()})
    context = error.get_context(text).splitlines()[0].rstrip() \
        if getattr(error, "pos_in_stream", None) is not None else ""
    message = f"{source}:{line}:{column}: found {found}, expected {' or '.join(names) or 'something else'}"
    return f"{message}\n    {context.strip()}" if context.strip() else message


def _token_name(terminal: str) -> str:
    if terminal in TOKEN_NAMES:
        return TOKEN_NAMES[terminal]
    for term in _PARSER.terminals:
        if term.name == terminal and term.pattern.type == "str":
            return repr(term.pattern.value)
    return terminal


def _build_law(raw: tuple, source: str) -> Law:
    """Check one parsed law and return it as a ``Law``."""
    name_token, *parts = raw
    quantifier = parts.pop(0) if isinstance(parts[0], tuple) else None
    when, rest = parts[0], parts[1:]
    effects = tuple(p for p in rest if isinstance(p, (Effect, Joint)))
    params = tuple(p for p in rest if isinstance(p, Param))
    kind, var = (str(quantifier[0]), str(quantifier[1])) if quantifier else (None, None)
    law = Law(str(name_token), kind, var, when, effects, params, source, _where(name_token))
    for expr in (when, *(part for outcome in effects for part in _outcome_parts(outcome))):
        _check_expression_depth(law, expr)
    _Checker(law, quantifier).check()
    return law


def _outcome_parts(outcome: Effect | Joint) -> list[Expr]:
    """The target and value expressions of an effect (each alternative's, for a choice; each
    member's, for a joint outcome)."""
    if isinstance(outcome, Joint):
        return [part for member in outcome.effects for part in _outcome_parts(member)]
    if isinstance(outcome.value, Choice):
        return [outcome.target, *(a.value for a in outcome.value.alternatives),
                *[outcome.value.otherwise] * (outcome.value.otherwise is not None)]
    return [outcome.target, outcome.value]


def _check_expression_depth(law: Law, expr: Expr) -> None:
    """Refuse an expression nested deeper than ``MAX_DEPTH``."""
    node = _too_deep(expr, _children)
    if node is not None:
        raise LawSyntaxError(f"{law.located(getattr(node, 'where', law.where))}: law {law.name}: an "
                             f"expression nested more than {MAX_DEPTH} deep; expected a shallower one")


class _Checker:
    """The meaning checks of one law: known names, attributes, functions, targets and weights."""

    def __init__(self, law: Law, quantifier: tuple[Token, Token] | None) -> None:
        self.law = law
        self.quantifier = quantifier

    def fail(self, where: Where, message: str) -> LawSyntaxError:
        return LawSyntaxError(f"{self.law.located(where)}: law {self.law.name}: {message}")

    def check(self) -> None:
        law = self.law
        if law.name in ("frame",):
            raise self.fail(law.where, "'frame' is reserved for the frame law")
        if self.quantifier is not None:
            kind, var = self.quantifier
            if law.kind not in QUANTIFIED_KINDS:
                raise self.fail(_where(kind), f"found {law.kind!r}, expected an entity kind, one of "
                                              f"{', '.join(QUANTIFIED_KINDS)}")
            if law.var in RESERVED:
                raise self.fail(_where(var), f"{law.var!r} is a reserved name, expected a fresh variable")
        self.expression(law.when, random_ok=False)
        targets: set[str] = set()
        for outcome in law.effects:
            if isinstance(outcome, Joint):
                self.joint(outcome)
            for effect in members(outcome):
                self.effect(effect)
                if str(effect.target) in targets:
                    raise self.fail(effect.where, f"{effect.target} is set twice")
                targets.add(str(effect.target))
        self.params()

    # --- expressions -----------------------------------------------------------------
    def variables(self) -> dict[str, str]:
        """Variable name -> the kind of entity it denotes."""
        names = {"player": "player"}
        if self.law.var is not None:
            names[self.law.var] = self.law.kind  # type: ignore[assignment]
        return names

    def expression(self, expr: Expr, random_ok: bool) -> None:
        for node in _walk(expr):
            if isinstance(node, Num) and not math.isfinite(node.value):
                raise self.fail(node.where, "a number too large to hold; expected a finite number")
            if isinstance(node, Name):
                if node.name not in self.variables() and node.name not in GLOBALS and node.name not in SYMBOLS:
                    raise self.fail(node.where, f"unknown name {node.name!r}, expected a variable "
                                                f"({', '.join([*self.variables(), *GLOBALS])}) or a game symbol")
            elif isinstance(node, Attribute):
                self.attribute(node)
            elif isinstance(node, Call):
                builtin = BUILTINS.get(node.func)
                if builtin is None:
                    raise self.fail(node.where, f"unknown function {node.func!r}, expected one of "
                                                f"{', '.join(sorted(BUILTINS))}")
                if len(node.args) not in builtin.arities:
                    raise self.fail(node.where, f"{node.func}() takes "
                                                f"{' or '.join(map(str, builtin.arities))} arguments, "
                                                f"got {len(node.args)}")
                if builtin.random and not random_ok:
                    raise self.fail(node.where, f"{node.func}() is random; conditions must be deterministic")

    def attribute(self, node: Attribute) -> str:
        """Check an attribute chain on an entity variable and return its path."""
        base, dotted = node.path()
        if not isinstance(base, Name) or base.name not in self.variables():
            raise self.fail(node.where, f"attributes belong to entity variables "
                                        f"({', '.join(self.variables())}), not to {base}")
        kind = self.variables()[base.name]
        if kind == "chunk":
            raise self.fail(node.where, "a chunk has no attributes; use count(), cells(), visited()")
        allowed = (*PLAYER_PATHS, "health", "kind") if kind == "player" else (*CREATURE_PATHS[kind], "kind")
        if dotted not in allowed:
            raise self.fail(node.where, f"a {kind} has no attribute {dotted!r}; expected one of "
                                        f"{', '.join(_short(allowed))}")
        return dotted

    # --- effects ---------------------------------------------------------------------
    def effect(self, effect: Effect) -> None:
        target = effect.target
        if isinstance(target, Attribute):
            path = self.attribute(target)
            if path == "kind":
                raise self.fail(effect.where, "an entity's kind cannot change")
            numeric = path.split(".")[0] in NUMERIC_HEADS
        elif isinstance(target, Call) and target.func == "material" and len(target.args) == 1:
            self.expression(target.args[0], random_ok=False)
            numeric = False
        elif isinstance(target, Call) and target.func == "born" and len(target.args) == 2:
            kind = target.args[0]
            if not (isinstance(kind, Name) and kind.name in CREATURE_KINDS):
                raise self.fail(target.where, f"born() needs a creature kind first, one of {', '.join(CREATURE_KINDS)}")
            self.expression(target.args[1], random_ok=False)
            numeric = False
        else:
            raise self.fail(effect.where, f"cannot assign to {target}; expected an attribute such as "
                                          "z.pos, material(cell) or born(kind, chunk)")
        if effect.op == "+=" and not numeric:
            raise self.fail(effect.where, f"+= needs a numeric attribute, {target} is not")
        values = ([a.value for a in effect.value.alternatives] + [effect.value.otherwise]
                  if isinstance(effect.value, Choice) else [effect.value])
        random = isinstance(effect.value, Choice)
        for value in values:
            if value is not None:
                self.expression(value, random_ok=True)
                random = random or any(isinstance(n, Call) and BUILTINS[n.func].random for n in _walk(value))
        if effect.op == "<-" and random:
            raise self.fail(effect.where, "a random value needs '~', not '<-'")
        if effect.op == "~" and not random:
            raise self.fail(effect.where, "'~' needs a random value (a choice or a random function); "
                                          "use '<-' for a fixed one")
        if isinstance(effect.value, Choice):
            self.choice(effect.value, effect.where)

    def joint(self, joint: Joint) -> None:
        """Members are fixed changes; the weight is a constant in [0, 1] or a Beta parameter."""
        for effect in joint.effects:
            if effect.op == "~":
                raise self.fail(effect.where, "a member of 'jointly' is a fixed change ('<-' or '+='); "
                                              "the joint outcome's weight is its only chance")
        weight = joint.weight
        if isinstance(weight, ConstWeight):
            if not 0 <= weight.value <= 1:
                raise self.fail(joint.where, f"a constant joint weight is in [0, 1], got {weight.value}")
            return
        declared = {p.name: p for p in self.law.params}
        if weight.name not in declared:
            raise self.fail(weight.where, f"unknown parameter {weight.name!r}; declare it with 'param'")
        if declared[weight.name].family != "Beta" or weight.index is not None:
            raise self.fail(weight.where, f"a joint outcome's weight is a Beta parameter, "
                                          f"'jointly({weight.name}: ...)'")

    def choice(self, choice: Choice, where: Where) -> None:
        """Weights must be constants, one Beta parameter with ``else``, or a whole Dirichlet."""
        weights = [a.weight for a in choice.alternatives]
        refs = [w for w in weights if isinstance(w, ParamRef)]
        if not refs:
            total = sum(w.value for w in weights)  # type: ignore[union-attr]
            if any(w.value < 0 for w in weights) or total > 1 + 1e-9:  # type: ignore[union-attr]
                raise self.fail(where, "constant weights must be non-negative and sum to at most 1")
            if choice.otherwise is None and abs(total - 1) > 1e-9:
                raise self.fail(where, "constant weights without 'else' must sum to 1")
            return
        declared = {p.name: p for p in self.law.params}
        for ref in refs:
            if ref.name not in declared:
                raise self.fail(ref.where, f"unknown parameter {ref.name!r}; declare it with 'param'")
        param = declared[refs[0].name]
        if param.family == "Beta":
            if len(weights) != 1 or refs[0].index is not None or choice.otherwise is None:
                raise self.fail(where, f"a Beta parameter is used as 'choice({param.name}: x, else: y)'")
        else:
            indices = [r.index for r in refs]
            if (len(refs) != len(weights) or any(r.name != param.name for r in refs)
                    or sorted(i for i in indices if i is not None) != list(range(len(param.args)))
                    or None in indices or choice.otherwise is not None):
                raise self.fail(where, f"a Dirichlet parameter is used as 'choice({param.name}[0]: x, ..., "
                                       f"{param.name}[{len(param.args) - 1}]: z)' with every component once")

    def params(self) -> None:
        used = {w.name for o in self.law.effects for w in outcome_weights(o) if isinstance(w, ParamRef)}
        names: set[str] = set()
        for param in self.law.params:
            if param.name in names:
                raise self.fail(param.where, f"parameter {param.name!r} is declared twice")
            if param.name in RESERVED:
                raise self.fail(param.where, f"{param.name!r} is a reserved name")
            names.add(param.name)
            ok = (param.family == "Beta" and len(param.args) == 2 or
                  param.family == "Dirichlet" and len(param.args) >= 2)
            if not ok or any(not (0 < a < math.inf) for a in param.args):
                raise self.fail(param.where, f"bad prior {param.family}{param.args}; expected "
                                             f"{' or '.join(PRIORS.values())}")
            if param.name not in used:
                raise self.fail(param.where, f"parameter {param.name!r} is declared but never used")


def _short(paths: tuple[str, ...]) -> list[str]:
    """Attribute names for messages, with inventory and achievement names collapsed."""
    heads = []
    for path in paths:
        head = path.split(".")[0] + (".<name>" if "." in path else "")
        if head not in heads:
            heads.append(head)
    return heads


def _walk(expr: Expr) -> Iterator[Expr]:
    """Every node of an expression, parents first."""
    yield expr
    for child in _children(expr):
        yield from _walk(child)


def _children(expr: Expr) -> tuple[Expr, ...]:
    if isinstance(expr, Attribute):
        return ()  # an attribute chain is checked as a whole
    if isinstance(expr, Call):
        return expr.args
    if isinstance(expr, Pair):
        return (expr.first, expr.second)
    if isinstance(expr, SetOf):
        return expr.items
    if isinstance(expr, (Not, Neg)):
        return (expr.operand,)
    if isinstance(expr, BinOp):
        return (expr.left, expr.right)
    if isinstance(expr, IfElse):
        return (expr.then, expr.condition, expr.otherwise)
    return ()

