"""``onelife induce``, ``onelife fit --laws`` and ``onelife learn`` end to end, run as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from onelife import LawModel, load_laws
from onelife.modelfile import load_model
from onelife.trajectory import Trajectory

from cli_runner import run_onelife as run


@pytest.fixture(scope="module")
def trajectory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("life")
    played = run("explore", "--seed", "0", "--steps", "120", "--out", str(out))
    assert played.returncode == 0, played.stderr
    return out / "trajectory.jsonl"


def test_induce_writes_readable_law_files_by_topic(trajectory: Path, tmp_path: Path) -> None:
    out = tmp_path / "induced"
    done = run("induce", str(trajectory), "--out", str(out))
    assert done.returncode == 0, done.stderr
    files = sorted(out.glob("*.law"))
    assert {"moving.law", "vitals_and_sleep.law"} <= {f.name for f in files}
    laws = load_laws(out)
    assert laws
    for path in files:
        text = path.read_text()
        assert text.count("\nlaw ") == text.count("# supported by ")  # every law says what supports it
    assert f"{len(laws)} laws induced" in done.stdout
    stale = out / "old_topic.law"
    stale.write_text(files[0].read_text())
    mine = out / "mine.law"
    mine.write_text("law mine: when true then player.hunger <- player.hunger\n")
    refused = run("induce", str(trajectory), "--out", str(out))
    assert refused.returncode == 1 and "pass --force to replace it" in refused.stderr and stale.exists()
    assert run("induce", str(trajectory), "--out", str(out), "--force").returncode == 0
    assert not stale.exists() and mine.exists()  # only files of an earlier induction are replaced


def test_fit_takes_the_induced_laws(trajectory: Path, tmp_path: Path) -> None:
    out = tmp_path / "induced"
    assert run("induce", str(trajectory), "--out", str(out)).returncode == 0
    model_path = tmp_path / "model.json"
    fitted = run("fit", str(trajectory), "--laws", str(out), "--out", str(model_path), "--method", "map")
    assert fitted.returncode == 0, fitted.stderr
    assert sorted(load_model(model_path).law_names) == sorted(law.name for law in load_laws(out))


def test_learn_induces_and_fits_a_model(trajectory: Path, tmp_path: Path) -> None:
    model_path = tmp_path / "model.json"
    done = run("learn", str(trajectory), "--out", str(model_path), "--method", "map")
    assert done.returncode == 0, done.stderr
    model = load_model(model_path)
    life = Trajectory.load(trajectory).transitions
    null = LawModel([]).fit(life, method="map")
    assert model.log_prob_batch(life).mean() > null.log_prob_batch(life).mean() + 1.0


def test_a_bad_trajectory_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    done = run("induce", str(bad), "--out", str(tmp_path / "out"))
    assert done.returncode != 0 and "bad.jsonl" in done.stderr


def test_induce_refines_an_earlier_induction(trajectory: Path, tmp_path: Path) -> None:
    out = tmp_path / "induced"
    assert run("induce", str(trajectory), "--out", str(out)).returncode == 0
    first = {law.name for law in load_laws(out)}
    again = run("induce", str(trajectory), str(trajectory), "--out", str(out), "--refine", str(out), "--force")
    assert again.returncode == 0, again.stderr
    assert f"of the {len(first)} earlier laws kept their names" in again.stdout
    assert first & {law.name for law in load_laws(out)}
