"""Curiosity: how likely an action is to surprise, and where the unseen lies.

A context is what an action might depend on: the thing faced (for actions that act on the
faced cell), the holdings read coarsely (each stock item as 0, 1, 2-3, 4-7 or 8-9) and
the materials the player itself made appear (by placing) within one cell. For every
action, whether each need has room to be gained is part of the context too. Where a known
effect is expected, a try only measures its chance; elsewhere the learner expects nothing
to happen, and a try is worth the chance that something does. That chance is estimated
from the tries that bear on it: holding more can only open doors that holding less kept
shut (a tool, an ingredient), so the tries in contexts holding at least as much of
everything (more of what the action itself gives aside) bear on this one. With ``n``
such tries and ``s`` of them doing something, the chance is ``(s + a p) / (n + a)``, where
``p`` is the rate at which the action did anything by this thing and these made things
(uniform prior) and ``a`` weighs it: an action that did nothing here many times is a poor
bet with more of the same, while a thing never met, a made thing never stood by or an
item never held while trying it make an even bet (``FRESH``). For an action none of whose
known effects uses anything up (``do``, in Crafter), only which items are held is compared,
not how many. An outcome is a matter of chance
where the very same context has both done something and not; only then is its chance
worth measuring.
"""

from __future__ import annotations

from typing import Hashable, Mapping

import numpy as np

from crafter_oo.rules import ITEMS, VITALS
from onelife.explorer.navigation import Routes

STOCK = tuple(item for item in ITEMS if item not in VITALS)
NEEDS = tuple(vital for vital in VITALS if vital != "health")
MEASURE = 3.0  # worth of a chance's remaining uncertainty (its posterior standard deviation)
PRIOR_WEIGHT = 2.0  # how many tries the action's rate by this thing and these made things is worth
FRESH = 0.5  # the chance of a surprise where the action was never tried, or with something never held


def holdings_signature(inventory: Mapping[str, int], cap: int) -> tuple[int, ...]:
    """Each stock item's count as 0, 1, 2-3, 4-7 or 8-9 (its bit length), then for each need
    that can be gained whether there is room to gain it (1) or it is full (0): a gain cannot
    show when full, so a try when full says nothing about a try with room."""
    return (tuple(int(inventory[item]).bit_length() for item in STOCK)
            + tuple(int(inventory[need] < cap) for need in NEEDS))


def chance_spread(successes: int, tries: int) -> float:
    """Posterior standard deviation of a chance after ``successes`` in ``tries`` (uniform prior)."""
    a, b = successes + 1.0, tries - successes + 1.0
    return float(np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1.0))))


