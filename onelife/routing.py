"""Routing and pooling: transitions compiled once into tensors, then scored in one batch.

For each transition only the active law instances are kept. Each attribute some active
instance speaks about is a *pool*. Instance i gives the attribute the distribution
``q_i(v) = (1 - FLOOR) c_i(v) + FLOOR / |D|``, where ``c_i`` is a sparse categorical (its
alternatives mixed by their weights). The pool is the log-linear (geometric) pool with
weights normalised over its members, ``p(v) ∝ prod_i q_i(v) ** (w_i / sum_j w_j)``, which is
normalised in closed form: the explicit values are summed one by one and the remaining
``|D| - k`` values all get ``FLOOR / |D|``. Every other attribute follows its family's frame
law: unchanged with probability ``1 - eps``, else uniform over the other values (counted by
``onelife.frame``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import torch
from torch import Tensor

from crafter_oo.state import WorldState

from onelife.attributes import FAMILIES, Domain, Key, births
from onelife.builtins import Dist, Scene
from onelife.frame import FrameTally, checked_observation, count_frame
from onelife.interpret import Activation, Statement, activate
from onelife.law import Law
from onelife.parameters import DTYPE, AltTable

FLOOR = 1e-3  # probability mass every law spreads uniformly over its attribute's whole domain


@dataclass(slots=True)
class Pool:
    """One attribute of one transition that active laws speak about."""

    transition: int
    key: Key
    domain: Domain
    values: list[Any] = field(default_factory=list)  # the explicit values, in slot order
    observed_slot: int = -1  # -1: the observed value is none of the explicit ones


@dataclass(slots=True)
class Compiled:
    """A batch of transitions as index tensors: built once, scored many times."""

    count: int
    pools: list[Pool]
    slots: int
    pool_transition: Tensor
    pool_size: Tensor
    pool_explicit: Tensor
    pool_observed: Tensor
    member_pool: Tensor
    member_law: Tensor
    entry_row: Tensor
    entry_alt: Tensor
    entry_prob: Tensor
    frame_unchanged: Tensor  # [transitions, families]
    frame_changed: Tensor
    frame_const: Tensor  # [transitions]: -sum log(|D| - 1) over unexplained changes
    ragged: "Ragged"

    def pool_log_probs(self, alt_weights: Tensor, law_weights: Tensor) -> tuple[Tensor, Tensor]:
        """(log p of each explicit slot [pools, slots], log p of each other value [pools])."""
        members = self.member_pool.numel()
        mix = torch.zeros(members * self.slots, dtype=DTYPE).index_add(
            0, self.entry_row, self.entry_prob * alt_weights[self.entry_alt]).view(members, self.slots)
        size = self.pool_size[self.member_pool].unsqueeze(1)
        log_q = torch.log((1 - FLOOR) * mix + FLOOR / size)
        w = law_weights[self.member_law]
        total = torch.zeros(len(self.pools), dtype=DTYPE).index_add(0, self.member_pool, w)
        alpha = (w / total[self.member_pool]).unsqueeze(1)
        pooled = torch.zeros(len(self.pools), self.slots, dtype=DTYPE).index_add(0, self.member_pool, alpha * log_q)
        valid = torch.arange(self.slots).unsqueeze(0) < self.pool_explicit.unsqueeze(1)
        pooled = torch.where(valid, pooled, torch.tensor(-math.inf, dtype=DTYPE))
        # The weights sum to one, so every non-explicit value has the same pooled mass.
        log_other = math.log(FLOOR) - torch.log(self.pool_size)
        others = self.pool_size - self.pool_explicit
        log_rest = torch.where(others > 0, log_other + torch.log(others.clamp(min=1)),
                               torch.tensor(-math.inf, dtype=DTYPE))
        log_z = torch.logsumexp(torch.cat([pooled, log_rest.unsqueeze(1)], dim=1), dim=1)
        return pooled - log_z.unsqueeze(1), log_other - log_z

    def log_probs(self, alt_weights: Tensor, law_weights: Tensor, frame: Tensor) -> Tensor:
        """The log-likelihood of each transition [transitions]."""
        result = (self.frame_unchanged @ torch.log1p(-frame) + self.frame_changed @ torch.log(frame)
                  + self.frame_const)
        if not self.pools:
            return result
        return result.index_add(0, self.pool_transition, self.ragged.observed_log_probs(self, alt_weights, law_weights))


@dataclass(slots=True)
class Ragged:
    """The pools laid out without padding, for scoring: each member has one row per explicit
    value of its pool (``pool_log_probs`` pads every pool to the widest one, which is what
    sampling a single state needs but costs far too much over a whole life)."""

    row_member: Tensor  # [rows]
    row_slot: Tensor  # [rows]: the flat index of the row's (pool, value)
    entry_row: Tensor  # [entries]
    slot_pool: Tensor  # [slots]
    observed_slot: Tensor  # [pools]: flat slot of the observed value, or -1

    @staticmethod
    def build(pools: list[Pool], member_pool: list[int], entries: list[tuple[int, int, int, float]]) -> "Ragged":
        start = np.cumsum([0] + [len(p.values) for p in pools])
        rows_of = [len(pools[pool].values) for pool in member_pool]
        row_start = np.cumsum([0] + rows_of)
        row_member = np.repeat(np.arange(len(member_pool)), rows_of)
        row_slot = np.concatenate([start[pool] + np.arange(n) for pool, n in zip(member_pool, rows_of)]) \
            if member_pool else np.zeros(0, dtype=int)
        slot_pool = np.repeat(np.arange(len(pools)), [len(p.values) for p in pools])
        observed = [start[i] + p.observed_slot if p.observed_slot >= 0 else -1 for i, p in enumerate(pools)]
        long = lambda xs: torch.as_tensor(np.asarray(xs, dtype=np.int64))  # noqa: E731
        return Ragged(long(row_member), long(row_slot), long([row_start[m] + slot for m, slot, _, _ in entries]),
                      long(slot_pool), long(observed))

    def observed_log_probs(self, compiled: Compiled, alt_weights: Tensor, law_weights: Tensor) -> Tensor:
        """log p of each pool's observed value [pools]: the same pool as ``pool_log_probs``."""
        rows = self.row_member.numel()
        mix = torch.zeros(rows, dtype=DTYPE).index_add(
            0, self.entry_row, compiled.entry_prob * alt_weights[compiled.entry_alt])
        member_pool = compiled.member_pool
        size = compiled.pool_size[member_pool][self.row_member]
        log_q = torch.log((1 - FLOOR) * mix + FLOOR / size)
        w = law_weights[compiled.member_law]
        total = torch.zeros(len(compiled.pools), dtype=DTYPE).index_add(0, member_pool, w)
        alpha = (w / total[member_pool])[self.row_member]
        pooled = torch.zeros(self.slot_pool.numel(), dtype=DTYPE).index_add(0, self.row_slot, alpha * log_q)
        # Pooled values lie between log(FLOOR / |D|) and 0, so exponentiating needs no shift.
        log_other = math.log(FLOOR) - torch.log(compiled.pool_size)
        others = compiled.pool_size - compiled.pool_explicit
        mass = torch.zeros(len(compiled.pools), dtype=DTYPE).index_add(0, self.slot_pool, torch.exp(pooled)) \
            + others * torch.exp(log_other)
        log_z = torch.log(mass)
        seen = self.observed_slot >= 0
        observed = torch.where(seen, pooled[self.observed_slot.clamp(min=0)], log_other)
        return observed - log_z


