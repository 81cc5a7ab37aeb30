"""``evaluate``: the true simulator is perfect in both modes, the null model only where nothing
changes, the heuristic scores as documented, and the results are byte-for-byte reproducible."""

from __future__ import annotations

import argparse
import json
import math

import numpy as np
import pytest

from crafter_oo import edit, step
from onelife.evaluation import evaluate
from onelife_cli.evaluate import add_parser
from onelife.evaluation.references import NullModel, PublishedHeuristic, RandomScorer
from onelife.evaluation.report import format_summary, format_table, mrr_gaps, plot_mrr, write_results
from onelife.evaluation.runner import trial_run
from onelife.evaluation.scenarios import SCENARIOS
from onelife.evaluation.views import same_state
from worldmodel import TrueModel

SMALL = ["collect_wood", "cow_movement", "eat_cow", "random_movement", "skeleton_shoots_arrow"]


@pytest.mark.parametrize("published", [False, True])
def test_true_model_is_perfect_and_null_only_where_nothing_changes(published: bool) -> None:
    result = evaluate(TrueModel(), trials=1, seed=3, published=published, references=("null",), name="true")
    for name, figures in result.scenarios.items():
        true = figures["true"]
        assert true["rank1"]["mean"] == true["mrr"]["mean"] == 1.0, name
        assert true["edit_distance"]["mean"] == 0.0 and true["patch_iou"]["mean"] == 1.0, name
        run, _ = trial_run(SCENARIOS[name], 3, 0)
        unchanged = all(same_state(run.transitions[i].next_state, NullModel(advance_clock=True).predict(run.transitions[i].state))
                        for i in run.evaluated)
        assert (figures["null"]["mrr"]["mean"] == 1.0) == unchanged, name
        assert (figures["null"]["edit_distance"]["mean"] == 0.0) == unchanged, name
    assert result.overall["true"]["mrr"] == {"mean": 1.0, "std": 0.0}


