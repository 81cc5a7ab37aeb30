"""How fast the world model scores and fits: prints one JSON object.

Usage: ``python benchmarks/model_speed.py [--transitions 2000] [--seed 0] [--library]``.
Transitions are sampled from the Crafter law library with the game's own constants
(``onelife.library.true_model``) on a 16 x 16 hand-built world with a cow, two zombies, a
skeleton and a plant, with random actions.

With ``--library``: the Crafter law library (``default_model()``) on curious lives in
real 64 x 64 worlds (``onelife.explore`` from seeds seed, seed + 1, ... until
``--transitions`` transitions; a curious life rarely lasts that long). It times
compiling the life (every law's condition on every binding, then the tensors) against two
references in the same run: interpreting the same conditions with ``interpret.evaluate``
(the engine before laws were compiled to closures), and replaying the life in crafter_oo;
and one likelihood-and-gradient evaluation (an optimiser step's work) in the unpadded
layout against the padded one it replaced; then the MAP and posterior fits.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import crafter_oo  # noqa: E402
from crafter_oo.rules import ACTIONS  # noqa: E402
from crafter_oo.state import Cow, Plant, Player, Skeleton, Zombie  # noqa: E402
from onelife import LawModel, default_model  # noqa: E402
from onelife.builtins import Scene  # noqa: E402
from onelife.explore import explore  # noqa: E402
from onelife.interpret import bindings, environment, evaluate  # noqa: E402
from onelife.library import true_model  # noqa: E402
from onelife.fitting import weight_vector  # noqa: E402
from onelife.routing import Compiled  # noqa: E402
from crafter_oo.edit import drawn_world  # noqa: E402

ROWS = ["................",
        ".....TT.........",
        "..~~............",
        "..~~......____..",
        "..........____..",
        ".........t......"] + ["................"] * 10


def interpreted_conditions(model: LawModel, transitions: list) -> int:
    """The reference: every law's condition on every binding, by the tree-walking interpreter."""
    active = 0
    for state, action, _ in transitions:
        scene = Scene(state, action)
        for law in model.laws:
            for binding in bindings(law, scene):
                active += bool(evaluate(law.when, scene, environment(law, scene, binding)))
    return active


def gradient_seconds(model: LawModel, compiled: Compiled, padded: bool, repeats: int = 5) -> float:
    """Seconds per log-likelihood-and-gradient evaluation (one optimiser step's work).

    ``padded``: the reference, every pool padded to the widest one (``pool_log_probs``);
    otherwise the unpadded layout ``log_probs`` uses.
    """
    start = time.perf_counter()
    for _ in range(repeats):
        values = {name: value.clone().requires_grad_(True) for name, value in model._values.items()}
        alt_weights, law_weights = model.alts.weights(values), weight_vector(values, model.law_names)
        if padded:
            slot_lp, other_lp = compiled.pool_log_probs(alt_weights, law_weights)
            seen = slot_lp.gather(1, compiled.pool_observed.clamp(min=0).unsqueeze(1)).squeeze(1)
            total = torch.where(compiled.pool_observed >= 0, seen, other_lp).sum()
        else:
            total = compiled.ragged.observed_log_probs(compiled, alt_weights, law_weights).sum()
        total.backward()
    return (time.perf_counter() - start) / repeats


def library(steps: int, seed: int) -> None:
    """Time the library on one real life against the interpreter and the game itself."""
    transitions: list = []
    life = seed
    while len(transitions) < steps:
        transitions += explore(life, steps - len(transitions), "novelty").transitions
        life += 1
    model = default_model()
    start = time.perf_counter()
    for state, action, _ in transitions:
        crafter_oo.step(state, action)
    game_seconds = time.perf_counter() - start
    start = time.perf_counter()
    interpreted_conditions(model, transitions)
    interpreted_seconds = time.perf_counter() - start
    start = time.perf_counter()
    compiled = model.compile(transitions)
    compile_seconds = time.perf_counter() - start
    padded_seconds = gradient_seconds(model, compiled, padded=True)
    unpadded_seconds = gradient_seconds(model, compiled, padded=False)
    start = time.perf_counter()
    model.fit(transitions, method="map")
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    default_model().fit(transitions, method="posterior")
    posterior_seconds = time.perf_counter() - start
    print(json.dumps({
        "laws": len(model.laws), "lives": life - seed, "transitions": len(transitions), "pools": len(compiled.pools),
        "compile_ms_per_transition": round(1000 * compile_seconds / len(transitions), 2),
        "reference_interpreted_conditions_ms_per_transition": round(1000 * interpreted_seconds / len(transitions), 2),
        "speedup_vs_interpreted_conditions_alone": round(interpreted_seconds / compile_seconds, 2),
        "game_step_ms_per_transition": round(1000 * game_seconds / len(transitions), 3),
        "compile_over_game_step": round(compile_seconds / game_seconds, 1),
        "gradient_seconds_padded_reference": round(padded_seconds, 3),
        "gradient_seconds_unpadded": round(unpadded_seconds, 3),
        "gradient_speedup": round(padded_seconds / unpadded_seconds, 1),
        "map_fit_seconds_including_compile": round(fit_seconds, 2),
        "posterior_fit_seconds_including_compile": round(posterior_seconds, 2),
    }))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--transitions", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--library", action="store_true", help="the Crafter library on a real life")
    args = parser.parse_args()
    if args.library:
        library(args.transitions, args.seed)
        return
    truth = true_model()
    laws = truth.laws
    rng = np.random.default_rng(args.seed)
    state = drawn_world(ROWS, [Player((8, 8)), Cow((3, 12)), Zombie((12, 12)), Zombie((1, 1)),
                             Skeleton((11, 4)), Plant((6, 6))])
    transitions = []
    start = time.perf_counter()
    for _ in range(args.transitions):
        action = ACTIONS[int(rng.integers(len(ACTIONS)))]
        next_state = truth.sample(state, action, rng)
        transitions.append((state, action, next_state))
        state = next_state
    sample_seconds = time.perf_counter() - start

    start = time.perf_counter()
    truth.log_prob_batch(transitions)
    batch_seconds = time.perf_counter() - start
    single = transitions[:200]
    start = time.perf_counter()
    for transition in single:
        truth.log_prob(*transition)
    single_seconds = time.perf_counter() - start

    model = LawModel(laws)
    start = time.perf_counter()
    model.fit(transitions, method="map")
    fit_seconds = time.perf_counter() - start
    print(json.dumps({
        "laws": len(laws),
        "transitions": len(transitions),
        "scored_per_second_batched": round(len(transitions) / batch_seconds, 1),
        "scored_per_second_one_by_one": round(len(single) / single_seconds, 1),
        "sampled_per_second": round(len(transitions) / sample_seconds, 1),
        "map_fit_seconds": round(fit_seconds, 2),
    }))


if __name__ == "__main__":
    main()