class Curiosity:
    """Tries per context and whether they did anything (see the module docstring)."""

    def __init__(self) -> None:
        self.tries: dict[Hashable, list[tuple[tuple[int, ...], bool]]] = {}
        self._arrays: dict[Hashable, tuple[np.ndarray, np.ndarray]] = {}
        self.outcomes: dict[Hashable, set[bool]] = {}  # per exact context (key and holdings): what happened

    def surprise(self, action: str, thing: str | None, signature: tuple[int, ...], made_near: frozenset[str],
                 outputs: frozenset[str] = frozenset(), counts_matter: bool = True) -> float:
        """The chance that ``action`` does something here where nothing is expected
        (``thing`` ``None`` when it acts on no faced cell; ``outputs``: what it gives;
        ``counts_matter``: whether holding more of an item may matter, or only holding it)."""
        key = (action, thing, made_near)
        tries = self.tries.get(key, [])
        if not tries:  # a thing never met, a made thing never stood by: an even bet
            return FRESH
        if key not in self._arrays:
            self._arrays[key] = (np.array([sig for sig, _ in tries]).reshape(len(tries), -1),
                                 np.array([done for _, done in tries]))
        signatures, done = self._arrays[key]
        if not counts_matter and signature:
            stock = len(STOCK)
            signatures = np.concatenate([np.minimum(signatures[:, :stock], 1), signatures[:, stock:]], axis=1)
            signature = tuple(min(level, 1) for level in signature[:stock]) + tuple(signature[stock:])
        if not signature:
            return (int(done.sum()) + PRIOR_WEIGHT * FRESH) / (len(tries) + PRIOR_WEIGHT)
        held_before = (signatures > 0).any(axis=0)
        if any(level > 0 and not held for level, held in zip(signature, held_before)):
            group = FRESH  # something held that no try of this action here ever held
        else:
            group = (int(done.sum()) + 1.0) / (len(tries) + 2.0)
        compared = [k for k, item in enumerate(STOCK + NEEDS) if item not in outputs]
        bearing = (signatures[:, compared] >= np.array(signature)[compared]).all(axis=1)
        n, s = int(bearing.sum()), int(done[bearing].sum())
        return (s + PRIOR_WEIGHT * group) / (n + PRIOR_WEIGHT)

    def is_random(self, action: str, thing: str | None, made_near: frozenset[str]) -> bool:
        """Whether the very same context (holdings included) has both done something and not."""
        return any(len(seen) > 1 for (key, _), seen in self.outcomes.items() if key == (action, thing, made_near))

    def holds_new(self, action: str, thing: str | None, signature: tuple[int, ...]) -> bool:
        """Whether ``signature`` holds a stock item that no try of ``action`` on ``thing`` held."""
        held = [False] * len(STOCK)
        for key, tries in self.tries.items():
            if key[:2] == (action, thing):
                for sig, _ in tries:
                    held = [h or level > 0 for h, level in zip(held, sig[:len(STOCK)])]
        return any(level > 0 and not h for level, h in zip(signature[:len(STOCK)], held))

    def holds_new_here(self, action: str, thing: str | None, made_near: frozenset[str],
                       signature: tuple[int, ...]) -> bool:
        """Whether ``signature`` holds a stock item that no try of ``action`` on ``thing`` by
        ``made_near`` held (an untried context counts only once tried at all)."""
        tries = self.tries.get((action, thing, made_near), [])
        held = [False] * len(STOCK)
        for sig, _ in tries:
            held = [h or level > 0 for h, level in zip(held, sig[:len(STOCK)])]
        return bool(tries) and any(level > 0 and not h for level, h in zip(signature[:len(STOCK)], held))

    def tried_with_room(self, action: str, thing: str | None, need: str) -> bool:
        """Whether ``action`` on ``thing`` was ever tried with room to gain ``need`` (else a
        gain of it could never have shown there)."""
        flag = len(STOCK) + NEEDS.index(need)
        return any(signature[flag] for key, tries in self.tries.items() if key[:2] == (action, thing)
                   for signature, _ in tries if len(signature) > flag)

    def tried(self, action: str, thing: str | None, made_near: frozenset[str]) -> int:
        return len(self.tries.get((action, thing, made_near), ()))

    def count(self, action: str, thing: str | None, signature: tuple[int, ...], made_near: frozenset[str],
              done: bool) -> None:
        key = (action, thing, made_near)
        self.tries.setdefault(key, []).append((signature, done))
        self._arrays.pop(key, None)
        self.outcomes.setdefault((key, signature), set()).add(done)


def unseen_in_view(unknown: np.ndarray, view: tuple[int, int]) -> np.ndarray:
    """Per cell, how many never-seen cells a player standing there would have in view."""
    width, height = view
    total = np.pad(unknown.astype(np.int32), ((width // 2 + 1, width // 2), (height // 2 + 1, height // 2)))
    summed = total.cumsum(0).cumsum(1)
    return (summed[width:, height:] - summed[:-width, height:] - summed[width:, :-height] + summed[:-width, :-height])


def frontier(routes: Routes, unknown: np.ndarray, view: tuple[int, int], discount: float) -> tuple[float, str] | None:
    """The most worthwhile spot to bring unseen cells into view: (worth, first move), worth
    being the share of the view that would be new, discounted by the walk."""
    counts = unseen_in_view(unknown, view)
    reachable = routes.dist >= 0
    if not (reachable & (counts > 0)).any():
        return None
    worth = np.where(reachable, counts / (view[0] * view[1]) * discount ** np.maximum(routes.dist, 0), -1.0)
    i, j = np.unravel_index(int(np.argmax(worth)), worth.shape)
    if worth[i, j] <= 0:
        return None
    pos = (int(i) + routes.origin[0], int(j) + routes.origin[1])
    move = routes.first_move(pos)
    return float(worth[i, j]), move or "noop"

