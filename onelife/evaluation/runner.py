"""``evaluate``: run the scenarios, build candidates, score every model, aggregate.

Per scenario and trial: play the scenario in the true game from the trial's seed; for each
evaluated transition (s, a, s') draw the distractors once (shared by all models); for each
model draw its own sample, score the candidates [s', sample, distractors...] in an order
shuffled with the trial's seed, and compute the metrics. A trial's figure is the mean over
its transitions; a scenario's is the mean and standard deviation (ddof 0) over trials; the
overall figure is the unweighted mean over scenarios, and its standard deviation is over
trials of the per-trial mean over scenarios.

All randomness flows from ``seed`` through ``numpy.random.SeedSequence`` keyed by the
scenario's name, the trial and (for samples) the model's name, so a scenario's numbers do
not depend on which other scenarios or models are evaluated alongside it.
"""

from __future__ import annotations

import json
import math
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from crafter_oo.rules import Rules
from crafter_oo.state import WorldState
from onelife.evaluation.ceiling import SEPARATION, UNSEEN, ChanceCeiling
from onelife.evaluation.metrics import METRICS, rank_truth, transition_metrics
from onelife.evaluation.mutators import distractors
from onelife.evaluation.references import REFERENCE_NAMES, reference_model
from onelife.evaluation.scenarios import Run, Scenario, ScenarioError, run_scenario, scenarios_for, select
from onelife.evaluation.views import state_view, view_key
from worldmodel import WorldModel

FORMAT = "onelife.evaluation/1"
Summary = dict[str, Any]


@dataclass(slots=True)
class EvaluationResult:
    """Per-scenario and overall figures of every evaluated model.

    ``trials[model][scenario]`` holds one dict of metric means per trial; ``scenarios`` and
    ``overall`` hold ``{metric: {"mean": ..., "std": ...}}`` per model.
    """

    settings: dict[str, Any]
    models: list[str]
    scenario_info: dict[str, dict[str, Any]]
    trials: dict[str, dict[str, list[dict[str, float]]]]
    left_out: dict[str, str] = field(default_factory=dict)
    scenarios: dict[str, dict[str, Summary]] = field(init=False)
    overall: dict[str, Summary] = field(init=False)

    def __post_init__(self) -> None:
        names = list(self.scenario_info)
        self.scenarios = {s: {m: _summary([self.trials[m][s]]) for m in self.models} for s in names}
        self.overall = {m: _summary([self.trials[m][s] for s in names]) for m in self.models}

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "settings": self.settings, "models": self.models,
                "overall": self.overall, "scenarios": self.scenarios,
                "scenario_info": self.scenario_info, "trials": self.trials, "left_out": self.left_out}

    def to_json(self) -> str:
        """The results as JSON text (the ``results.json`` schema; see the README)."""
        return json.dumps(self.to_dict(), indent=2) + "\n"


def _summary(per_scenario_trials: list[list[dict[str, float]]]) -> Summary:
    """Mean over scenarios per trial, then mean and std over trials, for every metric;
    plus the total count of candidates the model refused to score."""
    summary: Summary = {"unscorable_candidates": int(sum(trial["unscorable_candidates"]
                                                         for trials in per_scenario_trials for trial in trials))}
    for metric in METRICS:
        table = np.array([[trial[metric] for trial in trials] for trials in per_scenario_trials])
        per_trial = table.mean(axis=0)
        summary[metric] = {"mean": round(float(per_trial.mean()), 6), "std": round(float(per_trial.std()), 6)}
    return summary


def _key(name: str) -> int:
    return zlib.crc32(name.encode())


def _score(model: WorldModel, triples: list[tuple[WorldState, str, WorldState]]) -> tuple[list[float], int]:
    """(log p of each (s, a, s'), how many candidates the model refused as unrepresentable).

    Batches through ``log_prob_batch`` when the model has it. A candidate on which the model
    raises ``ValueError`` (outside its support, e.g. two births of a kind in one chunk)
    scores -inf and is counted, so the refusal is visible in the results.
    """
    batch = getattr(model, "log_prob_batch", None)
    if callable(batch):
        try:
            return [float(x) for x in batch(triples)], 0
        except ValueError:
            pass
    scores, refused = [], 0
    for s, a, s2 in triples:
        try:
            scores.append(float(model.log_prob(s, a, s2)))
        except ValueError:
            scores.append(-math.inf)
            refused += 1
    return scores, refused


def _draws_used(models: Mapping[str, WorldModel]) -> dict[str, dict[str, float]]:
    """Per model that estimates probabilities by drawing (the ceiling), the draws behind a
    scenario's scores: per scored (state, action), the mean and most draws, how many ended
    unsettled (candidates of indistinguishable probability, or rare outcomes not yet drawn),
    how many left more than ``UNSEEN`` of the probability undrawn (there the truth may be an
    outcome never drawn, scored as impossible: the ceiling is unresolved) and the largest
    probability left undrawn."""
    used = {}
    for name, model in models.items():
        if isinstance(model, ChanceCeiling):
            records = model.drain()
            draws = [r.draws for r in records]
            used[f"{name}_draws"] = {"scored": len(records), "mean": round(float(np.mean(draws)), 1) if draws else 0.0,
                                     "most": max(draws, default=0),
                                     "unsettled": sum(not r.settled for r in records),
                                     "unresolved": sum(r.unseen > UNSEEN for r in records),
                                     "unseen_most": max((r.unseen for r in records), default=0.0)}
    return used


