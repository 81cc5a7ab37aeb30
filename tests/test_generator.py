"""The generator a step draws from (``crafter_oo.generator``): copied in and out as raw
memory, it must draw and end exactly as numpy's own ``set_state``/``get_state`` path does,
and a step that draws nothing must not copy it at all."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crafter_oo
from crafter_oo import edit
from crafter_oo.generator import KEY_WORDS, LiveGenerator
from crafter_oo.state import RngState

# What the game draws: a uniform, a die roll (randint), a block of uniforms (night noise).
draws = st.lists(st.one_of(st.tuples(st.just("uniform"), st.just(1)),
                           st.tuples(st.just("randint"), st.integers(1, 200)),
                           st.tuples(st.just("block"), st.integers(1, 4000))), max_size=30)


def _draw(rng: np.random.RandomState, kind: str, n: int) -> object:
    """One of the game's draws from ``rng``, as a comparable value."""
    if kind == "uniform":
        return rng.random_sample()
    if kind == "randint":
        return int(rng.randint(0, n))
    return rng.random_sample(n).tolist()


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 2 * KEY_WORDS), draws)
def test_load_draw_capture_matches_numpys_state_api(seed: int, warmup: int,
                                                    plan: list[tuple[str, int]]) -> None:
    numpy_rng = np.random.RandomState(seed)
    numpy_rng.random_sample(warmup)
    numpy_rng.standard_normal()  # a cached Gaussian the copy must carry through
    start = RngState.capture(numpy_rng)
    key_before = start.key.copy()
    live = LiveGenerator()
    ours = live.load(start)
    for kind, n in plan:
        assert _draw(ours, kind, n) == _draw(numpy_rng, kind, n)
    assert live.capture(start) == RngState.capture(numpy_rng)
    assert np.array_equal(start.key, key_before) and not start.key.flags.writeable


def test_a_position_outside_the_key_is_refused() -> None:
    start = RngState.capture(np.random.RandomState(0))
    live = LiveGenerator()
    for pos in (-1, KEY_WORDS + 1):
        with pytest.raises(ValueError, match=r"position must be in \[0, 624\]"):
            live.load(RngState(start.key, pos))


def test_a_step_that_draws_nothing_keeps_its_inputs_generator_state() -> None:
    quiet = edit.blank_world()  # no creature, daytime, not a balancing step
    assert crafter_oo.step(quiet, "noop").state.rng is quiet.rng
    busy = edit.add_creature(quiet, "cow", (6, 4))
    after = crafter_oo.step(busy, "noop").state.rng
    assert after is not busy.rng and after != busy.rng
