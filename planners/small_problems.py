"""The papers' own small problems, on which each agent is checked against an exact answer before Crafter.

- IWOCS: the windy grid, a tabular robust MDP whose robust value is known exactly
  (``windy_grid``; ``P`` [S, A, K, S] holds K candidate next-state distributions, the
  vertices of an sa-rectangular uncertainty set, for every state-action pair, ``R`` [S, A]).
- SubPO: the coverage grid, where F(τ) covers the visited cells' footprints and the best
  trajectory is found by brute force (``CoverageGrid``, ``Coverage``, ``optimal_coverage``).
- DoC: the Bernoulli bandit and the slippery 4x4 lake, where luck and skill can be told
  apart exactly (``BernoulliBandit``, ``SlipperyLake``).

Each implements the environment its agent expects: ``planners.subpo.RewardFreeEnvironment``
for the grid, ``planners.doc.RewardEnvironment`` for the bandit and the lake.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from planners.subpo import Objective, WeightedCoverage

# Moves as (row change, column change); row 0 is the top of the grid.
WINDY_GRID_MOVES = {"up": (-1, 0), "down": (1, 0), "left": (0, -1), "right": (0, 1)}
# Moves as (x change, y change), y growing downward: stay, right, up, left, down.
COVERAGE_GRID_MOVES: tuple[tuple[int, int], ...] = ((0, 0), (1, 0), (0, -1), (-1, 0), (0, 1))
# Moves as (row change, column change) in FrozenLake's action order: left, down, right, up.
LAKE_MOVES: tuple[tuple[int, int], ...] = ((0, -1), (1, 0), (0, 1), (-1, 0))
LAKE_4X4: tuple[str, ...] = ("SFFF", "FHFH", "FFFH", "HFFG")


# --- IWOCS: the windy grid ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class WindyGrid:
    """A windy grid world as a tabular robust MDP.

    ``P`` [S, A, K, S], ``R`` [S, A]; vertex k = 0 is the calm world (no push), the
    nominal model; vertex k = 1 pushes upward with probability ``p_max``. States are
    ``row * cols + col`` plus one absorbing ``sink`` that a hole leads to.
    """

    P: np.ndarray
    R: np.ndarray
    rows: int
    cols: int
    start: int
    goal: int
    sink: int
    nominal: int = 0

    def cell(self, state: int) -> tuple[int, int]:
        """The (row, col) of a grid state."""
        return divmod(state, self.cols)


def windy_grid(rows: int = 4, cols: int = 6, p_max: float = 0.4, step_cost: float = 1.0,
               hole_cost: float = 20.0, start: tuple[int, int] = (1, 0),
               goal: tuple[int, int] = (1, 5)) -> WindyGrid:
    """The windy walk: top row of holes, wind that may push the walker up after each move.

    Each move costs ``step_cost``; a move into the grid's edge stays put. After a move
    that ends on an ordinary cell, the wind pushes one cell up with probability p, where
    nature picks p in [0, p_max] separately for every state-action pair (K = 2 vertices:
    0 and p_max). Falling into a hole costs ``hole_cost`` once, then the episode ends
    (the sink); the goal is absorbing with reward 0.
    """
    if rows < 3 or cols < 2:
        raise ValueError(f"windy_grid needs rows >= 3 and cols >= 2, got rows={rows}, cols={cols}")
    if not 0.0 <= p_max <= 1.0:
        raise ValueError(f"p_max must be a probability, got {p_max}")
    for name, (r, c) in (("start", start), ("goal", goal)):
        if not (1 <= r < rows and 0 <= c < cols):
            raise ValueError(f"{name}={(r, c)} must be a cell below the top row of holes")
    n_cells = rows * cols
    sink, start_state, goal_state = n_cells, start[0] * cols + start[1], goal[0] * cols + goal[1]
    P = np.zeros((n_cells + 1, len(WINDY_GRID_MOVES), 2, n_cells + 1))
    R = np.zeros((n_cells + 1, len(WINDY_GRID_MOVES)))
    for state in range(n_cells):
        r, c = divmod(state, cols)
        for a, (dr, dc) in enumerate(WINDY_GRID_MOVES.values()):
            if r == 0:  # a hole: pay once, then the episode is over
                P[state, a, :, sink], R[state, a] = 1.0, -hole_cost
                continue
            if state == goal_state:
                P[state, a, :, state] = 1.0
                continue
            R[state, a] = -step_cost
            r2, c2 = min(max(r + dr, 0), rows - 1), min(max(c + dc, 0), cols - 1)
            landed = r2 * cols + c2
            if r2 == 0 or landed == goal_state:  # no wind once in a hole or at the goal
                P[state, a, :, landed] = 1.0
                continue
            for k, p in enumerate((0.0, p_max)):
                P[state, a, k, landed] += 1.0 - p
                P[state, a, k, landed - cols] += p
    P[sink, :, :, sink] = 1.0
    return WindyGrid(P, R, rows, cols, start_state, goal_state, sink)


# --- SubPO: the coverage grid -------------------------------------------------------------------

class CoverageGrid:
    """The paper's coverage grid: cells (x, y) with y growing downward, 5 moves, off-grid means stay."""

    n_actions = len(COVERAGE_GRID_MOVES)

    def __init__(self, width: int, height: int, horizon: int, start: tuple[int, int] = (0, 0)) -> None:
        if width < 1 or height < 1 or horizon < 1:
            raise ValueError(f"grid needs width, height, horizon >= 1, got {width}, {height}, {horizon}")
        if not (0 <= start[0] < width and 0 <= start[1] < height):
            raise ValueError(f"start {start} is off the {width}x{height} grid")
        self.width, self.height, self.horizon, self.start = width, height, horizon, tuple(start)
        self.n_features = width * height
        self._footprints = [self._cells_covered(x, y) for x in range(width) for y in range(height)]

    def index(self, cell: tuple[int, int]) -> int:
        """The cell's position in [x, y] arrays flattened in C order."""
        return cell[0] * self.height + cell[1]

    def reset(self, rng: np.random.Generator) -> tuple[int, int]:
        return self.start

    def step(self, state: tuple[int, int], action: int, rng: np.random.Generator) -> tuple[int, int]:
        dx, dy = COVERAGE_GRID_MOVES[action]
        x, y = state[0] + dx, state[1] + dy
        return (x, y) if 0 <= x < self.width and 0 <= y < self.height else state

    def features(self, state: tuple[int, int]) -> np.ndarray:
        """One-hot of the cell: a linear policy on it is a table."""
        onehot = np.zeros(self.n_features)
        onehot[self.index(state)] = 1.0
        return onehot

    def footprint(self, state: tuple[int, int]) -> np.ndarray:
        """The cell and its right, down and down-right neighbours that are on the grid."""
        return self._footprints[self.index(state)]

    def _cells_covered(self, x: int, y: int) -> np.ndarray:
        cells = [(x + dx, y + dy) for dx in (0, 1) for dy in (0, 1)]
        return np.array([self.index(c) for c in cells if c[0] < self.width and c[1] < self.height])


