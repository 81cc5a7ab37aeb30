"""Dichotomy of Control (Yang, Schuurmans, Abbeel, Nachum, ICLR 2023) and its baseline.

Return-conditioned supervised learning (the Decision Transformer, "DT") imitates whatever
actions preceded a high return in the data, lucky ones included. DoC instead conditions
the policy pi(a_t | past, z) on a latent z of the episode drawn from an encoder
q(z | episode), learns a prior p(z | s_0) and a value V(z | s_0), and penalises the mutual
information between z and everything the environment decided in the episode (each next
state and reward given the history and the action before it). The penalty is the InfoNCE
bound of a critic f(z, s'_t, r_t | history to s_t, a_t) whose negatives are fresh draws of
(s', r) from the environment at the same (s_t, a_t): the critic maximises the bound, the
encoder minimises it, with separate optimisers and separate steps. At inference, K latents
are drawn from the prior, and the policy acts on the one with the highest V to the end.

Two things keep that choice meaningful on small offline data. Where the policy's past
already tells behaviours apart, q(z | episode) collapses onto one code and the prior and V
know nothing to choose among; an optional code-usage term (``usage``, the entropy of the
codes' average use) keeps several codes alive. And V(z | s_0) is the start's worth plus one
number per code, so a code's few episodes cannot bend V around their start states to chase
the luck of their returns, which the argmax over codes would otherwise seek out.

One implementation serves every environment: an episode is a sequence (a bandit pull is
a sequence of length one), the past is read by a forward GRU, the episode by a GRU run
backwards from its end, and z takes one of ``codes`` discrete values, so expectations over
q are exact sums rather than samples and the information z carries about chance is exactly
computable on tabular data (``mutual_information``) and, for any data, among episodes that
took the same actions (``luck_information``). The paper's bandit and the slippery lake are
in ``planners.small_problems``, the Crafter night in ``planners.doc_crafter``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Protocol, Sequence

import numpy as np
import torch
from torch import nn

State = Any
BehaviourPolicy = Callable[[State, np.random.Generator], int]  # what acted in the offline data


class RewardEnvironment(Protocol):
    """An episodic environment that pays rewards and shows features: what DoC trains in and is scored on."""

    n_actions: int
    horizon: int

    def reset(self, rng: np.random.Generator) -> State:
        """A start state."""
        ...

    def step(self, state: State, action: int, rng: np.random.Generator) -> tuple[State, float, bool]:
        """(next state, reward, episode over) drawn from the environment's own distribution."""
        ...

    def observe(self, state: State) -> np.ndarray:
        """The agent's view of ``state`` as a float vector."""
        ...


@dataclass(slots=True)
class Dataset:
    """Offline episodes: per step the state, its features, action, reward and outcome."""

    n_actions: int
    states: list[list[State]] = field(default_factory=list)
    observations: list[np.ndarray] = field(default_factory=list)       # [T, d] per episode
    next_observations: list[np.ndarray] = field(default_factory=list)  # [T, d]
    actions: list[np.ndarray] = field(default_factory=list)            # [T]
    rewards: list[np.ndarray] = field(default_factory=list)            # [T]
    dones: list[np.ndarray] = field(default_factory=list)              # [T]

    def __len__(self) -> int:
        return len(self.actions)

    def returns(self) -> np.ndarray:
        """The return of every episode."""
        return np.array([r.sum() for r in self.rewards])


def concatenate(datasets: Sequence[Dataset]) -> Dataset:
    """One dataset holding the episodes of several (e.g. from a mix of behaviour policies)."""
    if not datasets or len({d.n_actions for d in datasets}) != 1:
        raise ValueError("concatenate: expected at least one dataset, all with the same number of actions")
    out = Dataset(datasets[0].n_actions)
    for data in datasets:
        for name in ("states", "observations", "next_observations", "actions", "rewards", "dones"):
            getattr(out, name).extend(getattr(data, name))
    return out


