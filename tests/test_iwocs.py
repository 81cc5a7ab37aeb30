"""IWOCS: exact on tabular robust MDPs, and robust over posterior samples of a small model."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planners import iwocs
from planners.small_problems import WINDY_GRID_MOVES, windy_grid
from worldmodel import HasPosterior, Sampler, TrueModel, WorldModel

GAMMA = 0.95
SLACK = 1e-9  # value iteration stops at a relative fixed point of 1e-12


# ---------------------------------------------------------------- tabular: windy grid

@pytest.fixture(scope="module")
def grid():
    return windy_grid()


@pytest.fixture(scope="module")
def robust_values(grid):
    return iwocs.robust_value_iteration(grid.P, grid.R, GAMMA)[0]


def test_windy_grid_is_the_described_world(grid):
    assert grid.P.shape == (25, 4, 2, 25) and grid.R.shape == (25, 4)
    iwocs.check_rmdp(grid.P, grid.R, GAMMA)
    below_hole = 1 * grid.cols + 2
    right = list(WINDY_GRID_MOVES).index("right")
    # calm: the move lands; windy: pushed into the hole above the landing cell with p = 0.4
    assert grid.P[below_hole, right, 0, below_hole + 1] == 1.0
    assert grid.P[below_hole, right, 1, 3] == pytest.approx(0.4)
    assert (grid.R[grid.cols:grid.sink][np.arange(grid.cols, grid.sink) != grid.goal] == -1).all()
    assert (grid.R[:grid.cols] == -20).all() and (grid.P[:grid.cols, :, :, grid.sink] == 1).all()


def test_bounds_bracket_the_robust_value_and_upper_never_rises(grid, robust_values):
    result = iwocs.solve_tabular(grid.P, grid.R, GAMMA, grid.start)
    v = robust_values[grid.start]
    assert len(result.bounds) >= 2  # the nominal start is not already robust
    for upper, lower in result.bounds:
        assert lower - SLACK <= v <= upper + SLACK
    uppers = [upper for upper, _ in result.bounds]
    assert all(later <= earlier for earlier, later in zip(uppers, uppers[1:]))
    assert len(result.models) == len(result.bounds)


def test_final_value_equals_robust_value_iteration(grid, robust_values):
    result = iwocs.solve_tabular(grid.P, grid.R, GAMMA, grid.start)
    assert abs(result.value - robust_values[grid.start]) <= 1e-6
    upper, lower = result.bounds[-1]
    assert upper - lower <= 1e-6
    # the returned value is the returned policy's own worst case
    own_worst_case = iwocs.worst_case_model(grid.P, grid.R, GAMMA, result.policy)[1][grid.start]
    assert own_worst_case == pytest.approx(result.value)


def test_nominal_policy_worst_case_is_strictly_worse(grid, robust_values):
    calm = np.full(grid.P.shape[:2], grid.nominal)
    nominal = np.argmax(iwocs.optimal_q(iwocs.static_model(grid.P, calm), grid.R, GAMMA), axis=1)
    nominal_worst = iwocs.worst_case_model(grid.P, grid.R, GAMMA, nominal)[1][grid.start]
    result = iwocs.solve_tabular(grid.P, grid.R, GAMMA, grid.start)
    assert nominal_worst < result.value - 1.0


def test_worst_case_model_is_no_better_than_any_static_model(grid):
    policy = np.random.default_rng(3).integers(0, 4, size=grid.P.shape[0])
    choice, worst = iwocs.worst_case_model(grid.P, grid.R, GAMMA, policy)
    S = grid.P.shape[0]
    for seed in range(20):
        other = np.random.default_rng(seed).integers(0, 2, size=grid.P.shape[:2])
        T = iwocs.static_model(grid.P, other)[np.arange(S), policy]  # [S, S] under the policy
        value = np.linalg.solve(np.eye(S) - GAMMA * T, grid.R[np.arange(S), policy])
        assert (worst <= value + SLACK).all()
    T = iwocs.static_model(grid.P, choice)[np.arange(S), policy]
    assert np.allclose(np.linalg.solve(np.eye(S) - GAMMA * T, grid.R[np.arange(S), policy]), worst, atol=1e-8)


def test_bad_input_is_named():
    P = np.full((2, 1, 1, 2), 0.5)
    with pytest.raises(ValueError, match="R must have shape"):
        iwocs.solve_tabular(P, np.zeros((3, 1)), GAMMA, 0)
    with pytest.raises(ValueError, match="probability distribution"):
        iwocs.solve_tabular(np.full((2, 1, 1, 2), 0.7), np.zeros((2, 1)), GAMMA, 0)
    with pytest.raises(ValueError, match="gamma"):
        iwocs.robust_value_iteration(P, np.zeros((2, 1)), 1.0)
    with pytest.raises(ValueError, match="s0"):
        iwocs.solve_tabular(P, np.zeros((2, 1)), GAMMA, 5)


@st.composite
def rectangular_rmdps(draw):
    S, A, K = draw(st.integers(2, 6)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    P = rng.dirichlet(np.full(S, draw(st.sampled_from([0.2, 1.0]))), size=(S, A, K))
    return P, rng.uniform(-1, 1, size=(S, A)), draw(st.floats(0.3, 0.95)), draw(st.integers(0, S - 1))


@settings(max_examples=150, deadline=None)
@given(rectangular_rmdps())
def test_iwocs_equals_robust_value_iteration_on_random_rectangular_rmdps(rmdp):
    P, R, gamma, s0 = rmdp
    robust = iwocs.robust_value_iteration(P, R, gamma)[0][s0]
    result = iwocs.solve_tabular(P, R, gamma, s0)
    assert abs(result.value - robust) <= 1e-6
    for upper, lower in result.bounds:
        assert lower - SLACK <= robust <= upper + SLACK


# ---------------------------------------------------------------- generic: a bridge with an uncertain slip

HOLE, ROAD_STEPS, HORIZON = 20.0, 3, 5
TERMINAL = ("goal", "river")
ACTIONS = ("bridge", "road")


@dataclass(frozen=True)
class Bridge:
    """The bridge crosses in one step but slips into the river with probability ``slip``;
    the road takes three safe steps. Bridge: -1 - 20 slip; road: -3. Robust choice: road
    iff some plausible slip exceeds 0.1. The posterior on ``slip`` is Beta(alpha, beta)."""

    slip: float
    alpha: float = 1.0
    beta: float = 1.0

    def next_distribution(self, state: str, action: str) -> list[tuple[str, float]]:
        if state in TERMINAL:
            return [(state, 1.0)]
        if state == "start" and action == "bridge":
            return [("goal", 1.0 - self.slip), ("river", self.slip)]
        road = ["start", "road1", "road2", "goal"]
        return [(road[road.index(state) + 1], 1.0)]

    def sample(self, state: str, action: str, rng: np.random.Generator) -> str:
        u = rng.random()  # one uniform per step: a larger slip falls whenever a smaller one does
        for next_state, p in self.next_distribution(state, action):
            if u < p:
                return next_state
            u -= p
        return next_state

    def log_prob(self, state: str, action: str, next_state: str) -> float:
        p = dict(self.next_distribution(state, action)).get(next_state, 0.0)
        return float(np.log(p)) if p > 0 else -np.inf

    def posterior_samples(self, n: int, rng: np.random.Generator) -> list["Bridge"]:
        return [Bridge(float(rng.beta(self.alpha, self.beta))) for _ in range(n)]


def bridge_reward(state: str, action: str, next_state: str) -> float:
    return 0.0 if state in TERMINAL else -1.0 - (HOLE if next_state == "river" else 0.0)


def bridge_posterior(alpha: float, beta: float) -> Bridge:
    return Bridge(alpha / (alpha + beta), alpha, beta)  # point value: the posterior mean


def solve_bridge(model: Bridge, seed: int, solver: iwocs.Solver = iwocs.expectimax_solver,
                 n_eval: int = 64) -> iwocs.RobustPlan:
    return iwocs.solve(model, "start", bridge_reward, HORIZON, 8, solver, seed, actions=ACTIONS,
                       is_terminal=lambda s: s in TERMINAL, n_eval=n_eval)


def test_bridge_is_a_world_model_with_a_posterior():
    model = bridge_posterior(2, 30)
    assert isinstance(model, WorldModel) and isinstance(model, HasPosterior)


def test_iwocs_takes_the_road_when_a_plausible_slip_is_too_high():
    model = bridge_posterior(1.5, 28)  # posterior mean slip 0.05: the bridge looks best
    plan = solve_bridge(model, seed=5)
    slips = np.array([c.slip for c in plan.candidates])
    assert slips.max() > 0.1 > model.slip  # the case this test is about
    assert plan.policy("start", HORIZON, np.random.default_rng(0)) == "road"
    assert plan.value == -3.0  # the road is deterministic
    assert plan.bounds[-1] == (-3.0, -3.0)
    assert slips[plan.models[-1]] > 0.1  # the model that made the road necessary was found
    nominal = iwocs.nominal_policy(model, bridge_reward, HORIZON, iwocs.expectimax_solver, actions=ACTIONS,
                                   is_terminal=lambda s: s in TERMINAL)
    assert nominal("start", HORIZON, np.random.default_rng(0)) == "bridge"
    worst = plan.candidates[int(np.argmax(slips))]
    problem = iwocs.make_problem(bridge_reward, HORIZON, ACTIONS, lambda s: s in TERMINAL)
    returns = iwocs.rollout_returns(nominal, worst, "start", problem, 4000, seed=2)
    expected = -1.0 - HOLE * worst.slip
    assert abs(returns.mean() - expected) <= 4 * returns.std() / np.sqrt(len(returns))
    assert returns.mean() < plan.value  # nominal's worst case is strictly worse than IWOCS's


@settings(max_examples=25, deadline=None)
@given(st.floats(0.5, 4.0), st.floats(5.0, 80.0), st.integers(0, 10_000))
def test_iwocs_gives_the_robust_answer_for_any_bridge_posterior(alpha, beta, seed):
    plan = solve_bridge(bridge_posterior(alpha, beta), seed, n_eval=128)
    worst_slip = max(c.slip for c in plan.candidates)
    action = plan.policy("start", HORIZON, np.random.default_rng(0))
    assert plan.value == plan.candidate_returns.min()  # the value is the policy's estimated worst case
    # near the 0.1 threshold a Monte Carlo worst case may not tell bridge from road
    if worst_slip > 0.25:
        assert action == "road" and plan.value == -3.0
    elif worst_slip < 0.09:
        assert action == "bridge"
        # common random numbers: the estimated worst case is the largest slip's estimate
        slips = [c.slip for c in plan.candidates]
        assert plan.candidate_returns[int(np.argmax(slips))] == plan.candidate_returns.min()


def test_common_random_numbers_order_the_candidates_by_slip():
    plan = solve_bridge(bridge_posterior(2.0, 40.0), seed=0, n_eval=300)
    by_slip = plan.candidate_returns[np.argsort([c.slip for c in plan.candidates])]
    assert plan.policy("start", HORIZON, np.random.default_rng(0)) == "bridge"
    assert len(set(by_slip)) >= 4  # the estimates do tell the candidates apart
    assert (np.diff(by_slip) <= 0).all()  # a larger slip never scores better on the same draws


def test_rollout_solver_estimates_the_exact_q_values():
    model, problem = Bridge(0.3), iwocs.make_problem(bridge_reward, HORIZON, ACTIONS, lambda s: s in TERMINAL)
    exact = iwocs.expectimax_solver(model, problem)("start", HORIZON, np.random.default_rng(0))
    assert exact == pytest.approx([-1.0 - HOLE * 0.3, -3.0])
    estimate = iwocs.rollout_solver(n_rollouts=400, depth=HORIZON)(model, problem)("start", HORIZON,
                                                                                  np.random.default_rng(1))
    se = HOLE * np.sqrt(0.3 * 0.7 / 400)
    assert abs(estimate[0] - exact[0]) <= 4 * se and estimate[1] == -3.0


def test_iwocs_with_the_rollout_solver_avoids_a_dangerous_bridge():
    plan = solve_bridge(bridge_posterior(3.0, 12.0), seed=0, solver=iwocs.rollout_solver(64, HORIZON))
    assert plan.policy("start", HORIZON, np.random.default_rng(0)) == "road"
    assert plan.value == -3.0


def test_solve_needs_a_posterior():
    with pytest.raises(TypeError, match="posterior_samples"):
        iwocs.solve(TrueModel(), "start", bridge_reward, HORIZON, 2, actions=ACTIONS)


def test_a_problem_needs_its_actions():
    with pytest.raises(ValueError, match="at least one action"):
        iwocs.make_problem(bridge_reward, HORIZON, ())
    assert iwocs.make_problem(bridge_reward, HORIZON, ACTIONS).actions == ACTIONS


@dataclass(frozen=True)
class LogitBridge(Bridge):
    """A bridge whose posterior on the slip is logit-normal, logit(slip) ~ N(loc, scale²),
    so its plausible alternatives can be addressed by a coordinate (``HasPosteriorCoordinates``)."""

    loc: float = -3.2
    scale: float = 0.5

    def coordinate_sizes(self) -> dict[str, int]:
        return {"slip": 1}

    def at_coordinates(self, coordinates) -> "LogitBridge":
        z = float(np.asarray(coordinates.get("slip", [0.0]))[0])
        return LogitBridge(float(1.0 / (1.0 + np.exp(-(self.loc + self.scale * z)))), loc=self.loc, scale=self.scale)

    def posterior_samples(self, n: int, rng: np.random.Generator) -> list["LogitBridge"]:
        return [self.at_coordinates({"slip": rng.standard_normal(1)}) for _ in range(n)]


def solve_logit_bridge(box: iwocs.Box | None, seed: int = 0) -> iwocs.RobustPlan:
    return iwocs.solve(LogitBridge(0.0).at_coordinates({}), "start", bridge_reward, HORIZON, 2,
                       iwocs.expectimax_solver, seed, actions=ACTIONS, is_terminal=lambda s: s in TERMINAL,
                       n_eval=64, max_models=4, box=box)


def test_a_box_search_finds_the_plausible_slip_that_two_samples_missed():
    # slip at the centre 0.039; the box's edge (3 sds) 0.154, past the 0.1 at which the road wins
    without = solve_logit_bridge(None)
    assert max(c.slip for c in without.candidates) < 0.1  # the case this test is about
    assert without.policy("start", HORIZON, np.random.default_rng(0)) == "bridge"
    plan = solve_logit_bridge(iwocs.Box(("slip",), radius=3.0, generations=6))
    assert plan.policy("start", HORIZON, np.random.default_rng(0)) == "road"
    assert plan.value == -3.0 == plan.candidate_returns.min()
    assert len(plan.candidate_returns) == len(plan.candidates) > 2  # a box model joined the set
    found = [plan.candidates[j] for j in plan.box_coordinates]
    assert all(abs(where["slip"][0]) <= 3.0 for where in plan.box_coordinates.values())
    assert max(c.slip for c in found) > 0.1


@settings(max_examples=20, deadline=None)
@given(st.floats(0.2, 4.0), st.integers(0, 10_000), st.integers(1, 4))
def test_box_search_stays_in_the_box_and_never_scores_above_the_centre(radius, seed, generations):
    model = LogitBridge(0.0)
    problem = iwocs.make_problem(bridge_reward, HORIZON, ACTIONS, lambda s: s in TERMINAL)
    bridge = iwocs.GreedyPolicy((lambda s, left, rng: np.array([1.0, 0.0]),), ACTIONS)

    def score(candidate: Sampler) -> float:
        return float(iwocs.rollout_returns(bridge, candidate, "start", problem, 32, seed).mean())

    box = iwocs.Box(("slip",), radius=radius, generations=generations)
    found, value, where = iwocs.box_search(model, box, score, seed)
    assert abs(where["slip"][0]) <= radius
    assert value == score(found) == score(model.at_coordinates(where)) <= score(model.at_coordinates({}))
    assert iwocs.box_search(model, box, score, seed)[2] == where  # the same seed, the same search


def test_bad_boxes_are_refused_with_the_reason():
    with pytest.raises(ValueError, match="distinct and at least one"):
        iwocs.Box(())
    with pytest.raises(ValueError, match="radius > 0"):
        iwocs.Box(("slip",), radius=0.0)
    with pytest.raises(ValueError, match=r"no site \['slope'\]"):
        iwocs.box_search(LogitBridge(0.0), iwocs.Box(("slope",)), lambda m: 0.0, 0)
    with pytest.raises(TypeError, match="at_coordinates"):
        iwocs.solve(bridge_posterior(2, 30), "start", bridge_reward, HORIZON, 2, iwocs.expectimax_solver,
                    actions=ACTIONS, box=iwocs.Box(("slip",)))


@settings(max_examples=60, deadline=None)
@given(rectangular_rmdps())
def test_the_closure_of_every_vertex_gives_the_robust_policy(rmdp):
    P, R, gamma, _ = rmdp
    S, A, K, _ = P.shape
    every_vertex = [np.full((S, A), k, dtype=np.int64) for k in range(K)]
    policy = iwocs.closure_robust_policy(P, R, gamma, every_vertex)
    robust = iwocs.robust_value_iteration(P, R, gamma)[0]
    np.testing.assert_allclose(iwocs.worst_case_model(P, R, gamma, policy)[1], robust, atol=1e-6)


def test_plan_once_plans_each_state_once_and_reproducibly():
    calls: list[tuple[str, int]] = []

    def counting_solver(model, problem):
        q = iwocs.rollout_solver(16, HORIZON)(model, problem)

        def counted(state, steps_left, rng):
            calls.append((state, steps_left))
            return q(state, steps_left, rng)
        return counted

    model, problem = Bridge(0.4), iwocs.make_problem(bridge_reward, HORIZON, ACTIONS, lambda s: s in TERMINAL)
    q = iwocs.plan_once(counting_solver, seed=3)(model, problem)
    first = q("start", HORIZON, np.random.default_rng(0))
    assert np.array_equal(q("start", HORIZON, np.random.default_rng(99)), first)  # the plan is kept
    assert calls == [("start", HORIZON)]
    q("start", HORIZON - 1, np.random.default_rng(0))
    q("road1", HORIZON, np.random.default_rng(0))
    assert calls == [("start", HORIZON), ("start", HORIZON - 1), ("road1", HORIZON)]
    again = iwocs.plan_once(counting_solver, seed=3)(model, problem)("start", HORIZON, np.random.default_rng(7))
    assert np.array_equal(again, first)  # the seed, not the caller's generator, fixes the plan
    others = {tuple(iwocs.plan_once(counting_solver, seed=s)(model, problem)("start", HORIZON, None))
              for s in range(8)}
    assert len(others) > 1  # and different seeds do plan with different random numbers


def test_a_committed_policy_scores_the_same_as_its_fixed_action():
    model, problem = Bridge(0.3), iwocs.make_problem(bridge_reward, HORIZON, ACTIONS, lambda s: s in TERMINAL)
    policy = iwocs.GreedyPolicy((iwocs.plan_once(iwocs.rollout_solver(64, HORIZON), seed=0)(model, problem),),
                                ACTIONS)
    action = policy("start", HORIZON, np.random.default_rng(0))
    returns = iwocs.rollout_returns(policy, model, "start", problem, 200, seed=4)
    fixed = iwocs.GreedyPolicy((lambda s, t, rng: np.array([a == action for a in ACTIONS], float),), ACTIONS)
    assert np.array_equal(returns, iwocs.rollout_returns(fixed, model, "start", problem, 200, seed=4))