def compile_transitions(laws: list[Law], alts: AltTable, items: list[tuple[WorldState, str, WorldState | None]],
                        seen: Callable[[list[Activation]], None] | None = None,
                        activator: Callable[[Scene], list[Activation]] | None = None) -> Compiled:
    """Evaluate every law once per transition and lay the result out as tensors.

    With a next state, attributes of entities that are gone in it are left out (they are
    marginalised) and the frame statistics are counted; without one (for sampling) only the
    pools are built. ``seen`` is given each transition's law instances that fired, in order
    (they are not kept: a long life's would not fit in memory). ``activator`` finds them
    (``onelife.plan.Plan.activate``); by default the interpreter tries every binding.
    """
    pools: list[Pool] = []
    member_pool: list[int] = []
    member_law: list[int] = []
    entries: list[tuple[int, int, int, float]] = []  # member, slot, alt, probability
    frame_unchanged = np.zeros((len(items), len(FAMILIES)))
    frame_changed = np.zeros((len(items), len(FAMILIES)))
    frame_const = np.zeros(len(items))
    # Many futures of one (state, action) (candidates to rank, samples to score) share its laws.
    routed: dict[tuple[int, str], tuple[list[Activation], dict[Key, list[tuple[Activation, Any]]], set[Key]]] = {}
    for t, (state, action, next_state) in enumerate(items):
        if (id(state), action) not in routed:
            scene = Scene(state, action)
            found = activate(laws, scene) if activator is None else activator(scene)
            by_key = grouped_statements(found)
            routed[id(state), action] = (found, by_key, spoken_keys(by_key))
        activations, grouped, spoken = routed[id(state), action]
        if seen is not None:
            seen(activations)
        born = births(state, next_state) if next_state is not None else {}
        for key, members in grouped.items():
            if next_state is not None and any(k[0] not in ("material", "born") and k[1] != "alive"
                                              and k[0] not in next_state.objects for k in member_keys(key)):
                continue  # the entity is gone: its other attributes are marginalised
            pool = Pool(t, key, members[0][1].domain)
            slot_of: dict[Any, int] = {}
            for activation, statement in members:
                member = len(member_law)
                member_pool.append(len(pools))
                member_law.append(activation.law_index)
                base = alts.offsets[activation.law_index][statement.effect]
                for k, dist in enumerate(statement.alternatives):
                    for value, probability in dist.items():
                        slot = slot_of.setdefault(value, len(slot_of))
                        entries.append((member, slot, base + k, probability))
            pool.values = list(slot_of)
            if next_state is not None:
                value = checked_observation(key, pool.domain, state, next_state, born)
                pool.observed_slot = slot_of.get(value, -1)
            pools.append(pool)
        if next_state is not None:
            tally = FrameTally(frame_unchanged[t], frame_changed[t])
            count_frame(state, next_state, born, spoken, tally)
            frame_const[t] = tally.const
    return assemble(pools, member_pool, member_law, entries, frame_unchanged, frame_changed, frame_const)