def as_policy(behaviour: BehaviourPolicy | Sequence[float], n_actions: int) -> BehaviourPolicy:
    """A behaviour policy from a callable, or from fixed action probabilities."""
    if callable(behaviour):
        return behaviour
    probs = np.asarray(behaviour, dtype=float)
    if probs.shape != (n_actions,) or (probs < 0).any() or not math.isclose(probs.sum(), 1.0):
        raise ValueError(f"behaviour policy: expected {n_actions} action probabilities summing to 1, "
                         f"got {tuple(behaviour)!r}")
    return lambda state, rng: int(rng.choice(n_actions, p=probs))


def collect(env: RewardEnvironment, behaviour_policy: BehaviourPolicy | Sequence[float], n: int, seed: int) -> Dataset:
    """``n`` episodes of ``behaviour_policy`` in ``env`` (a bandit pull is one episode)."""
    if n < 1:
        raise ValueError(f"collect: n must be a positive number of episodes, got {n!r}")
    policy = as_policy(behaviour_policy, env.n_actions)
    rng = np.random.default_rng(seed)
    data = Dataset(env.n_actions)
    for _ in range(n):
        state = env.reset(rng)
        states, obs, next_obs, actions, rewards, dones = [], [], [], [], [], []
        for _ in range(env.horizon):
            action = int(policy(state, rng))
            next_state, reward, done = env.step(state, action, rng)
            states.append(state)
            obs.append(env.observe(state))
            next_obs.append(env.observe(next_state))
            actions.append(action)
            rewards.append(reward)
            dones.append(done)
            state = next_state
            if done:
                break
        data.states.append(states)
        data.observations.append(np.asarray(obs, dtype=np.float32))
        data.next_observations.append(np.asarray(next_obs, dtype=np.float32))
        data.actions.append(np.asarray(actions, dtype=np.int64))
        data.rewards.append(np.asarray(rewards, dtype=np.float32))
        data.dones.append(np.asarray(dones, dtype=np.float32))
    return data


@dataclass(slots=True)
class Batch:
    """A dataset as padded tensors [episodes, T, ...] with a mask of real steps."""

    obs: torch.Tensor
    next_obs: torch.Tensor
    actions: torch.Tensor
    rewards: torch.Tensor
    dones: torch.Tensor
    mask: torch.Tensor
    returns_to_go: torch.Tensor


def _pad(arrays: list[np.ndarray], length: int) -> torch.Tensor:
    out = np.zeros((len(arrays), length) + arrays[0].shape[1:], dtype=arrays[0].dtype)
    for i, a in enumerate(arrays):
        out[i, :len(a)] = a
    return torch.from_numpy(out)


def to_batch(data: Dataset) -> Batch:
    """Pad the dataset's episodes to one length."""
    if len(data) == 0:
        raise ValueError("dataset has no episodes")
    length = max(len(a) for a in data.actions)
    rewards = _pad(data.rewards, length)
    mask = _pad([np.ones(len(a), dtype=np.float32) for a in data.actions], length)
    return Batch(_pad(data.observations, length), _pad(data.next_observations, length),
                 _pad(data.actions, length), rewards, _pad(data.dones, length), mask,
                 rewards.flip(1).cumsum(1).flip(1))


