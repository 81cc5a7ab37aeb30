"""How fast the learned model scores, samples and plans, each figure beside its reference.

Usage: ``python benchmarks/model_speed.py [--model runs/life0/model.json]
[--trajectory runs/life0/trajectory.jsonl] [--seed 0] [--steps 2000] [--decisions 40]
[--simulations 24] [--depth 2] [--horizon 40]``.

The model is the Crafter law library: a fitted model file, or ``default_model()`` (the
library at its priors). The transitions are a life: a trajectory file, or the novelty
player's life of ``--seed`` (at most ``--steps`` steps). In one run it times

- ``log_prob_batch`` of the whole life against the interpreter path (the same compile with
  every binding of every law tried by ``interpret``), and checks the two agree;
- ``log_prob`` one transition at a time, both ways;
- ``sample_batch`` of one next state from each state of the life, and ``sample`` one at a
  time, against the game stepping the same (state, action) pairs;
- MCTS with the ``onelife plan`` budget choosing ``--decisions`` actions in a real game,
  planning in the model against planning in the game itself.

Rates are CPU seconds (``time.process_time``), so neighbours on a shared machine slow
every figure alike; each line gives the ratio to its reference.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import crafter_oo  # noqa: E402
from crafter_oo.game import new_game  # noqa: E402
from onelife import LawModel, default_model, load_model  # noqa: E402
from onelife.explore import explore  # noqa: E402
from onelife.routing import compile_transitions  # noqa: E402
from onelife.trajectory import Trajectory  # noqa: E402
from onelife_cli.plan import add_mcts_arguments, mcts_from_arguments  # noqa: E402
from worldmodel import TrueModel, WorldModel  # noqa: E402

SINGLE = 200  # transitions scored and sampled one at a time


def cpu_seconds(run: Callable[[], Any]) -> tuple[float, Any]:
    """CPU seconds of ``run()`` and its result."""
    start = time.process_time()
    result = run()
    return time.process_time() - start, result


def line(name: str, count: int, seconds: float, reference_name: str, reference_seconds: float) -> None:
    rate, reference = count / seconds, count / reference_seconds
    print(f"{name:36} {rate:9.1f}/s   {reference_name:28} {reference:9.1f}/s   ratio {rate / reference:6.2f}x")


def interpreted_scores(model: LawModel, transitions: list) -> np.ndarray:
    """The reference: the same compile, with the interpreter trying every binding of every law."""
    return model.scores(compile_transitions(model.laws, model.alts, [(s, a, s2) for s, a, s2 in transitions]))


def decisions_seconds(model: WorldModel, args: argparse.Namespace, decisions: int) -> float:
    """CPU seconds MCTS planning in ``model`` takes to choose ``decisions`` actions in a real game."""
    agent = mcts_from_arguments(model, args, args.seed)
    state, total = new_game(args.seed), 0.0
    for _ in range(decisions):
        seconds, action = cpu_seconds(lambda: agent.act(state))
        total += seconds
        state = crafter_oo.step(state, action).state
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, help="a model file (default: the law library at its priors)")
    parser.add_argument("--trajectory", type=Path, help="a life to score (default: the novelty player's)")
    parser.add_argument("--seed", type=int, default=0, help="the life's and the planner's seed (default 0)")
    parser.add_argument("--steps", type=int, default=2000, help="steps of the default life (default 2000)")
    parser.add_argument("--decisions", type=int, default=40, help="MCTS decisions timed (default 40)")
    add_mcts_arguments(parser)
    args = parser.parse_args()
    model = load_model(args.model) if args.model else default_model()
    transitions = (Trajectory.load(args.trajectory).transitions if args.trajectory
                   else explore(args.seed, args.steps, "novelty").transitions)
    print(f"{len(model.laws)} laws ({args.model or 'the library at its priors'}), {len(transitions)} transitions "
          f"({args.trajectory or f'the novelty life of seed {args.seed}'})")

    model.log_prob_batch(transitions[:20])  # build the laws' closures before anything is timed
    interpreted_scores(model, transitions[:20])
    seconds, scores = cpu_seconds(lambda: model.log_prob_batch(transitions))
    reference_seconds, reference = cpu_seconds(lambda: interpreted_scores(model, transitions))
    line("log_prob_batch", len(transitions), seconds, "interpreter path", reference_seconds)
    print(f"  max |log_prob - interpreter path| = {np.abs(scores - reference).max():.3g} "
          f"over {len(transitions)} transitions")
    single = transitions[:SINGLE]
    seconds, _ = cpu_seconds(lambda: [model.log_prob(*t) for t in single])
    reference_seconds, _ = cpu_seconds(lambda: [interpreted_scores(model, [t]) for t in single])
    line("log_prob one by one", len(single), seconds, "interpreter path", reference_seconds)

    starts = [(s, a) for s, a, _ in transitions]
    game_seconds, _ = cpu_seconds(lambda: [crafter_oo.step(s, a) for s, a in starts])
    seconds, _ = cpu_seconds(lambda: model.sample_batch(starts, 1, np.random.default_rng(args.seed)))
    line("sample_batch (1 per state)", len(starts), seconds, "the game's step", game_seconds)
    rng = np.random.default_rng(args.seed)
    seconds, _ = cpu_seconds(lambda: [model.sample(s, a, rng) for s, a in starts[:SINGLE]])
    line("sample one by one", SINGLE, seconds, "the game's step", game_seconds * SINGLE / len(starts))

    budget = f"{args.simulations} simulations, depth {args.depth}, horizon {args.horizon}"
    game_seconds = decisions_seconds(TrueModel(), args, args.decisions)
    seconds = decisions_seconds(model, args, args.decisions)
    line(f"MCTS decisions ({budget})", args.decisions, seconds, "MCTS in the game", game_seconds)


if __name__ == "__main__":
    main()
