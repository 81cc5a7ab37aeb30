"""SubPO: set functions are monotone submodular, the grid optimum is exact, and SubPO reaches it."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from planners import subpo
from planners.small_problems import Coverage, CoverageGrid, optimal_coverage

BOUND = 1 - 1 / math.e


# --- set functions: direct formulas, monotonicity, submodularity -----------------------------

def coverage_pool(draw: st.DrawFn) -> tuple[subpo.SetFunction, list[np.ndarray]]:
    n = draw(st.integers(1, 12))
    weights = np.array(draw(st.lists(st.floats(0, 10), min_size=n, max_size=n)))
    elements = draw(st.lists(st.sets(st.integers(0, n - 1), max_size=n), min_size=1, max_size=8))
    return subpo.WeightedCoverage(weights), [np.array(sorted(e), dtype=int) for e in elements]


def demand_pool(draw: st.DrawFn) -> tuple[subpo.SetFunction, list[np.ndarray]]:
    k = draw(st.integers(1, 5))
    demands = np.array(draw(st.lists(st.integers(0, 4), min_size=k, max_size=k)), dtype=float)
    counts = st.lists(st.integers(0, 3), min_size=k, max_size=k).map(lambda c: np.array(c, dtype=float))
    return subpo.DemandCoverage(demands), draw(st.lists(counts, min_size=1, max_size=8))


def logdet_pool(draw: st.DrawFn) -> tuple[subpo.SetFunction, list[np.ndarray]]:
    d = draw(st.integers(1, 4))
    noise = draw(st.floats(0.3, 3))
    vector = st.lists(st.floats(-3, 3), min_size=d, max_size=d).map(np.array)
    return subpo.LogDeterminant(d, noise), draw(st.lists(vector, min_size=1, max_size=8))


POOLS = {"coverage": coverage_pool, "demands": demand_pool, "logdet": logdet_pool}


@st.composite
def function_and_sets(draw: st.DrawFn, pool: str) -> tuple[subpo.SetFunction, list, list, list]:
    """A set function, its ground elements, a chain A ⊆ B of index sets and one more element x ∉ B."""
    function, elements = POOLS[pool](draw)
    indices = list(range(len(elements)))
    b = draw(st.sets(st.sampled_from(indices)))
    a = draw(st.sets(st.sampled_from(sorted(b)))) if b else set()
    outside = sorted(set(indices) - b)
    x = draw(st.sampled_from(outside)) if outside else None
    return function, elements, sorted(a), (sorted(b), x)


def summary_of(function: subpo.SetFunction, elements: list) -> object:
    summary = function.empty()
    for element in elements:
        summary = function.add(summary, element)
    return summary


@pytest.mark.parametrize("pool", sorted(POOLS))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_every_objective_is_monotone_and_submodular(pool: str, data: st.DataObject) -> None:
    function, elements, a, (b, x) = data.draw(function_and_sets(pool))
    tolerance = 1e-9 * (1 + function.value(elements))
    a_summary = summary_of(function, [elements[i] for i in a])
    b_summary = summary_of(function, [elements[i] for i in b])
    assert function.value([elements[i] for i in a]) <= function.value([elements[i] for i in b]) + tolerance
    if x is not None:
        gain_a, gain_b = function.gain(a_summary, elements[x]), function.gain(b_summary, elements[x])
        assert gain_b >= -tolerance  # monotone: adding never hurts
        assert gain_a >= gain_b - tolerance  # diminishing returns: F_Δ(x | A) ≥ F_Δ(x | B)


@pytest.mark.parametrize("pool", sorted(POOLS))
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_marginal_gains_add_up_to_the_direct_formula_in_any_order(pool: str, data: st.DataObject) -> None:
    function, elements = POOLS[pool](data.draw)
    order = data.draw(st.permutations(range(len(elements))))
    if isinstance(function, subpo.WeightedCoverage):
        covered = set().union(*(set(e.tolist()) for e in elements))
        direct = float(sum(function.weights[u] for u in covered))
    elif isinstance(function, subpo.DemandCoverage):
        direct = float(np.minimum(np.sum(elements, axis=0), function.demands).sum())
    else:
        m = np.eye(function.dim) + sum(np.outer(e, e) for e in elements) / function.noise ** 2
        direct = float(np.linalg.slogdet(m)[1])
    assert function.value(elements) == pytest.approx(direct, rel=1e-9, abs=1e-9)
    assert function.value([elements[i] for i in order]) == pytest.approx(direct, rel=1e-9, abs=1e-9)


def test_set_functions_reject_inputs_that_break_monotonicity() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        subpo.WeightedCoverage(np.array([1.0, -0.5]))
    with pytest.raises(ValueError, match="non-negative"):
        subpo.DemandCoverage(np.array([-1.0]))
    with pytest.raises(ValueError, match="non-negative"):
        subpo.DemandCoverage(np.array([2.0])).gain(np.zeros(1), np.array([-1.0]))
    with pytest.raises(ValueError, match="noise > 0"):
        subpo.LogDeterminant(2, noise=0.0)


# --- trajectory objectives on the grid -------------------------------------------------------

def test_grid_moves_stay_on_the_grid_and_footprints_are_clipped() -> None:
    env = CoverageGrid(3, 2, horizon=4)
    rng = np.random.default_rng(0)
    assert env.step((0, 0), 2, rng) == (0, 0)  # up from the top row: stay
    assert env.step((0, 0), 4, rng) == (0, 1)  # down
    assert env.step((2, 1), 1, rng) == (2, 1)  # right from the right edge: stay
    assert sorted(env.footprint((0, 0))) == sorted(env.index(c) for c in [(0, 0), (1, 0), (0, 1), (1, 1)])
    assert list(env.footprint((2, 1))) == [env.index((2, 1))]


def test_marginal_gains_are_the_history_dependent_rewards() -> None:
    env = CoverageGrid(5, 5, horizon=4)
    coverage = Coverage(env)
    states = [(0, 0), (1, 0), (0, 0), (0, 1), (0, 1)]  # right, back, down, stay
    assert coverage.marginal_gains(states).tolist() == [2.0, 0.0, 2.0, 0.0]
    assert coverage.value(states) == 8.0
    assert coverage.modular_rewards(states).tolist() == [4.0, 4.0, 4.0, 4.0]  # repetitions count


def test_a_key_makes_repeated_states_count_once() -> None:
    env = CoverageGrid(4, 4, horizon=3)
    onehot = subpo.Objective(subpo.DemandCoverage(np.full(16, 2.0)),
                             lambda previous, state: env.features(state))
    once = subpo.Objective(onehot.function, onehot.element, key=lambda state: state)
    states = [(0, 0), (1, 0), (0, 0), (0, 0)]
    assert onehot.value(states) == 3.0  # a demand of 2 lets one repeat of (0, 0) count
    assert once.value(states) == 2.0


def test_coverage_rejects_weights_of_the_wrong_shape() -> None:
    with pytest.raises(ValueError, match=r"shape \(2, 3\), expected \(3, 2\)"):
        Coverage(CoverageGrid(3, 2, 4), weights=np.ones((2, 3)))


@pytest.mark.parametrize("width,height,horizon,start,weighted", [
    (3, 3, 4, (0, 0), False), (3, 4, 4, (1, 2), True), (4, 2, 3, (3, 1), True)])
def test_vectorised_optimum_equals_plain_enumeration(width: int, height: int, horizon: int,
                                                     start: tuple[int, int], weighted: bool) -> None:
    env = CoverageGrid(width, height, horizon, start)
    weights = np.random.default_rng(width * height).uniform(0, 3, (width, height)) if weighted else None
    coverage = Coverage(env, weights)
    rng = np.random.default_rng(0)

    def play(actions: tuple[int, ...]) -> float:
        states = [env.reset(rng)]
        for action in actions:
            states.append(env.step(states[-1], action, rng))
        return coverage.value(states)

    best, plan = optimal_coverage(coverage)
    assert best == pytest.approx(max(play(a) for a in itertools.product(range(5), repeat=horizon)))
    assert play(plan) == pytest.approx(best)


# --- SubPO on the paper's grid ---------------------------------------------------------------

GRID = dict(epochs=200, batch=64, lr=0.05, seed=0)
NATURAL = dict(epochs=200, batch=64, lr=0.05, seed=0, optimizer="natural", damping=0.1)


@pytest.fixture(scope="module")
def grid() -> tuple[CoverageGrid, Coverage, float]:
    env = CoverageGrid(5, 5, horizon=8, start=(0, 0))
    coverage = Coverage(env)
    return env, coverage, optimal_coverage(coverage)[0]


def test_subpo_reaches_the_brute_force_optimum_and_modular_pg_does_not(grid) -> None:
    env, coverage, best = grid
    ratios = {}
    for estimator in subpo.ESTIMATORS:
        policy = subpo.train(env, coverage, estimator=estimator, **GRID)
        ratios[estimator] = subpo.evaluate(policy, env, coverage, episodes=200, seed=1) / best
        print(f"{estimator:>12}: F/OPT = {ratios[estimator]:.3f}  (1 - 1/e = {BOUND:.3f})")
    assert ratios["reward_to_go"] >= 0.95
    assert ratios["myopic"] >= BOUND
    assert ratios["modular"] < BOUND  # repetition-counting rewards ignore what was already covered
    assert ratios["modular"] <= 0.6 * ratios["reward_to_go"]


def test_history_aware_policy_also_reaches_the_optimum(grid) -> None:
    env, coverage, best = grid
    policy = subpo.train(env, coverage, policy="history", **GRID)
    assert policy.history
    assert subpo.evaluate(policy, env, coverage, episodes=1, seed=1, greedy=True) >= 0.95 * best


def test_training_is_determined_by_the_seed_and_the_untrained_policy_is_uniform() -> None:
    env = CoverageGrid(4, 4, horizon=5)
    coverage = Coverage(env)
    first, again, other = (subpo.train(env, coverage, epochs=5, batch=8, seed=s) for s in (3, 3, 4))
    assert all(torch.equal(p, q) for p, q in zip(first.parameters(), again.parameters()))
    assert not all(torch.equal(p, q) for p, q in zip(first.parameters(), other.parameters()))
    uniform = subpo.SoftmaxPolicy.for_env(env)
    inputs = np.stack([env.features((x, 0)) for x in range(4)])[None]
    assert np.allclose(uniform(torch.from_numpy(inputs), slice(0, 1)).exp().detach().numpy(), 1 / 5)


def test_training_rejects_unknown_choices_by_name() -> None:
    env = CoverageGrid(3, 3, horizon=2)
    coverage = Coverage(env)
    with pytest.raises(ValueError, match="unknown estimator 'greedy'"):
        subpo.train(env, coverage, estimator="greedy")
    with pytest.raises(ValueError, match="unknown policy 'lstm'"):
        subpo.train(env, coverage, policy="lstm")
    with pytest.raises(ValueError, match="batch >= 2"):
        subpo.train(env, coverage, batch=1)
    with pytest.raises(ValueError, match="unknown optimizer 'sgd'"):
        subpo.train(env, coverage, optimizer="sgd")
    with pytest.raises(ValueError, match="damping > 0"):
        subpo.train(env, coverage, optimizer="natural", damping=0.0)


# --- the natural-gradient variant ------------------------------------------------------------

@settings(max_examples=50, deadline=None)
@given(n=st.integers(1, 8), seed=st.integers(0, 2 ** 16))
def test_conjugate_gradient_solves_positive_definite_systems(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    root = rng.normal(size=(n, n))
    matrix = torch.from_numpy(root @ root.T + 0.5 * np.eye(n))
    b = torch.from_numpy(rng.normal(size=n))
    x = subpo.conjugate_gradient(lambda v: matrix @ v, b, iterations=4 * n)
    assert torch.allclose(matrix @ x, b, atol=1e-6)


@pytest.mark.parametrize("history,stationary", [(False, False), (True, False), (False, True)])
def test_natural_step_solves_the_damped_fisher_of_the_batch_scores(history: bool, stationary: bool) -> None:
    env = CoverageGrid(3, 2, horizon=3)
    pi = subpo.SoftmaxPolicy.for_env(env, history=history, stationary=stationary)
    with torch.no_grad():  # a non-uniform policy, so the scores differ between actions
        for p in pi.parameters():
            p.copy_(torch.from_numpy(np.random.default_rng(1).normal(size=p.shape)))
    _, inputs, actions = subpo.rollout(pi, env, batch=4, rng=np.random.default_rng(2))
    inputs_t, actions_t = torch.from_numpy(inputs), torch.from_numpy(actions)
    params = list(pi.parameters())
    scores = []  # one score vector ∇log π(a_t | s_t) per step of each episode, formed explicitly
    for t, b in itertools.product(range(env.horizon), range(4)):
        chosen = pi(inputs_t)[t, b, actions_t[t, b]]
        scores.append(torch.cat([g.reshape(-1) for g in torch.autograd.grad(chosen, params)]))
    scores = torch.stack(scores)
    damping, kl = 0.1, 0.05
    fisher = scores.T @ scores / 4 + damping * torch.eye(scores.shape[1], dtype=torch.float64)
    gradient = torch.from_numpy(np.random.default_rng(3).normal(size=scores.shape[1]))
    step = subpo.natural_step(pi, inputs_t, actions_t, gradient, kl, damping, iterations=200)
    exact = torch.linalg.solve(fisher, gradient)
    assert torch.allclose(step / step.norm(), exact / exact.norm(), atol=1e-6)
    assert float(step @ fisher @ step) / 2 == pytest.approx(kl, rel=1e-6)


def test_natural_gradient_subpo_reaches_the_optimum_and_modular_does_not(grid) -> None:
    env, coverage, best = grid
    ratios = {estimator: subpo.evaluate(subpo.train(env, coverage, estimator=estimator, **NATURAL),
                                        env, coverage, episodes=200, seed=1) / best
              for estimator in ("reward_to_go", "modular")}
    assert ratios["reward_to_go"] >= 0.95
    assert ratios["modular"] < BOUND
