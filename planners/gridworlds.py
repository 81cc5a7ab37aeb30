"""Small tabular robust MDPs for checking robust planners against exact answers.

A tabular robust MDP here is ``P`` of shape [S, A, K, S] (K candidate next-state
distributions, the vertices of an sa-rectangular uncertainty set, for every state-action
pair) and ``R`` of shape [S, A].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Moves as (row change, column change); row 0 is the top of the grid.
MOVES = {"up": (-1, 0), "down": (1, 0), "left": (0, -1), "right": (0, 1)}


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
    P = np.zeros((n_cells + 1, len(MOVES), 2, n_cells + 1))
    R = np.zeros((n_cells + 1, len(MOVES)))
    for state in range(n_cells):
        r, c = divmod(state, cols)
        for a, (dr, dc) in enumerate(MOVES.values()):
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
