"""SubPO: policy gradient for submodular, history-dependent rewards.

Follows Prajapat, Mutný, Zeilinger and Krause, "Submodular Reinforcement Learning" (ICLR
2024). The return of an episode τ = (s_0, ..., s_H) is a monotone submodular set function
F of its visits (coverage, diversity, information), so a visit is worth only its marginal
gain F_Δ(s_{i+1} | τ_{0:i}) = F(τ_{0:i} ∪ {s_{i+1}}) − F(τ_{0:i}). SubPO credits action a_i
with the reward-to-go of marginal gains minus a batch-mean baseline; the paper contrasts it
with policy gradient on the modular (additive, repetition-counting) reward F({s_{i+1}}).
Updates are Adam steps or, as in the paper's natural-gradient variant, natural-gradient
steps preconditioned by the batch's Fisher information.

Read top to bottom: set functions, trajectory objectives, the environment (any
``worldmodel.Sampler`` becomes one), the softmax policy, rollout, the three credit
estimators, the natural gradient, ``train`` and ``evaluate``. The paper's coverage grid
and its brute-force optimum are in ``planners.small_problems``; the Crafter objectives
and features in ``planners.subpo_crafter``.
"""

from __future__ import annotations

from typing import Any, Callable, Hashable, Protocol, Sequence

import numpy as np
import torch
from tqdm import tqdm

from worldmodel import Sampler, single_threaded

State = Any
Element = Any
ESTIMATORS = ("reward_to_go", "myopic", "modular")
POLICIES = ("markov", "history")
OPTIMIZERS = ("adam", "natural")


# --- set functions with marginal gains -------------------------------------------------------

class SetFunction:
    """A monotone submodular F over ground elements, evaluated one element at a time.

    A *summary* is what F needs to remember about the elements added so far.
    """

    def empty(self) -> Any:
        """The summary of the empty set."""
        raise NotImplementedError

    def gain(self, summary: Any, element: Element) -> float:
        """F(S ∪ {e}) − F(S), the marginal gain of ``element`` given the set summarised."""
        raise NotImplementedError

    def add(self, summary: Any, element: Element) -> Any:
        """The summary of S ∪ {e}; the input summary is left unchanged."""
        raise NotImplementedError

    def value(self, elements: Sequence[Element]) -> float:
        """F(S) as the sum of marginal gains (F(∅) = 0 for every function here)."""
        summary, total = self.empty(), 0.0
        for element in elements:
            total += self.gain(summary, element)
            summary = self.add(summary, element)
        return total


class WeightedCoverage(SetFunction):
    """F(S) = Σ_{u ∈ ∪_{e∈S} e} w_u: an element is an array of distinct ground indices it covers."""

    def __init__(self, weights: np.ndarray) -> None:
        weights = np.asarray(weights, dtype=float).ravel()
        if (weights < 0).any() or not np.isfinite(weights).all():
            raise ValueError("coverage weights must be finite and non-negative (else F is not monotone)")
        self.weights = weights

    def empty(self) -> np.ndarray:
        return np.zeros(len(self.weights), dtype=bool)

    def gain(self, summary: np.ndarray, element: np.ndarray) -> float:
        return float(self.weights[element[~summary[element]]].sum())

    def add(self, summary: np.ndarray, element: np.ndarray) -> np.ndarray:
        covered = summary.copy()
        covered[element] = True
        return covered


class DemandCoverage(SetFunction):
    """F(S) = Σ_k min(n_k, D_k) with n_k = Σ_{e∈S} e_k: each kind k is wanted D_k times."""

    def __init__(self, demands: np.ndarray) -> None:
        demands = np.asarray(demands, dtype=float)
        if demands.ndim != 1 or (demands < 0).any():
            raise ValueError(f"demands must be a vector of non-negative numbers, got {demands!r}")
        self.demands = demands

    def empty(self) -> np.ndarray:
        return np.zeros_like(self.demands)

    def gain(self, summary: np.ndarray, element: np.ndarray) -> float:
        if (element < 0).any():
            raise ValueError(f"a demand element counts non-negative amounts, got {element!r}")
        return float((np.minimum(summary + element, self.demands) - np.minimum(summary, self.demands)).sum())

    def add(self, summary: np.ndarray, element: np.ndarray) -> np.ndarray:
        return summary + element