def assemble(pools: list[Pool], member_pool: list[int], member_law: list[int],
             entries: list[tuple[int, int, int, float]], frame_unchanged: np.ndarray,
             frame_changed: np.ndarray, frame_const: np.ndarray) -> Compiled:
    """Pools, their members (pool, law) and entries (member, slot, alt, probability), and each
    transition's frame counts, as the tensors of a ``Compiled``."""
    slots = max((len(p.values) for p in pools), default=1)
    long = lambda xs: torch.tensor(xs, dtype=torch.long)  # noqa: E731
    return Compiled(
        len(frame_const), pools, slots,
        long([p.transition for p in pools]),
        torch.tensor([float(p.domain.size) for p in pools], dtype=DTYPE),
        torch.tensor([float(len(p.values)) for p in pools], dtype=DTYPE),
        long([p.observed_slot for p in pools]),
        long(member_pool), long(member_law),
        long([m * slots + s for m, s, _, _ in entries]), long([e[2] for e in entries]),
        torch.tensor([e[3] for e in entries], dtype=DTYPE),
        torch.tensor(frame_unchanged, dtype=DTYPE), torch.tensor(frame_changed, dtype=DTYPE),
        torch.tensor(frame_const, dtype=DTYPE), Ragged.build(pools, member_pool, entries))


def grouped_statements(found: list[Activation]) -> dict[Key, list[tuple[Activation, Any]]]:
    """Each attribute's statements (a joint outcome's under its joint key). A joint outcome
    whose attribute another statement of the step also speaks about (two skeletons aiming
    into one chunk) falls back to its members' own chances, each pooled with the others."""
    pools_of: dict[Key, set[Key]] = defaultdict(set)  # attribute -> the pool keys speaking about it
    for activation in found:
        for statement in activation.statements:
            for member in member_keys(statement.key):
                pools_of[member].add(statement.key)
    by_key: dict[Key, list[tuple[Activation, Any]]] = defaultdict(list)
    for activation in found:
        for statement in activation.statements:
            shared = statement.key[0] == "joint" and any(len(pools_of[m]) > 1 for m in member_keys(statement.key))
            for part in (members_alone(statement) if shared else (statement,)):
                by_key[part.key].append((activation, part))
    return by_key


def members_alone(joint: Statement) -> tuple[Statement, ...]:
    """A joint outcome's members as statements of their own: each takes its new value with the
    joint's chance (its first alternative) and keeps its current one otherwise."""
    (new,), (old,) = (tuple(dist) for dist in joint.alternatives)
    return tuple(Statement(key, joint.effect, part, (Dist({new[i]: 1.0}), Dist({old[i]: 1.0})))
                 for i, (key, part) in enumerate(zip(member_keys(joint.key), joint.domain.parts)))  # type: ignore[union-attr]


def member_keys(key: Key) -> tuple[Key, ...]:
    """The attributes a pool's key stands for: a joint outcome's members, or the key itself."""
    return key[1] if key[0] == "joint" else (key,)


def spoken_keys(grouped: dict[Key, list[tuple[Activation, Any]]]) -> set[Key]:
    """Every attribute some pool covers (``grouped_statements`` keeps the pools disjoint)."""
    return {member for key in grouped for member in member_keys(key)}
