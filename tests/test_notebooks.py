"""Both notebooks run end to end on the README's main job's outputs, and what they print
matches the outputs committed with them (so the committed figures are a fresh run's)."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from conftest import MainJob
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def execute(name: str, run_dir: Path) -> nbformat.NotebookNode:
    """Run a notebook with ``ONELIFE_NB_RUN_DIR`` set to ``run_dir``; raise on any cell error."""
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    old = os.environ.get("ONELIFE_NB_RUN_DIR")
    os.environ["ONELIFE_NB_RUN_DIR"] = str(run_dir)
    try:
        NotebookClient(book, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(NOTEBOOKS.parent)}}).execute()
    finally:
        if old is None:
            os.environ.pop("ONELIFE_NB_RUN_DIR")
        else:
            os.environ["ONELIFE_NB_RUN_DIR"] = old
    return book


def texts(book: nbformat.NotebookNode) -> list[str]:
    """Every cell's printed text and results' plain text, joined per cell: how the kernel
    split a cell's printing into stream chunks depends on timing, not on what it printed."""
    return ["".join(out.get("text", "") or out.get("data", {}).get("text/plain", "")
                    for out in cell.get("outputs", []))
            for cell in book.cells if cell.cell_type == "code"]


def images(book: nbformat.NotebookNode) -> int:
    return sum("image/png" in out.get("data", {}) for cell in book.cells if cell.cell_type == "code"
               for out in cell.get("outputs", []))


@pytest.mark.parametrize("name", ["01_one_life.ipynb", "02_planning.ipynb"])
def test_a_notebook_reproduces_its_committed_outputs(name: str, main_job: MainJob) -> None:
    committed = nbformat.read(NOTEBOOKS / name, as_version=4)
    fresh = execute(name, main_job.run_dir)
    assert texts(fresh) == texts(committed)
    assert images(fresh) == images(committed) >= 1


def test_a_missing_model_is_a_clear_error_not_a_silent_fallback(tmp_path: Path) -> None:
    with pytest.raises(CellExecutionError, match="model.json is missing: run the README's main job first"):
        execute("02_planning.ipynb", tmp_path / "nowhere")
