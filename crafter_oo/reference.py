"""The reference game (the ``crafter`` package), made deterministic for differential tests
and benchmarks (crafter-spec §3.6).

Two changes, neither of which alters the game's rules: chunk members are iterated in
creation order (the original iterates an identity-hashed set, so it does not even agree
with itself across processes), and the pixel observation is replaced by a stub that makes
exactly the random draws night-time rendering makes, without drawing anything.
``crafter_oo`` itself never needs this module; it imports ``crafter`` only when used.
"""

from __future__ import annotations

import crafter
import crafter.engine
import numpy as np


class CreationOrderWorld(crafter.engine.World):
    """``World`` whose ``chunks`` lists each chunk's members in creation order."""

    @property
    def chunks(self) -> dict:
        index = lambda obj: int(self._obj_map[tuple(obj.pos)])  # noqa: E731
        return {key: sorted(members, key=index) for key, members in self._chunks.items()}


class DeterministicCrafter(crafter.Env):
    """``crafter.Env`` with the creation-order patch and a draw-only observation stub."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._world.__class__ = CreationOrderWorld

    def _obs(self) -> None:
        if self._world.daylight < 0.5:
            unit = self._size // self._view
            item_rows = int(np.ceil(len(crafter.constants.items) / self._view[0]))
            shape = (self._view[0] * unit[0], (self._view[1] - item_rows) * unit[1])
            self._world.random.uniform(32, 127, shape)


def make_deterministic(env: crafter.Env) -> crafter.Env:
    """Turn an existing reference env (e.g. from ``to_crafter``) into a deterministic one."""
    env.__class__ = DeterministicCrafter
    env._world.__class__ = CreationOrderWorld
    return env
