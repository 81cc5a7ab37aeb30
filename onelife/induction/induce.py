"""The inducer's driver: rules for every attribute of the player and of each creature kind
seen, creatures' move mixtures, and their assembly into laws (``assemble``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Callable

import numpy as np

from crafter_oo.rules import ITEMS

from onelife.attributes import CREATURE_PATHS, VITALS
from onelife.builtins import DIRECTION_NAMES
from onelife.induction.assemble import InducedLaw, movement_law, rule_laws
from onelife.induction.literals import Literals, creature_literals, player_literals, truth_table
from onelife.induction.movement import learn_movement
from onelife.induction.observations import Example, Transition, before_after, creature_examples, player_examples
from onelife.induction.rules import Rule, Target, learn_rules
from onelife.induction.refine import keep_names, offer_preconditions
from onelife.induction.search import Context
from onelife.law import Law
from onelife.parser import parse_expression

Progress = Callable[[str], None]
CREATURE_VAR = "c"
NEAR = 6  # creatures within this distance of the player may be what a law about the player is about


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


def _near_context(kind: str, found: list[Example], table: Literals, transitions: int) -> Context | None:
    """Laws about the player quantified over creatures of ``kind`` near it (within ``NEAR``)."""
    near = f"distance({CREATURE_VAR}, player) <= {NEAR}"
    if near not in table.texts:
        return None
    rows = np.flatnonzero(table.column(near))
    if not len(rows):
        return None
    incidence = np.zeros((transitions, len(rows)), dtype=np.float32)
    incidence[[found[r].transition for r in rows], np.arange(len(rows))] = 1
    local = Literals(table.texts, table.truth[rows])
    return Context(local, kind, CREATURE_VAR, incidence, (table.texts.index(near),))


def induce_documented(transitions: list[Transition], progress: Progress | None = None,
                      earlier: Sequence[Law] = ()) -> list[InducedLaw]:
    """Laws induced from ``transitions``, each with its topic and the evidence behind it;
    ``earlier`` laws (of an earlier induction) guide the search and keep their names."""
    if not transitions:
        raise ValueError("induce needs at least one transition")
    say = progress or (lambda _: None)
    examples = player_examples(transitions)
    contexts = [Context(truth_table(player_literals(examples), examples, None))]
    kinds = sorted({obj.kind for state, _, _ in transitions for obj in state.objects.values()} - {"player"})
    creatures: dict[str, tuple[list[Example], Context]] = {}
    for kind in kinds:
        say(kind)
        found = creature_examples(transitions, kind)
        table = truth_table(creature_literals(found, kind, CREATURE_VAR), found, CREATURE_VAR)
        creatures[kind] = (found, Context(table, kind, CREATURE_VAR))
        near = _near_context(kind, found, table, len(transitions))
        if near is not None:
            contexts.append(near)
    offer_preconditions(earlier, [*contexts, *(context for _, context in creatures.values())])
    rules: list[Rule] = []
    for target in player_targets(transitions):
        say(target.text)
        pairs = before_after(parse_expression(target.text), None, examples, transitions)
        rules += learn_rules(target, pairs, examples, contexts, None)
    laws = rule_laws(rules)
    for kind, (found, context) in creatures.items():
        say(f"{kind} attributes")
        kind_rules: list[Rule] = []
        for target in creature_targets(kind, CREATURE_VAR):
            pairs = before_after(parse_expression(target.text), CREATURE_VAR, found, transitions)
            kind_rules += learn_rules(target, pairs, found, [context], CREATURE_VAR)
        laws += rule_laws(kind_rules)
        mixture = learn_movement(kind, CREATURE_VAR, found, transitions)
        if mixture is not None:
            laws.append(movement_law(kind, CREATURE_VAR, mixture))
    return keep_names(_uniquely_named(laws), earlier)


def induce(transitions: list[Transition], progress: Progress | None = None,
           earlier: Sequence[Law] = ()) -> list[Law]:
    """Readable probabilistic laws induced from one life's transitions, with no rulebook
    (``earlier``: laws of an earlier induction to refine, see ``onelife.induction.refine``)."""
    return [induced.law for induced in induce_documented(transitions, progress, earlier)]


def _uniquely_named(laws: list[InducedLaw]) -> list[InducedLaw]:
    """Laws whose names repeat get a number (the first keeps its name)."""
    seen: dict[str, int] = {}
    result = []
    for induced in laws:
        count = seen.get(induced.law.name, 0)
        seen[induced.law.name] = count + 1
        result.append(induced if count == 0 else induced.renamed(f"{induced.law.name}_{count + 1}"))
    return result
