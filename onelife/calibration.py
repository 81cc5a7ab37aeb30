"""Calibration: do a fitted posterior's 90% intervals cover the game's true values?

For every parameter of the library whose value in the game is known exactly (a constant
the game draws with, or an exact function of them, ``onelife.library.exact_truths``), the
posterior median, its 90% interval from posterior draws, the truth and whether the
interval covers it; a Dirichlet parameter counts once per component. A parameter whose law
has a wrong rival is read as the model predicts with it (the cow's move, pooled with
``cows_never_move``, which keeps a small weight and pulls the raw ``p_move`` up).
Coverage is the share of covered intervals over the parameters the life gave evidence for
(a calibrated posterior covers about 90% of them); parameters with no evidence show their
prior and are listed but not counted, and so are those whose "truth" is an approximation
(a mixture derived under assumptions about the surroundings).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from crafter_oo.rules import Rules
from onelife.evaluation.one_life import pooled_cow_move
from onelife.lawreport import posterior_draws
from onelife.library import APPROXIMATE_TRUTHS, true_parameters
from onelife.model import LawModel

LEVEL = 0.9  # the intervals' probability
DRAWS = 4000  # posterior draws behind each interval
# Parameters read as the model predicts them beside their rival law: site -> the prediction
# from one draw's site values.
PREDICTED = {"cow_wanders.p_move": pooled_cow_move}


@dataclass(frozen=True, slots=True)
class CalibrationRow:
    """One parameter (or one component of a Dirichlet parameter) against its true value."""

    parameter: str
    median: float
    low: float
    high: float
    truth: float
    exact: bool  # the truth is known exactly (else an approximation, not counted)
    evidence: int | None  # activations of the parameter's law in the life, if known

    @property
    def counted(self) -> bool:
        """Whether the row counts towards coverage: an exact truth and, if known, some evidence."""
        return self.exact and self.evidence != 0

    @property
    def covered(self) -> bool:
        return self.low <= self.truth <= self.high

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "covered": self.covered}


def calibration_rows(model: LawModel, rng: np.random.Generator, rules: Rules = Rules.crafter(),
                     evidence: Counter[str] | None = None, draws: int = DRAWS) -> list[CalibrationRow]:
    """A row per parameter with a true value, counted ones first, from ``draws`` posterior draws."""
    if model.posterior is None:
        raise ValueError("the model has no posterior: fit it with --method posterior to get intervals")
    truths = true_parameters(model, rules)
    samples = posterior_draws(model, draws, rng)
    tail = (1 - LEVEL) / 2
    rows = []
    for site, truth in truths.items():
        law, name = site.split(".", 1)
        if name == "weight" or law == "frame":
            continue  # the model's own pooling and frame rates: no game value to cover
        values = samples[site].reshape(draws, -1)
        if site in PREDICTED:
            predict = PREDICTED[site]
            values = np.array([[predict({other: column[k] for other, column in samples.items()})]
                               for k in range(draws)])
            site = f"{site} (pooled with its rival)"
        for component, true_value in enumerate(np.atleast_1d(truth)):
            column = values[:, component]
            low, median, high = np.quantile(column, [tail, 0.5, 1 - tail])
            label = site if np.ndim(truth) == 0 else f"{site}[{component}]"
            rows.append(CalibrationRow(label, float(median), float(low), float(high), float(true_value),
                                       site.split(" ")[0] not in APPROXIMATE_TRUTHS,
                                       None if evidence is None else evidence[law]))
    return sorted(rows, key=lambda row: (not row.counted, not row.exact))


def coverage(rows: list[CalibrationRow]) -> tuple[int, int]:
    """(covered, counted) over the counted rows."""
    counted = [row for row in rows if row.counted]
    return sum(row.covered for row in counted), len(counted)


def format_calibration(rows: list[CalibrationRow]) -> str:
    """The table a user reads: the counted rows with the coverage line, then the rows with no
    evidence (the prior), then the approximations."""
    covered, counted = coverage(rows)
    width = max(len(row.parameter) for row in rows) + 2
    header = f"{'parameter':<{width}}{'median':>8}  {'90% interval':<17}{'truth':>7}{'evidence':>9}  covered"
    lines = [header, "-" * len(header)]
    groups = ((lambda r: r.counted, None),
              (lambda r: r.exact and not r.counted, "no evidence in the life (the prior; not counted):"),
              (lambda r: not r.exact, "approximate truths (derived under assumptions about the surroundings; "
                                      "not counted):"))
    for belongs, title in groups:
        chosen = [row for row in rows if belongs(row)]
        if title is not None and chosen:
            lines += ["", title]
        for row in chosen:
            evidence = "" if row.evidence is None else str(row.evidence)
            lines.append(f"{row.parameter:<{width}}{row.median:>8.3f}  [{row.low:.3f}, {row.high:.3f}]  "
                         f"{row.truth:>6.3f}{evidence:>9}  {'yes' if row.covered else 'NO'}")
        if title is None:
            share = covered / counted if counted else float("nan")
            lines.append(f"coverage: {covered} of {counted} {LEVEL:.0%} intervals cover the truth ({share:.0%})")
    return "\n".join(lines)
