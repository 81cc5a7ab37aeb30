"""Per-transition metrics: state ranking (rank@1, MRR, normalised recall) and state
fidelity (JSON-patch edit distance, raw and normalised, and patch IoU).

Ranking ties are broken against the model: the truth's rank is one plus the number of
wrong candidates scoring at least as high as the best candidate equal to the truth, so a
model that cannot tell candidates apart earns nothing from the order they came in.
Patches are RFC 6902 operations computed by ``jsonpatch`` on ``views.state_view``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Sequence

import jsonpatch

from onelife.evaluation.views import leaf_count

METRICS: tuple[str, ...] = ("rank1", "mrr", "normalized_recall", "edit_distance",
                            "edit_distance_normalized", "patch_iou")


@dataclass(frozen=True, slots=True)
class Ranking:
    """Where the truth landed among ``candidates`` candidates."""

    rank: int
    candidates: int

    @property
    def rank1(self) -> float:
        return float(self.rank == 1)

    @property
    def mrr(self) -> float:
        return 1.0 / self.rank

    @property
    def normalized_recall(self) -> float:
        """1 - (rank - 1) / (N - 1); 1 when the truth is the only candidate."""
        return 1.0 if self.candidates == 1 else 1.0 - (self.rank - 1) / (self.candidates - 1)


def rank_truth(scores: Sequence[float], correct: Sequence[bool]) -> Ranking:
    """The rank of the best-scored correct candidate, ties counted against the model."""
    if len(scores) != len(correct) or not any(correct):
        raise ValueError("need one score per candidate and at least one correct candidate")
    if any(math.isnan(s) for s in scores):
        raise ValueError(f"a model returned NaN as a log-probability: {list(scores)}")
    best = max(s for s, ok in zip(scores, correct) if ok)
    beaten_or_tied = sum(1 for s, ok in zip(scores, correct) if not ok and s >= best)
    return Ranking(1 + beaten_or_tied, len(scores))


def patch_operations(source: Any, target: Any) -> list[dict[str, Any]]:
    """The RFC 6902 operations that turn ``source`` into ``target``."""
    return list(jsonpatch.make_patch(source, target).patch)


def edit_distance(sample: Any, truth: Any) -> tuple[int, float]:
    """(operations turning the sample into the truth, that number over the truth's leaf count)."""
    operations = len(patch_operations(sample, truth))
    return operations, operations / leaf_count(truth)


def patch_iou(current: Any, truth: Any, sample: Any) -> float:
    """Jaccard index of the operation sets of patch(s -> true s') and patch(s -> sampled s')."""
    true_ops = {json.dumps(op, sort_keys=True) for op in patch_operations(current, truth)}
    sampled_ops = {json.dumps(op, sort_keys=True) for op in patch_operations(current, sample)}
    union = true_ops | sampled_ops
    return 1.0 if not union else len(true_ops & sampled_ops) / len(union)


def transition_metrics(ranking: Ranking, current: Any, truth: Any, sample: Any) -> dict[str, float]:
    """All six metrics of one transition, keyed by ``METRICS`` names."""
    distance, normalized = edit_distance(sample, truth)
    return {"rank1": ranking.rank1, "mrr": ranking.mrr, "normalized_recall": ranking.normalized_recall,
            "edit_distance": float(distance), "edit_distance_normalized": normalized,
            "patch_iou": patch_iou(current, truth, sample)}
