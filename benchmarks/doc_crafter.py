"""DoC vs DT on a Crafter night where luck dominates: returns in crafter_oo and consistency gaps.

Offline episodes of a mix of behaviour policies (sleep at once / close the nook then sleep /
uniform) are drawn from the DATA model: the fitted one-life model given by ``--model``
(``onelife.load_model``), or, when no model is given, ``TrueModel(resample_chance=True)``
as a clearly labelled stand-in. DoC's negatives come from the same model. Both agents are
then scored in the true game (crafter_oo with fresh chance per step). Prints, per agent,
mean ± standard error over training seeds of the achieved return and of the consistency
gap (|V(z*) - achieved| for DoC, |target - achieved| for DT), and for DoC the luck its latent
carries (``doc.luck_information``: I(z; return | action sequence) on the offline data, nats),
with the per-seed figures, as one JSON line at the end. DoC is trained with its code-usage
term on (``--usage``): without it q(z | future) collapses onto one code here, and DoC can
only imitate the behaviour mix.

With ``--ray`` the training seeds run as Ray tasks (``onelife_cli.executor``; a local Ray, or
the cluster at ``--address``); each seed is seeded alone, so the figures are the same.

    python benchmarks/doc_crafter.py [--model PATH] [--seeds 5] [--episodes 100] [--eval 200] [--usage 1.0]
        [--ray [--address HOST:6379] [--cpus N]]
"""

from __future__ import annotations

import argparse
import json

import torch
from tqdm import tqdm

from onelife_cli import executor
from planners import doc
from planners.doc_crafter import NightCamp, night_behaviour
from planners.rollouts import mean_and_stderr
from worldmodel import TrueModel, WorldModel, single_threaded
from common import write_json  # the sibling benchmark helpers

BEHAVIOUR_MIX = {"sleeper": 0.5, "builder": 0.15, "wanderer": 0.35}


def offline_data(camp: NightCamp, episodes: int, seed: int) -> tuple[doc.Dataset, dict[str, float]]:
    """``episodes`` episodes split across the behaviour mix, and each behaviour's mean return in them."""
    parts = {kind: doc.collect(camp, night_behaviour(kind), max(1, round(share * episodes)), seed + i)
             for i, (kind, share) in enumerate(BEHAVIOUR_MIX.items())}
    return doc.concatenate(list(parts.values())), {kind: float(part.returns().mean()) for kind, part in parts.items()}


def data_model(path: str | None) -> tuple[WorldModel, str]:
    """The model the offline data and DoC's negatives come from, and how to name it."""
    if path:
        from onelife import load_model
        return load_model(path), f"fitted model {path}"
    return TrueModel(resample_chance=True), "STAND-IN: TrueModel(resample_chance=True), not a fitted model"


def seed_figures(model_path: str | None, seed: int, episodes: int, evaluations: int, steps: int, samples: int,
                 usage: float) -> tuple[dict[str, dict[str, float]], list[str]]:
    """One training seed: offline data, DT and DoC trained on it and checked in crafter_oo; each
    agent's return, gap (and DoC's luck), and the lines to print."""
    with single_threaded():
        data_camp, true_camp = NightCamp(data_model(model_path)[0]), NightCamp(TrueModel(resample_chance=True))
        data, by_behaviour = offline_data(data_camp, episodes, 1000 * seed)
        lines = [f"seed {seed} data: mean return per behaviour "
                 + ", ".join(f"{k} {v:.3f}" for k, v in by_behaviour.items())]
        agents = {"DT": doc.train_dt(data, seed=seed, steps=steps),
                  "DoC": doc.train_doc(data, negatives=data_camp, seed=seed, steps=steps, samples=samples,
                                        usage=usage)}
        figures: dict[str, dict[str, float]] = {}
        for name, agent in agents.items():
            check = doc.consistency(agent, true_camp, evaluations, 10_000 + seed)
            achieved = sum(n * a for _, a, n in check.per_choice.values()) / evaluations
            figures[name] = {"return": achieved, "gap": check.gap}
            if name == "DoC":
                figures[name]["luck"] = doc.luck_information(agent, data)
            lines.append(f"seed {seed} {name}: data return {data.returns().mean():.3f}, achieved {achieved:.3f}, "
                         f"gap {check.gap:.3f}, per choice (predicted, achieved, n) {check.per_choice}")
    return figures, lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="fitted world model file (onelife.load_model); default: TrueModel stand-in")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--episodes", type=int, default=100, help="offline episodes per seed")
    parser.add_argument("--eval", type=int, default=200, help="evaluation episodes in crafter_oo per agent")
    parser.add_argument("--steps", type=int, default=300, help="training steps per agent")
    parser.add_argument("--samples", type=int, default=128, help="latents K that DoC draws from its prior at the start")
    parser.add_argument("--usage", type=float, default=1.0,
                        help="weight of DoC's code-usage entropy (0 lets q(z | future) collapse onto one code)")
    parser.add_argument("--out", help="also write the summary JSON here (atomically)")
    executor.add_arguments(parser, "the training seeds")
    args = parser.parse_args()
    torch.set_num_threads(1)
    label = data_model(args.model)[1]
    print(f"data and negatives from: {label}")
    true_camp = NightCamp(TrueModel(resample_chance=True))
    reference = {kind: float(doc.collect(true_camp, night_behaviour(kind), args.eval, 20_000).returns().mean())
                 for kind in BEHAVIOUR_MIX}
    print("each behaviour's return in crafter_oo (reference): "
          + ", ".join(f"{k} {v:.3f}" for k, v in reference.items()))
    tasks = [executor.Task(str(seed), seed_figures, (args.model, seed, args.episodes, args.eval, args.steps,
                                                     args.samples, args.usage)) for seed in range(args.seeds)]
    with executor.from_arguments(args) as runner:
        per_seed = executor.values(tqdm(runner.map(tasks), total=len(tasks), desc="seeds"))
    results: dict[str, dict[str, list[float]]] = {"DT": {"return": [], "gap": []},
                                                  "DoC": {"return": [], "gap": [], "luck": []}}
    for seed in range(args.seeds):
        figures, lines = per_seed[str(seed)]
        print("\n".join(lines))
        for name, values in figures.items():
            for key, value in values.items():
                results[name][key].append(value)
    summary = {"data_model": label, "seeds": args.seeds, "episodes": args.episodes, "eval": args.eval,
               "behaviour_returns": {k: round(v, 4) for k, v in reference.items()}}
    for name, figures in results.items():
        for key, values in figures.items():
            mean, error = mean_and_stderr(values)
            summary[f"{name}_{key}"] = round(mean, 4)
            summary[f"{name}_{key}_se"] = round(error, 4)
            summary[f"{name}_{key}_per_seed"] = [round(v, 4) for v in values]
            print(f"{name:4s} {key:7s} {mean:.3f} ± {error:.3f}")
    print(json.dumps(summary))
    if args.out:
        write_json(args.out, summary)


if __name__ == "__main__":
    main()
