"""The true-distribution ceiling: the game with its random generator resampled.

The ``true`` reference replays the game's own generator, so it predicts even a coin flip
and scores 1.0 where no model of the game's chance can. ``ChanceCeiling`` marginalises
that chance: for a (state, action) it steps crafter_oo from fresh random generators and
scores each candidate by the fraction of draws equal to it (equal as evaluation compares
states, ``views.view_key``). It is the best any model of the game can do, up to the
estimate's error, and every evaluation reports a model's gap to it.

Draws double from ``FIRST_DRAWS`` until the candidates' order is settled: every two
candidates' counts differ by more than ``SEPARATION`` standard errors of their difference
or are both zero, and the outcomes not yet drawn hold at most ``UNSEEN`` of the
probability (the Good-Turing estimate: outcomes drawn once over draws). The second
condition matters because the true next state is itself a draw of the game: when it is
an outcome not yet drawn it ties, at zero, with impossible distractors, so the chance of
that must be below the metric's resolution. Candidates of equal true probability (a cow
stepping left or right) never separate; they stop at ``MOST_DRAWS`` and score equally (the
mean of their shares), so the ranking counts them as ties against the ceiling, as it
counts a model's ties. The draws used are kept per (state, action) for the report
(``drain``).
"""

from __future__ import annotations

import dataclasses
import math
import zlib
from dataclasses import dataclass
from typing import Sequence

import numpy as np

import crafter_oo
from crafter_oo.state import RngState, WorldState
from onelife.evaluation.views import view_key
from worldmodel import Action

FIRST_DRAWS = 128
MOST_DRAWS = 2048
UNSEEN = 0.01  # the most probability the outcomes not yet drawn may hold (Good-Turing)
SEPARATION = 3.0  # standard errors between two candidates' counts for their order to count as settled
MT_WORDS = 624  # the Mersenne Twister's state size in 32-bit words


@dataclass(frozen=True, slots=True)
class DrawRecord:
    """How many draws one (state, action) took, whether its candidates' order settled, and the
    Good-Turing estimate of the probability its draws had not yet seen."""

    draws: int
    settled: bool
    unseen: float


class ChanceCeiling:
    """Scores candidates by their probability under the game's own chance, estimated by draws."""

    def __init__(self, seed: int, first_draws: int = FIRST_DRAWS, most_draws: int = MOST_DRAWS) -> None:
        if not 1 <= first_draws <= most_draws:
            raise ValueError(f"need 1 <= first_draws <= most_draws, got {first_draws} and {most_draws}")
        self.seed = seed
        self.first_draws = first_draws
        self.most_draws = most_draws
        self.records: list[DrawRecord] = []

    def sample(self, state: WorldState, action: Action, rng: np.random.Generator) -> WorldState:
        """One next state of the game from a fresh generator drawn from ``rng``."""
        return crafter_oo.step(resampled(state, rng), action).state

    def log_prob(self, state: WorldState, action: Action, next_state: WorldState) -> float:
        return float(self.log_prob_batch([(state, action, next_state)])[0])

    def log_prob_batch(self, triples: Sequence[tuple[WorldState, Action, WorldState]]) -> np.ndarray:
        """log of each candidate's estimated probability; the draws are shared by every
        candidate of the same (state, action)."""
        groups: dict[tuple[int, Action], list[int]] = {}
        for index, (state, action, _) in enumerate(triples):
            groups.setdefault((id(state), action), []).append(index)
        scores = np.empty(len(triples))
        for indices in groups.values():
            state, action, _ = triples[indices[0]]
            candidates = [view_key(triples[i][2]) for i in indices]
            probabilities, record = self._estimate(state, action, candidates)
            self.records.append(record)
            with np.errstate(divide="ignore"):
                scores[indices] = np.log(probabilities)
        return scores

    def drain(self) -> list[DrawRecord]:
        """The draw records since the last call (one per scored (state, action))."""
        records, self.records = self.records, []
        return records

    def _estimate(self, state: WorldState, action: Action, candidates: list[str]) -> tuple[np.ndarray, DrawRecord]:
        """Each candidate's share of the draws, drawing until the distinct candidates' order settles."""
        rng = np.random.default_rng([self.seed, zlib.crc32(f"{view_key(state)}|{action}".encode())])
        distinct = list(dict.fromkeys(candidates))
        outcomes: dict[tuple[object, ...], str] = {}  # a draw's cheap identity -> its view key
        seen: dict[str, int] = {}  # view key -> times drawn
        draws, target = 0, self.first_draws
        while True:
            for _ in range(target - draws):
                next_state = crafter_oo.step(resampled(state, rng), action).state
                identity = _identity(next_state)
                key = outcomes.get(identity)
                if key is None:
                    key = outcomes[identity] = view_key(next_state)
                seen[key] = seen.get(key, 0) + 1
            draws = target
            counts = np.array([seen.get(candidate, 0) for candidate in distinct], dtype=float)
            unseen = sum(1 for times in seen.values() if times == 1) / draws
            settled = not _close_pairs(counts) and unseen <= UNSEEN
            if settled or draws >= self.most_draws:
                share = dict(zip(distinct, _tied(counts) / draws))
                return np.array([share[c] for c in candidates]), DrawRecord(draws, settled, round(unseen, 4))
            target = min(2 * draws, self.most_draws)

    def __repr__(self) -> str:
        return f"ChanceCeiling(seed={self.seed}, draws {self.first_draws}..{self.most_draws})"


def resampled(state: WorldState, rng: np.random.Generator) -> WorldState:
    """The state with a fresh Mersenne Twister state drawn from ``rng`` (the game's chance resampled)."""
    key = rng.integers(0, 2**32, MT_WORDS, dtype=np.uint32)
    key.flags.writeable = False
    return dataclasses.replace(state, rng=RngState(key, MT_WORDS, 0, 0.0))


def _identity(state: WorldState) -> tuple[object, ...]:
    """A cheap exact identity of a drawn state: two draws from one (state, action) with equal
    identities are the same world (the generator aside)."""
    return (state.step, state.daylight, state.next_id, state.chunks, state.unlocked, state.last_health,
            state.materials.tobytes(), repr(list(state.objects.items())))


def _close_pairs(counts: np.ndarray) -> list[tuple[int, int]]:
    """The pairs of candidates the draws cannot tell apart: counts within ``SEPARATION``
    standard errors of their difference, not both zero."""
    return [(i, j) for i in range(len(counts)) for j in range(i + 1, len(counts))
            if counts[i] + counts[j] and abs(counts[i] - counts[j]) <= SEPARATION * math.sqrt(counts[i] + counts[j])]


def _tied(counts: np.ndarray) -> np.ndarray:
    """The counts with every group of candidates that did not separate from each other
    replaced by the group's mean: candidates the draws cannot tell apart score equally,
    so the ceiling ranks them as ties, as every model's ties are ranked."""
    group = list(range(len(counts)))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for i, j in _close_pairs(counts):
        group[root(j)] = root(i)
    roots = np.array([root(i) for i in range(len(counts))])
    return np.array([counts[roots == roots[i]].mean() for i in range(len(counts))])
