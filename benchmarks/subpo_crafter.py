"""SubPO on Crafter: train in a world model, evaluate in the true game (crafter_oo) over 20 seeds.

For each objective ("distinct map cells seen", "diverse resources collected with demands")
it trains SubPO (reward-to-go of marginal gains) and policy gradient on the modular reward
in the training model, then plays each policy and a uniform random agent (same actions)
once in each evaluation world of crafter_oo, and prints means and standard errors, the
difference SubPO − modular PG in standard errors, and how many of each resource the
agents collected per world.

The training model is ``--model PATH`` (a fitted one-life model, ``onelife.load_model``).
Without it the script trains in the true simulator, ``TrueModel(resample_chance=True)``,
and says so in every line of output: those figures are NOT learned-model figures.

With ``--ray`` each (objective, agent) pair is trained and evaluated as a Ray task
(``onelife_cli.executor``; a local Ray, or the cluster at ``--address``); each is seeded alone,
so the figures are the same.

    python benchmarks/subpo_crafter.py [--model PATH] [--area 32 32] [--horizon 50]
        [--epochs 20] [--batch 16] [--time-indexed] [--optimizer adam] [--eval-seeds 20] [--out FILE]
        [--ray [--address HOST:6379] [--cpus N]]
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np
from tqdm import tqdm

from onelife_cli import executor
from planners import subpo
from planners import subpo_crafter as sc
from planners.rollouts import mean_and_stderr
from worldmodel import TrueModel, WorldModel, single_threaded
from common import write_json  # the sibling benchmark helpers

DEMANDS = {"wood": 3, "sapling": 2, "drink": 2, "stone": 1, "coal": 1, "iron": 1, "diamond": 1}
TRAIN_SEED_OFFSET = 1_000  # training worlds never coincide with evaluation worlds
AGENTS = {"random": None, "SubPO": "reward_to_go", "modular PG": "modular"}  # agent -> its estimator


def training_model(path: str | None) -> tuple[WorldModel, str]:
    """The model the agents train in, and how to name it."""
    if path:
        from onelife import load_model
        return load_model(path), f"learned model {path}"
    return TrueModel(resample_chance=True), "TRUE SIMULATOR (no learned model given)"


def objectives(area: tuple[int, int]) -> dict[str, Any]:
    """The two objectives, by name."""
    return {"distinct cells seen": sc.cells_seen(area), "resources with demands": sc.resources_collected(DEMANDS)}


def agent_figures(args: argparse.Namespace, objective_name: str, agent: str) -> tuple[list[float], dict[str, float]]:
    """One agent for one objective: trained in the training model (the random agent is not), then
    played once in each evaluation world; its objective values and resources collected per world."""
    area = tuple(args.area)
    train_env = sc.crafter_environment(
        training_model(args.model)[0], sc.new_games([TRAIN_SEED_OFFSET + i for i in range(args.train_worlds)], area),
        args.horizon)
    objective = objectives(area)[objective_name]
    if AGENTS[agent] is None:
        policy = subpo.SoftmaxPolicy.for_env(train_env)
    else:
        policy = subpo.train(train_env, objective, policy=args.policy, epochs=args.epochs, batch=args.batch,
                             lr=args.lr, estimator=AGENTS[agent], seed=args.seed,
                             stationary=not args.time_indexed, optimizer=args.optimizer, progress=True)
    with single_threaded():
        episodes = [subpo.rollout(policy, sc.crafter_environment(TrueModel(), sc.new_games([seed], area), args.horizon),
                                  1, np.random.default_rng(seed))[0][0] for seed in range(args.eval_seeds)]
    collected = {k: float(np.mean([s[-1].player.achievements[f"collect_{k}"] for s in episodes])) for k in DEMANDS}
    return [objective.value(states) for states in episodes], collected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="fitted one-life model file; default: the true simulator")
    parser.add_argument("--area", type=int, nargs=2, default=(32, 32))
    parser.add_argument("--horizon", type=int, default=50)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=0.05, help="Adam's step size, or the natural step's KL")
    parser.add_argument("--policy", choices=subpo.POLICIES, default="markov")
    parser.add_argument("--time-indexed", action="store_true",
                        help="one weight matrix per step instead of one shared by all steps")
    parser.add_argument("--optimizer", choices=subpo.OPTIMIZERS, default="adam")
    parser.add_argument("--train-worlds", type=int, default=8)
    parser.add_argument("--eval-seeds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="also write the results as JSON here")
    executor.add_arguments(parser, "each (objective, agent) pair")
    args = parser.parse_args()

    label = training_model(args.model)[1]
    area = tuple(args.area)
    pairs = [(name, agent) for name in objectives(area) for agent in AGENTS]
    tasks = [executor.Task(f"{name}/{agent}", agent_figures, (args, name, agent)) for name, agent in pairs]
    with executor.from_arguments(args) as runner:
        figures = executor.values(tqdm(runner.map(tasks), total=len(tasks), desc="agents"))
    results = {pair: figures[f"{pair[0]}/{pair[1]}"][0] for pair in pairs}
    collected = {pair: figures[f"{pair[0]}/{pair[1]}"][1] for pair in pairs}

    print(f"\nTrained in: {label}. Evaluated in crafter_oo, {args.eval_seeds} worlds (seeds "
          f"0-{args.eval_seeds - 1}), area {area}, horizon {args.horizon}, actions {list(sc.FORAGING_ACTIONS)}, "
          f"{'time-indexed' if args.time_indexed else 'stationary'} {args.policy} policy, {args.optimizer}")
    print(f"{'objective':<24}{'agent':<12}{'F mean':>9}{'± se':>8}   collected per world "
          f"(demands {DEMANDS})")
    rows = []
    for (name, agent), scores in results.items():
        mean, se = mean_and_stderr(scores)
        counts = " ".join(f"{k} {v:.2f}" for k, v in collected[(name, agent)].items() if v)
        print(f"{name:<24}{agent:<12}{mean:>9.2f}{se:>8.2f}   {counts}")
        rows.append(dict(objective=name, agent=agent, values=scores, mean=mean, se=se,
                         collected=collected[(name, agent)]))
    for name in objectives(area):
        (subpo_mean, subpo_se), (modular_mean, modular_se) = (
            mean_and_stderr(results[(name, agent)]) for agent in ("SubPO", "modular PG"))
        gap, gap_se = subpo_mean - modular_mean, float(np.hypot(subpo_se, modular_se))
        print(f"{name}: SubPO − modular PG = {gap:.2f} ± {gap_se:.2f}"
              + (f" ({gap / gap_se:.1f} standard errors)" if gap_se else ""))
    if args.out:
        write_json(args.out, dict(trained_in=label, settings=vars(args), demands=DEMANDS, runs=rows))


if __name__ == "__main__":
    main()
