"""``onelife sweep``: the spec's checks, a run equal to the single commands, and sweeps on a local
Ray equal byte for byte to the serial reference: clean, with a Ray worker killed mid-sweep, and
finished by a second invocation after an interrupted one."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from cli_runner import ONELIFE
from onelife.induction import induce
from onelife.modelfile import load_model
from onelife.parser import load_laws
from onelife.trajectory import Trajectory
from onelife_cli.main import main
from onelife_cli.sweep.run import CLOCKS, MARKER
from onelife_cli.sweep.spec import SpecError, parse_spec
from onelife_cli.sweep.summary import PLOT, SUMMARY

# 2 seeds x 2 variants x 1 policy x 1 pipeline: short lives, a few fit steps, one scenario.
SPEC = """\
seeds = [0, 1]
variants = ["crafter", "short_days"]
policies = ["learning"]
pipelines = ["library"]
steps = 40

[fit]
method = "map"
steps = 3

[evaluate]
scenarios = ["collect_wood"]
trials = 1
"""
RUNS = [f"{variant}/learning/library/seed-{seed}" for variant in ("crafter", "short_days") for seed in (0, 1)]
RUN_FILES = ["beliefs.txt", "eval/mrr.png", "eval/results.json", "model.json", MARKER, "trajectory.jsonl"]


def sweep(*args: str) -> subprocess.Popen:
    """``onelife sweep ARGS`` started as a user starts it: the installed command, outside the checkout."""
    return subprocess.Popen([str(ONELIFE), "sweep", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=tempfile.gettempdir())


def contents(folder: Path) -> dict[str, bytes | dict]:
    """Every file of a sweep's folder; run markers as data without their timings (the only fields of
    a sweep's files that may differ between two sweeps of one spec)."""
    found: dict[str, bytes | dict] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if path.name == MARKER:
            marker = json.loads(path.read_text(encoding="utf-8"))
            assert all(isinstance(marker.pop(clock), float) for clock in CLOCKS)
            found[name] = marker
        else:
            found[name] = path.read_bytes()
    return found


@pytest.fixture(scope="module")
def spec_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The spec SPEC in a file."""
    path = tmp_path_factory.mktemp("spec") / "sweep.toml"
    path.write_text(SPEC, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def serial_sweep(spec_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference: the spec's sweep run in this process without Ray."""
    out = tmp_path_factory.mktemp("serial")
    assert main(["sweep", str(spec_file), "--out", str(out), "--serial"]) == 0
    return out


def test_every_run_of_the_serial_sweep_has_its_files_and_the_summary_its_figures(serial_sweep: Path) -> None:
    names = sorted(contents(serial_sweep))
    assert names == sorted([f"{run}/{name}" for run in RUNS for name in RUN_FILES] + [SUMMARY, PLOT])
    summary = json.loads((serial_sweep / SUMMARY).read_text(encoding="utf-8"))
    assert summary["counts"] == {"finished": 4, "failed": 0, "not run": 0}
    assert [row["run"] for row in summary["runs"]] == RUNS
    for row in summary["runs"]:
        results = json.loads((serial_sweep / row["run"] / "eval/results.json").read_text(encoding="utf-8"))
        assert row["mrr"] == results["overall"]["model"]["mrr"]["mean"]
        assert row["null_mrr"] == results["overall"]["null"]["mrr"]["mean"]
        assert results["settings"]["scenarios"] == ["collect_wood"] and results["settings"]["trials"] == 1
    for group in summary["groups"]:
        mrrs = [row["mrr"] for row in summary["runs"] if row["variant"] == group["variant"]]
        assert group["finished"] == 2 and group["seeds"] == [0, 1]
        assert group["mrr"]["min"] == min(mrrs) and group["mrr"]["max"] == max(mrrs)
        assert group["rulebook_recall"] is None and "rulebook_recall" in summary["not_measured"]


def test_a_run_writes_what_the_single_commands_write(serial_sweep: Path, tmp_path: Path) -> None:
    run = serial_sweep / "short_days/learning/library/seed-1"
    life = tmp_path / "life"
    assert main(["explore", "--seed", "1", "--steps", "40", "--rules", "short_days", "--out", str(life)]) == 0
    assert main(["fit", str(life / "trajectory.jsonl"), "--out", str(life / "model.json"), "--method", "map",
                 "--fit-steps", "3"]) == 0
    assert main(["evaluate", str(life / "model.json"), "--out", str(life / "eval"), "--trials", "1",
                 "--scenarios", "collect_wood", "--rules", "short_days"]) == 0
    for name in RUN_FILES:
        if name != MARKER:
            assert (life / name).read_bytes() == (run / name).read_bytes(), name


