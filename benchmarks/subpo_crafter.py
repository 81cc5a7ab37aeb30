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

    python benchmarks/subpo_crafter.py [--model PATH] [--area 32 32] [--horizon 50]
        [--epochs 20] [--batch 16] [--time-indexed] [--optimizer adam] [--eval-seeds 20] [--out FILE]
"""

from __future__ import annotations

import argparse

import numpy as np
from tqdm import tqdm

from planners import subpo
from planners import subpo_crafter as sc
from planners.rollouts import mean_and_stderr
from worldmodel import TrueModel, single_threaded
from common import write_json  # the sibling benchmark helpers

DEMANDS = {"wood": 3, "sapling": 2, "drink": 2, "stone": 1, "coal": 1, "iron": 1, "diamond": 1}
TRAIN_SEED_OFFSET = 1_000  # training worlds never coincide with evaluation worlds


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
    args = parser.parse_args()

    if args.model:
        from onelife import load_model
        model, label = load_model(args.model), f"learned model {args.model}"
    else:
        model, label = TrueModel(resample_chance=True), "TRUE SIMULATOR (no learned model given)"
    area = tuple(args.area)
    train_env = sc.crafter_environment(
        model, sc.new_games([TRAIN_SEED_OFFSET + i for i in range(args.train_worlds)], area), args.horizon)
    eval_envs = [sc.crafter_environment(TrueModel(), sc.new_games([seed], area), args.horizon)
                 for seed in range(args.eval_seeds)]
    objectives = {"distinct cells seen": sc.cells_seen(area),
                  "resources with demands": sc.resources_collected(DEMANDS)}

    results, collected = {}, {}
    for name, objective in objectives.items():
        agents = {"random": subpo.SoftmaxPolicy.for_env(train_env)}
        for estimator, agent in (("reward_to_go", "SubPO"), ("modular", "modular PG")):
            agents[agent] = subpo.train(train_env, objective, policy=args.policy, epochs=args.epochs,
                                        batch=args.batch, lr=args.lr, estimator=estimator, seed=args.seed,
                                        stationary=not args.time_indexed, optimizer=args.optimizer,
                                        progress=True)
        for agent, policy in agents.items():
            with single_threaded():
                episodes = [subpo.rollout(policy, env, 1, np.random.default_rng(seed))[0][0]
                            for seed, env in enumerate(tqdm(eval_envs, desc=f"{agent} in crafter_oo"))]
            results[(name, agent)] = [objective.value(states) for states in episodes]
            collected[(name, agent)] = {k: float(np.mean([s[-1].player.achievements[f"collect_{k}"]
                                                         for s in episodes])) for k in DEMANDS}

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
    for name in objectives:
        (subpo_mean, subpo_se), (modular_mean, modular_se) = (
            mean_and_stderr(results[(name, agent)]) for agent in ("SubPO", "modular PG"))
        gap, gap_se = subpo_mean - modular_mean, float(np.hypot(subpo_se, modular_se))
        print(f"{name}: SubPO − modular PG = {gap:.2f} ± {gap_se:.2f}"
              + (f" ({gap / gap_se:.1f} standard errors)" if gap_se else ""))
    if args.out:
        write_json(args.out, dict(trained_in=label, settings=vars(args), demands=DEMANDS, runs=rows))


if __name__ == "__main__":
    main()