def test_same_seed_gives_byte_identical_results(tmp_path) -> None:
    first = write_results(evaluate(TrueModel(), SMALL, trials=2, seed=11), tmp_path / "a")
    second = write_results(evaluate(TrueModel(), SMALL, trials=2, seed=11), tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    other = evaluate(TrueModel(), SMALL, trials=2, seed=12)
    assert other.to_json() != first.read_text()


def test_results_follow_the_documented_schema() -> None:
    result = evaluate(None, ["collect_wood", "cow_movement"], trials=2, seed=5)
    data = json.loads(result.to_json())
    assert data["models"] == ["ceiling", "true", "null", "random", "heuristic"]
    for figures in [data["overall"], *data["scenarios"].values()]:
        for model in data["models"]:
            for metric in ("rank1", "mrr", "normalized_recall", "edit_distance", "edit_distance_normalized",
                           "patch_iou"):
                assert set(figures[model][metric]) == {"mean", "std"}
    trial_mrrs = [t["mrr"] for t in data["trials"]["random"]["cow_movement"]]
    assert data["scenarios"]["cow_movement"]["random"]["mrr"]["mean"] == pytest.approx(np.mean(trial_mrrs), abs=1e-6)
    assert data["scenarios"]["cow_movement"]["random"]["mrr"]["std"] == pytest.approx(np.std(trial_mrrs), abs=1e-6)
    assert data["scenario_info"]["collect_wood"]["evaluated_transitions"] == [1, 1]


def test_published_heuristic_scores_unmodelled_changes_and_refuses_structure_changes() -> None:
    state = edit.add_creature(edit.blank_world(area=(9, 9), player_pos=(5, 5)), "cow", (2, 2))
    truth = step(state, "noop").state
    heuristic = PublishedHeuristic()
    changed = sum(getattr(truth.player, n) != getattr(state.player, n) for n in ("hunger", "thirst", "fatigue",
                                                                               "recover", "last_health"))
    changed += truth.objects[2] != state.objects[2]
    assert heuristic.log_prob(state, "noop", truth) == -float(changed) < 0
    prediction = heuristic.sample(state, "noop", np.random.default_rng(0))
    assert heuristic.log_prob(state, "noop", prediction) == 0.0
    assert prediction.player.pos == truth.player.pos and prediction.objects[2] == state.objects[2]
    tree = edit.place_material(state, (6, 5), "tree")
    assert heuristic.log_prob(tree, "do", step(tree, "do").state) == -math.inf  # a tile change
    wrong = edit.set_inventory(truth, wood=3)
    assert heuristic.log_prob(state, "noop", wrong) == -math.inf  # modelled attribute disagrees


def test_random_and_null_references_are_functions_of_their_inputs() -> None:
    state = edit.blank_world(area=(9, 9), player_pos=(5, 5))
    truth = step(state, "noop").state
    scorer = RandomScorer(seed=1)
    assert scorer.log_prob(state, "noop", truth) == scorer.log_prob(state, "noop", truth)
    assert -1.0 <= scorer.log_prob(state, "noop", truth) < 0.0
    assert scorer.log_prob(state, "noop", truth) != RandomScorer(seed=2).log_prob(state, "noop", truth)
    null = NullModel(advance_clock=True)
    assert null.log_prob(state, "noop", null.sample(state, "noop", np.random.default_rng(0))) == 0.0
    assert null.log_prob(state, "noop", truth) == -math.inf


class WrongAboutSaplings(TrueModel):
    """The true game except that grass never drops a sapling (a toy model with one wrong law)."""

    def sample(self, state, action, rng):
        result = super().sample(state, action, rng)
        if result.player.inventory["sapling"] > state.player.inventory["sapling"] and action == "do":
            return edit.set_achievements(edit.set_inventory(result, sapling=state.player.inventory["sapling"]),
                                         collect_sapling=state.player.achievements["collect_sapling"])
        return result

    def log_prob(self, state, action, next_state):
        return 0.0 if same_state(self.sample(state, action, np.random.default_rng(0)), next_state) else -math.inf


def test_a_model_wrong_about_one_mechanic_loses_only_there() -> None:
    result = evaluate(WrongAboutSaplings(), ["collect_sapling", "collect_wood", "cow_movement"], trials=2,
                      references=())
    assert result.scenarios["collect_sapling"]["model"]["mrr"]["mean"] < 1.0
    assert result.scenarios["collect_sapling"]["model"]["edit_distance"]["mean"] > 0.0
    assert result.scenarios["collect_wood"]["model"]["mrr"]["mean"] == 1.0
    assert result.scenarios["cow_movement"]["model"]["mrr"]["mean"] == 1.0


def test_bad_models_and_arguments_are_rejected() -> None:
    class Broken(TrueModel):
        def sample(self, state, action, rng):
            return state.to_dict()
    with pytest.raises(TypeError, match="model 'model' returned dict from sample on scenario 'collect_wood'"):
        evaluate(Broken(), ["collect_wood"], trials=1, references=())
    with pytest.raises(ValueError, match="trials must be at least 1"):
        evaluate(TrueModel(), trials=0)
    with pytest.raises(ValueError, match="clashes"):
        evaluate(TrueModel(), ["collect_wood"], name="null")


def _cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="onelife")
    add_parser(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.run(args)


def test_cli_writes_results_and_chart(tmp_path, capsys) -> None:
    out = tmp_path / "eval"
    assert _cli(["evaluate", "--model", "true", "--out", str(out), "--trials", "1",
                 "--scenarios", "collect_wood,cow_movement"]) == 0
    printed = capsys.readouterr().out
    assert "collect_wood" in printed and "overall" in printed
    data = json.loads((out / "results.json").read_text())
    assert data["models"] == ["true"] and data["overall"]["true"]["mrr"]["mean"] == 1.0
    assert (out / "mrr.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert _cli(["evaluate", "--out", str(out)]) == 2
    assert _cli(["evaluate", "model.json", "--model", "null", "--out", str(out)]) == 2


def test_table_and_chart_cover_every_model_and_scenario(tmp_path) -> None:
    result = evaluate(None, ["collect_wood", "lava_death"], trials=1)
    table = format_table(result)
    assert all(line.startswith(("collect_wood", "lava_death")) for line in table.splitlines()[2:4])
    assert all(model in table for model in result.models)
    assert plot_mrr(result, tmp_path).stat().st_size > 1000


def test_the_summary_fits_100_columns_and_leads_with_the_largest_gaps() -> None:
    result = evaluate(NullModel(), ["collect_wood", "lava_death", "cow_movement", "food_decay"], trials=1,
                      references=("ceiling", "heuristic"), name="model")
    summary = format_summary(result)
    assert max(map(len, summary.splitlines())) <= 100
    gaps = {s: result.scenarios[s]["ceiling"]["mrr"]["mean"] - result.scenarios[s]["model"]["mrr"]["mean"]
            for s in result.scenarios}
    assert list(mrr_gaps(result)) == sorted(gaps, key=lambda s: -gaps[s])
    rows = [line.split()[0] for line in summary.splitlines() if line.split()[0] in gaps]
    assert rows == list(mrr_gaps(result))
    overall = result.overall["model"]["mrr"]["mean"]
    ceiling = result.overall["ceiling"]["mrr"]["mean"]
    assert f"MRR {overall:.3f}" in summary and f"{ceiling - overall:.3f} overall" in summary
    table = format_table(result)
    assert max(map(len, table.splitlines())) <= 100
    assert all(f"{name} per scenario" in table for name in ("rank@1", "MRR", "recall", "edit", "IoU"))


def test_cli_lists_scenarios_and_refuses_unknown_ones_in_one_line(tmp_path, capsys) -> None:
    with pytest.raises(SystemExit):
        _cli(["evaluate", "--help"])
    help_text = capsys.readouterr().out
    assert all(name in help_text for name in SCENARIOS)
    assert _cli(["evaluate", "--model", "true", "--scenarios", "collect_wod", "--out", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert error.strip() == "onelife evaluate: --scenarios: unknown collect_wod; 'onelife evaluate --help' lists them"
    assert not (tmp_path / "results.json").exists()
