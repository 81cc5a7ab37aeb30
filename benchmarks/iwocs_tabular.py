"""IWOCS on the windy grid world against robust value iteration, in one run.

Prints IWOCS's (upper, lower) bounds per iteration, the robust value from robust value
iteration, the worst-case value of the nominal (calm-world) optimal policy, both
policies as arrows, and the median wall time of IWOCS over that of robust value
iteration (their ratio), then one JSON line with every figure.

    python benchmarks/iwocs_tabular.py [--gamma 0.95] [--p-max 0.4] [--repeats 20]
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from planners import iwocs
from planners.small_problems import WINDY_GRID_MOVES, WindyGrid, windy_grid
from common import median_seconds  # the sibling benchmark helpers

ARROWS = dict(zip(WINDY_GRID_MOVES, "^v<>"))


def policy_picture(grid: WindyGrid, policy: np.ndarray) -> str:
    """The policy as arrows; holes are 'O', the start 'S' (with its arrow after), the goal 'G'."""
    lines = []
    for r in range(grid.rows):
        cells = []
        for c in range(grid.cols):
            state = r * grid.cols + c
            arrow = ARROWS[list(WINDY_GRID_MOVES)[policy[state]]]
            cells.append("O " if r == 0 else "G " if state == grid.goal else
                         "S" + arrow if state == grid.start else arrow + " ")
        lines.append(" ".join(cells))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gamma", type=float, default=0.95)
    parser.add_argument("--p-max", type=float, default=0.4)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()

    grid = windy_grid(p_max=args.p_max)
    robust_values, _ = iwocs.robust_value_iteration(grid.P, grid.R, args.gamma)
    result = iwocs.solve_tabular(grid.P, grid.R, args.gamma, grid.start)
    calm = iwocs.static_model(grid.P, np.full(grid.P.shape[:2], grid.nominal))
    calm_q = iwocs.optimal_q(calm, grid.R, args.gamma)
    nominal = np.argmax(calm_q, axis=1)
    nominal_worst = float(iwocs.worst_case_model(grid.P, grid.R, args.gamma, nominal)[1][grid.start])
    nominal_calm = float(calm_q[grid.start].max())

    print(f"windy grid {grid.rows}x{grid.cols}, gamma={args.gamma}, p in [0, {args.p_max}], K=2")
    print("iteration   upper (min_j V*_Tj(s0))   lower (V^pi_i on worst model)   gap")
    for i, (upper, lower) in enumerate(result.bounds):
        print(f"{i:9d}   {upper:24.6f}   {lower:29.6f}   {upper - lower:.2e}")
    print(f"robust value iteration V(s0)     {robust_values[grid.start]:.6f}")
    difference = abs(result.value - robust_values[grid.start])
    print(f"IWOCS value                      {result.value:.6f}  (|diff| {difference:.1e})")
    print(f"nominal policy, calm world       {nominal_calm:.6f}")
    print(f"nominal policy, worst case       {nominal_worst:.6f}")
    print("IWOCS policy:\n" + policy_picture(grid, result.policy))
    print("nominal policy:\n" + policy_picture(grid, nominal))

    vi_seconds = median_seconds(lambda: iwocs.robust_value_iteration(grid.P, grid.R, args.gamma), args.repeats)
    iwocs_seconds = median_seconds(lambda: iwocs.solve_tabular(grid.P, grid.R, args.gamma, grid.start),
                                   args.repeats)
    print(f"time: robust VI {vi_seconds * 1e3:.2f} ms, IWOCS {iwocs_seconds * 1e3:.2f} ms, "
          f"IWOCS / robust VI = {iwocs_seconds / vi_seconds:.2f}")
    print(json.dumps({"bounds": result.bounds, "models": len(result.models),
                      "robust_vi_value": float(robust_values[grid.start]), "iwocs_value": result.value,
                      "nominal_calm_value": nominal_calm, "nominal_worst_case_value": nominal_worst,
                      "robust_vi_seconds": vi_seconds, "iwocs_seconds": iwocs_seconds,
                      "iwocs_over_robust_vi": iwocs_seconds / vi_seconds}))


if __name__ == "__main__":
    main()
