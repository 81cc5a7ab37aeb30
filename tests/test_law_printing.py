"""The printer and the parser agree on every law: a random well-formed law, parsed, printed and
parsed again, is the same law and prints the same (hypothesis over generated laws, with
random brackets so the printer's precedence is what is tested)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crafter_oo.rules import ITEMS
from onelife import parse_laws

ITEM = st.sampled_from([item for item in ITEMS])


def _maybe_bracketed(parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(parts, st.booleans()).map(lambda p: f"({p[0]})" if p[1] else p[0])


def _numbers(booleans: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    leaves = st.one_of(st.integers(0, 99).map(str), st.sampled_from(["0.5", "2.25", "step"]),
                       ITEM.map(lambda item: f"player.inventory.{item}"), st.just("player.hunger"))
    return st.recursive(leaves, lambda inner: st.one_of(
        _maybe_bracketed(st.tuples(inner, st.sampled_from(["+", "-", "*", "%"]), inner).map(" ".join)),
        inner.map(lambda e: f"-({e})"),
        st.tuples(inner, booleans, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
    ), max_leaves=8)


def _conditions() -> st.SearchStrategy[str]:
    plain = st.one_of(st.just("action == do"), st.just("action in {move_left, noop, sleep}"),
                      st.just("player.sleeping"), st.just("material(target(player)) == grass"),
                      st.just("daylight > 0.3"))
    numbers = _numbers(plain)
    comparisons = st.tuples(numbers, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), numbers).map(
        lambda t: f"({t[0]}) {t[1]} ({t[2]})")
    return st.recursive(st.one_of(plain, comparisons), lambda inner: st.one_of(
        _maybe_bracketed(st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(" ".join)),
        inner.map(lambda e: f"not ({e})"),
    ), max_leaves=6)


@st.composite
def laws(draw: st.DrawFn) -> str:
    numbers = _numbers(_conditions())
    item = draw(ITEM)
    effect = draw(st.sampled_from(["+=", "<-", "~"]))
    if effect == "~":
        then = (f"player.inventory.{item} ~ choice(q: {draw(numbers)}, else: {draw(numbers)})\n"
                f"    param q ~ Beta({draw(st.integers(1, 9))}, {draw(st.floats(0.1, 20))!r})")
    else:
        then = f"player.inventory.{item} {effect} {draw(numbers)}"
    return f"law generated:\n    when {draw(_conditions())}\n    then {then}\n"


@settings(max_examples=150, deadline=None)
@given(laws())
def test_a_printed_law_parses_back_to_itself(text: str) -> None:
    [law] = parse_laws(text)
    printed = str(law)
    [again] = parse_laws(printed)
    assert again == law, printed
    assert str(again) == printed