def _descendants(root: int) -> list[int]:
    """The processes started, directly or not, by process ``root``."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found = []
    for pid in parents:
        ancestor = parents.get(pid)
        while ancestor is not None and ancestor != root:
            ancestor = parents.get(ancestor)
        if ancestor == root:
            found.append(pid)
    return found


def _title(pid: int) -> str:
    """The command line of process ``pid`` (what a Ray worker sets as its title), or ''."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


@pytest.fixture(scope="module")
def ray_sweep(spec_file: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int | None, str, str]:
    """The spec's sweep on a local Ray of 2 CPUs, one of whose workers this test kills (SIGKILL, by
    its pid) while it runs a run: (the sweep's folder, the killed pid, stdout, stderr)."""
    out = tmp_path_factory.mktemp("ray")
    process = sweep(str(spec_file), "--out", str(out), "--cpus", "2")
    killed, deadline = None, time.monotonic() + 240
    while killed is None and process.poll() is None and time.monotonic() < deadline:
        # A Ray worker titles itself ray::perform while it runs a run (ray::IDLE otherwise).
        busy = [pid for pid in _descendants(process.pid) if _title(pid).startswith("ray::perform")]
        if busy:
            killed = busy[0]
            os.kill(killed, signal.SIGKILL)
        time.sleep(0.05)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    return out, killed, stdout, stderr


def test_a_sweep_on_a_local_ray_writes_every_run_and_the_summary(ray_sweep: tuple[Path, int | None, str, str]
                                                                  ) -> None:
    out, _, stdout, stderr = ray_sweep
    assert "4 runs, 0 already finished (skipped), 4 to run on Ray" in stdout
    assert "finished=4" in stderr and "failed=0" in stderr  # the sweep's progress bar
    assert sorted(contents(out)) == sorted([f"{run}/{name}" for run in RUNS for name in RUN_FILES] + [SUMMARY, PLOT])
    summary = json.loads((out / SUMMARY).read_text(encoding="utf-8"))
    assert summary["counts"] == {"finished": 4, "failed": 0, "not run": 0}
    for group in summary["groups"]:  # the printed table: a line per group, 2 of 2 runs finished, MRR ± std
        mrr = group["mrr"]
        assert re.search(rf"^{group['variant']} +learning +library +2/2 +{mrr['mean']:.3f} ± {mrr['std']:.3f} ",
                         stdout, re.MULTILINE), stdout


def test_a_ray_worker_killed_mid_sweep_leaves_every_file_as_the_serial_sweep_writes_it(
        ray_sweep: tuple[Path, int | None, str, str], serial_sweep: Path) -> None:
    """Fault tolerance and determinism at once: the Ray sweep that lost a worker mid-run equals the
    clean serial sweep byte for byte (every results.json, model, life, plot and the summary)."""
    out, killed, _, _ = ray_sweep
    assert killed is not None, "no worker was seen running a run"
    assert contents(out) == contents(serial_sweep)


