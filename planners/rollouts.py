"""Rollout planning: run a policy in a world model, estimate its value, rank strategies.

A strategy is a sequence of options (see ``crafter_oo.skills.options``). Its value in a state is
the mean return of ``n`` rollouts of ``horizon`` steps in a model, with the standard error
of that mean. All strategies of one ranking share their random numbers (rollout ``i`` of
every strategy draws from the same seed), so differences between strategies are not
drowned by chance. A strategy that ends before the horizon waits (``noop``) for the rest,
so every strategy is judged over the same stretch of time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Mapping, Protocol, Sequence

import numpy as np

from crafter_oo.state import WorldState
from crafter_oo.skills.options import Chain, Option
from planners.rewards import Reward, crafter_reward, player_dead
from worldmodel import Action, Sampler


class Agent(Protocol):
    """Anything that picks actions from states; ``None`` means it has nothing more to do."""

    def act(self, state: WorldState) -> Action | None:
        ...


@dataclass(frozen=True, slots=True)
class Run:
    """Where a run ended, its (discounted) return, its length and whether the player lived."""

    state: WorldState
    value: float
    steps: int
    alive: bool


@dataclass(frozen=True, slots=True)
class Estimate:
    """A strategy's estimated value: mean return over rollouts and its standard error."""

    name: str
    mean: float
    stderr: float
    values: tuple[float, ...]


def run(model: Sampler, state: WorldState, agent: Agent, steps: int, rng: np.random.Generator,
        reward: Reward = crafter_reward, discount: float = 1.0, then: Action | None = "noop",
        on_step: Callable[[WorldState, Action, WorldState], None] | None = None) -> Run:
    """Let ``agent`` act in ``model`` for up to ``steps`` steps, stopping early if the player dies.

    When the agent returns ``None`` the run goes on with the action ``then``, or stops if
    ``then`` is ``None``. ``on_step`` sees every transition (for printing, recording).
    """
    value, weight = 0.0, 1.0
    for taken in range(steps):
        if player_dead(state):
            return Run(state, value, taken, False)
        action = agent.act(state)
        if action is None:
            if then is None:
                return Run(state, value, taken, True)
            action = then
        next_state = model.sample(state, action, rng)
        value += weight * reward(state, action, next_state)
        weight *= discount
        if on_step is not None:
            on_step(state, action, next_state)
        state = next_state
    return Run(state, value, steps, not player_dead(state))


def as_option(policy: Option | Sequence[Option]) -> Option:
    """A single option for a strategy given as one option or a sequence of them."""
    return policy if isinstance(policy, Option) else Chain(tuple(policy))


def rollout_value(model: Sampler, state: WorldState, policy: Option | Sequence[Option],
                  horizon: int, n: int, seed: int, reward: Reward = crafter_reward,
                  discount: float = 1.0, name: str | None = None) -> Estimate:
    """Mean and standard error of the return of ``policy`` over ``n`` rollouts in ``model``."""
    if horizon < 1 or n < 1:
        raise ValueError(f"rollout_value: horizon and n must be at least 1, got horizon={horizon}, n={n}")
    option = as_option(policy)
    values = tuple(run(model, state, option.fresh(), horizon, np.random.default_rng([seed, i]),
                       reward, discount).value for i in range(n))
    return Estimate(name or option.name, float(np.mean(values)), standard_error(values), values)


def rank_strategies(model: Sampler, state: WorldState,
                    strategies: Mapping[str, Option | Sequence[Option]], horizon: int, n: int,
                    seed: int, reward: Reward = crafter_reward, discount: float = 1.0) -> list[Estimate]:
    """Strategies from best to worst by estimated value (ties keep the given order)."""
    if not strategies:
        raise ValueError("rank_strategies: no strategies given")
    estimates = [rollout_value(model, state, policy, horizon, n, seed, reward, discount, name)
                 for name, policy in strategies.items()]
    return sorted(estimates, key=lambda estimate: -estimate.mean)


def standard_error(values: Sequence[float]) -> float:
    """Standard error of the mean (0 for a single value)."""
    if len(values) < 2:
        return 0.0
    return float(np.std(values, ddof=1) / math.sqrt(len(values)))


def mean_and_stderr(values: Sequence[float]) -> tuple[float, float]:
    """Mean and standard error of the mean (0 for a single value)."""
    return float(np.mean(values)), standard_error(values)


def best_pick_credit(truth: Sequence[Estimate], ranking: Sequence[Estimate]) -> float:
    """How often a ranking's top choice is truly best, breaking its ties uniformly at random.

    The truly best strategies are those with the highest true mean; if the ranking ties
    ``k`` strategies at its top, each counts ``1/k``.
    """
    true_best = _top(truth)
    picked = _top(ranking)
    return len(picked & true_best) / len(picked)


def pairwise_agreement(truth: Sequence[Estimate], ranking: Sequence[Estimate]) -> float:
    """Share of strategy pairs with different true values that the ranking orders the same way.

    A tie in the ranking counts one half. Returns NaN when every true value is equal.
    """
    true_mean = {estimate.name: estimate.mean for estimate in truth}
    model_mean = {estimate.name: estimate.mean for estimate in ranking}
    if set(true_mean) != set(model_mean):
        raise ValueError(f"rankings cover different strategies: {sorted(true_mean)} vs {sorted(model_mean)}")
    names = list(true_mean)
    scores = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if true_mean[a] == true_mean[b]:
                continue
            same = (true_mean[a] - true_mean[b]) * (model_mean[a] - model_mean[b])
            scores.append(0.5 if same == 0 else float(same > 0))
    return float(np.mean(scores)) if scores else math.nan


def _top(ranking: Sequence[Estimate]) -> set[str]:
    best = max(estimate.mean for estimate in ranking)
    return {estimate.name for estimate in ranking if estimate.mean == best}