class LogDeterminant(SetFunction):
    """F(S) = log det(I + σ⁻² Σ_{x∈S} x xᵀ): the information (D-optimal design) of features x."""

    def __init__(self, dim: int, noise: float = 1.0) -> None:
        if dim < 1 or noise <= 0:
            raise ValueError(f"log-determinant needs dim >= 1 and noise > 0, got {dim}, {noise}")
        self.dim, self.noise = dim, noise

    def empty(self) -> np.ndarray:
        return np.eye(self.dim)  # the summary is the inverse of M = I + σ⁻² Σ x xᵀ

    def gain(self, summary: np.ndarray, element: np.ndarray) -> float:
        return float(np.log1p(element @ summary @ element / self.noise ** 2))

    def add(self, summary: np.ndarray, element: np.ndarray) -> np.ndarray:
        projected = summary @ element  # Sherman–Morrison update of M⁻¹
        return summary - np.outer(projected, projected) / (self.noise ** 2 + element @ projected)


# --- trajectory objectives -------------------------------------------------------------------

class Objective:
    """F(τ): a set function of what each visit of an episode contributes.

    ``element(previous, state)`` is the contribution of visiting ``state`` right after
    ``previous`` (None for s_0); with a ``key``, visits with equal keys count once, so F is
    a function of the set of distinct states visited.
    """

    def __init__(self, function: SetFunction, element: Callable[[State | None, State], Element],
                 key: Callable[[State], Hashable] | None = None) -> None:
        self.function, self.element, self.key = function, element, key

    def visit_gains(self, states: Sequence[State], modular: bool = False) -> np.ndarray:
        """[F_Δ(s_i | τ_{0:i−1}) for i = 0..H], or with ``modular`` the singleton values [F({s_i})]."""
        f, summary, seen, gains = self.function, self.function.empty(), set(), []
        for i, state in enumerate(states):
            element = self.element(states[i - 1] if i else None, state)
            if modular:  # the additive reward counts every visit, repeats included
                gains.append(f.gain(f.empty(), element))
                continue
            if self.key is not None:
                if self.key(state) in seen:
                    gains.append(0.0)
                    continue
                seen.add(self.key(state))
            gains.append(f.gain(summary, element))
            summary = f.add(summary, element)
        return np.array(gains)

    def value(self, states: Sequence[State]) -> float:
        """F(τ) of a whole episode."""
        return float(self.visit_gains(states).sum())

    def marginal_gains(self, states: Sequence[State]) -> np.ndarray:
        """[F_Δ(s_{i+1} | τ_{0:i}) for i = 0..H−1], the history-dependent rewards."""
        return self.visit_gains(states)[1:]

    def modular_rewards(self, states: Sequence[State]) -> np.ndarray:
        """[F({s_{i+1}}) for i = 0..H−1], the additive reward that counts repetitions."""
        return self.visit_gains(states, modular=True)[1:]


# --- environments ----------------------------------------------------------------------------

class RewardFreeEnvironment(Protocol):
    """A finite-horizon episodic environment without rewards (an objective scores the visits).

    The trainer rolls out a batch of its episodes in lockstep.
    """

    horizon: int
    n_actions: int
    n_features: int

    def reset(self, rng: np.random.Generator) -> State: ...
    def step(self, state: State, action: int, rng: np.random.Generator) -> State: ...
    def features(self, state: State) -> np.ndarray: ...


