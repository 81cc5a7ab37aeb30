"""SubPO on the paper's coverage grid: every estimator and policy against the brute-force optimum.

Computes OPT = max F(τ) over all 5^H action sequences, trains each estimator (SubPO's
reward-to-go of marginal gains, the myopic immediate gain, policy gradient on the modular
reward) with Markov and history-aware policies, each with Adam and with the natural
gradient, over several seeds, and prints F/OPT next to the (1 − 1/e) bound. F is the mean
over sampled episodes of each trained policy.

    python benchmarks/subpo_grid.py [--seeds 5] [--epochs 200] [--batch 64] [--lr 0.05]
        [--kl 0.05] [--damping 0.1] [--out FILE]
"""

from __future__ import annotations

import argparse
import math

from tqdm import tqdm

from planners import subpo
from planners.rollouts import mean_and_stderr
from planners.small_problems import Coverage, CoverageGrid, optimal_coverage
from common import write_json  # the sibling benchmark helpers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=5)
    parser.add_argument("--height", type=int, default=5)
    parser.add_argument("--horizon", type=int, default=8)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.05, help="Adam's step size")
    parser.add_argument("--kl", type=float, default=0.05, help="KL size of each natural-gradient step")
    parser.add_argument("--damping", type=float, default=0.1, help="λ of the natural gradient's F + λI")
    parser.add_argument("--episodes", type=int, default=200, help="sampled episodes per evaluation")
    parser.add_argument("--out", help="also write the results as JSON here")
    args = parser.parse_args()

    env = CoverageGrid(args.width, args.height, args.horizon, start=(0, 0))
    coverage = Coverage(env)
    best, plan = optimal_coverage(coverage)
    bound = 1 - 1 / math.e
    random_value = subpo.evaluate(subpo.SoftmaxPolicy.for_env(env), env, coverage, args.episodes, seed=0)
    print(f"{args.width}x{args.height} grid, horizon {args.horizon}, start (0, 0): "
          f"OPT = {best:g} (brute force over {env.n_actions ** args.horizon:,} sequences, e.g. {plan})")
    print(f"random agent: F = {random_value:.2f}, F/OPT = {random_value / best:.3f}")

    steps = {"adam": dict(lr=args.lr), "natural": dict(lr=args.kl, damping=args.damping)}
    runs = [(e, p, o, s) for e in subpo.ESTIMATORS for p in subpo.POLICIES for o in subpo.OPTIMIZERS
            for s in range(args.seeds)]
    values: dict[tuple[str, str, str], list[float]] = {}
    for estimator, policy, optimizer, seed in tqdm(runs, desc="training"):
        trained = subpo.train(env, coverage, policy=policy, epochs=args.epochs, batch=args.batch,
                              estimator=estimator, seed=seed, optimizer=optimizer, **steps[optimizer])
        values.setdefault((estimator, policy, optimizer), []).append(
            subpo.evaluate(trained, env, coverage, args.episodes, seed=10_000 + seed))

    print(f"\n{'estimator':<13}{'policy':<9}{'optimizer':<10}{'F mean ± se':>16}{'F/OPT':>8}"
          f"{'worst/OPT':>11}   vs (1 - 1/e) = {bound:.3f}")
    rows = []
    for (estimator, policy, optimizer), scores in values.items():
        mean, se = mean_and_stderr(scores)
        verdict = "above" if mean / best >= bound else "BELOW"
        print(f"{estimator:<13}{policy:<9}{optimizer:<10}{mean:>10.2f} ± {se:<4.2f}{mean / best:>8.3f}"
              f"{min(scores) / best:>11.3f}   {verdict}")
        rows.append(dict(estimator=estimator, policy=policy, optimizer=optimizer, values=scores,
                         mean=mean, se=se, ratio=mean / best, above_bound=mean / best >= bound))
    if args.out:
        write_json(args.out, dict(settings=vars(args), optimum=best, plan=plan,
                                        random=random_value, bound=bound, runs=rows))


if __name__ == "__main__":
    main()
