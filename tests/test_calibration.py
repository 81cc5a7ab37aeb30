"""Calibration: intervals checked against the game's values, exact truths counted, approximate
ones listed apart, and the ``onelife calibration`` command end to end."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch
from torch.distributions import biject_to

from onelife.calibration import LEVEL, calibration_rows, coverage, format_calibration
from onelife.fitting import Posterior
from onelife.library import APPROXIMATE_TRUTHS, default_model, true_parameters
from onelife.model import LawModel
from cli_runner import run_onelife

SPREAD = 0.05  # the synthetic posterior's standard deviation in unconstrained coordinates


def posterior_at(model: LawModel, centre: dict[str, object]) -> LawModel:
    """The model with a narrow mean-field posterior centred on ``centre`` (other sites at their prior mean)."""
    loc, scale = {}, {}
    for site in model.sites:
        value = torch.as_tensor(centre.get(site.name, site.prior_mean()), dtype=torch.float64)
        unconstrained = biject_to(site.prior().support).inv(value).reshape(-1)
        loc[site.name] = unconstrained.tolist()
        scale[site.name] = [SPREAD] * len(loc[site.name])
    return LawModel(model.laws, posterior=Posterior(loc, scale))


def exact_truths(model: LawModel) -> dict[str, object]:
    return {name: value for name, value in true_parameters(model).items()
            if name not in APPROXIMATE_TRUTHS and not name.endswith(".weight") and not name.startswith("frame.")}


def test_a_posterior_on_the_truth_covers_every_exact_value_and_a_shifted_one_misses_once() -> None:
    model = default_model()
    truths = exact_truths(model)
    rows = calibration_rows(posterior_at(model, truths), np.random.default_rng(0), draws=2000)
    counted = [row for row in rows if row.exact]
    assert len(counted) == sum(len(np.atleast_1d(v)) for v in truths.values())
    assert coverage(rows) == (len(counted), len(counted))
    assert {row.parameter for row in rows if not row.exact} >= {"zombie_strikes.p_rests", "skeleton_flees.flee[0]"}
    assert [row.exact for row in rows] == sorted((row.exact for row in rows), reverse=True)  # exact rows first
    shifted = posterior_at(model, {**truths, "cow_wanders.p_move": 0.8})
    rows = calibration_rows(shifted, np.random.default_rng(0), draws=2000)
    missed = [row.parameter for row in rows if row.exact and not row.covered]
    assert missed == ["cow_wanders.p_move"]
    cow = next(row for row in rows if row.parameter == "cow_wanders.p_move")
    assert cow.low < cow.median < cow.high and cow.median == pytest.approx(0.8, abs=0.01)
    text = format_calibration(rows)
    assert f"coverage: {len(counted) - 1} of {len(counted)} {LEVEL:.0%} intervals" in text
    assert "NO" in next(line for line in text.splitlines() if line.startswith("cow_wanders.p_move"))


def test_interval_width_follows_the_posterior_spread() -> None:
    model = default_model()
    rows = calibration_rows(posterior_at(model, {"cow_wanders.p_move": 0.5}), np.random.default_rng(1), draws=4000)
    cow = next(row for row in rows if row.parameter == "cow_wanders.p_move")
    # p = sigmoid(z), z ~ N(0, SPREAD): the 90% interval is sigmoid(±1.645 SPREAD)
    edge = 1 / (1 + math.exp(-1.645 * SPREAD))
    assert cow.high == pytest.approx(edge, abs=0.003) and cow.low == pytest.approx(1 - edge, abs=0.003)


def test_a_model_without_posterior_is_refused() -> None:
    with pytest.raises(ValueError, match="no posterior"):
        calibration_rows(default_model(), np.random.default_rng(0))


def test_cli_prints_the_table_and_writes_json(main_job, tmp_path) -> None:
    model = main_job.run_dir / "model.json"
    result = run_onelife("calibration", str(model), "--life", str(main_job.run_dir / "trajectory.jsonl"),
                         "--json", str(tmp_path / "calibration.json"), "--draws", "1000", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "calibration.json").read_text())
    assert data["counted"] == sum(row["exact"] for row in data["rows"]) > 10
    assert f"coverage: {data['covered']} of {data['counted']}" in result.stdout
    assert all(row["evidence"] is not None for row in data["rows"])
    map_fit = run_onelife("fit", str(main_job.run_dir / "trajectory.jsonl"), "--method", "map",
                          "--out", str(tmp_path / "map.json"), cwd=tmp_path)
    assert map_fit.returncode == 0, map_fit.stderr
    refused = run_onelife("calibration", str(tmp_path / "map.json"), cwd=tmp_path)
    assert refused.returncode == 1 and "no posterior" in refused.stderr and len(refused.stderr.splitlines()) == 1
