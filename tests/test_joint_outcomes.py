"""Joint outcomes (``jointly(w: e1, e2)``): several attributes change together with one
probability, else none does; parsed, printed, scored, sampled and fitted as one unit."""

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from crafter_oo.edit import drawn_world
from crafter_oo.state import Player
from onelife import LawModel, parse_laws
from onelife.attributes import FAMILIES, SMALL_COUNT, Product, domain
from onelife.builtins import LawError
from onelife.parser import LawSyntaxError
from onelife.routing import FLOOR

SAPLING = """
law collect_sapling:
    when action == do and material(target(player)) == grass
    then jointly(p: player.inventory.sapling += 1, player.achievements.collect_sapling += 1)
    param p ~ Beta(1, 1)
"""
QUIET_FRAME = {f"frame.{f}": 1e-4 for f in FAMILIES}


def _world() -> tuple:
    state = drawn_world(["..", ".."], [Player((0, 0), facing=(1, 0))])
    return state, domain((1, "inventory.sapling"), state), domain((1, "achievements.collect_sapling"), state)


def _with(state, sapling: int, counted: int):
    """``state`` with the player's sapling count and sapling achievement count set."""
    player = state.objects[1]
    inventory = dict(player.inventory, sapling=sapling)
    achievements = dict(player.achievements, collect_sapling=counted)
    return replace(state, objects={**state.objects, 1: replace(player, inventory=inventory,
                                                                achievements=achievements)})


def test_joint_outcomes_round_trip_and_name_bad_members() -> None:
    law = parse_laws(SAPLING)[0]
    assert parse_laws(str(law))[0] == law
    with pytest.raises(LawSyntaxError, match="fixed change"):
        parse_laws("law l: when true then jointly(0.5: player.hunger ~ choice(0.5: 1, else: 2))")
    with pytest.raises(LawSyntaxError, match=r"in \[0, 1\]"):
        parse_laws("law l: when true then jointly(1.5: player.hunger <- 1)")
    with pytest.raises(LawSyntaxError, match="set twice"):
        parse_laws("law l: when true then jointly(0.5: player.hunger <- 1), player.hunger <- 2")


@settings(max_examples=40, deadline=None)
@given(weight=st.one_of(st.sampled_from(["p"]), st.floats(0, 1).map(repr)),
       items=st.lists(st.sampled_from(["wood", "stone", "coal", "sapling"]), min_size=1, max_size=3, unique=True),
       amounts=st.lists(st.integers(-3, 3), min_size=3, max_size=3))
def test_printed_joint_laws_parse_back_equal(weight: str, items: list[str], amounts: list[int]) -> None:
    members = ", ".join(f"player.inventory.{item} += {a}" if a >= 0 else f"player.inventory.{item} <- {-a}"
                        for item, a in zip(items, amounts))
    param = "\n    param p ~ Beta(2, 3)" if weight == "p" else ""
    law = parse_laws(f"law l:\n    when action == noop\n    then jointly({weight}: {members}){param}")[0]
    assert parse_laws(str(law))[0] == law


def test_joint_outcome_scores_both_or_neither() -> None:
    state, sapling_domain, counted_domain = _world()
    p = 0.3
    model = LawModel(parse_laws(SAPLING), {"collect_sapling.p": p, **QUIET_FRAME})
    joint_size = Product((sapling_domain, counted_domain)).size
    scores = {(s, c): model.log_prob(state, "do", _with(state, s, c))
              for s in range(2) for c in range(2)}
    both, neither, one = scores[(1, 1)], scores[(0, 0)], scores[(1, 0)]
    assert both - neither == pytest.approx(math.log(((1 - FLOOR) * p + FLOOR / joint_size)
                                                    / ((1 - FLOOR) * (1 - p) + FLOOR / joint_size)))
    assert one - neither == pytest.approx(math.log((FLOOR / joint_size) / ((1 - FLOOR) * (1 - p) + FLOOR / joint_size)))
    # Normalised over the joint domain: only the two attributes differ between these successors.
    all_pairs = [model.log_prob(state, "do", _with(state, s, c)) - neither
                 for s in range(sapling_domain.size) for c in range(counted_domain.size)]
    assert sum(map(math.exp, all_pairs)) == pytest.approx(1 / ((1 - FLOOR) * (1 - p) + FLOOR / joint_size))


def test_samples_change_both_together() -> None:
    state, _, _ = _world()
    model = LawModel(parse_laws(SAPLING), {"collect_sapling.p": 0.3, **QUIET_FRAME})
    samples = model.sample_many(state, "do", 3000, np.random.default_rng(7))
    pairs = [(s.objects[1].inventory["sapling"], s.objects[1].achievements["collect_sapling"]) for s in samples]
    together = sum(pair == (1, 1) for pair in pairs) / len(pairs)
    assert abs(together - 0.3) < 0.03
    assert sum(pair not in ((0, 0), (1, 1)) for pair in pairs) <= 10  # only the 0.1% floor


def test_fit_recovers_the_joint_probability() -> None:
    state, _, _ = _world()
    rng = np.random.default_rng(3)
    transitions = [(state, "do", _with(state, 1, 1) if rng.random() < 0.2 else state) for _ in range(200)]
    model = LawModel(parse_laws(SAPLING)).fit(transitions)
    hits = sum(t[2] is not state for t in transitions)
    assert model.parameters()["collect_sapling.p"] == pytest.approx(hits / 200, abs=0.02)


SEPARATE = """
law collect_sapling:
    when action == do and material(target(player)) == grass
    then player.inventory.sapling ~ choice(p: player.inventory.sapling + 1, else: player.inventory.sapling),
         player.achievements.collect_sapling ~ choice(q: player.achievements.collect_sapling + 1,
                                                      else: player.achievements.collect_sapling)
    param p ~ Beta(1, 1)
    param q ~ Beta(1, 1)
"""
COUNT = "law count: when action == do then player.achievements.collect_sapling += 1"


def test_defined_names_are_inlined_in_joint_members() -> None:
    laws = parse_laws("let gain = 1\nlet sapling_count = player.inventory.sapling\n" + SAPLING.replace(
        "player.inventory.sapling += 1", "player.inventory.sapling <- sapling_count + gain"))
    text = str(laws[0].effects[0])
    assert "gain" not in text and "sapling_count" not in text and "player.inventory.sapling + 1" in text


def test_a_joint_attribute_pooled_elsewhere_falls_back_to_its_members_own_chances() -> None:
    state, _, _ = _world()
    joint = LawModel(parse_laws(SAPLING + COUNT), {"collect_sapling.p": 0.3, **QUIET_FRAME})
    separate = LawModel(parse_laws(SEPARATE + COUNT), {"collect_sapling.p": 0.3, "collect_sapling.q": 0.3,
                                                       **QUIET_FRAME})
    futures = [_with(state, sapling, counted) for sapling in (0, 1) for counted in (0, 1)]
    scores = joint.log_prob_batch([(state, "do", future) for future in futures])
    assert np.allclose(scores, separate.log_prob_batch([(state, "do", future) for future in futures]), atol=1e-12)
    # alone, the joint outcome still ties its members: one without the other is near impossible
    alone = LawModel(parse_laws(SAPLING), {"collect_sapling.p": 0.3, **QUIET_FRAME})
    assert alone.log_prob(state, "do", _with(state, 1, 0)) < math.log(FLOOR)
    assert joint.sample(state, "do", np.random.default_rng(0)).player.inventory["sapling"] in (0, 1)
