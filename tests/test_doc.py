"""DoC against DT on the paper's bandit and a slippery lake; the environments DoC runs in."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from planners import doc
from planners.doc_crafter import NIGHT_ACTIONS, NightCamp, night_behaviour
from planners.small_problems import BernoulliBandit, SlipperyLake
from worldmodel import TrueModel

torch.set_num_threads(1)
BANDIT = BernoulliBandit((0.1, 0.9))


@pytest.fixture(scope="module")
def bandit_runs() -> list[dict[str, float]]:
    """Ten seeds of the paper's bandit: 1,000 pulls of a behaviour picking arm 0 w.p. 0.9."""
    runs = []
    for seed in range(10):
        data = doc.collect(BANDIT, (0.9, 0.1), 1000, seed)
        dt = doc.train_dt(data, seed=seed, target_return=1.0, steps=150)
        doc_agent = doc.train_doc(data, negatives=BANDIT, beta=1.0, seed=seed, steps=150)
        dt_check = doc.consistency(dt, BANDIT, 2000, 100 + seed)
        doc_check = doc.consistency(doc_agent, BANDIT, 2000, 100 + seed)
        runs.append({"behaviour": float(data.returns().mean()),
                     "dt": doc.evaluate(dt, BANDIT, 2000, 100 + seed),
                     "doc": doc.evaluate(doc_agent, BANDIT, 2000, 100 + seed),
                     "mi": doc.mutual_information(doc_agent, data),
                     "dt_gap": dt_check.gap, "doc_gap": doc_check.gap})
    return runs


def test_bandit_behaviour_earns_what_the_analysis_says(bandit_runs: list[dict[str, float]]) -> None:
    assert abs(np.mean([r["behaviour"] for r in bandit_runs]) - 0.18) < 0.02


def test_bandit_dt_imitates_luck_and_earns_one_half(bandit_runs: list[dict[str, float]]) -> None:
    dt = [r["dt"] for r in bandit_runs]
    assert abs(np.mean(dt) - 0.5) < 0.05
    assert all(abs(x - 0.5) < 0.1 for x in dt), dt


def test_bandit_doc_finds_the_good_arm(bandit_runs: list[dict[str, float]]) -> None:
    assert sum(r["doc"] >= 0.85 for r in bandit_runs) >= 8, [r["doc"] for r in bandit_runs]


def test_bandit_doc_latent_carries_no_luck(bandit_runs: list[dict[str, float]]) -> None:
    assert all(r["mi"] < 0.05 for r in bandit_runs), [r["mi"] for r in bandit_runs]


def test_bandit_doc_is_consistent_and_dt_is_not(bandit_runs: list[dict[str, float]]) -> None:
    assert np.mean([r["doc_gap"] for r in bandit_runs]) < 0.1
    assert min(r["dt_gap"] for r in bandit_runs) > 0.3


class _FixedEncoder(nn.Module):
    """q(z | a, r) given as a table, to check the information estimate against a formula."""

    def __init__(self, table: torch.Tensor) -> None:
        super().__init__()
        self.table = table  # [actions, rewards, codes]

    def forward(self, batch: doc.Batch) -> torch.Tensor:
        return self.table[batch.actions[:, 0], batch.rewards[:, 0].long()].log()


def _agent_with(table: torch.Tensor) -> doc.DoCAgent:
    net = doc.DichotomyOfControl(1, 2, 4, table.shape[-1])
    net.encoder = _FixedEncoder(table)
    return doc.DoCAgent(net, 8)


def _entropy(p: float) -> float:
    return -sum(x * math.log(x) for x in (p, 1 - p) if x > 0)


def test_mutual_information_of_a_reward_copying_latent_is_the_reward_entropy() -> None:
    data = doc.collect(BANDIT, (0.5, 0.5), 400, seed=3)
    copy_reward = torch.tensor([[[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]])
    actions = np.concatenate(data.actions)
    rewards = np.concatenate(data.rewards)
    expected = sum((actions == a).mean() * _entropy(rewards[actions == a].mean()) for a in (0, 1))
    assert doc.mutual_information(_agent_with(copy_reward), data) == pytest.approx(expected, abs=1e-6)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.floats(0.05, 0.95), min_size=2, max_size=2))
def test_mutual_information_is_zero_when_the_latent_ignores_the_reward(firsts: list[float]) -> None:
    table = torch.tensor([[[f, 1 - f]] * 2 for f in firsts])  # q(z | a) only
    data = doc.collect(BANDIT, (0.3, 0.7), 200, seed=1)
    assert doc.mutual_information(_agent_with(table), data) == pytest.approx(0.0, abs=1e-6)


def test_mutual_information_needs_a_latent() -> None:
    data = doc.collect(BANDIT, (0.5, 0.5), 20, seed=0)
    with pytest.raises(TypeError, match="DoC agent"):
        doc.mutual_information(doc.train_dt(data, seed=0, steps=1), data)


