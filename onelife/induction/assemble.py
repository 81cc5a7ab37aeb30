"""Rules and mixtures written as laws: rules with one precondition share a law, effects that
always happen together become one joint outcome, chance gets a ``choice`` parameter (Beta or
Dirichlet, fitted later by the Pyro fit), and each law gets a name, a topic and its evidence."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np

from onelife.induction.movement import Mixture
from onelife.induction.rules import Rule
from onelife.law import Law
from onelife.parser import parse_laws

PRIOR = "Beta(1, 1)"
ACTION_TOPICS = {"do": "doing", "move": "moving", "place": "placing", "make": "making"}  # by the action's verb


@dataclass(frozen=True, slots=True)
class InducedLaw:
    """An induced law, the topic (file) it belongs to and how many instances support it."""

    law: Law
    topic: str
    support: int  # instances where its effects were observed as it says
    active: int  # instances where its precondition held

    def renamed(self, name: str) -> "InducedLaw":
        return replace(self, law=replace(self.law, name=name))

    def text(self) -> str:
        """The law with a comment saying how much of the life supports it."""
        return (f"# supported by {self.support} of the {self.active} instances where it applied\n"
                f"{self.law}")


def _action(condition: tuple[str, ...]) -> str | None:
    return next((lit.split(" == ")[1] for lit in condition if lit.startswith("action == ")), None)


def _faced(condition: tuple[str, ...]) -> str | None:
    return next((lit.split(" == ")[1] for lit in condition
                 if lit.startswith(("material(target(player)) == ", "kind_at(target(player)) == "))
                 and not lit.endswith("== none")), None)


def _short(target: str) -> str:
    """A target's name part: ``player.inventory.wood`` -> ``wood``, ``material(target(player))`` -> ``tile``."""
    if target.startswith("material("):
        return "tile"
    if target.startswith("born("):
        return target[5:].split(",")[0] + "_born"
    return target.split(".")[-1]


def _topic(condition: tuple[str, ...], kind: str | None, targets: list[str]) -> str:
    if kind is not None:
        return f"{kind}s"
    action = _action(condition)
    if action is not None:
        return ACTION_TOPICS.get(action.split("_")[0], "vitals_and_sleep")
    return "vitals_and_sleep"


def _conflict_free(rules: list[Rule], all_rules: list[Rule]) -> bool:
    """Whether no other rule can speak about these rules' attributes in the same step: every
    other rule on one of them needs a different action (a joint outcome cannot be pooled)."""
    action = _action(rules[0].condition)
    if action is None:
        return False
    targets = {r.target.text for r in rules}
    return all(other.target.text not in targets or (_action(other.condition) not in (None, action))
               for other in all_rules if all(other is not r for r in rules))


def _effect(rule: Rule, param: str | None) -> str:
    target, value = rule.target.text, rule.value
    if rule.op == "+=" and value.startswith("-"):
        changed = f"{target} - {value[1:]}"
    else:
        changed = f"{target} + {value}" if rule.op == "+=" else value
    if param is None:
        return f"{target} {rule.op} {value}"
    return f"{target} ~ choice({param}: {changed}, else: {target})"


def _plain(rule: Rule) -> str:
    return f"{rule.target.text} {rule.op} {rule.value}"


def rule_laws(rules: list[Rule]) -> list[InducedLaw]:
    """Laws from rules: one per quantifier and precondition (split where a target repeats)."""
    groups: dict[tuple[str | None, tuple[str, ...]], list[Rule]] = defaultdict(list)
    for rule in rules:
        groups[(rule.kind, rule.condition)].append(rule)
    laws = []
    for (kind, condition), members in groups.items():
        for part in _split_same_target(members):
            laws.append(_law(condition, part, rules, kind, members[0].var))
    return laws


def _split_same_target(members: list[Rule]) -> list[list[Rule]]:
    """Rules of one precondition in laws with each target once."""
    parts: list[list[Rule]] = []
    for rule in members:
        home = next((p for p in parts if all(r.target.text != rule.target.text for r in p)), None)
        if home is None:
            parts.append([rule])
        else:
            home.append(rule)
    return parts


def _law(condition: tuple[str, ...], members: list[Rule], all_rules: list[Rule], kind: str | None,
         var: str | None) -> InducedLaw:
    effects: list[str] = []
    params: list[str] = []
    chance = [r for r in members if not r.deterministic]
    for rule in members:
        if rule.deterministic:
            effects.append(_plain(rule))
    together = [r for r in chance if np.array_equal(r.active & r.fits, chance[0].active & chance[0].fits)]
    if len(together) >= 2 and _conflict_free(together, all_rules):
        effects.append(f"jointly(p: {', '.join(_plain(r) for r in together)})")
        params.append(f"param p ~ {PRIOR}")
        chance = [r for r in chance if all(r is not t for t in together)]
    for number, rule in enumerate(chance, 1):
        name = f"p{number}" if len(chance) > 1 or params else "p"
        effects.append(_effect(rule, name))
        params.append(f"param {name} ~ {PRIOR}")
    targets = [r.target.text for r in members]
    parts = [p for p in (_action(condition), _faced(condition)) if p] or [kind or "player"]
    name = "_".join([*parts, _short(targets[0])])
    quantifier = f"\n    for {kind} {var}" if kind is not None else ""
    text = (f"law {name}:{quantifier}\n    when {' and '.join(condition) or 'true'}\n"
            f"    then " + ",\n         ".join(effects) + "".join(f"\n    {p}" for p in params))
    law = parse_laws(text, source="<induced>")[0]
    active = members[0].active
    support = int((active & np.logical_or.reduce([r.fits for r in members])).sum())
    return InducedLaw(law, _topic(condition, kind, targets), support, int(active.sum()))


def movement_law(kind: str, var: str, mixture: Mixture) -> InducedLaw:
    """A creature's moves: ``var.pos ~ choice(...)`` over the kept forms within its radius."""
    forms = mixture.forms
    if len(forms) == 1:
        random = "random" in forms[0]
        effect, params = f"{var}.pos {'~' if random else '<-'} {forms[0]}", ""
    elif len(forms) == 2:
        effect, params = f"{var}.pos ~ choice(w: {forms[0]}, else: {forms[1]})", "\n    param w ~ Beta(1, 1)"
    else:
        alternatives = ", ".join(f"w[{i}]: {form}" for i, form in enumerate(forms))
        effect = f"{var}.pos ~ choice({alternatives})"
        params = f"\n    param w ~ Dirichlet({', '.join('1' for _ in forms)})"
    condition = "true" if mixture.radius is None else f"distance({var}, player) <= {mixture.radius}"
    text = f"law {kind}_moves:\n    for {kind} {var}\n    when {condition}\n    then {effect}{params}"
    law = parse_laws(text, source="<induced>")[0]
    return InducedLaw(law, f"{kind}s", mixture.moved, mixture.active)
