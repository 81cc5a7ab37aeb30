"""The generator one step draws from: a legacy ``np.random.RandomState`` over an MT19937 whose
624-word key and position are copied in from and out to an ``RngState`` as plain memory.

``RandomState.get_state`` and ``set_state`` cost about 40 µs each, more than most steps'
game logic; copying the bit generator's C state (at ``MT19937.ctypes.state_address``: the
key as 624 ``uint32`` words, then the position as an ``int``) costs about a microsecond.
The layout is checked against ``MT19937.state`` whenever a generator is built, so a numpy
that changed it fails loudly instead of drawing from a wrong state.
"""

from __future__ import annotations

import ctypes
import threading

import numpy as np

from crafter_oo.state import RngState

KEY_WORDS = 624

_per_thread = threading.local()


class LiveGenerator:
    """A reusable legacy generator whose MT19937 key and position are read and written in place."""

    def __init__(self) -> None:
        self._bits = np.random.MT19937(0)
        self.random = np.random.RandomState(self._bits)
        address = self._bits.ctypes.state_address
        self._key = np.ctypeslib.as_array((ctypes.c_uint32 * KEY_WORDS).from_address(address))
        self._pos = ctypes.c_int.from_address(address + self._key.nbytes)
        self._check_layout()

    def _check_layout(self) -> None:
        """Fail if numpy's MT19937 state is not laid out as ``load`` and ``capture`` copy it."""
        self.random.random_sample(KEY_WORDS)  # past one regeneration of the key, off position 0
        expected = self._bits.state["state"]
        if self._pos.value != expected["pos"] or not np.array_equal(self._key, expected["key"]):
            raise RuntimeError("numpy's MT19937 state is not laid out as uint32 key[624] then int pos; "
                               "crafter_oo.generator cannot copy it")

    def load(self, state: RngState) -> np.random.RandomState:
        """Put ``state``'s key and position into the generator and return it for drawing."""
        if not 0 <= state.pos <= KEY_WORDS:  # the C generator would read outside its key
            raise ValueError(f"generator position must be in [0, {KEY_WORDS}], got {state.pos}")
        self._key[:] = state.key
        self._pos.value = state.pos
        return self.random

    def capture(self, gauss_from: RngState) -> RngState:
        """The generator's key and position now, with the cached Gaussian of ``gauss_from``
        (the game never draws a Gaussian, so a step keeps its input's)."""
        key = self._key.copy()
        key.flags.writeable = False
        return RngState(key, self._pos.value, gauss_from.has_gauss, gauss_from.cached_gaussian)


def live_generator() -> LiveGenerator:
    """This thread's generator, built on first use (building one costs ~150 µs)."""
    generator = getattr(_per_thread, "generator", None)
    if generator is None:
        generator = _per_thread.generator = LiveGenerator()
    return generator