class ModelEnvironment:
    """Episodes in any ``worldmodel.Sampler``: start from one of ``starts``, then sample the model.

    ``actions`` maps the policy's action indices to the model's actions; a state for which
    ``terminal`` holds is absorbing (the episode keeps its length, nothing changes).
    """

    def __init__(self, model: Sampler, starts: Sequence[State], horizon: int,
                 features: Callable[[State], np.ndarray], actions: Sequence[Any],
                 terminal: Callable[[State], bool] | None = None) -> None:
        if not starts or horizon < 1 or not actions:
            raise ValueError("a model environment needs start states, horizon >= 1 and actions")
        self.model, self.starts, self.horizon = model, list(starts), horizon
        self.feature_map, self.actions, self.terminal = features, list(actions), terminal
        self.n_actions, self.n_features = len(self.actions), len(features(self.starts[0]))

    def reset(self, rng: np.random.Generator) -> State:
        return self.starts[int(rng.integers(len(self.starts)))]

    def step(self, state: State, action: int, rng: np.random.Generator) -> State:
        if self.terminal is not None and self.terminal(state):
            return state
        return self.model.sample(state, self.actions[action], rng)

    def features(self, state: State) -> np.ndarray:
        return np.asarray(self.feature_map(state), dtype=float)


# --- policy ----------------------------------------------------------------------------------

class SoftmaxPolicy(torch.nn.Module):
    """π_θ(a_t | s_t, t) (markov) or π_θ(a_t | s_t, h_t, t) (history): a softmax of linear scores.

    The history h_t = max_{j≤t} φ(s_j) (elementwise) is a set summary of the visits: for
    one-hot features it is exactly the set of states visited so far. The scores are
    time-indexed (one weight matrix per step t, as the finite-horizon optimum needs) unless
    ``stationary``, where every step shares one matrix and so learns from every step's data.
    """

    def __init__(self, n_features: int, n_actions: int, horizon: int, history: bool = False,
                 stationary: bool = False) -> None:
        super().__init__()
        self.history, self.stationary, self.n_actions, self.horizon = history, stationary, n_actions, horizon
        n_inputs = 2 * n_features if history else n_features
        n_matrices = 1 if stationary else horizon
        # Zero scores: the untrained policy is the uniform random agent.
        self.weight = torch.nn.Parameter(torch.zeros(n_matrices, n_actions, n_inputs, dtype=torch.float64))
        self.bias = torch.nn.Parameter(torch.zeros(n_matrices, n_actions, dtype=torch.float64))

    @classmethod
    def for_env(cls, env: RewardFreeEnvironment, history: bool = False, stationary: bool = False) -> "SoftmaxPolicy":
        """A uniform random policy shaped for ``env``."""
        return cls(env.n_features, env.n_actions, env.horizon, history, stationary)

    def inputs(self, features: np.ndarray, visited: np.ndarray) -> np.ndarray:
        """The policy's input rows for a batch of current features and history summaries."""
        return np.concatenate([features, visited], axis=1) if self.history else features

    def forward(self, inputs: torch.Tensor, time: slice | int = slice(None)) -> torch.Tensor:
        """log π(· | inputs) for inputs [T, B, d] at time steps ``time``: [T, B, A]."""
        weight, bias = self.weight, self.bias
        if self.stationary:
            weight, bias = weight.expand(self.horizon, -1, -1), bias.expand(self.horizon, -1)
        scores = inputs @ weight[time].transpose(1, 2) + bias[time][:, None, :]
        return torch.log_softmax(scores, dim=-1)


def rollout(policy: SoftmaxPolicy, env: RewardFreeEnvironment, batch: int, rng: np.random.Generator,
            greedy: bool = False) -> tuple[list[list[State]], np.ndarray, np.ndarray]:
    """Play ``batch`` episodes in lockstep: their states, policy inputs [H, B, d] and actions [H, B]."""
    states = [[env.reset(rng)] for _ in range(batch)]
    features = np.stack([env.features(episode[0]) for episode in states])
    visited = features.copy()
    inputs, actions = [], []
    for t in range(env.horizon):
        rows = policy.inputs(features, visited)
        with torch.no_grad():
            probs = policy(torch.from_numpy(rows)[None], slice(t, t + 1))[0].exp().numpy()
        if greedy:
            chosen = probs.argmax(axis=1)
        else:  # inverse-CDF sampling with the caller's generator keeps runs reproducible
            chosen = (probs.cumsum(axis=1) < rng.random((batch, 1))).sum(axis=1).clip(max=policy.n_actions - 1)
        for episode, action in zip(states, chosen):
            episode.append(env.step(episode[-1], int(action), rng))
        features = np.stack([env.features(episode[-1]) for episode in states])
        visited = np.maximum(visited, features)
        inputs.append(rows)
        actions.append(chosen)
    return states, np.stack(inputs), np.stack(actions)