@pytest.mark.parametrize("behaviour", [(0.5,), (0.7, 0.7), (-0.1, 1.1)])
def test_collect_rejects_bad_action_probabilities(behaviour: tuple[float, ...]) -> None:
    with pytest.raises(ValueError, match="action probabilities"):
        doc.collect(BANDIT, behaviour, 5, seed=0)


def test_collect_is_deterministic_per_seed() -> None:
    a, b = (doc.collect(SlipperyLake(), (0.25,) * 4, 20, seed=7) for _ in range(2))
    assert all(np.array_equal(x, y) for x, y in zip(a.actions, b.actions))
    assert all(np.array_equal(x, y) for x, y in zip(a.rewards, b.rewards))


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 15), st.integers(0, 3))
def test_lake_moves_are_a_distribution_over_neighbours(cell: int, action: int) -> None:
    lake = SlipperyLake()
    outcomes = lake.outcomes(cell, action)
    assert sum(p for _, p in outcomes) == pytest.approx(1.0)
    for nxt, _ in outcomes:
        assert abs(nxt // 4 - cell // 4) + abs(nxt % 4 - cell % 4) <= 1


def test_lake_rejects_malformed_grids() -> None:
    with pytest.raises(ValueError, match="row 1"):
        SlipperyLake(grid=("SFFF", "FXFH", "FFFH", "HFFG"))


def test_lake_doc_is_consistent_and_dt_is_not() -> None:
    lake = SlipperyLake()
    best, _ = lake.optimal_policy()
    careful = lambda cell, rng: int(best[cell]) if rng.random() > 0.3 else int(rng.integers(4))  # noqa: E731
    data = doc.concatenate([doc.collect(lake, careful, 120, seed=0), doc.collect(lake, (0.25,) * 4, 60, seed=1)])
    dt = doc.consistency(doc.train_dt(data, seed=0, steps=120), lake, 400, seed=5)
    doc_check = doc.consistency(doc.train_doc(data, negatives=lake, seed=0, steps=120), lake, 400, seed=5)
    assert doc_check.gap < 0.1
    assert dt.gap > 0.5


class _CountingModel:
    """A world model that counts how often it is asked for a next state."""

    def __init__(self) -> None:
        self.inner, self.calls = TrueModel(resample_chance=True), 0

    def sample(self, state, action, rng):  # noqa: ANN001, ANN201
        self.calls += 1
        return self.inner.sample(state, action, rng)

    def log_prob(self, state, action, next_state):  # noqa: ANN001, ANN201
        return self.inner.log_prob(state, action, next_state)


def test_negatives_are_k_draws_from_the_model_at_each_step() -> None:
    model = _CountingModel()
    camp = NightCamp(model, horizon=4)
    data = doc.collect(camp, night_behaviour("sleeper"), 3, seed=0)
    steps, before = sum(len(a) for a in data.actions), model.calls
    outcomes = doc.draw_negatives(data, camp, k=5, seed=0)
    assert model.calls - before == 5 * steps
    assert outcomes.next_obs.shape[2] == 5


def test_night_camp_sleeping_in_the_open_is_luck_and_shelter_is_skill() -> None:
    camp = NightCamp(TrueModel(resample_chance=True))
    sleepers = doc.collect(camp, night_behaviour("sleeper"), 30, seed=0).returns()
    builders = doc.collect(camp, night_behaviour("builder"), 10, seed=0).returns()
    assert (sleepers == 1.0).any() and (sleepers < 0.5).any()
    assert np.all(builders == 1.0)


def test_night_camp_rejects_unknown_actions_and_behaviours() -> None:
    camp = NightCamp(TrueModel())
    state = camp.reset(np.random.default_rng(0))
    with pytest.raises(ValueError, match="not one of"):
        camp.step(state, len(NIGHT_ACTIONS), np.random.default_rng(0))
    with pytest.raises(ValueError, match="sleeper"):
        night_behaviour("gambler")


class _ReturnCopyingEncoder(nn.Module):
    """q(z | episode) = one code per episode return: a latent that is pure luck among equal action sequences."""

    def __init__(self, returns: list[float]) -> None:
        super().__init__()
        self.returns = sorted(set(returns))

    def forward(self, batch: doc.Batch) -> torch.Tensor:
        codes = [self.returns.index(float(np.float32(r))) for r in batch.returns_to_go[:, 0].tolist()]
        return torch.log(nn.functional.one_hot(torch.tensor(codes), len(self.returns)).float() + 1e-30)


@pytest.fixture(scope="module")
def night_data() -> doc.Dataset:
    """Sleepers (same actions, luck decides) and builders on a short Crafter night in the true game."""
    camp = NightCamp(TrueModel(resample_chance=True), horizon=16)
    return doc.concatenate([doc.collect(camp, night_behaviour("sleeper"), 40, seed=0),
                            doc.collect(camp, night_behaviour("builder"), 10, seed=1)])


def test_luck_information_of_a_return_copying_latent_is_the_luck_in_the_returns(night_data: doc.Dataset) -> None:
    returns = [float(np.float32(r)) for r in night_data.returns()]
    net = doc.DichotomyOfControl(night_data.observations[0].shape[-1], len(NIGHT_ACTIONS), 4, len(set(returns)))
    net.encoder = _ReturnCopyingEncoder(returns)
    groups: dict[bytes, list[float]] = {}
    for actions, r in zip(night_data.actions, returns):
        groups.setdefault(actions.tobytes(), []).append(r)
    expected = sum(len(g) / len(returns) * -sum(c / len(g) * math.log(c / len(g))
                                                for c in np.unique(g, return_counts=True)[1]) for g in groups.values())
    assert expected > 0.1  # the sleepers' returns do differ by luck
    assert doc.luck_information(doc.DoCAgent(net, 8), night_data) == pytest.approx(expected, abs=1e-6)


def test_doc_values_a_code_the_data_never_uses_at_the_data_average() -> None:
    data = doc.collect(BANDIT, (0.9, 0.1), 400, seed=2)
    agent = doc.train_doc(data, negatives=BANDIT, seed=2, codes=16, steps=150)
    batch = doc.to_batch(data)
    with torch.no_grad():
        used = agent.net.encoder(batch).exp().sum(0)
        values = agent.net.value(agent.net.past(batch)[:, 0])[0]
    unused = used < 0.05  # a twentieth of an episode in all, against the one pseudo-episode every code has
    assert unused.any()
    assert torch.all((values[unused] - float(data.returns().mean())).abs() < 0.1), (values, used)


@pytest.fixture(scope="module")
def night_doc(night_data: doc.Dataset) -> doc.DoCAgent:
    """DoC with the code-usage term on the short night."""
    camp = NightCamp(TrueModel(resample_chance=True), horizon=16)
    return doc.train_doc(night_data, negatives=camp, seed=0, steps=100, k=4, usage=1.0)


def test_night_camp_code_usage_gives_the_builders_codes_of_their_own(night_data: doc.Dataset,
                                                                    night_doc: doc.DoCAgent) -> None:
    with torch.no_grad():
        codes = night_doc.net.encoder(doc.to_batch(night_data)).argmax(-1).numpy()
    sleepers, builders = set(codes[:40]), set(codes[40:])
    assert sleepers.isdisjoint(builders), (sleepers, builders)


def test_night_camp_doc_keeps_its_promise_where_dt_does_not(night_data: doc.Dataset,
                                                            night_doc: doc.DoCAgent) -> None:
    camp = NightCamp(TrueModel(resample_chance=True), horizon=16)
    dt = doc.consistency(doc.train_dt(night_data, seed=0, steps=100), camp, 100, seed=9)
    check = doc.consistency(night_doc, camp, 100, seed=9)
    achieved = lambda c: sum(n * a for _, a, n in c.per_choice.values()) / 100  # noqa: E731
    assert doc.luck_information(night_doc, night_data) < 0.05
    assert check.gap < dt.gap
    assert achieved(check) >= achieved(dt) - 0.05


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 8), st.integers(2, 8), st.integers(0, 2**31 - 1))
def test_code_usage_counts_the_codes_the_episodes_share(episodes: int, codes: int, seed: int) -> None:
    q = torch.softmax(3 * torch.randn(episodes, codes, generator=torch.Generator().manual_seed(seed)), -1)
    usage = float(doc.code_usage(q))
    assert -1e-6 <= usage <= math.log(codes) + 1e-6
    assert float(doc.code_usage(q[:, torch.randperm(codes)])) == pytest.approx(usage, abs=1e-5)
    one_code = nn.functional.one_hot(torch.zeros(episodes, dtype=torch.long), codes).float()
    assert float(doc.code_usage(one_code)) == pytest.approx(0.0, abs=1e-6)
    spread = torch.eye(codes)[torch.arange(episodes * codes) % codes]
    assert float(doc.code_usage(spread)) == pytest.approx(math.log(codes), abs=1e-5)


def test_a_code_shifts_the_value_of_every_start_by_the_same_amount() -> None:
    torch.manual_seed(0)
    net = doc.DichotomyOfControl(3, 2, 8, 5)
    with torch.no_grad():
        net.code_value.copy_(torch.randn(5))
        values = net.value(torch.randn(10, 8))
    shifts = values - values[:, :1]
    assert torch.allclose(shifts, shifts[:1].expand_as(shifts), atol=1e-6)
    assert values[:, 0].std() > 1e-3  # while the start itself does matter