class PastReader(nn.Module):
    """Forward GRU over (s_t, a_{t-1}, r_{t-1}): the context every head conditions on."""

    def __init__(self, obs_dim: int, n_actions: int, hidden: int) -> None:
        super().__init__()
        self.n_actions = n_actions
        self.gru = nn.GRU(obs_dim + n_actions + 1, hidden, batch_first=True)

    def inputs(self, obs: torch.Tensor, prev_actions: torch.Tensor, prev_rewards: torch.Tensor) -> torch.Tensor:
        onehot = nn.functional.one_hot(prev_actions.clamp(min=0), self.n_actions).float()
        onehot = onehot * (prev_actions >= 0).unsqueeze(-1).float()  # -1 means "no action yet"
        return torch.cat([obs, onehot, prev_rewards.unsqueeze(-1)], -1)

    def forward(self, batch: Batch) -> torch.Tensor:
        prev_actions = torch.cat([torch.full_like(batch.actions[:, :1], -1), batch.actions[:, :-1]], 1)
        prev_rewards = torch.cat([torch.zeros_like(batch.rewards[:, :1]), batch.rewards[:, :-1]], 1)
        return self.gru(self.inputs(batch.obs, prev_actions, prev_rewards))[0]

    def step(self, obs: torch.Tensor, prev_action: torch.Tensor, prev_reward: torch.Tensor,
             hidden: torch.Tensor | None) -> torch.Tensor:
        """One step of the GRU for lockstep rollouts; returns the new hidden state [N, H]."""
        x = self.inputs(obs, prev_action, prev_reward).unsqueeze(1)
        return self.gru(x, None if hidden is None else hidden.unsqueeze(0))[1][0]


def _mlp(inputs: int, hidden: int, outputs: int) -> nn.Module:
    return nn.Sequential(nn.Linear(inputs, hidden), nn.Tanh(), nn.Linear(hidden, outputs))


class DecisionTransformerPolicy(nn.Module):
    """DT's policy pi(a_t | past, return-to-go) (a GRU stands in for the transformer)."""

    def __init__(self, obs_dim: int, n_actions: int, hidden: int, return_scale: float) -> None:
        super().__init__()
        self.past = PastReader(obs_dim, n_actions, hidden)
        self.head = _mlp(hidden + 1, hidden, n_actions)
        self.return_scale = return_scale

    def logits(self, context: torch.Tensor, return_to_go: torch.Tensor) -> torch.Tensor:
        return self.head(torch.cat([context, (return_to_go / self.return_scale).unsqueeze(-1)], -1))


class FutureEncoder(nn.Module):
    """q(z | s_0, a_0, r_0, ..., end of episode): a GRU run backwards over the whole episode."""

    def __init__(self, obs_dim: int, n_actions: int, hidden: int, codes: int) -> None:
        super().__init__()
        self.n_actions = n_actions
        self.gru = nn.GRU(obs_dim + n_actions + 1, hidden, batch_first=True)
        self.out = nn.Linear(hidden, codes)

    def forward(self, batch: Batch) -> torch.Tensor:
        """log q(z | episode), [episodes, codes]: what the GRU holds after reading back to t = 0."""
        lengths = batch.mask.sum(1).long()
        t = torch.arange(batch.mask.shape[1]).unsqueeze(0)
        # Reverse each episode within its own length so the GRU reads from the end backwards.
        reverse = torch.where(t < lengths.unsqueeze(1), lengths.unsqueeze(1) - 1 - t, t)
        onehot = nn.functional.one_hot(batch.actions, self.n_actions).float()
        x = torch.cat([batch.obs, onehot, batch.rewards.unsqueeze(-1)], -1)
        x = torch.gather(x, 1, reverse.unsqueeze(-1).expand_as(x))
        h = self.gru(x)[0]
        at_start = h[torch.arange(len(lengths)), lengths - 1]  # reversed position of t = 0
        return torch.log_softmax(self.out(at_start), -1)


class ChanceCritic(nn.Module):
    """f(z, s'_t, r_t | s_0, a_0, r_0, ..., s_t, a_t): how well each code predicts the outcome chance chose at t.

    It reads the history with its own GRU, so it can tell an outcome the past already made
    likely (a zombie next to the sleeper) from one that only z could have foretold.
    """

    def __init__(self, obs_dim: int, n_actions: int, hidden: int, codes: int) -> None:
        super().__init__()
        self.n_actions = n_actions
        self.past = PastReader(obs_dim, n_actions, hidden)
        self.net = _mlp(hidden + obs_dim + n_actions + 2, hidden, codes)

    def forward(self, history: torch.Tensor, actions: torch.Tensor, next_obs: torch.Tensor,
                rewards: torch.Tensor, dones: torch.Tensor) -> torch.Tensor:
        """Scores [..., codes]; ``history`` is ``self.past`` of the batch, which already holds s_t."""
        onehot = nn.functional.one_hot(actions, self.n_actions).float()
        return self.net(torch.cat([history, onehot, next_obs, rewards.unsqueeze(-1), dones.unsqueeze(-1)], -1))