# --- credit estimators -----------------------------------------------------------------------

def reward_to_go(rewards: np.ndarray) -> np.ndarray:
    """Σ_{j≥i} r_j for every step i of every episode ([B, H])."""
    return np.flip(np.cumsum(np.flip(rewards, axis=1), axis=1), axis=1)


def credits(estimator: str, objective: Objective, episodes: list[list[State]]) -> np.ndarray:
    """What each action a_i is credited with, before the baseline ([B, H])."""
    if estimator == "reward_to_go":  # SubPO: reward-to-go of marginal gains
        return reward_to_go(np.stack([objective.marginal_gains(states) for states in episodes]))
    if estimator == "myopic":  # only the immediate marginal gain
        return np.stack([objective.marginal_gains(states) for states in episodes])
    if estimator == "modular":  # policy gradient on the additive reward F({s_{i+1}})
        return reward_to_go(np.stack([objective.modular_rewards(states) for states in episodes]))
    raise ValueError(f"unknown estimator {estimator!r}; expected one of {ESTIMATORS}")


# --- natural gradient ------------------------------------------------------------------------

def conjugate_gradient(apply: Callable[[torch.Tensor], torch.Tensor], b: torch.Tensor,
                       iterations: int, tolerance: float = 1e-10) -> torch.Tensor:
    """x ≈ A⁻¹ b for a symmetric positive definite A given only as ``apply(v) = A v``."""
    x, residual = torch.zeros_like(b), b.clone()
    direction, squared = residual.clone(), residual @ residual
    for _ in range(iterations):
        if squared <= tolerance:
            break
        product = apply(direction)
        step = squared / (direction @ product)
        x, residual = x + step * direction, residual - step * product
        squared, previous = residual @ residual, squared
        direction = residual + squared / previous * direction
    return x


def natural_step(pi: SoftmaxPolicy, inputs: torch.Tensor, actions: torch.Tensor, gradient: torch.Tensor,
                 kl: float, damping: float, iterations: int) -> torch.Tensor:
    """The parameter step (F + λI)⁻¹ g, scaled so that its quadratic KL ½ xᵀ(F + λI)x is ``kl``.

    F = (1/B) Σ_b Σ_t ∇log π(a_t|s_t) ∇log π(a_t|s_t)ᵀ is the Fisher of the episode
    distribution estimated from the batch's score vectors; F v = Sᵀ(S v)/B is a forward- and
    a backward-mode product, so the solve by conjugate gradient never forms F.
    """
    names = [name for name, _ in pi.named_parameters()]
    shapes = [p.shape for _, p in pi.named_parameters()]
    sizes = [p.numel() for _, p in pi.named_parameters()]
    flat = torch.nn.utils.parameters_to_vector(pi.parameters()).detach()
    index = actions[..., None]

    def chosen(theta: torch.Tensor) -> torch.Tensor:  # log π(a_t | s_t) of the batch, [H, B]
        params = {n: t.reshape(shape) for n, t, shape in zip(names, theta.split(sizes), shapes)}
        return torch.func.functional_call(pi, params, (inputs,)).gather(2, index)[..., 0]

    _, transpose = torch.func.vjp(chosen, flat)
    episodes = inputs.shape[1]

    def fisher_times(v: torch.Tensor) -> torch.Tensor:
        scores_v = torch.func.jvp(chosen, (flat,), (v,))[1]
        return transpose(scores_v)[0] / episodes + damping * v

    direction = conjugate_gradient(fisher_times, gradient, iterations)
    curvature = float(direction @ fisher_times(direction))
    return direction * (2 * kl / curvature) ** 0.5 if curvature > 0 else direction  # g = 0: no step


