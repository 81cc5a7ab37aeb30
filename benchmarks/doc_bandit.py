"""DoC vs DT on the paper's Bernoulli bandit and on a slippery 4x4 lake.

Bandit: arms pay 1 w.p. (0.1, 0.9); data are 1,000 pulls of a behaviour picking arm 0
w.p. 0.9 (analytically: behaviour 0.18, DT conditioned on return 1 earns 0.5, optimum 0.9).
Per seed: both agents' mean return, DoC's I(z; r | a) and both consistency gaps
(|V(z*) - achieved| for DoC, |target - achieved| for DT). Lake: data from a careful
(optimal w.p. 0.7) and a uniform behaviour; returns and consistency gaps of both agents.
Ends with one JSON line of the summary.

    python benchmarks/doc_bandit.py [--seeds 10] [--eval 4000] [--lake-seeds 3]
"""

from __future__ import annotations

import argparse
import json

import numpy as np
import torch
from tqdm import tqdm

from planners import doc
from planners.small_problems import BernoulliBandit, SlipperyLake


def bandit(seeds: int, episodes: int) -> dict[str, list[float]]:
    """Per-seed figures on the paper's bandit."""
    env = BernoulliBandit((0.1, 0.9))
    rows: dict[str, list[float]] = {k: [] for k in ("behaviour", "dt", "doc", "mi", "dt_gap", "doc_gap")}
    for seed in tqdm(range(seeds), desc="bandit seeds"):
        data = doc.collect(env, (0.9, 0.1), 1000, seed)
        dt = doc.train_dt(data, seed=seed, target_return=1.0)
        agent = doc.train_doc(data, negatives=env, beta=1.0, seed=seed)
        rows["behaviour"].append(float(data.returns().mean()))
        rows["dt"].append(doc.evaluate(dt, env, episodes, 100 + seed))
        rows["doc"].append(doc.evaluate(agent, env, episodes, 100 + seed))
        rows["mi"].append(doc.mutual_information(agent, data))
        rows["dt_gap"].append(doc.consistency(dt, env, episodes, 100 + seed).gap)
        rows["doc_gap"].append(doc.consistency(agent, env, episodes, 100 + seed).gap)
    return rows


def lake(seeds: int, episodes: int) -> dict[str, list[float]]:
    """Per-seed returns and consistency gaps on the slippery lake."""
    env = SlipperyLake()
    best, _ = env.optimal_policy()
    careful = lambda cell, rng: int(best[cell]) if rng.random() > 0.3 else int(rng.integers(4))  # noqa: E731
    rows: dict[str, list[float]] = {k: [] for k in ("data", "dt", "doc", "dt_gap", "doc_gap")}
    for seed in tqdm(range(seeds), desc="lake seeds"):
        data = doc.concatenate([doc.collect(env, careful, 300, 2 * seed), doc.collect(env, (0.25,) * 4, 150, 2 * seed + 1)])
        agents = {"dt": doc.train_dt(data, seed=seed), "doc": doc.train_doc(data, negatives=env, seed=seed)}
        rows["data"].append(float(data.returns().mean()))
        for name, agent in agents.items():
            check = doc.consistency(agent, env, episodes, 100 + seed)
            rows[name].append(sum(n * a for _, a, n in check.per_choice.values()) / episodes)
            rows[f"{name}_gap"].append(check.gap)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--eval", type=int, default=4000, help="evaluation episodes per agent")
    parser.add_argument("--lake-seeds", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    summary: dict[str, object] = {}
    for name, rows in (("bandit", bandit(args.seeds, args.eval)), ("lake", lake(args.lake_seeds, args.eval // 4))):
        for key, values in rows.items():
            print(f"{name:6s} {key:9s} " + " ".join(f"{v:.3f}" for v in values) + f"   mean {np.mean(values):.3f}")
            summary[f"{name}_{key}_mean"] = round(float(np.mean(values)), 4)
        if name == "bandit":
            summary["bandit_dt_within_0.05_of_0.5"] = int(sum(abs(v - 0.5) <= 0.05 for v in rows["dt"]))
            summary["bandit_doc_at_least_0.85"] = int(sum(v >= 0.85 for v in rows["doc"]))
            summary["bandit_mi_max"] = round(max(rows["mi"]), 4)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
