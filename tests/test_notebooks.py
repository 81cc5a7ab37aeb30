"""Both notebooks run end to end on small settings, so they cannot rot."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def execute(name: str, workdir: Path, settings: dict[str, str]) -> nbformat.NotebookNode:
    """Run a notebook in ``workdir`` with ``ONELIFE_NB_*`` settings; raise on any cell error."""
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    old = {key: os.environ.get(key) for key in settings}
    os.environ.update(settings)
    try:
        NotebookClient(book, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(workdir)}}).execute()
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return book


def outputs(book: nbformat.NotebookNode) -> str:
    return "\n".join(out.get("text", "") for cell in book.cells if cell.cell_type == "code"
                     for out in cell.get("outputs", []))


def images(book: nbformat.NotebookNode) -> int:
    return sum("image/png" in out.get("data", {}) for cell in book.cells if cell.cell_type == "code"
               for out in cell.get("outputs", []))


@pytest.fixture(scope="module")
def life_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("notebook_life")


def test_one_life_notebook(life_dir: Path) -> None:
    book = execute("01_one_life.ipynb", life_dir, {
        "ONELIFE_NB_STEPS": "60", "ONELIFE_NB_FIT_METHOD": "map", "ONELIFE_NB_FIT_STEPS": "20",
        "ONELIFE_NB_TRIALS": "1", "ONELIFE_NB_RUN_DIR": str(life_dir)})
    text = outputs(book)
    assert "survived" in text and "laws," in text and "parameters" in text
    assert images(book) >= 2
    assert (life_dir / "trajectory.jsonl").exists() and (life_dir / "model.json").exists()


def test_planning_notebook(life_dir: Path) -> None:
    book = execute("02_planning.ipynb", life_dir, {
        "ONELIFE_NB_MODEL": str(life_dir / "model.json"), "ONELIFE_NB_ROLLOUTS": "2",
        "ONELIFE_NB_EPISODE_STEPS": "12", "ONELIFE_NB_SIMULATIONS": "4", "ONELIFE_NB_SITUATIONS": "2"})
    text = outputs(book)
    assert f"planning model: {life_dir / 'model.json'}" in text
    assert "picks the truly best strategy in" in text and images(book) >= 1