class Coverage(Objective):
    """Weighted coverage of the union of the visited cells' footprints (unit weights by default)."""

    def __init__(self, env: CoverageGrid, weights: np.ndarray | None = None) -> None:
        weights = np.ones((env.width, env.height)) if weights is None else np.asarray(weights, dtype=float)
        if weights.shape != (env.width, env.height):
            raise ValueError(f"coverage weights have shape {weights.shape}, expected {(env.width, env.height)}")
        super().__init__(WeightedCoverage(weights), lambda previous, state: env.footprint(state))
        self.env, self.weights = env, weights


def optimal_coverage(coverage: Coverage) -> tuple[float, tuple[int, ...]]:
    """max_τ F(τ) over all 5^H action sequences on the grid, vectorised, and one maximiser."""
    env = coverage.env
    powers = env.n_actions ** np.arange(env.horizon - 1, -1, -1)
    sequences = np.arange(env.n_actions ** env.horizon)[:, None] // powers % env.n_actions  # base-5 digits
    moves = np.array(COVERAGE_GRID_MOVES)
    footprints = np.zeros((env.n_features, env.n_features), dtype=bool)
    for x, y in itertools.product(range(env.width), range(env.height)):
        footprints[env.index((x, y)), env.footprint((x, y))] = True
    x = np.full(len(sequences), env.start[0])
    y = np.full(len(sequences), env.start[1])
    covered = footprints[env.index(env.start)][None].repeat(len(sequences), axis=0)
    for t in range(env.horizon):
        nx, ny = x + moves[sequences[:, t], 0], y + moves[sequences[:, t], 1]
        inside = (nx >= 0) & (nx < env.width) & (ny >= 0) & (ny < env.height)
        x, y = np.where(inside, nx, x), np.where(inside, ny, y)
        covered |= footprints[x * env.height + y]
    values = covered @ coverage.weights.ravel()
    best = int(values.argmax())
    return float(values[best]), tuple(int(a) for a in sequences[best])