class DichotomyOfControl(nn.Module):
    """DoC's learned parts: past reader, future encoder, prior, value and per-code policy."""

    def __init__(self, obs_dim: int, n_actions: int, hidden: int, codes: int) -> None:
        super().__init__()
        self.codes, self.n_actions = codes, n_actions
        self.past = PastReader(obs_dim, n_actions, hidden)
        self.encoder = FutureEncoder(obs_dim, n_actions, hidden, codes)
        self.prior = nn.Linear(hidden, codes)
        self.start_value = _mlp(hidden, hidden, 1)
        self.code_value = nn.Parameter(torch.zeros(codes))
        self.policy = _mlp(hidden, hidden, codes * n_actions)

    def value(self, context: torch.Tensor) -> torch.Tensor:
        """V(z | s_0) for every code, [..., codes]: what the start is worth plus what the code adds there.

        The start's worth is learnt from every episode; each code adds one number, learnt from
        its own episodes. A code's own few episodes cannot then bend V around their start
        states to chase the luck of their returns, which the argmax at inference would seek out.
        """
        return self.start_value(context) + self.code_value

    def policy_logits(self, context: torch.Tensor) -> torch.Tensor:
        """log pi(a | past, z) for every code: [..., codes, actions]."""
        logits = self.policy(context)
        return torch.log_softmax(logits.view(*logits.shape[:-1], self.codes, self.n_actions), -1)


@dataclass(slots=True)
class DTAgent:
    """A trained Decision Transformer and the return it is conditioned on."""

    net: DecisionTransformerPolicy
    target_return: float


@dataclass(slots=True)
class DoCAgent:
    """A trained DoC model and the number of prior samples it chooses among."""

    net: DichotomyOfControl
    samples: int


ConditionedAgent = DTAgent | DoCAgent  # a policy conditioned on a target: DT's return, DoC's latent