def trial_run(scenario: Scenario, seed: int, trial: int) -> tuple[Run, np.random.SeedSequence]:
    """The scenario played for ``trial`` of an evaluation with ``seed``, and the trial's seed sequence."""
    sequence = np.random.SeedSequence(seed, spawn_key=(_key(scenario.name), trial))
    return run_scenario(scenario, int(sequence.generate_state(1)[0])), sequence


def _evaluate_run(run: Run, models: Mapping[str, WorldModel], seed_sequence: np.random.SeedSequence,
                  published: bool) -> dict[str, dict[str, float]]:
    """The trial means of every metric for every model on one scenario run."""
    states = run.states
    mutation_rng = np.random.default_rng(seed_sequence.spawn(1)[0])
    shuffle_rng = np.random.default_rng(seed_sequence.spawn(1)[0])
    prepared = []
    for i in run.evaluated:
        tr = run.transitions[i]
        wrong = distractors(tr.state, tr.action, tr.next_state, mutation_rng, published, states, i + 1)
        prepared.append((tr, wrong, shuffle_rng.permutation(len(wrong) + 2)))
    results = {}
    for name, model in models.items():
        sample_rng = np.random.default_rng(np.random.SeedSequence(seed_sequence.entropy,
                                                                  spawn_key=(*seed_sequence.spawn_key, 2, _key(name))))
        rows, triples = [], []
        for tr, wrong, order in prepared:
            sample = model.sample(tr.state, tr.action, sample_rng)
            if not isinstance(sample, WorldState):
                raise TypeError(f"model {name!r} returned {type(sample).__name__} from sample on scenario "
                                f"{run.scenario.name!r}; expected a WorldState")
            candidates = [tr.next_state, sample, *wrong]
            candidates = [candidates[j] for j in order]
            rows.append((tr, sample, candidates))
            triples.extend((tr.state, tr.action, c) for c in candidates)
        scores, refused = _score(model, triples)
        metrics, offset = [], 0
        for tr, sample, candidates in rows:
            truth_key = view_key(tr.next_state)
            correct = [view_key(c) == truth_key for c in candidates]
            ranking = rank_truth(scores[offset: offset + len(candidates)], correct)
            offset += len(candidates)
            metrics.append(transition_metrics(ranking, state_view(tr.state), state_view(tr.next_state),
                                              state_view(sample)))
        results[name] = {m: round(float(np.mean([row[m] for row in metrics])), 6) for m in METRICS}
        results[name]["unscorable_candidates"] = refused
    return results


def evaluate(model: WorldModel | None, scenarios: Sequence[str] | None = None, trials: int = 5,
             seed: int = 42, published: bool = False, references: Sequence[str] = REFERENCE_NAMES,
             name: str = "model", progress: Callable[[str, int], None] | None = None,
             rules: Rules = Rules.crafter()) -> EvaluationResult:
    """Evaluate ``model`` (named ``name``) and the ``references`` on the scenarios.

    ``scenarios``: names from ``scenarios_for(rules)`` (all by default). ``published``: apply
    the mutators to the current state and leave out temporal distractors, as the published
    release did. ``model`` may be ``None`` to evaluate only the references. ``progress`` is
    called after each (scenario, trial). ``rules``: the world the scenarios are built and
    played in. In a world other than Crafter, a scenario whose event does not happen in one
    of its trials is left out with the reason, like one that cannot be built; in Crafter
    that is an error.
    """
    if trials < 1:
        raise ValueError(f"trials must be at least 1, got {trials}")
    models: dict[str, WorldModel] = {} if model is None else {name: model}
    for reference in references:
        if reference in models:
            raise ValueError(f"model name {reference!r} clashes with a reference model's name")
        models[reference] = reference_model(reference, seed)
    if not models:
        raise ValueError("nothing to evaluate: no model and no reference models")
    registry, left_out = scenarios_for(rules)
    if scenarios is not None:
        left_out = {n: reason for n, reason in left_out.items() if n in scenarios}
    wanted = None if scenarios is None else [n for n in scenarios if n not in left_out]
    chosen: list[Scenario] = select(wanted, registry)
    per_model: dict[str, dict[str, list[dict[str, float]]]] = {m: {} for m in models}
    info = {}
    for scenario in chosen:
        try:
            runs = [trial_run(scenario, seed, trial) for trial in range(trials)]
        except ScenarioError as error:
            if rules == Rules.crafter():
                raise
            left_out[scenario.name] = str(error)
            continue
        counts = []
        for trial, (run, sequence) in enumerate(runs):
            counts.append(len(run.evaluated))
            for model_name, figures in _evaluate_run(run, models, sequence, published).items():
                per_model[model_name].setdefault(scenario.name, []).append(figures)
            if progress is not None:
                progress(scenario.name, trial)
        info[scenario.name] = {"variant": scenario.variant, "mechanic": scenario.mechanic,
                               "evaluated_transitions": counts, **_draws_used(models)}
    if not info:
        raise ScenarioError(f"no scenario could be played in this world: {left_out}")
    settings = {"trials": trials, "seed": seed, "published": published,
                "scenarios": [s.name for s in chosen if s.name in info], "rules": rules.to_dict()}
    ceilings = [m for m in models.values() if isinstance(m, ChanceCeiling)]
    if ceilings:
        settings["ceiling"] = {"first_draws": ceilings[0].first_draws, "most_draws": ceilings[0].most_draws,
                               "separation": SEPARATION}
    return EvaluationResult(settings, list(models), info, per_model, left_out)