# --- DoC: the Bernoulli bandit and the slippery lake ------------------------------------------------

@dataclass(frozen=True, slots=True)
class BernoulliBandit:
    """The paper's bandit: one pull per episode, arm i pays 1 with probability p[i]."""

    p: tuple[float, ...] = (0.1, 0.9)
    horizon: int = 1

    def __post_init__(self) -> None:
        if len(self.p) < 2 or not all(0.0 <= q <= 1.0 for q in self.p):
            raise ValueError(f"BernoulliBandit.p: expected at least two probabilities in [0, 1], got {self.p!r}")

    @property
    def n_actions(self) -> int:
        return len(self.p)

    def reset(self, rng: np.random.Generator) -> int:
        return 0

    def step(self, state: int, action: int, rng: np.random.Generator) -> tuple[int, float, bool]:
        if not 0 <= action < len(self.p):
            raise ValueError(f"BernoulliBandit.step: arm {action!r} is not one of 0..{len(self.p) - 1}")
        return 1, float(rng.random() < self.p[action]), True

    def observe(self, state: int) -> np.ndarray:
        return np.ones(1, dtype=np.float32)


@dataclass(frozen=True, slots=True)
class SlipperyLake:
    """FrozenLake's rules: the move goes as intended, or slips to either side, each w.p. 1/3.

    S start, F frozen, H hole (episode over, 0), G goal (episode over, 1).
    """

    grid: tuple[str, ...] = LAKE_4X4
    horizon: int = 30
    n_actions: int = 4

    def __post_init__(self) -> None:
        for row, line in enumerate(self.grid):
            if len(line) != len(self.grid[0]) or set(line) - set("SFHG"):
                raise ValueError(f"SlipperyLake.grid row {row}: expected {len(self.grid[0])} letters of S/F/H/G, "
                                 f"got {line!r}")
        if "".join(self.grid).count("S") != 1:
            raise ValueError("SlipperyLake.grid: expected exactly one start cell S")

    @property
    def cells(self) -> int:
        return len(self.grid) * len(self.grid[0])

    def reset(self, rng: np.random.Generator) -> int:
        return "".join(self.grid).index("S")

    def outcomes(self, cell: int, action: int) -> list[tuple[int, float]]:
        """Every (next cell, probability) of ``action`` in ``cell``."""
        if not 0 <= action < 4:
            raise ValueError(f"SlipperyLake: action {action!r} is not one of 0..3 (left, down, right, up)")
        rows, cols = len(self.grid), len(self.grid[0])
        row, col = divmod(cell, cols)
        result: list[tuple[int, float]] = []
        for slip in (-1, 0, 1):
            drow, dcol = LAKE_MOVES[(action + slip) % 4]
            r, c = min(max(row + drow, 0), rows - 1), min(max(col + dcol, 0), cols - 1)
            result.append((r * cols + c, 1 / 3))
        return result

    def letter(self, cell: int) -> str:
        return self.grid[cell // len(self.grid[0])][cell % len(self.grid[0])]

    def step(self, cell: int, action: int, rng: np.random.Generator) -> tuple[int, float, bool]:
        options = self.outcomes(cell, action)
        nxt = options[int(rng.integers(len(options)))][0]
        letter = self.letter(nxt)
        return nxt, float(letter == "G"), letter in "HG"

    def observe(self, cell: int) -> np.ndarray:
        view = np.zeros(self.cells, dtype=np.float32)
        view[cell] = 1.0
        return view

    def optimal_policy(self, sweeps: int = 500) -> tuple[np.ndarray, float]:
        """Value iteration without a time limit: the best action per cell and the start value."""
        values = np.zeros(self.cells)
        q = np.zeros((self.cells, 4))
        for _ in range(sweeps):
            for cell in range(self.cells):
                if self.letter(cell) in "HG":
                    continue
                for action in range(4):
                    q[cell, action] = sum(p * (1.0 if self.letter(n) == "G" else values[n])
                                          for n, p in self.outcomes(cell, action))
            values = q.max(1) * np.array([self.letter(c) not in "HG" for c in range(self.cells)])
        return q.argmax(1), float(values[self.reset(np.random.default_rng(0))])