# --- training and evaluation -----------------------------------------------------------------

def train(env: RewardFreeEnvironment, objective: Objective, policy: str = "markov", epochs: int = 200,
          batch: int = 32, lr: float = 0.1, estimator: str = "reward_to_go", seed: int = 0,
          progress: bool = False, stationary: bool = False, optimizer: str = "adam",
          damping: float = 0.1, cg_iterations: int = 20) -> SoftmaxPolicy:
    """Policy gradient on ``objective`` in ``env`` (a CoverageGrid or a ModelEnvironment of any model).

    ``optimizer="adam"`` takes Adam steps of size ``lr``; ``"natural"`` takes natural-gradient
    steps (F + λI)⁻¹ g with λ = ``damping``, each scaled to a KL of ``lr`` (see ``natural_step``).
    """
    if policy not in POLICIES:
        raise ValueError(f"unknown policy {policy!r}; expected one of {POLICIES}")
    if estimator not in ESTIMATORS:
        raise ValueError(f"unknown estimator {estimator!r}; expected one of {ESTIMATORS}")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}; expected one of {OPTIMIZERS}")
    if epochs < 0 or batch < 2:
        raise ValueError(f"training needs epochs >= 0 and batch >= 2 (for a baseline), got {epochs}, {batch}")
    if lr <= 0 or damping <= 0 or cg_iterations < 1:
        raise ValueError(f"training needs lr > 0, damping > 0 and cg_iterations >= 1, "
                         f"got {lr}, {damping}, {cg_iterations}")
    rng = np.random.default_rng(seed)
    pi = SoftmaxPolicy.for_env(env, history=policy == "history", stationary=stationary)
    adam = torch.optim.Adam(pi.parameters(), lr=lr) if optimizer == "adam" else None
    with single_threaded():
        for _ in tqdm(range(epochs), desc=f"training, {estimator} credit, {optimizer}", disable=not progress):
            episodes, inputs, actions = rollout(pi, env, batch, rng)
            credit = credits(estimator, objective, episodes)
            advantage = credit - credit.mean(axis=0, keepdims=True)  # batch-mean baseline per step
            inputs_t, actions_t = torch.from_numpy(inputs), torch.from_numpy(actions)
            chosen = pi(inputs_t).gather(2, actions_t[..., None])[..., 0]  # log π(a_t | s_t), [H, B]
            loss = -(chosen * torch.from_numpy(advantage.T.copy())).sum(0).mean()
            if adam is not None:
                adam.zero_grad()
                loss.backward()
                adam.step()
                continue
            ascent = -torch.nn.utils.parameters_to_vector(torch.autograd.grad(loss, list(pi.parameters())))
            step = natural_step(pi, inputs_t, actions_t, ascent, lr, damping, cg_iterations)
            with torch.no_grad():
                torch.nn.utils.vector_to_parameters(
                    torch.nn.utils.parameters_to_vector(pi.parameters()) + step, pi.parameters())
    return pi


def episode_values(policy: SoftmaxPolicy, env: RewardFreeEnvironment, objective: Objective, episodes: int,
                   seed: int, greedy: bool = False) -> np.ndarray:
    """F(τ) of each of ``episodes`` episodes played by ``policy``."""
    with single_threaded():
        states, _, _ = rollout(policy, env, episodes, np.random.default_rng(seed), greedy)
    return np.array([objective.value(episode) for episode in states])


def evaluate(policy: SoftmaxPolicy, env: RewardFreeEnvironment, objective: Objective, episodes: int = 100,
             seed: int = 0, greedy: bool = False) -> float:
    """Mean F(τ) over episodes; ``greedy`` plays the most likely action."""
    return float(episode_values(policy, env, objective, episodes, seed, greedy).mean())