def _masked_mean(x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    return (x * mask).sum() / mask.sum()


def _minibatches(episodes: int, size: int, steps: int, generator: torch.Generator) -> Iterator[torch.Tensor]:
    """``steps`` random index sets of ``size`` episodes (all of them when there are fewer)."""
    for _ in range(steps):
        yield torch.randperm(episodes, generator=generator)[:size]


def _decaying(optimiser: torch.optim.Optimizer, steps: int) -> torch.optim.lr_scheduler.LambdaLR:
    """Linear decay of the learning rate to zero, so the last iterate is not minibatch noise."""
    return torch.optim.lr_scheduler.LambdaLR(optimiser, lambda i: 1.0 - i / steps)


def _select(batch: Batch, index: torch.Tensor) -> Batch:
    return Batch(*(getattr(batch, name)[index] for name in Batch.__slots__))


def train_dt(data: Dataset, *, seed: int, target_return: float | None = None, hidden: int = 32,
             steps: int = 300, batch_size: int = 256, lr: float = 1e-2) -> DTAgent:
    """Fit pi(a_t | past, return-to-go) by maximum likelihood; act for ``target_return``.

    The target defaults to the best return in the data, as DT is used in practice.
    """
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    everything = to_batch(data)
    returns = data.returns()
    scale = max(1.0, float(np.abs(returns).max()))
    net = DecisionTransformerPolicy(everything.obs.shape[-1], data.n_actions, hidden, scale)
    optimiser = torch.optim.Adam(net.parameters(), lr=lr)
    schedule = _decaying(optimiser, steps)
    for index in _minibatches(len(data), batch_size, steps, generator):
        batch = _select(everything, index)
        logits = net.logits(net.past(batch), batch.returns_to_go)
        nll = nn.functional.cross_entropy(logits.flatten(0, 1), batch.actions.flatten(), reduction="none")
        loss = _masked_mean(nll.view_as(batch.mask), batch.mask)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
    target = float(returns.max()) if target_return is None else float(target_return)
    return DTAgent(net.eval(), target)


@dataclass(slots=True)
class Outcomes:
    """K draws of (s', r, done) from the environment at every (s_t, a_t) of a batch."""

    next_obs: torch.Tensor  # [episodes, T, K, d]
    rewards: torch.Tensor   # [episodes, T, K]
    dones: torch.Tensor     # [episodes, T, K]


def draw_negatives(data: Dataset, env: RewardEnvironment, k: int, seed: int) -> Outcomes:
    """The environment's own conditional distribution of (s', r) at each (s, a) in the data."""
    rng = np.random.default_rng(seed)
    length = max(len(a) for a in data.actions)
    obs_dim = data.observations[0].shape[-1]
    next_obs = np.zeros((len(data), length, k, obs_dim), dtype=np.float32)
    rewards = np.zeros((len(data), length, k), dtype=np.float32)
    dones = np.zeros((len(data), length, k), dtype=np.float32)
    for i, (states, actions) in enumerate(zip(data.states, data.actions)):
        for t, (state, action) in enumerate(zip(states, actions)):
            for j in range(k):
                outcome, reward, done = env.step(state, int(action), rng)
                next_obs[i, t, j] = env.observe(outcome)
                rewards[i, t, j], dones[i, t, j] = reward, done
    return Outcomes(torch.from_numpy(next_obs), torch.from_numpy(rewards), torch.from_numpy(dones))


def infonce_terms(critic: ChanceCritic, batch: Batch, negatives: Outcomes) -> torch.Tensor:
    """Per step and code, f(z, positive) - log mean exp f(z, positive and negatives): [N, T, codes]."""
    history = critic.past(batch)
    positive = critic(history, batch.actions, batch.next_obs, batch.rewards, batch.dones)
    k = negatives.rewards.shape[-1]
    expand = lambda x: x.unsqueeze(2).expand(*x.shape[:2], k, *x.shape[2:])  # noqa: E731
    negative = critic(expand(history), expand(batch.actions), negatives.next_obs,
                      negatives.rewards, negatives.dones)
    every = torch.cat([positive.unsqueeze(2), negative], 2)
    return positive - torch.logsumexp(every, 2) + math.log(k + 1)


def chance_information(log_q: torch.Tensor, terms: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """InfoNCE bound on the sum over every step t of I(z; s'_t, r_t | history to s_t, a_t), per episode."""
    # z is read from the whole episode, so it must say nothing about any of its outcomes.
    every_step = (terms * mask.unsqueeze(-1)).sum(1)
    return (log_q.exp() * every_step).sum(-1).mean()


def _heads_loss(net: DichotomyOfControl, batch: Batch, q: torch.Tensor, log_q: torch.Tensor,
                value_pseudo_episodes: float, episodes: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(policy + prior + value loss, KL(q || prior)) for codes q(z | episode) [N, codes]."""
    context = net.past(batch)
    log_pi = net.policy_logits(context)
    index = batch.actions[..., None, None].expand(*batch.actions.shape, net.codes, 1)
    nll = -torch.gather(log_pi, -1, index).squeeze(-1)
    # Every term is per episode, the likelihood of all its actions included, so beta and the KL
    # weigh information against the same unit whatever the episodes' length.
    policy_loss = ((q.unsqueeze(1) * nll).sum(-1) * batch.mask).sum(1).mean()
    # z is chosen once, at the start, so the prior and V read only s_0. They learn from q
    # but must not shape it: V regressing the realised return would pull luck back into z.
    log_prior = torch.log_softmax(net.prior(context[:, 0]), -1)
    prior_loss = -(q.detach() * log_prior).sum(-1).mean()
    value_error = (net.value(context[:, 0]) - batch.returns_to_go[:, :1]) ** 2
    # A code the data (almost) never uses would keep whatever V its initialisation or its
    # neighbours give it, and the argmax at inference seeks exactly such codes out: every
    # code also regresses, with the weight of ``value_pseudo_episodes`` episodes in all,
    # to the data's returns, so an unused code is worth the data's average, not a guess.
    shrink = value_pseudo_episodes / episodes
    value_loss = ((q.detach() + shrink) * value_error).sum(-1).mean()
    kl = (q * (log_q - log_prior.detach())).sum(-1).mean()
    return policy_loss + prior_loss + value_loss, kl


def code_usage(q: torch.Tensor) -> torch.Tensor:
    """Entropy of the batch's average q(z | episode) in nats: how many codes the episodes use between them."""
    marginal = q.mean(0)
    return -(marginal * torch.log(marginal.clamp(min=1e-12))).sum()


def train_doc(data: Dataset, *, negatives: RewardEnvironment, beta: float = 1.0, seed: int,
              codes: int = 8, hidden: int = 32, k: int = 8, samples: int = 128,
              steps: int = 300, batch_size: int = 256, lr: float = 3e-2, critic_lr: float = 1e-2, critic_steps: int = 1,
              kl_weight: float = 0.0, value_pseudo_episodes: float = 1.0, usage: float = 0.0) -> DoCAgent:
    """Fit DoC: policy likelihood + prior + value, with ``beta`` times the chance-information penalty.

    One latent z per episode, read from the whole episode, conditions the policy at every
    step: V(z | s_0) then predicts the return of following pi(. | past, z) to the end, which
    a latent re-chosen at every step cannot promise. ``negatives`` is the environment (or a
    world model wrapped as one) whose ``step`` draws ``k`` alternative outcomes at each (s, a)
    of the data. Each iteration first takes ``critic_steps`` steps of the critic up the
    InfoNCE bound (encoder fixed), then one step of everything else down the DoC loss with
    the critic fixed: a min-max, not a joint loss.

    The policy reads the past, which already tells most behaviours apart after a step or two,
    so z buys little likelihood and the code every episode starts on wins (posterior
    collapse): the prior and V then know one code only and cannot pick the skilful behaviour.
    ``usage`` rewards the entropy of the codes' average use over the batch, as in categorical
    and VQ latents, so q keeps several codes. It is off by default: the codes it keeps apart
    are then limited by the chance penalty alone, and on the slippery lake (where the careful
    policy's future actions follow its slips) that critic lets some luck through. The
    per-code values are set in closed form at the end (``settle_code_values``).
    """
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    everything = to_batch(data)
    all_outcomes = draw_negatives(data, negatives, k, seed)
    net = DichotomyOfControl(everything.obs.shape[-1], data.n_actions, hidden, codes)
    critic = ChanceCritic(everything.obs.shape[-1], data.n_actions, hidden, codes)
    optimiser = torch.optim.Adam(net.parameters(), lr=lr)
    critic_optimiser = torch.optim.Adam(critic.parameters(), lr=critic_lr)
    schedules = _decaying(optimiser, steps), _decaying(critic_optimiser, steps)
    for index in _minibatches(len(data), batch_size, steps, generator):
        batch = _select(everything, index)
        outcomes = Outcomes(*(getattr(all_outcomes, name)[index] for name in Outcomes.__slots__))
        with torch.no_grad():
            log_q = net.encoder(batch)
        for _ in range(critic_steps):  # max over f
            bound = chance_information(log_q, infonce_terms(critic, batch, outcomes), batch.mask)
            critic_optimiser.zero_grad()
            (-bound).backward()
            critic_optimiser.step()
        with torch.no_grad():
            terms = infonce_terms(critic, batch, outcomes)
        log_q = net.encoder(batch)  # min over q, pi, prior, V
        q = log_q.exp()
        heads, kl = _heads_loss(net, batch, q, log_q, value_pseudo_episodes, len(data))
        information = chance_information(log_q, terms, batch.mask)
        loss = heads + kl_weight * kl + beta * information - usage * code_usage(q)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        for schedule in schedules:
            schedule.step()
    settle_code_values(net, everything, value_pseudo_episodes)
    return DoCAgent(net.eval(), samples)


def settle_code_values(net: DichotomyOfControl, batch: Batch, pseudo_episodes: float) -> None:
    """Set each code's value to the value loss's exact minimiser: its episodes' mean return above the start's worth.

    Adam leaves a code the encoder abandoned late with the value of the episodes it lost (its
    step size still remembers their large gradients), so the last word is the closed form,
    with the ``pseudo_episodes`` of every code weighing in as in training.
    """
    with torch.no_grad():
        q = net.encoder(batch).exp()
        residual = batch.returns_to_go[:, 0] - net.start_value(net.past(batch)[:, 0]).squeeze(-1)
        weight = q + pseudo_episodes / len(q)
        net.code_value.copy_((weight * residual.unsqueeze(-1)).sum(0) / weight.sum(0))


@dataclass(slots=True)
class Rollouts:
    """Episodes of an agent: each one's return and what the agent expected at the start."""

    returns: np.ndarray
    predicted: np.ndarray  # V(z*) at t=0 for DoC, the target return for DT
    choices: np.ndarray    # z* at t=0 for DoC, 0 for DT (one target)


def rollout(agent: ConditionedAgent, env: RewardEnvironment, episodes: int, seed: int) -> Rollouts:
    """Run ``episodes`` episodes in lockstep, the networks batched across them."""
    rng = np.random.default_rng(seed)
    generator = torch.Generator().manual_seed(seed)
    states = [env.reset(rng) for _ in range(episodes)]
    live = np.ones(episodes, dtype=bool)
    returns = np.zeros(episodes)
    predicted = np.zeros(episodes)
    choices = np.zeros(episodes, dtype=np.int64)
    prev_action = torch.full((episodes,), -1, dtype=torch.long)
    prev_reward = torch.zeros(episodes)
    hidden = None
    return_to_go = torch.full((episodes,), agent.target_return) if isinstance(agent, DTAgent) else None
    if return_to_go is not None:
        predicted[:] = agent.target_return
    with torch.no_grad():
        for t in range(env.horizon):
            obs = torch.from_numpy(np.stack([env.observe(s) for s in states]).astype(np.float32))
            hidden = agent.net.past.step(obs, prev_action, prev_reward, hidden)
            if isinstance(agent, DTAgent):
                logits = agent.net.logits(hidden, return_to_go)
            else:
                if t == 0:  # K draws from p(z | s_0), keep the one V rates highest, for the whole episode
                    prior = torch.softmax(agent.net.prior(hidden), -1)
                    drawn = torch.multinomial(prior, agent.samples, replacement=True, generator=generator)
                    values = agent.net.value(hidden)
                    chosen = drawn[torch.arange(episodes), torch.gather(values, 1, drawn).argmax(1)]
                    predicted[:], choices[:] = values[torch.arange(episodes), chosen].numpy(), chosen.numpy()
                logits = agent.net.policy_logits(hidden)[torch.arange(episodes), chosen]
            actions = torch.multinomial(torch.softmax(logits, -1), 1, generator=generator).squeeze(1)
            rewards = np.zeros(episodes, dtype=np.float32)
            for i in np.flatnonzero(live):
                states[i], rewards[i], done = env.step(states[i], int(actions[i]), rng)
                live[i] = not done
            returns += rewards
            if return_to_go is not None:
                return_to_go = return_to_go - torch.from_numpy(rewards)
            prev_action, prev_reward = actions, torch.from_numpy(rewards)
            if not live.any():
                break
    return Rollouts(returns, predicted, choices)


def evaluate(agent: ConditionedAgent, env: RewardEnvironment, episodes: int, seed: int) -> float:
    """The agent's mean return over ``episodes`` episodes."""
    return float(rollout(agent, env, episodes, seed).returns.mean())


@dataclass(frozen=True, slots=True)
class Consistency:
    """Per chosen condition (z* or DT's target): predicted vs achieved mean return."""

    per_choice: dict[int, tuple[float, float, int]]  # choice -> (predicted, achieved, episodes)
    gap: float                                      # episode-weighted mean |predicted - achieved|


def consistency(agent: ConditionedAgent, env: RewardEnvironment, episodes: int, seed: int) -> Consistency:
    """How far the return the agent conditions on is from the return it then achieves."""
    runs = rollout(agent, env, episodes, seed)
    per_choice = {}
    for choice in np.unique(runs.choices):
        chosen = runs.choices == choice
        per_choice[int(choice)] = (float(runs.predicted[chosen].mean()), float(runs.returns[chosen].mean()),
                                   int(chosen.sum()))
    gap = sum(n * abs(p - a) for p, a, n in per_choice.values()) / episodes
    return Consistency(per_choice, float(gap))


Cells = dict[bytes, dict[bytes, list[np.ndarray]]]  # condition -> outcome -> q(z | episode) of each member


def _plug_in_information(cells: Cells) -> float:
    """sum over conditions c and outcomes y of P(c, y) KL(q(z | c, y) || q(z | c)), in nats."""
    total = sum(len(members) for outcomes in cells.values() for members in outcomes.values())
    information = 0.0
    for outcomes in cells.values():
        q_given_condition = np.concatenate([np.stack(v) for v in outcomes.values()]).mean(0)
        for members in outcomes.values():
            q_given_outcome = np.stack(members).mean(0)
            kl = np.sum(q_given_outcome * (np.log(q_given_outcome + 1e-12) - np.log(q_given_condition + 1e-12)))
            information += len(members) / total * float(kl)
    return information


def _episode_codes(agent: DoCAgent, data: Dataset, caller: str) -> tuple[Batch, np.ndarray]:
    """The padded data and q(z | episode) for each of its episodes."""
    if not isinstance(agent, DoCAgent):
        raise TypeError(f"{caller} needs a DoC agent (one with a latent z), got {type(agent).__name__}")
    batch = to_batch(data)
    with torch.no_grad():
        return batch, agent.net.encoder(batch).exp().numpy()


def mutual_information(agent: DoCAgent, data: Dataset) -> float:
    """Plug-in I(z; s_{t+1}, r_t | s_t, a_t) in nats, pooled over steps, under q and the data's frequencies.

    Exact for the data's empirical distribution when states are tabular (the bandit:
    I(z; r | a)); with continuous features most cells hold one step and the figure
    understates the truth (use ``luck_information`` there).
    """
    batch, q = _episode_codes(agent, data, "mutual_information")
    cells: Cells = {}
    for i, t in zip(*np.nonzero(batch.mask.numpy())):
        key = batch.obs[i, t].numpy().tobytes() + batch.actions[i, t].numpy().tobytes()
        outcome = (batch.next_obs[i, t].numpy().tobytes() + batch.rewards[i, t].numpy().tobytes()
                   + batch.dones[i, t].numpy().tobytes())
        cells.setdefault(key, {}).setdefault(outcome, []).append(q[i])
    return _plug_in_information(cells)


def luck_information(agent: DoCAgent, data: Dataset) -> float:
    """Plug-in I(z; return | the episode's whole action sequence) in nats.

    Episodes that took the same actions from the same kind of start differ in return only
    by chance, so whatever z tells apart among them is luck; an episode whose action sequence
    is unique in the data adds nothing. Needs no tabular states, unlike ``mutual_information``.
    """
    batch, q = _episode_codes(agent, data, "luck_information")
    cells: Cells = {}
    for i, (actions, episode_return) in enumerate(zip(data.actions, data.returns())):
        cells.setdefault(actions.tobytes(), {}).setdefault(np.float32(episode_return).tobytes(), []).append(q[i])
    return _plug_in_information(cells)