def test_a_second_invocation_after_an_interrupted_one_finishes_only_the_missing_runs(
        spec_file: Path, serial_sweep: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    process = sweep(str(spec_file), "--out", str(tmp_path), "--serial")
    deadline = time.monotonic() + 240
    while not list(tmp_path.rglob(MARKER)) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130 and "sweep interrupted" in stderr, stderr
    finished = {path: path.stat().st_mtime_ns for path in tmp_path.rglob(MARKER)}
    assert 1 <= len(finished) < 4, "the interruption must leave runs to finish"
    assert main(["sweep", str(spec_file), "--out", str(tmp_path), "--serial"]) == 0
    assert f"{len(finished)} already finished (skipped), {4 - len(finished)} to run" in capsys.readouterr().out
    assert all(path.stat().st_mtime_ns == mtime for path, mtime in finished.items())
    assert contents(tmp_path) == contents(serial_sweep)


def test_a_failed_run_is_reported_with_its_error_the_others_go_on_and_it_runs_again_next_time(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """In fickle_chances coal cannot be collected on cue, so a run evaluated on collect_coal alone
    has nothing to evaluate and fails; the crafter run beside it finishes."""
    spec = tmp_path / "sweep.toml"
    spec.write_text(SPEC.replace("seeds = [0, 1]", "seeds = [0]").replace('"short_days"', '"fickle_chances"')
                    .replace('"collect_wood"', '"collect_coal"'), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--serial"]) == 1
    printed = capsys.readouterr()
    failed = "fickle_chances/learning/library/seed-0"
    assert f"run {failed} failed: ScenarioError: no scenarios selected" in printed.err
    assert f"  {failed}: ScenarioError: no scenarios selected" in printed.out  # under the table
    summary = json.loads((out / SUMMARY).read_text(encoding="utf-8"))
    assert summary["counts"] == {"finished": 1, "failed": 1, "not run": 0}
    row = next(row for row in summary["runs"] if row["run"] == failed)
    assert row["status"] == "failed" and row["error"] == "ScenarioError: no scenarios selected"
    assert "Traceback" in (out / failed / "error.txt").read_text(encoding="utf-8")
    assert (out / "crafter/learning/library/seed-0" / MARKER).is_file()
    assert main(["sweep", str(spec), "--out", str(out), "--serial"]) == 1
    assert "1 already finished (skipped), 1 to run" in capsys.readouterr().out


@pytest.mark.parametrize("text, message", [
    ("seeds = [0\n", "not valid TOML"),
    ("seeds = [0]\nvariants = ['crafter']\npolicies = ['learning']\npipelines = ['library']\n",
     "missing key 'steps'"),
    (SPEC.replace("steps = 40", "steps = 40\ncolour = 'red'"), "line 6: key 'colour': expected one of the keys"),
    (SPEC.replace('"short_days"', '"moon"'), "line 2: key 'variants': expected a non-empty list of distinct "
                                             "names from: crafter, costly_crafting"),
    (SPEC.replace("seeds = [0, 1]", "seeds = [0, 0]"), "line 1: key 'seeds': expected a non-empty list of "
                                                       "distinct non-negative integers, got [0, 0]"),
    (SPEC.replace('method = "map"', 'method = "mle"'), "line 8: key 'fit.method': expected one of map, posterior"),
    (SPEC.replace("trials = 1", "trials = 0"), "line 13: key 'evaluate.trials': expected an integer of at least 1"),
    (SPEC.replace('"collect_wood"', '"collect_gold"'), "line 12: key 'evaluate.scenarios'"),
    (SPEC.replace('pipelines = ["library"]', 'pipelines = ["oracle"]'), "key 'pipelines'"),
])
def test_a_bad_spec_is_refused_naming_file_line_key_and_what_was_expected(text: str, message: str) -> None:
    with pytest.raises(SpecError, match="^sweep.toml") as error:
        parse_spec(text, "sweep.toml")
    assert message in str(error.value)


def test_a_bad_spec_on_the_command_line_exits_1_with_the_message(tmp_path: Path, capsys) -> None:
    (tmp_path / "bad.toml").write_text(SPEC.replace("steps = 40", "steps = -1"), encoding="utf-8")
    assert main(["sweep", str(tmp_path / "bad.toml"), "--out", str(tmp_path / "out")]) == 1
    assert f"{tmp_path / 'bad.toml'}, line 5: key 'steps': expected an integer of at least 1, got -1" \
        in capsys.readouterr().err


@settings(max_examples=30, deadline=None)
@given(seeds=st.lists(st.integers(0, 10**6), min_size=1, max_size=4, unique=True),
       variants=st.lists(st.sampled_from(["crafter", "short_days", "weary"]), min_size=1, unique=True),
       policies=st.lists(st.sampled_from(["learning", "novelty", "random"]), min_size=1, unique=True))
def test_the_runs_are_every_combination_once_each_in_its_own_folder(seeds, variants, policies) -> None:
    text = (f"seeds = {seeds}\nvariants = {variants}\npolicies = {policies}\npipelines = ['library']\n"
            f"steps = 10\n")
    runs = parse_spec(text).runs()
    assert sorted((r.seed, r.variant, r.policy) for r in runs) == sorted(
        (s, v, p) for s in seeds for v in variants for p in policies)
    assert len({r.name for r in runs}) == len(runs)


def test_the_induced_pipeline_fits_the_laws_it_induced_from_the_run_s_own_life(tmp_path: Path) -> None:
    spec = tmp_path / "induced.toml"
    spec.write_text(SPEC.replace('seeds = [0, 1]', 'seeds = [1]').replace('["crafter", "short_days"]', '["crafter"]')
                    .replace('["library"]', '["induced"]'), encoding="utf-8")
    out = tmp_path / "sweep"
    assert main(["sweep", str(spec), "--out", str(out), "--serial"]) == 0
    run = out / "crafter/learning/induced/seed-1"
    assert sorted(run.glob("laws/*.law")), "the induced laws are written into the run's folder"
    def by_name(laws: list) -> list:
        return sorted(laws, key=lambda law: law.name)
    induced = induce(Trajectory.load(run / "trajectory.jsonl").transitions)
    assert by_name(load_model(run / "model.json").laws) == by_name(load_laws(run / "laws")) == by_name(induced)
    assert json.loads((run / "eval/results.json").read_text())["overall"]["model"]["mrr"]["mean"] >= 0
