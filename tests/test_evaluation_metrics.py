"""Per-transition metrics: ranking with ties against the model, JSON-patch distances, IoU."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crafter_oo import edit, step
from onelife.evaluation.metrics import edit_distance, patch_iou, rank_truth, transition_metrics
from onelife.evaluation.views import leaf_count, state_view


def test_rank_counts_ties_against_the_model() -> None:
    assert rank_truth([0.0, -1.0, -2.0], [True, False, False]).rank == 1
    assert rank_truth([-1.0, 0.0, -2.0], [True, False, False]).rank == 2
    assert rank_truth([-math.inf] * 4, [True, False, False, False]).rank == 4
    assert rank_truth([-5.0, -1.0, -5.0], [True, True, False]).rank == 1  # best correct counts
    ranking = rank_truth([-3.0, -1.0, -2.0, -4.0], [True, False, False, False])
    assert (ranking.rank1, ranking.mrr, ranking.normalized_recall) == (0.0, 1 / 3, 1 - 2 / 3)


def test_rank_rejects_nan_and_missing_truth() -> None:
    with pytest.raises(ValueError, match="NaN"):
        rank_truth([float("nan"), 0.0], [True, False])
    with pytest.raises(ValueError, match="correct candidate"):
        rank_truth([0.0, 0.0], [False, False])


@given(st.lists(st.floats(-1e6, 0.0), min_size=1, max_size=12), st.data())
def test_ranking_figures_stay_in_range(scores: list[float], data: st.DataObject) -> None:
    correct = data.draw(st.lists(st.booleans(), min_size=len(scores), max_size=len(scores)).filter(any))
    ranking = rank_truth(scores, correct)
    assert 1 <= ranking.rank <= len(scores) - sum(correct) + 1
    assert 0 < ranking.mrr <= 1 and 0 <= ranking.normalized_recall <= 1
    assert (ranking.rank1 == 1.0) == (max(s for s, c in zip(scores, correct) if c)
                                      > max([s for s, c in zip(scores, correct) if not c], default=-math.inf))


def test_one_tile_change_is_one_patch_operation() -> None:
    state = edit.blank_world(area=(9, 9), player_pos=(5, 5))
    changed = edit.place_material(state, (2, 7), "tree")
    distance, normalized = edit_distance(state_view(changed), state_view(state))
    assert distance == 1 and normalized == 1 / leaf_count(state_view(state))
    assert edit_distance(state_view(state), state_view(state)) == (0, 0.0)
    assert leaf_count(state_view(state)["map"]) == 81


def test_patch_iou_compares_what_changed() -> None:
    state = edit.set_inventory(edit.blank_world(area=(9, 9), player_pos=(5, 5)), wood=1)
    state = edit.place_material(state, (6, 5), "table")
    truth = step(state, "make_wood_pickaxe").state
    view, true_view = state_view(state), state_view(truth)
    assert patch_iou(view, true_view, true_view) == 1.0
    assert patch_iou(view, view, view) == 1.0  # both patches empty
    noop = state_view(step(state, "noop").state)
    assert 0.0 < patch_iou(view, true_view, noop) < 1.0
    figures = transition_metrics(rank_truth([0.0, -1.0], [True, False]), view, true_view, noop)
    assert figures["edit_distance"] > 0 and figures["mrr"] == 1.0
