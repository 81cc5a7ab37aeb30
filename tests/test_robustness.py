"""Every bad input of the catalogue (``bad_inputs.py``) gets a clear error naming where it is
wrong: no traceback, no silent accept, no hang, no lost file. ``benchmarks/robustness.py``
prints the same catalogue as a table."""

from __future__ import annotations

from pathlib import Path

import pytest

from bad_inputs import Bench, Case, catalogue, judge, make_bench

# The interrupt and concurrency cases are covered, with resuming, by test_faults.py.
CASES = [case for case in catalogue() if case.kind not in ("interrupts", "concurrent runs")]


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Bench:
    return make_bench(tmp_path_factory.mktemp("bench"))


def test_the_catalogue_covers_every_kind_of_input_with_300_cases() -> None:
    kinds = {case.kind for case in catalogue()}
    assert {"arguments", "law file", "model file", "trajectory", "state JSON", "rules file", "special files",
            "existing outputs", "concurrent runs", "interrupts"} <= kinds
    assert len(catalogue()) >= 300


@pytest.mark.parametrize("case", CASES, ids=[f"{c.kind}: {c.name}" for c in CASES])
def test_a_bad_input_gets_a_clear_error_naming_where(case: Case, bench: Bench, tmp_path: Path) -> None:
    verdict = judge(case, bench, tmp_path)
    assert verdict.outcome == "clear", f"{verdict.outcome}: {verdict.message}"
