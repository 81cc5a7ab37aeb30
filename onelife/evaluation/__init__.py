"""Evaluation of world models: state ranking and state fidelity on hand-made scenarios.

``evaluate(model, scenarios=None, trials=5, seed=42, published=False)`` plays every
scenario in the true game, asks the model to rank the true next state among distractors
and to sample a next state, and reports rank@1, MRR, normalised recall, JSON-patch edit
distance and patch IoU beside the reference models (true, null, random, heuristic).
"""

from onelife.evaluation.references import NullModel, PublishedHeuristic, RandomScorer
from onelife.evaluation.runner import EvaluationResult, evaluate
from onelife.evaluation.scenarios import SCENARIOS, Scenario, ScenarioError, run_scenario

__all__ = ["EvaluationResult", "NullModel", "PublishedHeuristic", "RandomScorer", "SCENARIOS", "Scenario",
           "ScenarioError", "evaluate", "run_scenario"]
