"""Runs stopped by Ctrl-C (SIGINT) or killed (SIGKILL) at seeded random moments never leave a
cut or corrupt output: an interrupted life keeps what it played and ``--resume`` finishes it
byte for byte as an uninterrupted run; a stopped fit leaves no model or a whole one; a second
writer on the same output is refused while the first runs."""

from __future__ import annotations

import random
import signal
import subprocess
from pathlib import Path

import pytest

from onelife.modelfile import load_model
from onelife.trajectory import Trajectory

from bad_inputs import ONELIFE, Bench, catalogue, judge, make_bench, stopped

STEPS = 160
SEED = 3


def explore(out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(ONELIFE), "explore", "--seed", str(SEED), "--steps", str(STEPS), "--out", str(out),
                           *extra], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Bench:
    return make_bench(tmp_path_factory.mktemp("bench"))


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("whole")
    assert explore(out).returncode == 0
    return (out / "trajectory.jsonl").read_bytes()


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_a_stopped_life_resumes_byte_for_byte(how: signal.Signals, uninterrupted: bytes, tmp_path: Path) -> None:
    at = random.Random(f"{how.name}").randrange(5, STEPS - 20)
    path = tmp_path / "trajectory.jsonl"
    command = [str(ONELIFE), "explore", "--seed", str(SEED), "--steps", str(STEPS), "--out", str(tmp_path)]
    status, _ = stopped(command, tmp_path, lambda stderr: path.is_file() and path.read_bytes().count(b"\n") >= at,
                        how)
    assert status == (130 if how == signal.SIGINT else -signal.SIGKILL)
    kept = Trajectory.load(path)
    assert kept.ended is None and len(kept.actions) >= at - 1
    assert uninterrupted.startswith(path.read_bytes().rsplit(b"\n", 1)[0])  # what was kept is the life's start
    resumed = explore(tmp_path, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert path.read_bytes() == uninterrupted


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_a_stopped_fit_leaves_no_model_or_a_whole_one(how: signal.Signals, bench: Bench, tmp_path: Path) -> None:
    out = tmp_path / "fit" / "m.json"
    out.parent.mkdir()
    process = subprocess.Popen([str(ONELIFE), "fit", str(bench.life), "--laws", str(bench.laws), "--out", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    delay = random.Random(how.name).uniform(2.0, 6.0)
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(how)
    status = process.wait(timeout=120)
    if status == 0:
        load_model(out)  # it finished first: the model is whole
    else:
        assert status in (130, -signal.SIGKILL)
        assert not out.exists() or load_model(out)
        if how == signal.SIGINT:
            assert not [p.name for p in out.parent.iterdir() if p.name != "m.json.lock"]  # no temporary file left


@pytest.mark.parametrize("kind", ["interrupts", "concurrent runs"])
def test_interrupts_and_a_second_writer_get_one_clear_line(kind: str, bench: Bench, tmp_path: Path) -> None:
    for number, case in enumerate(c for c in catalogue() if c.kind == kind):
        folder = tmp_path / f"case{number}"
        folder.mkdir()
        verdict = judge(case, bench, folder)
        assert verdict.outcome == "clear", f"{case.name}: {verdict.outcome}: {verdict.message}"
