"""How far the game's random generator moved between two of its states, and replaying that.

Crafter's generator is a legacy ``np.random.RandomState`` (MT19937): 624 words of key, a
position in it, and a cached Gaussian. Drawing ``n`` 32-bit words moves the position by
``n`` modulo 624 and regenerates the key each time the position passes the end, so the
next state follows from the previous one and ``n`` alone. Trajectory files store that count
instead of the 2.5 KB key (``onelife.trajectory``, version 2).
"""

from __future__ import annotations

import numpy as np

from crafter_oo.state import RngState

KEY_WORDS = 624
# No step of the game draws anywhere near this many words (a night step's render noise,
# the most, is a few thousand); a state this far away or unrelated is stored in full.
MAX_DRAWS = 1 << 20


class GeneratorTrack:
    """Follows one generator through a life's states, keeping a live MT19937 bit generator at
    the current state (setting a bit generator's state costs more than most steps' draws)."""

    def __init__(self, start: RngState) -> None:
        self._bits = np.random.MT19937(0)
        self.reset(start)

    def reset(self, rng: RngState) -> None:
        """Jump to ``rng`` (the first state, or one that does not follow by draws)."""
        self.current = rng
        self._synced = False  # the bit generator is set only when next drawn from

    def _draw(self, words: int) -> None:
        if not self._synced:
            self._bits.state = {"bit_generator": "MT19937", "state": {"key": self.current.key, "pos": self.current.pos}}
            self._synced = True
        self._bits.random_raw(words, output=False)

    def follow(self, after: RngState, limit: int = MAX_DRAWS) -> int | None:
        """Move to ``after`` and return how many 32-bit words were drawn to reach its key and
        position, or ``None`` if no count up to ``limit`` does (an edited state, another seed).

        Candidates are ``(after.pos - pos) mod 624 + 624 t`` for t = 0, 1, ...; each is
        checked against the whole key, so a returned count replays exactly.
        """
        drawn = (after.pos - self.current.pos) % KEY_WORDS
        self._draw(drawn)
        while drawn <= limit:
            state = self._bits.state["state"]
            if state["pos"] == after.pos and np.array_equal(state["key"], after.key):
                self.current = after
                return drawn
            self._draw(KEY_WORDS)
            drawn += KEY_WORDS
        self.reset(after)
        return None

    def advance(self, drawn: int, has_gauss: int, cached_gaussian: float) -> RngState:
        """Draw ``drawn`` words and return the state reached, with the given cached Gaussian."""
        if drawn < 0:
            raise ValueError(f"a draw count cannot be negative, got {drawn}")
        self._draw(drawn)
        state = self._bits.state["state"]
        key = np.asarray(state["key"], dtype=np.uint32)
        key.flags.writeable = False
        self.current = RngState(key, int(state["pos"]), has_gauss, cached_gaussian)
        return self.current
