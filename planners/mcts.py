"""Monte Carlo tree search (UCT) that plans in any world model and acts in the real game.

The tree branches over choices, either primitive actions or options. A choice taken from a
node is run in the model (an option until it ends, its step budget is spent or it stalls),
so one edge may lead to many sampled outcomes: double progressive widening keeps at most
``ceil(widening * visits ** widening_power)`` outcomes per edge and otherwise revisits one
in proportion to how often it was drawn. Every random draw (model samples, rollouts, ties)
comes from the planner's seeded generator.

As an agent, ``MCTS.act(state)`` searches from the real state, then follows the chosen
option step by step in the real game and searches again once it is over.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from crafter_oo.rules import ACTIONS
from crafter_oo.state import WorldState
from crafter_oo.skills.options import Option, crafter_options
from planners.rewards import Reward, crafter_reward, player_dead
from worldmodel import Action, Sampler

Choice = Action | Option


@dataclass(slots=True)
class Outcome:
    """One sampled result of taking a choice: the reward collected on the way and where it led."""

    node: "Node"
    reward: float
    steps: int
    count: int = 1


@dataclass(slots=True)
class Edge:
    """Statistics of one choice at one node."""

    visits: int = 0
    total: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def mean(self) -> float:
        return self.total / self.visits if self.visits else 0.0


@dataclass(slots=True)
class Node:
    """A state in the tree with the choices available there."""

    state: WorldState
    choices: list[int]
    visits: int = 0
    edges: dict[int, Edge] = field(default_factory=dict)


class MCTS:
    """UCT over primitive actions or options, planning in ``model``.

    ``simulations`` searches per decision, each at most ``depth`` choices deep and
    ``horizon`` primitive steps long, finished by ``rollout_steps`` random actions.
    """

    def __init__(self, model: Sampler, choices: Sequence[Choice] | None = None,
                 reward: Reward = crafter_reward, simulations: int = 32, depth: int = 3,
                 horizon: int = 60, rollout_steps: int = 0, exploration: float = 1.0,
                 discount: float = 0.98, widening: float = 1.0, widening_power: float = 0.5,
                 seed: int = 0) -> None:
        if simulations < 1 or depth < 1 or horizon < 1 or rollout_steps < 0:
            raise ValueError("MCTS: simulations, depth and horizon must be >= 1 and rollout_steps >= 0; "
                             f"got {simulations}, {depth}, {horizon}, {rollout_steps}")
        self.model = model
        self.choices: tuple[Choice, ...] = tuple(crafter_options() if choices is None else choices)
        if not self.choices:
            raise ValueError("MCTS: needs at least one choice")
        for choice in self.choices:
            if not isinstance(choice, Option) and choice not in ACTIONS:
                raise ValueError(f"MCTS: choice {choice!r} is neither an Option nor one of {ACTIONS}")
        self.reward = reward
        self.simulations = simulations
        self.depth = depth
        self.horizon = horizon
        self.rollout_steps = rollout_steps
        self.exploration = exploration
        self.discount = discount
        self.widening = widening
        self.widening_power = widening_power
        self.rng = np.random.default_rng(seed)
        self.running: Option | None = None

    def act(self, state: WorldState) -> Action:
        """The next primitive action in the real game: continue the current option or search anew."""
        if self.running is not None:
            action = self.running.act(state)
            if action is not None:
                return action
            self.running = None
        choice = self.plan(state)
        if isinstance(choice, Option):
            option = choice.fresh()
            action = option.act(state)
            if action is None:
                return "noop"
            self.running = option
            return action
        return choice

    def plan(self, state: WorldState) -> Choice:
        """The most visited choice at the root after ``simulations`` searches."""
        root = self.search(state)
        if not root.edges:
            return "noop"
        most = max(edge.visits for edge in root.edges.values())
        best = [index for index, edge in root.edges.items() if edge.visits == most]
        return self.choices[best[int(self.rng.integers(len(best)))]]

    def search(self, state: WorldState) -> Node:
        """Build a search tree from ``state`` and return its root."""
        root = self._node(state)
        for _ in range(self.simulations):
            self._simulate(root, self.depth, self.horizon)
        return root

    def _node(self, state: WorldState) -> Node:
        return Node(state, [int(i) for i in self.rng.permutation(len(self.choices))])

    def _applicable(self, state: WorldState, index: int) -> bool:
        """An option applies if it would act at all here; a primitive action always applies."""
        choice = self.choices[index]
        return not isinstance(choice, Option) or choice.fresh().act(state) is not None

    def _simulate(self, node: Node, depth: int, steps_left: int) -> float:
        if player_dead(node.state) or steps_left <= 0:
            return 0.0
        index = self._select(node) if depth > 0 else None
        if index is None:
            return self._rollout(node.state, min(self.rollout_steps, steps_left))
        edge = node.edges.setdefault(index, Edge())
        outcome = self._outcome(node, index, edge, steps_left)
        value = outcome.reward + self.discount ** outcome.steps * self._simulate(
            outcome.node, depth - 1, steps_left - outcome.steps)
        node.visits += 1
        edge.visits += 1
        edge.total += value
        return value

    def _select(self, node: Node) -> int | None:
        """The next untried applicable choice, else the one with the highest upper bound."""
        for index in list(node.choices):
            if index not in node.edges:
                if self._applicable(node.state, index):
                    return index
                node.choices.remove(index)
        if not node.choices:
            return None
        log_visits = math.log(node.visits)

        def upper_bound(index: int) -> float:
            edge = node.edges[index]
            return edge.mean + self.exploration * math.sqrt(log_visits / edge.visits)

        return max(node.choices, key=upper_bound)

    def _outcome(self, node: Node, index: int, edge: Edge, steps_left: int) -> Outcome:
        if len(edge.outcomes) < math.ceil(self.widening * (edge.visits + 1) ** self.widening_power):
            state, reward, steps = self._execute(node.state, self.choices[index], steps_left)
            outcome = Outcome(self._node(state), reward, steps)
            edge.outcomes.append(outcome)
            return outcome
        counts = np.array([outcome.count for outcome in edge.outcomes], dtype=float)
        outcome = edge.outcomes[int(self.rng.choice(len(counts), p=counts / counts.sum()))]
        outcome.count += 1
        return outcome

    def _execute(self, state: WorldState, choice: Choice, steps_left: int) -> tuple[WorldState, float, int]:
        """Run one choice in the model: (end state, discounted reward, steps taken).

        An option stops when it finishes, when the player dies, when the steps run out, or
        when its action left the state unchanged (it would only repeat itself).
        """
        option = choice.fresh() if isinstance(choice, Option) else None
        reward, weight, steps = 0.0, 1.0, 0
        while steps < steps_left and not player_dead(state):
            action = option.act(state) if option is not None else (choice if steps == 0 else None)
            if action is None:
                break
            next_state = self.model.sample(state, action, self.rng)
            reward += weight * self.reward(state, action, next_state)
            weight *= self.discount
            steps += 1
            stalled = next_state == state
            state = next_state
            if stalled:
                break
        return state, reward, steps

    def _rollout(self, state: WorldState, steps: int) -> float:
        value, weight = 0.0, 1.0
        for _ in range(steps):
            if player_dead(state):
                break
            action = ACTIONS[int(self.rng.integers(len(ACTIONS)))]
            next_state = self.model.sample(state, action, self.rng)
            value += weight * self.reward(state, action, next_state)
            weight *= self.discount
            state = next_state
        return value
