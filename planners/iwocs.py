"""IWOCS: robust planning over a set of plausible world models.

Zouitine, Geist, Rachelson, "Solving robust MDPs as a sequence of static RL problems"
(arXiv 2410.06212). Nature picks one transition model T from an uncertainty set for the
whole episode (the static model). Incremental Worst-Case Search grows a finite set of
models {T_0, ..., T_i}: solve each with an ordinary (non-robust) solver, act greedily on
Q_i = min_j Q*_{T_j}, find the model T_{i+1} on which that policy π_i does worst, add it,
and stop when the upper bound min_j V*_{T_j}(s0) meets the lower bound V^{π_i}_{T_{i+1}}(s0).

Two instantiations of the one loop (``incremental_worst_case_search``):

- ``solve_tabular``: an sa-rectangular tabular set, ``P`` [S, A, K, S] (K vertices per
  state-action pair), ``R`` [S, A]. Every step is exact (value iteration). Its policy step
  plays the robust policy of the found models' sa-rectangular closure (the vertices they
  use per (s, a)): greedy on min_j Q*_{T_j} can stall with a gap on a set that already
  holds its own worst case, whereas the closure's robust policy cannot, so the result
  equals ``robust_value_iteration``.
- ``solve``: any ``worldmodel.Sampler`` with ``posterior_samples``; the set is a finite
  ensemble of posterior samples, the solver is any planner giving Q-values
  (``rollout_solver``, ``expectimax_solver`` or one of yours), and the worst-case search
  evaluates π_i on every candidate with common random numbers. Here the bounds are
  estimates. ``plan_once`` makes a solver commit to its plan per state, so scoring a
  policy costs acting, not re-planning. With a learned Crafter model, plan over
  strategies rather than primitive actions (``planners.option_model.OptionModel``). With a
  ``Box``, the set also holds every model whose chosen sites lie within a box of
  posterior standard deviations around the posterior's centre, and each worst-case
  search runs CMA-ES over that box as well (the paper's deep variant).
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np

from cmaes import CMA

from worldmodel import Action, HasNextDistribution, HasPosterior, HasPosteriorCoordinates, Sampler

State = Any  # a WorldState for Crafter; any hashable value for small abstract models
Reward = Callable[[State, Action, State], float]  # r(s, a, s') of one transition
FIXED_POINT = 1e-12  # value iteration stops once no value moves more than this (relative)


# --------------------------------------------------------------------------------------
# The IWOCS meta-algorithm (the paper's Algorithm 1), shared by both instantiations.
# --------------------------------------------------------------------------------------

def incremental_worst_case_search(first_model: Any,
                                  solve_static: Callable[[Any], tuple[Any, float]],
                                  greedy: Callable[[list[Any], list[Any]], Any],
                                  worst_case: Callable[[Any], tuple[Any, float]],
                                  key: Callable[[Any], Hashable],
                                  tol: float, max_models: int,
                                  progress: Callable[[int, float, float], None] | None = None,
                                  ) -> tuple[Any, float, list[Any], list[tuple[float, float]]]:
    """Grow the model set until the bounds meet; return (policy, value, models, bounds).

    ``solve_static(T)`` gives (Q*_T, V*_T(s0)); ``greedy([T_0..], [Q*_T_0..])`` the policy
    for the models found so far (the paper's: greedy on the minimum of their Q*); ``worst_case(π)`` gives (argmin_T V^π_T(s0), that value). The returned
    policy is the one with the best worst case seen, and ``value`` is that worst case.
    """
    if max_models < 1:
        raise ValueError(f"max_models must be at least 1, got {max_models}")
    models, q_stars, v_stars = [first_model], [], []
    bounds: list[tuple[float, float]] = []
    best_policy, best_value = None, -np.inf
    while True:
        q_star, v_star = solve_static(models[-1])   # Q*_{T_i}, V*_{T_i}(s0)
        q_stars.append(q_star)
        v_stars.append(v_star)
        policy = greedy(list(models), list(q_stars))  # π_i, e.g. greedy(min_j Q*_{T_j})
        worst, lower = worst_case(policy)          # T_{i+1} = argmin_T V^{π_i}_T(s0)
        upper = min(v_stars)                       # min_j V*_{T_j}(s0) ≥ robust value ≥ lower
        bounds.append((upper, lower))
        if progress is not None:
            progress(len(models), upper, lower)
        if lower > best_value:
            best_policy, best_value = policy, lower
        known = {key(model) for model in models}
        if upper - lower <= tol or key(worst) in known or len(models) >= max_models:
            return best_policy, best_value, models, bounds
        models.append(worst)


# --------------------------------------------------------------------------------------
# Tabular sa-rectangular robust MDPs: P [S, A, K, S], R [S, A].
# --------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class IwocsResult:
    """What ``solve_tabular`` found.

    ``policy`` [S]: an action per state; ``value``: its worst-case value at s0 (the robust
    value once the bounds meet); ``models``: the static models T_j found, each a vertex
    index per (s, a), shape [S, A]; ``bounds``: (upper, lower) per iteration.
    """

    policy: np.ndarray
    value: float
    models: list[np.ndarray]
    bounds: list[tuple[float, float]]


def check_rmdp(P: np.ndarray, R: np.ndarray, gamma: float) -> None:
    """Raise ``ValueError`` naming the field unless (P, R, gamma) is a tabular robust MDP."""
    if P.ndim != 4 or P.shape[0] != P.shape[3]:
        raise ValueError(f"P must have shape [S, A, K, S], got {P.shape}")
    if R.shape != P.shape[:2]:
        raise ValueError(f"R must have shape [S, A] = {P.shape[:2]}, got {R.shape}")
    if (P < 0).any() or not np.allclose(P.sum(axis=3), 1.0, atol=1e-9):
        raise ValueError("P[s, a, k] must be a probability distribution over next states for every s, a, k")
    if not 0.0 <= gamma < 1.0:
        raise ValueError(f"gamma must be in [0, 1), got {gamma}")


def _fixed_point(update: Callable[[np.ndarray], np.ndarray], size: int, iters: int) -> np.ndarray:
    """Iterate a γ-contraction from zero until it stops moving or ``iters`` runs out."""
    value = np.zeros(size)
    for _ in range(iters):
        new = update(value)
        moved = np.max(np.abs(new - value))
        value = new
        if moved <= FIXED_POINT * (1.0 + np.max(np.abs(value))):
            break
    return value


def robust_value_iteration(P: np.ndarray, R: np.ndarray, gamma: float,
                           iters: int = 10_000) -> tuple[np.ndarray, np.ndarray]:
    """The reference: V(s) = max_a [R(s, a) + γ min_k P(·|s, a, k)·V]; returns (V, policy)."""
    check_rmdp(P, R, gamma)
    value = _fixed_point(lambda v: np.max(R + gamma * np.min(P @ v, axis=2), axis=1), P.shape[0], iters)
    return value, np.argmax(R + gamma * np.min(P @ value, axis=2), axis=1)


def static_model(P: np.ndarray, choice: np.ndarray) -> np.ndarray:
    """The transition model T [S, A, S] that picks vertex ``choice[s, a]`` everywhere."""
    S, A = choice.shape
    return P[np.arange(S)[:, None], np.arange(A)[None, :], choice]


def optimal_q(T: np.ndarray, R: np.ndarray, gamma: float, iters: int = 10_000) -> np.ndarray:
    """Q*_T by value iteration on one ordinary MDP (the paper's 'static RL problem')."""
    value = _fixed_point(lambda v: np.max(R + gamma * (T @ v), axis=1), T.shape[0], iters)
    return R + gamma * (T @ value)


def worst_case_model(P: np.ndarray, R: np.ndarray, gamma: float, policy: np.ndarray,
                     iters: int = 10_000) -> tuple[np.ndarray, np.ndarray]:
    """argmin_T V^π_T and V^π of it, exactly: value iteration of nature over the K vertices.

    For a fixed policy the adversary faces an MDP whose actions are the vertices at
    (s, π(s)); its optimal stationary choice is a static model of the set. Off-policy
    pairs get the vertex that is worst against that value too.
    """
    S = P.shape[0]
    on_policy_P, on_policy_R = P[np.arange(S), policy], R[np.arange(S), policy]  # [S, K, S], [S]
    value = _fixed_point(lambda v: on_policy_R + gamma * np.min(on_policy_P @ v, axis=1), S, iters)
    return np.argmin(P @ value, axis=2), value


def closure_robust_policy(P: np.ndarray, R: np.ndarray, gamma: float, models: list[np.ndarray],
                          iters: int = 10_000) -> np.ndarray:
    """The robust policy over the sa-rectangular closure of ``models``: at each (s, a) nature
    may pick any vertex one of the found static models uses there."""
    S, A, K, _ = P.shape
    allowed = np.zeros((S, A, K), dtype=bool)
    for choice in models:
        allowed[np.arange(S)[:, None], np.arange(A)[None, :], choice] = True

    def backup(v: np.ndarray) -> np.ndarray:
        return R + gamma * np.min(np.where(allowed, P @ v, np.inf), axis=2)

    value = _fixed_point(lambda v: np.max(backup(v), axis=1), S, iters)
    return np.argmax(backup(value), axis=1)


def solve_tabular(P: np.ndarray, R: np.ndarray, gamma: float, s0: int, tol: float = 1e-6,
                  max_models: int = 50, iters: int = 10_000, first_model: np.ndarray | None = None,
                  ) -> IwocsResult:
    """IWOCS on an sa-rectangular tabular set, starting from ``first_model`` (default vertex 0)."""
    check_rmdp(P, R, gamma)
    S, A, K, _ = P.shape
    if not 0 <= s0 < S:
        raise ValueError(f"s0 must be a state in [0, {S}), got {s0}")
    first = np.zeros((S, A), dtype=np.int64) if first_model is None else np.asarray(first_model, dtype=np.int64)
    if first.shape != (S, A) or (first < 0).any() or (first >= K).any():
        raise ValueError(f"first_model must be a vertex index in [0, {K}) per (s, a), shape {(S, A)}")

    def solve_static(choice: np.ndarray) -> tuple[np.ndarray, float]:
        q = optimal_q(static_model(P, choice), R, gamma, iters)
        return q, float(q[s0].max())

    def greedy(models: list[np.ndarray], q_stars: list[np.ndarray]) -> np.ndarray:
        return closure_robust_policy(P, R, gamma, models, iters)

    def worst_case(policy: np.ndarray) -> tuple[np.ndarray, float]:
        choice, value = worst_case_model(P, R, gamma, policy, iters)
        return choice, float(value[s0])

    policy, value, models, bounds = incremental_worst_case_search(
        first, solve_static, greedy, worst_case, lambda choice: choice.tobytes(), tol, max_models)
    return IwocsResult(policy, value, models, bounds)


# --------------------------------------------------------------------------------------
# Any Sampler with posterior samples: the set is a finite ensemble of plausible models.
# --------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Problem:
    """A finite-horizon planning problem: total ``reward`` over ``horizon`` steps."""

    reward: Reward
    horizon: int
    actions: tuple[Action, ...]
    is_terminal: Callable[[State], bool]


def make_problem(reward: Reward, horizon: int, actions: Sequence[Action],
                 is_terminal: Callable[[State], bool] | None = None) -> Problem:
    """A ``Problem`` over the given ``actions``; without ``is_terminal``, episodes end at the horizon."""
    if horizon < 1:
        raise ValueError(f"horizon must be >= 1, got {horizon}")
    if not actions:
        raise ValueError("a problem needs at least one action")
    return Problem(reward, horizon, tuple(actions), is_terminal if is_terminal is not None else never_terminal)


QFunction = Callable[[State, int, np.random.Generator], np.ndarray]  # (s, steps left, rng) -> Q[a]
Solver = Callable[[Sampler, Problem], QFunction]                    # plans in one model


def never_terminal(state: State) -> bool:
    """The default: episodes only end at the horizon."""
    return False


def rollout_solver(n_rollouts: int = 8, depth: int = 10) -> Solver:
    """Q(s, a) as the mean return of ``n_rollouts`` samples: a, then uniform random actions.

    Works on any model (only ``sample`` is used); looks at most ``depth`` steps ahead.
    """
    if n_rollouts < 1 or depth < 1:
        raise ValueError(f"rollout_solver needs n_rollouts >= 1 and depth >= 1, got {n_rollouts}, {depth}")

    def solver(model: Sampler, problem: Problem) -> QFunction:
        def q(state: State, steps_left: int, rng: np.random.Generator) -> np.ndarray:
            values = np.zeros(len(problem.actions))
            for a, action in enumerate(problem.actions):
                for _ in range(n_rollouts):
                    values[a] += _random_rollout(model, problem, state, action, min(depth, steps_left), rng)
            return values / n_rollouts
        return q
    return solver


def plan_once(solver: Solver, seed: int) -> Solver:
    """``solver`` computing Q once per (state, steps left), from a generator seeded by ``seed``.

    A planner that commits to its plan: every scored episode starts from the same state,
    and a revisit reuses the Q-values instead of re-planning, so a policy is one fixed
    decision rule, deterministic given ``seed`` and scored at the cost of acting alone.
    """
    def committed(model: Sampler, problem: Problem) -> QFunction:
        q = solver(model, problem)
        memo: list[tuple[State, int, np.ndarray]] = []

        def cached(state: State, steps_left: int, rng: np.random.Generator) -> np.ndarray:
            for seen, left, values in memo:
                if left == steps_left and (seen is state or seen == state):
                    return values
            values = q(state, steps_left, np.random.default_rng([seed, len(memo)]))
            memo.append((state, steps_left, values))
            return values
        return cached
    return committed


def _random_rollout(model: Sampler, problem: Problem, state: State, action: Action, steps: int,
                    rng: np.random.Generator) -> float:
    """Return of ``action`` then uniform random actions for ``steps`` steps in total."""
    total = 0.0
    for _ in range(steps):
        if problem.is_terminal(state):
            break
        next_state = model.sample(state, action, rng)
        total += problem.reward(state, action, next_state)
        state, action = next_state, problem.actions[rng.integers(len(problem.actions))]
    return total


def expectimax_solver(model: Sampler, problem: Problem) -> QFunction:
    """Exact finite-horizon Q* by enumerating successors (``HasNextDistribution``, hashable states)."""
    if not isinstance(model, HasNextDistribution):
        raise TypeError(f"expectimax_solver needs a model with next_distribution, got {type(model).__name__}")
    memo: dict[tuple[State, int], np.ndarray] = {}

    def q(state: State, steps_left: int, rng: np.random.Generator | None = None) -> np.ndarray:
        if steps_left <= 0 or problem.is_terminal(state):
            return np.zeros(len(problem.actions))
        if (state, steps_left) not in memo:
            memo[state, steps_left] = np.array([
                sum(p * (problem.reward(state, action, s2) + q(s2, steps_left - 1).max())
                    for s2, p in model.next_distribution(state, action))
                for action in problem.actions])
        return memo[state, steps_left]
    return q


@dataclass(frozen=True, slots=True)
class GreedyPolicy:
    """Acts greedily on Q_i = min_j Q*_{T_j} (with one Q-function: the ordinary greedy policy)."""

    q_functions: tuple[QFunction, ...]
    actions: tuple[Action, ...]

    def q_values(self, state: State, steps_left: int, rng: np.random.Generator) -> np.ndarray:
        """min_j Q_j(state, ·)."""
        return np.min([q(state, steps_left, rng) for q in self.q_functions], axis=0)

    def __call__(self, state: State, steps_left: int, rng: np.random.Generator) -> Action:
        return self.actions[int(np.argmax(self.q_values(state, steps_left, rng)))]


def rollout_returns(policy: GreedyPolicy, model: Sampler, state: State, problem: Problem,
                    n_rollouts: int, seed: int) -> np.ndarray:
    """Returns of ``policy`` in ``model`` from ``state``; rollout r's randomness depends only on
    (seed, r), so different models see common random numbers."""
    returns = np.zeros(n_rollouts)
    for r in range(n_rollouts):
        model_rng, policy_rng = (np.random.default_rng(s) for s in np.random.SeedSequence([seed, r]).spawn(2))
        s = state
        for t in range(problem.horizon):
            if problem.is_terminal(s):
                break
            action = policy(s, problem.horizon - t, policy_rng)
            s2 = model.sample(s, action, model_rng)
            returns[r] += problem.reward(s, action, s2)
            s = s2
    return returns


@dataclass(frozen=True, slots=True)
class Box:
    """A box of plausible models around the posterior's centre, searched with CMA-ES.

    Every posterior coordinate of ``sites`` may lie within ±``radius`` posterior standard
    deviations (1.645: each coordinate's central 90% interval); other sites stay at the
    centre. A search runs ``generations`` CMA-ES generations of ``population`` models
    (default CMA-ES's own, 4 + 3 ln(dimensions)), starting from the centre.
    """

    sites: tuple[str, ...]
    radius: float = 1.645
    generations: int = 5
    population: int | None = None

    def __post_init__(self) -> None:
        if not self.sites or len(set(self.sites)) != len(self.sites):
            raise ValueError(f"Box: sites must be distinct and at least one, got {self.sites!r}")
        if not self.radius > 0 or self.generations < 1 or (self.population is not None and self.population < 2):
            raise ValueError(f"Box: needs radius > 0, generations >= 1 and population >= 2 (or None), got "
                             f"{self.radius}, {self.generations}, {self.population}")


def box_search(model: HasPosteriorCoordinates, box: Box, score: Callable[[Sampler], float],
               seed: int) -> tuple[Sampler, float, dict[str, list[float]]]:
    """The lowest-scoring model in ``box`` that CMA-ES finds: (model, score, its coordinates)."""
    sizes = model.coordinate_sizes()
    unknown = [site for site in box.sites if site not in sizes]
    if unknown:
        raise ValueError(f"Box: the model has no site {unknown}; it has {sorted(sizes)}")
    cuts = np.cumsum([sizes[site] for site in box.sites])[:-1]

    def coordinates(x: np.ndarray) -> dict[str, list[float]]:
        return {site: part.tolist() for site, part in zip(box.sites, np.split(x, cuts))}

    dims = sum(sizes[site] for site in box.sites)
    centre = np.zeros(dims)
    best_x, best_model = centre, model.at_coordinates(coordinates(centre))
    best_value = score(best_model)
    search = CMA(mean=centre, sigma=box.radius / 2, bounds=np.tile([-box.radius, box.radius], (dims, 1)),
                 seed=seed, population_size=box.population)
    for _ in range(box.generations):
        told = []
        for _ in range(search.population_size):
            x = search.ask()
            candidate = model.at_coordinates(coordinates(x))
            value = score(candidate)
            told.append((x, value))
            if value < best_value:
                best_x, best_model, best_value = x, candidate, value
        search.tell(told)
    return best_model, best_value, coordinates(best_x)


@dataclass(frozen=True, slots=True)
class RobustPlan:
    """What ``solve`` found.

    ``policy``: greedy on the minimum Q over the models found; ``value``: its estimated
    worst-case return over the candidates; ``candidates``: the members of the uncertainty
    set that were scored (the posterior samples, then any worst models a box search
    found); ``models``: indices into ``candidates`` of T_0, T_1, ... in the order found;
    ``bounds``: estimated (upper, lower) per iteration; ``candidate_returns``: the mean
    return of ``policy`` on each candidate; ``box_coordinates``: the coordinates of each
    box-found candidate, by index.
    """

    policy: GreedyPolicy
    value: float
    candidates: list[Sampler]
    models: list[int]
    bounds: list[tuple[float, float]]
    candidate_returns: np.ndarray
    box_coordinates: dict[int, dict[str, list[float]]]


def solve(model: Sampler, state: State, reward: Reward, horizon: int, n_models: int,
          solver: Solver | None = None, seed: int = 0, *, actions: Sequence[Action],
          is_terminal: Callable[[State], bool] | None = None, n_eval: int = 16,
          tol: float = 0.0, max_models: int | None = None, box: Box | None = None,
          progress: Callable[[int, float, float], None] | None = None) -> RobustPlan:
    """IWOCS over ``n_models`` posterior samples of ``model`` (and ``box``), planning from ``state``.

    ``actions`` are what the policy chooses among. Each iteration plans in the newest
    model with ``solver`` (default ``rollout_solver()``), then scores the greedy-on-min-Q
    policy on every candidate with ``n_eval`` rollouts under common random numbers; with a
    ``box``, CMA-ES also searches the box (same rollouts) and a box model scoring below
    every candidate joins the candidates as the next worst case.
    """
    if not isinstance(model, HasPosterior):
        raise TypeError(f"IWOCS needs a model with posterior_samples, got {type(model).__name__}")
    if box is not None and not isinstance(model, HasPosteriorCoordinates):
        raise TypeError(f"IWOCS with a box needs a model with at_coordinates, got {type(model).__name__}")
    if n_models < 1 or n_eval < 1:
        raise ValueError(f"n_models and n_eval must be >= 1, got {n_models}, {n_eval}")
    problem = make_problem(reward, horizon, actions, is_terminal)
    solver = solver if solver is not None else rollout_solver()
    seeds = np.random.SeedSequence(seed).spawn(4)
    candidates = model.posterior_samples(n_models, np.random.default_rng(seeds[0]))  # the set U
    plan_seed, eval_seed, box_seed = (int(s.generate_state(1)[0]) for s in seeds[1:])
    box_coordinates: dict[int, dict[str, list[float]]] = {}
    scored: list[tuple[GreedyPolicy, list[float]]] = []  # every π_i with its mean return per candidate

    def score(policy: GreedyPolicy, candidate: Sampler) -> float:
        return float(rollout_returns(policy, candidate, state, problem, n_eval, eval_seed).mean())

    def solve_static(j: int) -> tuple[QFunction, float]:
        q = solver(candidates[j], problem)
        return q, float(np.max(q(state, horizon, np.random.default_rng([plan_seed, j]))))

    def greedy(found: list[int], q_stars: list[QFunction]) -> GreedyPolicy:
        return GreedyPolicy(tuple(q_stars), problem.actions)

    def worst_case(policy: GreedyPolicy) -> tuple[int, float]:
        means = [score(policy, c) for c in candidates]
        if box is not None:
            search_seed = int(np.random.SeedSequence([box_seed, len(scored)]).generate_state(1)[0])
            found, value, where = box_search(model, box, lambda c: score(policy, c), search_seed)
            if value < min(means):
                box_coordinates[len(candidates)] = where
                candidates.append(found)
                means.append(value)
        scored.append((policy, means))
        worst = int(np.argmin(means))
        return worst, means[worst]

    policy, value, models, bounds = incremental_worst_case_search(
        0, solve_static, greedy, worst_case, lambda j: j, tol,
        n_models if max_models is None else max_models, progress)
    means = next(means for scored_policy, means in scored if scored_policy is policy)
    means = means + [score(policy, c) for c in candidates[len(means):]]  # box models found later
    return RobustPlan(policy, float(min(means)), candidates, models, bounds, np.array(means), box_coordinates)


def nominal_policy(model: Sampler, reward: Reward, horizon: int, solver: Solver | None = None, *,
                   actions: Sequence[Action],
                   is_terminal: Callable[[State], bool] | None = None) -> GreedyPolicy:
    """The non-robust baseline: greedy on Q* planned in ``model`` alone (e.g. the posterior mean)."""
    problem = make_problem(reward, horizon, actions, is_terminal)
    solver = solver if solver is not None else rollout_solver()
    return GreedyPolicy((solver(model, problem),), problem.actions)
