"""Calibration: intervals checked against the game's values, exact truths counted, approximate
ones listed apart, and the ``onelife calibration`` command end to end."""

from __future__ import annotations

import json
import math
from collections import Counter

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
    """The exactly known values, and the cow's rival weighted out (as in the game)."""
    truths = true_parameters(model)
    return {name: value for name, value in truths.items()
            if name not in APPROXIMATE_TRUTHS and not name.endswith(".weight") and not name.startswith("frame.")} \
        | {"cows_never_move.weight": truths["cows_never_move.weight"]}


def test_a_posterior_on_the_truth_covers_every_exact_value_and_a_shifted_one_misses_once() -> None:
    model = default_model()
    truths = exact_truths(model)
    rows = calibration_rows(posterior_at(model, truths), np.random.default_rng(0), draws=2000)
    counted = [row for row in rows if row.exact]
    assert len(counted) == sum(len(np.atleast_1d(v)) for name, v in truths.items() if not name.endswith(".weight"))
    assert coverage(rows) == (len(counted), len(counted))
    assert {row.parameter for row in rows if not row.exact} >= {"zombie_strikes.p_rests", "skeleton_flees.flee[0]"}
    assert [row.exact for row in rows] == sorted((row.exact for row in rows), reverse=True)  # exact rows first
    shifted = posterior_at(model, {**truths, "skeleton_wanders.p_wander": 0.8})
    rows = calibration_rows(shifted, np.random.default_rng(0), draws=2000)
    missed = [row.parameter for row in rows if row.exact and not row.covered]
    assert missed == ["skeleton_wanders.p_wander"]
    wander = next(row for row in rows if row.parameter == "skeleton_wanders.p_wander")
    assert wander.low < wander.median < wander.high and wander.median == pytest.approx(0.8, abs=0.01)
    text = format_calibration(rows)
    assert f"coverage: {len(counted) - 1} of {len(counted)} {LEVEL:.0%} intervals" in text
    assert "NO" in next(line for line in text.splitlines() if line.startswith("skeleton_wanders.p_wander"))


def test_the_cow_is_read_as_pooled_with_its_rival_and_rows_without_evidence_are_not_counted() -> None:
    model = default_model()
    truths = exact_truths(model)
    # the rival weighted out: the pooled move is the raw one; weighted in, it is pulled towards staying
    alone = posterior_at(model, truths)
    rival = posterior_at(model, {**truths, "cows_never_move.weight": 1.0})
    rows = {row.parameter: row for row in calibration_rows(alone, np.random.default_rng(0), draws=500)}
    cow = rows["cow_wanders.p_move (pooled with its rival)"]
    assert cow.median == pytest.approx(0.5, abs=0.01) and cow.covered
    pulled = next(r for r in calibration_rows(rival, np.random.default_rng(0), draws=500)
                  if r.parameter.startswith("cow_wanders.p_move"))
    assert pulled.median < 0.2 and not pulled.covered
    evidence = Counter({law: 10 for law in ("cow_wanders", "zombie_chases")})
    rows = calibration_rows(alone, np.random.default_rng(0), evidence=evidence, draws=500)
    assert {row.parameter.split(".")[0] for row in rows if row.counted} == {"cow_wanders", "zombie_chases"}
    assert coverage(rows)[1] == 4  # the cow and the three chase components
    assert "no evidence in the life (the prior; not counted):" in format_calibration(rows)


def test_interval_width_follows_the_posterior_spread() -> None:
    model = default_model()
    rows = calibration_rows(posterior_at(model, {"skeleton_wanders.p_wander": 0.5}), np.random.default_rng(1),
                            draws=4000)
    wander = next(row for row in rows if row.parameter == "skeleton_wanders.p_wander")
    # p = sigmoid(z), z ~ N(0, SPREAD): the 90% interval is sigmoid(±1.645 SPREAD)
    edge = 1 / (1 + math.exp(-1.645 * SPREAD))
    assert wander.high == pytest.approx(edge, abs=0.003) and wander.low == pytest.approx(1 - edge, abs=0.003)


def test_a_model_without_posterior_is_refused() -> None:
    with pytest.raises(ValueError, match="no posterior"):
        calibration_rows(default_model(), np.random.default_rng(0))


def test_cli_prints_the_table_and_writes_json(main_job, tmp_path) -> None:
    model = main_job.run_dir / "model.json"
    result = run_onelife("calibration", str(model), "--life", str(main_job.run_dir / "trajectory.jsonl"),
                         "--json", str(tmp_path / "calibration.json"), "--draws", "1000", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "calibration.json").read_text())
    assert data["counted"] == sum(row["exact"] and row["evidence"] != 0 for row in data["rows"]) > 10
    assert f"coverage: {data['covered']} of {data['counted']}" in result.stdout
    assert all(row["evidence"] is not None for row in data["rows"])
    map_fit = run_onelife("fit", str(main_job.run_dir / "trajectory.jsonl"), "--method", "map",
                          "--out", str(tmp_path / "map.json"), cwd=tmp_path)
    assert map_fit.returncode == 0, map_fit.stderr
    refused = run_onelife("calibration", str(tmp_path / "map.json"), cwd=tmp_path)
    assert refused.returncode == 1 and "no posterior" in refused.stderr and len(refused.stderr.splitlines()) == 1
