"""The inducer's driver: rules for every attribute of the player and of each creature kind
seen, creatures' move mixtures, and their assembly into laws (``assemble``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from crafter_oo.rules import ITEMS

from onelife.attributes import CREATURE_PATHS, VITALS
from onelife.builtins import DIRECTION_NAMES
from onelife.induction.assemble import InducedLaw, movement_law, rule_laws
from onelife.induction.literals import creature_literals, player_literals, truth_table
from onelife.induction.movement import learn_movement
from onelife.induction.observations import Transition, before_after, creature_examples, player_examples
from onelife.induction.rules import Rule, Target, learn_rules
from onelife.law import Law
from onelife.parser import parse_expression

Progress = Callable[[str], None]
CREATURE_VAR = "c"


def player_targets(transitions: list[Transition]) -> list[Target]:
    """The player's attributes (from the state's schema), the faced cell and births there."""
    achievements = sorted(transitions[0][0].player.achievements)
    targets = [Target(f"player.inventory.{item}", True) for item in ITEMS]
    targets += [Target(f"player.achievements.{name}", True) for name in achievements]
    targets += [Target(f"player.{counter}", True) for counter in VITALS]
    targets += [Target("player.sleeping", False), Target("player.facing", False),
                Target("player.pos", False, tuple(f"move(player, {d})" for d in DIRECTION_NAMES)),
                Target("material(target(player))", False)]
    born = sorted({obj.kind for state, _, after in transitions for oid, obj in after.objects.items()
                   if oid >= state.next_id})
    targets += [Target(f"born({kind}, chunk_of(target(player)))", False, ("target(player)",)) for kind in born]
    return targets


def creature_targets(kind: str, var: str) -> list[Target]:
    """A creature's attributes besides its cell (moves are mixtures, ``movement``)."""
    return [Target(f"{var}.{path}", path != "facing") for path in CREATURE_PATHS[kind] if path != "pos"]


def induce_documented(transitions: list[Transition], progress: Progress | None = None) -> list[InducedLaw]:
    """Laws induced from ``transitions``, each with its topic and the evidence behind it."""
    if not transitions:
        raise ValueError("induce needs at least one transition")
    say = progress or (lambda _: None)
    examples = player_examples(transitions)
    literals = truth_table(player_literals(examples), examples, None)
    rules: list[Rule] = []
    known: list[tuple[int, ...]] = []
    for target in player_targets(transitions):
        say(target.text)
        pairs = before_after(parse_expression(target.text), None, examples, transitions)
        rules += learn_rules(target, pairs, examples, literals, None, known)
    laws = rule_laws(rules, None, None)
    kinds = sorted({obj.kind for state, _, _ in transitions for obj in state.objects.values()} - {"player"})
    for kind in kinds:
        say(kind)
        found = creature_examples(transitions, kind)
        if not found:
            continue
        table = truth_table(creature_literals(found, kind, CREATURE_VAR), found, CREATURE_VAR)
        kind_rules: list[Rule] = []
        kind_known: list[tuple[int, ...]] = []
        for target in creature_targets(kind, CREATURE_VAR):
            pairs = before_after(parse_expression(target.text), CREATURE_VAR, found, transitions)
            kind_rules += learn_rules(target, pairs, found, table, CREATURE_VAR, kind_known)
        laws += rule_laws(kind_rules, kind, CREATURE_VAR)
        mixture = learn_movement(kind, CREATURE_VAR, found, transitions)
        if mixture is not None:
            laws.append(movement_law(kind, CREATURE_VAR, mixture))
    return _uniquely_named(laws)


def induce(transitions: list[Transition], progress: Progress | None = None) -> list[Law]:
    """Readable probabilistic laws induced from one life's transitions, with no rulebook."""
    return [induced.law for induced in induce_documented(transitions, progress)]


def _uniquely_named(laws: list[InducedLaw]) -> list[InducedLaw]:
    """Laws whose names repeat get a number (the first keeps its name)."""
    seen: dict[str, int] = {}
    result = []
    for induced in laws:
        count = seen.get(induced.law.name, 0)
        seen[induced.law.name] = count + 1
        result.append(induced if count == 0 else induced.renamed(f"{induced.law.name}_{count + 1}"))
    return result
